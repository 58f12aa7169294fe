/**
 * Threads as apps use them: `k_thread_create`, `K_THREAD_DEFINE`, start, join, abort, suspend,
 * priorities, names, custom data (Zephyr's `kernel.h`, thread section, and `kernel/thread.c`).
 * Sleeping, uptime, cycles and random numbers live in `time_api.ts`, re-exported from here.
 */
import { cpu, dispatch, z_swap } from './cpu.ts';
import { K_ERR_CPU_EXCEPTION, K_ERR_KERNEL_PANIC, ThreadUnwind, type Kernel } from './kernel.ts';
import { currentKernel, requireThread, resolved, z_pend_curr, z_reschedule, z_unpend_all } from './sched.ts';
import {
  THREAD_DEAD, THREAD_NEW, THREAD_PENDING, THREAD_READY, THREAD_SUSPENDED,
  k_thread, k_thread_stack_t, type k_thread_entry_t, type k_tid_t,
} from './thread.ts';
import { K_FOREVER, K_MSEC, K_NO_WAIT, type k_timeout_t } from './timeout.ts';
import { EBUSY, EDEADLK, EINVAL, ENOSYS } from '../libc/errno.ts';

// The time calls were split out to time_api.ts; apps and kernel code imported them from here.
export * from './time_api.ts';

/** Thread options. */
export const K_ESSENTIAL = 1 << 0;
export const K_FP_REGS = 1 << 1;
export const K_USER = 1 << 2;
export const K_INHERIT_PERMS = 1 << 3;

function coopPrios(): number {
  return cpu.kernel?.coopPrios ?? 16;
}

/** `K_PRIO_COOP(x)`: cooperative priority x, i.e. `-(CONFIG_NUM_COOP_PRIORITIES - x)`. */
export function K_PRIO_COOP(x: number): number {
  return -(coopPrios() - x);
}
/** `K_PRIO_PREEMPT(x)`: preemptible priority x. */
export function K_PRIO_PREEMPT(x: number): number {
  return x;
}
/** The highest priority a thread can have. */
export function K_HIGHEST_THREAD_PRIO(): number {
  return -coopPrios();
}
/** The idle thread's priority. */
export function K_LOWEST_THREAD_PRIO(): number {
  return cpu.kernel?.preemptPrios ?? 15;
}
/** The lowest priority an app thread may use. */
export function K_LOWEST_APPLICATION_THREAD_PRIO(): number {
  return K_LOWEST_THREAD_PRIO() - 1;
}

/** `K_THREAD_STACK_DEFINE(name, size)`. */
export function K_THREAD_STACK_DEFINE(name: string, size: number): k_thread_stack_t {
  return new k_thread_stack_t(size, name);
}
/** `K_KERNEL_STACK_DEFINE(name, size)`. */
export const K_KERNEL_STACK_DEFINE = K_THREAD_STACK_DEFINE;
/** `K_THREAD_STACK_SIZEOF(stack)`. */
export function K_THREAD_STACK_SIZEOF(stack: k_thread_stack_t): number {
  return stack.size;
}

function validPrio(k: Kernel, prio: number): boolean {
  return Number.isInteger(prio) && prio >= -k.coopPrios && prio <= k.preemptPrios - 1;
}

/** Stops the current board with an assertion report (Zephyr's `__ASSERT` failure path). */
export function assertFail(k: Kernel, message: string): never {
  k.printk(`ASSERTION FAIL @ ${message}\n`);
  const t = cpu.current;
  k.fatal(K_ERR_KERNEL_PANIC, t, new Error(message));
  throw new ThreadUnwind(t, true);
}

