/**
 * Shared pieces of the MQTT client tests: a board on the host network, a client set up as
 * Zephyr's mqtt_publisher sample does, and mosquitto_sub / mosquitto_pub as independent peers.
 */
import net from 'node:net';
import type { BoardRun } from '../helpers/board.ts';
import { hostBoard as hostNetBoard } from '../helpers/host_board.ts';
import { mosquittoForSuite, type SuiteMosquitto } from '../helpers/mosquitto.ts';
import { haveMosquittoClients } from '../helpers/mosquitto_clients.ts';
import type { KConfig } from '../../src/kernel/kernel.ts';
import { k_uptime_get } from '../../src/kernel/index.ts';
import {
  AF_INET, POLLIN, htons, sockaddr_in_new, zsock_inet_pton, zsock_poll, zsock_pollfd, type sockaddr_in,
} from '../../src/net/socket.ts';
import {
  MQTT_EVT_CONNACK, MQTT_UTF8_LITERAL, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_input, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

export { mosquittoPub as publish, mosquittoSub as subscribe, type Subscriber } from '../helpers/mosquitto_clients.ts';

export const NET: KConfig = {
  NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, MQTT_LIB: true, LOG: true,
  MQTT_KEEPALIVE: 60, MQTT_CLEAN_SESSION: true,
};

/** Runs `main` as a board on the host network (real time), with `config` on top of NET. */
export function hostBoard(main: () => Promise<void>, config: KConfig = {}, timeLimitMs = 20_000): Promise<BoardRun> {
  return hostNetBoard(main, { timeLimitMs, config: { ...NET, ...config } });
}

export function brokerAddr(port: number): sockaddr_in {
  const a = sockaddr_in_new();
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  zsock_inet_pton(AF_INET, '127.0.0.1', a.sin_addr);
  return a;
}

/** A text as bytes. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A client initialised like the sample's `client_init`, recording its events in `events`. */
export function newClient(
  port: number,
  id: string,
  events: mqtt_evt[],
  opts: { rx?: number; tx?: number; onEvent?: (c: mqtt_client, e: mqtt_evt) => void | Promise<void> } = {},
): mqtt_client {
  const client = new mqtt_client();
  mqtt_client_init(client);
  client.broker = brokerAddr(port);
  client.client_id = MQTT_UTF8_LITERAL(id);
  client.rx_buf = new Uint8Array(opts.rx ?? 256);
  client.rx_buf_size = opts.rx ?? 256;
  client.tx_buf = new Uint8Array(opts.tx ?? 256);
  client.tx_buf_size = opts.tx ?? 256;
  client.evt_cb = async (c, evt) => {
    events.push(evt);
    await opts.onEvent?.(c, evt);
  };
  return client;
}

/** The client's socket, whatever the transport. */
export function sockOf(client: mqtt_client): number {
  return client.transport.type >= 2 && client.transport.type <= 3 ? client.transport.websocket.sock : client.transport.tcp.sock;
}

/** `poll(fds, 1, timeout)` on the client's socket. */
export async function waitInput(client: mqtt_client, timeout: number): Promise<number> {
  return zsock_poll([new zsock_pollfd(sockOf(client), POLLIN)], 1, timeout);
}

/** Polls and calls `mqtt_input` until `done()` or `timeout` ms; returns the last mqtt_input result. */
export async function pump(client: mqtt_client, done: () => boolean, timeout = 5000): Promise<number> {
  const end = k_uptime_get() + timeout;
  let rc = 0;
  while (!done() && k_uptime_get() < end) {
    if ((await waitInput(client, Math.max(1, end - k_uptime_get()))) <= 0) continue;
    rc = await mqtt_input(client);
    if (rc < 0) return rc;
  }
  return rc;
}

/** `mqtt_connect`, then poll + `mqtt_input` for the CONNACK; the CONNACK event's result (or -1). */
export async function connectAndWait(client: mqtt_client, events: mqtt_evt[]): Promise<number> {
  const rc = await mqtt_connect(client);
  if (rc !== 0) return rc;
  await pump(client, () => events.some((e) => e.type === MQTT_EVT_CONNACK));
  const ack = events.find((e) => e.type === MQTT_EVT_CONNACK);
  return ack ? ack.result : -1;
}

/** A scripted MQTT peer: `onData` sees each chunk the client sends and may answer. */
export interface FakeBroker {
  port: number;
  /** Everything the client sent, in order. */
  received(): Uint8Array;
  /** The connected client socket (once there is one). */
  socket(): net.Socket | null;
  close(): void;
}

export async function fakeBroker(onData: (s: net.Socket, data: Buffer, all: Buffer) => void): Promise<FakeBroker> {
  let all = Buffer.alloc(0);
  let sock: net.Socket | null = null;
  const srv = net.createServer((s) => {
    sock = s;
    s.on('data', (d) => {
      all = Buffer.concat([all, d]);
      onData(s, d, all);
    });
    s.on('error', () => {});
  });
  const port = await new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as net.AddressInfo).port)));
  return {
    port,
    received: () => new Uint8Array(all),
    socket: () => sock,
    close: () => {
      (sock as net.Socket | null)?.destroy();
      srv.close();
    },
  };
}

/** Whether the broker tests of test/mqtt_client/`suite` can run (see haveMosquittoClients). */
export const haveMosquitto = (suite: string): boolean => haveMosquittoClients(`test/mqtt_client/${suite}`);

/**
 * The broker tests' preamble: whether they can run (`have`) and, when they can, a mosquitto for
 * the whole file. Call it at the top level of test/mqtt_client/`suite`.test.ts.
 */
export function mosquittoForFile(suite: string): SuiteMosquitto & { have: boolean } {
  const have = haveMosquitto(suite);
  return Object.assign(mosquittoForSuite({ skip: !have }), { have });
}
