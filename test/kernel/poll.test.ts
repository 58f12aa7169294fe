import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  EAGAIN, EINTR, ENOMEM, K_FIFO_DEFINE, K_FOREVER, K_MSEC, K_MSGQ_DEFINE, K_NO_WAIT, K_POLL_EVENT_INITIALIZER,
  K_POLL_EVENT_STATIC_INITIALIZER, K_POLL_MODE_NOTIFY_ONLY, K_POLL_SIGNAL_INITIALIZER, K_POLL_STATE_CANCELLED,
  K_POLL_STATE_FIFO_DATA_AVAILABLE, K_POLL_STATE_MSGQ_DATA_AVAILABLE, K_POLL_STATE_NOT_READY,
  K_POLL_STATE_SEM_AVAILABLE, K_POLL_STATE_SIGNALED, K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_TYPE_IGNORE,
  K_POLL_TYPE_MSGQ_DATA_AVAILABLE, K_POLL_TYPE_SEM_AVAILABLE, K_POLL_TYPE_SIGNAL, K_SEM_DEFINE, K_TIMER_DEFINE,
  K_USER, k_fifo_cancel_wait, k_fifo_get, k_fifo_put, k_msgq_get, k_msgq_put, k_msleep, k_poll, k_poll_event,
  k_poll_event_init, k_poll_signal, k_poll_signal_check, k_poll_signal_init, k_poll_signal_raise,
  k_poll_signal_reset, k_sem_give, k_sem_take, k_thread, k_thread_create, k_thread_join, k_timer_start,
  k_uptime_ticks, type k_poll_signal_state,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

