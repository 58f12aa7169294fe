/**
 * `struct k_thread` and the wait queue every blocking object is built on.
 */
import type { Kernel } from './kernel.ts';
import type { k_heap } from './kheap.ts';
import type { TimeoutNode } from './timeout_q.ts';

/** Thread states (Zephyr's `_THREAD_*` bits, reduced to the ones a simulator needs). */
export const THREAD_NEW = 0;
export const THREAD_READY = 1;
export const THREAD_RUNNING = 2;
export const THREAD_PENDING = 3;
export const THREAD_SLEEPING = 4;
export const THREAD_SUSPENDED = 5;
export const THREAD_DEAD = 6;
/** In `k_busy_wait`: holds its CPU while time passes. */
export const THREAD_BUSY = 7;

const STATE_NAMES = ['prestart', 'queued', 'running', 'pending', 'sleeping', 'suspended', 'dead', 'busy'];

/** Entry point of a thread: `void (*k_thread_entry_t)(void *p1, void *p2, void *p3)`, maybe async. */
export type k_thread_entry_t = (p1: unknown, p2: unknown, p3: unknown) => void | Promise<void>;

/** What a pending thread waits on, for the deadlock report. */
export interface WaitTarget {
  /** e.g. "k_sem", "k_mutex". */
  readonly kind: string;
  /** Set by the K_*_DEFINE macros or by the app. */
  name?: string;
}

/** A thread stack (`K_THREAD_STACK_DEFINE`): zsim runs threads on the JS stack, but the size counts. */
export class k_thread_stack_t {
  constructor(readonly size: number, readonly name = '') {}
}

/** `struct k_thread`. Allocate with `new k_thread()` and start it with `k_thread_create`. */
export class k_thread implements WaitTarget, TimeoutNode {
  readonly kind = 'k_thread';
  /**
   * The thread's name, as `k_thread_name_get` returns it: only ever set with `CONFIG_THREAD_NAME`
   * (Zephyr has no name field without it). Empty when unnamed.
   */
  name = '';
  /**
   * @internal the name zsim's own diagnostics (deadlock report, traces) show: set by every naming
   * path (`K_THREAD_DEFINE`, `k_thread_name_set`, the main and work queue threads) whether or not
   * `CONFIG_THREAD_NAME` is enabled, since those reports should identify threads either way.
   * Empty when the thread was never named; callers then fall back to its address.
   */
  dbgName = '';
  /** Set when the thread is created. */
  kernel!: Kernel;
  /** Current priority (may be raised by mutex priority inheritance). */
  prio = 0;
  /** Priority set by the app. */
  base_prio = 0;
  state = THREAD_NEW;
  options = 0;
  stack_size = 0;
  entry: k_thread_entry_t | null = null;
  p1: unknown;
  p2: unknown;
  p3: unknown;
  /** Per-thread `errno`, as Zephyr keeps it in the thread struct. */
  errno = 0;
  custom_data: unknown;
  /** A kernel-owned helper thread (system work queue): not counted as the app's. */
  system = false;
  /**
   * `resource_pool`: the heap kernel calls allocate from on the thread's behalf (`z_thread_malloc`),
   * set by `k_thread_heap_assign` and inherited from the creating thread by `k_thread_create`.
   * `undefined` when never assigned, which zsim treats as the system heap (see `z_thread_malloc`);
   * `null` is an explicit "no pool".
   */
  resource_pool: k_heap | null | undefined = undefined;

  /** @internal value handed to the thread when it is switched back in. */
  retval = 0;
  /** @internal extra data handed over by the waker (queue item, message...). */
  swapData: unknown;
  /** @internal resolves the promise the thread is suspended on. */
  resume: (v: number) => void = noop;
  /** @internal the wait queue it pends on. */
  pendQ: WaitQ | null = null;
  /** @internal what it waits on, for reports. */
  waitTarget: WaitTarget | null = null;
  /** @internal timeout of the current wait, or of the start delay: the thread itself. */
  readonly tnode: TimeoutNode = this;
  /** @internal the thread as its own timeout node (no object or closure of its own per thread). */
  at = 0;
  /** @internal */
  seq = 0;
  /** @internal */
  idx = -1;
  /** @internal absolute tick at which the current timed wait expires. */
  wakeTick = 0;
  /** @internal threads in k_thread_join on this one. */
  get joinQ(): WaitQ {
    return (this.joinWaiters ??= new WaitQ());
  }
  /** @internal the queue behind `joinQ`, made by the first `k_thread_join` (most threads never see one). */
  joinWaiters: WaitQ | null = null;
  /** @internal mutexes held, for priority inheritance. */
  heldMutexes = 0;
  /** @internal k_sched_lock nesting. */
  schedLocked = 0;
  /** @internal was suspended while pending/sleeping. */
  suspendedFrom = 0;
  /** @internal the queue it is on (a wait queue, or its board's run queue), and its neighbours there. */
  q: WaitQ | null = null;
  qNext: k_thread | null = null;
  qPrev: k_thread | null = null;

  /** @internal the timeout of its wait or delay ran out. */
  expire(): void {
    this.kernel.onThreadTimeout(this);
  }

  /** `k_thread_state_str`. */
  get stateName(): string {
    return STATE_NAMES[this.state] ?? 'unknown';
  }
}

/** `k_tid_t`. */
export type k_tid_t = k_thread;

function noop(): void {}

/**
 * `_wait_q_t`: threads ordered by priority, first-come first-served within a priority.
 *
 * An intrusive list through the threads' `q*` fields, as Zephyr's dlist through
 * `k_thread.base.qnode_dlist`: a thread is on one queue at a time (a wait queue while it pends,
 * its board's run queue while it is ready), and an empty queue costs no array (a fleet has
 * thousands of boards, each with a handful of mostly empty queues).
 */
export class WaitQ {
  private head: k_thread | null = null;
  private tail: k_thread | null = null;
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** Queues `t` behind the threads of its priority, or with `front` in front of them. */
  add(t: k_thread, front = false): void {
    if (t.q === this) return;
    if (t.q !== null) throw new Error(`zsim: thread ${t.dbgName || '?'} is already on another queue`);
    t.q = this;
    this.count++;
    let after = this.tail;
    if (front) while (after !== null && after.prio >= t.prio) after = after.qPrev;
    else while (after !== null && after.prio > t.prio) after = after.qPrev;
    t.qPrev = after;
    if (after === null) {
      t.qNext = this.head;
      this.head = t;
    } else {
      t.qNext = after.qNext;
      after.qNext = t;
    }
    if (t.qNext === null) this.tail = t;
    else t.qNext.qPrev = t;
  }

  /** Takes `t` off this queue; false when it was not on it. */
  remove(t: k_thread): boolean {
    if (t.q !== this) return false;
    if (t.qPrev === null) this.head = t.qNext;
    else t.qPrev.qNext = t.qNext;
    if (t.qNext === null) this.tail = t.qPrev;
    else t.qNext.qPrev = t.qPrev;
    t.q = null;
    t.qNext = null;
    t.qPrev = null;
    this.count--;
    return true;
  }

  first(): k_thread | undefined {
    return this.head ?? undefined;
  }

  /** Whether `t` is on this queue. */
  has(t: k_thread): boolean {
    return t.q === this;
  }

  /** The threads, first one first (a copy: waking them does not disturb the walk). */
  toArray(): k_thread[] {
    const out: k_thread[] = [];
    for (let t = this.head; t !== null; t = t.qNext) out.push(t);
    return out;
  }

  /** Re-sorts after a thread's priority changed. */
  reposition(t: k_thread): void {
    if (this.remove(t)) this.add(t);
  }
}
