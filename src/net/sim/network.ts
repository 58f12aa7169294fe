/**
 * The simulated network: nodes in a star around one switch, in the virtual time of one
 * `Simulation`. A packet from A to B crosses A's uplink, then the switch (where partitions cut
 * it), then B's downlink; each link direction serialises at its bandwidth, queues FIFO, adds
 * latency and seeded jitter and loses packets with a seeded probability (see `link.ts`). Every
 * event is a timeout-queue node; all randomness comes from one PRNG seeded at construction, drawn
 * in event order, so the same seed and the same inputs give the same run.
 *
 * A packet to one of the sender's own addresses never touches a link: it arrives at once.
 */
import { EAGAIN, ENOENT } from '../../libc/errno.ts';
import type { Endpoint, WireTap } from '../conn.ts';
import { canonicalAddr, endpoint, familyOf } from './addr.ts';
import { Partitions } from './faults.ts';
import { HostGate } from './host_gate.ts';
import { DEFAULT_LINK, checkLinkParams, type LinkParams } from './link.ts';
import { SimNode, type NodeNet } from './node.ts';
import type { Packet } from './packet.ts';
import { Prng } from './prng.ts';
import { ZEPHYR_TCP, type TcpParams } from './tcp_params.ts';
import { registerSimTlsAdapter } from './tls_adapter.ts';
import { schedule, type NetSimHost } from './timer.ts';

export interface SimNetworkOptions {
  /** Seed of the network's PRNG (loss, jitter, ISNs, randomized RTOs). Default 1. */
  seed?: number;
  /**
   * How long a node waits for an ARP/ND answer for an address no node has before giving up with
   * -EHOSTUNREACH, ns. Default 2 s, Zephyr's `ARP_REQUEST_TIMEOUT`.
   */
  arpTimeoutNs?: number;
  /**
   * Answer names after one round trip over the asking node's link (up + down latency) instead of
   * at once. Only for callers that do not keep a board's CPU while they wait: the socket layer's
   * `zsock_getaddrinfo` awaits `resolve` inside the thread, which stops virtual time, so it needs
   * the default (false).
   */
  resolverRtt?: boolean;
  /** With `resolverRtt`: how long a node whose link is down waits before -EAGAIN, ns. Default 2 s. */
  dnsTimeoutNs?: number;
  /** Idle event-loop turns before host code is considered done (see `host_gate.ts`). Default 2. */
  hostQuietTurns?: number;
  /** TCP parameters of every node unless a node overrides them. Default: Zephyr's. */
  tcp?: Partial<TcpParams>;
}

export interface SimNodeOptions {
  name: string;
  /** IPv4 and/or IPv6 addresses, as text. */
  addrs: string[];
  /** The node's link to the switch, both directions (default `DEFAULT_LINK`). */
  link?: Partial<LinkParams>;
  /** TCP parameters of this node (a host stack: `HOST_TCP`). */
  tcp?: Partial<TcpParams>;
}

/** One entry of the network's trace: what happened to a packet. */
export interface NetTraceEvent {
  timeNs: number;
  kind: 'send' | 'drop' | 'deliver';
  proto: 'tcp' | 'udp';
  src: Endpoint;
  dst: Endpoint;
  /** TCP flags (0 for UDP). */
  flags: number;
  seq: number;
  ack: number;
  /** Payload bytes. */
  len: number;
  /** Why a packet was dropped. */
  reason?: 'no-route' | 'link-down' | 'mtu' | 'loss' | 'partition';
}

/** Counters of the whole network. */
export interface NetStats {
  sent: number;
  delivered: number;
  dropped: number;
}

type NodeRef = SimNode | string;
const U32 = 4294967296;

export class SimNetwork implements NodeNet {
  readonly prng: Prng;
  readonly gate: HostGate;
  readonly arpTimeoutNs: number;
  readonly dnsTimeoutNs: number;
  readonly resolverRtt: boolean;
  readonly stats: NetStats = { sent: 0, delivered: 0, dropped: 0 };
  private readonly tcp: TcpParams;
  private readonly byName = new Map<string, SimNode>();
  private readonly byAddr = new Map<string, SimNode>();
  private readonly names = new Map<string, string[]>();
  private readonly cuts = new Partitions();
  private tap: WireTap | null = null;
  private trace: ((e: NetTraceEvent) => void) | null = null;

