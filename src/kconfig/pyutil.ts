/**
 * Small re-implementations of the Python string/number/path primitives that
 * Kconfiglib's observable behaviour depends on (int() parsing, str.strip(),
 * expandtabs(), os.path.join(), ...). Output must match Kconfiglib byte for
 * byte, so JS built-ins with subtly different rules are not used directly.
 */

// Python's str.isspace() set; JS \s differs (it has \uFEFF, lacks \x1c-\x1f).
const PY_SPACE = new Set(
  ' \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000',
);

/** Python `c.isspace()` for a single character. */
export function isPySpaceChar(c: string): boolean {
  return PY_SPACE.has(c);
}

/** Python `s.isspace()`: non-empty and all whitespace. */
export function pyIsSpace(s: string): boolean {
  if (s.length === 0) return false;
  for (const c of s) if (!PY_SPACE.has(c)) return false;
  return true;
}

/** Python `s.lstrip()`. */
export function pyLstrip(s: string): string {
  let i = 0;
  while (i < s.length && PY_SPACE.has(s[i]!)) i++;
  return s.slice(i);
}

/** Python `s.rstrip()`. */
export function pyRstrip(s: string): string {
  let j = s.length;
  while (j > 0 && PY_SPACE.has(s[j - 1]!)) j--;
  return s.slice(0, j);
}

/** Python `s.strip()`. */
export function pyStrip(s: string): string {
  return pyLstrip(pyRstrip(s));
}

/** Python `s.expandtabs()` (tab size 8, columns reset at \n and \r). */
export function expandTabs(s: string): string {
  let out = '';
  let col = 0;
  for (const c of s) {
    if (c === '\t') {
      const n = 8 - (col % 8);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += c;
      col = c === '\n' || c === '\r' ? 0 : col + 1;
    }
  }
  return out;
}

/** Python `s.isupper()`, close enough for the Unicode categories Kconfig names use. */
export function pyIsUpper(s: string): boolean {
  return /\p{Lu}/u.test(s) && !/[\p{Ll}\p{Lt}]/u.test(s);
}

/** strcmp()-alike over code points, like comparing Python str objects. Returns -1, 0 or 1. */
export function pyStrcmp(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done) return y.done ? 0 : -1;
    if (y.done) return 1;
    const cx = x.value.codePointAt(0)!;
    const cy = y.value.codePointAt(0)!;
    if (cx !== cy) return cx < cy ? -1 : 1;
  }
}

const DIGITS: Record<number, RegExp> = {
  2: /^[01]+(_[01]+)*$/,
  8: /^[0-7]+(_[0-7]+)*$/,
  10: /^[0-9]+(_[0-9]+)*$/,
  16: /^[0-9a-fA-F]+(_[0-9a-fA-F]+)*$/,
};

/**
 * Python `int(s, base)` for base 0, 10 or 16, returning null where Python
 * raises ValueError. Accepts surrounding whitespace, a sign, a 0x prefix
 * (base 16/0), 0o/0b prefixes (base 0) and single underscores between digits.
 */
export function parsePyInt(s: string, base: 0 | 10 | 16): bigint | null {
  let t = pyStrip(s);
  let neg = false;
  if (t.startsWith('+') || t.startsWith('-')) {
    neg = t.startsWith('-');
    t = t.slice(1);
  }
  let b: number = base;
  let prefixed = false;
  const p = t.slice(0, 2).toLowerCase();
  if ((base === 16 || base === 0) && p === '0x') {
    b = 16;
    prefixed = true;
  } else if (base === 0 && p === '0o') {
    b = 8;
    prefixed = true;
  } else if (base === 0 && p === '0b') {
    b = 2;
    prefixed = true;
  }
  if (prefixed) {
    t = t.slice(2);
    if (t.startsWith('_')) t = t.slice(1);
  } else if (b === 0) {
    b = 10;
    // Base-0 decimals may not have leading zeros, except for zero itself.
    if (t.startsWith('0') && !/^0+(_0+)*$/.test(t)) return null;
  }
  if (!DIGITS[b]!.test(t)) return null;
  const digits = t.replace(/_/g, '');
  const prefix = b === 16 ? '0x' : b === 8 ? '0o' : b === 2 ? '0b' : '';
  const v = BigInt(prefix + digits);
  return neg ? -v : v;
}

/** Python `_is_base_n(s, n)` from Kconfiglib. */
export function isBaseN(s: string, base: 0 | 10 | 16): boolean {
  return parsePyInt(s, base) !== null;
}

/** Python `hex(n)`. */
export function pyHex(n: bigint): string {
  return n < 0n ? '-0x' + (-n).toString(16) : '0x' + n.toString(16);
}

/** Python `os.path.join(a, b)` for POSIX paths. */
export function pyJoin(...parts: string[]): string {
  let out = parts[0] ?? '';
  for (const p of parts.slice(1)) {
    if (p.startsWith('/')) out = p;
    else if (out === '' || out.endsWith('/')) out += p;
    else out += '/' + p;
  }
  return out;
}

/** Python `os.path.split(p)` for POSIX paths. */
export function pySplit(p: string): [string, string] {
  const i = p.lastIndexOf('/') + 1;
  let head = p.slice(0, i);
  const tail = p.slice(i);
  if (head && head !== '/'.repeat(head.length)) head = head.replace(/\/+$/, '');
  return [head, tail];
}

/** Python `os.path.dirname(p)` for POSIX paths. */
export function pyDirname(p: string): string {
  return pySplit(p)[0];
}

/**
 * Python `os.path.expandvars(s)`: replaces $NAME and ${NAME} with values from
 * `env`, leaving references to unset variables untouched.
 */
export function expandVars(s: string, env: Readonly<Record<string, string | undefined>>): string {
  if (!s.includes('$')) return s;
  const re = /\$([A-Za-z0-9_]+|\{[^}]*\})/g;
  let out = s;
  let i = 0;
  for (;;) {
    re.lastIndex = i;
    const m = re.exec(out);
    if (!m) break;
    let name = m[1]!;
    if (name.startsWith('{') && name.endsWith('}')) name = name.slice(1, -1);
    const val = Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined;
    if (val === undefined) {
      i = m.index + m[0].length;
    } else {
      const tail = out.slice(m.index + m[0].length);
      out = out.slice(0, m.index) + val;
      i = out.length;
      out += tail;
    }
  }
  return out;
}

/** Python `s.splitlines()` without keepends. */
export function pySplitLines(s: string): string[] {
  const parts = s.split(/\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

/**
 * Python `textwrap.fill(text, width)` with default options, minus
 * break_on_hyphens (Zephyr's messages rarely contain hyphenated words, and
 * paths with '-' are better kept whole).
 */
export function textwrapFill(text: string, width: number): string {
  const words = text.replace(/[\t\n\x0b\x0c\r ]/g, ' ').split(' ').filter((w) => w !== '');
  const lines: string[] = [];
  let cur = '';
  for (let w of words) {
    if (cur === '') {
      while (w.length > width) {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      cur = w;
    } else if (cur.length + 1 + w.length <= width) {
      cur += ' ' + w;
    } else {
      lines.push(cur);
      while (w.length > width) {
        lines.push(w.slice(0, width));
        w = w.slice(width);
      }
      cur = w;
    }
  }
  if (cur !== '') lines.push(cur);
  return lines.join('\n');
}
