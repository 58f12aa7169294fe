import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runBoard as runBoardRaw } from '../helpers/board.ts';
import {
  K_FOREVER, K_HEAP_DEFINE, K_MSEC, K_NO_WAIT, k_aligned_alloc, k_calloc, k_current_get, k_free, k_heap,
  k_heap_aligned_alloc, k_heap_alloc, k_heap_calloc, k_heap_free, k_heap_init, k_heap_realloc, k_malloc, k_msleep,
  k_realloc, k_thread, k_thread_create, k_thread_heap_assign, k_thread_join, k_thread_start, k_thread_system_pool_assign,
  K_TIMER_DEFINE, k_timer_start, k_uptime_ticks, sys_heap_runtime_stats_get, z_system_heap_usage, z_thread_malloc,
  Z_HEAP_MIN_SIZE, type KConfig, type sys_memory_stats,
} from '../../src/kernel/index.ts';

async function runBoard(...args: Parameters<typeof runBoardRaw>): ReturnType<typeof runBoardRaw> {
  const r = await runBoardRaw(...args);
  expect(r.result.message).toBe('app finished');
  return r;
}

const usage = () => z_system_heap_usage(k_current_get().kernel);

describe('system heap (k_malloc & co.)', () => {
  it('CONFIG_HEAP_MEM_POOL_SIZE=0: every allocation fails', async () => {
    const log: unknown[] = [];
    await runBoard(() => {
      log.push(k_malloc(1), k_calloc(1, 1), k_aligned_alloc(8, 8), k_realloc(null, 4), usage());
      k_free(null);
    });
    expect(log).toEqual([null, null, null, null, null]);
  });

  it('models chunk overhead: 60 eight-byte blocks fit in 1024 bytes on a 32-bit board, 40 on a 64-bit one', async () => {
    const log: unknown[] = [];
    const configs: KConfig[] = [{ HEAP_MEM_POOL_SIZE: 1024 }, { HEAP_MEM_POOL_SIZE: 1024, '64BIT': true }];
    for (const config of configs) {
      await runBoard(() => {
        const blocks: Uint8Array[] = [];
        for (let p = k_malloc(8); p; p = k_malloc(8)) blocks.push(p);
        log.push(blocks.length, blocks[0]!.length, { ...usage() });
        // What is left is one chunk: on 32 bits a 0-byte k_malloc (its hidden heap reference) fits there.
        log.push(k_malloc(0)?.length ?? null);
        for (const b of blocks) k_free(b);
        log.push(usage()!.allocated_bytes);
      }, { config });
    }
    expect(log).toEqual([
      60, 8, { total_bytes: 1024, allocated_bytes: 960, free_bytes: 8, max_allocated_bytes: 960 }, 0, 8,
      40, 8, { total_bytes: 1024, allocated_bytes: 960, free_bytes: 0, max_allocated_bytes: 960 }, null, 0,
    ]);
  });

  it('coalesces freed neighbours, and fails from fragmentation with enough bytes free', async () => {
    const log: unknown[] = [];
    await runBoard(() => {
      const blocks: Uint8Array[] = [];
      for (let p = k_malloc(8); p; p = k_malloc(8)) blocks.push(p);
      blocks.forEach((b, i) => i % 2 === 0 && k_free(b));
      log.push(usage()!.free_bytes, k_malloc(20)); // 488 bytes free, no 4 contiguous chunks
      blocks.forEach((b, i) => i % 2 === 1 && k_free(b));
      log.push(usage()!.free_bytes, k_malloc(961), k_malloc(960)?.length);
    }, { config: { HEAP_MEM_POOL_SIZE: 1024 } });
    expect(log).toEqual([488, null, 968, null, 960]);
  });

  it('k_calloc zeroes and checks for overflow; k_aligned_alloc carves the aligned part of a bigger chunk', async () => {
    const log: unknown[] = [];
    await runBoard(() => {
      log.push(k_calloc(0x10000, 0x10000), [...k_calloc(2, 3)!]);
      k_free(k_calloc(2, 3));
      const before = usage()!;
      const a = k_aligned_alloc(64, 10)!;
      const after = usage()!;
      // 10 bytes + 4 of reference, 64-aligned: the one-chunk prefix goes back to the free list, the
      // block keeps 3 chunks.
      log.push(a.length, after.allocated_bytes - before.allocated_bytes, before.free_bytes - after.free_bytes);
    }, { config: { HEAP_MEM_POOL_SIZE: 1024 } });
    expect(log).toEqual([null, [0, 0, 0, 0, 0, 0], 10, 24, 24]);
  });

  it('k_realloc keeps the contents, grows in place into a free neighbour, and frees with size 0', async () => {
    const log: unknown[] = [];
    await runBoard(() => {
      const p = k_malloc(8)!;
      p.set([1, 2, 3, 4, 5, 6, 7, 8]);
      const q = k_realloc(p, 20)!;
      log.push(q !== p, q.length, [...q.subarray(0, 9)], usage()!.allocated_bytes);
      log.push(k_realloc(q, 0), usage()!.allocated_bytes, k_realloc(null, 3)?.length);
    }, { config: { HEAP_MEM_POOL_SIZE: 1024 } });
    expect(log).toEqual([true, 20, [1, 2, 3, 4, 5, 6, 7, 8, 0], 32, null, 0, 3]);
  });

  it('a double free is an assertion failure with CONFIG_ASSERT', async () => {
    const r = await runBoardRaw(() => {
      const p = k_malloc(8);
      k_free(p);
      k_free(p);
    }, { config: { HEAP_MEM_POOL_SIZE: 1024, ASSERT: true } });
    expect(r.result.reason).toBe('fatal');
    expect(r.console.text).toMatch(/ASSERTION FAIL @ k_free: unexpected heap state \(double-free\?\)/);
  });
});

