/**
 * Kernel heaps (`k_heap_*`), the board's system heap (`k_malloc`, `k_calloc`, `k_aligned_alloc`,
 * `k_realloc`, `k_free`, sized by `CONFIG_HEAP_MEM_POOL_SIZE`) and thread resource pools, after
 * Zephyr 3.7's `kernel/kheap.c` and `kernel/mempool.c`.
 *
 * Memory handed out is a plain `Uint8Array` (the C pointer), but every allocation is also carved
 * out of a model of sys_heap's chunk layout (`sys_heap.ts`), so whether an allocation fits,
 * including failures from fragmentation, is what the same board would see under Zephyr.
 */
import { cpu } from './cpu.ts';
import type { Kernel } from './kernel.ts';
import { currentKernel, z_pend_curr, z_unpend_all } from './sched.ts';
import { SysHeap } from './sys_heap.ts';
import { WaitQ, type k_thread } from './thread.ts';
import { assertFail } from './thread_api.ts';
import { k_timeout_t, unitsToTicksCeil } from './timeout.ts';

/** `Z_HEAP_MIN_SIZE`: the smallest heap that can serve a 1-byte allocation. */
export function Z_HEAP_MIN_SIZE(): number {
  return ptrSize(cpu.kernel) > 4 ? 56 : 44;
}

function ptrSize(k: Kernel | null): 4 | 8 {
  return k?.enabled('64BIT') ? 8 : 4;
}

/** `struct k_heap`: a sys_heap plus a wait queue for blocking allocations. */
export class k_heap {
  readonly kind = 'k_heap';
  name?: string;
  /** @internal the chunk model, set by `k_heap_init`. */
  heap: SysHeap | null = null;
  /** @internal */
  readonly wait_q = new WaitQ();
}

/** Where an allocation lives: its heap, the address in the chunk model, and how it was made. */
interface Block {
  heap: k_heap;
  mem: number;
  /** Made by k_malloc & co.: `mem` is the hidden heap reference slot before the user bytes. */
  sys: boolean;
}

const blocks = new WeakMap<Uint8Array, Block>();

/** A chunk model laid out as the board's build would lay it out (pointer size, stats fields). */
function newModel(k: Kernel | null, bytes: number): SysHeap {
  const stats = k?.enabled('SYS_HEAP_RUNTIME_STATS') ?? false;
  return new SysHeap(bytes, ptrSize(k), stats, k?.cfgInt('SYS_HEAP_ALLOC_LOOPS') || 3);
}

/** `k_heap_init(h, mem, bytes)`: `mem` is ignored (zsim keeps no backing store), `bytes` counts. */
export function k_heap_init(h: k_heap, mem: Uint8Array | null, bytes: number): void {
  const k = cpu.kernel;
  try {
    h.heap = newModel(k, bytes);
  } catch (e) {
    // Zephyr's "heap size is too small" assertion.
    if (k) assertFail(k, `k_heap_init: ${(e as Error).message}`);
    throw e;
  }
}

/** `K_HEAP_DEFINE(name, bytes)`: a heap of at least `Z_HEAP_MIN_SIZE` bytes. */
export function K_HEAP_DEFINE(name: string, bytes: number): k_heap {
  const h = new k_heap();
  h.name = name;
  k_heap_init(h, null, Math.max(bytes, Z_HEAP_MIN_SIZE()));
  return h;
}

function model(h: k_heap): SysHeap {
  if (!h.heap) throw new Error(`k_heap ${h.name ?? ''} used before k_heap_init`);
  return h.heap;
}

function wrap(h: k_heap, mem: number, size: number, sys: boolean): Uint8Array | null {
  if (mem === 0) return null;
  const a = new Uint8Array(size);
  blocks.set(a, { heap: h, mem, sys });
  return a;
}

/** Absolute tick of a timeout's deadline (`sys_timepoint_calc`); Infinity for K_FOREVER. */
function timepoint(k: Kernel, timeout: k_timeout_t): number {
  if (timeout.kind === 0) return Infinity;
  if (timeout.kind === 1) return 0;
  const n = unitsToTicksCeil(timeout.n, timeout.per, k.tps);
  return timeout.kind === 3 ? n : k.ticks() + Math.max(1, n);
}

/**
 * Zephyr's blocking-allocation loop: retry after every free until the deadline. Like Zephyr, the
 * wait after the deadline passed is one more tick (a zero-tick relative timeout), so a request
 * that never fits returns NULL two ticks after the deadline.
 */
async function blockingAlloc(h: k_heap, timeout: k_timeout_t, api: string, attempt: () => number): Promise<number> {
  let mem = attempt();
  if (mem !== 0 || timeout.kind === 1) return mem;
  const k = currentKernel(api);
  const end = timepoint(k, timeout);
  for (;;) {
    const remaining = end === Infinity ? -1 : Math.max(0, end - k.ticks());
    const wait = remaining < 0 ? timeout : new k_timeout_t(2, remaining, 0);
    await z_pend_curr(h.wait_q, h, wait, api);
    mem = attempt();
    if (mem !== 0 || remaining === 0) return mem;
  }
}

