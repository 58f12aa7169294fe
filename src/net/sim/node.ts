/**
 * A node of the simulated network: one board's (or the broker's) network interface. It implements
 * `NetInterface`, so a board's socket layer and host-side code use the same calls. It owns the
 * node's port tables and demultiplexes arriving packets to connections, listeners and UDP
 * endpoints; a TCP segment nobody wants is answered with RST.
 *
 * Ephemeral ports are handed out in order from 49152 (Zephyr draws them at random; in order is
 * just as valid and reads better in traces), skipping ports in use.
 */
import { EADDRINUSE, EADDRNOTAVAIL, EINVAL, ENETUNREACH, EHOSTUNREACH } from '../../libc/errno.ts';
import type { DatagramConn, DatagramEvents, Endpoint, Listener, NetInterface, StreamConn, StreamEvents } from '../conn.ts';
import { canonicalAddr, endpoint, familyOf, headerBytes, isWildcard } from './addr.ts';
import { LinkDir, type LinkParams } from './link.ts';
import { SimListener } from './listener.ts';
import { Packet, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type PacketSink } from './packet.ts';
import type { Prng } from './prng.ts';
import type { HostGate } from './host_gate.ts';
import { SimTcpConn, type TcpConnNode } from './tcp.ts';
import type { TcpSender } from './tcp_sender.ts';
import type { TcpParams } from './tcp_params.ts';
import { schedule, type NetSimHost } from './timer.ts';
import { SimUdpConn, type UdpHost } from './udp.ts';

/** What a node needs from its network (which also takes its packets' timeouts). */
export interface NodeNet extends PacketSink {
  readonly sim: NetSimHost;
  readonly gate: HostGate;
  readonly prng: Prng;
  readonly arpTimeoutNs: number;
  /** The node that has `addr` (canonical text), or null. */
  lookup(addr: string): SimNode | null;
  transmit(p: Packet): void;
  resolveFor(node: SimNode, host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number>;
}

const EPHEMERAL_FIRST = 49152;
const EMPTY = new Uint8Array(0);

function tupleKey(addr: string, port: number, raddr: string, rport: number): string {
  return `${addr}|${port}|${raddr}|${rport}`;
}

export class SimNode implements NetInterface, TcpConnNode, UdpHost {
  readonly realNetwork = false;
  readonly addrs: readonly Endpoint[];
  /** Node to switch. */
  readonly uplink: LinkDir;
  /** Switch to node. */
  readonly downlink: LinkDir;
  private readonly own = new Set<string>();
  private readonly conns = new Map<string, SimTcpConn>();
  private readonly listeners = new Map<string, SimListener>();
  private readonly udps = new Map<string, SimUdpConn>();
  /** TCP ports held by listeners and actively opened connections (a count per port). */
  private readonly tcpPorts = new Map<number, number>();
  private readonly udpPorts = new Set<number>();
  private nextTcpPort = EPHEMERAL_FIRST;
  private nextUdpPort = EPHEMERAL_FIRST;

  constructor(
    private readonly net: NodeNet,
    readonly name: string,
    addrs: readonly string[],
    link: LinkParams,
    readonly tcpParams: TcpParams,
  ) {
    for (const a of addrs) this.own.add(a);
    this.addrs = [...addrs].sort((a, b) => familyOf(a) - familyOf(b)).map((a) => endpoint(a, 0));
    this.uplink = new LinkDir(link);
    this.downlink = new LinkDir(link);
  }

  get host(): NetSimHost {
    return this.net.sim;
  }

  get gate(): HostGate {
    return this.net.gate;
  }

  get prng(): Prng {
    return this.net.prng;
  }

  get arpTimeoutNs(): number {
    return this.net.arpTimeoutNs;
  }

  /** True when `addr` (canonical text) is one of this node's addresses. */
  hasAddr(addr: string): boolean {
    return this.own.has(addr);
  }

  sourceAddr(family: 4 | 6): string | null {
    for (const ep of this.addrs) if (ep.family === family) return ep.addr;
    return null;
  }

  mtu(): number {
    return Math.min(this.uplink.params.mtu, this.downlink.params.mtu);
  }

  // ---- NetInterface ----

