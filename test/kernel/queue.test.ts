import { describe, expect, it } from 'vitest';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  EINVAL, ENOMEM, K_FIFO_DEFINE, K_FOREVER, K_LIFO_DEFINE, K_MSEC, K_NO_WAIT, K_QUEUE_DEFINE, K_TIMER_DEFINE,
  k_fifo_alloc_put, k_fifo_cancel_wait, k_fifo_get, k_fifo_is_empty, k_fifo_peek_head, k_fifo_peek_tail, k_fifo_put,
  k_fifo_put_list, k_free, k_lifo_get, k_lifo_put, k_malloc, k_msleep, k_queue, k_queue_alloc_append,
  k_queue_append, k_queue_append_list, k_queue_get, k_queue_init, k_queue_insert, k_queue_is_empty,
  k_queue_merge_slist, k_queue_peek_head, k_queue_peek_tail, k_queue_prepend, k_queue_remove,
  k_queue_unique_append, k_thread, k_thread_create, k_thread_heap_assign, k_current_get, k_timer_start,
  k_uptime_ticks, K_HEAP_DEFINE, z_system_heap_usage, k_timer_stop,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

interface Item {
  v: number;
}
const item = (v: number): Item => ({ v });
const vals = (xs: (Item | null)[]): (number | null)[] => xs.map((x) => x?.v ?? null);

