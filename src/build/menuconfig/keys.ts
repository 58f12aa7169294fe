/**
 * Keys, from two sources: bytes from a terminal in raw mode ({@link decodeInput}) and the
 * scripted-mode notation ({@link parseKeyNotation}) that `zsim menuconfig --keys` and
 * non-terminal stdin use. Both give the same key names, so a script drives exactly what a user
 * at a terminal would.
 *
 * Notation: characters stand for themselves (a space is the Space key); special keys are written
 * in angle brackets, case-insensitively, as in Vim: `<Enter>`, `<Esc>`, `<Up>`, `<Down>`, `<Left>`,
 * `<Right>`, `<Space>`, `<BS>`, `<Del>`, `<Tab>`, `<PageUp>`, `<PageDown>`, `<Home>`, `<End>`,
 * `<C-u>`, `<C-c>`, and `<lt>` for a literal `<`. Example: `/BOOT_BANNER<Enter>nSq`.
 */

/** A key: a named key such as `up` or `enter`, or one printable character (`' '` is Space). */
export type Key = string;

const ALIASES: Record<string, Key> = {
  enter: 'enter', cr: 'enter', return: 'enter', ret: 'enter',
  esc: 'esc', escape: 'esc',
  up: 'up', down: 'down', left: 'left', right: 'right',
  space: ' ', lt: '<', gt: '>',
  bs: 'backspace', backspace: 'backspace',
  del: 'delete', delete: 'delete',
  tab: 'tab',
  pageup: 'pageup', pgup: 'pageup', pagedown: 'pagedown', pgdn: 'pagedown',
  home: 'home', end: 'end',
  'c-u': 'ctrl-u', 'c-c': 'ctrl-c', 'c-l': 'ctrl-l',
};

/** Every named key (the rest are single characters). */
export const NAMED_KEYS: ReadonlySet<Key> = new Set(Object.values(ALIASES).filter((k) => k.length > 1));

/** Parses the `--keys` notation into keys. Throws on an unknown `<Name>`. */
export function parseKeyNotation(s: string): Key[] {
  const keys: Key[] = [];
  for (let i = 0; i < s.length; ) {
    const ch = s[i]!;
    if (ch === '<') {
      const close = s.indexOf('>', i + 1);
      const name = close > i ? s.slice(i + 1, close) : '';
      if (/^[\w-]+$/.test(name)) {
        const key = ALIASES[name.toLowerCase()];
        if (key === undefined) throw new Error(`unknown key <${name}> (known: ${Object.keys(ALIASES).map((k) => `<${k}>`).join(' ')})`);
        keys.push(key);
        i = close + 1;
        continue;
      }
    }
    if (ch !== '\n' && ch !== '\r') keys.push(ch);
    i++;
  }
  return keys;
}

/** Escape sequences terminals send, longest first where prefixes overlap. */
const SEQUENCES: Array<[string, Key]> = [
  ['\x1b[5~', 'pageup'], ['\x1b[6~', 'pagedown'], ['\x1b[1~', 'home'], ['\x1b[4~', 'end'],
  ['\x1b[7~', 'home'], ['\x1b[8~', 'end'], ['\x1b[3~', 'delete'], ['\x1b[2~', 'insert'],
  ['\x1b[A', 'up'], ['\x1b[B', 'down'], ['\x1b[C', 'right'], ['\x1b[D', 'left'],
  ['\x1b[H', 'home'], ['\x1b[F', 'end'],
  ['\x1bOA', 'up'], ['\x1bOB', 'down'], ['\x1bOC', 'right'], ['\x1bOD', 'left'],
  ['\x1bOH', 'home'], ['\x1bOF', 'end'],
];

const CONTROL: Record<string, Key> = {
  '\r': 'enter', '\n': 'enter', '\t': 'tab', '\x7f': 'backspace', '\b': 'backspace',
  '\x03': 'ctrl-c', '\x15': 'ctrl-u', '\x0c': 'ctrl-l',
};

/**
 * Decodes one chunk of raw terminal input. A lone ESC (or ESC before something that is not a
 * known sequence) is the Escape key; unknown sequences are dropped rather than typed as text.
 */
export function decodeInput(data: string): Key[] {
  const keys: Key[] = [];
  let i = 0;
  while (i < data.length) {
    if (data[i] === '\x1b') {
      const seq = SEQUENCES.find(([s]) => data.startsWith(s, i));
      if (seq) {
        keys.push(seq[1]);
        i += seq[0].length;
        continue;
      }
      const csi = /^\x1b\[[0-9;?]*[@-~]/.exec(data.slice(i));
      if (csi) {
        i += csi[0].length; // a sequence we have no use for (modifiers, focus events...)
        continue;
      }
      keys.push('esc');
      i++;
      continue;
    }
    // "\r\n" from a terminal in some modes is one Enter.
    if (data[i] === '\r' && data[i + 1] === '\n') i++;
    const cp = data.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    const named = CONTROL[ch];
    if (named) keys.push(named);
    else if (cp >= 0x20) keys.push(ch);
    i += ch.length;
  }
  return keys;
}

/** Whether a key types a character into a text field. */
export function isPrintable(key: Key): boolean {
  return [...key].length === 1 && key >= ' ';
}