async function runThread(t: k_thread): Promise<void> {
  const k = t.kernel;
  if (k.tracer) k.tracer.event(k, 'start', t);
  try {
    await t.entry!(t.p1, t.p2, t.p3);
  } catch (e) {
    if (!(e instanceof ThreadUnwind)) k.fatal(K_ERR_CPU_EXCEPTION, t, e);
    if (t.state !== THREAD_DEAD) markDead(t);
    if (cpu.current === t) {
      cpu.current = null;
      dispatch();
    }
    return;
  }
  if (t.state === THREAD_DEAD) return;
  if (k.tracer) k.tracer.event(k, 'exit', t);
  markDead(t);
  if (t.options & K_ESSENTIAL && !k.halted) {
    k.fatal(K_ERR_KERNEL_PANIC, t, new Error(`essential thread ${k.describeThread(t, { debug: true })} exited`));
  }
  if (cpu.current === t) {
    cpu.current = null;
    dispatch();
  }
}

function markDead(t: k_thread): void {
  const k = t.kernel;
  k.unready(t);
  k.host.timeouts.remove(t.tnode);
  if (t.pendQ) {
    t.pendQ.remove(t);
    t.pendQ = null;
  }
  if (k.held === t) k.held = null;
  t.state = THREAD_DEAD;
  k.threads.delete(t);
  if (t.joinWaiters !== null) z_unpend_all(t.joinWaiters, 0);
}

function startThread(t: k_thread): void {
  t.resume = () => queueMicrotask(() => void runThread(t));
  t.kernel.readyThread(t, 0);
}

/**
 * `k_thread_create`: creates a thread running `entry(p1, p2, p3)` at `prio`, started after `delay`
 * (`K_NO_WAIT` at once, `K_FOREVER` when `k_thread_start` is called). The entry may be async.
 */
export function k_thread_create(
  new_thread: k_thread,
  stack: k_thread_stack_t | null,
  stack_size: number,
  entry: k_thread_entry_t,
  p1: unknown,
  p2: unknown,
  p3: unknown,
  prio: number,
  options: number,
  delay: k_timeout_t,
): k_tid_t {
  const k = currentKernel('k_thread_create');
  if (!validPrio(k, prio)) {
    assertFail(k, `k_thread_create: invalid priority ${prio} (valid ${-k.coopPrios}..${k.preemptPrios - 1})`);
  }
  if (new_thread.state !== THREAD_NEW && new_thread.state !== THREAD_DEAD) {
    assertFail(k, `k_thread_create: thread ${k.describeThread(new_thread, { debug: true })} is already running`);
  }
  const t = new_thread;
  t.kernel = k;
  t.entry = entry;
  t.p1 = p1;
  t.p2 = p2;
  t.p3 = p3;
  t.prio = t.base_prio = prio;
  t.options = options;
  t.stack_size = stack ? Math.min(stack.size, stack_size || stack.size) : stack_size;
  // Zephyr's z_setup_new_thread: a thread allocates from its creator's resource pool. Created from
  // an ISR (or at boot), it has no creator and gets the default (see z_thread_malloc).
  const creator = cpu.isr === 0 ? cpu.current : null;
  t.resource_pool = creator !== null && creator.kernel === k ? creator.resource_pool : undefined;
  t.state = THREAD_NEW;
  k.threads.add(t);
  if (k.tracer) k.tracer.event(k, 'create', t);
  if (delay.kind === 1) startThread(t);
  else if (delay.kind !== 0) {
    t.resume = () => queueMicrotask(() => void runThread(t));
    k.addTimeout(t.tnode, k.expiryTick(delay));
  }
  return t;
}

/** `K_THREAD_DEFINE`: a thread the board starts at boot, before `main()`, after `delay`. */
export function K_THREAD_DEFINE(
  name: string,
  stack_size: number,
  entry: k_thread_entry_t,
  p1: unknown,
  p2: unknown,
  p3: unknown,
  prio: number,
  options: number,
  delay: k_timeout_t | number,
): k_tid_t {
  const k = currentKernel('K_THREAD_DEFINE');
  const t = new k_thread();
  // The macro's name becomes the thread's name only with CONFIG_THREAD_NAME, as in Zephyr.
  if (k.enabled('THREAD_NAME')) t.name = name;
  t.dbgName = name;
  t.kernel = k;
  t.entry = entry;
  t.p1 = p1;
  t.p2 = p2;
  t.p3 = p3;
  t.prio = t.base_prio = prio;
  t.options = options;
  t.stack_size = stack_size;
  // Zephyr's macro takes the delay in milliseconds.
  const d = typeof delay === 'number' ? (delay === 0 ? K_NO_WAIT : K_MSEC(delay)) : delay;
  k.staticThreads.push({ thread: t, delay: d });
  return t;
}