  constructor(
    readonly sim: NetSimHost,
    opts: SimNetworkOptions = {},
  ) {
    this.prng = new Prng(opts.seed ?? 1);
    this.arpTimeoutNs = opts.arpTimeoutNs ?? 2e9;
    this.dnsTimeoutNs = opts.dnsTimeoutNs ?? 2e9;
    this.resolverRtt = opts.resolverRtt ?? false;
    this.gate = new HostGate(sim, opts.hostQuietTurns ?? 2);
    this.tcp = { ...ZEPHYR_TCP, ...opts.tcp };
    registerSimTlsAdapter();
  }

  /** Adds a node with its link to the switch. Names and addresses must be unique. */
  addNode(opts: SimNodeOptions): SimNode {
    if (this.byName.has(opts.name)) throw new Error(`sim network: node name ${opts.name} already used`);
    const addrs: string[] = [];
    for (const a of opts.addrs) {
      const c = canonicalAddr(a);
      if (!c) throw new Error(`sim network: ${a} is not an IPv4 or IPv6 address`);
      if (this.byAddr.has(c)) throw new Error(`sim network: address ${c} already belongs to ${this.byAddr.get(c)!.name}`);
      if (!addrs.includes(c)) addrs.push(c);
    }
    const link = { ...DEFAULT_LINK, ...opts.link };
    checkLinkParams(link);
    const node = new SimNode(this, opts.name, addrs, link, { ...this.tcp, ...opts.tcp });
    this.byName.set(opts.name, node);
    for (const a of addrs) this.byAddr.set(a, node);
    return node;
  }

  /** The node called `name`. */
  node(name: string): SimNode | undefined {
    return this.byName.get(name);
  }

  get nodes(): SimNode[] {
    return [...this.byName.values()];
  }

  /** The node that has `addr` (canonical text), or null. */
  lookup(addr: string): SimNode | null {
    return this.byAddr.get(addr) ?? null;
  }

  // ---- faults ----

  /** Changes a node's link now (both directions unless `dir` says one). */
  setLink(node: NodeRef, p: Partial<LinkParams>, dir: 'both' | 'up' | 'down' = 'both'): void {
    const n = this.ref(node);
    if (dir !== 'down') n.uplink.set(p);
    if (dir !== 'up') n.downlink.set(p);
  }

  /** Takes a node's link down: everything on it or sent to it is lost until `linkUp`. */
  linkDown(node: NodeRef): void {
    this.setLink(node, { up: false });
  }

  linkUp(node: NodeRef): void {
    this.setLink(node, { up: true });
  }

  /** Cuts every node of `a` from every node of `b` (both ways) until `heal()`. */
  partition(a: NodeRef[], b: NodeRef[]): void {
    this.cuts.add(a.map((x) => this.ref(x)), b.map((x) => this.ref(x)));
  }

  /** Removes every partition. */
  heal(): void {
    this.cuts.clear();
  }

  // ---- names ----

  /** Makes `resolve(name)` answer `addr` (in addition to addresses added before). */
  addName(name: string, addr: string): void {
    const c = canonicalAddr(addr);
    if (!c) throw new Error(`sim network: ${addr} is not an IPv4 or IPv6 address`);
    const key = normName(name);
    const list = this.names.get(key) ?? [];
    if (!list.includes(c)) list.push(c);
    this.names.set(key, list);
  }

  /**
   * @internal `NetInterface.resolve` of `node`: an address literal, or a name from the `addName`
   * table (-ENOENT if unknown), IPv4 first when `family` is 0. At once by default; with
   * `resolverRtt`, a resolver at the switch answers after one round trip over the node's link, and
   * a node whose link is down gets -EAGAIN after `dnsTimeoutNs`.
   */
  resolveFor(node: SimNode, host: string, family: 0 | 4 | 6): Promise<Endpoint[] | number> {
    const lit = canonicalAddr(host);
    const lookup = (): Endpoint[] | number => {
      const addrs = (lit ? [lit] : (this.names.get(normName(host)) ?? []))
        .filter((a) => family === 0 || familyOf(a) === family)
        .sort((a, b) => familyOf(a) - familyOf(b));
      return addrs.length > 0 ? addrs.map((a) => endpoint(a, 0)) : -ENOENT;
    };
    return new Promise((resolve) => {
      const answer = (r: Endpoint[] | number): void => {
        // Whoever awaits this runs in a microtask: keep time still until it has.
        this.gate.poke();
        resolve(r);
      };
      if (lit || !this.resolverRtt) {
        answer(lookup());
        return;
      }
      const up = node.uplink.params;
      const down = node.downlink.params;
      if (!up.up || !down.up) schedule(this.sim, this.dnsTimeoutNs, () => answer(-EAGAIN));
      else schedule(this.sim, up.latencyNs + down.latencyNs, () => answer(lookup()));
    });
  }

