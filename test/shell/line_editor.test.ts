/**
 * The line editor, driven key by key, with what it writes applied to an emulated VT100 screen:
 * the screen must always show the prompt and the buffer, with the cursor where the buffer's
 * cursor is, including lines that wrap at the right margin.
 */
import { describe, expect, it } from 'vitest';
import { LineEditor, type EditorEvent } from '../../src/shell/line_editor.ts';
import { complete } from '../../src/shell/shell_complete.ts';
import { registerRootCommand } from '../../src/shell/shell_registry.ts';
import { SHELL_CMD, SHELL_STATIC_SUBCMD_SET_CREATE } from '../../src/shell/shell.ts';
import { testKernel } from './helpers.ts';
import { Screen } from './vt100.ts';

const PROMPT = 'uart:~$ ';
const k = testKernel();
registerRootCommand(SHELL_CMD('zdemo', SHELL_STATIC_SUBCMD_SET_CREATE('s', SHELL_CMD('params', null, 'p', null),
  SHELL_CMD('ping', null, 'p', null)), 'demo', null), k);

function editor(cols = 80): { ed: LineEditor; screen: Screen; type: (keys: string) => EditorEvent[] } {
  const screen = new Screen(cols);
  const ed = new LineEditor({
    write: (s) => screen.write(s),
    prompt: () => ({ styled: PROMPT, width: PROMPT.length }),
    columns: () => cols,
    complete: (before) => complete(k, before),
    styleCandidates: (t) => t,
  });
  ed.showPrompt();
  const type = (keys: string): EditorEvent[] => [...keys].map((c) => ed.feed(c)).filter((e) => e !== null);
  return { ed, screen, type };
}

/** The screen cursor must sit where the buffer cursor is. */
function cursorOk(ed: LineEditor, screen: Screen, firstRow = 0): void {
  const pos = PROMPT.length + ed.cur;
  expect([screen.row - firstRow, screen.col]).toEqual([Math.floor(pos / screen.cols), pos % screen.cols]);
}

const LEFT = '\x1b[D';
const RIGHT = '\x1b[C';
const UP = '\x1b[A';
const DOWN = '\x1b[B';

