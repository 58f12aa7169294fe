/**
 * `k_poll`: waiting on several kernel objects at once, and `k_poll_signal` (Zephyr 3.7's
 * `kernel/poll.c`). Polling never takes anything: a semaphore stays available, a FIFO keeps its
 * item; the caller takes it after k_poll returns.
 *
 * Zephyr keeps, per object, a list of the k_poll events registered on it, ordered by the polling
 * threads' priority, and a state change signals only the first of them (which also leaves the
 * list). zsim keeps that list in one `PollWaiter` per object (a "hub") registered through the
 * core's generic `Pollable.poll_events`, so other pollers (zsock_poll) can sit beside it.
 */
import { cpu } from './cpu.ts';
import { k_free, z_thread_malloc } from './kheap.ts';
import { k_msgq } from './msgq.ts';
import { z_handle_obj_poll_events, type Pollable, type PollWaiter } from './poll_signal.ts';
import { k_queue } from './queue.ts';
import { requireThread, resolved, z_pend_curr, z_reschedule } from './sched.ts';
import { k_sem } from './sem.ts';
import { THREAD_DEAD, THREAD_PENDING, WaitQ, type k_thread, type WaitTarget } from './thread.ts';
import { assertFail, K_USER } from './thread_api.ts';
import type { k_timeout_t } from './timeout.ts';
import { EINTR, EINVAL, ENOMEM, EAGAIN } from '../libc/errno.ts';

// Types and states are bit n-1 for Zephyr's enum value n (`Z_POLL_TYPE_BIT`, `Z_POLL_STATE_BIT`).
/** Event type: skipped by k_poll. */
export const K_POLL_TYPE_IGNORE = 0;
/** Event type: a `k_poll_signal` raised. */
export const K_POLL_TYPE_SIGNAL = 1 << 0;
/** Event type: a `k_sem` with a count above 0. */
export const K_POLL_TYPE_SEM_AVAILABLE = 1 << 1;
/** Event type: a `k_queue` / `k_fifo` / `k_lifo` with an item. */
export const K_POLL_TYPE_DATA_AVAILABLE = 1 << 2;
/** Alias of K_POLL_TYPE_DATA_AVAILABLE. */
export const K_POLL_TYPE_FIFO_DATA_AVAILABLE = K_POLL_TYPE_DATA_AVAILABLE;
/** Event type: a `k_msgq` with a message. */
export const K_POLL_TYPE_MSGQ_DATA_AVAILABLE = 1 << 3;
/** Event type: a pipe with data (no k_pipe in zsim yet: never ready). */
export const K_POLL_TYPE_PIPE_DATA_AVAILABLE = 1 << 4;

/** Event state: nothing yet (set it back before polling again). */
export const K_POLL_STATE_NOT_READY = 0;
/** Event state: the signal was raised. */
export const K_POLL_STATE_SIGNALED = 1 << 0;
/** Event state: the semaphore is available. */
export const K_POLL_STATE_SEM_AVAILABLE = 1 << 1;
/** Event state: the queue has data. */
export const K_POLL_STATE_DATA_AVAILABLE = 1 << 2;
/** Alias of K_POLL_STATE_DATA_AVAILABLE. */
export const K_POLL_STATE_FIFO_DATA_AVAILABLE = K_POLL_STATE_DATA_AVAILABLE;
/** Event state: the queue wait was cancelled (`k_queue_cancel_wait`); k_poll returned -EINTR. */
export const K_POLL_STATE_CANCELLED = 1 << 3;
/** Event state: the message queue has a message. */
export const K_POLL_STATE_MSGQ_DATA_AVAILABLE = 1 << 4;
/** Event state: the pipe has data. */
export const K_POLL_STATE_PIPE_DATA_AVAILABLE = 1 << 5;

/** `K_POLL_MODE_NOTIFY_ONLY`, the only mode. */
export const K_POLL_MODE_NOTIFY_ONLY = 0;

/** `struct k_poll_signal`. */
export class k_poll_signal implements Pollable {
  readonly kind = 'k_poll_signal';
  name?: string;
  /** Non-zero once raised, until reset. */
  signaled = 0;
  /** The value passed to `k_poll_signal_raise`. */
  result = 0;
  readonly poll_events: PollWaiter[] = [];
}

/** What `k_poll_event.obj` may point at. */
export type k_poll_object = k_sem | k_queue<object> | k_msgq<object> | k_poll_signal;

/** One polling thread's wait (`struct z_poller`). */
interface Poller {
  readonly thread: k_thread;
  readonly waitq: WaitQ;
  isPolling: boolean;
}

