/**
 * `k_queue` and its `k_fifo` / `k_lifo` faces (Zephyr 3.7's `kernel/queue.c` and the kernel.h macros).
 *
 * Items are object references, as C items are pointers: the queue keeps the very object it was
 * given and `k_queue_get` returns it, no copy. C reserves the item's first word for the list link;
 * zsim keeps its own links, so an item need not have any particular shape.
 */
import { k_free, z_thread_malloc } from './kheap.ts';
import { z_handle_obj_poll_events, type Pollable, type PollWaiter } from './poll_signal.ts';
import { currentKernel, requireThread, z_pend_curr, z_reschedule, z_unpend_first_thread } from './sched.ts';
import { assertFail } from './thread_api.ts';
import { WaitQ } from './thread.ts';
import type { k_timeout_t } from './timeout.ts';
import { EINVAL, ENOMEM } from '../libc/errno.ts';

/** `K_POLL_STATE_DATA_AVAILABLE` and `K_POLL_STATE_CANCELLED`, as `poll.ts` defines them. */
const STATE_DATA_AVAILABLE = 1 << 2;
const STATE_CANCELLED = 1 << 3;

/** One link of the queue: the item and, for k_queue_alloc_*, the heap block C would have allocated. */
interface Node<T> {
  item: T;
  next: Node<T> | null;
  /** `struct alloc_node` from the caller's resource pool; null when the item was linked directly. */
  anode: Uint8Array | null;
}

/** `struct k_queue`. `T` is the item type (any object). */
export class k_queue<T extends object = object> implements Pollable {
  readonly kind: 'k_queue' | 'k_fifo' | 'k_lifo' = 'k_queue';
  name?: string;
  /** @internal */
  head: Node<T> | null = null;
  /** @internal */
  tail: Node<T> | null = null;
  /** @internal threads in k_queue_get */
  readonly wait_q = new WaitQ();
  readonly poll_events: PollWaiter[] = [];
}

/** `k_queue_init`. */
export function k_queue_init<T extends object>(queue: k_queue<T>): void {
  queue.head = queue.tail = null;
}

/** `K_QUEUE_DEFINE(name)`. */
export function K_QUEUE_DEFINE<T extends object = object>(name: string): k_queue<T> {
  const q = new k_queue<T>();
  q.name = name;
  return q;
}

function findNode<T extends object>(queue: k_queue<T>, data: T): [Node<T> | null, Node<T> | null] {
  let prev: Node<T> | null = null;
  // C compares list nodes with the item pointer, so items queued through an alloc_node never match.
  for (let n = queue.head; n; prev = n, n = n.next) if (n.item === data && n.anode === null) return [prev, n];
  return [prev, null];
}

function link<T extends object>(queue: k_queue<T>, prev: Node<T> | null, node: Node<T>): void {
  if (prev === null) {
    node.next = queue.head;
    queue.head = node;
  } else {
    node.next = prev.next;
    prev.next = node;
  }
  if (node.next === null) queue.tail = node;
}

function unlink<T extends object>(queue: k_queue<T>, prev: Node<T> | null, node: Node<T>): void {
  if (prev === null) queue.head = node.next;
  else prev.next = node.next;
  if (queue.tail === node) queue.tail = prev;
  node.next = null;
}

/** Node size of `struct alloc_node` (list link + data pointer). */
function anodeSize(): number {
  return currentKernel('k_queue_alloc_append').enabled('64BIT') ? 16 : 8;
}

/** `queue_insert`: hands `data` to the first waiter, or links it after `prev` (null: at the head). */
function queue_insert<T extends object>(queue: k_queue<T>, prev: Node<T> | null, data: T, alloc: boolean, isAppend: boolean): number {
  if (isAppend) prev = queue.tail;
  if (z_unpend_first_thread(queue.wait_q, 0, data)) return 0;
  // Allocation happens only when the item really has to wait in the queue.
  let anode: Uint8Array | null = null;
  if (alloc) {
    anode = z_thread_malloc(anodeSize());
    if (anode === null) return -ENOMEM;
  }
  link(queue, prev, { item: data, next: null, anode });
  z_handle_obj_poll_events(queue, STATE_DATA_AVAILABLE);
  return 0;
}

