/**
 * A board's shell instance (Zephyr's `SHELL_DEFINE(shell_uart, ...)` plus `shell_thread`): a
 * thread named `shell_uart` at `K_LOWEST_APPLICATION_THREAD_PRIO` (or `CONFIG_SHELL_THREAD_PRIORITY`)
 * that waits for input from its backend, edits lines (on a terminal) or reads them (from a pipe),
 * and runs commands. Handlers run in this thread and may block.
 *
 * Time. Input comes from the host, outside virtual time. While the shell waits for input it holds
 * a host-I/O token of the simulation, so the run neither ends nor jumps ahead while a person (or a
 * script) is about to type: in virtual time the board waits at the instant the prompt appeared,
 * which makes piped sessions reproducible. While a command runs the token is given back, so a
 * command that sleeps lets time pass. A run with a terminal follows the wall clock (see
 * `shellWantsRealtime`), so the app keeps running, and logging, under the prompt.
 */
import { kick } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { K_SEM_MAX_LIMIT, k_sem, k_sem_give, k_sem_init, k_sem_take } from '../kernel/sem.ts';
import { k_thread } from '../kernel/thread.ts';
import { k_thread_create } from '../kernel/thread_api.ts';
import { K_FOREVER, K_NO_WAIT } from '../kernel/timeout.ts';
import { installConsoleTap, ShellConsoleTap, ShellLogControl } from './console_tap.ts';
import { LineEditor } from './line_editor.ts';
import type { ShellBackend } from './shell_backend.ts';
import { complete } from './shell_complete.ts';
import { executeLine } from './shell_core.ts';
import { ShellHistory } from './shell_history.ts';
import { LineSplitter } from './shell_lines.ts';
import { SHELL_INFO, SHELL_NORMAL, SHELL_OPTION, type ShellBypassCb, type ShellColor, type ShellContext, type ShellStaticEntry } from './shell_types.ts';

/** How a shell session ended the run. */
export type ShellEnd = 'eof' | 'ctrl-d' | 'interrupt' | 'reboot';

/** A network interface of the board, from its board file (`zsim.netif`). */
export interface ShellNetif {
  readonly type: 'ethernet' | 'wifi';
  readonly mac: string;
}

export interface ShellOptions {
  backend: ShellBackend;
  /** Ends the run (end of input, Ctrl-D, Ctrl-C during a command, `kernel reboot`). */
  stop(end: ShellEnd, message: string): void;
  /** Pushes buffered console output out (the CLI buffers its stdout). */
  flush?: () => void;
  /** The board's network interfaces, for `net iface`. */
  netif?: readonly ShellNetif[];
}

const SUBSYS_KEY = 'shell.instance';
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** The shell started on board `k`, or null. */
export function boardShell(k: Kernel): Shell | null {
  return (k.subsys.get(SUBSYS_KEY) as Shell | undefined) ?? null;
}

export class Shell implements ShellContext {
  readonly name = 'shell_uart';
  readonly defaultPrompt: string;
  prompt: string;
  activeCmd: ShellStaticEntry | null = null;
  retval = 0;
  readonly helpWidth = 80;
  readonly history: ShellHistory;
  readonly editor: LineEditor | null;
  readonly logControl = new ShellLogControl();
  readonly thread = new k_thread();
  /** `shell colors on|off`. */
  useColors: boolean;
  /** `shell vt100 on|off`: cursor and screen sequences (`clear`). */
  useVt100: boolean;
  private readonly backend: ShellBackend;
  private readonly queue: string[] = [];
  private readonly sem = new k_sem();
  private readonly lines = new LineSplitter();
  private inputEnded = false;
  private executing = false;
  private started = false;
  private ended = false;
  private atLineStart = true;
  private token: (() => void) | null = null;
  private flushPending = false;
  private bypass: ShellBypassCb | null = null;

  constructor(readonly kernel: Kernel, private readonly opts: ShellOptions) {
    this.backend = opts.backend;
    const p = kernel.config.SHELL_PROMPT_UART;
    this.defaultPrompt = typeof p === 'string' ? p : 'uart:~$ ';
    this.prompt = this.defaultPrompt;
    const hist = kernel.cfgInt('SHELL_HISTORY_BUFFER') || 512;
    this.history = new ShellHistory(kernel.config.SHELL_HISTORY === false ? 0 : hist);
    this.useColors = this.backend.colors && kernel.config.SHELL_VT100_COLORS !== false;
    this.useVt100 = this.backend.interactive && kernel.config.SHELL_VT100_COMMANDS !== false;
    this.editor = this.backend.interactive
      ? new LineEditor(
          {
            write: (s) => this.emit(s),
            prompt: () => ({ styled: this.colorize(SHELL_INFO, this.prompt), width: this.prompt.length }),
            columns: () => this.backend.columns(),
            complete: (before) => complete(this.kernel, before),
            styleCandidates: (text) => this.colorize(SHELL_OPTION, text),
          },
          this.history,
          kernel.cfgInt('SHELL_CMD_BUFF_SIZE') || 256,
        )
      : null;
  }

