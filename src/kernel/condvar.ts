/** `k_condvar`: condition variables used with a `k_mutex` (Zephyr's `kernel/condvar.c`). */
import { k_mutex_lock, k_mutex_unlock, type k_mutex } from './mutex.ts';
import { resolved, z_pend_curr, z_unpend_first_thread } from './sched.ts';
import { WaitQ } from './thread.ts';
import { K_FOREVER, type k_timeout_t } from './timeout.ts';
import { EAGAIN } from '../libc/errno.ts';

/** `struct k_condvar`. */
export class k_condvar {
  readonly kind = 'k_condvar';
  name?: string;
  /** @internal */
  readonly wait_q = new WaitQ();
}

/** `k_condvar_init`: always 0. */
export function k_condvar_init(condvar: k_condvar): number {
  void condvar;
  return 0;
}

/** `K_CONDVAR_DEFINE(name)`. */
export function K_CONDVAR_DEFINE(name: string): k_condvar {
  const c = new k_condvar();
  c.name = name;
  return c;
}

/** `k_condvar_signal`: wakes the highest-priority waiter, if any. Returns 0. */
export function k_condvar_signal(condvar: k_condvar): number {
  z_unpend_first_thread(condvar.wait_q, 0);
  return 0;
}

/** `k_condvar_broadcast`: wakes every waiter; returns how many. */
export function k_condvar_broadcast(condvar: k_condvar): number {
  let woken = 0;
  while (z_unpend_first_thread(condvar.wait_q, 0)) woken++;
  return woken;
}

/**
 * `k_condvar_wait`: releases `mutex`, waits for a signal, and locks `mutex` again before returning,
 * even after a timeout. 0 when signalled, -EAGAIN on timeout. With K_NO_WAIT it returns -EAGAIN at
 * once, the mutex untouched (as Zephyr since the POSIX fix; 3.7 let go of the mutex for a tick).
 */
export async function k_condvar_wait(condvar: k_condvar, mutex: k_mutex, timeout: k_timeout_t): Promise<number> {
  if (timeout.kind === 1) return resolved(-EAGAIN);
  k_mutex_unlock(mutex);
  const ret = await z_pend_curr(condvar.wait_q, condvar, timeout, 'k_condvar_wait');
  await k_mutex_lock(mutex, K_FOREVER);
  return ret;
}
