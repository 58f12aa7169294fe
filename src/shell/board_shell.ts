/**
 * What `zsim run --shell` calls: starts the UART shell of a board on the process's stdin/stdout.
 * Shell output goes through the board's console sink, so it stays in order with printk and log
 * output (and becomes `printk` events with `--json`, where the shell reads lines).
 */
import type { Kernel } from '../kernel/kernel.ts';
import type { Simulation } from '../kernel/sim.ts';
import { shouldColor } from '../logging/log_output.ts';
import { StdioBackend, type InputStream, type OutputInfo } from './shell_backend.ts';
import { Shell, type ShellNetif } from './shell_instance.ts';
import './builtins.ts';

export interface BoardShellOptions {
  /** Where the run prints (its TTY-ness and width decide the line editor). */
  stdout: OutputInfo;
  /** Pushes the run's buffered console output to `stdout`. */
  flush(): void;
  /** Input; the process's stdin by default. */
  stdin?: InputStream;
  /** `--json`: read lines, never drive the terminal. */
  json?: boolean;
  /** The board's network interfaces (board file `zsim.netif`), for `net iface`. */
  netif?: readonly ShellNetif[];
}

/**
 * True when a shell run should follow the wall clock: with a person at a terminal, time must pass
 * while the prompt waits, so the app keeps running (and logging) under it. Piped input keeps
 * virtual time, which waits for each command and makes the session reproducible.
 */
export function shellWantsRealtime(stdin: InputStream = process.stdin, stdout: OutputInfo = process.stdout): boolean {
  return stdin.isTTY === true && stdout.isTTY === true;
}

/**
 * Starts the shell thread of `kernel` (a board of `sim` that has not run yet, or is running).
 * The run then lasts until the input ends (EOF, Ctrl-D on an empty line), `kernel reboot`, or the
 * usual ends of a run; the shell never lets it end while it waits for input.
 */
export function startBoardShell(sim: Simulation, kernel: Kernel, opts: BoardShellOptions): Shell {
  const sink = kernel.console;
  const backend = new StdioBackend({
    stdin: opts.stdin ?? process.stdin,
    stdout: opts.stdout,
    write: (text) => sink.printk(kernel, text),
    lineMode: opts.json,
    colors: shouldColor(opts.stdout, process.env),
  });
  const shell = new Shell(kernel, {
    backend,
    flush: opts.flush,
    netif: opts.netif,
    stop: (_end, message) => sim.stop(message),
  });
  shell.start();
  return shell;
}
