import { describe, expect, it } from 'vitest';
import { runBoard } from '../helpers/board.ts';
import { registerBootHook, unregisterBootHook } from '../../src/kernel/boot_hooks.ts';
import { MemoryConsole } from '../../src/kernel/console.ts';
import { Simulation } from '../../src/kernel/sim.ts';
import {
  k_current_get, k_is_in_isr, k_sys_work_q, k_thread, k_thread_foreach, k_thread_name_get, k_work_queue_thread_get,
} from '../../src/kernel/index.ts';

/** Boots one board per name in one simulation, each running `main`, and runs it to the end. */
async function runBoards(boards: string[], main: (board: string) => void): Promise<void> {
  const sim = new Simulation();
  for (const board of boards) {
    sim.addBoard(
      { board, config: { BOOT_BANNER: false }, console: new MemoryConsole(), seed: 1 },
      { instantiate: () => ({ main: () => main(board) }) },
    );
  }
  const r = await sim.run();
  expect(r.message).toBe('app finished');
}

describe('boot hooks', () => {
  it('run on every board booted after registration, in ISR context, before the main thread exists', async () => {
    const seen: string[] = [];
    registerBootHook('test.boot', (k) => {
      // The work queue's hook was registered first (when the kernel was imported), so it already ran.
      const threads = [...k.threads].map((t) => t.dbgName).join(',');
      seen.push(`${k.board}:isr=${k_is_in_isr()}:threads=${threads}`);
    });
    try {
      await runBoards(['a', 'b'], (board) => void seen.push(`${board}:main`));
    } finally {
      expect(unregisterBootHook('test.boot')).toBe(true);
    }
    expect(seen.slice(0, 2)).toEqual(['a:isr=true:threads=sysworkq', 'b:isr=true:threads=sysworkq']);
    expect(seen.slice(2).sort()).toEqual(['a:main', 'b:main']);
  });

  it('registering a name again replaces its hook; an unregistered hook no longer runs', async () => {
    const seen: string[] = [];
    registerBootHook('test.replace', () => void seen.push('first'));
    registerBootHook('test.replace', () => void seen.push('second'));
    await runBoards(['a'], () => undefined);
    expect(unregisterBootHook('test.replace')).toBe(true);
    expect(unregisterBootHook('test.replace')).toBe(false);
    await runBoards(['b'], () => undefined);
    expect(seen).toEqual(['second']);
  });
});

describe('the system work queue', () => {
  it('is started at boot on every board, as a system thread waiting for work', async () => {
    const log: unknown[] = [];
    const r = await runBoard(() => {
      const all: k_thread[] = [];
      k_thread_foreach((t) => void all.push(t));
      const q = k_work_queue_thread_get(k_sys_work_q);
      log.push(all.map((t) => `${t.dbgName}:${t.system}:${t.prio}:${t.stateName}`), q === all[0], q === k_current_get());
    }, { config: { SYSTEM_WORKQUEUE_PRIORITY: -3 } });
    // Its cooperative priority let it run first; it ran dry and now pends for work.
    expect(log).toEqual([['sysworkq:true:-3:pending', 'main:false:0:running'], true, false]);
    // Only the work queue is left: the board still finishes.
    expect(r.result.message).toBe('app finished');
    expect([...r.kernel.threads].map((t) => t.dbgName)).toEqual(['sysworkq']);
  });

  it('is named "sysworkq" only with CONFIG_THREAD_NAME', async () => {
    const names: unknown[] = [];
    for (const THREAD_NAME of [false, true]) {
      await runBoard(() => void names.push(k_thread_name_get(k_work_queue_thread_get(k_sys_work_q)!)), {
        config: { THREAD_NAME },
      });
    }
    expect(names).toEqual([null, 'sysworkq']);
  });
});
