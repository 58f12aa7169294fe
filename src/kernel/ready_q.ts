/**
 * One board's run queue: a FIFO per priority, highest priority (lowest number) first. A bitmap of
 * non-empty priorities finds the best one with `Math.clz32`, as Zephyr's multiq does.
 */
import type { k_thread } from './thread.ts';

export class ReadyQueue {
  private readonly buckets: k_thread[][] = [];
  /** Bit i of word w set when bucket 32*w+i is non-empty. */
  private readonly bitmap: number[] = [];
  private count = 0;

  /** @param lowest the lowest priority number accepted (-CONFIG_NUM_COOP_PRIORITIES). */
  constructor(private readonly lowest: number) {}

  get size(): number {
    return this.count;
  }

  /** Queues `t` behind the threads of its priority (or in front of them, for a preempted thread). */
  add(t: k_thread, front = false): void {
    const i = t.prio - this.lowest;
    let b = this.buckets[i];
    if (b === undefined) {
      for (let j = this.buckets.length; j <= i; j++) this.buckets[j] = [];
      for (let w = this.bitmap.length; w <= i >> 5; w++) this.bitmap[w] = 0;
      b = this.buckets[i]!;
    }
    if (front) b.unshift(t);
    else b.push(t);
    this.bitmap[i >> 5]! |= 1 << (i & 31);
    this.count++;
  }

  remove(t: k_thread): boolean {
    const i = t.prio - this.lowest;
    const b = this.buckets[i];
    if (b === undefined || b.length === 0) return false;
    const at = b.indexOf(t);
    if (at < 0) return false;
    b.splice(at, 1);
    if (b.length === 0) this.bitmap[i >> 5]! &= ~(1 << (i & 31));
    this.count--;
    return true;
  }

  private bestIndex(): number {
    const bm = this.bitmap;
    for (let w = 0; w < bm.length; w++) {
      const word = bm[w]!;
      if (word !== 0) return (w << 5) + (31 - Math.clz32(word & -word));
    }
    return -1;
  }

  /** Removes and returns the highest-priority thread. */
  pop(): k_thread | undefined {
    if (this.count === 0) return undefined;
    const i = this.bestIndex();
    const b = this.buckets[i]!;
    const t = b.shift();
    if (b.length === 0) this.bitmap[i >> 5]! &= ~(1 << (i & 31));
    this.count--;
    return t;
  }

  /** The priority of the best ready thread, or +Infinity. */
  bestPrio(): number {
    return this.count === 0 ? Infinity : this.bestIndex() + this.lowest;
  }

  threads(): k_thread[] {
    return this.buckets.flat();
  }
}
