/**
 * The host network backend: a board's sockets are real sockets of the machine running zsim
 * (`node:net`, `node:dgram`, `node:dns`), so a board can talk to a real broker, server or
 * device. Time is real: events arrive whenever the network delivers them.
 *
 * Every operation that may still deliver an event a board waits for (a connect, an open read
 * side, a listener, a bound UDP socket, a name lookup) holds a `Simulation.beginHostIo()`
 * token, so a simulation whose threads all wait on the network keeps waiting instead of
 * declaring a deadlock.
 */
import * as dns from 'node:dns';
import * as net from 'node:net';
import * as os from 'node:os';
import type {
  DatagramConn, DatagramEvents, Endpoint, Listener, NetInterface, StreamConn, StreamEvents, WireTap,
} from '../conn.ts';
import type { Simulation } from '../../kernel/sim.ts';
import { EAFNOSUPPORT, EINVAL, ENOENT } from '../../libc/errno.ts';
import { zephyrDnsErrno, zephyrErrno } from './errno_map.ts';
import { DuplexStream } from './stream.ts';
import { tapStream } from './synthetic_tcp.ts';
import { HostDatagram, isWildcard } from './udp.ts';

/** What the backend uses of a `Simulation` (a structural subset, so tests can count tokens). */
export type HostSim = Pick<Simulation, 'beginHostIo' | 'clock'>;

/** Options of {@link HostInterface}. */
export interface HostInterfaceOptions {
  sim: HostSim;
  /** Receives synthetic segments of every connection and datagram (`--pcap`). */
  tap?: WireTap;
  /** The board's addresses (default: the host's non-loopback addresses, IPv4 first). */
  addrs?: readonly Endpoint[];
  /** Send-buffer budget of each stream, bytes (default 8 KiB). */
  sendBuffer?: number;
}

/** The host's own addresses: external IPv4, then global IPv6, else loopback. */
export function hostAddresses(): Endpoint[] {
  const v4: Endpoint[] = [];
  const v6: Endpoint[] = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === 'IPv4') v4.push({ family: 4, addr: a.address, port: 0 });
      // Link-local addresses need a scope id, which an Endpoint cannot carry.
      else if (!a.address.toLowerCase().startsWith('fe80:')) v6.push({ family: 6, addr: a.address, port: 0 });
    }
  }
  const all = [...v4, ...v6];
  return all.length > 0 ? all : [{ family: 4, addr: '127.0.0.1', port: 0 }, { family: 6, addr: '::1', port: 0 }];
}

function validEndpoint(ep: Endpoint): boolean {
  const fam = net.isIP(ep.addr);
  return fam === ep.family && Number.isInteger(ep.port) && ep.port >= 0 && ep.port <= 65535;
}

function wildcard(family: 4 | 6): Endpoint {
  return { family, addr: family === 4 ? '0.0.0.0' : '::', port: 0 };
}

/**
 * A TCP listener. Node binds asynchronously, so `local` shows the requested endpoint until
 * the bind completes (port 0 is resolved then) and a bind failure is known only through `ready`.
 */
export class HostListener implements Listener {
  private localEp: Endpoint;
  private closed = false;
  private err = 0;
  private releaseIo: (() => void) | null;
  /** Settles once the bind is done: 0, or a negative errno (-EADDRINUSE, -EADDRNOTAVAIL...). */
  readonly ready: Promise<number>;

  constructor(
    private readonly server: net.Server,
    local: Endpoint,
    backlog: number,
    beginHostIo: () => () => void,
  ) {
    this.localEp = { ...local };
    this.releaseIo = beginHostIo();
    this.ready = new Promise<number>((resolve) => {
      server.once('listening', () => {
        const a = server.address();
        if (a && typeof a === 'object') this.localEp = { family: local.family, addr: a.address, port: a.port };
        resolve(0);
      });
      server.on('error', (e: unknown) => {
        this.err = zephyrErrno(e);
        this.close();
        resolve(this.err);
      });
    });
    server.listen({ host: local.addr, port: local.port, backlog: Math.max(1, backlog), exclusive: true });
  }

  get local(): Endpoint {
    return this.localEp;
  }

  /** The bind error (negative errno), or 0. */
  get error(): number {
    return this.err;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.releaseIo?.();
    this.releaseIo = null;
    // Accepted connections stay open, as with a closed listening socket.
    if (this.server.listening) this.server.close();
  }
}

/** A board's network interface on the host's real network. */
export class HostInterface implements NetInterface {
  readonly realNetwork = true;
  readonly addrs: readonly Endpoint[];
  private readonly sim: HostSim;
  private readonly tap: WireTap | undefined;
  private readonly sendBuffer: number | undefined;
  private readonly beginHostIo = (): (() => void) => this.sim.beginHostIo();
  private readonly now = (): number => this.sim.clock.now();

