import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  EALREADY, EBUSY, EINVAL, ENODEV, K_FOREVER, K_MSEC, K_NO_WAIT, K_THREAD_STACK_DEFINE, K_TIMER_DEFINE,
  K_WORK_CANCELING, K_WORK_DEFINE, K_WORK_DELAYABLE_DEFINE, K_WORK_DELAYED, K_WORK_QUEUED, K_WORK_RUNNING,
  k_current_get, k_is_in_isr, k_msleep, k_sleep, k_sys_work_q, k_thread, k_thread_create, k_thread_join,
  k_timer_start, k_uptime_ticks, k_work, k_work_busy_get, k_work_cancel, k_work_cancel_delayable,
  k_work_cancel_delayable_sync, k_work_cancel_sync, k_work_delayable, k_work_delayable_busy_get,
  k_work_delayable_expires_get, k_work_delayable_from_work, k_work_delayable_is_pending,
  k_work_delayable_remaining_get, k_work_flush, k_work_flush_delayable, k_work_init, k_work_init_delayable,
  k_work_is_pending, k_work_q, k_work_queue_drain, k_work_queue_init, k_work_queue_start,
  k_work_queue_thread_get, k_work_queue_unplug, k_work_reschedule, k_work_reschedule_for_queue, k_work_schedule,
  k_work_schedule_for_queue, k_work_submit, k_work_submit_to_queue,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

describe('k_work on the system work queue', () => {
  it('runs handlers in the sysworkq thread at CONFIG_SYSTEM_WORKQUEUE_PRIORITY; the board still finishes', async () => {
    const log: unknown[] = [];
    const r = await runBoard(async () => {
      const w = K_WORK_DEFINE('w', (work) => {
        const t = k_current_get();
        log.push(`run:${t.name}:${t.prio}:${t.system}:${work === w}:busy=${k_work_busy_get(work)}`);
      });
      log.push(k_work_submit(w), k_work_submit(w), k_work_busy_get(w), k_work_is_pending(w));
      await k_msleep(1);
      log.push(k_work_busy_get(w), k_work_queue_thread_get(k_sys_work_q)?.name);
    }, { config: { SYSTEM_WORKQUEUE_PRIORITY: -2, THREAD_NAME: true } });
    expect(log).toEqual([1, 0, K_WORK_QUEUED, true, `run:sysworkq:-2:true:true:busy=${K_WORK_RUNNING}`, 0, 'sysworkq']);
    expect(r.kernel.appThreads().length).toBe(0);
  });

  it('resubmitting a running item queues it again on the queue running it (2)', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      let runs = 0;
      const w = new k_work();
      k_work_init(w, async () => {
        runs++;
        await k_msleep(5);
      });
      k_work_submit(w);
      await k_msleep(1);
      log.push(k_work_busy_get(w), k_work_submit(w), k_work_busy_get(w));
      await k_msleep(20);
      log.push(runs, k_work_busy_get(w));
    });
    expect(log).toEqual([K_WORK_RUNNING, 2, K_WORK_RUNNING | K_WORK_QUEUED, 2, 0]);
  });

  it('flush waits for a queued or running item; cancel dequeues; cancel_sync waits for the handler', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const slow = K_WORK_DEFINE('slow', async () => {
        log.push(`slow-start@${k_uptime_ticks()}`);
        await k_msleep(10);
        log.push(`slow-end@${k_uptime_ticks()}`);
      });
      const other = K_WORK_DEFINE('other', () => void log.push('other'));
      k_work_submit(slow);
      k_work_submit(other);
      log.push(`flush:${await k_work_flush(other)}@${k_uptime_ticks()}`);
      log.push(`flush-idle:${await k_work_flush(other)}`);
      k_work_submit(slow);
      k_work_submit(other);
      log.push(`cancel-queued:${k_work_cancel(other)}`);
      await k_msleep(1);
      log.push(`cancel-running:${k_work_cancel(slow)}`);
      log.push(`submit-while-canceling:${k_work_submit(slow)}`);
      log.push(`cancel_sync:${await k_work_cancel_sync(slow)}@${k_uptime_ticks()}`, k_work_busy_get(slow));
      log.push(`cancel_sync-idle:${await k_work_cancel_sync(slow)}`);
    });
    expect(log).toEqual([
      'slow-start@0', 'slow-end@101', 'other', 'flush:true@101', 'flush-idle:false',
      // `other` is cancelled before the queue thread gets the CPU back.
      'cancel-queued:0', 'slow-start@101', `cancel-running:${K_WORK_RUNNING | K_WORK_CANCELING}`,
      `submit-while-canceling:${-EBUSY}`, 'slow-end@202', 'cancel_sync:true@202', 0, 'cancel_sync-idle:false',
    ]);
  });

  it('a timer ISR can submit work', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const w = K_WORK_DEFINE('w', () => void log.push(`work@${k_uptime_ticks()}:isr=${k_is_in_isr()}`));
      const tm = K_TIMER_DEFINE('tm', () => void log.push(`submit:${k_work_submit(w)}:isr=${k_is_in_isr()}`), null);
      k_timer_start(tm, K_MSEC(4), K_NO_WAIT);
      await k_msleep(10);
    });
    expect(log).toEqual(['submit:1:isr=true', 'work@40:isr=false']);
  });
});