/** @internal starts the K_THREAD_DEFINE threads (called by the main thread at boot). */
export function z_init_static_threads(k: Kernel): void {
  for (const { thread, delay } of k.staticThreads.splice(0)) {
    const { entry, p1, p2, p3, prio, options, stack_size } = thread;
    if (!validPrio(k, prio)) assertFail(k, `K_THREAD_DEFINE(${thread.dbgName}): invalid priority ${prio}`);
    thread.state = THREAD_NEW;
    k_thread_create(thread, null, stack_size, entry!, p1, p2, p3, prio, options, delay);
  }
}

/** `k_thread_start`: starts a thread created with a `K_FOREVER` delay. */
export function k_thread_start(thread: k_tid_t): void {
  if (thread.state !== THREAD_NEW) return;
  thread.kernel.host.timeouts.remove(thread.tnode);
  startThread(thread);
}

/** `k_thread_join`: waits for `thread` to exit. 0, -EBUSY (K_NO_WAIT), -EAGAIN, -EDEADLK. */
export function k_thread_join(thread: k_tid_t, timeout: k_timeout_t): Promise<number> {
  const t = requireThread('k_thread_join');
  if (thread.state === THREAD_DEAD || (thread.state === THREAD_NEW && !thread.kernel)) return resolved(0);
  if (timeout.kind === 1) return resolved(-EBUSY);
  if (thread === t || (t.joinWaiters?.has(thread) ?? false)) return resolved(-EDEADLK);
  return z_pend_curr(thread.joinQ, thread, timeout, 'k_thread_join');
}

/**
 * `k_thread_abort`. Aborting the calling thread does not return: it unwinds the thread's stack with
 * an exception that zsim catches (do not swallow `ThreadUnwind` in a catch-all).
 */
export function k_thread_abort(thread: k_tid_t): void {
  if (thread.state === THREAD_DEAD || !thread.kernel) return;
  const k = thread.kernel;
  if (k.tracer) k.tracer.event(k, 'abort', thread);
  markDead(thread);
  if (thread.options & K_ESSENTIAL) {
    k.fatal(K_ERR_KERNEL_PANIC, thread, new Error(`essential thread ${k.describeThread(thread, { debug: true })} aborted`));
  }
  if (thread === cpu.current) throw new ThreadUnwind(thread, false);
}

/** `k_thread_suspend`: a suspended thread runs no more until `k_thread_resume`. Async: may block the caller. */
export function k_thread_suspend(thread: k_tid_t): Promise<void> {
  const k = thread.kernel;
  if (!k || thread.state === THREAD_DEAD || thread.state === THREAD_SUSPENDED) return Promise.resolve();
  if (thread === cpu.current) {
    thread.state = THREAD_SUSPENDED;
    return z_swap(thread).then(() => undefined);
  }
  if (thread.state === THREAD_PENDING) {
    // It stays on its wait queue; a wake-up while suspended is kept until k_thread_resume.
    thread.suspendedFrom = THREAD_PENDING;
    return Promise.resolve();
  }
  k.unready(thread);
  k.host.timeouts.remove(thread.tnode);
  thread.state = THREAD_SUSPENDED;
  return Promise.resolve();
}

/** `k_thread_resume`. */
export function k_thread_resume(thread: k_tid_t): void {
  if (thread.suspendedFrom === THREAD_PENDING) {
    thread.suspendedFrom = 0;
    return;
  }
  if (thread.state === THREAD_SUSPENDED) thread.kernel.readyThread(thread, thread.retval);
}

/** `k_current_get`: the running thread (in an ISR, null). */
export function k_current_get(): k_tid_t {
  return cpu.current as k_tid_t;
}

