/**
 * One board's kernel: its threads, run queue, tick clock, configuration, heap and console.
 * A process can hold many; they share the CPU (`cpu.ts`) and a simulation's clock (`sim.ts`).
 */
import type { Clock } from './clock.ts';
import type { ConsoleSink, LogLevel, Tracer } from './console.ts';
import { z_run_shutdown_hooks } from './boot_hooks.ts';
import { cpu, queueKernel } from './cpu.ts';
import { fatalReasonName, fatalReportLines, K_ERR_CPU_EXCEPTION } from './fatal_report.ts';
import { Xoshiro128 } from './rand.ts';
import { ReadyQueue } from './ready_q.ts';
import {
  THREAD_BUSY, THREAD_DEAD, THREAD_NEW, THREAD_PENDING, THREAD_READY, THREAD_SLEEPING, THREAD_SUSPENDED, WaitQ,
  type k_thread, type WaitTarget,
} from './thread.ts';
import { nsToTicks, ticksToNs, unitsToTicksCeil, type k_timeout_t } from './timeout.ts';
import type { TimeoutNode, TimeoutQueue } from './timeout_q.ts';
import { EAGAIN } from '../libc/errno.ts';

/** A Kconfig value as apps see it: `y` is `true`, ints and hex are numbers, strings are strings. */
export type ConfigValue = boolean | number | string;
/** A board's configuration, keyed by symbol name without the `CONFIG_` prefix; `n` is `false`. */
export type KConfig = Readonly<Record<string, ConfigValue>>;

/** Zephyr's defaults for the symbols the kernel itself reads. */
export const KERNEL_DEFAULTS: KConfig = {
  SYS_CLOCK_TICKS_PER_SEC: 10000,
  SYS_CLOCK_HW_CYCLES_PER_SEC: 1000000000,
  NUM_COOP_PRIORITIES: 16,
  NUM_PREEMPT_PRIORITIES: 15,
  MAIN_THREAD_PRIORITY: 0,
  MAIN_STACK_SIZE: 1024,
  HEAP_MEM_POOL_SIZE: 0,
  SYSTEM_WORKQUEUE_PRIORITY: -1,
  SYSTEM_WORKQUEUE_STACK_SIZE: 1024,
  LOG: true,
  LOG_DEFAULT_LEVEL: 3,
  PRINTK: true,
  BOOT_BANNER: true,
  KERNEL_VERSION: '3.7.0',
};

// Boards of one build share one merged configuration object: copying ~400 symbols per board
// cost a fleet of thousands of boards milliseconds and tens of kilobytes each. KConfig is
// read-only, so sharing is safe.
const mergedConfigs = new WeakMap<KConfig, Map<string, KConfig>>();

function boardConfig(board: string, config: KConfig): KConfig {
  let byBoard = mergedConfigs.get(config);
  if (byBoard === undefined) mergedConfigs.set(config, (byBoard = new Map()));
  let merged = byBoard.get(board);
  // CONFIG_BOARD is set by the build system from the board's name, as in Zephyr.
  if (merged === undefined) byBoard.set(board, (merged = { ...KERNEL_DEFAULTS, BOARD: board, ...config }));
  return merged;
}

/** The simulation a kernel lives in (implemented by `Simulation`). */
export interface KernelHost {
  readonly clock: Clock;
  readonly timeouts: TimeoutQueue;
  /** True while the simulation runs; a stopped one's threads never get the CPU again. */
  readonly active: boolean;
  /** Called when a board halts after a fatal error. */
  onKernelHalt(k: Kernel): void;
  /** Marks host work in progress that the simulation must wait for; returns its end. */
  beginHostIo(): () => void;
}

// The fatal reasons and the report's formatting moved to fatal_report.ts; re-exported here because
// kernel objects, `fatal.ts` and the public index import them from this file.
export {
  K_ERR_CPU_EXCEPTION, K_ERR_SPURIOUS_IRQ, K_ERR_STACK_CHK_FAIL, K_ERR_KERNEL_OOPS, K_ERR_KERNEL_PANIC, describeError,
} from './fatal_report.ts';

/** Thrown through a thread's stack to unwind it after a fatal error or its own abort. */
export class ThreadUnwind extends Error {
  constructor(readonly thread: k_thread | null, readonly fatal: boolean) {
    super(fatal ? 'zsim: thread halted by a fatal error' : 'zsim: thread aborted');
  }
}

