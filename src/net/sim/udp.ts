/**
 * A bound UDP endpoint. Datagrams cross the same links as TCP (loss, latency, MTU); a datagram
 * larger than the sender's link MTU fails at once with -EMSGSIZE (no IP fragmentation, as Zephyr
 * without `CONFIG_NET_IPV4_FRAGMENT`), one larger than the receiver's link MTU is dropped there.
 * A datagram to an address no node has is dropped after the ARP timeout, and `onError` then
 * reports -EHOSTUNREACH. One to a port nobody bound is dropped silently (no ICMP).
 */
import { EAFNOSUPPORT, EBADF, EINVAL, EMSGSIZE, ENETUNREACH } from '../../libc/errno.ts';
import type { DatagramConn, DatagramEvents, Endpoint } from '../conn.ts';
import { canonicalAddr, endpoint, familyOf, headerBytes, isWildcard } from './addr.ts';
import type { Packet } from './packet.ts';

/** What a UDP endpoint needs from its node. */
export interface UdpHost {
  /** The node's first address of `family`, or null. */
  sourceAddr(family: 4 | 6): string | null;
  /** Largest IP packet the node's own link takes. */
  mtu(): number;
  /** Sends a datagram; false when no node has the destination address (after the ARP wait). */
  sendUdp(u: SimUdpConn, src: Endpoint, dst: Endpoint, payload: Uint8Array): void;
  unbindUdp(u: SimUdpConn): void;
}

export class SimUdpConn implements DatagramConn {
  private closed = false;

  constructor(
    private readonly node: UdpHost,
    readonly local: Endpoint,
    private readonly ev: DatagramEvents,
  ) {}

  send(data: Uint8Array, to: Endpoint): number {
    if (this.closed) return -EBADF;
    const daddr = canonicalAddr(to.addr);
    if (!daddr || familyOf(daddr) !== to.family || !(to.port > 0 && to.port <= 65535)) return -EINVAL;
    if (to.family !== this.local.family) return -EAFNOSUPPORT;
    if (data.length + headerBytes(to.family, 'udp') > this.node.mtu()) return -EMSGSIZE;
    const saddr = isWildcard(this.local.addr) ? this.node.sourceAddr(to.family) : this.local.addr;
    if (saddr === null) return -ENETUNREACH;
    this.node.sendUdp(this, endpoint(saddr, this.local.port), endpoint(daddr, to.port), data.slice());
    return 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.node.unbindUdp(this);
  }

  /** @internal a datagram arrived for this endpoint. */
  deliver(p: Packet): void {
    if (!this.closed) this.ev.onDatagram(p.payload, endpoint(p.src.addr, p.src.port));
  }

  /** @internal an asynchronous failure (an unreachable destination). */
  error(err: number): void {
    if (!this.closed) this.ev.onError(err);
  }
}
