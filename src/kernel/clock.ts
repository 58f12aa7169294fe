/**
 * The one clock of a simulation. Everything that waits asks it; nothing in the kernel reads
 * `Date.now()` or calls `setTimeout` behind its back. That is what makes virtual time deterministic.
 */
export interface Clock {
  /** Nanoseconds since the simulation started. */
  now(): number;
  /** True when time follows the wall clock (timeouts really wait). */
  readonly realtime: boolean;
}

/** Discrete-event time: it only moves when the simulation jumps to the next timeout. */
export class VirtualClock implements Clock {
  readonly realtime = false;
  private t = 0;
  now(): number {
    return this.t;
  }
  /** Moves time forward to `ns` (never backward). */
  advanceTo(ns: number): void {
    if (ns > this.t) this.t = ns;
  }
}

/** Wall-clock time, for `--realtime` and for boards on the real network. */
export class RealClock implements Clock {
  readonly realtime = true;
  private readonly origin = process.hrtime.bigint();
  now(): number {
    return Number(process.hrtime.bigint() - this.origin);
  }
}
