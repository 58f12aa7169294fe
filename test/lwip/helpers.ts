/**
 * Boards for the lwIP MQTT tests: on the simulated network (virtual time) with the embedded
 * broker or a scripted one, or on the host network (real time) against mosquitto.
 */
import { MemoryConsole } from '../../src/kernel/console.ts';
import type { KConfig, Kernel } from '../../src/kernel/kernel.ts';
import { Simulation, type RunResult } from '../../src/kernel/sim.ts';
import type { StreamConn } from '../../src/net/conn.ts';
import { net_if_attach } from '../../src/net/net_if.ts';
import { SimNetwork, startSimBroker, type SimBroker } from '../../src/net/sim/index.ts';
import type { SimNode } from '../../src/net/sim/node.ts';
import { hostBoard as hostNetBoard } from '../helpers/host_board.ts';

export { mosquittoPub, mosquittoSub, type Subscriber } from '../helpers/mosquitto_clients.ts';

export const NET: KConfig = {
  NETWORKING: true, NET_IPV4: true, NET_TCP: true, NET_SOCKETS: true, LWIP_MQTT: true,
  NET_CONFIG_MY_IPV4_ADDR: '192.0.2.1', NET_CONFIG_PEER_IPV4_ADDR: '192.0.2.2',
};
export const BOARD_ADDR = '192.0.2.1';
export const BROKER_ADDR = '192.0.2.2';

/** What samples/lwip/mqtt_client prints on a successful run, in process or through `zsim run`. */
export const SAMPLE_LINES = [
  'lwIP MQTT client: broker 192.0.2.2:1883',
  'mqtt_connection_cb: Successfully connected',
  'Subscribe result: 0',
  'mqtt_connection_cb: Successfully connected',
  'Publish result: 0',
  'lwIP MQTT client: done',
];

export interface LwipRun {
  result: RunResult;
  console: MemoryConsole;
  kernel: Kernel;
  sim: Simulation;
  broker: SimBroker | null;
}

/** A scripted server on the simulated network: `onConn` gets each accepted connection. */
export type ScriptedServer = (conn: StreamConn) => void;

function boot(main: () => unknown, sim: Simulation, config: KConfig, module?: () => void): { kernel: Kernel; console: MemoryConsole } {
  const console = new MemoryConsole();
  const kernel = sim.addBoard(
    { board: 'qemu_x86', config: { BOOT_BANNER: false, ...NET, ...config }, console, seed: 1 },
    { instantiate: () => (module?.(), { main }) },
  );
  return { kernel, console };
}

/**
 * Runs `main` on a board of the simulated network, in virtual time: the embedded broker (aedes)
 * at 192.0.2.2:1883, or `server` there instead (`null`: nothing listens there).
 */
export async function simBoard(
  main: () => unknown,
  opts: { config?: KConfig; server?: ScriptedServer | Scripted | null; timeLimitMs?: number; module?: () => void } = {},
): Promise<LwipRun> {
  const sim = new Simulation({ timeLimitNs: opts.timeLimitMs === undefined ? undefined : opts.timeLimitMs * 1e6 });
  if (opts.server instanceof Scripted) {
    opts.server.now = () => sim.clock.now() / 1e6;
    opts.server = opts.server.server;
  }
  const net = new SimNetwork(sim, { seed: 1 });
  let broker: SimBroker | null = null;
  if (opts.server !== undefined) {
    // null: a host at the broker's address with nothing listening (connections are refused).
    const node: SimNode = net.addNode({ name: 'broker', addrs: [BROKER_ADDR] });
    if (opts.server) node.listen({ family: 4, addr: BROKER_ADDR, port: 1883 }, 8, opts.server);
  } else {
    broker = await startSimBroker(net, { addr: BROKER_ADDR, port: 1883 });
  }
  const { kernel, console } = boot(main, sim, opts.config ?? {}, opts.module);
  net_if_attach(kernel, net.addNode({ name: 'board', addrs: [BOARD_ADDR] }));
  const result = await sim.run();
  await broker?.close();
  return { result, console, kernel, sim, broker };
}

