/**
 * Menu nodes: one per symbol/choice definition, menu, comment or `if` block.
 * They form the menu tree (via `list`/`next`/`parent`) and carry the
 * per-location properties. Also renders a node back to Kconfig syntax, which
 * Kconfiglib uses inside dependency-loop and undefined-symbol messages.
 */
import type { Choice } from './choice.ts';
import { type Expr, type Operand, escapeStr, exprItems, exprStr, standardScExprStr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import type { KSymbol } from './symbol.ts';
import { pySplitLines } from './pyutil.ts';

/** What a menu node stands for. `null` marks an `if` block (removed after parsing). */
export type MenuItem = KSymbol | Choice | 'menu' | 'comment' | null;

/** A node of the menu tree. */
export class MenuNode {
  item: MenuItem = null;
  /** Prompt text and its (propagated) condition. */
  prompt: readonly [text: string, cond: Expr] | null = null;
  help: string | null = null;
  /** Dependencies, including those propagated from parents. */
  dep: Expr;
  /** `visible if` condition (menus only). */
  visibility: Expr;
  filename = '';
  linenr = 0;
  /** Locations of the `source` statements that led to this node's file. */
  includePath: ReadonlyArray<readonly [string, number]> = [];
  isMenuconfig = false;
  list: MenuNode | null = null;
  next: MenuNode | null = null;
  parent: MenuNode | null = null;
  defaults: Array<readonly [Expr, Expr]> = [];
  selects: Array<readonly [KSymbol, Expr]> = [];
  implies: Array<readonly [KSymbol, Expr]> = [];
  ranges: Array<readonly [KSymbol, KSymbol, Expr]> = [];

  constructor(readonly kconfig: Kconfig) {
    this.dep = kconfig.y;
    this.visibility = kconfig.y;
  }

  /** Removes this node's own `dep` from a propagated condition, recovering what was written. */
  stripDep(e: Expr): Expr {
    if (this.dep === e) return this.kconfig.y;
    if (e.kind === 'and' && e.right === this.dep) return e.left;
    return e;
  }

  /** The prompt as written (without propagated dependencies). */
  get origPrompt(): readonly [string, Expr] | null {
    return this.prompt ? [this.prompt[0], this.stripDep(this.prompt[1])] : null;
  }

  get origDefaults(): Array<readonly [Expr, Expr]> {
    return this.defaults.map(([d, c]) => [d, this.stripDep(c)] as const);
  }

  get origSelects(): Array<readonly [KSymbol, Expr]> {
    return this.selects.map(([d, c]) => [d, this.stripDep(c)] as const);
  }

  get origImplies(): Array<readonly [KSymbol, Expr]> {
    return this.implies.map(([d, c]) => [d, this.stripDep(c)] as const);
  }

  get origRanges(): Array<readonly [KSymbol, KSymbol, Expr]> {
    return this.ranges.map(([l, h, c]) => [l, h, this.stripDep(c)] as const);
  }

  /** Every symbol and choice this node refers to. */
  get referenced(): Set<Operand> {
    const res = exprItems(this.dep);
    if (this.prompt) exprItems(this.prompt[1], res);
    if (this.item === 'menu') exprItems(this.visibility, res);
    for (const [v, c] of this.defaults) {
      exprItems(v, res);
      exprItems(c, res);
    }
    for (const [v, c] of [...this.selects, ...this.implies]) {
      res.add(v);
      exprItems(c, res);
    }
    for (const [l, h, c] of this.ranges) {
      res.add(l);
      res.add(h);
      exprItems(c, res);
    }
    return res;
  }

  /** The node in Kconfig syntax, with parent dependencies folded into `depends on`. */
  toString(): string {
    return this.customStr(standardScExprStr);
  }

  /** Like toString(), with a custom renderer for symbol/choice references. */
  customStr(f: (sc: Operand) => string): string {
    if (this.item === 'menu' || this.item === 'comment') return this.menuCommentStr(f);
    return this.symChoiceStr(f);
  }

  private menuCommentStr(f: (sc: Operand) => string): string {
    let s = `${this.item === 'menu' ? 'menu' : 'comment'} "${this.prompt![0]}"`;
    if (this.dep !== this.kconfig.y) s += `\n\tdepends on ${exprStr(this.dep, f)}`;
    if (this.item === 'menu' && this.visibility !== this.kconfig.y) s += `\n\tvisible if ${exprStr(this.visibility, f)}`;
    return s;
  }

  private symChoiceStr(f: (sc: Operand) => string): string {
    const sc = this.item as KSymbol | Choice;
    const y = this.kconfig.y;
    const lines: string[] = [];
    const add = (s: string): void => void lines.push('\t' + s);
    const addCond = (s: string, cond: Expr): void => add(cond !== y ? s + ' if ' + exprStr(cond, f) : s);
    if (sc.kind === 'symbol') lines.push((this.isMenuconfig ? 'menuconfig ' : 'config ') + sc.name);
    else lines.push(sc.name !== null ? 'choice ' + sc.name : 'choice');
    if (sc.origType !== 'unknown' && !this.prompt) add(sc.origType);
    if (this.prompt) {
      const prefix = sc.origType !== 'unknown' ? sc.origType : 'prompt';
      addCond(`${prefix} "${escapeStr(this.prompt[0])}"`, this.origPrompt![1]);
    }
    if (sc.kind === 'symbol') {
      if (sc.isAllnoconfigY) add('option allnoconfig_y');
      if (sc === sc.kconfig.defconfigList) add('option defconfig_list');
      if (sc.envVar !== null) add(`option env="${sc.envVar}"`);
      if (sc === sc.kconfig.modules) add('option modules');
      for (const [lo, hi, c] of this.origRanges) addCond(`range ${f(lo)} ${f(hi)}`, c);
    }
    for (const [d, c] of this.origDefaults) addCond('default ' + exprStr(d, f), c);
    if (sc.kind === 'choice' && sc.isOptional) add('optional');
    if (sc.kind === 'symbol') {
      for (const [s, c] of this.origSelects) addCond('select ' + f(s), c);
      for (const [s, c] of this.origImplies) addCond('imply ' + f(s), c);
    }
    if (this.dep !== y) add('depends on ' + exprStr(this.dep, f));
    if (this.help !== null) {
      add('help');
      for (const line of pySplitLines(this.help)) add('  ' + line);
    }
    return lines.join('\n');
  }
}
