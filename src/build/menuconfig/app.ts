/**
 * menuconfig's key handling: one mode at a time (the menu, a value dialog, the search screen, the
 * information screen, the quit question), each mapping keys to model changes. No terminal here:
 * the same object serves the interactive TUI, the scripted mode and the tests.
 *
 * Keys follow Kconfiglib's menuconfig: arrows or j/k move; Enter, Right, Space or l enter a menu
 * or change a value; Esc, Left, Backspace or h go up; y/n/m set a value; / searches; ? shows
 * information; s saves; a toggles show-all; c toggles symbol names; q (or Esc at the top) quits.
 */
import type { Kconfig, MenuNode } from '../../kconfig/index.ts';
import { nodeInfo } from './info.ts';
import { isPrintable, type Key } from './keys.ts';
import type { EditRequest, MenuModel } from './model.ts';
import { searchNodes } from './search.ts';

/** What is on screen. */
export type Mode =
  | { kind: 'menu' }
  | { kind: 'edit'; node: MenuNode; req: EditRequest; text: string; cursor: number; error: string | null }
  | { kind: 'search'; query: string; results: MenuNode[]; error: string | null; sel: number; scroll: number }
  | { kind: 'info'; title: string; lines: string[]; scroll: number }
  | { kind: 'confirm' };

/** How a session ended. */
export type Ending = 'saved' | 'discarded' | 'no-changes' | 'interrupted';

/** What the app needs from outside: saving (returns the message to show). */
export interface AppHooks {
  save(model: MenuModel): string;
}

/** Screen rows the menu list gets: everything but the two bars, two separators and the message line. */
export const menuRows = (height: number): number => Math.max(1, height - 5);
/** Screen rows the search results get. */
export const searchRows = (height: number): number => Math.max(1, height - 5);
/** Screen rows the information text gets. */
export const infoRows = (height: number): number => Math.max(1, height - 2);

/** A menuconfig session's state and key handling. */
export class MenuconfigApp {
  mode: Mode = { kind: 'menu' };
  /** One-line status (saved, errors), shown until the next key. */
  message: string | null = null;
  /** Set when the session is over. */
  ending: Ending | null = null;
  /** Message of the last save, for the caller to print after the screen is gone. */
  lastSave: string | null = null;
  width = 80;
  height = 24;

  constructor(
    readonly model: MenuModel,
    private readonly hooks: AppHooks,
  ) {
    this.resize(this.width, this.height);
  }

  get kconf(): Kconfig {
    return this.model.kconf;
  }

  /** New terminal size. */
  resize(width: number, height: number): void {
    this.width = Math.max(20, width);
    this.height = Math.max(8, height);
    this.model.rows = menuRows(this.height);
    this.model.fixScroll();
  }

  /** Handles one key. */
  handle(key: Key): void {
    if (this.ending) return;
    if (key === 'ctrl-c') {
      this.ending = 'interrupted';
      return;
    }
    if (key === 'ctrl-l') return; // the caller redraws after every key anyway
    const m = this.mode;
    this.message = null;
    switch (m.kind) {
      case 'menu':
        return this.menuKey(key);
      case 'edit':
        return this.editKey(m, key);
      case 'search':
        return this.searchKey(m, key);
      case 'info':
        return this.infoKey(m, key);
      case 'confirm':
        return this.confirmKey(key);
    }
  }

  private menuKey(key: Key): void {
    const model = this.model;
    const page = Math.max(1, model.rows - 1);
    switch (key) {
      case 'up': case 'k': case 'K': return model.moveBy(-1);
      case 'down': case 'j': case 'J': return model.moveBy(1);
      case 'pageup': return model.moveBy(-page);
      case 'pagedown': return model.moveBy(page);
      case 'home': return model.moveBy(-model.shown.length);
      case 'end': return model.moveBy(model.shown.length);
      case 'right': case 'enter': case ' ': case 'l': case 'L': {
        const r = model.activate(key === ' ' ? 'space' : 'enter');
        if (r.kind === 'edit') {
          const req = model.editRequest(r.node);
          this.mode = { kind: 'edit', node: r.node, req, text: req.initial, cursor: req.initial.length, error: null };
        }
        return;
      }
      case 'y': case 'Y': return void model.setTri(2);
      case 'm': case 'M': return void model.setTri(1);
      case 'n': case 'N': return void model.setTri(0);
      case 'esc':
        if (model.atTop) return this.quit();
        return model.leave();
      case 'left': case 'backspace': case 'h': case 'H':
        return model.leave();
      case 's': case 'S':
        return this.save();
      case '/':
        return this.openSearch('');
      case '?': {
        const node = model.selected;
        if (node) this.mode = { kind: 'info', title: infoTitle(node), lines: nodeInfo(this.kconf, node), scroll: 0 };
        return;
      }
      case 'a': case 'A':
        model.toggleShowAll();
        this.message = model.showAll ? 'Show-all mode: invisible entries are shown too' : 'Show-all mode off';
        return;
      case 'c': case 'C':
        model.showName = !model.showName;
        return;
      case 'q': case 'Q':
        return this.quit();
    }
  }

