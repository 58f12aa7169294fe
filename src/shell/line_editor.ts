/**
 * The shell's line editor for VT100 terminals, after Zephyr's `state_collect` (`shell.c`) and
 * `shell_ops.c`: it takes input one character at a time, keeps the command buffer and the cursor,
 * and writes the escape sequences that keep the terminal in step, wrapping over several rows.
 *
 * Keys (Zephyr's, with the meta keys of `CONFIG_SHELL_METAKEYS`): Enter runs the line; Tab
 * completes; Backspace/DEL and Delete; Left/Right, Home/End; Up/Down and Ctrl-P/Ctrl-N browse the
 * history; Insert toggles overwrite; Ctrl-A/E home/end, Ctrl-B/F left/right, Ctrl-C abandons the
 * line, Ctrl-D deletes under the cursor (on an empty line it is end of input, as in a Unix shell),
 * Ctrl-K kills to the end, Ctrl-L clears the screen, Ctrl-U clears the line, Ctrl-W deletes a word,
 * Alt-B/Alt-F move by words. Characters above 127 are dropped, as Zephyr's ASCII filter does.
 *
 * The editor does no I/O itself: it writes through its host, which knows the terminal.
 */
import type { Completion } from './shell_complete.ts';
import { formatCandidates } from './shell_complete.ts';
import { ShellHistory } from './shell_history.ts';

/** What the editor needs from the terminal and the shell. */
export interface LineEditorHost {
  /** Raw terminal output. */
  write(s: string): void;
  /** The prompt as shown (may carry colour sequences) and its width in columns. */
  prompt(): { styled: string; width: number };
  /** The terminal width in columns. */
  columns(): number;
  /** Completion of the text before the cursor. */
  complete(before: string): Completion;
  /** Candidate names as printed (coloured like Zephyr's SHELL_OPTION when colours are on). */
  styleCandidates(text: string): string;
}

/** The result of a key: a line to run, end of input, or nothing for the caller to do. */
export type EditorEvent = { readonly kind: 'line'; readonly line: string } | { readonly kind: 'eof' } | null;

const ESC = '\x1b';

export class LineEditor {
  /** The command buffer. */
  buf = '';
  /** Cursor index in `buf`. */
  cur = 0;
  /** Echo (`shell echo off` turns it off: keys are taken but nothing is drawn). */
  echo = true;
  /** True while the prompt and buffer are on screen. */
  shown = false;
  private overwrite = false;
  private esc: 'none' | 'esc' | 'csi' | 'ss3' = 'none';
  private csi = '';
  private lastNl = '';
  /** The previous key was a Tab that could not complete anything. */
  private stuckTab = false;
  private historyExit = false;
  private backup = '';
  /** Where the terminal cursor is, as an index into prompt + buffer. */
  private termPos = 0;

  constructor(
    private readonly host: LineEditorHost,
    readonly history: ShellHistory = new ShellHistory(),
    /** `CONFIG_SHELL_CMD_BUFF_SIZE`: the buffer holds one character less. */
    private readonly buffSize = 256,
  ) {}

  // ---- drawing ----

  private get width(): number {
    return Math.max(1, this.host.columns());
  }

  private move(from: number, to: number): string {
    const w = this.width;
    let s = '';
    const dr = Math.floor(to / w) - Math.floor(from / w);
    if (dr < 0) s += `${ESC}[${-dr}A`;
    if (dr > 0) s += `${ESC}[${dr}B`;
    const dc = (to % w) - (from % w);
    if (dc > 0) s += `${ESC}[${dc}C`;
    if (dc < 0) s += `${ESC}[${-dc}D`;
    return s;
  }

  /** Prints prompt and buffer from the start of a line and puts the cursor in place. */
  showPrompt(): void {
    const p = this.host.prompt();
    const end = p.width + this.buf.length;
    let s = p.styled + (this.echo ? this.buf : '');
    const drawnEnd = this.echo ? end : p.width;
    // A line that ends exactly at the margin leaves the cursor in the terminal's pending-wrap
    // state; printing a space and returning settles it at the start of the next row.
    if (drawnEnd > 0 && drawnEnd % this.width === 0) s += ' \r';
    s += `${ESC}[J`;
    const target = this.echo ? p.width + this.cur : p.width;
    s += this.move(drawnEnd, target);
    this.host.write(s);
    this.termPos = target;
    this.shown = true;
  }

