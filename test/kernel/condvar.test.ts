import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  EAGAIN, K_CONDVAR_DEFINE, K_FOREVER, K_MSEC, K_MUTEX_DEFINE, K_NO_WAIT, k_condvar, k_condvar_broadcast,
  k_condvar_init, k_condvar_signal, k_condvar_wait, k_current_get, k_msleep, k_mutex_lock, k_mutex_unlock, k_thread,
  k_thread_create, k_uptime_ticks,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

describe('k_condvar', () => {
  it('wait releases the mutex and holds it again on return; signal wakes the best waiter', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const cv = new k_condvar();
      expect(k_condvar_init(cv)).toBe(0);
      const m = K_MUTEX_DEFINE('m');
      let ready = 0;
      for (const [name, prio] of [['lo', 6], ['hi', 3]] as const) {
        k_thread_create(new k_thread(), null, 512, async () => {
          await k_mutex_lock(m, K_FOREVER);
          while (ready === 0) {
            const rc = await k_condvar_wait(cv, m, K_FOREVER);
            log.push(`${name}:rc=${rc}:owner=${m.owner === k_current_get()}`);
          }
          ready--;
          k_mutex_unlock(m);
        }, null, null, null, prio, 0, K_NO_WAIT);
      }
      await k_msleep(1);
      // Both wait, so neither holds the mutex.
      log.push(`main-lock:${await k_mutex_lock(m, K_NO_WAIT)}`);
      ready = 2;
      log.push(`signal:${k_condvar_signal(cv)}`);
      k_mutex_unlock(m);
      await k_msleep(1);
      log.push(`broadcast:${k_condvar_broadcast(cv)}`);
      await k_msleep(1);
    });
    expect(log).toEqual(['main-lock:0', 'signal:0', 'hi:rc=0:owner=true', 'broadcast:1', 'lo:rc=0:owner=true']);
  });

  it('timeout returns -EAGAIN at the exact tick with the mutex locked again; K_NO_WAIT leaves it alone', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const cv = K_CONDVAR_DEFINE('cv');
      const m = K_MUTEX_DEFINE('m');
      await k_mutex_lock(m, K_FOREVER);
      log.push(await k_condvar_wait(cv, m, K_NO_WAIT), m.lock_count, k_uptime_ticks());
      log.push(await k_condvar_wait(cv, m, K_MSEC(3)), m.owner === k_current_get(), m.lock_count, k_uptime_ticks());
      log.push(k_condvar_broadcast(cv));
    });
    expect(log).toEqual([-EAGAIN, 1, 0, -EAGAIN, true, 1, 31, 0]);
  });

  it('broadcast wakes everyone and counts them; they take the mutex in priority order', async () => {
    const order: string[] = [];
    let woken = -1;
    await runBoard(async () => {
      const cv = K_CONDVAR_DEFINE('cv');
      const m = K_MUTEX_DEFINE('m');
      for (const [name, prio] of [['a', 4], ['b', 2], ['c', 3]] as const) {
        k_thread_create(new k_thread(), null, 512, async () => {
          await k_mutex_lock(m, K_FOREVER);
          await k_condvar_wait(cv, m, K_FOREVER);
          order.push(name);
          k_mutex_unlock(m);
        }, null, null, null, prio, 0, K_NO_WAIT);
      }
      await k_msleep(1);
      woken = k_condvar_broadcast(cv);
      await k_msleep(1);
    });
    expect(woken).toBe(3);
    expect(order).toEqual(['b', 'c', 'a']);
  });
});
