import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  EAGAIN, EBUSY, ENOMEM, ENOMSG, K_FOREVER, K_MSEC, K_MSGQ_DEFINE, K_NO_WAIT, K_TIMER_DEFINE, k_current_get, k_is_in_isr,
  k_msgq, k_msgq_alloc_init, k_msgq_cleanup, k_msgq_get, k_msgq_get_attrs, k_msgq_init, k_msgq_num_free_get,
  k_msgq_num_used_get, k_msgq_peek, k_msgq_peek_at, k_msgq_purge, k_msgq_put, k_msgq_put_front, k_msleep, k_thread,
  k_thread_create, k_thread_join, k_timer_start, k_uptime_ticks, type k_msgq_attrs,
} from '../../src/kernel/index.ts';

/** Runs a board and checks it finished cleanly (a failed expect inside a thread is a fatal error). */
async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

const bytes = (...v: number[]): Uint8Array => Uint8Array.from(v);

describe('k_msgq', () => {
  it('copies Uint8Array messages in and out, FIFO, with -ENOMSG when full or empty with K_NO_WAIT', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 2, 3);
      const src = bytes(1, 2);
      log.push(await k_msgq_put(q, src, K_NO_WAIT));
      src[0] = 99; // the queue holds a copy
      log.push(await k_msgq_put(q, bytes(3, 4, 5), K_NO_WAIT)); // longer than msg_size: 2 bytes copied
      log.push(await k_msgq_put(q, bytes(5, 6), K_NO_WAIT));
      log.push(await k_msgq_put(q, bytes(7, 8), K_NO_WAIT));
      log.push(k_msgq_num_used_get(q), k_msgq_num_free_get(q));
      const out = new Uint8Array(2);
      for (let i = 0; i < 3; i++) {
        log.push(await k_msgq_get(q, out, K_NO_WAIT), [...out]);
      }
      log.push(await k_msgq_get(q, out, K_NO_WAIT));
    });
    expect(log).toEqual([0, 0, 0, -ENOMSG, 3, 0, 0, [1, 2], 0, [3, 4], 0, [5, 6], -ENOMSG]);
  });

  it('shallow-copies object messages and Object.assigns them into the reader', async () => {
    interface Reading {
      id: number;
      tags: string[];
    }
    let got: Reading | null = null;
    let sameTags = false;
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE<Reading>('q', 8, 2);
      const tags = ['a'];
      const msg = { id: 1, tags };
      await k_msgq_put(q, msg, K_NO_WAIT);
      msg.id = 2;
      const out: Reading = { id: 0, tags: [] };
      expect(k_msgq_peek(q, out)).toBe(0);
      expect(out.id).toBe(1);
      await k_msgq_get(q, out, K_NO_WAIT);
      got = out;
      sameTags = out.tags === tags;
    });
    expect(got).toEqual({ id: 1, tags: ['a'] });
    expect(sameTags).toBe(true);
  });

  it('times out with -EAGAIN at the exact tick, both for get and put', async () => {
    const log: number[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 1, 1);
      const buf = new Uint8Array(1);
      log.push(await k_msgq_get(q, buf, K_MSEC(10)), k_uptime_ticks());
      await k_msgq_put(q, buf, K_NO_WAIT);
      log.push(await k_msgq_put(q, buf, K_MSEC(5)), k_uptime_ticks());
    });
    // 10 kHz ticks: 100 ticks + 1, then 50 + 1 more.
    expect(log).toEqual([-EAGAIN, 101, -EAGAIN, 152]);
  });

  it('hands a message straight to a waiting receiver, highest priority first', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 1, 4);
      for (const [name, prio] of [['lo', 6], ['hi', 2], ['lo2', 6]] as const) {
        k_thread_create(new k_thread(), null, 512, async () => {
          const b = new Uint8Array(1);
          const rc = await k_msgq_get(q, b, K_FOREVER);
          order.push(`${name}:${rc}:${b[0]}@${k_uptime_ticks()}`);
        }, null, null, null, prio, 0, K_NO_WAIT);
      }
      await k_msleep(1);
      for (const v of [10, 20, 30]) await k_msgq_put(q, bytes(v), K_NO_WAIT);
      expect(k_msgq_num_used_get(q)).toBe(0);
      await k_msleep(1);
    });
    expect(order).toEqual(['hi:0:10@11', 'lo:0:20@11', 'lo2:0:30@11']);
  });

  it('admits blocked senders as room appears, in priority order', async () => {
    const got: number[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 1, 1);
      await k_msgq_put(q, bytes(1), K_NO_WAIT);
      for (const [v, prio] of [[2, 5], [3, 3]] as const) {
        k_thread_create(new k_thread(), null, 512, async () => void (await k_msgq_put(q, bytes(v), K_FOREVER)), null, null, null, prio, 0, K_NO_WAIT);
      }
      await k_msleep(1);
      const b = new Uint8Array(1);
      for (let i = 0; i < 3; i++) {
        expect(await k_msgq_get(q, b, K_FOREVER)).toBe(0);
        got.push(b[0]!);
      }
    });
    expect(got).toEqual([1, 3, 2]);
  });

  it('put_front, peek_at across the ring wrap, attrs', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = new k_msgq();
      k_msgq_init(q, 1, 3);
      const b = new Uint8Array(1);
      await k_msgq_put(q, bytes(1), K_NO_WAIT);
      await k_msgq_put(q, bytes(2), K_NO_WAIT);
      await k_msgq_get(q, b, K_NO_WAIT);
      await k_msgq_put(q, bytes(3), K_NO_WAIT); // wraps
      log.push(await k_msgq_put_front(q, bytes(0)));
      log.push(await k_msgq_put_front(q, bytes(9))); // full
      for (let i = 0; i < 4; i++) log.push(k_msgq_peek_at(q, b, i), b[0]);
      const attrs: k_msgq_attrs = { msg_size: 0, max_msgs: 0, used_msgs: 0 };
      k_msgq_get_attrs(q, attrs);
      log.push(attrs);
    });
    expect(log).toEqual([0, -ENOMSG, 0, 0, 0, 2, 0, 3, -ENOMSG, 3, { msg_size: 1, max_msgs: 3, used_msgs: 3 }]);
  });

  it('purge empties the queue and fails waiting senders with -ENOMSG', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 1, 1);
      await k_msgq_put(q, bytes(1), K_NO_WAIT);
      const t = k_thread_create(new k_thread(), null, 512, async () => {
        log.push(`sender:${await k_msgq_put(q, bytes(2), K_FOREVER)}`);
      }, null, null, null, 3, 0, K_NO_WAIT);
      await k_msleep(1);
      k_msgq_purge(q);
      log.push(k_msgq_num_used_get(q), k_msgq_peek(q, new Uint8Array(1)));
      await k_thread_join(t, K_FOREVER);
    });
    expect(log).toEqual([0, -ENOMSG, `sender:${-ENOMSG}`]);
  });

  it('alloc_init draws the buffer from the heap: -ENOMEM without one; cleanup frees it or says -EBUSY', async () => {
    const log: number[] = [];
    await runBoard(async () => {
      log.push(k_msgq_alloc_init(new k_msgq(), 4, 4));
    });
    await runBoard(async () => {
      const q = new k_msgq();
      log.push(k_msgq_alloc_init(q, 16, 100)); // 1600 bytes do not fit in 1024
      log.push(k_msgq_alloc_init(q, 16, 8));
      k_thread_create(new k_thread(), null, 512, async () => void (await k_msgq_get(q, new Uint8Array(16), K_MSEC(5))), null, null, null, 1, 0, K_NO_WAIT);
      await k_msleep(1);
      log.push(k_msgq_cleanup(q));
      await k_msleep(10);
      log.push(k_msgq_cleanup(q));
    }, { config: { HEAP_MEM_POOL_SIZE: 1024 } });
    expect(log).toEqual([-ENOMEM, -ENOMEM, 0, -EBUSY, 0]);
  });

  it('an ISR (timer expiry) can put with K_NO_WAIT, waking a waiting reader', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_MSGQ_DEFINE('q', 1, 2);
      const tm = K_TIMER_DEFINE('tm', () => {
        void k_msgq_put(q, bytes(42), K_NO_WAIT).then((rc) => log.push(`isr:${rc}:${k_is_in_isr()}`));
        log.push(`in-isr:${k_is_in_isr()}:${k_current_get() === null}`);
      }, null);
      k_timer_start(tm, K_MSEC(3), K_NO_WAIT);
      const b = new Uint8Array(1);
      log.push(await k_msgq_get(q, b, K_FOREVER), b[0], k_uptime_ticks());
    });
    expect(log).toEqual(['in-isr:true:true', 'isr:0:false', 0, 42, 30]);
  });
});
