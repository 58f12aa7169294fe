/**
 * `k_mutex`: recursive mutexes with owner rules and priority inheritance (Zephyr's `kernel/mutex.c`).
 */
import { cpu } from './cpu.ts';
import { resolved, z_pend_curr, z_reschedule, z_reschedule_due } from './sched.ts';
import { WaitQ, type k_thread } from './thread.ts';
import { setEffectivePrio } from './thread_api.ts';
import type { k_timeout_t } from './timeout.ts';
import { EAGAIN, EBUSY, EINVAL, EPERM } from '../libc/errno.ts';

/** `struct k_mutex`. */
export class k_mutex {
  readonly kind = 'k_mutex';
  name?: string;
  owner: k_thread | null = null;
  lock_count = 0;
  /** Owner's priority before inheritance raised it. */
  owner_orig_prio = 0;
  /** @internal */
  readonly wait_q = new WaitQ();
}

/** `k_mutex_init`: always 0. */
export function k_mutex_init(mutex: k_mutex): number {
  mutex.owner = null;
  mutex.lock_count = 0;
  return 0;
}

/** `K_MUTEX_DEFINE(name)`. */
export function K_MUTEX_DEFINE(name: string): k_mutex {
  const m = new k_mutex();
  m.name = name;
  return m;
}

/** The priority the owner should run at: its own, or the best waiter's (inheritance). */
function inheritedPrio(mutex: k_mutex): number {
  const first = mutex.wait_q.first();
  return first ? Math.min(first.prio, mutex.owner_orig_prio) : mutex.owner_orig_prio;
}

/**
 * `k_mutex_lock`: 0 when locked (again, if the caller owns it), -EBUSY with K_NO_WAIT,
 * -EAGAIN on timeout. A waiter of higher priority lends it to the owner until unlock.
 */
export function k_mutex_lock(mutex: k_mutex, timeout: k_timeout_t): Promise<number> {
  const cur = cpu.current;
  if (cur === null) return resolved(-EPERM);
  if (mutex.lock_count === 0 || mutex.owner === cur) {
    if (mutex.lock_count === 0) mutex.owner_orig_prio = cur.base_prio;
    mutex.lock_count++;
    mutex.owner = cur;
    return z_reschedule(0);
  }
  if (timeout.kind === 1) return resolved(-EBUSY);
  const owner = mutex.owner!;
  if (cur.prio < owner.prio) setEffectivePrio(owner, cur.prio);
  return z_pend_curr(mutex.wait_q, mutex, timeout, 'k_mutex_lock').then((rc) => {
    if (rc === -EAGAIN && mutex.owner && mutex.owner !== cur) {
      // Gave up: the owner keeps only the priority the remaining waiters lend it.
      setEffectivePrio(mutex.owner, inheritedPrio(mutex));
    }
    return rc;
  });
}

/**
 * @internal `k_mutex_lock(mutex, K_FOREVER)` when it would return 0 at once: locks and returns
 * true without a promise (the lock is free or the caller's, and no rescheduling is due), else
 * returns false and the caller takes the `k_mutex_lock` path. For library code that locks on
 * every call (the MQTT client), where a promise per lock adds up over a fleet.
 */
export function z_mutex_lock_uncontended(mutex: k_mutex): boolean {
  const cur = cpu.current;
  if (cur === null || (mutex.lock_count !== 0 && mutex.owner !== cur) || z_reschedule_due(cur)) return false;
  if (mutex.lock_count === 0) mutex.owner_orig_prio = cur.base_prio;
  mutex.lock_count++;
  mutex.owner = cur;
  return true;
}

/** `k_mutex_unlock`: 0, -EINVAL when not locked, -EPERM when the caller is not the owner. */
export function k_mutex_unlock(mutex: k_mutex): number {
  if (mutex.owner === null) return -EINVAL;
  if (mutex.owner !== cpu.current) return -EPERM;
  if (mutex.lock_count > 1) {
    mutex.lock_count--;
    return 0;
  }
  setEffectivePrio(mutex.owner, mutex.owner_orig_prio);
  const next = mutex.wait_q.first();
  if (next) {
    mutex.owner = next;
    mutex.lock_count = 1;
    mutex.owner_orig_prio = next.base_prio;
    next.kernel.readyThread(next, 0);
    // The new owner inherits from whoever still waits behind it.
    setEffectivePrio(next, inheritedPrio(mutex));
  } else {
    mutex.owner = null;
    mutex.lock_count = 0;
  }
  return 0;
}
