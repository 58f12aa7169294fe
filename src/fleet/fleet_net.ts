/**
 * The network of a fleet.
 *
 * Simulated (the default): one `SimNetwork`, a node per board at its fleet address, and the
 * fleet's embedded broker (`broker.ts`) at `CONFIG_NET_CONFIG_PEER_IPV4_ADDR`:1883 (and TLS on
 * 8883 when the app has `certs/server.pem` and `server.key`; and websocket on 9001 for an app
 * built with CONFIG_MQTT_LIB_WEBSOCKET, over TLS when it uses TLS), all in virtual time; scenarios
 * can cut links, partition and restart the broker.
 *
 * Host (`--broker URL`): every board uses the host's network in real time, its connections to the
 * peer's MQTT port (1883 for mqtt://, 8883 for mqtts://, 9001 for ws:// and wss://) redirected to
 * the broker, as `zsim run --broker` does for one board.
 *
 * Either way each board's interface is wrapped by the wire tap (`wire.ts`) that feeds the ledger.
 */
import type { Simulation } from '../kernel/sim.ts';
import type { Endpoint, NetInterface, WireTap } from '../net/conn.ts';
import { HostInterface } from '../net/host/index.ts';
import { PcapWriter } from '../net/pcap.ts';
import { openOutput } from '../cli/output_file.ts';
import { parseBrokerUrl } from '../net/redirect.ts';
import type { LinkParams } from '../net/sim/link.ts';
import { SimNetwork } from '../net/sim/network.ts';
import type { SimNode } from '../net/sim/node.ts';
import { FleetBroker } from './broker.ts';
import type { Ledger } from './ledger.ts';
import { TappedInterface } from './wire.ts';

export interface FleetNetOptions {
  sim: Simulation;
  ledger: Ledger;
  seed: number;
  /** Broker address the app is configured with. */
  peer: string;
  /** `--broker` URL, or undefined for the embedded broker. */
  broker?: string;
  pcap?: string;
  /** Boards that may connect at the same instant (listen backlog). */
  boards: number;
  /** The embedded broker's TLS listener on 8883 (server certificate, key, client CA). */
  brokerTls?: { cert: Buffer; key: Buffer; ca?: Buffer };
  /**
   * The app speaks MQTT over WebSocket (CONFIG_MQTT_LIB_WEBSOCKET): the embedded broker listens
   * on 9001 too, over TLS (wss) with `secure`; a `--broker` URL must be ws:// or wss://.
   */
  websocket?: { secure: boolean };
  /**
   * For an MQTT app, whether it speaks MQTT over TLS (CONFIG_MQTT_LIB_TLS): a `--broker` URL must
   * then be mqtts:// or wss://, else mqtt:// or ws://. Undefined for other apps (no check).
   */
  tls?: boolean;
  trace: (event: string, detail: Record<string, unknown>) => void;
}

/** A fleet's network, whichever backend. */
export interface FleetNet {
  /** What the boards talk to, for the report. */
  readonly describe: string;
  /** True on the simulated network (scenario faults possible). */
  readonly simulated: boolean;
  readonly broker: FleetBroker | null;
  /** Creates board `slot`'s interface at `ipv4` (once per slot; reboots reuse it). */
  iface(slot: number, name: string, ipv4: string): NetInterface;
  linkParams(slot: number): LinkParams;
  setLink(slot: number, p: Partial<LinkParams>): void;
  partition(slots: number[]): void;
  heal(): void;
  /**
   * Runs `fn` (closing the board's sockets) with the board's uplink cut, so that nothing it would
   * send on the way (FIN, RST) leaves it: a power cut, not a shutdown.
   */
  powerCut(slot: number, fn: () => void): void;
  close(): Promise<void>;
}