  constructor(opts: HostInterfaceOptions) {
    this.sim = opts.sim;
    this.tap = opts.tap;
    this.sendBuffer = opts.sendBuffer;
    this.addrs = opts.addrs ?? hostAddresses();
  }

  /**
   * Connects with `net.connect` (bound to `local` when given; a wildcard address with a port
   * binds only the port). Returns -EINVAL for a malformed endpoint, -EAFNOSUPPORT for mixed
   * families; everything else (-ECONNREFUSED, -ETIMEDOUT, -EADDRINUSE...) comes as `onError`.
   */
  connect(remote: Endpoint, local: Endpoint | null, ev: StreamEvents): StreamConn | number {
    if (!validEndpoint(remote) || (local && !validEndpoint(local))) return -EINVAL;
    if (local && local.family !== remote.family) return -EAFNOSUPPORT;
    let sock: net.Socket;
    try {
      sock = net.connect({
        host: remote.addr,
        port: remote.port,
        family: remote.family,
        localAddress: local && !isWildcard(local.addr) ? local.addr : undefined,
        localPort: local && local.port !== 0 ? local.port : undefined,
        // A board's TCP half-closes like Zephyr's: the peer's FIN does not close our side.
        allowHalfOpen: true,
      });
    } catch (e) {
      return zephyrErrno(e);
    }
    const conn = new DuplexStream(sock, local ?? wildcard(remote.family), remote, {
      sendBuffer: this.sendBuffer,
      beginHostIo: this.beginHostIo,
      connectEvent: 'connect',
      events: this.tap ? undefined : ev,
    });
    if (!this.tap) return conn;
    const tapped = tapStream(conn, this.tap, 'local', { now: this.now });
    tapped.setEvents(ev);
    return tapped;
  }

  /**
   * Listens with `net.createServer`; the result is a {@link HostListener}, whose `ready` tells
   * whether the (asynchronous) bind succeeded. Accepted streams come with events unset: the
   * owner calls `setEvents` in `onAccept` (nothing is delivered before the next I/O turn).
   */
  listen(local: Endpoint, backlog: number, onAccept: (conn: StreamConn) => void): Listener | number {
    if (!validEndpoint(local)) return -EINVAL;
    const server = net.createServer({ allowHalfOpen: true });
    server.on('connection', (sock: net.Socket) => {
      const remote: Endpoint = {
        family: sock.remoteFamily === 'IPv6' ? 6 : 4,
        addr: sock.remoteAddress ?? '',
        port: sock.remotePort ?? 0,
      };
      const conn = new DuplexStream(sock, local, remote, {
        sendBuffer: this.sendBuffer,
        beginHostIo: this.beginHostIo,
      });
      onAccept(this.tap ? tapStream(conn, this.tap, 'remote', { now: this.now }) : conn);
    });
    return new HostListener(server, local, backlog, this.beginHostIo);
  }

  /** Binds a `dgram` socket; a bind failure (-EADDRINUSE...) arrives as `ev.onError`. */
  bindUdp(local: Endpoint, ev: DatagramEvents): DatagramConn | number {
    if (!validEndpoint(local)) return -EINVAL;
    return new HostDatagram(local, ev, {
      beginHostIo: this.beginHostIo,
      tap: this.tap,
      now: this.now,
      addrs: this.addrs,
    });
  }

  /**
   * `dns.lookup` with every address (so /etc/hosts applies, as for any program on the host),
   * filtered by family and deduplicated, ports 0. Failures: -ENOENT no such name, -EAGAIN
   * temporary failure, -EIO server failure (see `zephyrDnsErrno`).
   */
  async resolve(host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number> {
    const literal = net.isIP(host);
    if (literal !== 0) {
      // A numeric host needs no lookup, but must match the family asked for (AI_NUMERICHOST).
      if (family !== 0 && family !== literal) return -ENOENT;
      return [{ family: literal as 4 | 6, addr: host, port: 0 }];
    }
    const release = this.sim.beginHostIo();
    try {
      const list = await dns.promises.lookup(host, { all: true, family });
      const seen = new Set<string>();
      const out: Endpoint[] = [];
      for (const a of list) {
        const fam: 4 | 6 = a.family === 6 ? 6 : 4;
        const key = `${fam}/${a.address}`;
        if ((family !== 0 && fam !== family) || seen.has(key)) continue;
        seen.add(key);
        out.push({ family: fam, addr: a.address, port: 0 });
      }
      return out.length > 0 ? out : -ENOENT;
    } catch (e) {
      return zephyrDnsErrno(e);
    } finally {
      release();
    }
  }
}