/** Static objects made while an app's module is evaluated, started by the main thread. */
export interface StaticThread {
  thread: k_thread;
  delay: k_timeout_t;
}

/** How a board was started. */
export interface KernelOptions {
  /** Board name, e.g. "qemu_x86". */
  board: string;
  config: KConfig;
  console: ConsoleSink;
  /** Seed for `sys_rand32_get`; each board of a run gets its own stream. */
  seed: number;
  /** Index of the board in its fleet (0 for a single run). */
  index?: number;
  tracer?: Tracer | null;
}

/** How `Kernel.describeThread` names a thread. */
export interface DescribeThreadOptions {
  /**
   * Use the thread's always-kept debug name (`k_thread.dbgName`) instead of its
   * `CONFIG_THREAD_NAME` name: for zsim's own diagnostics (deadlock report, traces), which should
   * identify threads whatever the app's configuration.
   */
  debug?: boolean;
}

export class Kernel {
  readonly board: string;
  readonly index: number;
  readonly config: KConfig;
  readonly console: ConsoleSink;
  readonly tracer: Tracer | null;
  readonly tps: number;
  readonly cyclesPerSec: number;
  readonly coopPrios: number;
  readonly preemptPrios: number;
  /** @internal on the CPU's run list. */
  queued = false;
  /** @internal next board on the CPU's run list. */
  nextQueued: Kernel | null = null;
  /** Set after a fatal error: the board runs nothing more. */
  halted = false;
  /** The fatal error that halted the board, for the run's result. */
  fatalReason = -1;
  /** @internal a thread in k_busy_wait keeps the CPU for itself. */
  held: k_thread | null = null;
  /**
   * What `main()` returned, when it returned a number. Zephyr ignores it; zsim makes a non-zero
   * value the run's exit status (1), so an app can report failure to a script or CI.
   */
  mainResult: number | null = null;
  private wasShutDown = false;
  /** Simulation time at which this board booted. */
  bootNs = 0;
  /** Every thread that was created and has not exited. */
  readonly threads = new Set<k_thread>();
  /** Static RAM the app reserves (stack areas, heaps, message queues), for the memory report. */
  readonly staticRam: [string, number][] = [];
  /** @internal K_THREAD_DEFINE threads, started by the main thread before `main()`. */
  readonly staticThreads: StaticThread[] = [];
  /**
   * @internal per-board work to do once at boot, run after the global hooks of `boot_hooks.ts`.
   * @deprecated subsystems register with `registerBootHook` (once, at module load) instead.
   */
  get bootHooks(): Map<string, (k: Kernel) => void> {
    return (this.legacyBootHooks ??= new Map());
  }
  /** @internal the map behind `bootHooks`, made on first use (a Map costs ~180 bytes per board). */
  legacyBootHooks: Map<string, (k: Kernel) => void> | null = null;
  /** Called once when the simulation ends, to release host resources (sockets...). */
  readonly shutdownHooks: (() => void)[] = [];
  /** Per-subsystem state (work queue, heap, sockets...), keyed by subsystem. */
  readonly subsys = new Map<string, unknown>();
  private readonly ready: ReadyQueue;
  private nextAddr = 0x00100000;
  private addrs: WeakMap<object, number> | null = null;
  private readonly rng: Xoshiro128;
  private nextThreadId = 1;

  constructor(readonly host: KernelHost, opts: KernelOptions) {
    this.board = opts.board;
    this.index = opts.index ?? 0;
    this.config = boardConfig(opts.board, opts.config);
    this.console = opts.console;
    this.tracer = opts.tracer ?? null;
    this.tps = this.cfgInt('SYS_CLOCK_TICKS_PER_SEC');
    this.cyclesPerSec = this.cfgInt('SYS_CLOCK_HW_CYCLES_PER_SEC');
    this.coopPrios = this.cfgInt('NUM_COOP_PRIORITIES');
    this.preemptPrios = this.cfgInt('NUM_PREEMPT_PRIORITIES');
    this.ready = new ReadyQueue();
    this.rng = new Xoshiro128(opts.seed, this.index);
  }

  /** An integer Kconfig value (0 when unset). */
  cfgInt(name: string): number {
    const v = this.config[name];
    return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : Number(v ?? 0) || 0;
  }