/** Sets up the network; for the embedded broker, starts it. */
export async function createFleetNet(o: FleetNetOptions): Promise<FleetNet> {
  const pcap = o.pcap ? openOutput(o.pcap, (f) => new PcapWriter(f)) : null;
  if (o.broker !== undefined) return hostNet(o, pcap);
  const net = new SimNetwork(o.sim, { seed: o.seed });
  if (pcap) net.setTap(pcap);
  const addrToSlot = new Map<string, number>();
  const broker = new FleetBroker(net, {
    addr: o.peer,
    port: 1883,
    backlog: Math.max(128, o.boards),
    ledger: o.ledger,
    slotOfAddr: (a) => addrToSlot.get(a) ?? -2,
    trace: o.trace,
    tls: o.brokerTls,
    ws: o.websocket,
  });
  await broker.start();
  const nodes: SimNode[] = [];
  const node = (slot: number): SimNode => {
    const n = nodes[slot];
    if (!n) throw new Error(`fleet: board slot ${slot} has no network node`);
    return n;
  };
  return {
    describe: `embedded (aedes at ${o.peer}:1883${o.brokerTls ? ' and :8883 (TLS)' : ''}${o.websocket ? ` and :9001 (${o.websocket.secure ? 'wss' : 'ws'})` : ''}, simulated network)`,
    simulated: true,
    broker,
    iface(slot, name, ipv4) {
      let n = nodes[slot];
      if (!n) {
        n = net.addNode({ name, addrs: [ipv4] });
        nodes[slot] = n;
        addrToSlot.set(ipv4, slot);
      }
      return new TappedInterface(n, o.ledger.sink(slot));
    },
    linkParams: (slot) => ({ ...node(slot).uplink.params }),
    setLink: (slot, p) => net.setLink(node(slot), p),
    partition: (slots) => net.partition(slots.map(node), [broker.node]),
    heal: () => net.heal(),
    powerCut(slot, fn) {
      const n = node(slot);
      const wasUp = n.uplink.params.up;
      if (wasUp) net.setLink(n, { up: false }, 'up');
      try {
        fn();
      } finally {
        if (wasUp) net.setLink(n, { up: true }, 'up');
      }
    },
    close: async () => {
      await broker.stop();
      pcap?.close();
    },
  };
}

function hostNet(o: FleetNetOptions, pcap: WireTap & { close(): void } | null): FleetNet {
  let url;
  try {
    url = parseBrokerUrl(o.broker!);
  } catch (e) {
    throw new RangeError((e as Error).message);
  }
  // The app's connections go to the peer's port of its transport (1883, 8883, 9001): a URL of
  // another transport would leave them unredirected, failing on every board.
  const ws = url.scheme === 'ws' || url.scheme === 'wss';
  if (o.websocket && !ws) {
    throw new RangeError(`--broker ${o.broker}: this app speaks MQTT over WebSocket (CONFIG_MQTT_LIB_WEBSOCKET=y): give ws://HOST:PORT or wss://HOST:PORT`);
  }
  if (!o.websocket && ws) {
    throw new RangeError(`--broker ${o.broker}: this app speaks MQTT over TCP or TLS, not WebSocket (CONFIG_MQTT_LIB_WEBSOCKET is not set): give mqtt://HOST:PORT or mqtts://HOST:PORT`);
  }
  // Likewise the TLS port (8883) and the plain one (1883): with the other, every handshake fails.
  const secure = url.scheme === 'mqtts' || url.scheme === 'wss';
  if (o.tls === true && !secure) {
    throw new RangeError(`--broker ${o.broker}: this app speaks MQTT over TLS (CONFIG_MQTT_LIB_TLS=y): give ${ws ? 'wss' : 'mqtts'}://HOST:PORT`);
  }
  if (o.tls === false && secure) {
    throw new RangeError(`--broker ${o.broker}: this app speaks MQTT without TLS (CONFIG_MQTT_LIB_TLS is not set): give ${ws ? 'ws' : 'mqtt'}://HOST:PORT`);
  }
  // One host interface for every board: it keeps no per-board state, and a fleet of thousands
  // should not pay for thousands of them.
  const host = new HostInterface({ sim: o.sim, tap: pcap ?? undefined });
  const to: Endpoint = { family: url.host.includes(':') ? 6 : 4, addr: url.host, port: url.port };
  // As `zsim run --broker`: the app's connections to the peer's port for the scheme (1883, 8883).
  const redirect = { addr: o.peer, ports: [url.devicePort], to };
  const none = (): never => {
    throw new Error('network faults need the simulated network');
  };
  return {
    describe: o.broker!,
    simulated: false,
    broker: null,
    iface: (slot) => new TappedInterface(host, o.ledger.sink(slot), redirect),
    linkParams: none,
    setLink: none,
    partition: none,
    heal: none,
    powerCut: (_slot, fn) => fn(),
    close: async () => pcap?.close(),
  };
}
