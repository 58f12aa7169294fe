import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import {
  K_FOREVER, K_MSEC, K_NO_WAIT, K_SECONDS, K_TICKS_FOREVER, k_busy_wait, k_current_get, k_msleep,
  k_sleep, k_thread, k_thread_abort, k_thread_create, k_thread_join, k_thread_priority_set, k_thread_start,
  k_uptime_get, k_usleep, k_wakeup, k_yield, K_THREAD_DEFINE, k_uptime_ticks, k_cycle_get_32,
} from '../../src/kernel/index.ts';
import { k_sem, k_sem_give, k_sem_init, k_sem_take, K_SEM_DEFINE } from '../../src/kernel/index.ts';
import { EAGAIN, EBUSY, EDEADLK } from '../../src/kernel/index.ts';

describe('threads and scheduling', () => {
  it('runs main and finishes with exit 0', async () => {
    let ran = false;
    const r = await runBoard(() => {
      ran = true;
    });
    expect(ran).toBe(true);
    expect(r.result.reason).toBe('finished');
    expect(r.result.exitCode).toBe(0);
  });

  it('prints the boot banner before main', async () => {
    const r = await runBoard(() => r2.push('main'), { config: { BOOT_BANNER: true } });
    const r2: string[] = [];
    expect(r.console.lines[0]).toMatch(/^\*\*\* Booting Zephyr OS build zsim-v/);
  });

  it('starts threads in priority order, cooperative threads run until they block', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      const mk = (name: string, prio: number) => {
        k_thread_create(new k_thread(), null, 512, async () => {
          order.push(name + ':start');
          await k_yield();
          order.push(name + ':end');
        }, null, null, null, prio, 0, K_NO_WAIT);
      };
      mk('p5', 5);
      mk('p2', 2);
      mk('c', -1);
      order.push('main-created');
      await k_msleep(1);
      order.push('main-done');
    });
    // main is preemptible (prio 0): it keeps the CPU until it blocks; then coop -1 runs first,
    // k_yield only yields to equal or higher priority, so each thread finishes before the next.
    expect(order).toEqual(['main-created', 'c:start', 'c:end', 'p2:start', 'p2:end', 'p5:start', 'p5:end', 'main-done']);
  });

  it('k_yield round-robins equal priorities', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      for (const n of ['a', 'b']) {
        k_thread_create(new k_thread(), null, 512, async () => {
          for (let i = 0; i < 3; i++) {
            order.push(n + i);
            await k_yield();
          }
        }, null, null, null, 3, 0, K_NO_WAIT);
      }
    });
    expect(order).toEqual(['a0', 'b0', 'a1', 'b1', 'a2', 'b2']);
  });

  it('a preemptible thread gives way at its next kernel call to a higher priority thread it woke', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      const sem = new k_sem();
      k_sem_init(sem, 0, 1);
      const sem2 = K_SEM_DEFINE('sem2', 5, 5);
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_sem_take(sem, K_FOREVER);
        order.push('high');
      }, null, null, null, 1, 0, K_NO_WAIT);
      k_thread_priority_set(k_current_get(), 5);
      await k_msleep(1);
      k_sem_give(sem);
      order.push('after-give');
      await k_sem_take(sem2, K_NO_WAIT); // a rescheduling point
      order.push('main');
    });
    expect(order).toEqual(['after-give', 'high', 'main']);
  });

  it('sleeps in ticks with Zephyr rounding (one extra tick) and keeps uptime', async () => {
    const times: number[] = [];
    const r = await runBoard(async () => {
      times.push(k_uptime_ticks());
      await k_msleep(10);
      times.push(k_uptime_ticks());
      await k_sleep(K_SECONDS(1));
      times.push(k_uptime_get());
      await k_usleep(150); // 1.5 ticks at 10 kHz -> 2 ticks + 1
      times.push(k_uptime_ticks());
    });
    expect(times).toEqual([0, 101, 1010, 10105]);
    expect(r.result.reason).toBe('finished');
  });

  it('honours CONFIG_SYS_CLOCK_TICKS_PER_SEC', async () => {
    let t = 0;
    await runBoard(async () => {
      await k_msleep(10);
      t = k_uptime_ticks();
    }, { config: { SYS_CLOCK_TICKS_PER_SEC: 100 } });
    expect(t).toBe(2);
  });

  it('k_wakeup ends a sleep early and k_sleep returns the remaining ms', async () => {
    let rem = 0;
    let remForever = 0;
    await runBoard(async () => {
      const main = k_current_get();
      const t = k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(100);
        k_wakeup(main);
      }, null, null, null, 1, 0, K_NO_WAIT);
      rem = await k_sleep(K_MSEC(1000));
      k_thread_create(new k_thread(), null, 512, () => k_wakeup(main), null, null, null, 1, 0, K_MSEC(5));
      remForever = await k_sleep(K_FOREVER);
      await k_thread_join(t, K_FOREVER);
    });
    expect(rem).toBe(900);
    expect(remForever).toBe(K_TICKS_FOREVER);
  });

  it('start delay, K_FOREVER + k_thread_start, join with timeouts', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const t = k_thread_create(new k_thread(), null, 512, async () => {
        log.push(`delayed@${k_uptime_get()}`);
        await k_msleep(50);
      }, null, null, null, 2, 0, K_MSEC(20));
      expect(await k_thread_join(t, K_NO_WAIT)).toBe(-EBUSY);
      expect(await k_thread_join(t, K_MSEC(10))).toBe(-EAGAIN);
      expect(await k_thread_join(t, K_FOREVER)).toBe(0);
      log.push(`joined@${k_uptime_get()}`);
      expect(await k_thread_join(k_current_get(), K_FOREVER)).toBe(-EDEADLK);
      const lazy = k_thread_create(new k_thread(), null, 512, () => void log.push('lazy'), null, null, null, 2, 0, K_FOREVER);
      await k_msleep(5);
      log.push('before-start');
      k_thread_start(lazy);
      await k_thread_join(lazy, K_FOREVER);
    });
    expect(log).toEqual(['delayed@20', 'joined@70', 'before-start', 'lazy']);
  });

  it('k_thread_abort stops another thread and wakes joiners; self-abort does not return', async () => {
    const log: string[] = [];
    const r = await runBoard(async () => {
      const t = k_thread_create(new k_thread(), null, 512, async () => {
        await k_sleep(K_FOREVER);
        log.push('never');
      }, null, null, null, 2, 0, K_NO_WAIT);
      await k_msleep(1);
      k_thread_abort(t);
      expect(await k_thread_join(t, K_NO_WAIT)).toBe(0);
      const s = k_thread_create(new k_thread(), null, 512, () => {
        log.push('self');
        k_thread_abort(k_current_get());
        log.push('after-self-abort');
      }, null, null, null, 2, 0, K_NO_WAIT);
      await k_thread_join(s, K_FOREVER);
      log.push('done');
    });
    expect(log).toEqual(['self', 'done']);
    expect(r.result.reason).toBe('finished');
  });

  it('K_THREAD_DEFINE threads start at boot, higher priority ones before main', async () => {
    const log: string[] = [];
    await runBoard(() => void log.push('main'), {
      module: () => {
        K_THREAD_DEFINE('hi', 512, () => void log.push('hi'), null, null, null, -2, 0, 0);
        K_THREAD_DEFINE('lo', 512, () => void log.push('lo'), null, null, null, 7, 0, 0);
        K_THREAD_DEFINE('late', 512, () => void log.push(`late@${k_uptime_get()}`), null, null, null, 7, 0, 100);
      },
    });
    expect(log).toEqual(['hi', 'main', 'lo', 'late@100']);
  });

  it('k_busy_wait lets time pass without running other threads of the board', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      k_thread_create(new k_thread(), null, 512, () => void log.push(`other@${k_uptime_ticks()}`), null, null, null, -5, 0, K_NO_WAIT);
      // main is preemptible but busy-waits: the coop thread waits until main really blocks.
      k_thread_priority_set(k_current_get(), -6);
      const c0 = k_cycle_get_32();
      await k_busy_wait(1000);
      log.push(`busy-done@${k_uptime_ticks()} cycles=${k_cycle_get_32() - c0}`);
      await k_msleep(1);
    });
    expect(log).toEqual(['busy-done@10 cycles=1000000', 'other@10']);
  });
});

