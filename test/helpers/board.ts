/**
 * Runs a function as a board's `main()` in a fresh simulation, for kernel tests.
 */
import { MemoryConsole } from '../../src/kernel/console.ts';
import type { KConfig, Kernel } from '../../src/kernel/kernel.ts';
import { Simulation, type RunResult } from '../../src/kernel/sim.ts';

export interface BoardRun {
  result: RunResult;
  console: MemoryConsole;
  kernel: Kernel;
  sim: Simulation;
}

export async function runBoard(
  main: () => unknown,
  opts: {
    config?: KConfig;
    timeLimitMs?: number;
    realtime?: boolean;
    seed?: number;
    module?: () => void;
    /** Runs after the board is created and before it runs (attach a network, provision...). */
    setup?: (kernel: Kernel, sim: Simulation) => void;
  } = {},
): Promise<BoardRun> {
  const sim = new Simulation({
    realtime: opts.realtime,
    timeLimitNs: opts.timeLimitMs === undefined ? undefined : opts.timeLimitMs * 1e6,
  });
  const console = new MemoryConsole();
  const kernel = sim.addBoard(
    { board: 'qemu_x86', config: { BOOT_BANNER: false, ...opts.config }, console, seed: opts.seed ?? 1 },
    {
      instantiate: () => {
        opts.module?.();
        return { main };
      },
    },
  );
  opts.setup?.(kernel, sim);
  const result = await sim.run();
  return { result, console, kernel, sim };
}
