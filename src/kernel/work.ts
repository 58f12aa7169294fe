/**
 * Work items and work queues, and the system work queue (Zephyr 3.7's `kernel/work.c`, "second
 * generation" API, and `kernel/system_work_q.c`); delayable work is in `work_delayable.ts`.
 * Return codes and state flags follow Zephyr exactly.
 *
 * Handlers run in the queue's thread and may be async (they may block). Queue threads are kernel
 * helpers (`system`): a board whose app threads have all exited still finishes.
 *
 * `k_sys_work_q` is one object shared by every board of the process; calls resolve it to the
 * calling board's own system work queue, a `sysworkq` thread at `CONFIG_SYSTEM_WORKQUEUE_PRIORITY`
 * that, as in Zephyr, every board starts at boot once this module is loaded (a boot hook).
 *
 * C finds its own struct from a `struct k_work *` with CONTAINER_OF; in zsim, subclass `k_work`
 * (or keep a Map) and cast the handler's argument.
 */
import { registerBootHook } from './boot_hooks.ts';
import { cpu } from './cpu.ts';
import type { Kernel } from './kernel.ts';
import { currentKernel, resolved, z_pend_curr, z_unpend_all, z_unpend_first_thread } from './sched.ts';
import { k_sem, k_sem_give, k_sem_init, k_sem_take } from './sem.ts';
import { k_thread, WaitQ, type k_thread_stack_t } from './thread.ts';
import { K_ESSENTIAL, k_thread_create, k_thread_name_set, k_thread_start, k_yield } from './thread_api.ts';
import { K_FOREVER } from './timeout.ts';
import type { k_work_delayable } from './work_delayable.ts';
import { EALREADY, EBUSY, EINVAL, ENODEV } from '../libc/errno.ts';

/** Busy state: the handler is running. */
export const K_WORK_RUNNING = 1 << 0;
/** Busy state: being cancelled; submissions fail with -EBUSY until the handler returns. */
export const K_WORK_CANCELING = 1 << 1;
/** Busy state: waiting in a queue. */
export const K_WORK_QUEUED = 1 << 2;
/** Busy state: a delayable whose delay is running. */
export const K_WORK_DELAYED = 1 << 3;
/** Busy state: internal flush marker. */
export const K_WORK_FLUSHING = 1 << 4;
const K_WORK_MASK = 0x1f;

const Q_STARTED = 1 << 0;
const Q_BUSY = 1 << 1;
const Q_DRAIN = 1 << 2;
const Q_PLUGGED = 1 << 3;
const Q_NO_YIELD = 1 << 8;

/** `k_work_handler_t`: runs in the work queue thread; may be async. */
export type k_work_handler_t = (work: k_work) => void | Promise<void>;

/** `struct k_work`. */
export class k_work {
  handler: k_work_handler_t | null = null;
  /** The queue it was last submitted to. */
  queue: k_work_q | null = null;
  /** @internal K_WORK_* state bits. */
  flags = 0;
  /** @internal the delayable it belongs to (C's CONTAINER_OF). */
  dwork: k_work_delayable | null = null;
  /** @internal k_work_cancel_sync callers waiting for the handler to return. */
  cancellers: k_sem[] = [];
  /** @internal for a flush marker: the semaphore its flusher waits on. */
  flushSem: k_sem | null = null;
}

/** `struct k_work_sync`: scratch state for the *_sync calls (C puts it on the caller's stack). */
export class k_work_sync {
  /** @internal */
  readonly sem = new k_sem();
}

/** `struct k_work_queue_config`. */
export interface k_work_queue_config {
  name?: string;
  no_yield?: boolean;
  essential?: boolean;
}

/** `struct k_work_q`. */
export class k_work_q {
  readonly kind = 'k_work_q';
  name?: string;
  /** The queue's thread, once started. */
  readonly thread = new k_thread();
  thread_id: k_thread | null = null;
  /** @internal */
  flags = 0;
  /** @internal work waiting to run, in order. */
  pending: k_work[] = [];
  /** @internal the queue thread waiting for work */
  readonly notifyq = new WaitQ();
  /** @internal threads in k_work_queue_drain */
  readonly drainq = new WaitQ();
}

/** `k_sys_work_q`: stands for the calling board's system work queue. */
export const k_sys_work_q = new k_work_q();
k_sys_work_q.name = 'sysworkq';

/**
 * The board's real system work queue. The boot hook below starts it at boot; starting it on first
 * use as well covers a board booted before this module was loaded.
 */
function sysWorkQ(k: Kernel): k_work_q {
  let q = k.subsys.get('k_work.sysworkq') as k_work_q | undefined;
  if (!q) {
    q = new k_work_q();
    q.name = 'sysworkq';
    k.subsys.set('k_work.sysworkq', q);
    const size = k.cfgInt('SYSTEM_WORKQUEUE_STACK_SIZE');
    const cfg = { name: 'sysworkq', no_yield: k.enabled('SYSTEM_WORKQUEUE_NO_YIELD') };
    k_work_queue_start(q, null, size, k.cfgInt('SYSTEM_WORKQUEUE_PRIORITY'), cfg);
  }
  return q;
}