describe('k_heap', () => {
  it('K_HEAP_DEFINE enforces Z_HEAP_MIN_SIZE; allocations and stats', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const tiny = K_HEAP_DEFINE('tiny', 1);
      log.push(Z_HEAP_MIN_SIZE(), (await k_heap_alloc(tiny, 1, K_NO_WAIT))?.length, await k_heap_alloc(tiny, 1, K_NO_WAIT));
      const h = new k_heap();
      k_heap_init(h, new Uint8Array(64), 64); // 7 chunks: 4 of header, 3 free
      const stats: sys_memory_stats = { free_bytes: 0, allocated_bytes: 0, max_allocated_bytes: 0 };
      sys_heap_runtime_stats_get(h, stats);
      log.push({ ...stats });
      const a = await k_heap_alloc(h, 20, K_NO_WAIT);
      log.push(a?.length, await k_heap_alloc(h, 1, K_NO_WAIT), await k_heap_alloc(h, 0, K_NO_WAIT));
      k_heap_free(h, a);
      log.push([...(await k_heap_calloc(h, 2, 4, K_NO_WAIT))!], (await k_heap_aligned_alloc(h, 8, 8, K_NO_WAIT)) !== null);
    });
    expect(log).toEqual([44, 1, null, { free_bytes: 24, allocated_bytes: 0, max_allocated_bytes: 0 }, 20, null, null,
      [0, 0, 0, 0, 0, 0, 0, 0], false]);
  });

  it('a blocking allocation waits for a free; without one it gives up two ticks after the deadline, as Zephyr', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const h = K_HEAP_DEFINE('h', 64);
      const a = await k_heap_alloc(h, 20, K_NO_WAIT);
      log.push(await k_heap_alloc(h, 8, K_MSEC(10)), k_uptime_ticks());
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(5);
        k_heap_free(h, a);
      }, null, null, null, 1, 0, K_NO_WAIT);
      log.push((await k_heap_alloc(h, 8, K_FOREVER))?.length, k_uptime_ticks());
    });
    expect(log).toEqual([null, 102, 8, 153]);
  });

  it('every free lets all waiters retry, best priority first', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const h = K_HEAP_DEFINE('h', 64);
      const a = await k_heap_alloc(h, 20, K_NO_WAIT);
      const waiter = (name: string, prio: number) =>
        k_thread_create(new k_thread(), null, 512, async () => {
          const p = await k_heap_alloc(h, 16, K_MSEC(50));
          log.push(`${name}:${p ? 'got' : 'none'}@${k_uptime_ticks()}`);
          await k_msleep(10);
          k_heap_free(h, p);
        }, null, null, null, prio, 0, K_NO_WAIT);
      const lo = waiter('lo', 6);
      const hi = waiter('hi', 2);
      await k_msleep(1);
      k_heap_free(h, a);
      await k_thread_join(hi, K_FOREVER);
      await k_thread_join(lo, K_FOREVER);
    });
    expect(log).toEqual(['hi:got@11', 'lo:got@112']); // hi frees after 10 ms + 1 tick
  });

  it('k_heap_realloc waits for room like k_heap_alloc', async () => {
    const log: unknown[] = [];
    await runBoard(async () => {
      const h = K_HEAP_DEFINE('h', 96); // 11 chunks: 4 of header, 7 free
      const a = (await k_heap_alloc(h, 4, K_NO_WAIT))!; // 1 chunk
      const b = (await k_heap_alloc(h, 4, K_NO_WAIT))!; // next to it
      a.set([9, 8, 7, 6]);
      log.push(await k_heap_realloc(h, a, 60, K_NO_WAIT)); // needs 8 chunks
      k_thread_create(new k_thread(), null, 512, async () => {
        await k_msleep(2);
        k_heap_free(h, b);
      }, null, null, null, 1, 0, K_NO_WAIT);
      const c = await k_heap_realloc(h, a, 48, K_FOREVER);
      log.push(c?.length, [...c!.subarray(0, 5)], k_uptime_ticks());
    });
    expect(log).toEqual([null, 48, [9, 8, 7, 6, 0], 21]);
  });

  it('random alloc/aligned/realloc/free sequences keep the books balanced and coalesce fully', async () => {
    type Op = { kind: 'alloc' | 'aligned' | 'realloc' | 'free'; size: number; pick: number; align: number };
    const op = fc.record({
      kind: fc.constantFrom('alloc', 'aligned', 'realloc', 'free'),
      size: fc.integer({ min: 1, max: 300 }),
      pick: fc.nat(),
      align: fc.constantFrom(8, 16, 32, 64, 128),
    }) as fc.Arbitrary<Op>;
    const runs = fc.sample(fc.array(op, { minLength: 20, maxLength: 200 }), { seed: 42, numRuns: 40 });
    const failures: string[] = [];
    await runBoard(async () => {
      for (const [r, ops] of runs.entries()) {
        const h = K_HEAP_DEFINE('h', 2048);
        const st: sys_memory_stats = { free_bytes: 0, allocated_bytes: 0, max_allocated_bytes: 0 };
        sys_heap_runtime_stats_get(h, st);
        const capacity = st.free_bytes;
        const live: Uint8Array[] = [];
        for (const o of ops) {
          const i = live.length ? o.pick % live.length : -1;
          if (o.kind === 'alloc') {
            const p = await k_heap_alloc(h, o.size, K_NO_WAIT);
            if (p) live.push(p.fill(r));
          } else if (o.kind === 'aligned') {
            const p = await k_heap_aligned_alloc(h, o.align, o.size, K_NO_WAIT);
            if (p) live.push(p);
          } else if (i >= 0 && o.kind === 'realloc') {
            const p = await k_heap_realloc(h, live[i]!, o.size, K_NO_WAIT);
            if (p) live[i] = p;
          } else if (i >= 0) {
            k_heap_free(h, live.splice(i, 1)[0]!);
          }
          sys_heap_runtime_stats_get(h, st);
          if (st.free_bytes + st.allocated_bytes !== capacity) failures.push(`run ${r}: books off after ${o.kind}`);
        }
        for (const p of live) k_heap_free(h, p);
        sys_heap_runtime_stats_get(h, st);
        // Everything merged back: one request for the whole free space (less its header) fits.
        const all = await k_heap_alloc(h, capacity - 4, K_NO_WAIT);
        if (st.allocated_bytes !== 0 || st.free_bytes !== capacity || !all) failures.push(`run ${r}: not coalesced`);
      }
    });
    expect(failures).toEqual([]);
  });
});