describe('line editor', () => {
  it('echoes typing and returns the line on Enter (CR LF counts once)', () => {
    const { ed, screen, type } = editor();
    expect(type('kernel uptime')).toEqual([]);
    expect(screen.text()).toBe('uart:~$ kernel uptime');
    cursorOk(ed, screen);
    expect(type('\r\n')).toEqual([{ kind: 'line', line: 'kernel uptime' }]);
    expect(type('\r\r')).toEqual([{ kind: 'line', line: '' }, { kind: 'line', line: '' }]);
  });

  it('edits in the middle: left/right, insert, backspace, delete, home/end', () => {
    const { ed, screen, type } = editor();
    type(`helo${LEFT}l`);
    expect(ed.buf).toBe('hello');
    type(`${LEFT}${LEFT}${RIGHT}${RIGHT}`);
    expect(ed.cur).toBe(4);
    type(RIGHT);
    expect(ed.cur).toBe(5);
    type(`\x01X\x05Y`); // Ctrl-A, Ctrl-E
    expect(ed.buf).toBe('XhelloY');
    type(`${LEFT}${LEFT}\x7f`); // DEL is backspace
    expect(ed.buf).toBe('XheloY');
    type('\x01\x1b[3~'); // Delete at home
    expect(ed.buf).toBe('heloY');
    type(`\x1b[F${LEFT}\x04`); // End, left, Ctrl-D deletes under the cursor
    expect(ed.buf).toBe('helo');
    expect(screen.text()).toBe('uart:~$ helo');
    cursorOk(ed, screen);
    type('\x1b[H\x1b[2~ZZ\x1b[2~'); // Home, Insert toggles overwrite
    expect(ed.buf).toBe('ZZlo');
  });

  it('Ctrl-K, Ctrl-U, Ctrl-W and Alt-B/Alt-F', () => {
    const { ed, screen, type } = editor();
    type('net iface show 1');
    type('\x17'); // Ctrl-W
    expect(ed.buf).toBe('net iface show ');
    type('\x1bb\x1bb'); // Alt-B twice
    expect(ed.cur).toBe(4);
    type('\x1bf'); // Alt-F
    expect(ed.cur).toBe(9);
    type('\x0b'); // Ctrl-K
    expect(ed.buf).toBe('net iface');
    expect(screen.text()).toBe('uart:~$ net iface');
    type('\x15'); // Ctrl-U
    expect(ed.buf).toBe('');
    expect(screen.text()).toBe('uart:~$');
    cursorOk(ed, screen);
  });

  it('wraps long lines at the margin and keeps the cursor in step', () => {
    const { ed, screen, type } = editor(20);
    type('abcdefghijkl'); // prompt 8 + 12 = exactly one full row
    expect(screen.text()).toBe('uart:~$ abcdefghijkl');
    cursorOk(ed, screen);
    type('mnopqrstuvwxyz');
    expect(screen.text()).toBe('uart:~$ abcdefghijkl\nmnopqrstuvwxyz');
    cursorOk(ed, screen);
    type(LEFT.repeat(16) + '_'); // back over the row boundary, insert
    expect(screen.text()).toBe('uart:~$ abcdefghij_k\nlmnopqrstuvwxyz');
    cursorOk(ed, screen);
    type('\x7f\x7f\x7f');
    expect(screen.text()).toBe('uart:~$ abcdefghklmn\nopqrstuvwxyz');
    cursorOk(ed, screen);
    ed.erase();
    expect(screen.text()).toBe('');
    ed.showPrompt();
    expect(screen.text()).toBe('uart:~$ abcdefghklmn\nopqrstuvwxyz');
    cursorOk(ed, screen);
  });

  it('recalls history with Up/Down and Ctrl-P/Ctrl-N, keeping the line being typed', () => {
    const { ed, screen, type } = editor();
    ed.history.put('kernel uptime');
    ed.history.put('kernel version');
    type('draft');
    type(UP);
    expect(ed.buf).toBe('kernel version');
    expect(screen.text()).toBe('uart:~$ kernel version');
    type('\x10'); // Ctrl-P
    expect(ed.buf).toBe('kernel uptime');
    type(DOWN);
    expect(ed.buf).toBe('kernel version');
    type('\x0e'); // Ctrl-N past the newest: the draft comes back
    expect(ed.buf).toBe('draft');
    expect(screen.text()).toBe('uart:~$ draft');
    cursorOk(ed, screen);
  });

  it('completes with Tab and lists the candidates on a second Tab', () => {
    const { ed, screen, type } = editor();
    type('ker\t');
    expect(ed.buf).toBe('kernel ');
    expect(screen.text()).toBe('uart:~$ kernel');
    type('up\t');
    expect(ed.buf).toBe('kernel uptime ');
    type('\x15zdemo p\t');
    expect(ed.buf).toBe('zdemo p'); // params/ping: nothing common to add
    expect(screen.text()).toBe('uart:~$ zdemo p');
    type('\t');
    expect(screen.text()).toBe('uart:~$ zdemo p\n  params  ping\nuart:~$ zdemo p');
    cursorOk(ed, screen, 2);
    type('a\t');
    expect(ed.buf).toBe('zdemo params ');
  });

  it('Ctrl-C abandons the line, Ctrl-D on an empty line ends input', () => {
    const { ed, screen, type } = editor();
    type('some text\x03');
    expect(ed.buf).toBe('');
    expect(screen.text()).toBe('uart:~$ some text\nuart:~$');
    expect(type('\x04')).toEqual([{ kind: 'eof' }]);
  });

  it('drops characters above 127 and ignores unknown escape sequences', () => {
    const { ed, type } = editor();
    type('aé\x1b[1;5Cb\x1b[200~c\x1b[201~');
    expect(ed.buf).toBe('abc');
  });

  it('takes keys silently with echo off', () => {
    const { ed, screen, type } = editor();
    ed.echo = false;
    type('hidden');
    expect(ed.buf).toBe('hidden');
    expect(screen.text()).toBe('uart:~$');
    expect(type('\r')).toEqual([{ kind: 'line', line: 'hidden' }]);
  });
});