/** `k_heap_aligned_alloc`: waits up to `timeout` for a free; resolves to the block or null. */
export function k_heap_aligned_alloc(h: k_heap, align: number, bytes: number, timeout: k_timeout_t): Promise<Uint8Array | null> {
  const m = model(h);
  return blockingAlloc(h, timeout, 'k_heap_aligned_alloc', () => m.alignedAlloc(align, bytes)).then((mem) =>
    wrap(h, mem, bytes, false),
  );
}

/** `k_heap_alloc`: `k_heap_aligned_alloc` with pointer alignment. */
export function k_heap_alloc(h: k_heap, bytes: number, timeout: k_timeout_t): Promise<Uint8Array | null> {
  return k_heap_aligned_alloc(h, model(h).ptr, bytes, timeout);
}

/** `k_heap_calloc`: zeroed (every zsim block is), with C's overflow check. */
export function k_heap_calloc(h: k_heap, num: number, size: number, timeout: k_timeout_t): Promise<Uint8Array | null> {
  const bytes = num * size;
  if (bytes > 0xffffffff) return Promise.resolve(null);
  return k_heap_alloc(h, bytes, timeout);
}

function lookup(mem: Uint8Array, api: string, h: k_heap | null, sys: boolean): Block | null {
  const b = blocks.get(mem);
  if (b && (h === null || b.heap === h) && b.sys === sys) return b;
  // Zephyr's "unexpected heap state (double-free?)" assertion; without CONFIG_ASSERT the C heap
  // would be silently corrupted, which a model cannot show, so the call is ignored.
  const k = cpu.kernel;
  if (k?.enabled('ASSERT')) assertFail(k, `${api}: unexpected heap state (double-free?) for memory at ${k.addrStr(mem)}`);
  return null;
}

function release(b: Block, mem: Uint8Array): void {
  blocks.delete(mem);
  model(b.heap).free(b.mem);
  z_unpend_all(b.heap.wait_q, 0);
}

/** `k_heap_free`: returns a block and lets every waiting allocation retry. NULL is ignored. */
export function k_heap_free(h: k_heap, mem: Uint8Array | null): void {
  if (mem === null) return;
  const b = lookup(mem, 'k_heap_free', h, false);
  if (b) release(b, mem);
}

/** Resizes in place when the chunk model allows it, else allocates, copies and frees, like sys_heap_aligned_realloc. */
function reallocNow(b: Block, mem: Uint8Array, align: number, bytes: number, size: number): Uint8Array | null {
  const m = model(b.heap);
  let addr = b.mem;
  if (!((align === 0 || addr % align === 0) && m.reallocInPlace(addr, bytes))) {
    addr = m.alignedAlloc(align, bytes);
    if (addr === 0) return null;
    m.free(b.mem);
  }
  // A JavaScript array cannot grow, so even an in-place resize gives a new array; the old one is dead.
  blocks.delete(mem);
  const out = wrap(b.heap, addr, size, b.sys)!;
  out.set(mem.subarray(0, Math.min(mem.length, size)));
  return out;
}

/** `k_heap_realloc`: NULL `ptr` allocates, 0 `bytes` frees; waits up to `timeout` for room. */
export async function k_heap_realloc(h: k_heap, ptr: Uint8Array | null, bytes: number, timeout: k_timeout_t): Promise<Uint8Array | null> {
  if (ptr === null) return k_heap_alloc(h, bytes, timeout);
  const b = lookup(ptr, 'k_heap_realloc', h, false);
  if (!b) return null;
  if (bytes === 0) {
    release(b, ptr);
    return null;
  }
  let out: Uint8Array | null = null;
  await blockingAlloc(h, timeout, 'k_heap_realloc', () => {
    out = reallocNow(b, ptr, model(h).ptr, bytes, bytes);
    return out ? 1 : 0;
  });
  return out;
}

// ---- the system heap and thread resource pools (kernel/mempool.c) ----

/** The board's `_system_heap` (`CONFIG_HEAP_MEM_POOL_SIZE` bytes), or null when the size is 0. */
export function z_system_heap(k: Kernel): k_heap | null {
  let h = k.subsys.get('k_heap.system') as k_heap | null | undefined;
  if (h === undefined) {
    const size = k.cfgInt('HEAP_MEM_POOL_SIZE');
    h = null;
    if (size > 0) {
      // K_HEAP_DEFINE(_system_heap, K_HEAP_MEM_POOL_SIZE), created when first used.
      h = new k_heap();
      h.name = '_system_heap';
      h.heap = newModel(k, Math.max(size, ptrSize(k) > 4 ? 56 : 44));
    }
    k.subsys.set('k_heap.system', h);
  }
  return h;
}