  /** The board's network interfaces as the board file describes them. */
  get netif(): readonly ShellNetif[] {
    return this.opts.netif ?? [];
  }

  /** Starts the shell thread and the backend (call once, before or while the board runs). */
  start(): void {
    const k = this.kernel;
    k.subsys.set(SUBSYS_KEY, this);
    installConsoleTap(k, (inner) => new ShellConsoleTap(inner, {
      beforeOutput: () => this.beforeOutput(),
      afterOutput: (text) => this.afterOutput(text),
    }, this.logControl));
    k_sem_init(this.sem, 0, K_SEM_MAX_LIMIT);
    const t = this.thread;
    if (k.enabled('THREAD_NAME')) t.name = this.name;
    t.dbgName = this.name;
    const prio = shellThreadPriority(k);
    k.isr(() => k_thread_create(t, null, k.cfgInt('SHELL_STACK_SIZE') || 2048, () => this.main(), null, null, null, prio, 0, K_NO_WAIT));
    k.shutdownHooks.push(() => this.close());
    this.backend.open({ data: (c) => this.deliver(c), end: () => this.endInput() });
  }

  // ---- output ----

  /** `ESC[1;3<n>m` ... `ESC[0m` around `text` when colours are on. */
  colorize(color: ShellColor, text: string): string {
    if (!this.useColors || color === SHELL_NORMAL || text === '') return text;
    return `\x1b[1;3${color}m${text}\x1b[0m`;
  }

  /** Raw terminal output; keeps track of whether the cursor is at the start of a line. */
  private emit(s: string): void {
    if (s === '') return;
    this.backend.write(s);
    const plain = s.replace(ANSI, '');
    if (plain !== '') this.atLineStart = plain.endsWith('\n') || plain.endsWith('\r');
    this.flushSoon();
  }

  private flushSoon(): void {
    if (this.flushPending || !this.opts.flush) return;
    this.flushPending = true;
    setImmediate(() => {
      this.flushPending = false;
      this.opts.flush?.();
    });
  }

  /** `shell_fprintf`: in a command, straight out; otherwise around the prompt, as Zephyr does. */
  write(color: ShellColor, text: string): void {
    const around = !this.executing && this.editor?.shown === true;
    if (around) this.editor!.erase();
    this.emit(this.colorize(color, text));
    if (around && this.atLineStart) this.editor!.showPrompt();
  }

  /** Writes VT100 control sequences only when VT100 commands are on (`Z_SHELL_VT100_CMD`). */
  vt100(seq: string): void {
    if (this.useVt100) this.emit(seq);
  }

  private beforeOutput(): void {
    if (!this.executing && this.editor?.shown) this.editor.erase();
  }

  private afterOutput(text: string): void {
    this.atLineStart = text.endsWith('\n');
    this.flushSoon();
    if (this.editor && this.started && !this.executing && !this.ended && !this.bypass && this.atLineStart && !this.editor.shown) {
      this.editor.showPrompt();
    }
  }

  // ---- input ----

  private wake(): void {
    const k = this.kernel;
    if (this.ended || k.halted) return;
    k.isr(() => k_sem_give(this.sem));
    // Before the simulation runs there is nothing to dispatch; a dispatch then would drop the
    // board from the CPU's run list. Its first dispatch picks the thread up.
    if (k.host.active) kick();
  }

  /** Input from the backend (a Node callback, outside any thread). */
  private deliver(chunk: string): void {
    if (this.ended) return;
    if (this.executing && this.editor && chunk.includes('\x03')) {
      // Raw mode turned Ctrl-C into a character: while a command runs it interrupts the run.
      this.finish('interrupt', 'interrupted');
      return;
    }
    this.queue.push(chunk);
    this.wake();
  }

  private endInput(): void {
    this.inputEnded = true;
    this.wake();
  }

  private holdTime(): void {
    if (this.token === null && !this.inputEnded && !this.ended) this.token = this.kernel.host.beginHostIo();
  }

  private releaseTime(): void {
    const t = this.token;
    if (t === null) return;
    this.token = null;
    // Ending host I/O runs the simulation's idle logic at once, which from inside a running thread
    // would move time under it; a later event-loop turn finds the CPU idle.
    setImmediate(t);
  }

  /** The next input chunk, waiting for one; null at the end of input. */
  private async take(): Promise<string | null> {
    while (this.queue.length === 0) {
      if (this.inputEnded) return null;
      this.holdTime();
      await k_sem_take(this.sem, K_FOREVER);
    }
    return this.queue.shift()!;
  }

  // ---- the thread ----

  private async main(): Promise<void> {
    // Zephyr's shell_start: two newlines when there is a prompt, then the prompt.
    if (this.prompt !== '') this.emit('\n\n');
    this.started = true;
    if (this.editor) this.editor.showPrompt();
    else if (!this.backend.echoLines) this.emit(this.prompt);
    for (;;) {
      const chunk = await this.take();
      if (this.ended) return;
      if (chunk === null) return this.endOfInput();
      let rest = chunk;
      while (rest !== '' && !this.ended) {
        if (this.bypass) {
          rest = this.feedBypass(rest);
          continue;
        }
        rest = this.editor ? await this.editChunk(this.editor, rest) : await this.linesChunk(rest);
      }
      if (this.ended) return;
    }
  }

