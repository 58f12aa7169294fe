/**
 * Where a board's output goes. The kernel only produces records; the logging layer and the CLI
 * decide how they look (Zephyr's text format, colour, or one JSON object per line).
 */
import type { Kernel } from './kernel.ts';
import type { k_thread } from './thread.ts';

/** Zephyr log levels: 1 error, 2 warning, 3 info, 4 debug. */
export type LogLevel = 1 | 2 | 3 | 4;

/** One log message, timestamped by the sink with the board's uptime. */
export interface LogRecord {
  level: LogLevel;
  module: string;
  message: string;
  /** Bytes of a LOG_HEXDUMP_*. */
  hexdump?: Uint8Array;
}

/** Receives a board's console output. */
export interface ConsoleSink {
  /** Raw `printk` text, exactly as printed (may hold partial lines). */
  printk(kernel: Kernel, text: string): void;
  /** A log message that passed the level filters. */
  log(kernel: Kernel, rec: LogRecord): void;
}

/** Kernel events for `--trace`. */
export type TraceKind = 'create' | 'start' | 'switch' | 'pend' | 'ready' | 'exit' | 'abort';

export interface Tracer {
  event(kernel: Kernel, kind: TraceKind, thread: k_thread, detail?: string): void;
}

/** A sink that keeps everything in memory; used by tests and by embedders. */
export class MemoryConsole implements ConsoleSink {
  readonly lines: string[] = [];
  private partial = '';
  printk(_k: Kernel, text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!;
    this.lines.push(...parts);
  }
  log(_k: Kernel, rec: LogRecord): void {
    const tag = ['', 'err', 'wrn', 'inf', 'dbg'][rec.level];
    this.lines.push(`<${tag}> ${rec.module}: ${rec.message}`);
  }
  /** Everything printed so far, partial line included. */
  get text(): string {
    return this.lines.join('\n') + (this.lines.length ? '\n' : '') + this.partial;
  }
}
