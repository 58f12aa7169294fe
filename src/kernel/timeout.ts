/**
 * `k_timeout_t` and its constructors (`K_MSEC`, `K_FOREVER`, ...).
 *
 * Zephyr converts a timeout to ticks when the macro is expanded, with the board's
 * `CONFIG_SYS_CLOCK_TICKS_PER_SEC`. One zsim process can run boards with different tick rates, so a
 * timeout keeps its duration as a fraction `n / per` seconds and each kernel rounds it up to its own
 * ticks when the timeout is used: the result is the same number of ticks Zephyr would compute.
 */
export class k_timeout_t {
  /** @internal use the K_* constructors */
  constructor(
    /** 0: K_FOREVER, 1: K_NO_WAIT, 2: relative, 3: absolute (K_TIMEOUT_ABS_*). */
    readonly kind: 0 | 1 | 2 | 3,
    /** Duration numerator; when `per` is 0, a tick count. */
    readonly n: number,
    /** Units per second of `n` (1000 for ms), or 0 when `n` counts ticks. */
    readonly per: number,
  ) {}
}

/** `K_TICKS_FOREVER`: what `k_sleep(K_FOREVER)` returns. */
export const K_TICKS_FOREVER = -1;

/** Wait forever. */
export const K_FOREVER = new k_timeout_t(0, -1, 0);
/** Do not wait: the call fails at once (usually with -EBUSY or -EAGAIN) instead of blocking. */
export const K_NO_WAIT = new k_timeout_t(1, 0, 0);

function rel(n: number, per: number): k_timeout_t {
  if (!Number.isFinite(n) || n <= 0) return K_NO_WAIT;
  return new k_timeout_t(2, n, per);
}

/** A timeout of `ns` nanoseconds, rounded up to whole ticks. */
export const K_NSEC = (ns: number): k_timeout_t => rel(ns, 1e9);
/** A timeout of `us` microseconds, rounded up to whole ticks. */
export const K_USEC = (us: number): k_timeout_t => rel(us, 1e6);
/** A timeout of `ms` milliseconds, rounded up to whole ticks. */
export const K_MSEC = (ms: number): k_timeout_t => rel(ms, 1e3);
/** A timeout of `s` seconds. */
export const K_SECONDS = (s: number): k_timeout_t => rel(s * 1000, 1e3);
/** A timeout of `m` minutes. */
export const K_MINUTES = (m: number): k_timeout_t => rel(m * 60_000, 1e3);
/** A timeout of `h` hours. */
export const K_HOURS = (h: number): k_timeout_t => rel(h * 3_600_000, 1e3);
/** A timeout of `t` ticks. */
export const K_TICKS = (t: number): k_timeout_t => rel(Math.floor(t), 0);
/** A timeout that expires when uptime reaches `ms` milliseconds. */
export const K_TIMEOUT_ABS_MS = (ms: number): k_timeout_t => new k_timeout_t(3, Math.max(0, ms), 1e3);
/** A timeout that expires when the tick count reaches `t`. */
export const K_TIMEOUT_ABS_TICKS = (t: number): k_timeout_t => new k_timeout_t(3, Math.max(0, Math.floor(t)), 0);

/** `K_TIMEOUT_EQ(a, b)`. */
export function K_TIMEOUT_EQ(a: k_timeout_t, b: k_timeout_t): boolean {
  return a.kind === b.kind && a.n === b.n && a.per === b.per;
}

/** `ceil(n * tps / per)` without losing precision for large n. */
export function unitsToTicksCeil(n: number, per: number, tps: number): number {
  if (per === 0) return n;
  const whole = Math.floor(n / per);
  const rem = n - whole * per;
  return whole * tps + Math.ceil((rem * tps) / per - 1e-9);
}

/** Floor conversion of nanoseconds to ticks. */
export function nsToTicks(ns: number, tps: number): number {
  const s = Math.floor(ns / 1e9);
  return s * tps + Math.floor(((ns - s * 1e9) * tps) / 1e9);
}

/** The first nanosecond at which tick `t` has been reached. */
export function ticksToNs(t: number, tps: number): number {
  const s = Math.floor(t / tps);
  return s * 1e9 + Math.ceil(((t - s * tps) * 1e9) / tps);
}

/** Ticks to milliseconds, rounding down (`k_ticks_to_ms_floor64`). */
export function ticksToMsFloor(t: number, tps: number): number {
  const s = Math.floor(t / tps);
  return s * 1000 + Math.floor(((t - s * tps) * 1000) / tps);
}

/** Ticks to milliseconds, rounding up (`k_ticks_to_ms_ceil32`). */
export function ticksToMsCeil(t: number, tps: number): number {
  const s = Math.floor(t / tps);
  return s * 1000 + Math.ceil(((t - s * tps) * 1000) / tps);
}

/** Ticks to microseconds, rounding up. */
export function ticksToUsCeil(t: number, tps: number): number {
  const s = Math.floor(t / tps);
  return s * 1e6 + Math.ceil(((t - s * tps) * 1e6) / tps);
}
