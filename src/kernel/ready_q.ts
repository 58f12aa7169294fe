/**
 * One board's run queue: threads ordered by priority (lowest number first), FIFO within a
 * priority, as Zephyr's dumb (dlist) scheduler keeps them. The list runs through the threads'
 * `rq*` fields: a board has a handful of threads, and thousands of boards share a process, so a
 * queue must cost nothing while it is empty.
 */
import type { k_thread } from './thread.ts';

export class ReadyQueue {
  private head: k_thread | null = null;
  private tail: k_thread | null = null;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Queues `t` behind the threads of its priority (or in front of them, for a preempted thread). */
  add(t: k_thread, front = false): void {
    if (t.rqIn) return;
    t.rqIn = true;
    this.count++;
    let after = this.tail;
    if (front) while (after !== null && after.prio >= t.prio) after = after.rqPrev;
    else while (after !== null && after.prio > t.prio) after = after.rqPrev;
    t.rqPrev = after;
    if (after === null) {
      t.rqNext = this.head;
      this.head = t;
    } else {
      t.rqNext = after.rqNext;
      after.rqNext = t;
    }
    if (t.rqNext === null) this.tail = t;
    else t.rqNext.rqPrev = t;
  }

  remove(t: k_thread): boolean {
    if (!t.rqIn) return false;
    if (t.rqPrev === null) this.head = t.rqNext;
    else t.rqPrev.rqNext = t.rqNext;
    if (t.rqNext === null) this.tail = t.rqPrev;
    else t.rqNext.rqPrev = t.rqPrev;
    t.rqIn = false;
    t.rqNext = null;
    t.rqPrev = null;
    this.count--;
    return true;
  }

  /** Removes and returns the highest-priority thread. */
  pop(): k_thread | undefined {
    const t = this.head;
    if (t === null) return undefined;
    this.remove(t);
    return t;
  }

  /** The priority of the best ready thread, or +Infinity. */
  bestPrio(): number {
    return this.head === null ? Infinity : this.head.prio;
  }

  threads(): k_thread[] {
    const out: k_thread[] = [];
    for (let t = this.head; t !== null; t = t.rqNext) out.push(t);
    return out;
  }
}
