/**
 * Console sinks for the CLI: Zephyr's text format (coloured on a terminal only) or one JSON object
 * per line. Output is buffered and written in large chunks; call `flush()` before exiting.
 */
import type { ConsoleSink, LogRecord, TraceKind, Tracer } from '../kernel/console.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { k_thread } from '../kernel/thread.ts';
import { formatHexdump, formatLogLine, formatTimestamp, logLevelTag } from './log_output.ts';

/** Where a sink writes. */
export interface TextOut {
  write(s: string): unknown;
}

/** Collects writes and passes them on in chunks of about 64 KiB. */
export class BufferedOut implements TextOut {
  private buf: string[] = [];
  private size = 0;
  constructor(private readonly out: TextOut, private readonly limit = 65536) {}
  write(s: string): void {
    this.buf.push(s);
    this.size += s.length;
    if (this.size >= this.limit) this.flush();
  }
  flush(): void {
    if (this.size === 0 && this.buf.length === 0) return;
    this.out.write(this.buf.join(''));
    this.buf = [];
    this.size = 0;
  }
}

export interface TextConsoleOptions {
  color: boolean;
  /** Prefix each line with the board (fleets). */
  boardPrefix?: boolean;
}

/** Zephyr's console: printk text as is, log lines as `[00:00:00.000,000] <inf> module: msg`. */
export class TextConsole implements ConsoleSink {
  constructor(private readonly out: TextOut, private readonly opts: TextConsoleOptions) {}

  printk(_k: Kernel, text: string): void {
    this.out.write(text);
  }

  log(k: Kernel, rec: LogRecord): void {
    const o = { uptimeNs: k.uptimeNs(), level: rec.level, module: rec.module, message: rec.message, color: this.opts.color };
    if (rec.hexdump) for (const l of formatHexdump({ ...o, data: rec.hexdump })) this.out.write(l + '\n');
    else this.out.write(formatLogLine(o) + '\n');
  }
}

function hex(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('hex');
}

/** `--json`: one object per console event, with the board, its uptime and the content. */
export class JsonConsole implements ConsoleSink, Tracer {
  constructor(private readonly out: TextOut, private readonly traceOut: TextOut | null = null) {}

  private base(k: Kernel, type: string): Record<string, unknown> {
    const ns = k.uptimeNs();
    return { type, board: k.board, index: k.index, uptime_us: Math.floor(ns / 1000), timestamp: formatTimestamp(ns) };
  }

  printk(k: Kernel, text: string): void {
    this.out.write(JSON.stringify({ ...this.base(k, 'printk'), text }) + '\n');
  }

  log(k: Kernel, rec: LogRecord): void {
    const ev: Record<string, unknown> = { ...this.base(k, 'log'), level: logLevelTag(rec.level), module: rec.module, message: rec.message };
    if (rec.hexdump) ev.data = hex(rec.hexdump);
    this.out.write(JSON.stringify(ev) + '\n');
  }

  event(k: Kernel, kind: TraceKind, thread: k_thread, detail?: string): void {
    const out = this.traceOut ?? this.out;
    const ev: Record<string, unknown> = { ...this.base(k, 'trace'), event: kind, thread: thread.dbgName || k.addrStr(thread), prio: thread.prio };
    if (detail) ev.detail = detail;
    out.write(JSON.stringify(ev) + '\n');
  }
}

/** `--trace FILE` without `--json`: kernel events as JSON lines beside a text console. */
export class JsonTracer implements Tracer {
  private readonly json: JsonConsole;
  constructor(out: TextOut) {
    this.json = new JsonConsole(out, out);
  }
  event(k: Kernel, kind: TraceKind, thread: k_thread, detail?: string): void {
    this.json.event(k, kind, thread, detail);
  }
}
