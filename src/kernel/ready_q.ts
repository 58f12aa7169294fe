/**
 * One board's run queue: its ready threads by priority (lowest number first), FIFO within a
 * priority, as Zephyr's dumb (dlist) scheduler keeps them; the same intrusive list as a wait
 * queue, since a ready thread is on no wait queue.
 */
import { WaitQ, type k_thread } from './thread.ts';

export class ReadyQueue extends WaitQ {
  get size(): number {
    return this.length;
  }

  /** Removes and returns the highest-priority thread. */
  pop(): k_thread | undefined {
    const t = this.first();
    if (t !== undefined) this.remove(t);
    return t;
  }

  /** The priority of the best ready thread, or +Infinity. */
  bestPrio(): number {
    return this.first()?.prio ?? Infinity;
  }

  threads(): k_thread[] {
    return this.toArray();
  }
}
