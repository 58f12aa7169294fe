/**
 * `k_msgq`: fixed-size message queues (Zephyr's `kernel/msg_q.c`).
 *
 * Messages are copied in and out, as C's memcpy does, in one of two shapes:
 * - a `Uint8Array` of at least `msg_size` bytes: `msg_size` bytes are copied into the queue, and
 *   `k_msgq_get`/`k_msgq_peek` copy them into the caller's `Uint8Array`;
 * - a plain object (a C struct): shallow-copied into the queue, and `Object.assign`ed into the
 *   caller's object on `get`/`peek`. `msg_size` is then only the declared struct size.
 * Either way the caller may reuse its buffer as soon as the call returns.
 */
import { k_free, z_thread_malloc } from './kheap.ts';
import { z_handle_obj_poll_events, type Pollable, type PollWaiter } from './poll_signal.ts';
import { currentKernel, requireThread, resolved, z_pend_curr, z_reschedule, z_unpend_all, z_unpend_first_thread } from './sched.ts';
import { WaitQ, type k_thread } from './thread.ts';
import { assertFail } from './thread_api.ts';
import { K_NO_WAIT, type k_timeout_t } from './timeout.ts';
import { EBUSY, EINVAL, ENOMEM, ENOMSG } from '../libc/errno.ts';

/** `K_POLL_STATE_MSGQ_DATA_AVAILABLE`, as `poll.ts` defines it. */
const STATE_MSGQ_DATA_AVAILABLE = 1 << 4;

/** `K_MSGQ_FLAG_ALLOC`: the buffer came from `k_msgq_alloc_init`. */
export const K_MSGQ_FLAG_ALLOC = 1 << 0;

/** `struct k_msgq`. `M` is the message shape: `Uint8Array` (default) or a struct-like object. */
export class k_msgq<M extends object = Uint8Array> implements Pollable {
  readonly kind = 'k_msgq';
  name?: string;
  msg_size = 0;
  max_msgs = 0;
  used_msgs = 0;
  flags = 0;
  /** @internal the ring buffer: `max_msgs` slots, read at `read_idx`, written at `write_idx`. */
  buffer: (M | undefined)[] = [];
  /** @internal */
  read_idx = 0;
  /** @internal */
  write_idx = 0;
  /** @internal senders waiting for room and receivers waiting for a message (one queue, as in C). */
  readonly wait_q = new WaitQ();
  /** @internal each waiter's message or receive buffer (C's `swap_data`). */
  readonly swap = new Map<k_thread, M>();
  /** @internal buffer from k_msgq_alloc_init */
  alloc: Uint8Array | null = null;
  readonly poll_events: PollWaiter[] = [];
}

/** `struct k_msgq_attrs`. */
export interface k_msgq_attrs {
  msg_size: number;
  max_msgs: number;
  used_msgs: number;
}

/** `k_msgq_init(msgq, msg_size, max_msgs)` (C's buffer argument is not needed). */
export function k_msgq_init<M extends object>(msgq: k_msgq<M>, msg_size: number, max_msgs: number): void {
  msgq.msg_size = msg_size;
  msgq.max_msgs = max_msgs;
  msgq.buffer = new Array<M | undefined>(max_msgs).fill(undefined);
  msgq.read_idx = msgq.write_idx = 0;
  msgq.used_msgs = 0;
  msgq.flags = 0;
}

/** `K_MSGQ_DEFINE(name, msg_size, max_msgs, align)`. */
export function K_MSGQ_DEFINE<M extends object = Uint8Array>(name: string, msg_size: number, max_msgs: number, align = 1): k_msgq<M> {
  void align;
  const q = new k_msgq<M>();
  q.name = name;
  k_msgq_init(q, msg_size, max_msgs);
  return q;
}