  // ---- capture and trace ----

  /** Receives every segment a node puts on its link (captured at the sender, lost ones included). */
  setTap(tap: WireTap | null): void {
    this.tap = tap;
  }

  /** Receives every send, drop and delivery (for tests and debugging). */
  setTrace(fn: ((e: NetTraceEvent) => void) | null): void {
    this.trace = fn;
  }

  // ---- packet path ----

  /** @internal a node sends a packet now. */
  transmit(p: Packet): void {
    const now = this.sim.clock.now();
    this.stats.sent++;
    if (this.tap) {
      const tcp = p.proto === 'tcp';
      this.tap.segment({
        timeNs: now,
        proto: p.proto,
        src: p.src,
        dst: p.dst,
        seq: tcp ? p.seqNo % U32 : undefined,
        ack: tcp ? p.ackNo % U32 : undefined,
        flags: tcp ? p.flags : undefined,
        window: tcp ? p.window : undefined,
        payload: p.payload,
      });
    }
    if (this.trace) this.emitTrace(p, 'send');
    const to = this.byAddr.get(p.dst.addr);
    if (!to) return this.drop(p, 'no-route');
    p.to = to;
    if (to === p.from) {
      p.stage = 1;
      p.epoch = -1;
      this.sim.timeouts.add(p, now);
      return;
    }
    const up = p.from.uplink;
    const exit = up.carry(now, p.size, this.prng);
    if (exit < 0) return this.drop(p, linkDropReason(up.params, p.size));
    p.stage = 0;
    p.epoch = up.epoch;
    this.sim.timeouts.add(p, exit);
  }

  /** @internal a packet reached the end of a link. */
  onPacketEvent(p: Packet): void {
    const to = p.to!;
    if (p.stage === 0) {
      if (p.from.uplink.epoch !== p.epoch) return this.drop(p, 'link-down');
      if (!this.cuts.empty && this.cuts.separates(p.from, to)) return this.drop(p, 'partition');
      const down = to.downlink;
      const exit = down.carry(this.sim.clock.now(), p.size, this.prng);
      if (exit < 0) return this.drop(p, linkDropReason(down.params, p.size));
      p.stage = 1;
      p.epoch = down.epoch;
      this.sim.timeouts.add(p, exit);
      return;
    }
    if (p.epoch >= 0 && to.downlink.epoch !== p.epoch) return this.drop(p, 'link-down');
    this.stats.delivered++;
    if (this.trace) this.emitTrace(p, 'deliver');
    to.receive(p);
  }

  private drop(p: Packet, reason: NonNullable<NetTraceEvent['reason']>): void {
    this.stats.dropped++;
    if (this.trace) this.emitTrace(p, 'drop', reason);
  }

  private emitTrace(p: Packet, kind: NetTraceEvent['kind'], reason?: NetTraceEvent['reason']): void {
    this.trace!({
      timeNs: this.sim.clock.now(),
      kind,
      proto: p.proto,
      src: p.src,
      dst: p.dst,
      flags: p.flags,
      seq: p.seqNo % U32,
      ack: p.ackNo % U32,
      len: p.payload.length,
      reason,
    });
  }

  private ref(n: NodeRef): SimNode {
    const node = typeof n === 'string' ? this.byName.get(n) : n;
    if (!node || this.byName.get(node.name) !== node) throw new Error(`sim network: no node ${typeof n === 'string' ? n : n.name}`);
    return node;
  }
}

function normName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}

function linkDropReason(p: LinkParams, size: number): 'link-down' | 'mtu' | 'loss' {
  return !p.up ? 'link-down' : size > p.mtu ? 'mtu' : 'loss';
}