/** `z_heap_aligned_alloc`: a block with a hidden heap reference in front, as k_free needs. */
function sysAlloc(h: k_heap | null, align: number, size: number): Uint8Array | null {
  if (h === null || size > 0xffffffff) return null;
  const m = model(h);
  // The alignment's low bit doubles as a "rewind" so the reference sits right below the aligned bytes.
  return wrap(h, m.alignedAlloc(align | m.ptr, size + m.ptr), size, true);
}

/** `k_aligned_alloc(align, size)`: from the system heap; null when it has no room. */
export function k_aligned_alloc(align: number, size: number): Uint8Array | null {
  const k = currentKernel('k_aligned_alloc');
  if (align < ptrSize(k) || align % ptrSize(k) !== 0 || (align & (align - 1)) !== 0) {
    if (k.enabled('ASSERT')) assertFail(k, 'k_aligned_alloc: align must be a power of 2 multiple of sizeof(void *)');
  }
  return sysAlloc(z_system_heap(k), align, size);
}

/** `k_malloc(size)`: from the system heap (`CONFIG_HEAP_MEM_POOL_SIZE`); null when out of memory. */
export function k_malloc(size: number): Uint8Array | null {
  const k = currentKernel('k_malloc');
  return sysAlloc(z_system_heap(k), ptrSize(k), size);
}

/** `k_calloc(nmemb, size)`: zero-filled; null on overflow or out of memory. */
export function k_calloc(nmemb: number, size: number): Uint8Array | null {
  const bytes = nmemb * size;
  return bytes > 0xffffffff ? null : k_malloc(bytes);
}

/** `k_free(ptr)`: returns memory from k_malloc & co. (or kernel-internal allocations). NULL is ignored. */
export function k_free(ptr: Uint8Array | null): void {
  if (ptr === null) return;
  const b = lookup(ptr, 'k_free', null, true);
  if (b) release(b, ptr);
}

/**
 * `k_realloc(ptr, size)`: NULL `ptr` is k_malloc, 0 `size` is k_free. The result is always a new
 * array (the old one must not be used), even when Zephyr would have kept the address.
 */
export function k_realloc(ptr: Uint8Array | null, size: number): Uint8Array | null {
  if (size === 0) {
    k_free(ptr);
    return null;
  }
  if (ptr === null) return k_malloc(size);
  const b = lookup(ptr, 'k_realloc', null, true);
  if (!b) return null;
  const p = model(b.heap).ptr;
  return reallocNow(b, ptr, p, size + p, size);
}

/**
 * `k_thread_heap_assign`: the heap kernel calls (k_queue_alloc_append, ...) allocate from for
 * `thread`, and for the threads it creates afterwards (`k_thread_create` copies it).
 */
export function k_thread_heap_assign(thread: k_thread, heap: k_heap | null): void {
  thread.resource_pool = heap;
}

/** `k_thread_system_pool_assign`: gives `thread` the system heap as its resource pool. */
export function k_thread_system_pool_assign(thread: k_thread): void {
  thread.resource_pool = z_system_heap(thread.kernel ?? currentKernel('k_thread_system_pool_assign'));
}

/**
 * `z_thread_malloc`: allocates on behalf of the caller from its resource pool (the system heap in
 * an ISR). Zephyr gives the boot thread the system heap and threads inherit their creator's pool,
 * so a thread whose pool was never assigned, by it or an ancestor, uses the system heap here.
 * Free with `k_free`.
 */
export function z_thread_malloc(size: number): Uint8Array | null {
  const k = currentKernel('z_thread_malloc');
  const t = cpu.current;
  const h = t === null || t.resource_pool === undefined ? z_system_heap(k) : t.resource_pool;
  return sysAlloc(h, 0, size);
}

// ---- statistics ----

/** `struct sys_memory_stats`. */
export interface sys_memory_stats {
  free_bytes: number;
  allocated_bytes: number;
  max_allocated_bytes: number;
}

/** `sys_heap_runtime_stats_get` on a k_heap: bytes in chunks, headers included, as Zephyr counts them. */
export function sys_heap_runtime_stats_get(heap: k_heap, stats: sys_memory_stats): number {
  const m = model(heap);
  stats.free_bytes = m.free_bytes;
  stats.allocated_bytes = m.allocated_bytes;
  stats.max_allocated_bytes = m.max_allocated_bytes;
  return 0;
}

/** How much of a heap is used, for memory reports. */
export interface HeapUsage extends sys_memory_stats {
  /** Bytes the heap was created with (`CONFIG_HEAP_MEM_POOL_SIZE` for the system heap). */
  total_bytes: number;
}

/** Usage of a board's system heap, or null when it has none. */
export function z_system_heap_usage(k: Kernel): HeapUsage | null {
  const h = z_system_heap(k);
  if (!h) return null;
  const m = model(h);
  return { total_bytes: m.total, free_bytes: m.free_bytes, allocated_bytes: m.allocated_bytes, max_allocated_bytes: m.max_allocated_bytes };
}