describe('thread resource pools', () => {
  it('k_thread_create copies the creator\'s pool, as Zephyr does; threads created by an ISR get the default', async () => {
    const log: string[] = [];
    await runBoard(async () => {
      const h = K_HEAP_DEFINE('pool', 256);
      const stats: sys_memory_stats = { free_bytes: 0, allocated_bytes: 0, max_allocated_bytes: 0 };
      const inPool = (): number => (sys_heap_runtime_stats_get(h, stats), stats.allocated_bytes);
      const inSystem = (): number => usage()!.allocated_bytes;
      // Which heap a kernel allocation on behalf of the running thread comes from.
      const probe = (who: string): void => {
        const [pool, system] = [inPool(), inSystem()];
        const p = z_thread_malloc(16);
        log.push(`${who}:${p === null ? 'none' : inPool() > pool ? 'pool' : inSystem() > system ? 'system' : '?'}`);
        k_free(p);
      };
      const spawn = (entry: () => unknown, delay = K_NO_WAIT): k_thread =>
        k_thread_create(new k_thread(), null, 512, async () => void (await entry()), null, null, null, 1, 0, delay);

      probe('main-unassigned');
      k_thread_heap_assign(k_current_get(), h);
      probe('main');
      await k_thread_join(spawn(async () => {
        probe('child');
        await k_thread_join(spawn(() => probe('grandchild')), K_FOREVER);
      }), K_FOREVER);

      // The pool is copied at creation: reassigning the creator later does not change the child's.
      const late = spawn(() => probe('late'), K_FOREVER);
      k_thread_heap_assign(k_current_get(), null);
      probe('main-none');
      k_thread_start(late);
      await k_thread_join(late, K_FOREVER);
      // An explicit "no pool" is inherited too.
      await k_thread_join(spawn(() => probe('orphan')), K_FOREVER);

      // A thread made by a timer ISR has no creating thread: it gets the default, the system heap.
      const tm = K_TIMER_DEFINE('tm', () => void spawn(() => probe('from-isr')), null);
      k_timer_start(tm, K_MSEC(1), K_NO_WAIT);
      await k_msleep(5);

      k_thread_system_pool_assign(k_current_get());
      await k_thread_join(spawn(() => probe('sys')), K_FOREVER);
    }, { config: { HEAP_MEM_POOL_SIZE: 1024 } });
    expect(log).toEqual([
      'main-unassigned:system', 'main:pool', 'child:pool', 'grandchild:pool', 'main-none:none', 'late:pool',
      'orphan:none', 'from-isr:system', 'sys:system',
    ]);
  });
});