/**
 * Runs `main` on a board of the host network, in real time; connections to the peer address's
 * port 1883 go to 127.0.0.1:`port` (a mosquitto).
 */
export async function hostBoard(main: () => unknown, port: number, opts: { config?: KConfig; timeLimitMs?: number; module?: () => void } = {}): Promise<LwipRun> {
  const run = await hostNetBoard(main, {
    config: { ...NET, ...opts.config },
    timeLimitMs: opts.timeLimitMs ?? 20_000,
    module: opts.module,
    redirect: { addr: BROKER_ADDR, port: 1883, to: port },
  });
  return { ...run, broker: null };
}

/** Bytes from text. */
export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** Text from bytes. */
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Frames an MQTT packet: type byte, remaining length, body. */
export function frame(type: number, body: number[] | Uint8Array): Uint8Array {
  const b = [...body];
  const len: number[] = [];
  let n = b.length;
  do {
    let d = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) d |= 0x80;
    len.push(d);
  } while (n > 0);
  return new Uint8Array([type, ...len, ...b]);
}

/** A 3.1.1 PUBLISH from the server: topic, packet id (QoS > 0), payload. */
export function publishPacket(topic: string, payload: Uint8Array, qos = 0, id = 1): Uint8Array {
  const t = bytes(topic);
  const body = [t.length >> 8, t.length & 0xff, ...t, ...(qos > 0 ? [id >> 8, id & 0xff] : []), ...payload];
  return frame(0x30 | (qos << 1), body);
}

/**
 * A scripted broker on a simulated connection: records what the client sends, splits it into
 * packets and lets `reply` answer each (CONNACK return code `connack` by default, nothing else).
 */
export class Scripted {
  readonly packets: Uint8Array[] = [];
  conn: StreamConn | null = null;
  /** Connections accepted so far. */
  accepted = 0;
  /** The client closed its side (TCP FIN). */
  ended = false;
  /** When each packet arrived (ms of virtual time, when run by `simBoard`). */
  readonly times: number[] = [];
  now: () => number = () => 0;
  private buf = new Uint8Array(0);

  constructor(private readonly reply: (s: Scripted, pkt: Uint8Array) => void) {}

  readonly server: ScriptedServer = (conn) => {
    this.conn = conn;
    this.accepted++;
    this.ended = false;
    this.buf = new Uint8Array(0);
    conn.setEvents({
      onConnect() {},
      onData: (d) => this.onData(d),
      onWritable() {},
      onEnd: () => {
        this.ended = true;
        conn.end();
      },
      onError() {},
    });
  };

  send(b: Uint8Array): void {
    this.conn?.write(b);
  }

  /** Packet types (first byte) the client sent, in order. */
  types(): number[] {
    return this.packets.map((p) => p[0]!);
  }

  private onData(d: Uint8Array): void {
    const all = new Uint8Array(this.buf.length + d.length);
    all.set(this.buf);
    all.set(d, this.buf.length);
    let off = 0;
    for (;;) {
      let len = 0;
      let mul = 1;
      let i = off + 1;
      for (; i < all.length; i++) {
        len += (all[i]! & 0x7f) * mul;
        mul *= 128;
        if ((all[i]! & 0x80) === 0) break;
      }
      if (i >= all.length || i + 1 + len > all.length) break;
      const pkt = all.slice(off, i + 1 + len);
      off = i + 1 + len;
      this.packets.push(pkt);
      this.times.push(this.now());
      this.reply(this, pkt);
    }
    this.buf = all.slice(off);
  }
}

/** A broker that accepts CONNECT with return code `code` and otherwise stays silent. */
export function connackOnly(code = 0): (s: Scripted, pkt: Uint8Array) => void {
  return (s, pkt) => {
    if (pkt[0] === 0x10) s.send(new Uint8Array([0x20, 2, 0, code]));
  };
}