/** `k_queue_append`: adds at the tail. Callable from ISRs. */
export function k_queue_append<T extends object>(queue: k_queue<T>, data: T): void {
  queue_insert(queue, null, data, false, true);
}

/** `k_queue_prepend`: adds at the head. */
export function k_queue_prepend<T extends object>(queue: k_queue<T>, data: T): void {
  queue_insert(queue, null, data, false, false);
}

/** `k_queue_insert`: adds after `prev` (an item in the queue), or at the head when `prev` is null. */
export function k_queue_insert<T extends object>(queue: k_queue<T>, prev: T | null, data: T): void {
  let node: Node<T> | null = null;
  if (prev !== null) {
    node = findNode(queue, prev)[1];
    // C would link into whatever memory `prev` points at.
    if (node === null) assertFail(currentKernel('k_queue_insert'), 'k_queue_insert: prev is not in the queue');
  }
  queue_insert(queue, node, data, false, false);
}

/**
 * `k_queue_alloc_append`: like append, but the link is allocated from the caller's resource pool
 * (the system heap by default), so the item needs no reserved word. 0, or -ENOMEM.
 */
export function k_queue_alloc_append<T extends object>(queue: k_queue<T>, data: T): number {
  return queue_insert(queue, null, data, true, true);
}

/** `k_queue_alloc_prepend`: 0, or -ENOMEM. */
export function k_queue_alloc_prepend<T extends object>(queue: k_queue<T>, data: T): number {
  return queue_insert(queue, null, data, true, false);
}

/**
 * `k_queue_append_list(queue, head, tail)`: C passes a linked list; zsim takes the items as an
 * array. Waiters get the first items, the rest are appended. 0, or -EINVAL for an empty list.
 */
export function k_queue_append_list<T extends object>(queue: k_queue<T>, list: readonly T[]): number {
  if (list.length === 0) return -EINVAL;
  let i = 0;
  while (i < list.length && z_unpend_first_thread(queue.wait_q, 0, list[i])) i++;
  for (; i < list.length; i++) link(queue, queue.tail, { item: list[i]!, next: null, anode: null });
  z_handle_obj_poll_events(queue, STATE_DATA_AVAILABLE);
  return 0;
}

/** `k_queue_merge_slist`: appends every item of `list` and empties it. 0, or -EINVAL if empty. */
export function k_queue_merge_slist<T extends object>(queue: k_queue<T>, list: T[]): number {
  const rc = k_queue_append_list(queue, list);
  if (rc === 0) list.length = 0;
  return rc;
}

/**
 * `k_queue_get`: resolves to the head item, or null when none came within `timeout` (at once with
 * K_NO_WAIT) or `k_queue_cancel_wait` was called.
 */
export function k_queue_get<T extends object>(queue: k_queue<T>, timeout: k_timeout_t): Promise<T | null> {
  return queueGet(queue, timeout, 'k_queue_get');
}

function queueGet<T extends object>(queue: k_queue<T>, timeout: k_timeout_t, api: string): Promise<T | null> {
  const n = queue.head;
  if (n !== null) {
    unlink(queue, null, n);
    if (n.anode) k_free(n.anode);
    // A preemption point, as for k_sem_take: a better thread made ready meanwhile runs first.
    return z_reschedule(0).then(() => n.item);
  }
  if (timeout.kind === 1) return Promise.resolve(null);
  const t = requireThread(api);
  return z_pend_curr(queue.wait_q, queue, timeout, api).then((rc) => (rc !== 0 ? null : ((t.swapData as T | undefined) ?? null)));
}

/** `k_queue_remove`: unlinks `data` wherever it is; false when not found. */
export function k_queue_remove<T extends object>(queue: k_queue<T>, data: T): boolean {
  const [prev, node] = findNode(queue, data);
  if (node === null) return false;
  unlink(queue, prev, node);
  return true;
}

/** `k_queue_unique_append`: appends unless `data` is already queued; true when appended. */
export function k_queue_unique_append<T extends object>(queue: k_queue<T>, data: T): boolean {
  if (findNode(queue, data)[1] !== null) return false;
  k_queue_append(queue, data);
  return true;
}

/** `k_queue_cancel_wait`: the first thread in k_queue_get returns null; pollers see K_POLL_STATE_CANCELLED. */
export function k_queue_cancel_wait<T extends object>(queue: k_queue<T>): void {
  z_unpend_first_thread(queue.wait_q, 0, null);
  z_handle_obj_poll_events(queue, STATE_CANCELLED);
}