  connect(remote: Endpoint, local: Endpoint | null, ev: StreamEvents): StreamConn | number {
    const raddr = canonicalAddr(remote.addr);
    if (!raddr || familyOf(raddr) !== remote.family || !(remote.port > 0 && remote.port <= 65535)) return -EINVAL;
    if (isWildcard(raddr)) return -EADDRNOTAVAIL;
    const laddr = this.localAddr(local, remote.family);
    if (typeof laddr === 'number') return laddr;
    let lport = local?.port ?? 0;
    if (lport !== 0) {
      if (this.tcpPorts.has(lport)) return -EADDRINUSE;
    } else {
      lport = this.ephemeral(true);
      if (lport < 0) return lport;
    }
    const c = new SimTcpConn(this, endpoint(laddr, lport), endpoint(raddr, remote.port), this.tcpParams, this.mss(remote.family), ev, null);
    this.conns.set(tupleKey(laddr, lport, raddr, remote.port), c);
    this.tcpPorts.set(lport, (this.tcpPorts.get(lport) ?? 0) + 1);
    c.startConnect(this.net.lookup(raddr) !== null);
    return c;
  }

  listen(local: Endpoint, backlog: number, onAccept: (conn: StreamConn) => void): Listener | number {
    const addr = this.bindAddr(local);
    if (typeof addr === 'number') return addr;
    let port = local.port;
    if (port !== 0) {
      if (this.tcpPorts.has(port)) return -EADDRINUSE;
    } else {
      port = this.ephemeral(true);
      if (port < 0) return port;
    }
    const l = new SimListener(this, endpoint(addr, port), Math.max(1, Math.floor(backlog)), onAccept);
    this.listeners.set(`${local.family}|${addr}|${port}`, l);
    this.tcpPorts.set(port, (this.tcpPorts.get(port) ?? 0) + 1);
    return l;
  }

  bindUdp(local: Endpoint, ev: DatagramEvents): DatagramConn | number {
    const addr = this.bindAddr(local);
    if (typeof addr === 'number') return addr;
    let port = local.port;
    if (port !== 0) {
      if (this.udpPorts.has(port)) return -EADDRINUSE;
    } else {
      port = this.ephemeral(false);
      if (port < 0) return port;
    }
    const u = new SimUdpConn(this, endpoint(addr, port), ev);
    this.udps.set(`${local.family}|${addr}|${port}`, u);
    this.udpPorts.add(port);
    return u;
  }

