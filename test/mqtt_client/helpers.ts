/**
 * Shared pieces of the MQTT client tests: a board on the host network, a client set up as
 * Zephyr's mqtt_publisher sample does, and mosquitto_sub / mosquitto_pub as independent peers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { mosquittoAvailable } from '../helpers/mosquitto.ts';
import { runBoard, type BoardRun } from '../helpers/board.ts';
import { HostInterface } from '../../src/net/host/index.ts';
import { net_if_attach } from '../../src/net/net_if.ts';
import type { KConfig } from '../../src/kernel/kernel.ts';
import { k_uptime_get } from '../../src/kernel/index.ts';
import {
  AF_INET, POLLIN, htons, sockaddr_in_new, zsock_inet_pton, zsock_poll, zsock_pollfd, type sockaddr_in,
} from '../../src/net/socket.ts';
import {
  MQTT_EVT_CONNACK, MQTT_UTF8_LITERAL, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_input, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

export const NET: KConfig = {
  NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, MQTT_LIB: true, LOG: true,
  MQTT_KEEPALIVE: 60, MQTT_CLEAN_SESSION: true,
};

/** Runs `main` as a board on the host network (real time), with `config` on top of NET. */
export function hostBoard(main: () => Promise<void>, config: KConfig = {}, timeLimitMs = 20_000): Promise<BoardRun> {
  return runBoard(main, {
    realtime: true,
    timeLimitMs,
    config: { ...NET, ...config },
    setup: (k, sim) => void net_if_attach(k, new HostInterface({ sim })),
  });
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

const MOSQ_SUB = '/usr/bin/mosquitto_sub';
/** Subscribers still running: killed when the test worker exits, even after a failed test. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});
const MOSQ_PUB = '/usr/bin/mosquitto_pub';

export interface Subscriber {
  /** Message lines, formatted with `-F`. */
  readonly messages: string[];
  /** Resolves once mosquitto_sub has its SUBACK. */
  readonly ready: Promise<void>;
  /** Resolves when `n` messages arrived (or after `ms`). */
  waitFor(n: number, ms?: number): Promise<string[]>;
  stop(): void;
}

/**
 * Starts `mosquitto_sub` on `topic`; each message is a line `MSG <format>` (default:
 * topic, QoS, retain flag, payload).
 */
export function subscribe(port: number, topic: string, extra: string[] = [], format = '%t %q %r %p'): Subscriber {
  // stdbuf: mosquitto_sub's stdout is block-buffered on a pipe, which would hide the SUBACK line.
  const proc: ChildProcess = spawn('stdbuf', ['-oL', MOSQ_SUB, '-h', '127.0.0.1', '-p', String(port), '-t', topic, '-d', '-F', `MSG ${format}`, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  const messages: string[] = [];
  let out = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  const waiters: (() => void)[] = [];
  proc.stdout!.on('data', (d) => {
    out += String(d);
    const lines = out.split('\n');
    out = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith('MSG ')) messages.push(l.slice(4));
      if (/received SUBACK/.test(l)) onReady();
    }
    for (const w of waiters) w();
  });
  return {
    messages,
    ready,
    waitFor: (n, ms = 5000) =>
      new Promise((resolve) => {
        const check = (): void => {
          if (messages.length >= n) resolve(messages);
        };
        waiters.push(check);
        setTimeout(() => resolve(messages), ms);
        check();
      }),
    // SIGKILL: a mosquitto_sub with -C may linger on SIGTERM once its broker is gone.
    stop: () => void proc.kill('SIGKILL'),
  };
}

/** Runs `mosquitto_pub` (not awaited from a board thread: it is a host process). */
export function publish(port: number, topic: string, message: string, extra: string[] = []): Promise<number> {
  return new Promise((resolve) => {
    const proc = spawn(MOSQ_PUB, ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-m', message, ...extra], { stdio: 'ignore' });
    proc.on('exit', (code) => resolve(code ?? -1));
  });
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

/**
 * Whether the broker tests can run: mosquitto plus its clients (`mosquitto-clients`). Under
 * CI=true anything missing fails the suite; elsewhere the tests are skipped with a message.
 */
export function haveMosquitto(suite: string): boolean {
  const clients = [MOSQ_SUB, MOSQ_PUB].every((f) => existsSync(f));
  if (mosquittoAvailable() && clients) return true;
  const what = clients ? 'mosquitto' : 'mosquitto_sub/mosquitto_pub (mosquitto-clients)';
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI=true`);
  console.warn(`test/mqtt_client/${suite}: ${what} not installed; skipping the broker tests`);
  return false;
}