/** `struct k_poll_event`. */
export class k_poll_event {
  /** @internal the poller while registered. */
  poller: Poller | null = null;
  constructor(
    public type = K_POLL_TYPE_IGNORE,
    public mode = K_POLL_MODE_NOTIFY_ONLY,
    public obj: k_poll_object | null = null,
    /** `K_POLL_STATE_*` bits; reset it to K_POLL_STATE_NOT_READY before polling again. */
    public state = K_POLL_STATE_NOT_READY,
    /** Free for the app (8 bits in C). */
    public tag = 0,
  ) {}
}

/** `K_POLL_EVENT_INITIALIZER(type, mode, obj)`. */
export function K_POLL_EVENT_INITIALIZER(type: number, mode: number, obj: k_poll_object | null): k_poll_event {
  return new k_poll_event(type, mode, obj);
}

/** `K_POLL_EVENT_STATIC_INITIALIZER(type, mode, obj, event_tag)`. */
export function K_POLL_EVENT_STATIC_INITIALIZER(type: number, mode: number, obj: k_poll_object | null, event_tag: number): k_poll_event {
  return new k_poll_event(type, mode, obj, K_POLL_STATE_NOT_READY, event_tag);
}

/** `k_poll_event_init`: the tag is left as it was, as in C. */
export function k_poll_event_init(event: k_poll_event, type: number, mode: number, obj: k_poll_object | null): void {
  event.poller = null;
  event.type = type;
  event.state = K_POLL_STATE_NOT_READY;
  event.mode = mode;
  event.obj = obj;
}

/** The per-object list of registered k_poll events, best poller first. */
class PollHub implements PollWaiter {
  readonly events: k_poll_event[] = [];
  constructor(readonly obj: Pollable) {}

  /** `z_handle_obj_poll_events`: the first registered event, and only it, is signalled. */
  notify(state: number): void {
    let ev = this.events.shift();
    // An aborted poller never unregistered; in C its events were on a stack that is gone.
    while (ev && ev.poller?.thread.state === THREAD_DEAD) ev = this.events.shift();
    if (this.events.length === 0) detach(this);
    if (ev) signal_poll_event(ev, state);
  }
}

const hubs = new WeakMap<Pollable, PollHub>();

function detach(hub: PollHub): void {
  const list = hub.obj.poll_events;
  const i = list.indexOf(hub);
  if (i >= 0) list.splice(i, 1);
  hubs.delete(hub.obj);
}

/** `add_event`: behind every event whose poller has the same or a better priority. */
function register(ev: k_poll_event, obj: Pollable, poller: Poller): void {
  let hub = hubs.get(obj);
  if (!hub) {
    hub = new PollHub(obj);
    hubs.set(obj, hub);
    obj.poll_events.push(hub);
  }
  const list = hub.events;
  let i = list.length;
  while (i > 0 && list[i - 1]!.poller!.thread.prio > poller.thread.prio) i--;
  list.splice(i, 0, ev);
  ev.poller = poller;
}

function unregister(ev: k_poll_event): void {
  ev.poller = null;
  const hub = ev.obj ? hubs.get(ev.obj) : undefined;
  if (!hub) return;
  const i = hub.events.indexOf(ev);
  if (i >= 0) hub.events.splice(i, 1);
  if (hub.events.length === 0) detach(hub);
}

/** `signal_poll_event`: marks the event ready and wakes its poller if it still waits. */
function signal_poll_event(ev: k_poll_event, state: number): void {
  const p = ev.poller;
  if (p) {
    p.isPolling = false;
    const t = p.thread;
    if (t.state === THREAD_PENDING && t.pendQ === p.waitq) {
      t.kernel.readyThread(t, state === K_POLL_STATE_CANCELLED ? -EINTR : 0);
    }
  }
  ev.poller = null;
  ev.state |= state;
}

/** `is_condition_met`: the state the event's object is in now, or 0. */
function conditionState(ev: k_poll_event): number {
  const o = ev.obj;
  switch (ev.type) {
    case K_POLL_TYPE_IGNORE:
      return 0;
    case K_POLL_TYPE_SEM_AVAILABLE:
      if (o instanceof k_sem) return o.count > 0 ? K_POLL_STATE_SEM_AVAILABLE : 0;
      break;
    case K_POLL_TYPE_DATA_AVAILABLE:
      if (o instanceof k_queue) return o.head !== null ? K_POLL_STATE_FIFO_DATA_AVAILABLE : 0;
      break;
    case K_POLL_TYPE_SIGNAL:
      if (o instanceof k_poll_signal) return o.signaled !== 0 ? K_POLL_STATE_SIGNALED : 0;
      break;
    case K_POLL_TYPE_MSGQ_DATA_AVAILABLE:
      if (o instanceof k_msgq) return o.used_msgs > 0 ? K_POLL_STATE_MSGQ_DATA_AVAILABLE : 0;
      break;
    case K_POLL_TYPE_PIPE_DATA_AVAILABLE:
      return 0;
  }
  return assertFail(ev.poller?.thread.kernel ?? cpu.kernel!, `k_poll: invalid event type 0x${ev.type.toString(16)} for ${describe(o)}`);
}

