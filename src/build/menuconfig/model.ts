/**
 * menuconfig's menu state, without a terminal: which menu is shown, what is selected, how
 * entries read (`[*] Foo  --->`), and changing values. A port of the corresponding parts of
 * Kconfiglib's menuconfig.py (`_shown_nodes`, `_node_str`, `_value_str`, `_change_node`,
 * `_check_valid`, `_enter_menu`, `_leave_menu`, `_jump_to`), so it behaves like Zephyr's.
 */
import { Choice, exprStr, exprValue, KSymbol, TRI_TO_STR, type Kconfig, type MenuNode, type Tri } from '../../kconfig/index.ts';
import { parsePyInt } from '../../kconfig/pyutil.ts';
import { UNSAVED } from './info.ts';
import type { Assignment } from './persist.ts';

/** Rows kept visible above/below the selection when scrolling (Kconfiglib's _SCROLL_OFFSET). */
const SCROLL_OFFSET = 5;
/** Indent of entries in implicit submenus (symbols depending on the symbol above them). */
const SUBMENU_INDENT = 4;

/** What activating an entry (Enter/Space/Right) asks the UI to do next. */
export type Activation = { kind: 'none' } | { kind: 'entered' } | { kind: 'changed' } | { kind: 'edit'; node: MenuNode };

/** The text-entry dialog for an int/hex/string entry. */
export interface EditRequest {
  title: string;
  initial: string;
  /** `Range: LOW-HIGH`, when a range is active. */
  rangeInfo: string | null;
}

const isSc = (item: unknown): item is KSymbol | Choice => item instanceof KSymbol || item instanceof Choice;

/** A y-mode choice's symbol, shown as a radio button. */
function isYModeChoiceSym(item: MenuNode['item']): item is KSymbol {
  return item instanceof KSymbol && item.choice !== null && item.visibility === 2;
}

/** The menu state of one menuconfig session. */
export class MenuModel {
  /** The menu being shown: a menu, a choice or a `menuconfig` symbol. */
  cur: MenuNode;
  shown: MenuNode[] = [];
  sel = 0;
  scroll = 0;
  /** Menu rows on screen; the UI keeps it current so paging and scrolling fit the window. */
  rows = 20;
  showAll: boolean;
  showName: boolean;
  /** Unsaved changes. */
  changed = false;
  /** The user's assignments, oldest first; what `menuconfig.conf` will hold. */
  readonly assignments = new Map<string, Assignment>();
  private parentRows: number[] = [];
  /** Symbols the loaded `.config` mentions; the others are "(NEW)". */
  private readonly inConfig: ReadonlySet<string> | null;

  constructor(
    readonly kconf: Kconfig,
    initial: readonly Assignment[] = [],
    opts: { showAll?: boolean; showName?: boolean; inConfig?: ReadonlySet<string> } = {},
  ) {
    this.inConfig = opts.inConfig ?? null;
    for (const a of initial) this.assignments.set(a.name, a);
    this.showAll = opts.showAll ?? false;
    this.showName = opts.showName ?? false;
    this.cur = kconf.topNode;
    this.shown = this.shownNodes(this.cur);
  }

  /** The selected entry, if the menu is not empty. */
  get selected(): MenuNode | undefined {
    return this.shown[this.sel];
  }

  /** Kconfiglib's `_visible`: has a prompt whose condition holds (and a visible menu). */
  visible(node: MenuNode): boolean {
    return node.prompt !== null && exprValue(node.prompt[1]) > 0 && !(node.item === 'menu' && !exprValue(node.visibility));
  }

  /** The entries of `menu` as shown: implicit-submenu children inline, invisible ones hidden. */
  shownNodes(menu: MenuNode): MenuNode[] {
    const rec = (first: MenuNode | null): MenuNode[] => {
      const res: MenuNode[] = [];
      for (let node = first; node; node = node.next) {
        if (this.visible(node) || this.showAll) {
          res.push(node);
          if (node.list && !node.isMenuconfig) res.push(...rec(node.list));
        } else if (node.list && node.item instanceof KSymbol) {
          // An invisible symbol (e.g. an optional prompt that is off) with visible children.
          const children = rec(node.list);
          if (children.length) {
            res.push(node);
            if (!node.isMenuconfig) res.push(...children);
          }
        }
      }
      return res;
    };
    if (!(menu.item instanceof Choice)) return rec(menu.list);
    // A choice defined in several places shows all its symbols wherever it is entered.
    const seen = new Set(rec(menu.list).flatMap((n) => (n.item instanceof KSymbol ? [n.item] : [])));
    const res: MenuNode[] = [];
    for (const choiceNode of menu.item.nodes) {
      for (const node of rec(choiceNode.list)) {
        if (node.item instanceof KSymbol && seen.has(node.item) && choiceNode !== menu) continue;
        res.push(node);
        if (node.item instanceof KSymbol) seen.add(node.item);
      }
    }
    return res;
  }

