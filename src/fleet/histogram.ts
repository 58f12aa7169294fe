/**
 * A latency histogram that can be written to a report and merged with other shards' reports:
 * exact below 128 us, then 64 buckets per power of two (at most 1.6% wide), so p50/p99 of a
 * merged fleet are as good as those of one run. Sparse: only non-empty buckets are kept.
 */

const SUB_BITS = 6;
const EXACT = 2 << SUB_BITS;

/** Lower bound of the bucket holding `v` (integer microseconds, >= 0). */
export function bucketOf(v: number): number {
  if (v < EXACT) return v;
  const shift = Math.floor(Math.log2(v)) - SUB_BITS;
  return Math.floor(v / 2 ** shift) * 2 ** shift;
}

/** Width of the bucket starting at `lower`. */
function widthOf(lower: number): number {
  return lower < EXACT ? 1 : 2 ** (Math.floor(Math.log2(lower)) - SUB_BITS);
}

export class Histogram {
  private readonly counts = new Map<number, number>();
  count = 0;
  max = 0;

  /** Records one value, in microseconds. */
  add(us: number): void {
    const v = Math.max(0, Math.round(us));
    const b = bucketOf(v);
    this.counts.set(b, (this.counts.get(b) ?? 0) + 1);
    this.count++;
    if (v > this.max) this.max = v;
  }

  /** Adds another histogram's buckets (a merge of shard reports). */
  merge(buckets: readonly (readonly [number, number])[], max: number): void {
    for (const [b, n] of buckets) {
      this.counts.set(b, (this.counts.get(b) ?? 0) + n);
      this.count += n;
    }
    if (max > this.max) this.max = max;
  }

  /** The value below which `q` (0..1) of the values lie: the middle of that bucket, in us. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (const b of [...this.counts.keys()].sort((x, y) => x - y)) {
      seen += this.counts.get(b)!;
      if (seen >= rank) return Math.min(this.max, b + Math.floor(widthOf(b) / 2));
    }
    return this.max;
  }

  /** Non-empty buckets as `[lower bound us, count]`, ascending. */
  buckets(): [number, number][] {
    return [...this.counts.entries()].sort((a, b) => a[0] - b[0]);
  }
}
