/**
 * `k_timer`: one-shot and periodic kernel timers (Zephyr 3.7's `kernel/timer.c`). Expiry and stop
 * functions run in the board's interrupt context, so they must not block.
 *
 * Tick arithmetic is Zephyr 3.7's: `k_timer_start` takes one tick off a relative duration before
 * the usual +1 rounding of timeouts, so a timer started at tick t with a duration of n ticks
 * expires at t + max(n, 1); a periodic timer then expires every max(period, 1) ticks counted from
 * the previous expiry, not from when its handler ran, so it never drifts.
 */
import type { Kernel } from './kernel.ts';
import { currentKernel, requireThread, z_pend_curr, z_reschedule, z_unpend_first_thread } from './sched.ts';
import { WaitQ } from './thread.ts';
import { K_FOREVER, K_NO_WAIT, ticksToMsFloor, unitsToTicksCeil, type k_timeout_t } from './timeout.ts';
import type { TimeoutNode } from './timeout_q.ts';

/** `k_timer_expiry_t`: called in ISR context each time the timer expires. */
export type k_timer_expiry_t = (timer: k_timer) => void;
/** `k_timer_stop_t`: called in the caller's context when a running timer is stopped. */
export type k_timer_stop_t = (timer: k_timer) => void;

/** `struct k_timer`. */
export class k_timer {
  readonly kind = 'k_timer';
  name?: string;
  expiry_fn: k_timer_expiry_t | null = null;
  stop_fn: k_timer_stop_t | null = null;
  /** Expiries since the status was last read. */
  status = 0;
  period: k_timeout_t = K_NO_WAIT;
  user_data: unknown = null;
  /** @internal threads in k_timer_status_sync */
  readonly wait_q = new WaitQ();
  /** @internal board the timer was last started on */
  kernel: Kernel | null = null;
  /** @internal tick of the next expiry */
  tick = 0;
  /** @internal */
  readonly timeout: TimeoutNode;

  constructor() {
    const self = this;
    this.timeout = {
      at: 0,
      seq: 0,
      idx: -1,
      expire() {
        const k = self.kernel;
        if (k && !k.halted) k.isr(() => z_timer_expiration_handler(self));
      },
    };
  }
}

/** `k_timer_init(timer, expiry_fn, stop_fn)`. */
export function k_timer_init(timer: k_timer, expiry_fn: k_timer_expiry_t | null, stop_fn: k_timer_stop_t | null): void {
  timer.expiry_fn = expiry_fn;
  timer.stop_fn = stop_fn;
  timer.status = 0;
  timer.user_data = null;
}

/** `K_TIMER_DEFINE(name, expiry_fn, stop_fn)`. */
export function K_TIMER_DEFINE(name: string, expiry_fn: k_timer_expiry_t | null, stop_fn: k_timer_stop_t | null): k_timer {
  const t = new k_timer();
  t.name = name;
  k_timer_init(t, expiry_fn, stop_fn);
  return t;
}

function isActive(timer: k_timer): boolean {
  return timer.timeout.idx >= 0;
}

function arm(timer: k_timer, k: Kernel, tick: number): void {
  timer.kernel = k;
  timer.tick = tick;
  k.addTimeout(timer.timeout, tick);
}

function z_timer_expiration_handler(timer: k_timer): void {
  // Restarted by someone between the timeout firing and now: the new schedule stands.
  if (isActive(timer)) return;
  const p = timer.period;
  if (p.kind === 2 || p.kind === 3) {
    // Zephyr 3.7 takes one tick off the period before encoding it; an absolute "period" decodes as
    // a negative tick count and is clamped to 0, so it fires every tick.
    const n = p.kind === 2 ? unitsToTicksCeil(p.n, p.per, timer.kernel!.tps) : 0;
    arm(timer, timer.kernel!, timer.tick + Math.max(n, 1));
  }
  timer.status += 1;
  timer.expiry_fn?.(timer);
  z_unpend_first_thread(timer.wait_q, 0);
}

/**
 * `k_timer_start(timer, duration, period)`: (re)starts the timer; it first expires after
 * `duration`, then every `period` (K_NO_WAIT or K_FOREVER: once). Resets the status.
 * A K_FOREVER duration leaves the timer as it was.
 */
export function k_timer_start(timer: k_timer, duration: k_timeout_t, period: k_timeout_t): void {
  if (duration.kind === 0) return;
  const k = currentKernel('k_timer_start');
  if (timer.kernel) timer.kernel.host.timeouts.remove(timer.timeout);
  timer.period = period;
  timer.status = 0;
  const tick = duration.kind === 3 ? k.expiryTick(duration) : k.ticks() + Math.max(unitsToTicksCeil(duration.n, duration.per, k.tps), 1);
  arm(timer, k, tick);
}

/**
 * `k_timer_stop`: stops a running timer, calls its stop function and releases one thread in
 * k_timer_status_sync. Does nothing to a timer that is not running. Callable from ISRs.
 */
export function k_timer_stop(timer: k_timer): void {
  if (!timer.kernel || !timer.kernel.host.timeouts.remove(timer.timeout)) return;
  timer.stop_fn?.(timer);
  z_unpend_first_thread(timer.wait_q, 0);
}

/** `k_timer_status_get`: expiries since the last read, and resets the count. */
export function k_timer_status_get(timer: k_timer): number {
  const r = timer.status;
  timer.status = 0;
  return r;
}

/**
 * `k_timer_status_sync`: waits for the next expiry (or a stop) when none happened since the last
 * read and the timer runs; resolves to the expiry count, which is reset.
 */
export function k_timer_status_sync(timer: k_timer): Promise<number> {
  requireThread('k_timer_status_sync');
  const done = (): number => k_timer_status_get(timer);
  if (timer.status === 0 && isActive(timer)) {
    return z_pend_curr(timer.wait_q, timer, K_FOREVER, 'k_timer_status_sync').then(done);
  }
  return z_reschedule(0).then(done);
}

/** `k_timer_expires_ticks`: the tick of the next expiry (the current tick when stopped). */
export function k_timer_expires_ticks(timer: k_timer): number {
  if (isActive(timer)) return timer.tick;
  return (timer.kernel ?? currentKernel('k_timer_expires_ticks')).ticks();
}

/** `k_timer_remaining_ticks`: ticks until the next expiry, 0 when stopped. */
export function k_timer_remaining_ticks(timer: k_timer): number {
  if (!isActive(timer) || !timer.kernel) return 0;
  return Math.max(0, timer.tick - timer.kernel.ticks());
}

/** `k_timer_remaining_get`: milliseconds until the next expiry (rounded down), 0 when stopped. */
export function k_timer_remaining_get(timer: k_timer): number {
  const t = k_timer_remaining_ticks(timer);
  return t === 0 ? 0 : ticksToMsFloor(t, timer.kernel!.tps);
}

/** `k_timer_user_data_set`. */
export function k_timer_user_data_set(timer: k_timer, user_data: unknown): void {
  timer.user_data = user_data;
}

/** `k_timer_user_data_get`. */
export function k_timer_user_data_get(timer: k_timer): unknown {
  return timer.user_data;
}
