/**
 * A simulation: one clock, one timeout queue, one or more boards. In virtual time it jumps to the
 * next timeout whenever no thread is ready and no host I/O is pending; in real time it waits for
 * the wall clock. It ends when every app has finished, at the time limit, on a fatal error, or on
 * a deadlock (threads blocked forever with nothing that could wake them), which it reports.
 */
import { RealClock, VirtualClock, type Clock } from './clock.ts';
import { addIdleListener, cpu, dispatch, hasReadyKernels, kick, removeIdleListener, type IdleListener } from './cpu.ts';
import { Kernel, type KernelHost, type KernelOptions } from './kernel.ts';
import { z_cstart, type AppImage } from './init.ts';
import { TimeoutQueue } from './timeout_q.ts';
import { formatUptime } from './uptime_fmt.ts';

/** Why a run ended. */
export type RunEnd = 'finished' | 'time-limit' | 'fatal' | 'deadlock' | 'stopped';

export interface RunResult {
  reason: RunEnd;
  /** 0 for finished/time-limit/stopped, 1 for fatal/deadlock. */
  exitCode: number;
  /** One-line explanation, e.g. "deadlock: 2 threads blocked forever on qemu_x86". */
  message: string;
  /** Simulation time at the end, ns. */
  timeNs: number;
}

export interface SimulationOptions {
  /** Follow the wall clock instead of virtual time. */
  realtime?: boolean;
  /** Stop after this much simulated time (ns). */
  timeLimitNs?: number;
  /** A fatal error on one board ends the whole run (default), or only halts that board. */
  haltAllOnFatal?: boolean;
}

/** Virtual time jumps made back to back before giving Node's event loop a turn. */
const SYNC_JUMPS = 256;

export class Simulation implements KernelHost, IdleListener {
  readonly clock: Clock;
  readonly timeouts = new TimeoutQueue();
  readonly kernels: Kernel[] = [];
  active = false;
  private readonly timeLimitNs: number;
  private readonly haltAllOnFatal: boolean;
  private hostPending = 0;
  private idleScheduled = false;
  private syncJumps = 0;
  private realTimer: NodeJS.Timeout | null = null;
  private resolveRun: ((r: RunResult) => void) | null = null;
  private result: RunResult | null = null;

  constructor(opts: SimulationOptions = {}) {
    this.clock = opts.realtime ? new RealClock() : new VirtualClock();
    this.timeLimitNs = opts.timeLimitNs ?? Infinity;
    this.haltAllOnFatal = opts.haltAllOnFatal ?? true;
  }

  /** Adds a board and boots it (its main thread runs once the simulation runs). */
  addBoard(opts: KernelOptions, app: AppImage | null): Kernel {
    const k = new Kernel(this, opts);
    k.bootNs = this.clock.now();
    this.kernels.push(k);
    z_cstart(k, app);
    return k;
  }

