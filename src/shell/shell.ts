/**
 * `zsim/shell/shell`: Zephyr's shell API (`<zephyr/shell/shell.h>`) for apps, plus RT-Thread's
 * `MSH_CMD_EXPORT` for ported code.
 *
 *     const sub_demo = SHELL_STATIC_SUBCMD_SET_CREATE('sub_demo',
 *       SHELL_CMD('ping', null, 'Ping.', (sh) => { shell_print(sh, 'pong'); return 0; }),
 *       SHELL_CMD_ARG('params', null, 'Print params.', cmd_params, 2, 3),
 *       SHELL_SUBCMD_SET_END,
 *     );
 *     SHELL_CMD_REGISTER('demo', sub_demo, 'Demo commands', null);
 *
 * Commands registered at an app's module level belong to the board evaluating it. Handlers run in
 * the shell thread and may block (`await k_sleep(...)`); they return 0, a negative errno, or
 * `SHELL_CMD_HELP_PRINTED`. Output functions take C printf formats.
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { currentKernel } from '../kernel/sched.ts';
import { EINVAL, ENOEXEC, ENOMEM } from '../libc/errno.ts';
import { cprintf } from '../libc/printf.ts';
import { executeLine } from './shell_core.ts';
import { printCommandHelp } from './shell_help.ts';
import { boardShell, Shell } from './shell_instance.ts';
import { registerRootCommand } from './shell_registry.ts';
import {
  SHELL_ERROR, SHELL_INFO, SHELL_NORMAL, SHELL_WARNING,
  type ShellBypassCb, type ShellCmdHandler, type ShellCmdSet, type ShellColor, type ShellContext, type ShellDynamicGetter, type ShellDynamicSet,
  type ShellStaticEntry, type ShellStaticSet,
} from './shell_types.ts';
import { dummyShell } from './shell_dummy.ts';
import './builtins.ts';

export * from './shell_types.ts';
export { shell_strtol, shell_strtoul, shell_strtobool, type Ref } from './shell_strto.ts';
export { shell_backend_dummy_get_ptr, shell_backend_dummy_get_output, shell_backend_dummy_clear_output } from './shell_dummy.ts';

/** `const struct shell *`. */
export type shell = ShellContext;
/** `struct shell_static_entry`. */
export type shell_static_entry = ShellStaticEntry;
/** `shell_cmd_handler`. */
export type shell_cmd_handler = ShellCmdHandler;

/** Marks the end of a subcommand set (accepted and ignored: TypeScript arrays know their length). */
export const SHELL_SUBCMD_SET_END = null;

/** A Kconfig flag as `SHELL_COND_CMD` takes it: a boolean, or a symbol name read on the board. */
export type ShellCondFlag = boolean | string;

function flagOn(flag: ShellCondFlag): boolean {
  if (typeof flag === 'boolean') return flag;
  const k = cpu.kernel;
  return k !== null && k.enabled(flag.startsWith('CONFIG_') ? flag.slice(7) : flag);
}

/** `SHELL_CMD_ARG(syntax, subcmd, help, handler, mandatory, optional)`. */
export function SHELL_CMD_ARG(
  syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null,
  mandatory: number, optional: number,
): ShellStaticEntry {
  return { syntax, subcmd, help, handler, args: { mandatory, optional } };
}

/** `SHELL_CMD(syntax, subcmd, help, handler)`: no argument-count check. */
export function SHELL_CMD(syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null): ShellStaticEntry {
  return SHELL_CMD_ARG(syntax, subcmd, help, handler, 0, 0);
}

/** `SHELL_COND_CMD_ARG(flag, ...)`: the entry when `flag` is on, else nothing (null). */
export function SHELL_COND_CMD_ARG(
  flag: ShellCondFlag, syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null,
  mandatory: number, optional: number,
): ShellStaticEntry | null {
  return flagOn(flag) ? SHELL_CMD_ARG(syntax, subcmd, help, handler, mandatory, optional) : null;
}

/** `SHELL_COND_CMD(flag, syntax, subcmd, help, handler)`. */
export function SHELL_COND_CMD(
  flag: ShellCondFlag, syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null,
): ShellStaticEntry | null {
  return SHELL_COND_CMD_ARG(flag, syntax, subcmd, help, handler, 0, 0);
}