/** `k_msgq_alloc_init`: the buffer comes from the caller's resource pool. 0, -EINVAL (overflow), -ENOMEM. */
export function k_msgq_alloc_init<M extends object>(msgq: k_msgq<M>, msg_size: number, max_msgs: number): number {
  const total = msg_size * max_msgs;
  if (total > 0xffffffff) return -EINVAL;
  const buf = z_thread_malloc(total);
  if (buf === null) return -ENOMEM;
  k_msgq_init(msgq, msg_size, max_msgs);
  msgq.alloc = buf;
  msgq.flags = K_MSGQ_FLAG_ALLOC;
  return 0;
}

/** `k_msgq_cleanup`: frees an alloc_init buffer. 0, or -EBUSY while threads wait on the queue. */
export function k_msgq_cleanup<M extends object>(msgq: k_msgq<M>): number {
  if (msgq.wait_q.length > 0) return -EBUSY;
  if (msgq.flags & K_MSGQ_FLAG_ALLOC) {
    k_free(msgq.alloc);
    msgq.alloc = null;
    msgq.flags &= ~K_MSGQ_FLAG_ALLOC;
  }
  return 0;
}

/** The queue's own copy of a message (memcpy into the ring buffer). */
function copyIn<M extends object>(msgq: k_msgq<M>, data: M): M {
  if (data instanceof Uint8Array) {
    if (data.length < msgq.msg_size) badBuffer(msgq, data.length);
    return data.slice(0, msgq.msg_size) as M;
  }
  return Object.assign(Object.create(Object.getPrototypeOf(data) as object | null) as M, data);
}

/** Copies a message into the caller's buffer (memcpy out of the ring buffer). */
function copyOut<M extends object>(msgq: k_msgq<M>, msg: M, dest: M): void {
  if (dest instanceof Uint8Array) {
    if (!(msg instanceof Uint8Array)) throw new TypeError(`k_msgq ${msgq.name ?? ''}: object message read into a Uint8Array`);
    if (dest.length < msgq.msg_size) badBuffer(msgq, dest.length);
    dest.set(msg.subarray(0, msgq.msg_size));
  } else {
    Object.assign(dest, msg);
  }
}

function badBuffer(msgq: k_msgq<object>, len: number): never {
  // C would read or write past the end of the caller's buffer.
  assertFail(currentKernel('k_msgq'), `k_msgq ${msgq.name ?? ''}: buffer of ${len} bytes, msg_size is ${msgq.msg_size}`);
}

function put_msg_in_queue<M extends object>(msgq: k_msgq<M>, data: M, timeout: k_timeout_t, back: boolean, api: string): Promise<number> {
  if (msgq.used_msgs < msgq.max_msgs) {
    // Room means nobody waits to send: a waiter is a receiver, and gets the message directly.
    const receiver = msgq.wait_q.first();
    if (receiver) {
      copyOut(msgq, copyIn(msgq, data), msgq.swap.get(receiver)!);
    } else {
      const msg = copyIn(msgq, data);
      if (back) {
        msgq.buffer[msgq.write_idx] = msg;
        msgq.write_idx = (msgq.write_idx + 1) % msgq.max_msgs;
      } else {
        msgq.read_idx = (msgq.read_idx + msgq.max_msgs - 1) % msgq.max_msgs;
        msgq.buffer[msgq.read_idx] = msg;
      }
      msgq.used_msgs++;
      z_handle_obj_poll_events(msgq, STATE_MSGQ_DATA_AVAILABLE);
    }
    if (receiver) z_unpend_first_thread(msgq.wait_q, 0);
    return z_reschedule(0);
  }
  if (timeout.kind === 1) return resolved(-ENOMSG);
  return pend(msgq, data, timeout, api);
}

function pend<M extends object>(msgq: k_msgq<M>, data: M, timeout: k_timeout_t, api: string): Promise<number> {
  const t = requireThread(api);
  // Registered before pending: a timer ISR may run while the caller is being switched out.
  msgq.swap.set(t, data);
  return z_pend_curr(msgq.wait_q, msgq, timeout, api).then((rc) => {
    msgq.swap.delete(t);
    return rc;
  });
}