/** `k_is_in_isr`. */
export function k_is_in_isr(): boolean {
  return cpu.current === null && cpu.isr > 0;
}

/** `k_is_preempt_thread`: the caller is a preemptible thread and the scheduler is not locked. */
export function k_is_preempt_thread(): boolean {
  const t = cpu.current;
  return t !== null && t.prio >= 0 && t.schedLocked === 0;
}

/** `k_sched_lock`: no preemption of the caller until `k_sched_unlock`. */
export function k_sched_lock(): void {
  const t = cpu.current;
  if (t) t.schedLocked++;
}

/** `k_sched_unlock`. */
export function k_sched_unlock(): void {
  const t = cpu.current;
  if (t && t.schedLocked > 0) t.schedLocked--;
}

/** `k_thread_priority_get`. */
export function k_thread_priority_get(thread: k_tid_t): number {
  return thread.prio;
}

/** `k_thread_priority_set`: takes effect at once for ready and pending threads. */
export function k_thread_priority_set(thread: k_tid_t, prio: number): void {
  const k = thread.kernel ?? currentKernel('k_thread_priority_set');
  if (!validPrio(k, prio)) assertFail(k, `k_thread_priority_set: invalid priority ${prio}`);
  thread.base_prio = prio;
  setEffectivePrio(thread, prio);
}

/** @internal changes the scheduling priority, keeping queues ordered (also used by mutexes). */
export function setEffectivePrio(thread: k_thread, prio: number): void {
  if (thread.prio === prio) return;
  const k = thread.kernel;
  if (thread.state === THREAD_READY && k.unready(thread)) {
    thread.prio = prio;
    k.readyThread(thread, thread.retval);
  } else {
    thread.prio = prio;
    if (thread.pendQ) thread.pendQ.reposition(thread);
  }
}

/** Whether thread names exist on the board of `t` (or the running board); true outside any board. */
function namesEnabled(t: k_thread | null): boolean {
  const k = t?.kernel ?? cpu.kernel;
  // Without a board there is no configuration to consult: keep names, as before gating existed.
  return k ? k.enabled('THREAD_NAME') : true;
}

/**
 * `k_thread_name_set`: `null` names the calling thread. 0, or -ENOSYS without
 * `CONFIG_THREAD_NAME` (the name is then kept only for zsim's reports, not for the app).
 */
export function k_thread_name_set(thread: k_tid_t | null, name: string): number {
  const t = thread ?? cpu.current;
  const enabled = namesEnabled(t);
  // Names are 31 characters, as with Zephyr's default CONFIG_THREAD_MAX_NAME_LEN of 32.
  if (t) t.dbgName = name.slice(0, 31);
  if (!enabled) return -ENOSYS;
  if (!t) return -EINVAL;
  t.name = name.slice(0, 31);
  return 0;
}

/** `k_thread_name_get`: the name (empty if never set), or null without `CONFIG_THREAD_NAME`. */
export function k_thread_name_get(thread: k_tid_t): string | null {
  return namesEnabled(thread) ? thread.name : null;
}

/** `k_thread_state_str`. */
export function k_thread_state_str(thread: k_tid_t): string {
  return thread.stateName;
}

/** `k_thread_custom_data_set`. */
export function k_thread_custom_data_set(value: unknown): void {
  const t = cpu.current;
  if (t) t.custom_data = value;
}

/** `k_thread_custom_data_get`. */
export function k_thread_custom_data_get(): unknown {
  return cpu.current?.custom_data;
}

/** `k_thread_foreach`: calls `cb` for each live thread of the current board, in creation order. */
export function k_thread_foreach(cb: (t: k_thread, user_data: unknown) => void, user_data?: unknown): void {
  for (const t of currentKernel('k_thread_foreach').threads) cb(t, user_data);
}

export { K_FOREVER, K_NO_WAIT, z_reschedule };

/** `k_object_access_grant`: zsim has no user mode, so every thread may use every object. */
export function k_object_access_grant(_object: object, _thread: k_tid_t): void {}
