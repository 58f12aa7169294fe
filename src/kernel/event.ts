/**
 * `k_event`: a 32-bit set of events that threads wait on, for any or all of a mask (Zephyr 3.7's
 * `kernel/events.c`). Posting wakes every waiter whose condition the new set satisfies.
 */
import { requireThread, z_pend_curr, z_reschedule } from './sched.ts';
import { WaitQ, type k_thread } from './thread.ts';
import type { k_timeout_t } from './timeout.ts';

const K_EVENT_WAIT_ANY = 0x00;
const K_EVENT_WAIT_ALL = 0x01;
const K_EVENT_WAIT_MASK = 0x01;
const K_EVENT_OPTION_RESET = 0x02;
const K_EVENT_OPTION_CLEAR = 0x04;

/** What a waiting thread wants, and then what it got (`struct z_event_wait_block`). */
interface WaitBlock {
  events: number;
  options: number;
}

/** `struct k_event`. */
export class k_event {
  readonly kind = 'k_event';
  name?: string;
  /** The posted events (uint32). */
  events = 0;
  /** @internal */
  readonly wait_q = new WaitQ();
  /** @internal the wait block of each waiting thread. */
  readonly blocks = new Map<k_thread, WaitBlock>();
}

/** `k_event_init`. */
export function k_event_init(event: k_event): void {
  event.events = 0;
}

/** `K_EVENT_DEFINE(name)`. */
export function K_EVENT_DEFINE(name: string): k_event {
  const e = new k_event();
  e.name = name;
  return e;
}

/** The events of `current` that satisfy a wait for `desired` (0 when not satisfied). */
function conditionsMet(desired: number, current: number, waitCondition: number): number {
  const match = (current & desired) >>> 0;
  if (waitCondition === K_EVENT_WAIT_ALL && match !== desired >>> 0) return 0;
  return match;
}

function post(event: k_event, events: number, mask: number): number {
  const previous = (event.events & mask) >>> 0;
  const all = ((event.events & ~mask) | (events & mask)) >>> 0;
  let clear = 0;
  // Every waiter is tested against the same new set, then the consumed events are cleared.
  for (const t of event.wait_q.toArray()) {
    const wb = event.blocks.get(t)!;
    const match = conditionsMet(wb.events, all, wb.options & K_EVENT_WAIT_MASK);
    if (match !== 0) {
      wb.events = match;
      if (wb.options & K_EVENT_OPTION_CLEAR) clear |= match;
      t.kernel.readyThread(t, 0);
    }
  }
  event.events = (all & ~clear) >>> 0;
  return previous;
}

/** `k_event_post`: adds `events` to the set; returns the previous value of those bits. ISR-safe. */
export function k_event_post(event: k_event, events: number): number {
  return post(event, events, events);
}

/** `k_event_set`: replaces the whole set with `events`; returns the previous set. */
export function k_event_set(event: k_event, events: number): number {
  return post(event, events, 0xffffffff);
}

/** `k_event_set_masked`: sets the bits of `events_mask` to those of `events`; returns their previous value. */
export function k_event_set_masked(event: k_event, events: number, events_mask: number): number {
  return post(event, events, events_mask);
}

/** `k_event_clear`: clears `events`; returns their previous value. */
export function k_event_clear(event: k_event, events: number): number {
  return post(event, 0, events);
}

/** `k_event_test`: the posted events among `events_mask`. */
export function k_event_test(event: k_event, events_mask: number): number {
  return (event.events & events_mask) >>> 0;
}

function wait(event: k_event, events: number, options: number, timeout: k_timeout_t, api: string): Promise<number> {
  if (events === 0) return Promise.resolve(0);
  if (options & K_EVENT_OPTION_RESET) event.events = 0;
  const rv = conditionsMet(events, event.events, options & K_EVENT_WAIT_MASK);
  if (rv !== 0) {
    if (options & K_EVENT_OPTION_CLEAR) event.events = (event.events & ~rv) >>> 0;
    // A preemption point, as for k_sem_take.
    return z_reschedule(0).then(() => rv);
  }
  if (timeout.kind === 1) return Promise.resolve(0);
  const t = requireThread(api);
  const wb: WaitBlock = { events, options };
  event.blocks.set(t, wb);
  return z_pend_curr(event.wait_q, event, timeout, api).then((rc) => {
    event.blocks.delete(t);
    return rc === 0 ? wb.events : 0;
  });
}

/**
 * `k_event_wait`: waits for any of `events` (after clearing the set when `reset`). Resolves to the
 * matching events, or 0 on timeout (at once with K_NO_WAIT).
 */
export function k_event_wait(event: k_event, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
  return wait(event, events, reset ? K_EVENT_OPTION_RESET : K_EVENT_WAIT_ANY, timeout, 'k_event_wait');
}

/** `k_event_wait_all`: waits for all of `events`; resolves to them, or 0 on timeout. */
export function k_event_wait_all(event: k_event, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
  const options = K_EVENT_WAIT_ALL | (reset ? K_EVENT_OPTION_RESET : 0);
  return wait(event, events, options, timeout, 'k_event_wait_all');
}

/** `k_event_wait_safe` (Zephyr 4.2+): like k_event_wait, and the events received are cleared. */
export function k_event_wait_safe(event: k_event, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
  const options = K_EVENT_OPTION_CLEAR | (reset ? K_EVENT_OPTION_RESET : 0);
  return wait(event, events, options, timeout, 'k_event_wait_safe');
}

/** `k_event_wait_all_safe` (Zephyr 4.2+): like k_event_wait_all, and the events received are cleared. */
export function k_event_wait_all_safe(event: k_event, events: number, reset: boolean, timeout: k_timeout_t): Promise<number> {
  const options = K_EVENT_WAIT_ALL | K_EVENT_OPTION_CLEAR | (reset ? K_EVENT_OPTION_RESET : 0);
  return wait(event, events, options, timeout, 'k_event_wait_all_safe');
}