function describe(o: k_poll_object | null): string {
  return o ? `${o.kind}${o.name ? ' ' + o.name : ''}` : 'NULL object';
}

/** `sizeof(struct k_poll_event)`: list node, poller, bit fields and object pointer. */
function eventSize(t: k_thread): number {
  return 5 * (t.kernel.enabled('64BIT') ? 8 : 4);
}

/**
 * `k_poll(events, num_events, timeout)`: waits until at least one event's object is ready, then
 * resolves to 0 with the ready events' `state` set. -EAGAIN on timeout (at once with K_NO_WAIT),
 * -EINTR when a waited-on queue was cancelled (`k_queue_cancel_wait`). A user-mode thread
 * (`K_USER` with CONFIG_USERSPACE) needs a kernel copy of the events from its resource pool:
 * -ENOMEM when that fails, -EINVAL for a bad count or mode.
 */
export function k_poll(events: k_poll_event[], num_events: number, timeout: k_timeout_t): Promise<number> {
  const t = requireThread('k_poll');
  if (!(t.options & K_USER) || !t.kernel.enabled('USERSPACE')) return z_impl_k_poll(t, events, num_events, timeout);
  if (!(num_events >= 0)) return resolved(-EINVAL);
  const copy = z_thread_malloc(num_events * eventSize(t));
  if (copy === null) return resolved(-ENOMEM);
  for (let i = 0; i < num_events; i++) {
    if (events[i]!.mode !== K_POLL_MODE_NOTIFY_ONLY) {
      k_free(copy);
      return resolved(-EINVAL);
    }
  }
  return z_impl_k_poll(t, events, num_events, timeout).then((rc) => {
    k_free(copy);
    return rc;
  });
}

function z_impl_k_poll(t: k_thread, events: k_poll_event[], num_events: number, timeout: k_timeout_t): Promise<number> {
  const poller: Poller = { thread: t, waitq: new WaitQ(), isPolling: true };
  const justCheck = timeout.kind === 1;
  const registered: k_poll_event[] = [];
  for (let i = 0; i < num_events; i++) {
    const ev = events[i]!;
    const state = conditionState(ev);
    if (state !== 0) {
      ev.poller = null;
      ev.state |= state;
      poller.isPolling = false;
    } else if (!justCheck && poller.isPolling && ev.type !== K_POLL_TYPE_IGNORE) {
      register(ev, ev.obj!, poller);
      registered.push(ev);
    }
  }
  if (!poller.isPolling) {
    for (const ev of registered) unregister(ev);
    return z_reschedule(0);
  }
  poller.isPolling = false;
  if (justCheck) return resolved(-EAGAIN);
  // Named lazily: only a deadlock report reads it.
  const target: WaitTarget = {
    kind: 'k_poll',
    get name() {
      return events.slice(0, num_events).map((e) => describe(e.obj)).join(', ');
    },
  };
  return z_pend_curr(poller.waitq, target, timeout, 'k_poll').then((rc) => {
    for (const ev of registered) unregister(ev);
    return rc;
  });
}

// ---- k_poll_signal ----

/** `K_POLL_SIGNAL_INITIALIZER`. */
export function K_POLL_SIGNAL_INITIALIZER(name?: string): k_poll_signal {
  const s = new k_poll_signal();
  if (name !== undefined) s.name = name;
  return s;
}

/** `k_poll_signal_init`: not signalled; the result is left as it was. */
export function k_poll_signal_init(sig: k_poll_signal): void {
  sig.signaled = 0;
}

/** `k_poll_signal_reset`: back to not signalled. */
export function k_poll_signal_reset(sig: k_poll_signal): void {
  sig.signaled = 0;
}

/** C's two out-parameters of `k_poll_signal_check`, filled in by the call. */
export interface k_poll_signal_state {
  signaled: number;
  result: number;
}

/** `k_poll_signal_check(sig, &signaled, &result)`: `out.signaled` and `out.result` receive the values. */
export function k_poll_signal_check(sig: k_poll_signal, out: k_poll_signal_state): void {
  out.signaled = sig.signaled;
  out.result = sig.result;
}

/**
 * `k_poll_signal_raise`: signals with `result`, waking the best thread polling it (only that one,
 * as in Zephyr). Returns 0. Callable from ISRs.
 */
export function k_poll_signal_raise(sig: k_poll_signal, result: number): number {
  sig.result = result;
  sig.signaled = 1;
  z_handle_obj_poll_events(sig, K_POLL_STATE_SIGNALED);
  return 0;
}