describe('k_poll', () => {
  it('waits on a semaphore, a fifo and a signal together and reports which became ready', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const sem = K_SEM_DEFINE('sem', 0, 1);
      const fifo = K_FIFO_DEFINE<{ v: number }>('fifo');
      const sig = K_POLL_SIGNAL_INITIALIZER('sig');
      const events = [
        K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem),
        K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, fifo),
        K_POLL_EVENT_STATIC_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, sig, 7),
      ];
      const states = (): number[] => events.map((e) => e.state);
      const reset = (): void => events.forEach((e) => (e.state = K_POLL_STATE_NOT_READY));

      k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(2);
        k_fifo_put(fifo, { v: 1 });
        await k_msleep(2);
        k_sem_give(sem);
        await k_msleep(2);
        k_poll_signal_raise(sig, 0x55);
      }, null, null, null, 1, 0, K_NO_WAIT);

      log.push(await k_poll(events, 3, K_FOREVER), k_uptime_ticks(), states());
      log.push((await k_fifo_get(fifo, K_NO_WAIT))!.v);
      reset();
      log.push(await k_poll(events, 3, K_FOREVER), k_uptime_ticks(), states());
      // Polling does not take the semaphore.
      log.push(sem.count, await k_sem_take(sem, K_NO_WAIT));
      reset();
      log.push(await k_poll(events, 3, K_FOREVER), k_uptime_ticks(), states(), events[2]!.tag);
      const out: k_poll_signal_state = { signaled: 0, result: 0 };
      k_poll_signal_check(sig, out);
      log.push({ ...out });
      k_poll_signal_reset(sig);
      k_poll_signal_check(sig, out);
      log.push(out.signaled);
    });
    expect(log).toEqual([
      // Each 2 ms sleep of the producer is 20 ticks + 1.
      0, 21, [0, K_POLL_STATE_FIFO_DATA_AVAILABLE, 0], 1,
      0, 42, [K_POLL_STATE_SEM_AVAILABLE, 0, 0], 1, 0,
      0, 63, [0, 0, K_POLL_STATE_SIGNALED], 7, { signaled: 1, result: 0x55 }, 0,
    ]);
  });

  it('reports every event already ready, -EAGAIN with K_NO_WAIT or at the exact timeout tick', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const sem = K_SEM_DEFINE('sem', 1, 1);
      const q = K_MSGQ_DEFINE('q', 1, 1);
      await k_msgq_put(q, new Uint8Array(1), K_NO_WAIT);
      const ev = [new k_poll_event(), new k_poll_event(), new k_poll_event()];
      k_poll_event_init(ev[0]!, K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem);
      k_poll_event_init(ev[1]!, K_POLL_TYPE_MSGQ_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, q);
      k_poll_event_init(ev[2]!, K_POLL_TYPE_IGNORE, K_POLL_MODE_NOTIFY_ONLY, null);
      log.push(await k_poll(ev, 3, K_NO_WAIT), ev.map((e) => e.state));
      await k_sem_take(sem, K_NO_WAIT);
      const one = [K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem)];
      log.push(await k_poll(one, 1, K_NO_WAIT), await k_poll(one, 1, K_MSEC(4)), k_uptime_ticks(), one[0]!.state);
      log.push(sem.poll_events.length);
    });
    expect(log).toEqual([0, [K_POLL_STATE_SEM_AVAILABLE, K_POLL_STATE_MSGQ_DATA_AVAILABLE, 0], -EAGAIN, -EAGAIN, 41, 0, 0]);
  });

  it('a cancelled fifo wait ends the poll with -EINTR', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const fifo = K_FIFO_DEFINE('fifo');
      const ev = [K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, fifo)];
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(1);
        k_fifo_cancel_wait(fifo);
      }, null, null, null, 1, 0, K_NO_WAIT);
      log.push(await k_poll(ev, 1, K_FOREVER), ev[0]!.state, k_uptime_ticks());
    });
    expect(log).toEqual([-EINTR, K_POLL_STATE_CANCELLED, 11]);
  });

  it('an object state change signals only the best-priority poller, as in Zephyr', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const sig = new k_poll_signal();
      k_poll_signal_init(sig);
      const sem = K_SEM_DEFINE('sem', 0, 2);
      const poller = (name: string, prio: number) =>
        k_thread_create(new k_thread(), null, 512, async () => {
          const ev = [
            K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, sig),
            K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem),
          ];
          const rc = await k_poll(ev, 2, K_MSEC(10));
          log.push(`${name}:${rc}:${ev.map((e) => e.state).join(',')}@${k_uptime_ticks()}`);
        }, null, null, null, prio, 0, K_NO_WAIT);
      const a = poller('lo', 5);
      const b = poller('hi', 2);
      await k_msleep(1);
      log.push(`raise:${k_poll_signal_raise(sig, 1)}`);
      await k_thread_join(a, K_FOREVER);
      await k_thread_join(b, K_FOREVER);
      log.push(`sig:${sig.poll_events.length} sem:${sem.poll_events.length}`);
    });
    expect(log).toEqual(['raise:0', `hi:0:${K_POLL_STATE_SIGNALED},0@11`, `lo:${-EAGAIN}:0,0@101`, 'sig:0 sem:0']);
  });

  it('a message put into a msgq wakes a poller, which then gets it', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 1, 2);
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(3);
        await k_msgq_put(q, Uint8Array.of(5), K_NO_WAIT);
      }, null, null, null, 1, 0, K_NO_WAIT);
      const ev = [K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_MSGQ_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, q)];
      log.push(await k_poll(ev, 1, K_FOREVER), ev[0]!.state, k_uptime_ticks());
      const b = new Uint8Array(1);
      log.push(await k_msgq_get(q, b, K_NO_WAIT), b[0]);
    });
    expect(log).toEqual([0, K_POLL_STATE_MSGQ_DATA_AVAILABLE, 31, 0, 5]);
  });

  it('a thread stuck in k_poll is reported with the objects it polls', async () => {
    const r = await runBoardRaw(async () => {
      const sem = K_SEM_DEFINE('lonely_sem', 0, 1);
      const fifo = K_FIFO_DEFINE('quiet_fifo');
      await k_poll([
        K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem),
        K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_FIFO_DATA_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, fifo),
      ], 2, K_FOREVER);
    }, { config: { THREAD_NAME: true } });
    expect(r.result.reason).toBe('deadlock');
    expect(r.console.text).toMatch(/\(main\) prio 0: pending on k_poll 0x[0-9a-f]+ 'k_sem lonely_sem, k_fifo quiet_fifo'/);
  });

  it('a timer ISR raising a signal wakes the poller', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const sig = K_POLL_SIGNAL_INITIALIZER();
      const tm = K_TIMER_DEFINE('tm', () => void k_poll_signal_raise(sig, -5), null);
      k_timer_start(tm, K_MSEC(2), K_NO_WAIT);
      const ev = [K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SIGNAL, K_POLL_MODE_NOTIFY_ONLY, sig)];
      log.push(await k_poll(ev, 1, K_FOREVER), k_uptime_ticks(), sig.result);
    });
    expect(log).toEqual([0, 20, -5]);
  });

  it('a user-mode thread needs a kernel copy of its events from its resource pool: -ENOMEM without one', async () => {
    const log: number[] = [];
    for (const heap of [0, 512]) {
      await runBoard(async () => {
        const sem = K_SEM_DEFINE('sem', 1, 1);
        const t = k_thread_create(new k_thread(), null, 512, async () => {
          const ev = [K_POLL_EVENT_INITIALIZER(K_POLL_TYPE_SEM_AVAILABLE, K_POLL_MODE_NOTIFY_ONLY, sem)];
          log.push(await k_poll(ev, 1, K_NO_WAIT));
        }, null, null, null, 1, K_USER, K_NO_WAIT);
        await k_thread_join(t, K_FOREVER);
      }, { config: { USERSPACE: true, HEAP_MEM_POOL_SIZE: heap } });
    }
    expect(log).toEqual([-ENOMEM, 0]);
  });
});
