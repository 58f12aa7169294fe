/**
 * Delayable work (`struct k_work_delayable`, Zephyr 3.7's `kernel/work.c`): a work item submitted
 * to its queue when a delay runs out. Built on the plain work API of `work.ts`; the delay is a
 * timeout of the board that scheduled it, and its expiry submits from that board's ISR context.
 */
import type { Kernel } from './kernel.ts';
import { currentKernel } from './sched.ts';
import type { k_timeout_t } from './timeout.ts';
import type { TimeoutNode } from './timeout_q.ts';
import {
  K_WORK_DELAYED, K_WORK_RUNNING, k_work, k_work_busy_get, k_work_cancel, k_work_cancel_sync, k_work_flush, k_work_init,
  k_work_submit_to_queue, k_sys_work_q, k_work_sync, z_work_q_resolve, type k_work_handler_t, type k_work_q,
} from './work.ts';

/** Flag of a k_work that belongs to a k_work_delayable (Zephyr's K_WORK_DELAYABLE). */
const K_WORK_DELAYABLE = 1 << 8;

/** `struct k_work_delayable`. */
export class k_work_delayable {
  readonly work = new k_work();
  /** The queue it is scheduled for. */
  queue: k_work_q | null = null;
  /** @internal board and tick of the pending timeout. */
  kernel: Kernel | null = null;
  /** @internal */
  tick = 0;
  /** @internal */
  readonly timeout: TimeoutNode;
  constructor() {
    const self = this;
    this.work.dwork = this;
    this.timeout = {
      at: 0,
      seq: 0,
      idx: -1,
      expire() {
        const k = self.kernel;
        if (k && !k.halted) k.isr(() => work_timeout(self));
      },
    };
  }
}

/** The delay ran out (ISR context): submit, unless unscheduled meanwhile. */
function work_timeout(dw: k_work_delayable): void {
  if (dw.work.flags & K_WORK_DELAYED) {
    dw.work.flags &= ~K_WORK_DELAYED;
    k_work_submit_to_queue(dw.queue, dw.work);
  }
}

/** `k_work_init_delayable`. */
export function k_work_init_delayable(dwork: k_work_delayable, handler: k_work_handler_t): void {
  k_work_init(dwork.work, handler);
  dwork.work.flags = K_WORK_DELAYABLE;
  dwork.queue = null;
  if (dwork.kernel) dwork.kernel.host.timeouts.remove(dwork.timeout);
}

/** `K_WORK_DELAYABLE_DEFINE(name, handler)`. */
export function K_WORK_DELAYABLE_DEFINE(name: string, handler: k_work_handler_t): k_work_delayable {
  void name;
  const d = new k_work_delayable();
  k_work_init_delayable(d, handler);
  return d;
}

/** `k_work_delayable_from_work`: the delayable a handler's `work` belongs to. */
export function k_work_delayable_from_work(work: k_work): k_work_delayable {
  if (!work.dwork) throw new TypeError('k_work_delayable_from_work: not the work of a k_work_delayable');
  return work.dwork;
}

/** `k_work_delayable_busy_get`: as k_work_busy_get, plus K_WORK_DELAYED while the delay runs. */
export function k_work_delayable_busy_get(dwork: k_work_delayable): number {
  return k_work_busy_get(dwork.work);
}

/** `k_work_delayable_is_pending`: delayed, queued or running. */
export function k_work_delayable_is_pending(dwork: k_work_delayable): boolean {
  return k_work_busy_get(dwork.work) !== 0;
}

/** `k_work_delayable_expires_get`: the tick the delay ends at (the current tick when not delayed). */
export function k_work_delayable_expires_get(dwork: k_work_delayable): number {
  const k = dwork.kernel ?? currentKernel('k_work_delayable_expires_get');
  return dwork.timeout.idx >= 0 ? dwork.tick : k.ticks();
}

