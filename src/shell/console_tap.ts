/**
 * The shell's view of the board's console. Zephyr's shell is the console's log backend: a log line
 * printed while the prompt is shown first erases the prompt and the line being typed, then draws
 * them again below the message (`shell_log_backend.c`, `z_shell_cmd_line_erase`). This sink sits
 * between the kernel and the run's console and does the same for printk text and log records; it
 * is also where the shell's runtime log filters apply (`log enable|disable|halt|go`), since that
 * backend is where Zephyr applies them.
 */
import type { ConsoleSink, LogRecord } from '../kernel/console.ts';
import type { Kernel } from '../kernel/kernel.ts';

/** What the shell does around console output. */
export interface ConsoleTapHooks {
  /** About to print: take the prompt off the screen if it is there. */
  beforeOutput(): void;
  /** Printed `text` (a log record counts as a full line). */
  afterOutput(text: string): void;
}

/** Runtime log filtering of the shell's log backend (`log_filter_set` on that backend). */
export class ShellLogControl {
  /** Module -> level set with `log enable`/`log disable` (0 = none). */
  readonly levels = new Map<string, number>();
  /** Modules that have logged on this board, in order of appearance (the shell's source list). */
  readonly seen = new Set<string>();
  /** Level for modules first seen after a `log enable`/`log disable` without module names. */
  defaultLevel: number | undefined = undefined;
  /** `log halt`: the backend is deactivated and drops everything. */
  halted = false;

  /** The filter level of `module` (4, debug, when none was set: everything passes). */
  levelOf(module: string): number {
    return this.levels.get(module) ?? this.defaultLevel ?? 4;
  }

  /** True when the backend lets `rec` through. */
  passes(rec: LogRecord): boolean {
    this.seen.add(rec.module);
    if (this.halted) return false;
    return rec.level <= this.levelOf(rec.module);
  }
}

/** The console sink installed in front of the run's own. */
export class ShellConsoleTap implements ConsoleSink {
  constructor(
    readonly inner: ConsoleSink,
    private readonly hooks: ConsoleTapHooks,
    readonly logControl: ShellLogControl,
  ) {}

  printk(k: Kernel, text: string): void {
    if (text === '') return;
    this.hooks.beforeOutput();
    this.inner.printk(k, text);
    this.hooks.afterOutput(text);
  }

  log(k: Kernel, rec: LogRecord): void {
    if (!this.logControl.passes(rec)) return;
    this.hooks.beforeOutput();
    this.inner.log(k, rec);
    this.hooks.afterOutput('\n');
  }
}

/**
 * Puts `tap` in front of the board's console. `Kernel.console` is fixed at construction, but the
 * shell starts after the board exists (as Zephyr's shell backend attaches to a running logger), so
 * the field is replaced here; the tap forwards everything to the original sink.
 */
export function installConsoleTap(k: Kernel, make: (inner: ConsoleSink) => ShellConsoleTap): ShellConsoleTap {
  const existing = k.console;
  if (existing instanceof ShellConsoleTap) return existing;
  const tap = make(existing);
  (k as { console: ConsoleSink }).console = tap;
  return tap;
}