// Zephyr's SYS_INIT(k_sys_work_q_init, POST_KERNEL, ...): every board gets its queue at boot, so
// its sysworkq thread exists (k_thread_foreach, traces) before anything is submitted.
registerBootHook('k_work.sysworkq', (k) => void sysWorkQ(k));

function resolveQ(q: k_work_q | null, api: string): k_work_q | null {
  return q === k_sys_work_q ? sysWorkQ(currentKernel(api)) : q;
}

/**
 * @internal `queue`, or for `k_sys_work_q` the calling board's own system work queue (for
 * `work_delayable.ts`, which must remember the real queue a delayable is scheduled for).
 */
export function z_work_q_resolve(queue: k_work_q | null, api: string): k_work_q | null {
  return resolveQ(queue, api);
}

/** `k_work_init`. */
export function k_work_init(work: k_work, handler: k_work_handler_t): void {
  work.handler = handler;
  work.queue = null;
  work.flags = 0;
  work.cancellers = [];
}

/** `K_WORK_DEFINE(name, handler)`. */
export function K_WORK_DEFINE(name: string, handler: k_work_handler_t): k_work {
  void name;
  const w = new k_work();
  k_work_init(w, handler);
  return w;
}

/** `k_work_busy_get`: K_WORK_RUNNING / CANCELING / QUEUED / DELAYED bits, 0 when idle. */
export function k_work_busy_get(work: k_work): number {
  return work.flags & K_WORK_MASK;
}

/** `k_work_is_pending`: queued or running. */
export function k_work_is_pending(work: k_work): boolean {
  return k_work_busy_get(work) !== 0;
}

function notify(q: k_work_q | null): void {
  if (q) z_unpend_first_thread(q.notifyq, 0);
}

/** `queue_submit_locked`: 1, or -EINVAL (no queue), -ENODEV (not started), -EBUSY (draining, plugged). */
function queue_submit(q: k_work_q | null, work: k_work): number {
  if (q === null) return -EINVAL;
  const chained = cpu.current !== null && cpu.current === q.thread_id;
  const draining = (q.flags & Q_DRAIN) !== 0;
  if (!(q.flags & Q_STARTED)) return -ENODEV;
  if (draining && !chained) return -EBUSY;
  if (q.flags & Q_PLUGGED && !draining) return -EBUSY;
  q.pending.push(work);
  notify(q);
  return 1;
}

/** `submit_to_queue_locked`: 0 already queued, 1 queued, 2 re-queued to the queue running it, or an error. */
function submit_to_queue(work: k_work, q: k_work_q | null): number {
  if (work.flags & K_WORK_CANCELING) return -EBUSY;
  if (work.flags & K_WORK_QUEUED) return 0;
  let ret = 1;
  if (q === null) q = work.queue;
  // A running item goes back to its own queue, so its handler never runs twice at once.
  if (work.flags & K_WORK_RUNNING) {
    q = work.queue;
    ret = 2;
  }
  const rc = queue_submit(q, work);
  if (rc < 0) return rc;
  work.flags |= K_WORK_QUEUED;
  work.queue = q;
  return ret;
}

/**
 * `k_work_submit_to_queue`: 0 if already queued, 1 if queued, 2 if it was running and was queued
 * again to the queue running it; -EBUSY while being cancelled or when the queue is draining or
 * plugged, -EINVAL without a queue, -ENODEV when the queue was not started.
 */
export function k_work_submit_to_queue(queue: k_work_q | null, work: k_work): number {
  return submit_to_queue(work, resolveQ(queue, 'k_work_submit_to_queue'));
}

/** `k_work_submit`: `k_work_submit_to_queue(&k_sys_work_q, work)`. */
export function k_work_submit(work: k_work): number {
  return k_work_submit_to_queue(k_sys_work_q, work);
}

/** Queues a flush marker right behind `work` (or first, if it is running) and waits for it. */
async function flushAndWait(work: k_work, sync: k_work_sync): Promise<boolean> {
  if (!(work.flags & (K_WORK_QUEUED | K_WORK_RUNNING))) return false;
  const q = work.queue!;
  const marker = new k_work();
  k_work_init(marker, () => undefined);
  marker.flags = K_WORK_FLUSHING;
  k_sem_init(sync.sem, 0, 1);
  marker.flushSem = sync.sem;
  const i = work.flags & K_WORK_QUEUED ? q.pending.indexOf(work) + 1 : 0;
  q.pending.splice(i, 0, marker);
  notify(q);
  await k_sem_take(sync.sem, K_FOREVER);
  return true;
}

/** `k_work_flush`: waits until `work` is neither queued nor running. True if it had to wait. */
export function k_work_flush(work: k_work, sync: k_work_sync = new k_work_sync()): Promise<boolean> {
  return flushAndWait(work, sync);
}