/** `k_work_delayable_remaining_get`: ticks until the delay ends, 0 when not delayed. */
export function k_work_delayable_remaining_get(dwork: k_work_delayable): number {
  if (dwork.timeout.idx < 0 || !dwork.kernel) return 0;
  return Math.max(0, dwork.tick - dwork.kernel.ticks());
}

function schedule_for_queue(q: k_work_q | null, dw: k_work_delayable, delay: k_timeout_t, api: string): number {
  if (delay.kind === 1) return k_work_submit_to_queue(q, dw.work);
  if (delay.kind === 0) {
    // Zephyr adds no timeout for K_FOREVER: the item stays "delayed" until rescheduled or cancelled.
    dw.work.flags |= K_WORK_DELAYED;
    dw.queue = q;
    return 1;
  }
  const k = currentKernel(api);
  dw.work.flags |= K_WORK_DELAYED;
  dw.queue = q;
  dw.kernel = k;
  dw.tick = k.expiryTick(delay);
  k.addTimeout(dw.timeout, dw.tick);
  return 1;
}

function unschedule(dw: k_work_delayable): boolean {
  if (!(dw.work.flags & K_WORK_DELAYED)) return false;
  dw.work.flags &= ~K_WORK_DELAYED;
  if (dw.kernel) dw.kernel.host.timeouts.remove(dw.timeout);
  return true;
}

/**
 * `k_work_schedule_for_queue`: submits after `delay` unless already delayed or queued. 1 when
 * scheduled, 0 when it already was; with K_NO_WAIT, the k_work_submit_to_queue codes.
 */
export function k_work_schedule_for_queue(queue: k_work_q, dwork: k_work_delayable, delay: k_timeout_t): number {
  if ((k_work_busy_get(dwork.work) & ~K_WORK_RUNNING) !== 0) return 0;
  return schedule_for_queue(z_work_q_resolve(queue, 'k_work_schedule_for_queue'), dwork, delay, 'k_work_schedule_for_queue');
}

/** `k_work_schedule`: on the system work queue. */
export function k_work_schedule(dwork: k_work_delayable, delay: k_timeout_t): number {
  return k_work_schedule_for_queue(k_sys_work_q, dwork, delay);
}

/** `k_work_reschedule_for_queue`: replaces any pending delay with `delay`. 1, or the submit codes for K_NO_WAIT. */
export function k_work_reschedule_for_queue(queue: k_work_q, dwork: k_work_delayable, delay: k_timeout_t): number {
  unschedule(dwork);
  return schedule_for_queue(z_work_q_resolve(queue, 'k_work_reschedule_for_queue'), dwork, delay, 'k_work_reschedule_for_queue');
}

/** `k_work_reschedule`: on the system work queue. */
export function k_work_reschedule(dwork: k_work_delayable, delay: k_timeout_t): number {
  return k_work_reschedule_for_queue(k_sys_work_q, dwork, delay);
}

/** `k_work_cancel_delayable`: stops the delay and dequeues; returns the busy bits left. */
export function k_work_cancel_delayable(dwork: k_work_delayable): number {
  unschedule(dwork);
  return k_work_cancel(dwork.work);
}

/** `k_work_cancel_delayable_sync`: cancels and waits for a running handler. True if it was busy. */
export async function k_work_cancel_delayable_sync(dwork: k_work_delayable, sync: k_work_sync = new k_work_sync()): Promise<boolean> {
  const pending = k_work_busy_get(dwork.work) !== 0;
  if (pending) {
    unschedule(dwork);
    // Once the delay is stopped, what is left is plain work: queued or running.
    await k_work_cancel_sync(dwork.work, sync);
  }
  return pending;
}

/** `k_work_flush_delayable`: submits a delayed item at once and waits for it. True if it had to wait. */
export function k_work_flush_delayable(dwork: k_work_delayable, sync: k_work_sync = new k_work_sync()): Promise<boolean> {
  if (k_work_busy_get(dwork.work) === 0) return Promise.resolve(false);
  if (unschedule(dwork)) k_work_submit_to_queue(dwork.queue, dwork.work);
  return k_work_flush(dwork.work, sync);
}
