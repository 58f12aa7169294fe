/**
 * Out-of-order segments held by a TCP receiver until the gap before them is filled (Zephyr's
 * receive queue, `CONFIG_NET_TCP_RECV_QUEUE_TIMEOUT`). Links never reorder, so segments only
 * arrive out of order after a loss; holding them lets one retransmission fill the gap.
 */
interface Held {
  seq: number;
  data: Uint8Array;
}

export class Reassembly {
  private held: Held[] = [];

  get empty(): boolean {
    return this.held.length === 0;
  }

  /** Keeps `data` (starting at sequence number `seq`), sorted; overlaps are resolved on the way out. */
  add(seq: number, data: Uint8Array): void {
    if (data.length === 0) return;
    const h = this.held;
    let i = h.length;
    while (i > 0 && h[i - 1]!.seq > seq) i--;
    if (i > 0 && h[i - 1]!.seq === seq && h[i - 1]!.data.length >= data.length) return;
    h.splice(i, 0, { seq, data });
  }

  /**
   * Takes the held bytes that continue the stream at `next`, in order; stale ones are discarded.
   * Returns the chunks to deliver (possibly none).
   */
  take(next: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    const h = this.held;
    let k = 0;
    while (k < h.length && h[k]!.seq <= next) {
      const { seq, data } = h[k++]!;
      const end = seq + data.length;
      if (end <= next) continue;
      const part = data.subarray(next - seq);
      out.push(part);
      next = end;
    }
    if (k > 0) h.splice(0, k);
    return out;
  }

  clear(): void {
    this.held = [];
  }
}
