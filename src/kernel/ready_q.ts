/**
 * One board's run queue: a FIFO per priority, highest priority (lowest number) first.
 */
import type { k_thread } from './thread.ts';

export class ReadyQueue {
  private readonly buckets: k_thread[][] = [];
  private count = 0;

  /** @param lowest the lowest priority number accepted (-CONFIG_NUM_COOP_PRIORITIES). */
  constructor(private readonly lowest: number) {}

  get size(): number {
    return this.count;
  }

  private bucket(prio: number): k_thread[] {
    const i = prio - this.lowest;
    let b = this.buckets[i];
    if (!b) {
      for (let j = this.buckets.length; j <= i; j++) this.buckets[j] = [];
      b = this.buckets[i]!;
    }
    return b;
  }

  /** Queues `t` behind the threads of its priority (or in front of them, for a preempted thread). */
  add(t: k_thread, front = false): void {
    const b = this.bucket(t.prio);
    if (front) b.unshift(t);
    else b.push(t);
    this.count++;
  }

  remove(t: k_thread): boolean {
    const b = this.buckets[t.prio - this.lowest];
    if (!b) return false;
    const i = b.indexOf(t);
    if (i < 0) return false;
    b.splice(i, 1);
    this.count--;
    return true;
  }

  /** Removes and returns the highest-priority thread. */
  pop(): k_thread | undefined {
    if (this.count === 0) return undefined;
    for (const b of this.buckets) {
      if (b.length > 0) {
        this.count--;
        return b.shift();
      }
    }
    return undefined;
  }

  /** The priority of the best ready thread, or +Infinity. */
  bestPrio(): number {
    if (this.count === 0) return Infinity;
    for (let i = 0; i < this.buckets.length; i++) if (this.buckets[i]!.length > 0) return i + this.lowest;
    return Infinity;
  }

  threads(): k_thread[] {
    return this.buckets.flat();
  }
}