/** `SHELL_STATIC_SUBCMD_SET_CREATE(name, ...)`: entries in declaration order; nulls are skipped. */
export function SHELL_STATIC_SUBCMD_SET_CREATE(name: string, ...entries: (ShellStaticEntry | null)[]): ShellStaticSet {
  return { kind: 'static', name, entries: entries.filter((e): e is ShellStaticEntry => e !== null) };
}

/** `SHELL_DYNAMIC_CMD_CREATE(name, get)`: `get(idx, entry)` fills entry, leaving syntax null past the end. */
export function SHELL_DYNAMIC_CMD_CREATE(name: string, get: ShellDynamicGetter): ShellDynamicSet {
  return { kind: 'dynamic', name, get };
}

/** `SHELL_CMD_ARG_REGISTER(syntax, subcmd, help, handler, mandatory, optional)`: a root command. */
export function SHELL_CMD_ARG_REGISTER(
  syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null,
  mandatory: number, optional: number,
): ShellStaticEntry {
  const e = SHELL_CMD_ARG(syntax, subcmd, help, handler, mandatory, optional);
  registerRootCommand(e);
  return e;
}

/** `SHELL_CMD_REGISTER(syntax, subcmd, help, handler)`: a root command. */
export function SHELL_CMD_REGISTER(syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null): ShellStaticEntry {
  return SHELL_CMD_ARG_REGISTER(syntax, subcmd, help, handler, 0, 0);
}

/** `SHELL_COND_CMD_ARG_REGISTER(flag, ...)`. */
export function SHELL_COND_CMD_ARG_REGISTER(
  flag: ShellCondFlag, syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null,
  mandatory: number, optional: number,
): ShellStaticEntry | null {
  return flagOn(flag) ? SHELL_CMD_ARG_REGISTER(syntax, subcmd, help, handler, mandatory, optional) : null;
}

/** `SHELL_COND_CMD_REGISTER(flag, syntax, subcmd, help, handler)`. */
export function SHELL_COND_CMD_REGISTER(
  flag: ShellCondFlag, syntax: string, subcmd: ShellCmdSet | null, help: string | null, handler: ShellCmdHandler | null,
): ShellStaticEntry | null {
  return SHELL_COND_CMD_ARG_REGISTER(flag, syntax, subcmd, help, handler, 0, 0);
}

// ---- output ----

/** `shell_fprintf(sh, color, fmt, ...)`. */
export function shell_fprintf(sh: ShellContext, color: ShellColor, fmt: string, ...args: unknown[]): void {
  sh.write(color, cprintf(fmt, args));
}

/** `shell_print(sh, fmt, ...)`: a line of normal text. */
export function shell_print(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  sh.write(SHELL_NORMAL, cprintf(fmt + '\n', args));
}

/** `shell_info(sh, fmt, ...)`: a green line. */
export function shell_info(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  sh.write(SHELL_INFO, cprintf(fmt + '\n', args));
}

/** `shell_warn(sh, fmt, ...)`: a yellow line. */
export function shell_warn(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  sh.write(SHELL_WARNING, cprintf(fmt + '\n', args));
}

/** `shell_error(sh, fmt, ...)`: a red line. */
export function shell_error(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  sh.write(SHELL_ERROR, cprintf(fmt + '\n', args));
}

/** `shell_fprintf_normal(sh, fmt, ...)` (no newline added). */
export function shell_fprintf_normal(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  shell_fprintf(sh, SHELL_NORMAL, fmt, ...args);
}
/** `shell_fprintf_info`. */
export function shell_fprintf_info(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  shell_fprintf(sh, SHELL_INFO, fmt, ...args);
}
/** `shell_fprintf_warn`. */
export function shell_fprintf_warn(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  shell_fprintf(sh, SHELL_WARNING, fmt, ...args);
}
/** `shell_fprintf_error`. */
export function shell_fprintf_error(sh: ShellContext, fmt: string, ...args: unknown[]): void {
  shell_fprintf(sh, SHELL_ERROR, fmt, ...args);
}

/** `SHELL_HEXDUMP_BYTES_IN_LINE`. */
export const SHELL_HEXDUMP_BYTES_IN_LINE = 16;