  /** Removes prompt and buffer from the screen (before other output is printed). */
  erase(): void {
    if (!this.shown) return;
    const rows = Math.floor(this.termPos / this.width);
    this.host.write(`${rows > 0 ? `${ESC}[${rows}A` : ''}\r${ESC}[J`);
    this.shown = false;
    this.termPos = 0;
  }

  /** Redraws the whole line after an edit anywhere in it. */
  private refresh(): void {
    if (!this.echo) return;
    this.erase();
    this.showPrompt();
  }

  /** Moves the terminal cursor to the end of the buffer. */
  private toEnd(): void {
    if (!this.echo) return;
    const end = this.host.prompt().width + this.buf.length;
    this.host.write(this.move(this.termPos, end));
    this.termPos = end;
  }

  /** Moves the cursor within the buffer. */
  private cursorTo(pos: number): void {
    const p = this.host.prompt().width;
    this.cur = Math.max(0, Math.min(this.buf.length, pos));
    if (!this.echo) return;
    this.host.write(this.move(this.termPos, p + this.cur));
    this.termPos = p + this.cur;
  }

  // ---- editing ----

  private insert(text: string): void {
    if (text === '') return;
    if (this.buf.length + text.length >= this.buffSize) return;
    if (this.overwrite && this.cur < this.buf.length) {
      this.buf = this.buf.slice(0, this.cur) + text + this.buf.slice(this.cur + text.length);
    } else {
      this.buf = this.buf.slice(0, this.cur) + text + this.buf.slice(this.cur);
    }
    this.cur += text.length;
    const p = this.host.prompt().width;
    if (this.echo && this.cur === this.buf.length && (p + this.cur) % this.width !== 0 && this.termPos === p + this.cur - text.length) {
      // Typing at the end of the line: echo the characters, as a terminal would.
      this.host.write(text);
      this.termPos = p + this.cur;
      return;
    }
    this.refresh();
  }

  private deleteAt(pos: number, count = 1): void {
    if (pos < 0 || pos >= this.buf.length || count <= 0) return;
    this.buf = this.buf.slice(0, pos) + this.buf.slice(pos + count);
    this.cur = pos;
    this.refresh();
  }

  private setBuffer(text: string): void {
    this.buf = text;
    this.cur = text.length;
    this.refresh();
  }

  /** Ctrl-W: removes the spaces before the cursor, then the word before them. */
  private wordRemove(): void {
    let i = this.cur;
    while (i > 0 && this.buf[i - 1] === ' ') i--;
    while (i > 0 && this.buf[i - 1] !== ' ') i--;
    if (i === this.cur) return;
    this.buf = this.buf.slice(0, i) + this.buf.slice(this.cur);
    this.cur = i;
    this.refresh();
  }

  /** Alt-B/Alt-F: Zephyr's `shift_calc`, words being runs of letters and digits. */
  private wordMove(dir: 1 | -1): void {
    const alnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9]/.test(c);
    let i = this.cur;
    let found = false;
    for (;;) {
      if ((dir < 0 && i === 0) || (dir > 0 && i === this.buf.length)) break;
      const c = dir < 0 ? this.buf[i - 1] : this.buf[i];
      if (alnum(c)) found = true;
      else if (found) break;
      i += dir;
    }
    this.cursorTo(i);
  }

  private historyStep(up: boolean): void {
    if (this.historyExit) {
      this.historyExit = false;
      this.history.exit();
    }
    if (!this.history.active) {
      if (!up) return; // Down outside the history does nothing
      this.backup = this.buf;
    }
    const entry = this.history.get(up);
    this.setBuffer(entry ?? this.backup);
  }

  /** Tab; `again` when the previous key was a Tab that completed nothing. */
  private tab(again: boolean): void {
    const c = this.host.complete(this.buf.slice(0, this.cur));
    if (c.candidates.length === 0) return;
    if (c.unique) {
      this.insert(c.insert);
      // Zephyr adds the separating space, or steps over the one already there.
      if (this.buf[this.cur] === ' ') this.cursorTo(this.cur + 1);
      else this.insert(' ');
      return;
    }
    if (c.insert !== '') {
      this.insert(c.insert);
      return;
    }
    // Nothing more to complete: the second Tab lists the candidates, as readline does.
    this.stuckTab = true;
    if (!again) return;
    this.toEnd();
    this.host.write(this.host.styleCandidates(formatCandidates(c.candidates, this.width)) + '\n');
    this.shown = false;
    this.showPrompt();
  }

  /** Enter: the line is done; the cursor moves below it. */
  private submit(): EditorEvent {
    this.toEnd();
    if (this.echo || this.shown) this.host.write('\n');
    const line = this.buf;
    this.buf = '';
    this.cur = 0;
    this.shown = false;
    this.termPos = 0;
    if (line === '') this.history.exit();
    return { kind: 'line', line };
  }

