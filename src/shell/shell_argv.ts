/**
 * Splitting a command line into arguments, as Zephyr's `z_shell_make_argv` (`shell_utils.c`)
 * does: whitespace separates arguments; `"..."` and `'...'` group, and may start or end in the
 * middle of an argument; outside quotes a backslash makes the next character literal; inside
 * quotes `\<quote>` is the quote itself, `\0ooo` an octal byte and `\xhh` a hex byte.
 */

/** The arguments of a line and, when a quote was left open, that quote character. */
export interface ParsedArgv {
  argv: string[];
  /** `"` or `'` when the line ends inside quotes (Zephyr reports "not terminated"). */
  openQuote: string | null;
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/** Reads one argument starting at `i`; returns it, where it ended and the quote left open. */
function readArg(line: string, start: number): { arg: string; end: number; quote: string | null } {
  let out = '';
  let quote: string | null = null;
  let i = start;
  while (i < line.length) {
    const c = line[i]!;
    if (quote === null) {
      if (c === '\\') {
        // Zephyr drops the backslash and keeps the next character, whatever it is.
        if (i + 1 < line.length) out += line[i + 1];
        i += 2;
        continue;
      }
      if (c === '"' || c === "'") {
        quote = c;
        i++;
        continue;
      }
      if (isSpace(c)) break;
      out += c;
      i++;
      continue;
    }
    if (c === quote) {
      quote = null;
      i++;
      continue;
    }
    if (c === '\\') {
      const t = line[i + 1];
      if (t === quote) {
        out += t;
        i += 2;
        continue;
      }
      const esc = escapeAt(line, i);
      if (esc) {
        out += esc.ch;
        i = esc.next;
        continue;
      }
    }
    out += c;
    i++;
  }
  return { arg: out, end: i, quote };
}

/** `\0ooo` (up to three octal digits after the 0) or `\xhh` (up to two hex digits). */
function escapeAt(line: string, i: number): { ch: string; next: number } | null {
  const kind = line[i + 1];
  const [re, max, base] = kind === '0' ? [/[0-7]/, 3, 8] : kind === 'x' ? [/[0-9a-fA-F]/, 2, 16] : [null, 0, 0];
  if (!re) return null;
  let j = i + 2;
  let v = 0;
  while (j < i + 2 + max && j < line.length && re.test(line[j]!)) {
    v = (v * base + parseInt(line[j]!, base)) & 0xff;
    j++;
  }
  if (j === i + 2) return null;
  return { ch: String.fromCharCode(v), next: j };
}

/**
 * Splits `line` into arguments, at most `maxArgc` (Zephyr's `CONFIG_SHELL_ARGC_MAX`; the rest of
 * the line is then left unparsed and reported by `rest`).
 */
export function makeArgv(line: string, maxArgc = Infinity): ParsedArgv & { rest: string } {
  const argv: string[] = [];
  let openQuote: string | null = null;
  let i = 0;
  while (i < line.length) {
    if (isSpace(line[i]!)) {
      i++;
      continue;
    }
    if (argv.length >= maxArgc) return { argv, openQuote, rest: line.slice(i) };
    const r = readArg(line, i);
    argv.push(r.arg);
    openQuote = r.quote;
    i = r.end;
  }
  return { argv, openQuote, rest: '' };
}

/** True for `-h` and `--help` (`z_shell_help_request`). */
export function isHelpRequest(arg: string): boolean {
  return arg === '-h' || arg === '--help';
}
