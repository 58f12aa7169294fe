/** `k_sem`: counting semaphores (Zephyr's `kernel/sem.c`). */
import { z_handle_obj_poll_events, type Pollable, type PollWaiter } from './poll_signal.ts';
import { resolved, z_pend_curr, z_reschedule, z_unpend_all, z_unpend_first_thread } from './sched.ts';
import { WaitQ } from './thread.ts';
import type { k_timeout_t } from './timeout.ts';
import { EAGAIN, EBUSY, EINVAL } from '../libc/errno.ts';

/** `K_SEM_MAX_LIMIT`. */
export const K_SEM_MAX_LIMIT = 0xffffffff;
/** `K_POLL_STATE_SEM_AVAILABLE`, as `poll.ts` defines it. */
const STATE_SEM_AVAILABLE = 1 << 1;

/** `struct k_sem`. */
export class k_sem implements Pollable {
  readonly kind = 'k_sem';
  name?: string;
  count = 0;
  limit = 1;
  /** @internal */
  readonly wait_q = new WaitQ();
  readonly poll_events: PollWaiter[] = [];
}

/** `k_sem_init`: 0, or -EINVAL when `limit` is 0 or `initial_count` exceeds it. */
export function k_sem_init(sem: k_sem, initial_count: number, limit: number): number {
  if (limit === 0 || initial_count > limit || initial_count < 0) return -EINVAL;
  sem.count = initial_count;
  sem.limit = limit;
  return 0;
}

/** `K_SEM_DEFINE(name, initial_count, count_limit)`. */
export function K_SEM_DEFINE(name: string, initial_count: number, count_limit: number): k_sem {
  const s = new k_sem();
  s.name = name;
  if (k_sem_init(s, initial_count, count_limit) !== 0) {
    throw new Error(`K_SEM_DEFINE(${name}, ${initial_count}, ${count_limit}): invalid count or limit`);
  }
  return s;
}

/** `k_sem_give`: wakes the first waiter, or counts up to the limit. Callable from ISRs. */
export function k_sem_give(sem: k_sem): void {
  if (z_unpend_first_thread(sem.wait_q, 0)) return;
  if (sem.count < sem.limit) sem.count++;
  z_handle_obj_poll_events(sem, STATE_SEM_AVAILABLE);
}

/** `k_sem_take`: 0, -EBUSY when unavailable with K_NO_WAIT, -EAGAIN on timeout or reset. */
export function k_sem_take(sem: k_sem, timeout: k_timeout_t): Promise<number> {
  if (sem.count > 0) {
    sem.count--;
    return z_reschedule(0);
  }
  if (timeout.kind === 1) return resolved(-EBUSY);
  return z_pend_curr(sem.wait_q, sem, timeout, 'k_sem_take');
}

/** `k_sem_reset`: count to 0; waiters return -EAGAIN. */
export function k_sem_reset(sem: k_sem): void {
  sem.count = 0;
  z_unpend_all(sem.wait_q, -EAGAIN);
}

/** `k_sem_count_get`. */
export function k_sem_count_get(sem: k_sem): number {
  return sem.count;
}