/** `shell_hexdump_line(sh, offset, data, len)`: `00000000: 01 02 ... |..|`. */
export function shell_hexdump_line(sh: ShellContext, offset: number, data: Uint8Array, len: number): void {
  let s = cprintf('%08X: ', [offset]);
  for (let i = 0; i < SHELL_HEXDUMP_BYTES_IN_LINE; i++) {
    if (i > 0 && i % 8 === 0) s += ' ';
    s += i < len ? cprintf('%02x ', [data[i]!]) : '   ';
  }
  s += '|';
  for (let i = 0; i < SHELL_HEXDUMP_BYTES_IN_LINE; i++) {
    if (i > 0 && i % 8 === 0) s += ' ';
    const c = data[i]!;
    s += i < len ? (c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.') : ' ';
  }
  sh.write(SHELL_NORMAL, s + '|\n');
}

/** `shell_hexdump(sh, data, len)`. */
export function shell_hexdump(sh: ShellContext, data: Uint8Array, len = data.length): void {
  for (let off = 0; off < len; off += SHELL_HEXDUMP_BYTES_IN_LINE) {
    const n = Math.min(SHELL_HEXDUMP_BYTES_IN_LINE, len - off);
    shell_hexdump_line(sh, off, data.subarray(off, off + n), n);
  }
}

/** `shell_help(sh)`: the help of the command being executed. */
export function shell_help(sh: ShellContext): void {
  if (sh.activeCmd) printCommandHelp(sh, sh.activeCmd);
}

/** `shell_prompt_change(sh, prompt)`: 0, or -EINVAL for a null prompt. */
export function shell_prompt_change(sh: ShellContext, prompt: string | null): number {
  if (prompt === null) return -EINVAL;
  sh.prompt = prompt;
  return 0;
}

/** `shell_set_bypass(sh, bypass)`: raw input goes to `bypass` until it is set back to null. */
export function shell_set_bypass(sh: ShellContext, bypass: ShellBypassCb | null): void {
  if (sh instanceof Shell) sh.setBypass(bypass);
}

/** `shell_get_return_value(sh)`: what the last command returned. */
export function shell_get_return_value(sh: ShellContext): number {
  return sh.retval;
}

function runningKernel(): Kernel {
  return currentKernel('shell');
}

/** `shell_backend_uart_get_ptr()`: the board's UART shell, or null when it was not started. */
export function shell_backend_uart_get_ptr(): ShellContext | null {
  return boardShell(runningKernel());
}

/**
 * `shell_execute_cmd(sh, cmd)`: runs `cmd` in the calling thread, as if typed on `sh` (null: the
 * dummy backend, when `CONFIG_SHELL_BACKEND_DUMMY=y`). -ENOMEM when longer than
 * `CONFIG_SHELL_CMD_BUFF_SIZE - 1`, -EINVAL without a shell, else the command's return value.
 */
export async function shell_execute_cmd(sh: ShellContext | null, cmd: string | null): Promise<number> {
  if (cmd === null) return -ENOEXEC;
  const k = sh?.kernel ?? runningKernel();
  if (cmd.length > (k.cfgInt('SHELL_CMD_BUFF_SIZE') || 256) - 1) return -ENOMEM;
  const target = sh ?? (k.enabled('SHELL_BACKEND_DUMMY') ? dummyShell(k) : null);
  if (!target) return -EINVAL;
  return executeLine(target, cmd.trim());
}

// ---- RT-Thread msh ----

/** An RT-Thread msh command: `int cmd(int argc, char **argv)` (void allowed). */
export type MshCommand = (argc: number, argv: string[]) => number | void | Promise<number | void>;

/** `MSH_CMD_EXPORT_ALIAS(fn, alias, desc)`: `fn` as root command `alias`. */
export function MSH_CMD_EXPORT_ALIAS(fn: MshCommand, alias: string, desc: string): ShellStaticEntry {
  const handler: ShellCmdHandler = async (_sh, argc, argv) => {
    const r = await fn(argc, argv);
    return typeof r === 'number' ? r : 0;
  };
  return SHELL_CMD_REGISTER(alias, null, desc, handler);
}

/** `MSH_CMD_EXPORT(fn, desc)`: `fn` as a root command named after the function. */
export function MSH_CMD_EXPORT(fn: MshCommand, desc: string): ShellStaticEntry {
  if (!fn.name) throw new Error('MSH_CMD_EXPORT needs a named function (use MSH_CMD_EXPORT_ALIAS for an anonymous one)');
  return MSH_CMD_EXPORT_ALIAS(fn, fn.name, desc);
}
