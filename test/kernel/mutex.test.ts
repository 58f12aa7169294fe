import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import {
  K_FOREVER, K_NO_WAIT, k_mutex, k_mutex_init, k_mutex_lock, k_mutex_unlock, k_sem, k_sem_give, k_sem_init, k_sem_take,
  k_current_get, k_msleep, k_thread, k_thread_create,
} from '../../src/kernel/index.ts';
import { z_mutex_lock_uncontended } from '../../src/kernel/mutex.ts';

describe('k_mutex taken without a promise (z_mutex_lock_uncontended)', () => {
  it('locks a free mutex and relocks it recursively, as k_mutex_lock would', async () => {
    const seen: unknown[] = [];
    await runBoard(async () => {
      const m = new k_mutex();
      k_mutex_init(m);
      seen.push(z_mutex_lock_uncontended(m), m.lock_count, z_mutex_lock_uncontended(m), m.lock_count);
      seen.push(k_mutex_unlock(m), k_mutex_unlock(m), m.owner);
    });
    expect(seen).toEqual([true, 1, true, 2, 0, 0, null]);
  });

  it('declines a mutex another thread holds, leaving it to k_mutex_lock to wait', async () => {
    const seen: unknown[] = [];
    await runBoard(async () => {
      const m = new k_mutex();
      k_mutex_init(m);
      const go = new k_sem();
      k_sem_init(go, 0, 1);
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_mutex_lock(m, K_FOREVER);
        await k_sem_take(go, K_FOREVER);
        k_mutex_unlock(m);
      }, null, null, null, -1, 0, K_NO_WAIT);
      await k_msleep(1); // the cooperative thread takes the mutex and waits on the semaphore
      seen.push(z_mutex_lock_uncontended(m), m.lock_count, m.owner === k_current_get());
      k_sem_give(go);
    });
    expect(seen).toEqual([false, 1, false]);
  });

  it('declines when a higher-priority thread is ready, so the lock stays a rescheduling point', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      const m = new k_mutex();
      k_mutex_init(m);
      const wake = new k_sem();
      k_sem_init(wake, 0, 1);
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_sem_take(wake, K_FOREVER);
        order.push('coop ran');
      }, null, null, null, -1, 0, K_NO_WAIT);
      await k_msleep(1); // the cooperative thread starts and blocks on the semaphore
      k_sem_give(wake); // ready again, better than main (0): main must give way at its next lock
      order.push(`fast lock ${z_mutex_lock_uncontended(m)}`);
      await k_mutex_lock(m, K_FOREVER);
      order.push('main locked');
      k_mutex_unlock(m);
    });
    expect(order).toEqual(['fast lock false', 'coop ran', 'main locked']);
  });
});
