/**
 * `zsim/logging/log`: Zephyr's logging API (`<zephyr/logging/log.h>`).
 *
 * C declares a module once per file and the `LOG_*` macros pick it up implicitly; in TypeScript
 * `LOG_MODULE_REGISTER` returns the macros bound to the module:
 *
 *     const { LOG_INF, LOG_ERR } = LOG_MODULE_REGISTER('net_mqtt_publisher_sample', LOG_LEVEL_DBG);
 *     LOG_INF('attempting to connect: %d', n);
 *
 * Messages are formatted with C printf semantics and timestamped with the board's uptime. A
 * module's level is its registration level (a number, or the name of a Kconfig symbol holding it,
 * like `'MQTT_LOG_LEVEL'`), else `CONFIG_LOG_DEFAULT_LEVEL`; `CONFIG_LOG=n` removes every message.
 * Logging is immediate (`CONFIG_LOG_MODE_IMMEDIATE`): lines appear in the order they are logged.
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { cprintf } from '../libc/printf.ts';
import type { LogLevel } from './log_output.ts';

export { LOG_LEVEL_NONE, LOG_LEVEL_ERR, LOG_LEVEL_WRN, LOG_LEVEL_INF, LOG_LEVEL_DBG } from './log_output.ts';
export type { LogLevel } from './log_output.ts';

/** The `LOG_*` macros of one module. */
export interface LogModule {
  readonly name: string;
  LOG_ERR(fmt: string, ...args: unknown[]): void;
  LOG_WRN(fmt: string, ...args: unknown[]): void;
  LOG_INF(fmt: string, ...args: unknown[]): void;
  LOG_DBG(fmt: string, ...args: unknown[]): void;
  /** `LOG_HEXDUMP_ERR(data, length, str)`. */
  LOG_HEXDUMP_ERR(data: Uint8Array, length: number, str: string): void;
  LOG_HEXDUMP_WRN(data: Uint8Array, length: number, str: string): void;
  LOG_HEXDUMP_INF(data: Uint8Array, length: number, str: string): void;
  LOG_HEXDUMP_DBG(data: Uint8Array, length: number, str: string): void;
  /** `LOG_PRINTK(fmt, ...)`: printk through the logger. */
  LOG_PRINTK(fmt: string, ...args: unknown[]): void;
  /** The level in force for this module on the running board. */
  level(): number;
}

function moduleLevel(k: Kernel, level: number | string | undefined): number {
  const dflt = k.cfgInt('LOG_DEFAULT_LEVEL');
  let lvl: number;
  if (level === undefined) lvl = dflt;
  else if (typeof level === 'number') lvl = level;
  else {
    const v = k.config[level.startsWith('CONFIG_') ? level.slice(7) : level];
    lvl = typeof v === 'number' ? v : dflt;
  }
  const max = k.config.LOG_MAX_LEVEL;
  return typeof max === 'number' ? Math.min(lvl, max) : lvl;
}

/**
 * `LOG_MODULE_REGISTER(name, level)`: declares a log module. `level` is a `LOG_LEVEL_*`, or the
 * name of an int Kconfig symbol (read on each board), or omitted for `CONFIG_LOG_DEFAULT_LEVEL`.
 * Safe to call at module level of an app (per board) or of a shared library (resolved per call).
 */
export function LOG_MODULE_REGISTER(name: string, level?: number | string): LogModule {
  // One object per (name, level): the functions keep no per-board state (they read the running
  // board at each call), and an app registering at module level on each of a fleet's thousands of
  // boards would otherwise make a dozen closures per board.
  const key = `${name}\u0000${typeof level}\u0000${String(level)}`;
  let mod = registered.get(key);
  if (mod === undefined) registered.set(key, (mod = makeLogModule(name, level)));
  return mod;
}

const registered = new Map<string, LogModule>();

function makeLogModule(name: string, level?: number | string): LogModule {
  const emit = (lvl: LogLevel, fmt: string, args: unknown[], hexdump?: Uint8Array): void => {
    const k = cpu.kernel;
    if (k === null || !k.enabled('LOG') || lvl > moduleLevel(k, level)) return;
    const message = args.length === 0 && !fmt.includes('%') ? fmt : cprintf(fmt, args);
    k.console.log(k, hexdump ? { level: lvl, module: name, message, hexdump } : { level: lvl, module: name, message });
  };
  const hex = (lvl: LogLevel) => (data: Uint8Array, length: number, str: string): void =>
    emit(lvl, str, [], data.subarray(0, Math.max(0, length)));
  return {
    name,
    LOG_ERR: (fmt, ...args) => emit(1, fmt, args),
    LOG_WRN: (fmt, ...args) => emit(2, fmt, args),
    LOG_INF: (fmt, ...args) => emit(3, fmt, args),
    LOG_DBG: (fmt, ...args) => emit(4, fmt, args),
    LOG_HEXDUMP_ERR: hex(1),
    LOG_HEXDUMP_WRN: hex(2),
    LOG_HEXDUMP_INF: hex(3),
    LOG_HEXDUMP_DBG: hex(4),
    LOG_PRINTK: (fmt, ...args) => {
      const k = cpu.kernel;
      if (k) k.printk(cprintf(fmt, args));
    },
    level: () => (cpu.kernel ? moduleLevel(cpu.kernel, level) : 0),
  };
}

/** `LOG_MODULE_DECLARE(name, level)`: the same module used from another file. */
export const LOG_MODULE_DECLARE = LOG_MODULE_REGISTER;

/** `LOG_PANIC()`: flushes pending messages. Logging is immediate in zsim, so nothing is pending. */
export function LOG_PANIC(): void {}

/** `log_strdup` is gone from Zephyr; strings are copied at the call anyway. Kept as identity. */
export function log_strdup(s: string): string {
  return s;
}
