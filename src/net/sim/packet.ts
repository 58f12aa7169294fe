/**
 * A packet in flight. It is its own timeout-queue node (one object per packet, no closure): it
 * waits in the queue once for the end of the sender's uplink and once for the end of the
 * receiver's downlink.
 */
import type { TimeoutNode } from '../../kernel/timeout_q.ts';
import type { Endpoint } from '../conn.ts';
import type { SimNode } from './node.ts';

/** TCP flag bits, as in the TCP header (and in `WireSegment.flags`). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;

/** Where packets go when their timeout expires (the network). */
export interface PacketSink {
  onPacketEvent(p: Packet): void;
}

export class Packet implements TimeoutNode {
  at = 0;
  seq = 0;
  idx = -1;
  /** 0: crossing the sender's uplink; 1: crossing the receiver's downlink. */
  stage = 0;
  /** Epoch of the link the packet is on when it entered it (a link that went down since lost it). */
  epoch = 0;
  /** Receiving node, found when the packet reaches the switch. */
  to: SimNode | null = null;

  constructor(
    readonly sink: PacketSink,
    readonly proto: 'tcp' | 'udp',
    readonly from: SimNode,
    readonly src: Endpoint,
    readonly dst: Endpoint,
    /** TCP sequence number (not wrapped: the tap reports it modulo 2^32). */
    readonly seqNo: number,
    readonly ackNo: number,
    readonly flags: number,
    readonly window: number,
    /** MSS option, on SYN segments only (0 otherwise). */
    readonly mss: number,
    readonly payload: Uint8Array,
    /** Bytes on the wire: payload plus IP and transport headers. */
    readonly size: number,
  ) {}

  expire(): void {
    this.sink.onPacketEvent(this);
  }
}

/** Flags as text (`SYN,ACK`), for traces and messages. */
export function flagText(flags: number): string {
  const out: string[] = [];
  if (flags & TCP_SYN) out.push('SYN');
  if (flags & TCP_FIN) out.push('FIN');
  if (flags & TCP_RST) out.push('RST');
  if (flags & TCP_PSH) out.push('PSH');
  if (flags & TCP_ACK) out.push('ACK');
  return out.join(',');
}
