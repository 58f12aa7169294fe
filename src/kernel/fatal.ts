/**
 * `k_panic`, `k_oops`, `__ASSERT`: the ways an app stops its board on purpose, reported as Zephyr's
 * `z_fatal_error` reports them (reason, current thread, and the call stack as the exception frame).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cpu } from './cpu.ts';
import { K_ERR_KERNEL_OOPS, K_ERR_KERNEL_PANIC, ThreadUnwind } from './kernel.ts';
import { currentKernel } from './sched.ts';

function raise(reason: number, api: string): never {
  const k = currentKernel(api);
  const t = cpu.current;
  const where = new Error();
  where.name = `${api}() called`;
  k.fatal(reason, t, where);
  throw new ThreadUnwind(t, true);
}

/** `k_panic()`: fatal error K_ERR_KERNEL_PANIC; the board halts. Does not return. */
export function k_panic(): never {
  return raise(K_ERR_KERNEL_PANIC, 'k_panic');
}

/** `k_oops()`: fatal error K_ERR_KERNEL_OOPS; the board halts. Does not return. */
export function k_oops(): never {
  return raise(K_ERR_KERNEL_OOPS, 'k_oops');
}

interface CallSite {
  file: string;
  line: number;
  col: number;
}

/** The app's call site of an assertion: the first stack frame outside this file. */
function callSite(): CallSite | null {
  const stack = new Error().stack?.split('\n') ?? [];
  for (const l of stack.slice(1)) {
    if (l.includes('/src/kernel/fatal.ts')) continue;
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(l);
    if (m) {
      const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
      return { file, line: Number(m[2]), col: Number(m[3]) };
    }
  }
  return null;
}

/** The source text of the asserted expression, read back from the file (C's `#cond`). */
function conditionText(site: CallSite): string {
  try {
    const line = readFileSync(site.file, 'utf8').split('\n')[site.line - 1] ?? '';
    const m = /__ASSERT(?:_NO_MSG)?\s*\(\s*(.*?)\s*(?:,\s*['"`].*)?\)\s*;?\s*$/.exec(line.trim());
    return m ? m[1]! : '';
  } catch {
    return '';
  }
}

function shortPath(file: string): string {
  const cwd = process.cwd() + '/';
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}

function assertFailed(message: string | null): never {
  const k = currentKernel('__ASSERT');
  const site = callSite();
  const cond = site ? conditionText(site) : '';
  const at = site ? `${shortPath(site.file)}:${site.line}` : 'unknown';
  k.printk(`ASSERTION FAIL [${cond}] @ ${at}\n`);
  if (message !== null) k.printk(`\t${message}\n`);
  return raise(K_ERR_KERNEL_PANIC, '__ASSERT');
}

/**
 * `__ASSERT(test, fmt, ...)`: with `CONFIG_ASSERT=y`, a false `test` prints
 * `ASSERTION FAIL [test] @ file:line` and the message, then panics. Compiled out otherwise.
 */
export function __ASSERT(test: unknown, message = ''): void {
  if (test) return;
  const k = cpu.kernel;
  if (k && !k.enabled('ASSERT')) return;
  assertFailed(message);
}

/** `__ASSERT_NO_MSG(test)`. */
export function __ASSERT_NO_MSG(test: unknown): void {
  if (test) return;
  const k = cpu.kernel;
  if (k && !k.enabled('ASSERT')) return;
  assertFailed(null);
}
