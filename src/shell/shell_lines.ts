/**
 * Line mode's input: what a pipe or a file delivers, cut into command lines.
 */

/**
 * Cuts line-mode input into lines; "\r\n" is one line end, as Zephyr's `process_nl` has it. Lines
 * are taken one at a time, so what follows a command that switched to bypass mode stays raw.
 */
export class LineSplitter {
  private buf = '';
  private partial = '';
  private lastNl = '';
  append(chunk: string): void {
    this.buf += chunk;
  }
  /** The next complete line, or null when the input so far ends inside one. */
  next(): string | null {
    let i = 0;
    try {
      while (i < this.buf.length) {
        const ch = this.buf[i++]!;
        if (ch === '\r' || ch === '\n') {
          if (this.lastNl === '' || this.lastNl === ch) {
            this.lastNl = ch;
            const line = this.partial;
            this.partial = '';
            return line;
          }
          continue;
        }
        this.lastNl = '';
        this.partial += ch;
      }
      return null;
    } finally {
      this.buf = this.buf.slice(i);
    }
  }
  /** Everything not yet returned as a line. */
  takeRest(): string {
    const r = this.partial + this.buf;
    this.partial = '';
    this.buf = '';
    return r;
  }
  /** The unterminated last line, if any (end of input). */
  flush(): string | null {
    const p = this.takeRest();
    return p === '' ? null : p;
  }
}