  /**
   * Marks host I/O in progress (a real socket operation, a broker callback due): while any is
   * pending, an idle simulation waits for it instead of declaring a deadlock or jumping ahead.
   * Returns the function that ends it.
   */
  beginHostIo(): () => void {
    this.hostPending++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.hostPending--;
      this.onCpuIdle();
    };
  }

  /** Runs until the apps finish, the time limit, a fatal error or a deadlock. */
  run(): Promise<RunResult> {
    if (this.result) return Promise.resolve(this.result);
    this.active = true;
    addIdleListener(this);
    return new Promise<RunResult>((resolve) => {
      this.resolveRun = resolve;
      if (cpu.current === null && cpu.isr === 0) dispatch();
    });
  }

  /** Ends the run from outside (Ctrl-C, a test). */
  stop(message = 'stopped'): void {
    this.finish('stopped', 0, message);
  }

  onKernelHalt(k: Kernel): void {
    if (this.haltAllOnFatal || this.kernels.every((x) => x.halted)) {
      this.finish('fatal', 1, `fatal error on ${k.board}: ${k.fatalReasonText()}`);
    }
  }

  onCpuIdle(): void {
    if (!this.active || this.idleScheduled) return;
    if (!this.clock.realtime && this.hostPending === 0 && this.syncJumps < SYNC_JUMPS) {
      this.syncJumps++;
      this.advance();
      return;
    }
    this.syncJumps = 0;
    this.idleScheduled = true;
    setImmediate(this.idleTick);
  }

  private readonly idleTick = (): void => {
    this.idleScheduled = false;
    if (!this.active || cpu.current !== null) return;
    if (hasReadyKernels()) kick();
    else this.advance();
  };

  private advance(): void {
    const next = this.timeouts.peek();
    const now = this.clock.now();
    if (!next) {
      // Host I/O in flight may still wake a thread, unless no app thread is left to wake.
      if (this.hostPending > 0 && this.kernels.some((k) => !k.halted && k.appThreads().length > 0)) {
        // Waiting on the real world only: the time limit still applies.
        if (this.clock.realtime && Number.isFinite(this.timeLimitNs)) this.armRealTimer(this.timeLimitNs - now);
        return;
      }
      this.endWhenIdle();
      return;
    }
    if (next.at > this.timeLimitNs) {
      if (this.clock instanceof VirtualClock) {
        if (this.hostPending > 0) return;
        this.clock.advanceTo(this.timeLimitNs);
        this.finish('time-limit', 0, `stopped at the time limit (${formatUptime(this.timeLimitNs)})`);
        return;
      }
    }
    if (this.clock instanceof VirtualClock) {
      // Host code is still working at this instant (a broker's reply, a resolver callback): time
      // must not move on, or what it sends would be stamped later. Ending the host I/O wakes us.
      if (this.hostPending > 0 && next.at > now) return;
      this.clock.advanceTo(next.at);
      this.fireDue(next.at);
    } else if (next.at <= now) {
      this.fireDue(now);
    } else {
      this.armRealTimer(Math.min(next.at, this.timeLimitNs) - now);
      return;
    }
    if (!this.active) return;
    if (cpu.current !== null) return; // an ISR handler already handed the CPU to a thread
    if (hasReadyKernels()) kick();
    else this.onCpuIdle();
  }

  private fireDue(now: number): void {
    for (let n = this.timeouts.peek(); n && n.at <= now && this.active; n = this.timeouts.peek()) {
      this.timeouts.pop();
      n.expire();
    }
  }

  private armRealTimer(delayNs: number): void {
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = setTimeout(() => {
      this.realTimer = null;
      if (!this.active) return;
      if (this.clock.now() >= this.timeLimitNs) {
        this.finish('time-limit', 0, `stopped at the time limit (${formatUptime(this.timeLimitNs)})`);
        return;
      }
      if (cpu.current === null) this.advance();
    }, Math.max(0, Math.ceil(delayNs / 1e6)));
  }

  /** Nothing can happen any more: the apps are done, or some are stuck for good. */
  private endWhenIdle(): void {
    const stuck = this.kernels.filter((k) => !k.halted && k.appThreads().length > 0);
    if (stuck.length === 0) {
      this.finish('finished', 0, 'app finished');
      return;
    }
    let count = 0;
    for (const k of stuck) {
      const threads = k.appThreads();
      count += threads.length;
      k.log(1, 'os', `Deadlock: ${threads.length} thread(s) blocked forever, no timeout pending, no I/O pending`);
      for (const t of threads) {
        const prio = t.prio === t.base_prio ? `${t.prio}` : `${t.prio} (inherited, base ${t.base_prio})`;
        k.log(1, 'os', `  thread ${k.describeThread(t, { debug: true })} prio ${prio}: ${k.describeWait(t)}`);
      }
    }
    const where = stuck.length === 1 ? stuck[0]!.board : `${stuck.length} boards`;
    this.finish('deadlock', 1, `deadlock: ${count} thread(s) blocked forever on ${where}`);
  }

  private finish(reason: RunEnd, exitCode: number, message: string): void {
    if (!this.active && this.result) return;
    this.active = false;
    removeIdleListener(this);
    if (this.realTimer) clearTimeout(this.realTimer);
    this.realTimer = null;
    const failed = this.kernels.find((k) => k.mainResult !== null && k.mainResult !== 0);
    if (failed && exitCode === 0) {
      exitCode = 1;
      message += `; main() returned ${failed.mainResult} on ${failed.board}`;
    }
    this.result = { reason, exitCode, message, timeNs: this.clock.now() };
    for (const k of this.kernels) k.shutdown();
    this.resolveRun?.(this.result);
  }
}
