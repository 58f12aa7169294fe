import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  K_FOREVER, K_MSEC, K_NO_WAIT, K_TICKS, K_TIMEOUT_ABS_TICKS, K_TIMER_DEFINE, k_busy_wait, k_current_get, k_is_in_isr,
  k_msleep, k_thread, k_thread_create, k_timer, k_timer_expires_ticks, k_timer_init, k_timer_remaining_get,
  k_timer_remaining_ticks, k_timer_start, k_timer_status_get, k_timer_status_sync, k_timer_stop,
  k_timer_user_data_get, k_timer_user_data_set, k_uptime_ticks,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

describe('k_timer', () => {
  it('expires after the duration (Zephyr 3.7: no extra tick), in ISR context, then stops', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const tm = new k_timer();
      k_timer_init(tm, (t) => log.push(`expiry@${k_uptime_ticks()} isr=${k_is_in_isr()} self=${t === tm}`), null);
      await k_msleep(1); // start off tick 0: at tick 11
      k_timer_start(tm, K_MSEC(10), K_NO_WAIT);
      log.push(k_timer_remaining_ticks(tm), k_timer_remaining_get(tm), k_timer_expires_ticks(tm));
      log.push(await k_timer_status_sync(tm), k_uptime_ticks());
      log.push(k_timer_remaining_ticks(tm), k_timer_expires_ticks(tm), await k_timer_status_sync(tm));
    });
    expect(log).toEqual([100, 10, 111, 'expiry@111 isr=true self=true', 1, 111, 0, 111, 0]);
  });

  it('K_NO_WAIT and 1-tick durations expire on the next tick; K_FOREVER does not start', async () => {
    const log: number[] = [];
    await runBoard(async () => {
      const ticks: number[] = [];
      const tm = K_TIMER_DEFINE('tm', () => void ticks.push(k_uptime_ticks()), null);
      k_timer_start(tm, K_NO_WAIT, K_NO_WAIT);
      await k_msleep(1);
      k_timer_start(tm, K_TICKS(1), K_NO_WAIT);
      await k_msleep(1);
      k_timer_start(tm, K_FOREVER, K_NO_WAIT);
      log.push(k_timer_remaining_ticks(tm));
      k_timer_start(tm, K_TIMEOUT_ABS_TICKS(50), K_NO_WAIT);
      await k_msleep(5);
      log.push(...ticks);
    });
    expect(log).toEqual([0, 1, 12, 50]);
  });

  it('periodic expiries keep a fixed stride from the previous expiry, even while a thread busy-waits', async () => {
    const ticks: number[] = [];
    await runBoard(async () => {
      const tm = K_TIMER_DEFINE('tm', () => void ticks.push(k_uptime_ticks()), null);
      k_timer_start(tm, K_MSEC(5), K_MSEC(3));
      // A busy thread does not delay expiries: they are interrupts.
      await k_busy_wait(4_000);
      await k_msleep(12); // until tick 40 + 121
      k_timer_stop(tm);
      await k_msleep(20);
    });
    expect(ticks).toEqual([50, 80, 110, 140]);
  });

  it('status counts expiries since the last read', async () => {
    const log: number[] = [];
    await runBoard(async () => {
      const tm = K_TIMER_DEFINE('tm', null, null);
      k_timer_start(tm, K_MSEC(1), K_MSEC(1));
      await k_msleep(35); // expiries at 10, 20, 30; now 351
      log.push(k_timer_status_get(tm), k_timer_status_get(tm));
      log.push(await k_timer_status_sync(tm), k_uptime_ticks()); // next at 360
      k_timer_stop(tm);
    });
    expect(log).toEqual([35, 0, 1, 360]);
  });

  it('stop calls stop_fn only for a running timer and releases a status_sync waiter with status 0', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      let stops = 0;
      const tm = K_TIMER_DEFINE('tm', null, (t) => {
        stops++;
        log.push(`stop_fn:${t.name}`);
      });
      k_timer_stop(tm);
      k_timer_start(tm, K_MSEC(100), K_NO_WAIT);
      k_thread_create(new k_thread(), null, 512, async () => {
        log.push(`sync:${await k_timer_status_sync(tm)}@${k_uptime_ticks()}`);
      }, null, null, null, 1, 0, K_NO_WAIT);
      await k_msleep(5);
      k_timer_stop(tm);
      k_timer_stop(tm);
      await k_msleep(1);
      log.push(stops);
    });
    expect(log).toEqual(['stop_fn:tm', 'sync:0@51', 1]);
  });

  it('restarting from the expiry function, user data', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const tm = K_TIMER_DEFINE('tm', (t) => {
        const n = k_timer_user_data_get(t) as number;
        log.push(`${n}@${k_uptime_ticks()}`);
        k_timer_user_data_set(t, n + 1);
        if (n < 2) k_timer_start(t, K_MSEC(2), K_MSEC(50));
      }, null);
      k_timer_user_data_set(tm, 0);
      k_timer_start(tm, K_MSEC(1), K_NO_WAIT);
      await k_msleep(10);
      k_timer_stop(tm);
      log.push(k_current_get().name);
    }, { config: { THREAD_NAME: true } });
    // After the third expiry the (restarted) period of 50 ms stands until the stop at tick 101.
    expect(log).toEqual(['0@10', '1@30', '2@50', 'main']);
  });
});
