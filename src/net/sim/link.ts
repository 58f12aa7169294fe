/**
 * One direction of a node's link to the central switch: a FIFO transmitter (serialisation at the
 * link's bandwidth, one packet at a time) followed by a wire (latency plus seeded jitter, seeded
 * loss). Packets leave a link in the order they entered it: jitter delays a packet but never lets
 * it overtake the one before (a packet's exit time is clamped to its predecessor's), because one
 * physical path does not reorder. Reordering therefore never happens in this network.
 */
import type { Prng } from './prng.ts';

/** Properties of a link direction; `SimNetwork.setLink` changes them at any time. */
export interface LinkParams {
  /** One-way propagation delay, ns. */
  latencyNs: number;
  /** Extra delay drawn uniformly from [0, jitterNs] per packet, ns (clamped so order is kept). */
  jitterNs: number;
  /** Bits per second; 0 means unlimited (no serialisation delay, no queueing). */
  bandwidthBps: number;
  /** Probability in [0, 1] that a packet crossing this link direction is lost. */
  loss: number;
  /** Largest IP packet (headers included) the link carries, bytes; larger ones are dropped. */
  mtu: number;
  /** False while the link is down (cable pulled): everything on it or offered to it is dropped. */
  up: boolean;
}

/** 1 ms each way, no jitter, unlimited bandwidth, no loss, Ethernet MTU, up. */
export const DEFAULT_LINK: Readonly<LinkParams> = Object.freeze({
  latencyNs: 1_000_000,
  jitterNs: 0,
  bandwidthBps: 0,
  loss: 0,
  mtu: 1500,
  up: true,
});

/** Throws a RangeError naming the first invalid field. */
export function checkLinkParams(p: Partial<LinkParams>): void {
  const bad = (f: string, why: string): never => {
    throw new RangeError(`link ${f}: ${why}`);
  };
  if (p.latencyNs !== undefined && !(p.latencyNs >= 0 && Number.isFinite(p.latencyNs))) bad('latencyNs', 'must be >= 0');
  if (p.jitterNs !== undefined && !(p.jitterNs >= 0 && Number.isFinite(p.jitterNs))) bad('jitterNs', 'must be >= 0');
  if (p.bandwidthBps !== undefined && !(p.bandwidthBps >= 0 && Number.isFinite(p.bandwidthBps))) bad('bandwidthBps', 'must be >= 0');
  if (p.loss !== undefined && !(p.loss >= 0 && p.loss <= 1)) bad('loss', 'must be in [0, 1]');
  if (p.mtu !== undefined && !(Number.isInteger(p.mtu) && p.mtu >= 68 && p.mtu <= 65535)) bad('mtu', 'must be an integer in [68, 65535]');
}

/** One direction (node to switch, or switch to node) of a node's link. */
export class LinkDir {
  readonly params: LinkParams;
  /** When the transmitter finishes the last packet it accepted, ns. */
  private busyUntil = 0;
  /** When the last accepted packet leaves the far end, ns (later packets never leave earlier). */
  private lastExit = 0;
  /** Bumped each time the link goes down, so packets that were on it when it did are dropped. */
  epoch = 0;

  constructor(params: LinkParams) {
    this.params = { ...params };
  }

  /** Applies a partial change; taking the link down loses what is on it. */
  set(p: Partial<LinkParams>): void {
    checkLinkParams(p);
    if (p.up === false && this.params.up) this.epoch++;
    Object.assign(this.params, p);
    if (p.up === false) {
      // The transmit queue is flushed with the packets on the wire.
      this.busyUntil = 0;
    }
  }

  /**
   * Accepts a packet of `size` bytes at `now`; returns when it leaves the far end, or -1 when it
   * is dropped (link down, too big, lost). Draws from `prng` only for a lossy or jittery link.
   */
  carry(now: number, size: number, prng: Prng): number {
    const p = this.params;
    if (!p.up || size > p.mtu) return -1;
    const start = now > this.busyUntil ? now : this.busyUntil;
    const done = p.bandwidthBps > 0 ? start + Math.ceil((size * 8 * 1e9) / p.bandwidthBps) : start;
    // A lost packet was still sent: it used the transmitter before the wire lost it.
    this.busyUntil = done;
    if (p.loss > 0 && prng.float() < p.loss) return -1;
    let exit = done + p.latencyNs;
    if (p.jitterNs > 0) exit += prng.int(Math.floor(p.jitterNs) + 1);
    if (exit < this.lastExit) exit = this.lastExit;
    this.lastExit = exit;
    return exit;
  }
}
