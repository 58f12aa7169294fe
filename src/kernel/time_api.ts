/**
 * Time as threads see it: sleeping and yielding (`k_sleep`, `k_msleep`, `k_usleep`, `k_wakeup`,
 * `k_yield`, `k_busy_wait`), the board's uptime and cycle counter and their conversions, and the
 * board's seeded random stream (`sys_rand32_get`), which like the clocks is per-board hardware
 * state (Zephyr's `kernel.h` timing section, `<zephyr/random/random.h>`).
 *
 * Split from `thread_api.ts`, which re-exports all of it for code that imports it from there.
 */
import { z_swap } from './cpu.ts';
import { currentKernel, requireThread } from './sched.ts';
import { THREAD_BUSY, THREAD_SLEEPING, THREAD_SUSPENDED, type k_tid_t } from './thread.ts';
import {
  K_MSEC, K_TICKS_FOREVER, K_USEC, type k_timeout_t, ticksToMsCeil, ticksToMsFloor, ticksToUsCeil,
} from './timeout.ts';

/**
 * `k_sleep`: puts the caller to sleep. Returns the milliseconds left if woken early by `k_wakeup`,
 * 0 when it slept the whole time, `K_TICKS_FOREVER` after `k_sleep(K_FOREVER)` was woken.
 */
export function k_sleep(timeout: k_timeout_t): Promise<number> {
  const t = requireThread('k_sleep');
  const k = t.kernel;
  if (timeout.kind === 1) return k_yield().then(() => 0);
  if (timeout.kind === 0) {
    t.state = THREAD_SUSPENDED;
    return z_swap(t).then(() => K_TICKS_FOREVER);
  }
  t.state = THREAD_SLEEPING;
  t.retval = 0;
  t.wakeTick = k.expiryTick(timeout);
  k.addTimeout(t.tnode, t.wakeTick);
  return z_swap(t).then(() => ticksToMsCeil(Math.max(0, t.wakeTick - k.ticks()), k.tps));
}

/** `k_msleep(ms)`. */
export function k_msleep(ms: number): Promise<number> {
  return k_sleep(K_MSEC(ms));
}

/** `k_usleep(us)`: returns the microseconds left if woken early. */
export function k_usleep(us: number): Promise<number> {
  const t = requireThread('k_usleep');
  const k = t.kernel;
  return k_sleep(K_USEC(us)).then(() => ticksToUsCeil(Math.max(0, t.wakeTick - k.ticks()), k.tps));
}

/** `k_wakeup`: ends a `k_sleep` early. */
export function k_wakeup(thread: k_tid_t): void {
  if (thread.state === THREAD_SLEEPING || thread.state === THREAD_SUSPENDED) thread.kernel.readyThread(thread, 0);
}

/** `k_yield`: lets other ready threads of the same or higher priority run first. */
export function k_yield(): Promise<void> {
  const t = requireThread('k_yield');
  t.kernel.readyThread(t, 0);
  return z_swap(t).then(() => undefined);
}

/**
 * `k_busy_wait(us)`: spins for `us` microseconds. Time passes and timers fire, but no other thread
 * of this board runs meanwhile. Async, because time can only pass while the caller awaits.
 */
export function k_busy_wait(usec_to_wait: number): Promise<void> {
  const t = requireThread('k_busy_wait');
  if (!(usec_to_wait > 0)) return Promise.resolve();
  const k = t.kernel;
  k.held = t;
  t.state = THREAD_BUSY;
  k.host.timeouts.add(t.tnode, k.host.clock.now() + Math.round(usec_to_wait * 1000));
  return z_swap(t).then(() => undefined);
}

/** `k_uptime_ticks`. */
export function k_uptime_ticks(): number {
  return currentKernel('k_uptime_ticks').ticks();
}

/** `k_uptime_get`: milliseconds since boot. */
export function k_uptime_get(): number {
  const k = currentKernel('k_uptime_get');
  return ticksToMsFloor(k.ticks(), k.tps);
}

/** `k_uptime_get_32`: low 32 bits of `k_uptime_get`. */
export function k_uptime_get_32(): number {
  return k_uptime_get() >>> 0;
}

/** `k_uptime_seconds`. */
export function k_uptime_seconds(): number {
  return Math.floor(k_uptime_get() / 1000);
}

/** A pointer to an int64, for the calls that update one in place (`k_uptime_delta`). */
export interface Ref<T> {
  value: T;
}

/** `k_uptime_delta(&reftime)`: ms since `reftime.value`, which becomes now. */
export function k_uptime_delta(reftime: Ref<number>): number {
  const now = k_uptime_get();
  const delta = now - reftime.value;
  reftime.value = now;
  return delta;
}

/** `k_cycle_get_32`: the hardware cycle counter (`CONFIG_SYS_CLOCK_HW_CYCLES_PER_SEC`), wrapping. */
export function k_cycle_get_32(): number {
  return currentKernel('k_cycle_get_32').cycles() % 4294967296;
}

/** `k_cycle_get_64`. */
export function k_cycle_get_64(): bigint {
  return BigInt(currentKernel('k_cycle_get_64').cycles());
}

/** `sys_clock_hw_cycles_per_sec`. */
export function sys_clock_hw_cycles_per_sec(): number {
  return currentKernel('sys_clock_hw_cycles_per_sec').cyclesPerSec;
}

/** `k_cyc_to_ns_floor64`. */
export function k_cyc_to_ns_floor64(cyc: number): number {
  return Math.floor((cyc * 1e9) / sys_clock_hw_cycles_per_sec());
}

/** `k_ms_to_ticks_ceil32`. */
export function k_ms_to_ticks_ceil32(ms: number): number {
  const tps = currentKernel('k_ms_to_ticks_ceil32').tps;
  return Math.ceil((ms * tps) / 1000);
}

/** `k_ticks_to_ms_floor64`. */
export function k_ticks_to_ms_floor64(ticks: number): number {
  return ticksToMsFloor(ticks, currentKernel('k_ticks_to_ms_floor64').tps);
}

/** `sys_rand32_get`: the board's seeded random stream. */
export function sys_rand32_get(): number {
  return currentKernel('sys_rand32_get').rand32();
}

/** `sys_rand_get(dst, len)`: fills `dst` with random bytes. */
export function sys_rand_get(dst: Uint8Array, len = dst.length): void {
  const k = currentKernel('sys_rand_get');
  for (let i = 0; i < len; i += 4) {
    const r = k.rand32();
    for (let j = 0; j < 4 && i + j < len; j++) dst[i + j] = (r >>> (8 * j)) & 0xff;
  }
}
