import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import { K_FOREVER, K_MSEC, k_msleep, k_sem, k_sem_give, k_sem_init, k_sem_take, k_uptime_get } from '../../src/kernel/index.ts';
import { zsim } from '../helpers/cli.ts';

describe('real time', () => {
  it('timeouts follow the wall clock', async () => {
    let uptime = 0;
    const t0 = performance.now();
    const r = await runBoard(async () => {
      await k_msleep(150);
      uptime = k_uptime_get();
    }, { realtime: true });
    const wall = performance.now() - t0;
    expect(r.result.reason).toBe('finished');
    expect(wall).toBeGreaterThanOrEqual(145);
    expect(uptime).toBeGreaterThanOrEqual(150);
    expect(uptime).toBeLessThan(150 + 200);
  });

  it('a timed wait on a semaphore returns -EAGAIN after the wall-clock timeout', async () => {
    let rc = 0;
    const t0 = performance.now();
    await runBoard(async () => {
      const s = new k_sem();
      k_sem_init(s, 0, 1);
      rc = await k_sem_take(s, K_MSEC(100));
    }, { realtime: true });
    expect(rc).toBe(-11);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(95);
  });

  it('the time limit stops a real-time run', async () => {
    const t0 = performance.now();
    const r = await runBoard(async () => {
      const s = new k_sem();
      k_sem_init(s, 0, 1);
      k_sem_give(s);
      for (;;) {
        await k_msleep(20);
        await k_sem_take(s, K_FOREVER).then(() => k_sem_give(s));
      }
    }, { realtime: true, timeLimitMs: 200 });
    expect(r.result.reason).toBe('time-limit');
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
  });

  it('zsim run --realtime takes wall time; virtual time does not', () => {
    const t0 = performance.now();
    const rt = zsim(['run', '-b', 'qemu_x86', 'samples/synchronization', '--time', '1.2', '--realtime']);
    const rtWall = performance.now() - t0;
    expect(rt.code).toBe(0);
    expect(rt.stdout).toContain('thread_b: Hello World from cpu 0 on qemu_x86!');
    expect(rtWall).toBeGreaterThanOrEqual(1200);
    const t1 = performance.now();
    const vt = zsim(['run', '-b', 'qemu_x86', 'samples/synchronization', '--time', '30']);
    expect(vt.code).toBe(0);
    expect(vt.stdout.split('\n').filter((l) => l.includes('Hello World')).length).toBeGreaterThan(40);
    expect(performance.now() - t1).toBeLessThan(20_000);
  });
});