  /** The menu that shows `node` (its closest `menuconfig`-like ancestor). */
  parentMenu(node: MenuNode): MenuNode {
    let menu = node.parent!;
    while (!menu.isMenuconfig) menu = menu.parent!;
    return menu;
  }

  /** `(Top) > Menu > Submenu` for the current menu. */
  pathText(): string {
    const parts: string[] = [];
    for (let m: MenuNode | null = this.cur; m && m !== this.kconf.topNode; m = m.parent) {
      if (m.isMenuconfig) parts.unshift(m.prompt ? m.prompt[0] : exprStr(m.item as Choice));
    }
    return ['(Top)', ...parts].join(' > ');
  }

  /** Moves the selection by `delta` entries, scrolling to keep a margin around it. */
  moveBy(delta: number): void {
    if (this.shown.length === 0) return;
    this.sel = Math.max(0, Math.min(this.shown.length - 1, this.sel + delta));
    this.fixScroll();
  }

  /** Keeps the selection on screen with Kconfiglib's scroll margin. */
  fixScroll(): void {
    const rows = Math.max(1, this.rows);
    const off = Math.min(SCROLL_OFFSET, Math.floor((rows - 1) / 2));
    const maxScroll = Math.max(0, this.shown.length - rows);
    if (this.sel < this.scroll + off) this.scroll = Math.max(0, this.sel - off);
    if (this.sel >= this.scroll + rows - off) this.scroll = this.sel - rows + off + 1;
    this.scroll = Math.max(0, Math.min(this.scroll, maxScroll));
  }

  private center(): void {
    const rows = Math.max(1, this.rows);
    this.scroll = Math.max(0, Math.min(this.sel - Math.floor(rows / 2), this.shown.length - rows));
  }

  /** Enters a menu, choice or `menuconfig` symbol; false for other entries and empty menus. */
  enter(menu: MenuNode | undefined = this.selected): boolean {
    if (!menu || !menu.isMenuconfig) return false;
    const sub = this.shownNodes(menu);
    if (sub.length === 0) return false;
    this.parentRows.push(this.sel - this.scroll);
    this.cur = menu;
    this.shown = sub;
    this.sel = this.scroll = 0;
    // Entering a choice selects its current selection.
    if (menu.item instanceof Choice && menu.item.selection) {
      const i = sub.findIndex((n) => n.item === (menu.item as Choice).selection);
      if (i >= 0) this.moveBy(i);
    }
    return true;
  }

  /** Whether the top menu is shown. */
  get atTop(): boolean {
    return this.cur === this.kconf.topNode;
  }

  /** Goes up one menu, selecting the menu just left. */
  leave(): void {
    if (this.atTop) return;
    const parent = this.parentMenu(this.cur);
    this.shown = this.shownNodes(parent);
    this.sel = Math.max(0, this.shown.indexOf(this.cur));
    this.cur = parent;
    const row = this.parentRows.pop();
    if (row === undefined) this.center();
    else this.scroll = Math.max(this.sel - Math.min(row, this.rows - 1), 0);
    this.fixScroll();
  }

  /** Whether the user can change the entry's value (Kconfiglib's `_changeable`). */
  changeable(node: MenuNode): boolean {
    const sc = node.item;
    if (!isSc(sc) || !(node.prompt && exprValue(node.prompt[1]))) return false;
    return sc.origType === 'string' || sc.origType === 'int' || sc.origType === 'hex' || sc.assignable.length > 1 || isYModeChoiceSym(sc);
  }

