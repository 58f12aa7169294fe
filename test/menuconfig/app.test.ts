import { describe, expect, it } from 'vitest';
import { frameAnsi, frameText, render } from '../../src/build/menuconfig/render.ts';
import { appOf, press, select } from './helpers.ts';

const screen = (app: Parameters<typeof render>[0]): string => frameText(render(app));

describe('menuconfig keys on the menu', () => {
  it('moves with arrows and j/k, enters with Enter/Right/l, leaves with Esc/Left/Backspace/h', () => {
    const { app } = appOf();
    press(app, 'down', 'j', 'k', 'down', 'down', 'down');
    expect(app.model.nodeStr(app.model.selected!)).toBe('    Numbers  --->');
    for (const [enter, leave] of [['enter', 'esc'], ['right', 'left'], ['l', 'backspace'], ['enter', 'h']]) {
      press(app, enter!);
      expect(app.model.pathText()).toBe('(Top) > Numbers');
      press(app, leave!);
      expect(app.model.atTop).toBe(true);
    }
    expect(app.ending).toBeNull();
  });

  it('draws the menu: path bar, selection marker, help bar, status line with the help text', () => {
    const { app } = appOf();
    const text = screen(app).split('\n');
    expect(text).toHaveLength(30);
    expect(text[0]).toBe(' (Top)');
    expect(text[2]).toBe('>[*] Feature A');
    expect(text[3]).toBe(' [ ]     A child');
    expect(text[28]).toBe(' CONFIG_A: Feature A, on by default.');
    expect(text[29]).toBe(' [Space/Enter] Toggle/enter  [Esc] Back  [/] Search  [?] Info  [S] Save  [A] Show all  [Q] Quit');
    press(app, ' ');
    expect(screen(app).split('\n')[0]).toMatch(/^ \(Top\) +\[modified\]$/);
  });

  it('edits an int in a dialog: rejects invalid input with a message, Esc cancels, Enter sets', () => {
    const { app } = appOf();
    select(app.model, 'Numbers');
    press(app, 'enter', 'enter');
    expect(app.mode.kind).toBe('edit');
    let text = screen(app);
    expect(text).toContain('Count (int)');
    expect(text).toContain('Range: 1-10');
    press(app, 'backspace', '4', '2', 'enter');
    expect(app.mode).toMatchObject({ kind: 'edit', error: '42 is outside the range 1-10' });
    expect(screen(app)).toContain('42 is outside the range 1-10');
    press(app, 'ctrl-u', 'x', 'enter');
    expect(app.mode).toMatchObject({ kind: 'edit', error: "'x' is a malformed int value" });
    press(app, 'esc');
    expect(app.mode.kind).toBe('menu');
    expect(app.model.kconf.symbol('COUNT')!.strValue).toBe('3');
    press(app, 'enter', 'home', '1', 'enter'); // cursor editing: "3" becomes "13": still out of range
    expect(app.mode).toMatchObject({ kind: 'edit', text: '13' });
    press(app, 'delete', 'enter'); // Delete removes the 3 after the cursor
    expect(app.mode.kind).toBe('menu');
    expect(app.model.kconf.symbol('COUNT')!.strValue).toBe('1');
  });

  it('places the terminal cursor in the dialog field', () => {
    const { app } = appOf();
    select(app.model, 'Numbers');
    press(app, 'enter', 'enter');
    const f = render(app);
    expect(f.cursor).not.toBeNull();
    const row = frameText(f).split('\n')[f.cursor!.row]!;
    expect(row.slice(f.cursor!.col - 1, f.cursor!.col)).toBe('3');
  });

  it('searches with /: live results, Enter jumps, Esc cancels, no match keeps the screen', () => {
    const { app } = appOf();
    press(app, '/', ...'label');
    expect(app.mode).toMatchObject({ kind: 'search', query: 'label' });
    expect(screen(app)).toContain('>LABEL (="hello") "Label"  [(Top) > Numbers]');
    expect(screen(app)).toContain('1 match');
    press(app, 'enter');
    expect(app.model.pathText()).toBe('(Top) > Numbers');
    expect(app.model.nodeStr(app.model.selected!)).toBe('(hello) Label');
    press(app, '/', 'z', 'z', 'z', 'enter');
    expect(app.mode.kind).toBe('search');
    expect(app.message).toBe('No matches');
    press(app, 'esc');
    expect(app.mode.kind).toBe('menu');
    press(app, '/', ...'mode', 'down', 'enter');
    expect(app.model.nodeStr(app.model.selected!)).toBe('(X) Mode B');
  });

  it('shows symbol information with ?, scrolls it, and goes back', () => {
    const { app } = appOf();
    press(app, 'down', '?');
    expect(app.mode.kind).toBe('info');
    const text = screen(app);
    expect(text.split('\n')[0]).toBe(' CONFIG_A_CHILD');
    expect(text).toContain('Direct dependencies (=y):');
    expect(text).toContain('  A (=y)');
    press(app, 'down', 'end', 'pageup');
    press(app, 'q');
    expect(app.mode.kind).toBe('menu');
    expect(app.ending).toBeNull();
  });

  it('toggles show-all with A and names with C', () => {
    const { app } = appOf();
    press(app, 'a');
    expect(screen(app)).toContain('Needs B  --->');
    press(app, 'A', 'c');
    expect(screen(app)).toContain('[*] <A> Feature A');
  });

  it('draws invisible entries in their own style in show-all mode only', () => {
    const { app } = appOf();
    const styleOf = (text: string): string | undefined =>
      render(app)
        .lines.find((l) => l.map((s) => s.text).join('').includes(text))
        ?.map((s) => s.style)
        .join();
    press(app, 'a');
    expect(styleOf('Needs B')).toBe('dim');
    expect(styleOf('Feature A')).toBe('sel');
    expect(styleOf('Selector')).toBe('plain');
  });
});