describe('k_queue / k_fifo / k_lifo', () => {
  it('fifo is first-in first-out and hands back the very objects; lifo is last-in first-out', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const f = K_FIFO_DEFINE<Item>('f');
      const a = item(1);
      k_fifo_put(f, a);
      k_fifo_put(f, item(2));
      log.push(k_fifo_is_empty(f), k_fifo_peek_head(f)?.v, k_fifo_peek_tail(f)?.v);
      const got = await k_fifo_get(f, K_NO_WAIT);
      log.push(got === a, (await k_fifo_get(f, K_NO_WAIT))?.v, await k_fifo_get(f, K_NO_WAIT), k_fifo_is_empty(f));
      const l = K_LIFO_DEFINE<Item>('l');
      for (const v of [1, 2, 3]) k_lifo_put(l, item(v));
      for (let i = 0; i < 3; i++) log.push((await k_lifo_get(l, K_NO_WAIT))!.v);
      log.push(k_fifo_put_list(f, [item(7), item(8)]), (await k_fifo_get(f, K_NO_WAIT))!.v);
    });
    expect(log).toEqual([0, 1, 2, true, 2, null, 1, 3, 2, 1, 0, 7]);
  });

  it('k_queue_get times out with null at the exact tick', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_QUEUE_DEFINE('q');
      log.push(await k_queue_get(q, K_MSEC(20)), k_uptime_ticks());
    });
    expect(log).toEqual([null, 201]);
  });

  it('wakes waiters by priority, FIFO within a priority; the item goes straight to the waiter', async () => {
    const order: string[] = [];
    await runBoard(async () => {
      const f = K_FIFO_DEFINE<Item>('f');
      for (const [name, prio] of [['a', 5], ['b', 2], ['c', 5], ['d', 2]] as const) {
        k_thread_create(new k_thread(), null, 512, async () => {
          const it = await k_fifo_get(f, K_FOREVER);
          order.push(`${name}${it!.v}`);
        }, null, null, null, prio, 0, K_NO_WAIT);
      }
      await k_msleep(1);
      for (let v = 1; v <= 4; v++) k_fifo_put(f, item(v));
      expect(k_fifo_is_empty(f)).toBe(1);
      await k_msleep(1);
    });
    expect(order).toEqual(['b1', 'd2', 'a3', 'c4']);
  });

  it('cancel_wait makes the first waiter return null', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const f = K_FIFO_DEFINE('f');
      k_thread_create(new k_thread(), null, 512, async () => {
        log.push(await k_fifo_get(f, K_FOREVER), k_uptime_ticks());
      }, null, null, null, 1, 0, K_NO_WAIT);
      await k_msleep(2);
      k_fifo_cancel_wait(f);
      await k_msleep(1);
    });
    expect(log).toEqual([null, 21]);
  });

  it('insert, prepend, remove, unique_append, peek', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = new k_queue<Item>();
      k_queue_init(q);
      const [a, b, c, d] = [item(1), item(2), item(3), item(4)];
      k_queue_append(q, a);
      k_queue_append(q, c);
      k_queue_insert(q, a, b); // after a
      k_queue_prepend(q, d);
      k_queue_insert(q, null, item(0)); // NULL prev: at the head
      log.push(k_queue_peek_head(q)?.v, k_queue_peek_tail(q)?.v);
      log.push(k_queue_remove(q, b), k_queue_remove(q, b), k_queue_unique_append(q, a), k_queue_unique_append(q, b));
      const all: (Item | null)[] = [];
      while (!k_queue_is_empty(q)) all.push(await k_queue_get(q, K_NO_WAIT));
      log.push(vals(all), k_queue_peek_head(q));
    });
    expect(log).toEqual([0, 3, true, false, false, true, [0, 4, 1, 3, 2], null]);
  });

  it('append_list / merge_slist feed waiters first, then queue the rest; empty lists are -EINVAL', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_QUEUE_DEFINE<Item>('q');
      k_thread_create(new k_thread(), null, 512, async () => {
        log.push(`waiter:${(await k_queue_get(q, K_FOREVER))!.v}`);
      }, null, null, null, 1, 0, K_NO_WAIT);
      await k_msleep(1);
      log.push(k_queue_append_list(q, []), k_queue_append_list(q, [item(1), item(2)]));
      const list = [item(3)];
      log.push(k_queue_merge_slist(q, list), list.length, k_queue_append_list(q, [item(4)]));
      await k_msleep(1);
      const rest: (Item | null)[] = [];
      while (!k_queue_is_empty(q)) rest.push(await k_queue_get(q, K_NO_WAIT));
      log.push(vals(rest));
    });
    expect(log).toEqual([-EINVAL, 0, 0, 0, 0, 'waiter:1', [2, 3, 4]]);
  });

  it('alloc_append takes one small block per queued item from the heap, -ENOMEM when exhausted', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_FIFO_DEFINE<Item>('q');
      // 256 bytes less the 4-byte footer: 31 chunks of 8 bytes, 5 of them the heap header and its
      // 5 buckets; an alloc_node (8 bytes + 4 of heap reference + 4 of chunk header) takes 2, so 13 fit.
      let n = 0;
      while (k_queue_alloc_append(q, item(n)) === 0) n++;
      log.push(n, z_system_heap_usage(k_current_get().kernel)!.free_bytes);
      log.push((await k_queue_get(q, K_NO_WAIT))!.v); // frees one node
      log.push(k_fifo_alloc_put(q, item(99)), k_fifo_alloc_put(q, item(100)));
      // A thread whose resource pool is a 52-byte heap (2 free chunks) fits exactly one node.
      const h = K_HEAP_DEFINE('tiny', 52);
      k_thread_heap_assign(k_current_get(), h);
      const q2 = K_QUEUE_DEFINE<Item>('q2');
      log.push(k_queue_alloc_append(q2, item(1)), k_queue_alloc_append(q2, item(2)));
    }, { config: { HEAP_MEM_POOL_SIZE: 256 } });
    expect(log).toEqual([13, 0, 0, 0, -ENOMEM, 0, -ENOMEM]);
  });

  it('alloc_append does not allocate when a thread is waiting, and gets -ENOMEM with no heap at all', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const q = K_QUEUE_DEFINE<Item>('q');
      log.push(k_queue_alloc_append(q, item(1)), k_malloc(4));
      k_thread_create(new k_thread(), null, 512, async () => {
        log.push((await k_queue_get(q, K_FOREVER))!.v);
      }, null, null, null, 1, 0, K_NO_WAIT);
      await k_msleep(1);
      log.push(k_queue_alloc_append(q, item(2)));
      await k_msleep(1);
      k_free(null);
    });
    expect(log).toEqual([-ENOMEM, null, 0, 2]);
  });

  it('a timer ISR can put into a fifo a thread waits on', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const f = K_FIFO_DEFINE<Item>('f');
      let n = 0;
      const tm = K_TIMER_DEFINE('tm', () => k_fifo_put(f, item(++n)), null);
      k_timer_start(tm, K_MSEC(1), K_MSEC(1));
      for (let i = 0; i < 3; i++) {
        const it = await k_fifo_get(f, K_FOREVER);
        log.push(`${it!.v}@${k_uptime_ticks()}`);
      }
      k_timer_stop(tm);
    });
    expect(log).toEqual(['1@10', '2@20', '3@30']);
  });
});
