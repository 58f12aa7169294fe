/**
 * The hook through which kernel objects tell `k_poll` (and later `zsock_poll`) that their state
 * changed. Objects keep the list of interested pollers; `poll.ts` supplies the pollers.
 */

/** One registered interest of a poller in an object. */
export interface PollWaiter {
  /** The object reached `state` (a `K_POLL_STATE_*` value). */
  notify(state: number): void;
}

/** Implemented by every object `k_poll` can wait on. */
export interface Pollable {
  readonly poll_events: PollWaiter[];
}

/** Tells every poller of an object that it reached `state` (`z_handle_obj_poll_events`). */
export function z_handle_obj_poll_events(obj: Pollable, state: number): void {
  const list = obj.poll_events;
  if (list.length === 0) return;
  // A copy, as notifying may unregister pollers; one poller (the usual case) needs none.
  if (list.length === 1) list[0]!.notify(state);
  else for (const w of list.slice()) w.notify(state);
}