/** `k_queue_is_empty`: non-zero when empty (an int, as in C). */
export function k_queue_is_empty<T extends object>(queue: k_queue<T>): number {
  return queue.head === null ? 1 : 0;
}

/** `k_queue_peek_head`: the head item, left in place, or null. */
export function k_queue_peek_head<T extends object>(queue: k_queue<T>): T | null {
  return queue.head?.item ?? null;
}

/** `k_queue_peek_tail`: the tail item, left in place, or null. */
export function k_queue_peek_tail<T extends object>(queue: k_queue<T>): T | null {
  return queue.tail?.item ?? null;
}

// ---- k_fifo ----

/** `struct k_fifo`: a k_queue used first-in first-out. */
export class k_fifo<T extends object = object> extends k_queue<T> {
  override readonly kind = 'k_fifo';
}

/** `K_FIFO_DEFINE(name)`. */
export function K_FIFO_DEFINE<T extends object = object>(name: string): k_fifo<T> {
  const f = new k_fifo<T>();
  f.name = name;
  return f;
}

/** `k_fifo_init`. */
export const k_fifo_init: <T extends object>(fifo: k_fifo<T>) => void = k_queue_init;
/** `k_fifo_cancel_wait`. */
export const k_fifo_cancel_wait: <T extends object>(fifo: k_fifo<T>) => void = k_queue_cancel_wait;
/** `k_fifo_put`: appends `data`. */
export const k_fifo_put: <T extends object>(fifo: k_fifo<T>, data: T) => void = k_queue_append;
/** `k_fifo_alloc_put`: 0, or -ENOMEM. */
export const k_fifo_alloc_put: <T extends object>(fifo: k_fifo<T>, data: T) => number = k_queue_alloc_append;
/** `k_fifo_put_list` (items as an array): 0, or -EINVAL. */
export const k_fifo_put_list: <T extends object>(fifo: k_fifo<T>, list: readonly T[]) => number = k_queue_append_list;
/** `k_fifo_put_slist`: 0, or -EINVAL. */
export const k_fifo_put_slist: <T extends object>(fifo: k_fifo<T>, list: T[]) => number = k_queue_merge_slist;
/** `k_fifo_is_empty`. */
export const k_fifo_is_empty: <T extends object>(fifo: k_fifo<T>) => number = k_queue_is_empty;
/** `k_fifo_peek_head`. */
export const k_fifo_peek_head: <T extends object>(fifo: k_fifo<T>) => T | null = k_queue_peek_head;
/** `k_fifo_peek_tail`. */
export const k_fifo_peek_tail: <T extends object>(fifo: k_fifo<T>) => T | null = k_queue_peek_tail;

/** `k_fifo_get`: the oldest item, or null on timeout / K_NO_WAIT / cancel. */
export function k_fifo_get<T extends object>(fifo: k_fifo<T>, timeout: k_timeout_t): Promise<T | null> {
  return queueGet(fifo, timeout, 'k_fifo_get');
}

// ---- k_lifo ----

/** `struct k_lifo`: a k_queue used last-in first-out. */
export class k_lifo<T extends object = object> extends k_queue<T> {
  override readonly kind = 'k_lifo';
}

/** `K_LIFO_DEFINE(name)`. */
export function K_LIFO_DEFINE<T extends object = object>(name: string): k_lifo<T> {
  const l = new k_lifo<T>();
  l.name = name;
  return l;
}

/** `k_lifo_init`. */
export const k_lifo_init: <T extends object>(lifo: k_lifo<T>) => void = k_queue_init;
/** `k_lifo_put`: pushes `data`. */
export const k_lifo_put: <T extends object>(lifo: k_lifo<T>, data: T) => void = k_queue_prepend;
/** `k_lifo_alloc_put`: 0, or -ENOMEM. */
export const k_lifo_alloc_put: <T extends object>(lifo: k_lifo<T>, data: T) => number = k_queue_alloc_prepend;

/** `k_lifo_get`: the newest item, or null on timeout / K_NO_WAIT. */
export function k_lifo_get<T extends object>(lifo: k_lifo<T>, timeout: k_timeout_t): Promise<T | null> {
  return queueGet(lifo, timeout, 'k_lifo_get');
}