  /** True when a bool Kconfig symbol is `y`. */
  enabled(name: string): boolean {
    const v = this.config[name];
    return v !== undefined && v !== false && v !== 0 && v !== '';
  }

  // ---- time ----

  /** Nanoseconds since this board booted. */
  uptimeNs(): number {
    return this.host.clock.now() - this.bootNs;
  }

  /** Ticks since boot (`sys_clock_tick_get`). */
  ticks(): number {
    return nsToTicks(this.uptimeNs(), this.tps);
  }

  /** Hardware cycles since boot. */
  cycles(): number {
    const ns = this.uptimeNs();
    const s = Math.floor(ns / 1e9);
    return s * this.cyclesPerSec + Math.floor(((ns - s * 1e9) * this.cyclesPerSec) / 1e9);
  }

  /**
   * The tick at which a timeout started now expires. Zephyr adds one tick to a relative timeout
   * (the current tick is already partly gone), so a wait is never shorter than asked.
   */
  expiryTick(timeout: k_timeout_t): number {
    const now = this.ticks();
    const n = unitsToTicksCeil(timeout.n, timeout.per, this.tps);
    if (timeout.kind === 3) return Math.max(now + 1, n);
    return now + n + 1;
  }

  /** Simulation time of a tick of this board. */
  tickToNs(tick: number): number {
    return this.bootNs + ticksToNs(tick, this.tps);
  }

  /** Schedules `node` to expire at `tick` of this board. */
  addTimeout(node: TimeoutNode, tick: number): void {
    this.host.timeouts.add(node, this.tickToNs(tick));
  }

  // ---- scheduling ----

  /** @internal highest-priority ready thread, removed from the run queue. */
  takeNext(): k_thread | undefined {
    if (this.halted || !this.host.active) return undefined;
    if (this.held) {
      if (this.held.state !== THREAD_READY) return undefined;
      const t = this.held;
      this.held = null;
      this.ready.remove(t);
      return t;
    }
    return this.ready.pop();
  }

  /** @internal */
  hasReady(): boolean {
    return this.ready.size > 0 && !this.halted && (this.held === null || this.held.state === THREAD_READY);
  }

  /** Best priority among ready threads (+Infinity when none). */
  bestReadyPrio(): number {
    return this.ready.bestPrio();
  }

  /** Threads in the run queue, best first. */
  readyThreads(): k_thread[] {
    return this.ready.threads();
  }

  /** Makes `t` ready to run with `retval` as the result of its wait (`z_ready_thread`). */
  readyThread(t: k_thread, retval: number, front = false): void {
    if (t.state === THREAD_DEAD) return;
    if (t.tnode.idx >= 0) this.host.timeouts.remove(t.tnode);
    if (t.pendQ) {
      t.pendQ.remove(t);
      t.pendQ = null;
    }
    t.waitTarget = null;
    t.retval = retval;
    if (t.suspendedFrom !== 0) {
      // Woken while suspended: it stays suspended, with its result kept for k_thread_resume.
      t.suspendedFrom = 0;
      t.state = THREAD_SUSPENDED;
      return;
    }
    t.state = THREAD_READY;
    this.ready.add(t, front);
    if (this.tracer) this.tracer.event(this, 'ready', t);
    queueKernel(this);
  }

  /** Takes a ready thread off the run queue (suspend, abort, priority change). */
  unready(t: k_thread): boolean {
    return this.ready.remove(t);
  }

  /** @internal a timed wait ran out. */
  onThreadTimeout(t: k_thread): void {
    this.isr(() => {
      if (t.state === THREAD_PENDING) this.readyThread(t, -EAGAIN);
      else if (t.state === THREAD_SLEEPING || t.state === THREAD_BUSY || t.state === THREAD_NEW) this.readyThread(t, 0);
    });
  }