  /** Enter/Right/Space/`l`: enter a menu, toggle a bool, pick a choice symbol, or edit a value. */
  activate(key: 'enter' | 'space'): Activation {
    const node = this.selected;
    if (!node) return { kind: 'none' };
    const item = node.item;
    const preferToggle = item instanceof KSymbol || (item instanceof Choice && item.assignable.length > 1);
    if (node.isMenuconfig && !(key === 'space' && preferToggle)) return this.enter(node) ? { kind: 'entered' } : { kind: 'none' };
    if (!this.changeable(node) || !isSc(item)) return { kind: 'none' };
    if (item.origType === 'string' || item.origType === 'int' || item.origType === 'hex') return { kind: 'edit', node };
    if (item.assignable.length === 1) this.setVal(item, item.assignable[0]!);
    else {
      const i = item.assignable.indexOf(item.triValue);
      this.setVal(item, item.assignable[(i + 1) % item.assignable.length]!);
    }
    // Picking a choice symbol goes back to the menu holding the choice, like 'make menuconfig'.
    if (isYModeChoiceSym(item) && !node.list && item.choice!.selection === item) this.leave();
    return { kind: 'changed' };
  }

  /** `y`/`m`/`n` on the selected entry, when that value is assignable. */
  setTri(value: Tri): boolean {
    const node = this.selected;
    const item = node?.item;
    if (!node || !isSc(item) || !item.assignable.includes(value) || !this.changeable(node)) return false;
    this.setVal(item, value);
    return true;
  }

  /** What the text-entry dialog for an int/hex/string entry shows. */
  editRequest(node: MenuNode): EditRequest {
    const sym = node.item as KSymbol;
    return { title: `${node.prompt ? node.prompt[0] : sym.name} (${sym.origType})`, initial: sym.strValue, rangeInfo: rangeInfo(sym) };
  }

  /**
   * Sets an int/hex/string entry from the dialog text. Returns an error message (and changes
   * nothing) for malformed or out-of-range numbers, as Kconfiglib's `_check_valid` does.
   */
  submitEdit(node: MenuNode, text: string): string | null {
    const sym = node.item as KSymbol;
    let s = text;
    if (sym.origType === 'int' || sym.origType === 'hex') {
      s = s.trim();
      // Like 'make menuconfig': hex input without 0x gets it.
      if (sym.origType === 'hex' && !/^0x/i.test(s)) s = '0x' + s;
      const err = checkValid(sym, s);
      if (err) return err;
    }
    this.setVal(sym, s);
    return null;
  }

  /** Kconfiglib's `_set_val`: sets, records the assignment, and refreshes the menu. */
  private setVal(sc: KSymbol | Choice, val: Tri | string): void {
    const v = typeof val === 'number' ? TRI_TO_STR[val] : val;
    if (v === sc.strValue) return;
    if (sc instanceof Choice) {
      sc.setValue(v);
      // Only a choice's selection can be written to a fragment.
      if (sc.selection) this.record(sc.selection, 'y');
    } else {
      // As when a fragment is loaded: y on a choice symbol also sets the choice's mode.
      if (sc.choice && v !== 'n') sc.choice.setValue(v);
      sc.setValue(v);
      this.record(sc, v);
    }
    this.changed = true;
    this.update();
  }

  private record(sym: KSymbol, value: string): void {
    if (sym.origType === 'unknown') return;
    this.assignments.delete(sym.name);
    this.assignments.set(sym.name, { name: sym.name, value, type: sym.origType });
    sym.userValueLoc = { filename: UNSAVED, linenr: 0 };
  }

  /**
   * Refreshes the shown entries after a value change (which may hide or show others), keeping
   * the selection on the same entry or the closest earlier one still shown.
   */
  update(): void {
    const old = this.shown;
    const oldSel = this.sel;
    this.shown = this.shownNodes(this.cur);
    if (this.shown.length === 0) {
      // The menu emptied itself (e.g. its symbol was turned off): go up to one with entries.
      while (!this.atTop) {
        this.leave();
        if (this.shown.length) break;
      }
      return;
    }
    let i = -1;
    for (let j = Math.min(oldSel, old.length - 1); j >= 0 && i < 0; j--) i = this.shown.indexOf(old[j]!);
    this.sel = Math.max(0, i);
    this.fixScroll();
  }

  /** Jumps to `node`, as after a search: into it when it is a non-empty menu or choice. */
  jumpTo(node: MenuNode): void {
    this.parentRows = [];
    const oldShowAll = this.showAll;
    const into = (node.item instanceof Choice || node.item === 'menu') && node.list !== null;
    let target = node;
    if (into) {
      this.cur = node;
      target = node.list!;
    } else {
      this.cur = this.parentMenu(node);
    }
    this.shown = this.shownNodes(this.cur);
    if (!this.shown.includes(target)) {
      // Hidden entries can only be shown with show-all.
      this.showAll = true;
      this.shown = this.shownNodes(this.cur);
    }
    this.sel = Math.max(0, this.shown.indexOf(target));
    if (into && !oldShowAll && this.showAll) this.toggleShowAll();
    this.center();
  }

