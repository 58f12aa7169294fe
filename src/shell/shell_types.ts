/**
 * The data model of Zephyr's shell (`include/zephyr/shell/shell.h`): command entries, static and
 * dynamic subcommand sets, colours and the special return values. Shared by the parser, the
 * dispatcher, completion and the public API; holds no behaviour.
 */
import type { Kernel } from '../kernel/kernel.ts';

/**
 * A command handler: `int handler(const struct shell *sh, size_t argc, char **argv)`. It runs in
 * the shell thread and may block (await kernel calls). `argv[0]` is the command's own name.
 * Return 0 on success, a negative errno on failure, or `SHELL_CMD_HELP_PRINTED`.
 */
export type ShellCmdHandler = (sh: ShellContext, argc: number, argv: string[]) => number | Promise<number>;

/** `struct shell_static_args`: how many arguments a command takes (argv[0] included in mandatory). */
export interface ShellArgs {
  readonly mandatory: number;
  readonly optional: number;
}

/** `struct shell_static_entry`: one command or subcommand. */
export interface ShellStaticEntry {
  readonly syntax: string;
  readonly help: string | null;
  readonly subcmd: ShellCmdSet | null;
  readonly handler: ShellCmdHandler | null;
  readonly args: ShellArgs;
}

/** What a dynamic command's getter fills in, like the `struct shell_static_entry *` Zephyr passes. */
export interface ShellDynamicEntry {
  syntax: string | null;
  help: string | null;
  subcmd: ShellCmdSet | null;
  handler: ShellCmdHandler | null;
  args: ShellArgs;
}

/** `SHELL_DYNAMIC_CMD_CREATE`'s getter: fills `entry` for index `idx`, syntax null past the end. */
export type ShellDynamicGetter = (idx: number, entry: ShellDynamicEntry) => void;

/** A `SHELL_STATIC_SUBCMD_SET_CREATE` set: fixed entries, in declaration order. */
export interface ShellStaticSet {
  readonly kind: 'static';
  readonly name: string;
  readonly entries: readonly ShellStaticEntry[];
}

/** A `SHELL_DYNAMIC_CMD_CREATE` set: entries produced on demand by a getter. */
export interface ShellDynamicSet {
  readonly kind: 'dynamic';
  readonly name: string;
  readonly get: ShellDynamicGetter;
}

/** `union shell_cmd_entry`: what a command's `subcmd` points to. */
export type ShellCmdSet = ShellStaticSet | ShellDynamicSet;

/** `SHELL_CMD_HELP_PRINTED`: a handler printed help instead of doing its job. */
export const SHELL_CMD_HELP_PRINTED = 1;
/** `SHELL_OPT_ARG_RAW`: the rest of the line is one raw argument. */
export const SHELL_OPT_ARG_RAW = 0xfe;
/** `SHELL_OPT_ARG_CHECK_SKIP`: any number of optional arguments. */
export const SHELL_OPT_ARG_CHECK_SKIP = 0xff;
/** `SHELL_OPT_ARG_MAX`. */
export const SHELL_OPT_ARG_MAX = 0xfd;

/** `enum shell_vt100_color`, with Zephyr's values (the digit in `ESC[1;3<n>m`). */
export const SHELL_VT100_COLOR_BLACK = 0;
export const SHELL_VT100_COLOR_RED = 1;
export const SHELL_VT100_COLOR_GREEN = 2;
export const SHELL_VT100_COLOR_YELLOW = 3;
export const SHELL_VT100_COLOR_BLUE = 4;
export const SHELL_VT100_COLOR_MAGENTA = 5;
export const SHELL_VT100_COLOR_CYAN = 6;
export const SHELL_VT100_COLOR_WHITE = 7;
export const SHELL_VT100_COLOR_DEFAULT = 8;
/** Plain text. */
export const SHELL_NORMAL = SHELL_VT100_COLOR_DEFAULT;
/** `shell_info`: green. */
export const SHELL_INFO = SHELL_VT100_COLOR_GREEN;
/** Tab-completion candidates: cyan. */
export const SHELL_OPTION = SHELL_VT100_COLOR_CYAN;
/** `shell_warn`: yellow. */
export const SHELL_WARNING = SHELL_VT100_COLOR_YELLOW;
/** `shell_error`: red. */
export const SHELL_ERROR = SHELL_VT100_COLOR_RED;

/** `shell_bypass_cb_t`: receives raw input while bypass mode is on (`shell_set_bypass`). */
export type ShellBypassCb = (sh: ShellContext, data: Uint8Array) => void;

/** A colour argument of `shell_fprintf`. */
export type ShellColor = number;

/**
 * `const struct shell *`: what handlers get as `sh`. Implemented by the board's shell instance
 * (`shell_instance.ts`) and by test doubles; the public functions (`shell_print`...) use only this.
 */
export interface ShellContext {
  /** Instance name, e.g. `shell_uart`. */
  readonly name: string;
  /** The board this shell belongs to. */
  readonly kernel: Kernel;
  /** The prompt in use (`uart:~$ `); `shell_prompt_change` sets it. */
  prompt: string;
  /** Writes already-formatted text in `color` (colour is dropped when colours are off). */
  write(color: ShellColor, text: string): void;
  /** @internal the command being executed, for `shell_help`. */
  activeCmd: ShellStaticEntry | null;
  /** @internal return value of the last executed command (`retval`). */
  retval: number;
  /** Terminal width used to lay out help text (Zephyr's `CONFIG_SHELL_DEFAULT_TERMINAL_WIDTH`). */
  readonly helpWidth: number;
}
