/**
 * Boards with a shell for the shell tests: a fake `sh` for dispatcher tests, and a simulation
 * whose board runs the real shell thread on a memory backend, with the board's console written
 * into the same transcript as the shell's output (so their order can be checked).
 */
import type { ConsoleSink, LogRecord } from '../../src/kernel/console.ts';
import type { KConfig, Kernel } from '../../src/kernel/kernel.ts';
import { Simulation, type RunResult } from '../../src/kernel/sim.ts';
import { MemoryBackend } from '../../src/shell/shell_backend.ts';
import { Shell, type ShellEnd, type ShellNetif } from '../../src/shell/shell_instance.ts';
import type { ShellColor, ShellContext, ShellStaticEntry } from '../../src/shell/shell_types.ts';
import '../../src/shell/builtins.ts';

/** What a board with `CONFIG_SHELL=y` and the default shell options has. */
export const SHELL_CONFIG: KConfig = {
  BOOT_BANNER: false, SHELL: true, SHELL_PROMPT_UART: 'uart:~$ ', KERNEL_SHELL: true, THREAD_NAME: true,
  SHELL_HISTORY: true, SHELL_HISTORY_BUFFER: 512, SHELL_CMDS: true, SHELL_HELP: true, SHELL_TAB: true,
  SHELL_TAB_AUTOCOMPLETION: true, SHELL_VT100_COMMANDS: true, SHELL_VT100_COLORS: true, LOG: true,
};

/** A board that never runs, for registry and dispatcher tests. */
export function testKernel(config: KConfig = {}): Kernel {
  const sim = new Simulation();
  return sim.addBoard({ board: 'qemu_x86', config: { ...SHELL_CONFIG, ...config }, console: nullConsole, seed: 1 }, null);
}

const nullConsole: ConsoleSink = { printk: () => {}, log: () => {} };

/** A `sh` that records what is written to it. */
export class FakeShell implements ShellContext {
  readonly name = 'fake';
  prompt = '~$ ';
  activeCmd: ShellStaticEntry | null = null;
  retval = 0;
  readonly helpWidth = 80;
  out = '';
  readonly colored: [ShellColor, string][] = [];
  constructor(readonly kernel: Kernel) {}
  write(color: ShellColor, text: string): void {
    this.out += text;
    this.colored.push([color, text]);
  }
}

/** Writes the board's console into the backend's transcript, logs as `<inf> module: message`. */
class TranscriptConsole implements ConsoleSink {
  constructor(private readonly backend: MemoryBackend) {}
  printk(_k: Kernel, text: string): void {
    this.backend.output += text;
  }
  log(_k: Kernel, rec: LogRecord): void {
    this.backend.output += `<${['', 'err', 'wrn', 'inf', 'dbg'][rec.level]}> ${rec.module}: ${rec.message}\n`;
  }
}

export interface ShellBoardOptions {
  config?: KConfig;
  /** Input chunks delivered before the run starts; the input then ends unless `keepOpen`. */
  input?: string[];
  keepOpen?: boolean;
  interactive?: boolean;
  colors?: boolean;
  columns?: number;
  realtime?: boolean;
  timeLimitMs?: number;
  /** Evaluated as the app's module (register commands here). */
  module?: () => void;
  main?: () => unknown;
  netif?: ShellNetif[];
  /** Runs after the board is created, before it runs. */
  setup?: (k: Kernel, sim: Simulation, backend: MemoryBackend) => void;
}

export interface ShellBoardRun {
  result: RunResult;
  output: string;
  kernel: Kernel;
  shell: Shell;
  backend: MemoryBackend;
  ends: ShellEnd[];
}

/** Runs a board whose shell reads `input` from a memory backend. */
export async function runShellBoard(opts: ShellBoardOptions = {}): Promise<ShellBoardRun> {
  const backend = new MemoryBackend(opts.interactive ?? false, opts.colors ?? false, opts.columns ?? 80);
  const sim = new Simulation({ realtime: opts.realtime, timeLimitNs: opts.timeLimitMs === undefined ? undefined : opts.timeLimitMs * 1e6 });
  const kernel = sim.addBoard(
    { board: 'qemu_x86', config: { ...SHELL_CONFIG, ...opts.config }, console: new TranscriptConsole(backend), seed: 1 },
    {
      instantiate: () => {
        opts.module?.();
        return { main: opts.main ?? (() => 0) };
      },
    },
  );
  const ends: ShellEnd[] = [];
  const shell = new Shell(kernel, {
    backend,
    netif: opts.netif,
    stop: (end, message) => {
      ends.push(end);
      sim.stop(message);
    },
  });
  shell.start();
  for (const c of opts.input ?? []) backend.push(c);
  if (!opts.keepOpen) backend.end();
  opts.setup?.(kernel, sim, backend);
  const result = await sim.run();
  return { result, output: backend.output, kernel, shell, backend, ends };
}
