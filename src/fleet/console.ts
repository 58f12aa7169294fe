/**
 * The console of a fleet. Thousands of boards printing at once are unreadable, so by default a
 * fleet is quiet: board output is counted, not shown, except fatal error reports (the first few
 * boards', on stderr), which must never pass unseen, and likewise the first TLS failure of the first
 * few boards (a wrong CA or an unusable credential: every board would otherwise retry in silence). `--console` shows everything instead, each
 * line prefixed with the board's device id: `[zsim-00042] [00:00:01.000,000] <inf> app: hi`.
 */
import type { ConsoleSink, LogRecord } from '../kernel/console.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { TextOut } from '../logging/console_sink.ts';
import { formatHexdump, formatLogLine } from '../logging/log_output.ts';

export interface FleetConsoleOptions {
  /** Where prefixed board output goes; null for quiet. */
  out: TextOut | null;
  /** Where fatal reports go in quiet mode. */
  err: TextOut;
  color: boolean;
  /** The prefix of a board (its device id). */
  idOf(k: Kernel): string;
  /** Boards whose fatal reports are shown in quiet mode. */
  maxFatalShown?: number;
}

export class FleetConsole implements ConsoleSink {
  /** Log messages per level (index 1 error .. 4 debug), for the report. */
  readonly levels = [0, 0, 0, 0, 0];
  private readonly partial = new Map<Kernel, string>();
  private readonly fatalShown = new Set<Kernel>();
  /** Per board, in quiet mode: its first TLS failure is shown ('more': its second line is still to come). */
  private readonly tlsShown = new Map<Kernel, 'more' | 'done'>();

  constructor(private readonly opts: FleetConsoleOptions) {}

  printk(k: Kernel, text: string): void {
    const out = this.opts.out;
    if (out === null) return;
    const parts = ((this.partial.get(k) ?? '') + text).split('\n');
    const rest = parts.pop()!;
    if (rest === '') this.partial.delete(k);
    else this.partial.set(k, rest);
    const prefix = `[${this.opts.idOf(k)}] `;
    for (const line of parts) out.write(prefix + line + '\n');
  }

  log(k: Kernel, rec: LogRecord): void {
    this.levels[rec.level]!++;
    const out = this.opts.out ?? this.fatalOut(k, rec);
    if (out === null) return;
    const prefix = `[${this.opts.idOf(k)}] `;
    const o = { uptimeNs: k.uptimeNs(), level: rec.level, module: rec.module, message: rec.message, color: this.opts.color };
    if (rec.hexdump) for (const l of formatHexdump({ ...o, data: rec.hexdump })) out.write(prefix + l + '\n');
    else out.write(prefix + formatLogLine(o) + '\n');
  }

  /** Writes what is left of unterminated printk lines. */
  flush(): void {
    const out = this.opts.out;
    if (out === null) return;
    for (const [k, rest] of this.partial) out.write(`[${this.opts.idOf(k)}] ${rest}\n`);
    this.partial.clear();
  }

  /** In quiet mode, the kernel's own error lines (fatal reports, deadlocks) of the first boards. */
  private fatalOut(k: Kernel, rec: LogRecord): TextOut | null {
    if (rec.level === 1 && (rec.module === 'net_sock_tls' || rec.module === 'tls_credentials')) return this.tlsOut(k, rec);
    if (rec.level !== 1 || rec.module !== 'os') return null;
    if (!this.fatalShown.has(k)) {
      if (this.fatalShown.size >= (this.opts.maxFatalShown ?? 3)) return null;
      this.fatalShown.add(k);
    }
    return this.opts.err;
  }

  /**
   * In quiet mode, a board's first TLS failure, for the first boards: a handshake failure is two
   * error lines (the mbedTLS code, then why in words), any other (a credential that cannot be
   * used) one; the same failure at the board's next attempt is not shown again.
   */
  private tlsOut(k: Kernel, rec: LogRecord): TextOut | null {
    const state = this.tlsShown.get(k);
    if (state === 'done') return null;
    if (state === undefined && this.tlsShown.size >= (this.opts.maxFatalShown ?? 3)) return null;
    this.tlsShown.set(k, state === undefined && /^TLS handshake error: /.test(rec.message) ? 'more' : 'done');
    return this.opts.err;
  }
}
