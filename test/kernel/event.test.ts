import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  K_EVENT_DEFINE, K_FOREVER, K_MSEC, K_NO_WAIT, K_TIMER_DEFINE, k_event, k_event_clear, k_event_init, k_event_post,
  k_event_set, k_event_set_masked, k_event_test, k_event_wait, k_event_wait_all, k_event_wait_safe, k_msleep,
  k_thread, k_thread_create, k_timer_start, k_uptime_ticks,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

describe('k_event', () => {
  it('post/set/set_masked/clear return the previous value of the bits they touch', async () => {
    const log: number[] = [];
    await runBoard(() => {
      const e = new k_event();
      k_event_init(e);
      log.push(k_event_post(e, 0x3), e.events);
      log.push(k_event_post(e, 0x6), e.events);
      log.push(k_event_set(e, 0x10), e.events);
      log.push(k_event_set_masked(e, 0x0f, 0x11), e.events);
      log.push(k_event_clear(e, 0xff), e.events);
      log.push(k_event_post(e, 0x80000000), e.events, k_event_test(e, 0x80000001));
    });
    expect(log).toEqual([0, 3, 2, 7, 7, 0x10, 0x10, 1, 1, 0, 0, 0x80000000, 0x80000000]);
  });

  it('wait returns the matching events at once, or 0 after the timeout / with K_NO_WAIT', async () => {
    const log: number[] = [];
    await runBoard(async () => {
      const e = K_EVENT_DEFINE('e');
      k_event_post(e, 0x5);
      log.push(await k_event_wait(e, 0x6, false, K_NO_WAIT));
      log.push(await k_event_wait_all(e, 0x6, false, K_NO_WAIT));
      log.push(await k_event_wait(e, 0, false, K_FOREVER)); // no events asked: 0 at once
      log.push(await k_event_wait(e, 0x1, true, K_MSEC(5)), k_uptime_ticks()); // reset clears first
      log.push(e.events);
    });
    expect(log).toEqual([0x4, 0, 0, 0, 51, 0]);
  });

  it('one post wakes every waiter whose condition it meets, any or all', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const e = K_EVENT_DEFINE('e');
      const waiter = (name: string, all: boolean, mask: number) =>
        k_thread_create(new k_thread(), null, 512, async () => {
          const got = await (all ? k_event_wait_all : k_event_wait)(e, mask, false, K_MSEC(50));
          log.push(`${name}:${got.toString(16)}@${k_uptime_ticks()}`);
        }, null, null, null, 1, 0, K_NO_WAIT);
      waiter('any1', false, 0x1);
      waiter('all3', true, 0x3);
      waiter('any4', false, 0x4);
      await k_msleep(1);
      k_event_post(e, 0x1);
      await k_msleep(1);
      k_event_post(e, 0x2);
      await k_msleep(100);
      log.push(`events:${e.events.toString(16)}`);
    });
    expect(log).toEqual(['any1:1@11', 'all3:3@22', 'any4:0@501', 'events:3']);
  });

  it('the "safe" waits consume the events they receive', async () => {
    const log: number[] = [];
    await runBoard(async () => {
      const e = K_EVENT_DEFINE('e');
      k_thread_create(new k_thread(), null, 512, async () => {
        log.push(await k_event_wait_safe(e, 0x3, false, K_FOREVER));
      }, null, null, null, 1, 0, K_NO_WAIT);
      await k_msleep(1);
      k_event_post(e, 0x6);
      log.push(e.events);
    });
    expect(log).toEqual([0x4, 0x2]);
  });

  it('a timer ISR can post events', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const e = K_EVENT_DEFINE('e');
      const tm = K_TIMER_DEFINE('tm', () => void k_event_post(e, 0x8), null);
      k_timer_start(tm, K_MSEC(7), K_NO_WAIT);
      log.push(await k_event_wait(e, 0x8, false, K_FOREVER), k_uptime_ticks());
    });
    expect(log).toEqual([8, 70]);
  });
});