/**
 * `k_msgq_put`: copies `data` to the back of the queue. 0; -ENOMSG when full with K_NO_WAIT;
 * -EAGAIN when still full at the timeout; -ENOMSG when the queue is purged while waiting.
 */
export function k_msgq_put<M extends object>(msgq: k_msgq<M>, data: M, timeout: k_timeout_t): Promise<number> {
  return put_msg_in_queue(msgq, data, timeout, true, 'k_msgq_put');
}

/** `k_msgq_put_front` (Zephyr 4.1+): copies `data` to the front, never waits. 0, or -ENOMSG when full. */
export function k_msgq_put_front<M extends object>(msgq: k_msgq<M>, data: M): Promise<number> {
  return put_msg_in_queue(msgq, data, K_NO_WAIT, false, 'k_msgq_put_front');
}

/**
 * `k_msgq_get`: copies the oldest message into `data`. 0; -ENOMSG when empty with K_NO_WAIT;
 * -EAGAIN when nothing came before the timeout.
 */
export function k_msgq_get<M extends object>(msgq: k_msgq<M>, data: M, timeout: k_timeout_t): Promise<number> {
  if (msgq.used_msgs > 0) {
    copyOut(msgq, msgq.buffer[msgq.read_idx]!, data);
    msgq.buffer[msgq.read_idx] = undefined;
    msgq.read_idx = (msgq.read_idx + 1) % msgq.max_msgs;
    msgq.used_msgs--;
    // The slot just freed goes to the first sender waiting for room, if any.
    const sender = msgq.wait_q.first();
    if (sender) {
      msgq.buffer[msgq.write_idx] = copyIn(msgq, msgq.swap.get(sender)!);
      msgq.write_idx = (msgq.write_idx + 1) % msgq.max_msgs;
      msgq.used_msgs++;
      z_unpend_first_thread(msgq.wait_q, 0);
    }
    return z_reschedule(0);
  }
  if (timeout.kind === 1) return resolved(-ENOMSG);
  return pend(msgq, data, timeout, 'k_msgq_get');
}

/** `k_msgq_peek`: copies the oldest message into `data`, leaving it queued. 0, or -ENOMSG. */
export function k_msgq_peek<M extends object>(msgq: k_msgq<M>, data: M): number {
  return k_msgq_peek_at(msgq, data, 0);
}

/** `k_msgq_peek_at`: copies message `idx` (0 is the oldest) into `data`. 0, or -ENOMSG. */
export function k_msgq_peek_at<M extends object>(msgq: k_msgq<M>, data: M, idx: number): number {
  if (msgq.used_msgs <= idx) return -ENOMSG;
  copyOut(msgq, msgq.buffer[(msgq.read_idx + idx) % msgq.max_msgs]!, data);
  return 0;
}

/** `k_msgq_purge`: discards every message; threads waiting on the queue return -ENOMSG. */
export function k_msgq_purge<M extends object>(msgq: k_msgq<M>): void {
  z_unpend_all(msgq.wait_q, -ENOMSG);
  msgq.buffer.fill(undefined);
  msgq.used_msgs = 0;
  msgq.read_idx = msgq.write_idx;
}

/** `k_msgq_num_free_get`. */
export function k_msgq_num_free_get<M extends object>(msgq: k_msgq<M>): number {
  return msgq.max_msgs - msgq.used_msgs;
}

/** `k_msgq_num_used_get`. */
export function k_msgq_num_used_get<M extends object>(msgq: k_msgq<M>): number {
  return msgq.used_msgs;
}

/** `k_msgq_get_attrs`: fills `attrs`. */
export function k_msgq_get_attrs<M extends object>(msgq: k_msgq<M>, attrs: k_msgq_attrs): void {
  attrs.msg_size = msgq.msg_size;
  attrs.max_msgs = msgq.max_msgs;
  attrs.used_msgs = msgq.used_msgs;
}
