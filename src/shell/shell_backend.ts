/**
 * Shell backends: where the board's shell reads its input and writes its output (Zephyr's
 * `shell_transport`). Two kinds:
 *
 * - `StdioBackend`: the process's stdin. A terminal (stdin and stdout both TTYs) is put in raw
 *   mode and driven by the line editor, like the UART backend talking to a VT100 terminal;
 *   anything else (a pipe, a file) is read line by line with no escape sequences, which makes
 *   the shell scriptable: `printf 'kernel uptime\n' | zsim run -b qemu_x86 APP --shell`.
 * - `MemoryBackend`: input pushed and output collected by a test or an embedder.
 */

/** Receives what the backend reads. Called from Node callbacks, outside any zsim thread. */
export interface ShellInputSink {
  data(chunk: string): void;
  end(): void;
}

export interface ShellBackend {
  /** A VT100 terminal driven by the line editor (else: one command per input line). */
  readonly interactive: boolean;
  /** Echo each command read in line mode after the prompt, as a UART shell echoes what it gets. */
  readonly echoLines: boolean;
  /** Colour output allowed by the environment (a terminal, no NO_COLOR). */
  readonly colors: boolean;
  /** Terminal width in columns. */
  columns(): number;
  /** Writes output, in order with the board's other console output. */
  write(text: string): void;
  /** Starts delivering input. */
  open(input: ShellInputSink): void;
  /** Stops reading and gives the terminal back as it was. Idempotent. */
  close(): void;
}

/** The subset of `process.stdin` the backend uses (a TTY has `setRawMode`). */
export interface InputStream {
  readonly isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(enc: BufferEncoding): unknown;
  on(ev: 'data', fn: (chunk: string) => void): unknown;
  on(ev: 'end', fn: () => void): unknown;
  removeListener(ev: 'data', fn: (chunk: string) => void): unknown;
  removeListener(ev: 'end', fn: () => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

/** The subset of `process.stdout` the backend looks at. */
export interface OutputInfo {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface StdioBackendOptions {
  stdin: InputStream;
  stdout: OutputInfo;
  /** Writes shell output into the board's console stream (so it stays ordered with printk/logs). */
  write(text: string): void;
  /** Force line mode (e.g. `--json` output, where escape sequences make no sense). */
  lineMode?: boolean;
  /** Colours wanted by the environment (the CLI's NO_COLOR/FORCE_COLOR decision). */
  colors?: boolean;
}

/** Zephyr's `CONFIG_SHELL_DEFAULT_TERMINAL_WIDTH`, for when the terminal does not say. */
export const DEFAULT_TERMINAL_WIDTH = 80;

export class StdioBackend implements ShellBackend {
  readonly interactive: boolean;
  readonly echoLines: boolean;
  readonly colors: boolean;
  private input: ShellInputSink | null = null;
  private raw = false;

  constructor(private readonly opts: StdioBackendOptions) {
    const tty = opts.stdin.isTTY === true && opts.stdout.isTTY === true && typeof opts.stdin.setRawMode === 'function';
    this.interactive = tty && !opts.lineMode;
    // A cooked terminal echoes what is typed itself; a pipe or a file echoes nothing.
    this.echoLines = opts.stdin.isTTY !== true;
    this.colors = this.interactive && opts.colors !== false;
  }

  columns(): number {
    const c = this.opts.stdout.columns;
    return typeof c === 'number' && c > 0 ? c : DEFAULT_TERMINAL_WIDTH;
  }

  write(text: string): void {
    this.opts.write(text);
  }

  private readonly onData = (chunk: string): void => this.input?.data(chunk);
  private readonly onEnd = (): void => this.input?.end();

  open(input: ShellInputSink): void {
    if (this.input) return;
    this.input = input;
    const s = this.opts.stdin;
    s.setEncoding('utf8');
    if (this.interactive) {
      s.setRawMode!(true);
      this.raw = true;
    }
    s.on('data', this.onData);
    s.on('end', this.onEnd);
    s.resume();
  }

  close(): void {
    if (!this.input) return;
    this.input = null;
    const s = this.opts.stdin;
    s.removeListener('data', this.onData);
    s.removeListener('end', this.onEnd);
    if (this.raw) s.setRawMode!(false);
    this.raw = false;
    s.pause();
  }
}

/** A backend for tests and embedders: `push` types, `end` closes the input, `output` collects. */
export class MemoryBackend implements ShellBackend {
  readonly echoLines: boolean;
  output = '';
  private input: ShellInputSink | null = null;
  private readonly early: (string | null)[] = [];
  closed = false;

  constructor(
    readonly interactive = false,
    readonly colors = false,
    private readonly width = DEFAULT_TERMINAL_WIDTH,
  ) {
    this.echoLines = !interactive;
  }

  columns(): number {
    return this.width;
  }

  write(text: string): void {
    this.output += text;
  }

  open(input: ShellInputSink): void {
    this.input = input;
    for (const c of this.early.splice(0)) {
      if (c === null) input.end();
      else input.data(c);
    }
  }

  /** Delivers input now, or once the shell opens the backend. */
  push(chunk: string): void {
    if (this.input) this.input.data(chunk);
    else this.early.push(chunk);
  }

  /** Ends the input (a pipe's EOF). */
  end(): void {
    if (this.input) this.input.end();
    else this.early.push(null);
  }

  close(): void {
    this.closed = true;
    this.input = null;
  }
}
