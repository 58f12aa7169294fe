/**
 * Points a board at a real broker: the app connects to its configured peer
 * (`CONFIG_NET_CONFIG_PEER_IPV4_ADDR`, port 1883 or 8883) as it would on a device, and the
 * connection goes to the host and port of `--broker` instead. Everything else passes through.
 */
import type { DatagramConn, DatagramEvents, Endpoint, Listener, NetInterface, StreamConn, StreamEvents } from './conn.ts';

/** One redirection: connections to `match` (any address when `addr` is null) go to `to`. */
export interface Redirect {
  addr: string | null;
  port: number;
  to: Endpoint;
}

export class RedirectInterface implements NetInterface {
  constructor(private readonly inner: NetInterface, private readonly rules: readonly Redirect[], private readonly wrap?: (c: StreamConn) => StreamConn) {}

  get addrs(): readonly Endpoint[] {
    return this.inner.addrs;
  }

  get realNetwork(): boolean {
    return this.inner.realNetwork;
  }

  connect(remote: Endpoint, local: Endpoint | null, ev: StreamEvents): StreamConn | number {
    const rule = this.rules.find((r) => r.port === remote.port && (r.addr === null || r.addr === remote.addr));
    const c = this.inner.connect(rule ? rule.to : remote, local, ev);
    if (typeof c === 'number' || !this.wrap) return c;
    // A wrapper takes the stream's events over: hand it the owner's callbacks.
    const w = this.wrap(c);
    w.setEvents(ev);
    return w;
  }

  listen(local: Endpoint, backlog: number, onAccept: (conn: StreamConn) => void): Listener | number {
    return this.inner.listen(local, backlog, onAccept);
  }

  bindUdp(local: Endpoint, ev: DatagramEvents): DatagramConn | number {
    return this.inner.bindUdp(local, ev);
  }

  resolve(host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number> {
    return this.inner.resolve(host, family);
  }
}

/** A `--broker` URL: mqtt://, mqtts://, ws://, wss:// with host and optional port. */
export interface BrokerUrl {
  scheme: 'mqtt' | 'mqtts' | 'ws' | 'wss';
  host: string;
  port: number;
  /** The port an app on a device would use for this scheme (1883, 8883, 8080, 8443... as Zephyr's samples). */
  devicePort: number;
}

const DEFAULT_PORTS = { mqtt: 1883, mqtts: 8883, ws: 8080, wss: 8443 } as const;
const DEVICE_PORTS = { mqtt: 1883, mqtts: 8883, ws: 9001, wss: 9001 } as const;

/** Parses `--broker`; throws an Error naming what is wrong. */
export function parseBrokerUrl(s: string): BrokerUrl {
  const m = /^(mqtts?|wss?):\/\/(\[[^\]]+\]|[^:/]+)(?::(\d+))?\/?$/.exec(s);
  if (!m) throw new Error(`--broker ${s}: expected mqtt://HOST[:PORT] or mqtts://HOST[:PORT] (also ws://, wss://)`);
  const scheme = m[1] as BrokerUrl['scheme'];
  const port = m[3] ? Number(m[3]) : DEFAULT_PORTS[scheme];
  if (!(port > 0 && port < 65536)) throw new Error(`--broker ${s}: port ${m[3]} is out of range`);
  return { scheme, host: m[2]!.replace(/^\[|\]$/g, ''), port, devicePort: DEVICE_PORTS[scheme] };
}