  /** Runs `fn` in this board's interrupt context, then lets a ready thread run if the CPU is free. */
  isr<T>(fn: () => T): T {
    const prevK = cpu.kernel;
    const prevT = cpu.current;
    cpu.kernel = this;
    cpu.isr++;
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ThreadUnwind)) this.fatal(K_ERR_CPU_EXCEPTION, null, e);
      return undefined as T;
    } finally {
      cpu.isr--;
      cpu.kernel = prevK;
      cpu.current = prevT;
    }
  }

  /**
   * Releases the board's host resources (sockets...) at the end of a run or a power cut: the
   * global shutdown hooks, then the board's own. A failing release does not stop the others,
   * nor hide the run's result.
   */
  shutdown(): void {
    if (!this.wasShutDown) {
      this.wasShutDown = true;
      try {
        z_run_shutdown_hooks(this);
      } catch {
        // ignored, as below
      }
    }
    for (const hook of this.shutdownHooks.splice(0)) {
      try {
        hook();
      } catch {
        // ignored: see above
      }
    }
  }

  /** @internal */
  newThreadId(): number {
    return this.nextThreadId++;
  }

  /** A stable, deterministic fake address for an object, for `%p` and reports. */
  addr(obj: object): number {
    const addrs = (this.addrs ??= new WeakMap());
    let a = addrs.get(obj);
    if (a === undefined) {
      a = this.nextAddr;
      this.nextAddr += 0x40;
      addrs.set(obj, a);
    }
    return a;
  }

  /** `0x00100040`-style rendering of `addr(obj)`. */
  addrStr(obj: object): string {
    return '0x' + this.addr(obj).toString(16).padStart(8, '0');
  }

  /**
   * A thread as Zephyr's reports show it: `0x00100040 (main)`, with "unknown" for a thread without
   * a name, as always without `CONFIG_THREAD_NAME` (Zephyr's fatal report does the same). With
   * `{ debug: true }`, the name zsim keeps for its own diagnostics whatever the configuration.
   */
  describeThread(t: k_thread | null, opts: DescribeThreadOptions = {}): string {
    if (!t) return 'ISR';
    const name = opts.debug ? t.dbgName : this.enabled('THREAD_NAME') ? t.name : '';
    return `${this.addrStr(t)} (${name || 'unknown'})`;
  }

  /** What a thread waits on, in words, for the deadlock report. */
  describeWait(t: k_thread): string {
    const w = t.waitTarget;
    if (t.state === THREAD_SUSPENDED) return 'suspended';
    if (t.state === THREAD_SLEEPING) return 'sleeping forever (k_sleep(K_FOREVER))';
    if (!w) return t.stateName;
    const name = w.name ? ` '${w.name}'` : '';
    let extra = '';
    const owner = (w as { owner?: k_thread | null }).owner;
    // Only zsim's deadlock report asks this, so the owner gets its debug name.
    if (owner) extra = `, owned by ${this.describeThread(owner, { debug: true })}`;
    return `pending on ${w.kind} ${this.addrStr(w as object)}${name}${extra}`;
  }

  // ---- output ----

  /** Writes raw text to the console (`printk`). */
  printk(text: string): void {
    if (this.enabled('PRINTK')) this.console.printk(this, text);
  }

  /** Emits a log record as module `module` (used by the kernel's own `os` messages). */
  log(level: LogLevel, module: string, message: string): void {
    if (this.enabled('LOG')) this.console.log(this, { level, module, message });
    // Without the logging subsystem, report the way Zephyr's minimal log mode prints: "E: ...".
    else this.console.printk(this, `${'?EWID'[level]}: ${message}\n`);
  }

  // ---- faults ----

  /**
   * Reports a fatal error as Zephyr's `z_fatal_error` does and halts the board.
   * `err` is the JavaScript exception or the call-site stack, printed as the "exception frame".
   */
  fatal(reason: number, thread: k_thread | null, err: unknown): void {
    if (this.halted) return;
    for (const l of fatalReportLines(reason, this.describeThread(thread), err)) this.log(1, 'os', l);
    this.halt(reason);
  }

  /** "Kernel panic" etc. for the reason that halted the board. */
  fatalReasonText(): string {
    return fatalReasonName(this.fatalReason) ?? `reason ${this.fatalReason}`;
  }

  /** Stops the board: no thread of it runs again. */
  halt(reason: number): void {
    this.halted = true;
    this.fatalReason = reason;
    for (const t of this.threads) {
      this.ready.remove(t);
      this.host.timeouts.remove(t.tnode);
    }
    this.host.onKernelHalt(this);
  }

  /** Threads of the app (not kernel helpers) that have not exited. */
  appThreads(): k_thread[] {
    return [...this.threads].filter((t) => !t.system);
  }

  // ---- randomness ----

  /** Next 32-bit value of the board's seeded generator (xoshiro128**, see `rand.ts`). */
  rand32(): number {
    return this.rng.next();
  }
}

export { WaitQ, type WaitTarget };
