/**
 * Threads and time as apps use them: `k_thread_create`, `K_THREAD_DEFINE`, `k_sleep`, `k_yield`,
 * `k_uptime_get`, ... (Zephyr's `kernel.h`, thread and timing sections).
 */
import { cpu, dispatch, z_swap } from './cpu.ts';
import { K_ERR_CPU_EXCEPTION, K_ERR_KERNEL_PANIC, ThreadUnwind, type Kernel } from './kernel.ts';
import { currentKernel, requireThread, resolved, z_pend_curr, z_reschedule, z_unpend_all } from './sched.ts';
import {
  THREAD_BUSY, THREAD_DEAD, THREAD_NEW, THREAD_PENDING, THREAD_READY, THREAD_SLEEPING, THREAD_SUSPENDED,
  k_thread, k_thread_stack_t, type k_thread_entry_t, type k_tid_t,
} from './thread.ts';
import {
  K_FOREVER, K_MSEC, K_NO_WAIT, K_TICKS_FOREVER, K_USEC, type k_timeout_t, ticksToMsCeil, ticksToMsFloor, ticksToUsCeil,
} from './timeout.ts';
import { EBUSY, EDEADLK, EINVAL } from '../libc/errno.ts';

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
    k.fatal(K_ERR_KERNEL_PANIC, t, new Error(`essential thread ${k.describeThread(t)} exited`));
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
  z_unpend_all(t.joinQ, 0);
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
    assertFail(k, `k_thread_create: thread ${k.describeThread(new_thread)} is already running`);
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
  t.name = name;
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
    if (!validPrio(k, prio)) assertFail(k, `K_THREAD_DEFINE(${thread.name}): invalid priority ${prio}`);
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
  if (thread === t || t.joinQ.threads.includes(thread)) return resolved(-EDEADLK);
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
    k.fatal(K_ERR_KERNEL_PANIC, thread, new Error(`essential thread ${k.describeThread(thread)} aborted`));
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

/** `k_thread_name_set`: `null` names the calling thread. Returns 0. */
export function k_thread_name_set(thread: k_tid_t | null, name: string): number {
  const t = thread ?? cpu.current;
  if (!t) return -EINVAL;
  t.name = name.slice(0, 31);
  return 0;
}

/** `k_thread_name_get`. */
export function k_thread_name_get(thread: k_tid_t): string {
  return thread.name;
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

export { K_FOREVER, K_NO_WAIT, z_reschedule };

/** `k_object_access_grant`: zsim has no user mode, so every thread may use every object. */
export function k_object_access_grant(_object: object, _thread: k_tid_t): void {}
