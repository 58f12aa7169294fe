/**
 * The dummy backend (`CONFIG_SHELL_BACKEND_DUMMY`, `shell_dummy.c`): a shell with no transport,
 * for running commands from code with `shell_execute_cmd(NULL, ...)` and reading what they
 * printed, as Zephyr's shell tests do. One per board, created on first use.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { currentKernel } from '../kernel/sched.ts';
import type { ShellColor, ShellContext, ShellStaticEntry } from './shell_types.ts';

/** A shell that collects its output in memory. */
export class DummyShell implements ShellContext {
  readonly name = 'shell_dummy';
  prompt: string;
  activeCmd: ShellStaticEntry | null = null;
  retval = 0;
  readonly helpWidth = 80;
  /** What commands printed since the last `shell_backend_dummy_get_output`. */
  output = '';

  constructor(readonly kernel: Kernel) {
    const p = kernel.config.SHELL_PROMPT_DUMMY;
    this.prompt = typeof p === 'string' ? p : '~$ ';
  }

  write(_color: ShellColor, text: string): void {
    this.output += text;
  }
}

const SUBSYS_KEY = 'shell.dummy';

/** Board `k`'s dummy shell. */
export function dummyShell(k: Kernel): DummyShell {
  let d = k.subsys.get(SUBSYS_KEY) as DummyShell | undefined;
  if (!d) {
    d = new DummyShell(k);
    k.subsys.set(SUBSYS_KEY, d);
  }
  return d;
}

/** `shell_backend_dummy_get_ptr()`: the running board's dummy shell (needs CONFIG_SHELL_BACKEND_DUMMY=y). */
export function shell_backend_dummy_get_ptr(): ShellContext {
  const k = currentKernel('shell_backend_dummy_get_ptr');
  if (!k.enabled('SHELL_BACKEND_DUMMY')) throw new Error('shell_backend_dummy_get_ptr() needs CONFIG_SHELL_BACKEND_DUMMY=y');
  return dummyShell(k);
}

/** `shell_backend_dummy_get_output(sh)`: the output collected so far, which is then cleared. */
export function shell_backend_dummy_get_output(sh: ShellContext): string {
  if (!(sh instanceof DummyShell)) return '';
  const out = sh.output;
  sh.output = '';
  return out;
}

/** `shell_backend_dummy_clear_output(sh)`. */
export function shell_backend_dummy_clear_output(sh: ShellContext): void {
  if (sh instanceof DummyShell) sh.output = '';
}