  /** Ctrl-C: the line is abandoned and a fresh prompt shown. */
  private cancel(): void {
    this.toEnd();
    this.host.write('\n');
    this.buf = '';
    this.cur = 0;
    this.historyExit = true;
    this.shown = false;
    this.showPrompt();
  }

  // ---- input ----

  /** Handles one input character. */
  feed(ch: string): EditorEvent {
    const code = ch.charCodeAt(0);
    if (code > 127) return null;
    const wasStuck = this.stuckTab;
    this.stuckTab = false;
    if (this.esc !== 'none') {
      this.escape(ch);
      return null;
    }
    if (ch === '\r' || ch === '\n') {
      // "\r\n" (or "\n\r") is one Enter; two of the same are two.
      if (this.lastNl === '' || this.lastNl === ch) {
        this.lastNl = ch;
        return this.submit();
      }
      return null;
    }
    this.lastNl = '';
    switch (code) {
      case 0x1b:
        this.esc = 'esc';
        return null;
      case 0x00:
        return null;
      case 0x09:
        if (!this.echo) return null;
        this.historyExit = true;
        this.tab(wasStuck);
        return null;
      case 0x08:
      case 0x7f: // DEL is Backspace (CONFIG_SHELL_BACKSPACE_MODE_DELETE)
        if (!this.echo) return null;
        this.historyExit = true;
        if (this.cur > 0) this.deleteAt(this.cur - 1);
        return null;
    }
    if (code >= 0x20 && code < 0x7f) {
      this.historyExit = true;
      this.insert(ch);
      return null;
    }
    return this.echo ? this.control(code) : null;
  }

  private control(code: number): EditorEvent {
    switch (code) {
      case 0x01: this.cursorTo(0); break; // Ctrl-A
      case 0x02: this.cursorTo(this.cur - 1); break; // Ctrl-B
      case 0x03: this.cancel(); break; // Ctrl-C
      case 0x04: // Ctrl-D
        if (this.buf.length === 0) {
          this.toEnd();
          return { kind: 'eof' };
        }
        this.deleteAt(this.cur);
        break;
      case 0x05: this.cursorTo(this.buf.length); break; // Ctrl-E
      case 0x06: this.cursorTo(this.cur + 1); break; // Ctrl-F
      case 0x0b: // Ctrl-K
        this.buf = this.buf.slice(0, this.cur);
        this.refresh();
        break;
      case 0x0c: // Ctrl-L
        this.host.write(`${ESC}[H${ESC}[2J`);
        this.shown = false;
        this.showPrompt();
        break;
      case 0x0e: this.historyStep(false); break; // Ctrl-N
      case 0x10: this.historyStep(true); break; // Ctrl-P
      case 0x15: // Ctrl-U
        this.historyExit = true;
        this.setBuffer('');
        break;
      case 0x17: // Ctrl-W
        this.historyExit = true;
        this.wordRemove();
        break;
    }
    return null;
  }

  /** Escape sequences: `ESC [ ... final`, `ESC O final`, and Alt-<key> (`ESC key`). */
  private escape(ch: string): void {
    if (this.esc === 'esc') {
      if (ch === '[') {
        this.esc = 'csi';
        this.csi = '';
        return;
      }
      if (ch === 'O') {
        this.esc = 'ss3';
        return;
      }
      this.esc = 'none';
      if (!this.echo) return;
      if (ch === 'b') this.wordMove(-1);
      else if (ch === 'f') this.wordMove(1);
      return;
    }
    if (this.esc === 'csi' && /[0-9;?]/.test(ch)) {
      this.csi += ch;
      return;
    }
    this.esc = 'none';
    if (!this.echo) return;
    const param = this.csi.split(';')[0] ?? '';
    this.csi = '';
    switch (ch) {
      case 'A': this.historyStep(true); break;
      case 'B': this.historyStep(false); break;
      case 'C': this.cursorTo(this.cur + 1); break;
      case 'D': this.cursorTo(this.cur - 1); break;
      case 'H': this.cursorTo(0); break;
      case 'F': this.cursorTo(this.buf.length); break;
      case 'L': this.overwrite = !this.overwrite; break;
      case '~':
        if (param === '1' || param === '7') this.cursorTo(0);
        else if (param === '4' || param === '8') this.cursorTo(this.buf.length);
        else if (param === '2') this.overwrite = !this.overwrite;
        else if (param === '3') {
          this.historyExit = true;
          this.deleteAt(this.cur);
        }
        break;
    }
  }
}
