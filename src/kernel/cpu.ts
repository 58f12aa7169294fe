/**
 * The one CPU all boards of a process share, and the dispatcher that hands it from thread to thread.
 *
 * zsim threads are async functions. A thread that blocks creates a promise, stores its resolver in
 * `k_thread.resume`, and calls `dispatch()`, which picks the next ready thread and resolves *its*
 * promise. Exactly one thread is ever between "resumed" and "blocked again", so `cpu.current` is
 * always the thread whose code is executing: that is what lets Zephyr's free functions
 * (`k_sleep`, `k_current_get`, ...) work without a context argument, for many boards in one process.
 * Boards take turns in FIFO order; inside a board the highest-priority ready thread runs.
 */
import { THREAD_RUNNING, type k_thread } from './thread.ts';
import type { Kernel } from './kernel.ts';
import { errno, set_errno } from '../libc/errno.ts';

/** Who is executing right now. */
export const cpu = {
  /** The running thread, or null in ISR context (timer expiry) or when idle. */
  current: null as k_thread | null,
  /** The board whose code is executing (thread or ISR), or null when idle. */
  kernel: null as Kernel | null,
  /** Interrupt nesting: > 0 while a timer expiry or a host event is being handled. */
  isr: 0,
};

/** Told when no thread of any board is ready. */
export interface IdleListener {
  onCpuIdle(): void;
}

// Boards waiting for the CPU, as an intrusive FIFO through `Kernel.nextQueued` (no allocation).
let runqHead: Kernel | null = null;
let runqTail: Kernel | null = null;
const idleListeners = new Set<IdleListener>();

export function addIdleListener(l: IdleListener): void {
  idleListeners.add(l);
}

export function removeIdleListener(l: IdleListener): void {
  idleListeners.delete(l);
}

/** Puts a board with ready threads in line for the CPU. */
export function queueKernel(k: Kernel): void {
  if (!k.queued) {
    k.queued = true;
    k.nextQueued = null;
    if (runqTail === null) runqHead = k;
    else runqTail.nextQueued = k;
    runqTail = k;
  }
}

/** True when some board has a ready thread waiting for the CPU. */
export function hasReadyKernels(): boolean {
  return runqHead !== null;
}

function noop(): void {}

/**
 * Gives the CPU to the next ready thread, or tells the simulations the CPU is idle.
 * Call only when no thread is running (`cpu.current === null`).
 */
export function dispatch(): void {
  for (;;) {
    const k = runqHead;
    if (k === null) {
      cpu.current = null;
      cpu.kernel = null;
      for (const l of idleListeners) l.onCpuIdle();
      return;
    }
    runqHead = k.nextQueued;
    if (runqHead === null) runqTail = null;
    k.nextQueued = null;
    k.queued = false;
    const t = k.takeNext();
    if (!t) continue;
    if (k.hasReady()) queueKernel(k);
    cpu.current = t;
    cpu.kernel = k;
    t.state = THREAD_RUNNING;
    set_errno(t.errno);
    if (k.tracer) k.tracer.event(k, 'switch', t);
    const resume = t.resume;
    t.resume = noop;
    resume(t.retval);
    return;
  }
}

/**
 * Suspends the running thread `t` (already queued on whatever will wake it) and runs the next one.
 * The promise resolves with the value the waker set in `t.retval` when `t` gets the CPU back.
 */
export function z_swap(t: k_thread): Promise<number> {
  t.errno = errno;
  swapping = t;
  const p = new Promise<number>(captureResume);
  cpu.current = null;
  dispatch();
  return p;
}

// One executor shared by every switch: a closure per switch costs measurable time at millions/s.
let swapping: k_thread | null = null;
function captureResume(resolve: (v: number) => void): void {
  swapping!.resume = resolve;
  swapping = null;
}

/** Wakes the dispatcher if the CPU is idle; used after ISR-context work made threads ready. */
export function kick(): void {
  // Safe from anywhere: dispatches only when no thread holds the CPU and no ISR is running.
  if (cpu.current === null && cpu.isr === 0) dispatch();
}