describe('user work queues', () => {
  it('-EINVAL without a queue, -ENODEV before start; cfg name, priority and no_yield', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = new k_work_q();
      k_work_queue_init(q);
      const order: string[] = [];
      const mk = (n: string) => K_WORK_DEFINE(n, () => void order.push(`${n}:${k_current_get().name}:${k_current_get().prio}`));
      const a = mk('a');
      log.push(k_work_submit_to_queue(null, a), k_work_submit_to_queue(q, a));
      k_work_queue_start(q, K_THREAD_STACK_DEFINE('st', 1024), 1024, 4, { name: 'myq', no_yield: true });
      const b = mk('b');
      log.push(k_work_submit_to_queue(q, a), k_work_submit_to_queue(q, b));
      // Resubmitting with no queue goes back to the last one.
      await k_msleep(1);
      log.push(k_work_submit_to_queue(null, a));
      await k_msleep(1);
      log.push(order);
    }, { config: { THREAD_NAME: true } });
    expect(log).toEqual([-EINVAL, -ENODEV, 1, 1, 1, ['a:myq:4', 'b:myq:4', 'a:myq:4']]);
  });

  it('yields between items unless no_yield, letting same-priority threads in', async () => {
    const runs: string[][] = [];
    for (const no_yield of [false, true]) {
      const order: string[] = [];
      await runBoard(async () => {
        const q = new k_work_q();
        k_work_queue_start(q, null, 1024, 3, { name: 'q', no_yield });
        k_work_submit_to_queue(q, K_WORK_DEFINE('w1', () => void order.push('w1')));
        k_work_submit_to_queue(q, K_WORK_DEFINE('w2', () => void order.push('w2')));
        k_work_submit_to_queue(q, K_WORK_DEFINE('w3', () => void order.push('w3')));
        // Same priority as the queue, ready behind it when main blocks.
        k_thread_create(new k_thread(), null, 512, async () => {
          for (let i = 0; i < 2; i++) {
            order.push('thread');
            await k_sleep(K_NO_WAIT);
          }
        }, null, null, null, 3, 0, K_NO_WAIT);
        await k_sleep(K_MSEC(5));
      });
      runs.push(order);
    }
    expect(runs[0]).toEqual(['w1', 'thread', 'w2', 'thread', 'w3']);
    expect(runs[1]).toEqual(['w1', 'w2', 'w3', 'thread', 'thread']);
  });

  it('drain waits for the queue to empty and refuses outside submissions; plug holds until unplug', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = new k_work_q();
      k_work_queue_start(q, null, 1024, 2, { name: 'q' });
      const chained = K_WORK_DEFINE('chained', () => void log.push(`chained@${k_uptime_ticks()}`));
      const first = K_WORK_DEFINE('first', async () => {
        await k_msleep(3);
        log.push(`first-done:chain=${k_work_submit_to_queue(q, chained)}`);
      });
      log.push(await k_work_queue_drain(q, false)); // idle: nothing to wait for
      k_work_submit_to_queue(q, first);
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(1);
        log.push(`outside:${k_work_submit_to_queue(q, K_WORK_DEFINE('x', () => undefined))}`);
      }, null, null, null, 1, 0, K_NO_WAIT);
      log.push(`drained:${await k_work_queue_drain(q, true)}@${k_uptime_ticks()}`);
      log.push(`plugged:${k_work_submit_to_queue(q, chained)}`);
      log.push(k_work_queue_unplug(q), k_work_queue_unplug(q), k_work_submit_to_queue(q, chained));
      await k_msleep(1);
    });
    expect(log).toEqual([
      0, `outside:${-EBUSY}`, 'first-done:chain=1', 'chained@31', 'drained:1@31', `plugged:${-EBUSY}`,
      0, -EALREADY, 1, 'chained@31',
    ]);
  });
});