  resolve(host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number> {
    return this.net.resolveFor(this, host, family);
  }

  // ---- internal: called by connections, listeners, endpoints and the network ----

  /** @internal */
  sendTcp(c: TcpSender, flags: number, seq: number, ack: number, window: number, mss: number, payload: Uint8Array): void {
    const size = payload.length + headerBytes(c.local.family, 'tcp');
    this.net.transmit(new Packet(this.net, 'tcp', this, c.local, c.remote, seq, ack, flags, window, mss, payload, size));
  }

  /** @internal */
  releaseTcp(c: SimTcpConn): void {
    const key = tupleKey(c.local.addr, c.local.port, c.remote.addr, c.remote.port);
    if (this.conns.get(key) !== c) return;
    this.conns.delete(key);
    if (!c.passive) this.dropPort(c.local.port);
  }

  /** @internal */
  unlisten(l: SimListener): void {
    const key = `${l.local.family}|${l.local.addr}|${l.local.port}`;
    if (this.listeners.get(key) !== l) return;
    this.listeners.delete(key);
    this.dropPort(l.local.port);
  }

  /** @internal */
  sendUdp(u: SimUdpConn, src: Endpoint, dst: Endpoint, payload: Uint8Array): void {
    if (this.net.lookup(dst.addr) === null) {
      // ARP never gets an answer: the datagram is dropped when the request times out.
      schedule(this.net.sim, this.net.arpTimeoutNs, () => u.error(-EHOSTUNREACH));
      return;
    }
    const size = payload.length + headerBytes(dst.family, 'udp');
    this.net.transmit(new Packet(this.net, 'udp', this, src, dst, 0, 0, 0, 0, 0, payload, size));
  }

  /** @internal */
  unbindUdp(u: SimUdpConn): void {
    const key = `${u.local.family}|${u.local.addr}|${u.local.port}`;
    if (this.udps.get(key) !== u) return;
    this.udps.delete(key);
    this.udpPorts.delete(u.local.port);
  }

  /** @internal a packet for this node arrived. */
  receive(p: Packet): void {
    const fam = p.dst.family;
    const wild = fam === 4 ? '0.0.0.0' : '::';
    if (p.proto === 'udp') {
      const u = this.udps.get(`${fam}|${p.dst.addr}|${p.dst.port}`) ?? this.udps.get(`${fam}|${wild}|${p.dst.port}`);
      u?.deliver(p);
      return;
    }
    const c = this.conns.get(tupleKey(p.dst.addr, p.dst.port, p.src.addr, p.src.port));
    if (c) {
      c.input(p);
      return;
    }
    if (p.flags & TCP_RST) return;
    if ((p.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN) {
      const l = this.listeners.get(`${fam}|${p.dst.addr}|${p.dst.port}`) ?? this.listeners.get(`${fam}|${wild}|${p.dst.port}`);
      if (l && l.canTake()) {
        const nc = new SimTcpConn(this, endpoint(p.dst.addr, p.dst.port), endpoint(p.src.addr, p.src.port), this.tcpParams, this.mss(fam), null, l);
        this.conns.set(tupleKey(p.dst.addr, p.dst.port, p.src.addr, p.src.port), nc);
        l.took(nc);
        nc.startAccept(p);
        return;
      }
    }
    this.replyRst(p);
  }

  // ---- helpers ----

  /** RFC 793's reset for a segment no connection wants (Zephyr's `net_tcp_reply_rst`). */
  private replyRst(p: Packet): void {
    let flags = TCP_RST;
    let seq = 0;
    let ack = 0;
    if (p.flags & TCP_ACK) seq = p.ackNo;
    else {
      flags |= TCP_ACK;
      ack = p.seqNo + p.payload.length + (p.flags & TCP_SYN ? 1 : 0) + (p.flags & TCP_FIN ? 1 : 0);
    }
    const size = headerBytes(p.dst.family, 'tcp');
    this.net.transmit(new Packet(this.net, 'tcp', this, p.dst, p.src, seq, ack, flags, 0, 0, EMPTY, size));
  }

  private mss(family: 4 | 6): number {
    return this.mtu() - headerBytes(family, 'tcp');
  }

  /** Source address of a connection: the bound one, or the node's first of the family. */
  private localAddr(local: Endpoint | null, family: 4 | 6): string | number {
    if (local && !isWildcard(local.addr)) {
      const a = canonicalAddr(local.addr);
      if (!a || !this.own.has(a) || familyOf(a) !== family) return -EADDRNOTAVAIL;
      return a;
    }
    return this.sourceAddr(family) ?? -ENETUNREACH;
  }

  /** Address to bind: the wildcard or one of ours, of the endpoint's family. */
  private bindAddr(local: Endpoint): string | number {
    if (!(Number.isInteger(local.port) && local.port >= 0 && local.port <= 65535)) return -EINVAL;
    const a = canonicalAddr(local.addr);
    if (!a || familyOf(a) !== local.family) return -EINVAL;
    if (isWildcard(a)) return a;
    return this.own.has(a) ? a : -EADDRNOTAVAIL;
  }

  private ephemeral(tcp: boolean): number {
    const used = (p: number): boolean => (tcp ? this.tcpPorts.has(p) : this.udpPorts.has(p));
    let p = tcp ? this.nextTcpPort : this.nextUdpPort;
    for (let i = 0; i <= 65535 - EPHEMERAL_FIRST; i++) {
      const cand = p;
      p = p === 65535 ? EPHEMERAL_FIRST : p + 1;
      if (!used(cand)) {
        if (tcp) this.nextTcpPort = p;
        else this.nextUdpPort = p;
        return cand;
      }
    }
    return -EADDRINUSE;
  }

  private dropPort(port: number): void {
    const n = (this.tcpPorts.get(port) ?? 0) - 1;
    if (n > 0) this.tcpPorts.set(port, n);
    else this.tcpPorts.delete(port);
  }
}
