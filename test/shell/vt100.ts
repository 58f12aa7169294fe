/**
 * A tiny VT100 screen for tests: applies what the line editor writes (printable text, CR, LF as
 * CR+LF like a tty with ONLCR, cursor moves, erase to end of line/screen, colours ignored) with the
 * terminal's pending-wrap rule at the right margin, and shows the resulting screen.
 */
export class Screen {
  private readonly lines: string[][];
  row = 0;
  col = 0;
  private pendingWrap = false;

  constructor(readonly cols: number, readonly rows = 24) {
    this.lines = Array.from({ length: rows }, () => []);
  }

  private newline(): void {
    this.row++;
    if (this.row >= this.rows) {
      this.lines.shift();
      this.lines.push([]);
      this.row = this.rows - 1;
    }
  }

  write(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      if (ch === '\x1b') {
        const m = /^\x1b\[([0-9;?]*)([A-Za-z])/.exec(s.slice(i));
        if (!m) throw new Error(`unsupported escape at ${JSON.stringify(s.slice(i, i + 8))}`);
        i += m[0].length - 1;
        this.csi(m[1]!, m[2]!);
        continue;
      }
      if (ch === '\r') {
        this.col = 0;
        this.pendingWrap = false;
      } else if (ch === '\n') {
        this.col = 0;
        this.pendingWrap = false;
        this.newline();
      } else if (ch === '\b') {
        this.col = Math.max(0, this.col - 1);
        this.pendingWrap = false;
      } else {
        if (this.pendingWrap) {
          this.pendingWrap = false;
          this.col = 0;
          this.newline();
        }
        this.lines[this.row]![this.col] = ch;
        if (this.col === this.cols - 1) this.pendingWrap = true;
        else this.col++;
      }
    }
  }

  private csi(param: string, f: string): void {
    const n = Math.max(1, Number(param) || 1);
    this.pendingWrap = false;
    switch (f) {
      case 'A': this.row = Math.max(0, this.row - n); break;
      case 'B': this.row = Math.min(this.rows - 1, this.row + n); break;
      case 'C': this.col = Math.min(this.cols - 1, this.col + n); break;
      case 'D': this.col = Math.max(0, this.col - n); break;
      case 'H': this.row = 0; this.col = 0; break;
      case 'K': this.lines[this.row]!.length = Math.min(this.lines[this.row]!.length, this.col); break;
      case 'J':
        if (param === '2') this.lines.forEach((l) => (l.length = 0));
        else {
          this.lines[this.row]!.length = Math.min(this.lines[this.row]!.length, this.col);
          for (let r = this.row + 1; r < this.rows; r++) this.lines[r]!.length = 0;
        }
        break;
      case 'm': break;
      default: throw new Error(`unsupported CSI ${param}${f}`);
    }
  }

  /** The screen's lines with trailing blanks and trailing empty lines removed. */
  text(): string {
    const ls = this.lines.map((l) => Array.from({ length: l.length }, (_, i) => l[i] ?? ' ').join('').replace(/\s+$/, ''));
    while (ls.length && ls[ls.length - 1] === '') ls.pop();
    return ls.join('\n');
  }
}
