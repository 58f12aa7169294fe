/**
 * The blocking primitives every kernel object is built from (Zephyr's `z_pend_curr`,
 * `z_unpend_first_thread`, `z_reschedule`), expressed over `cpu.ts`'s dispatcher.
 */
import { cpu, z_swap } from './cpu.ts';
import { ThreadUnwind, type Kernel } from './kernel.ts';
import { THREAD_PENDING, THREAD_READY, type k_thread, type WaitQ, type WaitTarget } from './thread.ts';
import type { k_timeout_t } from './timeout.ts';
import { EAGAIN } from '../libc/errno.ts';

const RESOLVED: Promise<number>[] = [];
/** A settled promise of a small integer result, shared to keep fast paths allocation-free. */
export function resolved(v: number): Promise<number> {
  if (v >= -200 && v <= 200) {
    const i = v + 200;
    return (RESOLVED[i] ??= Promise.resolve(v));
  }
  return Promise.resolve(v);
}

/** The running thread; blocking calls from ISR context or outside a board are errors. */
export function requireThread(api: string): k_thread {
  const t = cpu.current;
  if (t === null) {
    if (cpu.kernel) throw new Error(`${api}() called from ISR context: it may block, which an ISR must not do`);
    throw new Error(`${api}() called outside a zsim thread (no board is running)`);
  }
  if (t.kernel.halted) throw new ThreadUnwind(t, true);
  return t;
}

/** The board whose code is executing. */
export function currentKernel(api: string): Kernel {
  const k = cpu.kernel;
  if (!k) throw new Error(`${api}() called outside a zsim board`);
  return k;
}

/**
 * Pends the running thread on `waitq` (or on nothing, for a plain wait) until woken or until
 * `timeout` runs out, which yields -EAGAIN. `timeout` must not be K_NO_WAIT: callers decide what
 * "would block" returns.
 */
export function z_pend_curr(
  waitq: WaitQ | null,
  target: WaitTarget,
  timeout: k_timeout_t,
  api: string,
): Promise<number> {
  const t = requireThread(api);
  const k = t.kernel;
  t.retval = -EAGAIN;
  t.swapData = undefined;
  t.state = THREAD_PENDING;
  t.waitTarget = target;
  if (waitq) {
    waitq.add(t);
    t.pendQ = waitq;
  }
  if (timeout.kind !== 0) {
    t.wakeTick = k.expiryTick(timeout);
    k.addTimeout(t.tnode, t.wakeTick);
  }
  if (k.tracer) k.tracer.event(k, 'pend', t, `${target.kind}${target.name ? ' ' + target.name : ''}`);
  return z_swap(t);
}

/** Wakes the first waiter of `waitq` with `retval` (and `data` for it to pick up). */
export function z_unpend_first_thread(waitq: WaitQ, retval: number, data?: unknown): k_thread | undefined {
  const t = waitq.first();
  if (!t) return undefined;
  t.swapData = data;
  t.kernel.readyThread(t, retval);
  return t;
}

/** Wakes every waiter of `waitq` with `retval`; returns how many. */
export function z_unpend_all(waitq: WaitQ, retval: number): number {
  let n = 0;
  for (let t = waitq.first(); t; t = waitq.first()) {
    t.swapData = undefined;
    t.kernel.readyThread(t, retval);
    n++;
  }
  return n;
}

/**
 * A rescheduling point: a preemptible thread gives way to a higher-priority thread made ready
 * since it last blocked. JavaScript cannot interrupt synchronous code, so zsim preempts at the
 * next kernel call that returns a promise instead of at the instant the other thread became ready.
 * Returns a promise of `v`.
 */
export function z_reschedule(v: number): Promise<number> {
  const t = cpu.current;
  if (t !== null && z_reschedule_due(t)) {
    t.kernel.readyThread(t, v, true);
    return z_swap(t);
  }
  return resolved(v);
}

/** True when `z_reschedule` would switch away from the running thread `t`. */
export function z_reschedule_due(t: k_thread): boolean {
  return t.prio >= 0 && t.schedLocked === 0 && cpu.isr === 0 && t.kernel.bestReadyPrio() < t.prio;
}

/** True when `t` can be handed the CPU. */
export function isReady(t: k_thread): boolean {
  return t.state === THREAD_READY;
}