describe('semaphores', () => {
  it('give/take, K_NO_WAIT -> -EBUSY, timeout -> -EAGAIN, limit caps the count', async () => {
    const rcs: number[] = [];
    await runBoard(async () => {
      const s = new k_sem();
      k_sem_init(s, 0, 2);
      rcs.push(await k_sem_take(s, K_NO_WAIT));
      rcs.push(await k_sem_take(s, K_MSEC(10)));
      rcs.push(k_uptime_get());
      k_sem_give(s);
      k_sem_give(s);
      k_sem_give(s);
      rcs.push(s.count);
      rcs.push(await k_sem_take(s, K_FOREVER));
    });
    expect(rcs).toEqual([-EBUSY, -EAGAIN, 10, 2, 0]);
  });

  it('wakes the highest-priority waiter first, FIFO within a priority', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      const s = new k_sem();
      k_sem_init(s, 0, 10);
      for (const [n, p] of [['a', 5], ['b', 3], ['c', 5], ['d', 3]] as const) {
        k_thread_create(new k_thread(), null, 512, async () => {
          await k_sem_take(s, K_FOREVER);
          order.push(n);
        }, null, null, null, p, 0, K_NO_WAIT);
      }
      await k_msleep(1);
      for (let i = 0; i < 4; i++) k_sem_give(s);
      await k_msleep(1);
    });
    expect(order).toEqual(['b', 'd', 'a', 'c']);
  });
});