/** `cancel_async_locked`: dequeues `work`; if still running, marks it cancelling. Returns busy bits. */
function cancel_async(work: k_work): number {
  if (!(work.flags & K_WORK_CANCELING) && work.flags & K_WORK_QUEUED) {
    work.flags &= ~K_WORK_QUEUED;
    const q = work.queue!;
    const i = q.pending.indexOf(work);
    if (i >= 0) q.pending.splice(i, 1);
  }
  if (k_work_busy_get(work) !== 0) work.flags |= K_WORK_CANCELING;
  return k_work_busy_get(work);
}

/** `k_work_cancel`: removes `work` from its queue; returns the busy bits left (0: fully cancelled). */
export function k_work_cancel(work: k_work): number {
  return cancel_async(work);
}

async function waitCancel(work: k_work, sync: k_work_sync): Promise<void> {
  if (!(work.flags & K_WORK_CANCELING)) return;
  k_sem_init(sync.sem, 0, 1);
  work.cancellers.push(sync.sem);
  await k_sem_take(sync.sem, K_FOREVER);
}

/** `k_work_cancel_sync`: cancels and waits for a running handler to return. True if it was busy. */
export async function k_work_cancel_sync(work: k_work, sync: k_work_sync = new k_work_sync()): Promise<boolean> {
  const pending = k_work_busy_get(work) !== 0;
  if (pending) {
    cancel_async(work);
    await waitCancel(work, sync);
  }
  return pending;
}

// ---- work queues ----

/** The loop of a work queue thread (`work_queue_main`). */
async function work_queue_main(p1: unknown): Promise<void> {
  const q = p1 as k_work_q;
  for (;;) {
    const work = q.pending.shift();
    if (work === undefined) {
      if (q.flags & Q_DRAIN) {
        // Drained: release the drainers; plugging (if asked) stays until k_work_queue_unplug.
        q.flags &= ~Q_DRAIN;
        z_unpend_all(q.drainq, 1);
      }
      await z_pend_curr(q.notifyq, q, K_FOREVER, 'k_work_queue');
      continue;
    }
    q.flags |= Q_BUSY;
    work.flags = (work.flags | K_WORK_RUNNING) & ~K_WORK_QUEUED;
    const r = work.handler!(work);
    if (r) await r;
    work.flags &= ~K_WORK_RUNNING;
    if (work.flags & K_WORK_FLUSHING) {
      work.flags &= ~K_WORK_FLUSHING;
      k_sem_give(work.flushSem!);
    }
    if (work.flags & K_WORK_CANCELING) {
      work.flags &= ~K_WORK_CANCELING;
      for (const s of work.cancellers.splice(0)) k_sem_give(s);
    }
    q.flags &= ~Q_BUSY;
    // Unless configured otherwise, let other threads of the same priority run between items.
    if (!(q.flags & Q_NO_YIELD) && q.pending.length > 0) await k_yield();
  }
}

/** `k_work_queue_init`. */
export function k_work_queue_init(queue: k_work_q): void {
  queue.flags = 0;
  queue.pending = [];
}

/**
 * `k_work_queue_start`: starts the queue's thread at `prio`. `cfg.name` names the thread,
 * `cfg.no_yield` keeps it from yielding between items, `cfg.essential` makes it K_ESSENTIAL.
 */
export function k_work_queue_start(queue: k_work_q, stack: k_thread_stack_t | null, stack_size: number, prio: number, cfg?: k_work_queue_config | null): void {
  queue.pending = [];
  queue.flags = Q_STARTED | (cfg?.no_yield ? Q_NO_YIELD : 0);
  const t = queue.thread;
  k_thread_create(t, stack, stack_size, work_queue_main, queue, null, null, prio, 0, K_FOREVER);
  t.system = true;
  if (cfg?.name) {
    k_thread_name_set(t, cfg.name);
    queue.name ??= cfg.name;
  }
  if (cfg?.essential) t.options |= K_ESSENTIAL;
  k_thread_start(t);
  queue.thread_id = t;
}

/** `k_work_queue_thread_get`. */
export function k_work_queue_thread_get(queue: k_work_q): k_thread | null {
  return resolveQ(queue, 'k_work_queue_thread_get')!.thread_id;
}

/**
 * `k_work_queue_drain`: waits until the queue is empty and idle; meanwhile only the queue's own
 * handlers may submit to it. With `plug`, submissions stay refused until k_work_queue_unplug.
 * Resolves to 0 if there was nothing to wait for, 1 after waiting.
 */
export function k_work_queue_drain(queue: k_work_q, plug: boolean): Promise<number> {
  const q = resolveQ(queue, 'k_work_queue_drain')!;
  if (!(q.flags & (Q_BUSY | Q_DRAIN)) && !plug && q.pending.length === 0) return resolved(0);
  q.flags |= Q_DRAIN | (plug ? Q_PLUGGED : 0);
  notify(q);
  return z_pend_curr(q.drainq, q, K_FOREVER, 'k_work_queue_drain');
}

/** `k_work_queue_unplug`: 0, or -EALREADY when not plugged. */
export function k_work_queue_unplug(queue: k_work_q): number {
  const q = resolveQ(queue, 'k_work_queue_unplug')!;
  if (!(q.flags & Q_PLUGGED)) return -EALREADY;
  q.flags &= ~Q_PLUGGED;
  return 0;
}