  private save(): void {
    try {
      this.lastSave = this.message = this.hooks.save(this.model);
      this.model.changed = false;
    } catch (e) {
      this.message = `Error saving: ${(e as Error).message}`;
    }
  }

  private quit(): void {
    if (this.model.changed) this.mode = { kind: 'confirm' };
    else this.ending = this.lastSave ? 'saved' : 'no-changes';
  }

  private confirmKey(key: Key): void {
    if (key === 'y' || key === 'Y' || key === 'enter') {
      this.save();
      if (this.model.changed) {
        // The save failed: stay, with its message on screen.
        this.mode = { kind: 'menu' };
        return;
      }
      this.ending = 'saved';
    } else if (key === 'n' || key === 'N') {
      this.ending = 'discarded';
    } else if (key === 'esc' || key === 'c' || key === 'C') {
      this.mode = { kind: 'menu' };
    }
  }

  private editKey(m: Extract<Mode, { kind: 'edit' }>, key: Key): void {
    if (key === 'enter') {
      const err = this.model.submitEdit(m.node, m.text);
      if (err) m.error = err;
      else this.mode = { kind: 'menu' };
      return;
    }
    if (key === 'esc') {
      this.mode = { kind: 'menu' };
      return;
    }
    m.error = null;
    editText(m, key);
  }

  /** Opens the search screen with `query`. */
  openSearch(query: string): void {
    this.mode = { kind: 'search', query: '', results: [], error: null, sel: 0, scroll: 0 };
    for (const ch of query) this.handle(ch);
  }

  private searchKey(m: Extract<Mode, { kind: 'search' }>, key: Key): void {
    const rows = searchRows(this.height);
    switch (key) {
      case 'esc':
        this.mode = { kind: 'menu' };
        return;
      case 'enter': {
        const node = m.results[m.sel];
        if (!node) {
          this.message = m.error ?? 'No matches';
          return;
        }
        this.mode = { kind: 'menu' };
        this.model.jumpTo(node);
        return;
      }
      case 'up': case 'down': case 'pageup': case 'pagedown': case 'home': case 'end': {
        const delta = { up: -1, down: 1, pageup: -rows, pagedown: rows, home: -m.results.length, end: m.results.length }[key];
        m.sel = Math.max(0, Math.min(m.results.length - 1, m.sel + delta));
        if (m.sel < m.scroll) m.scroll = m.sel;
        if (m.sel >= m.scroll + rows) m.scroll = m.sel - rows + 1;
        return;
      }
    }
    const before = m.query;
    const field = { text: m.query, cursor: m.query.length };
    editText(field, key);
    m.query = field.text;
    if (m.query === before) return;
    const r = m.query.trim() ? searchNodes(this.kconf, m.query) : { nodes: [], error: null };
    m.results = r.nodes;
    m.error = r.error;
    m.sel = m.scroll = 0;
  }

  private infoKey(m: Extract<Mode, { kind: 'info' }>, key: Key): void {
    const rows = infoRows(this.height);
    const max = Math.max(0, m.lines.length - rows);
    const deltas: Record<string, number> = { up: -1, k: -1, down: 1, j: 1, pageup: -rows, pagedown: rows, ' ': rows, home: -m.lines.length, end: m.lines.length };
    if (key in deltas) m.scroll = Math.max(0, Math.min(max, m.scroll + deltas[key]!));
    else if (['esc', 'q', 'Q', 'left', 'h', 'backspace', 'enter', '?'].includes(key)) this.mode = { kind: 'menu' };
  }
}

function infoTitle(node: MenuNode): string {
  const item = node.item;
  if (item && typeof item === 'object') return item.kind === 'symbol' ? `CONFIG_${item.name}` : item.name ? `<choice ${item.name}>` : '<choice>';
  return node.prompt ? node.prompt[0] : 'Information';
}

/** Line editing shared by the value dialog and the search field. */
export function editText(f: { text: string; cursor: number }, key: Key): void {
  const chars = [...f.text];
  const c = Math.max(0, Math.min(chars.length, f.cursor));
  if (isPrintable(key)) {
    chars.splice(c, 0, key);
    f.cursor = c + 1;
  } else if (key === 'backspace') {
    if (c > 0) chars.splice(c - 1, 1);
    f.cursor = Math.max(0, c - 1);
  } else if (key === 'delete') {
    chars.splice(c, 1);
  } else if (key === 'left') f.cursor = Math.max(0, c - 1);
  else if (key === 'right') f.cursor = Math.min(chars.length, c + 1);
  else if (key === 'home') f.cursor = 0;
  else if (key === 'end') f.cursor = chars.length;
  else if (key === 'ctrl-u') {
    chars.length = 0;
    f.cursor = 0;
  }
  f.text = chars.join('');
}
