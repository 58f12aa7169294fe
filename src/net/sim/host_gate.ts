/**
 * Keeps virtual time still while host code (aedes, node:tls, a resolver's `.then`) is working on
 * something the simulated network handed it.
 *
 * Host code reacts in Node callbacks (nextTick, microtasks, setImmediate), outside virtual time. If
 * the simulation jumped to its next timeout meanwhile, the reply would be stamped with that later
 * time, and how much later would depend on how the event loop interleaved: runs would stop being
 * reproducible. So whenever the network gives host code something (bytes pushed into a Duplex, a
 * resolved name) or host code gives the network something (a write), the gate is poked: it holds
 * one host-I/O token of the simulation (`beginHostIo`), and releases it only after `quietTurns`
 * consecutive `setImmediate` turns in which nothing was poked. A turn is one full pass of Node's
 * event loop (timers, I/O, check), which runs every nextTick and microtask queued before it, so
 * host code that answers within its own callbacks, however deep, answers at the instant it was
 * poked. Host code that waits on a real timer (setTimeout) is not covered.
 */
import type { NetSimHost } from './timer.ts';

export interface HostGateStats {
  /** Times the gate took the token (a burst of host activity). */
  holds: number;
  /** setImmediate turns spent holding it, in total. */
  turns: number;
  /** Most turns within one hold before the last poke (how long host code took to answer). */
  maxBusyTurns: number;
  /**
   * Longest run of idle turns that was followed by a poke within a hold: host code that went
   * quiet that long and still answered. It must stay below `quietTurns` for runs to be exact.
   */
  maxQuietGap: number;
}

export class HostGate {
  private endHold: (() => void) | null = null;
  private poked = false;
  private quiet = 0;
  private turn = 0;
  private lastBusyTurn = 0;
  readonly stats: HostGateStats = { holds: 0, turns: 0, maxBusyTurns: 0, maxQuietGap: 0 };

  constructor(
    private readonly sim: NetSimHost,
    /** Consecutive idle turns before time may move again. */
    readonly quietTurns: number,
  ) {}

  /** True while holding the simulation's time. */
  get holding(): boolean {
    return this.endHold !== null;
  }

  /** Host activity happened, or is about to (bytes were handed to host code). */
  poke(): void {
    if (this.sim.clock.realtime) return;
    this.poked = true;
    if (this.endHold !== null) return;
    this.endHold = this.sim.beginHostIo();
    this.stats.holds++;
    this.quiet = 0;
    this.turn = 0;
    this.lastBusyTurn = 0;
    setImmediate(this.tick);
  }

  private readonly tick = (): void => {
    this.stats.turns++;
    this.turn++;
    if (this.poked) {
      this.poked = false;
      if (this.quiet > this.stats.maxQuietGap) this.stats.maxQuietGap = this.quiet;
      this.quiet = 0;
      this.lastBusyTurn = this.turn;
    } else if (++this.quiet >= this.quietTurns) {
      if (this.lastBusyTurn > this.stats.maxBusyTurns) this.stats.maxBusyTurns = this.lastBusyTurn;
      const end = this.endHold!;
      this.endHold = null;
      end();
      return;
    }
    setImmediate(this.tick);
  };
}