  /** `shell_set_bypass`: raw input goes to `cb` instead of the command line (null: back to normal). */
  setBypass(cb: ShellBypassCb | null): void {
    this.bypass = cb;
  }

  /** Hands input to the bypass callback up to a Ctrl-C; returns what is left once it let go. */
  private feedBypass(chunk: string): string {
    let rest = chunk;
    while (this.bypass && rest !== '') {
      // Cut after each Ctrl-C, where bypass users stop, so what follows it is not swallowed.
      const stop = rest.indexOf('\x03');
      const part = stop < 0 ? rest : rest.slice(0, stop + 1);
      rest = stop < 0 ? '' : rest.slice(stop + 1);
      this.bypass(this, new Uint8Array(Buffer.from(part, 'utf8')));
    }
    if (!this.bypass) {
      // Zephyr's state_set(SHELL_STATE_ACTIVE) after bypass: a fresh prompt.
      if (this.editor && !this.editor.shown) {
        if (!this.atLineStart) this.emit('\n');
        this.editor.showPrompt();
      } else if (!this.editor && !this.backend.echoLines) this.emit(this.prompt);
    }
    return rest;
  }

  /** Feeds typed characters to the editor; returns what is left when a command set bypass mode. */
  private async editChunk(editor: LineEditor, chunk: string): Promise<string> {
    for (let i = 0; i < chunk.length; i++) {
      if (this.ended) return '';
      if (!editor.shown) {
        // Output without a final newline took the prompt away; bring it back on a fresh line.
        if (!this.atLineStart) this.emit('\n');
        editor.showPrompt();
      }
      const ev = editor.feed(chunk[i]!);
      if (ev === null) continue;
      if (ev.kind === 'eof') {
        this.emit('\n');
        this.finish('ctrl-d', 'shell closed (Ctrl-D)');
        return '';
      }
      await this.runLine(ev.line);
      if (this.ended) return '';
      if (!this.atLineStart) this.emit('\n');
      if (this.bypass) return chunk.slice(i + 1);
      editor.showPrompt();
    }
    return '';
  }

  /** Runs the complete lines of line-mode input; returns what is left when bypass mode began. */
  private async linesChunk(chunk: string): Promise<string> {
    this.lines.append(chunk);
    for (let line = this.lines.next(); line !== null; line = this.lines.next()) {
      await this.lineModeCommand(line);
      if (this.ended) return '';
      if (this.bypass) return this.lines.takeRest();
    }
    return '';
  }

  private async lineModeCommand(line: string): Promise<void> {
    if (this.backend.echoLines) this.emit(`${this.prompt}${line}\n`);
    await this.runLine(line);
    if (!this.atLineStart) this.emit('\n');
    if (!this.backend.echoLines && !this.ended && !this.bypass) this.emit(this.prompt);
  }

  private async endOfInput(): Promise<void> {
    const last = this.lines.flush();
    if (last !== null) await this.lineModeCommand(last);
    // Leave the terminal on a fresh line (after a prompt, or output without a final newline).
    if (!this.atLineStart) this.emit('\n');
    this.finish('eof', 'shell input ended');
  }

  /** Runs one command line in this thread (history, then dispatch). */
  async runLine(line: string): Promise<number> {
    const cmd = line.trim();
    this.history.put(cmd);
    if (cmd === '') return 0;
    this.executing = true;
    this.releaseTime();
    try {
      return await executeLine(this, cmd);
    } finally {
      this.executing = false;
      this.activeCmd = null;
    }
  }

  // ---- the end ----

  /**
   * Ends the run for the shell's reason. `stop` must end the simulation: `close` then gives the
   * host-I/O token back at once, which is only safe once the simulation no longer runs.
   */
  finish(end: ShellEnd, message: string): void {
    if (this.ended) return;
    this.ended = true;
    this.opts.stop(end, message);
    this.close();
  }

  /** Stops input and restores the terminal; safe to call more than once. */
  close(): void {
    // A run that ended under the prompt (time limit, fatal error) leaves the terminal on a new line.
    if (!this.ended && this.started && !this.atLineStart) this.emit('\n');
    this.ended = true;
    this.backend.close();
    const t = this.token;
    this.token = null;
    t?.();
    this.opts.flush?.();
  }
}

/** `CONFIG_SHELL_THREAD_PRIORITY` when set, else `K_LOWEST_APPLICATION_THREAD_PRIO` (Zephyr's default). */
export function shellThreadPriority(k: Kernel): number {
  const v = k.config.SHELL_THREAD_PRIORITY;
  const override = k.config.SHELL_THREAD_PRIORITY_OVERRIDE;
  if (typeof v === 'number' && override !== false) return v;
  return k.preemptPrios - 1;
}
