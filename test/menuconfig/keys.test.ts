import { describe, expect, it } from 'vitest';
import { decodeInput, parseKeyNotation } from '../../src/build/menuconfig/keys.ts';
import { stdinKeys } from '../../src/cli/cmd_menuconfig.ts';

describe('menuconfig keys', () => {
  it('parses the --keys notation: characters, <Named> keys case-insensitively, <lt>', () => {
    expect(parseKeyNotation('/BOOT<Enter>nSq')).toEqual(['/', 'B', 'O', 'O', 'T', 'enter', 'n', 'S', 'q']);
    expect(parseKeyNotation('<down><DOWN><PgDn><Space> <esc><C-u><lt>')).toEqual(['down', 'down', 'pagedown', ' ', ' ', 'esc', 'ctrl-u', '<']);
    expect(parseKeyNotation('a<b c>')).toEqual(['a', '<', 'b', ' ', 'c', '>']);
    expect(parseKeyNotation('a\nb')).toEqual(['a', 'b']);
    expect(() => parseKeyNotation('<Bogus>')).toThrow(/unknown key <Bogus>/);
  });

  it('reads stdin lines: the notation, or a bare key name on its own line', () => {
    expect(stdinKeys('/BOOT_BANNER\nenter\nn\nS\ndown\nq\n')).toEqual(['/', ...'BOOT_BANNER', 'enter', 'n', 'S', 'down', 'q']);
    expect(stdinKeys('hello<Enter>\n')).toEqual([...'hello', 'enter']);
  });

  it('decodes raw terminal input: arrows in both modes, Enter, Backspace, lone Esc, text', () => {
    expect(decodeInput('\x1b[A\x1b[B\x1bOC\x1bOD')).toEqual(['up', 'down', 'right', 'left']);
    expect(decodeInput('\r')).toEqual(['enter']);
    expect(decodeInput('\r\n')).toEqual(['enter']);
    expect(decodeInput('\x7f\b')).toEqual(['backspace', 'backspace']);
    expect(decodeInput('\x1b')).toEqual(['esc']);
    expect(decodeInput('\x1bq')).toEqual(['esc', 'q']);
    expect(decodeInput('\x1b[5~\x1b[6~\x1b[H\x1b[4~\x1b[3~')).toEqual(['pageup', 'pagedown', 'home', 'end', 'delete']);
    expect(decodeInput('ab c')).toEqual(['a', 'b', ' ', 'c']);
    expect(decodeInput('\x03\x15')).toEqual(['ctrl-c', 'ctrl-u']);
    // Sequences with no meaning here (modified arrows, focus events) are dropped, not typed.
    expect(decodeInput('\x1b[1;5Ax\x1b[I')).toEqual(['x']);
    expect(decodeInput('é')).toEqual(['é']);
  });
});