describe('k_work_delayable', () => {
  it('schedule runs after the delay; a second schedule keeps the first delay, reschedule replaces it', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const d = K_WORK_DELAYABLE_DEFINE('d', (w) => {
        log.push(`run@${k_uptime_ticks()}:from_work=${k_work_delayable_from_work(w) === d}`);
      });
      log.push(k_work_schedule(d, K_MSEC(10)), k_work_schedule(d, K_MSEC(1)));
      log.push(k_work_delayable_busy_get(d), k_work_delayable_is_pending(d));
      log.push(k_work_delayable_remaining_get(d), k_work_delayable_expires_get(d));
      await k_msleep(20);
      log.push(k_work_delayable_remaining_get(d), k_work_delayable_busy_get(d));
      log.push(k_work_reschedule(d, K_MSEC(10)), k_work_reschedule(d, K_MSEC(2)));
      await k_msleep(20);
      log.push(k_work_schedule(d, K_NO_WAIT), k_work_schedule(d, K_NO_WAIT));
      await k_msleep(1);
    });
    expect(log).toEqual([
      1, 0, K_WORK_DELAYED, true, 101, 101, 'run@101:from_work=true', 0, 0, 1, 1,
      'run@222:from_work=true', 1, 0, 'run@402:from_work=true',
    ]);
  });

  it('cancel_delayable stops the delay; cancel_delayable_sync waits for a running handler; flush runs it now', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const d = new k_work_delayable();
      k_work_init_delayable(d, async () => {
        log.push(`run@${k_uptime_ticks()}`);
        await k_msleep(5);
      });
      k_work_schedule(d, K_MSEC(10));
      log.push(k_work_cancel_delayable(d), k_work_delayable_busy_get(d));
      await k_msleep(20);
      k_work_schedule(d, K_MSEC(1));
      await k_msleep(2);
      log.push(`sync:${await k_work_cancel_delayable_sync(d)}@${k_uptime_ticks()}`);
      k_work_schedule(d, K_MSEC(100));
      log.push(`flush:${await k_work_flush_delayable(d)}@${k_uptime_ticks()}`);
    });
    expect(log).toEqual([0, 0, 'run@212', 'sync:true@263', 'run@263', 'flush:true@314']);
  });

  it('scheduled on a user queue from a thread, delivered from the timeout ISR', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = new k_work_q();
      k_work_queue_start(q, null, 512, 1, { name: 'dq' });
      const d = K_WORK_DELAYABLE_DEFINE('d', () => void log.push(`${k_current_get().name}@${k_uptime_ticks()}`));
      log.push(k_work_schedule_for_queue(q, d, K_MSEC(3)), d.queue === q);
      log.push(k_work_reschedule_for_queue(q, d, K_MSEC(1)));
      const t = k_thread_create(new k_thread(), null, 512, async () => void (await k_msleep(5)), null, null, null, 5, 0, K_NO_WAIT);
      await k_thread_join(t, K_FOREVER);
    }, { config: { THREAD_NAME: true } });
    expect(log).toEqual([1, true, 1, 'dq@11']);
  });
});