  /** Show-all mode on/off, keeping the selection when it stays shown. */
  toggleShowAll(): void {
    const selNode = this.selected;
    this.showAll = !this.showAll;
    let shown = this.shownNodes(this.cur);
    if (shown.length === 0) {
      // Leaving show-all in a menu with nothing visible: stay in show-all.
      this.showAll = !this.showAll;
      shown = this.shownNodes(this.cur);
    }
    this.shown = shown;
    this.sel = Math.max(0, selNode ? shown.indexOf(selNode) : 0);
    this.fixScroll();
  }

  /** The value part of an entry: `[*]`, `[ ]`, `-*-`, `(X)`, `(42)`, or nothing. */
  valueStr(node: MenuNode): string {
    const item = node.item;
    if (!isSc(item) || item.origType === 'unknown') return '';
    if (item.origType === 'string' || item.origType === 'int' || item.origType === 'hex') return `(${item.strValue})`;
    if (isYModeChoiceSym(item)) return item.choice!.selection === item ? '(X)' : '( )';
    const t = (' M*' as const)[item.triValue]!;
    if (item.assignable.length <= 1) return item instanceof Choice ? '' : `-${t}-`;
    if (item.type === 'bool') return `[${t}]`;
    return item.assignable.length === 2 && item.assignable[0] === 1 ? `{${t}}` : `<${t}>`;
  }

  /**
   * Kconfiglib marks symbols without a user value, which after loading a `.config` means "not in
   * it". Values here come from the fragments, so "not in the build's .config" is asked directly.
   */
  private isNew(sym: KSymbol): boolean {
    if (sym.origType === 'unknown' || (sym.choice && sym.choice.triValue === 2)) return false;
    return this.inConfig ? !this.inConfig.has(sym.name) && sym.userValue === null : sym.userValue === null;
  }

  /** An entry as shown: value, indent, name (in show-name mode, or without a prompt), prompt, `--->`. */
  nodeStr(node: MenuNode): string {
    let indent = 0;
    for (let p = node.parent; p && !p.isMenuconfig; p = p.parent) indent += SUBMENU_INDENT;
    let s = this.valueStr(node).padEnd(3 + indent);
    const item = node.item;
    // Kconfiglib's _should_show_name: in show-name mode, and always for a prompt-less symbol or
    // choice (only shown in show-all mode), which would otherwise be a bare value.
    if ((this.showName || !node.prompt) && isSc(item)) s += item instanceof KSymbol ? ` <${item.name}>` : ` ${exprStr(item)}`;
    if (node.prompt) {
      s += item === 'comment' ? ` *** ${node.prompt[0]} ***` : ` ${node.prompt[0]}`;
      if (item instanceof KSymbol && this.isNew(item)) s += ' (NEW)';
    }
    if (item instanceof Choice && item.triValue === 2 && item.selection) {
      const sel = item.selection;
      const at = sel.nodes.find((n) => n.parent === node && n.prompt) ?? sel.nodes.find((n) => n.prompt);
      if (at) s += ` (${at.prompt![0]})`;
    }
    if (node.isMenuconfig) s += this.shownNodes(node).length ? '  --->' : '  ----';
    return s;
  }
}

/** `Range: LOW-HIGH` for the active range of an int/hex symbol. */
export function rangeInfo(sym: KSymbol): string | null {
  if (sym.origType !== 'int' && sym.origType !== 'hex') return null;
  for (const [lo, hi, cond] of sym.ranges) if (exprValue(cond)) return `Range: ${lo.strValue}-${hi.strValue}`;
  return null;
}

/** Kconfiglib's `_check_valid`: null when `s` is a well-formed, in-range value for `sym`. */
export function checkValid(sym: KSymbol, s: string): string | null {
  if (sym.origType !== 'int' && sym.origType !== 'hex') return null;
  const base = sym.origType === 'int' ? 10 : 16;
  const v = parsePyInt(s, base);
  if (v === null) return `'${s}' is a malformed ${sym.origType} value`;
  for (const [lo, hi, cond] of sym.ranges) {
    if (!exprValue(cond)) continue;
    const low = parsePyInt(lo.strValue, base) ?? 0n;
    const high = parsePyInt(hi.strValue, base) ?? 0n;
    if (v < low || v > high) return `${s} is outside the range ${lo.strValue}-${hi.strValue}`;
    break;
  }
  return null;
}