describe('menuconfig saving and quitting', () => {
  it('quits at once without changes (q, or Esc at the top)', () => {
    for (const key of ['q', 'esc']) {
      const { app, saves } = appOf();
      press(app, key);
      expect(app.ending).toBe('no-changes');
      expect(saves()).toBe(0);
    }
  });

  it('asks to save on quit with changes: Esc goes back, n discards, y saves', () => {
    const { app, saves } = appOf();
    press(app, ' ', 'q');
    expect(app.mode.kind).toBe('confirm');
    expect(screen(app)).toContain('Save configuration?');
    press(app, 'esc');
    expect(app.mode.kind).toBe('menu');
    press(app, 'Q', 'y');
    expect(app.ending).toBe('saved');
    expect(saves()).toBe(1);
    const other = appOf();
    press(other.app, ' ', 'q', 'n');
    expect(other.app.ending).toBe('discarded');
    expect(other.saves()).toBe(0);
  });

  it('S saves and clears the modified mark; quitting afterwards needs no question', () => {
    const { app, saves } = appOf();
    press(app, ' ', 'S');
    expect(app.message).toBe('Configuration saved (1)');
    expect(screen(app)).toContain(' Configuration saved (1)');
    expect(app.model.changed).toBe(false);
    press(app, 'q');
    expect(app.ending).toBe('saved');
    expect(saves()).toBe(1);
  });

  it('a failing save is reported and keeps the session', () => {
    const { app } = appOf();
    (app as unknown as { hooks: { save: () => string } }).hooks.save = () => {
      throw new Error('EACCES: permission denied');
    };
    press(app, ' ', 'q', 'y');
    expect(app.ending).toBeNull();
    expect(app.message).toBe('Error saving: EACCES: permission denied');
  });

  it('Ctrl-C ends the session at once', () => {
    const { app } = appOf();
    press(app, ' ', 'ctrl-c', 'q');
    expect(app.ending).toBe('interrupted');
  });
});

describe('menuconfig drawing', () => {
  it('keeps every row exactly the terminal width, and emits positioned ANSI rows', () => {
    const { app } = appOf();
    app.resize(40, 12);
    press(app, '/', 'a');
    for (const f of [render(app), (press(app, 'esc', 'q'), render(app))]) {
      expect(f.lines).toHaveLength(12);
      for (const l of f.lines) expect(l.reduce((n, s) => n + [...s.text].length, 0)).toBe(40);
    }
    const ansi = frameAnsi(render(app), false);
    expect(ansi).toContain('\x1b[1;1H');
    expect(ansi).toContain('\x1b[12;1H');
    expect(ansi).toContain('\x1b[0;7m'); // reverse video bars and selection without color
  });

  it('scrolls long menus with ^(-) and v(+) markers', () => {
    const { app } = appOf();
    app.resize(60, 9); // four menu rows
    let text = screen(app).split('\n');
    expect(text[1]).toBe('');
    expect(text[6]).toBe('  v(+)');
    press(app, 'end');
    text = screen(app).split('\n');
    expect(text[1]).toBe('  ^(-)');
    expect(text[5]).toBe('>[ ] B on');
  });
});
