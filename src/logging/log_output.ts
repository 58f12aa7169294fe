/**
 * Zephyr's log line layout (`subsys/logging/log_output.c`) as pure string functions:
 *
 *     [00:00:01.234,567] <inf> module: message
 *
 * i.e. the output of a backend with LOG_OUTPUT_FLAG_TIMESTAMP | FORMAT_TIMESTAMP | LEVEL (and
 * COLORS when asked), minus the trailing "\r\n" which the writer adds. No I/O happens here.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import { cprintf } from '../libc/printf.ts';

/** Logging disabled for a module (Zephyr `LOG_LEVEL_NONE`). */
export const LOG_LEVEL_NONE = 0;
/** Errors (Zephyr `LOG_LEVEL_ERR`), tagged `<err>`. */
export const LOG_LEVEL_ERR = 1;
/** Warnings (Zephyr `LOG_LEVEL_WRN`), tagged `<wrn>`. */
export const LOG_LEVEL_WRN = 2;
/** Information (Zephyr `LOG_LEVEL_INF`), tagged `<inf>`. */
export const LOG_LEVEL_INF = 3;
/** Debug (Zephyr `LOG_LEVEL_DBG`), tagged `<dbg>`. */
export const LOG_LEVEL_DBG = 4;

/** Severity of an emitted message: ERR=1, WRN=2, INF=3, DBG=4 (NONE is a filter, never a message level). */
export type LogLevel = typeof LOG_LEVEL_ERR | typeof LOG_LEVEL_WRN | typeof LOG_LEVEL_INF | typeof LOG_LEVEL_DBG;

const TAGS = { 1: 'err', 2: 'wrn', 3: 'inf', 4: 'dbg' } as const;

/** The three-letter tag log_output prints inside `<...>` for `level`. */
export function logLevelTag(level: LogLevel): (typeof TAGS)[LogLevel] {
  return TAGS[level];
}

/** Fields of one log message. */
export interface LogLineOptions {
  /** Board uptime when the message was logged, in nanoseconds. */
  readonly uptimeNs: number;
  readonly level: LogLevel;
  /** Source (module) name; an empty name is omitted, as Zephyr does for messages without a source. */
  readonly module: string;
  /** The already-formatted message text (see `cprintf`). */
  readonly message: string;
  /** Emit ANSI colours (LOG_OUTPUT_FLAG_COLORS). */
  readonly color: boolean;
  /**
   * Function name for CONFIG_LOG_FUNC_NAME_PREFIX_*. Zephyr injects it into the message as
   * `"%s: "`, giving `module: func: message`; whether a level gets one is the caller's policy.
   */
  readonly func?: string;
}

/** A LOG_HEXDUMP_* message: the line fields plus the bytes to dump. */
export interface HexdumpOptions extends LogLineOptions {
  readonly data: Uint8Array;
}

/**
 * A fixed level-1 (16-colour) instance: colouring is decided by the `color` argument alone,
 * never by chalk sniffing the environment or the stream.
 */
const chalk = new Chalk({ level: 1 });

/**
 * Zephyr colours from just before `<lvl>` to the end of the message, in bold red for errors and
 * bold yellow for warnings. For info and debug it still emits the reset code (`\x1b[0m`) on both
 * sides, which `chalk.reset` reproduces exactly.
 */
const STYLES: Readonly<Record<LogLevel, ChalkInstance>> = {
  1: chalk.bold.red,
  2: chalk.bold.yellow,
  3: chalk.reset,
  4: chalk.reset,
};

const HEXDUMP_BYTES_IN_LINE = 16;

/**
 * Formats an uptime as log_output's default timestamp, `[hh:mm:ss.mmm,uuu]`.
 *
 * Like Zephyr, hours keep counting past 24 (there is no day field in this format) and widen past
 * 99; sub-microsecond parts are truncated, not rounded. Negative or non-finite input prints as 0.
 */
export function formatTimestamp(uptimeNs: number): string {
  const totalUs = Number.isFinite(uptimeNs) && uptimeNs > 0 ? Math.floor(uptimeNs / 1000) : 0;
  const totalS = Math.floor(totalUs / 1_000_000);
  const hours = Math.floor(totalS / 3600);
  const mins = Math.floor(totalS / 60) % 60;
  const ms = Math.floor(totalUs / 1000) % 1000;
  // Zephyr's own format string, so widths and zero padding come out identical.
  return cprintf('[%02u:%02u:%02u.%03u,%03u]', [hours, mins, totalS % 60, ms, totalUs % 1000]);
}

/** `<lvl> module: `: the part of the prefix after the timestamp (Zephyr's ids_print). */
function idsText(o: LogLineOptions): string {
  return `<${logLevelTag(o.level)}> ` + (o.module ? `${o.module}: ` : '');
}

function style(o: LogLineOptions, text: string): string {
  return o.color ? (STYLES[o.level] ?? chalk.reset)(text) : text;
}

/** Formats one log message as Zephyr prints it, without the line terminator. */
export function formatLogLine(o: LogLineOptions): string {
  const message = o.func ? `${o.func}: ${o.message}` : o.message;
  return `${formatTimestamp(o.uptimeNs)} ${style(o, idsText(o) + message)}`;
}

/**
 * Formats a LOG_HEXDUMP_* message: the message line, then one line per 16 bytes.
 *
 * Each row is indented to the width of the uncoloured prefix (timestamp, level and module; not
 * the function name, which Zephyr counts as message text), then shows 16 hex columns `xx ` with an
 * extra space after the eighth, `|`, and the bytes as printable ASCII (`.` otherwise), again split
 * after eight. Short rows are padded with spaces to full width, as Zephyr does. An empty buffer
 * produces just the message line. With colour, each line is styled on its own so lines can be
 * written independently; Zephyr instead keeps one colour span open across the rows.
 */
export function formatHexdump(o: HexdumpOptions): string[] {
  const lines = [formatLogLine(o)];
  const indent = ' '.repeat(formatTimestamp(o.uptimeNs).length + 1 + idsText(o).length);
  for (let off = 0; off < o.data.length; off += HEXDUMP_BYTES_IN_LINE) {
    const row = o.data.subarray(off, off + HEXDUMP_BYTES_IN_LINE);
    let hex = '';
    let ascii = '';
    for (let i = 0; i < HEXDUMP_BYTES_IN_LINE; i++) {
      const gap = i === 8 ? ' ' : '';
      const b = row[i];
      hex += gap + (b === undefined ? '   ' : b.toString(16).padStart(2, '0') + ' ');
      ascii += gap + (b === undefined ? ' ' : b >= 0x20 && b <= 0x7e ? String.fromCharCode(b) : '.');
    }
    lines.push(style(o, `${indent}${hex}|${ascii}`));
  }
  return lines;
}

/**
 * Whether to colour log output written to `stream`.
 *
 * `FORCE_COLOR` set to anything but `0`/`false` (including empty, as Node and chalk read it)
 * forces colour on; `0`/`false` force it off. Otherwise colour needs a TTY and an unset or empty
 * `NO_COLOR` (https://no-color.org).
 */
export function shouldColor(stream: { readonly isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true;
}
