/**
 * Plain-data views of a loaded tree for UIs and diagnostics: the menu tree
 * (for a menuconfig) and a per-symbol information record.
 */
import { Choice } from './choice.ts';
import { type SymType, type Tri, TRI_TO_STR } from './constants.ts';
import { type Expr, exprStr, exprValue, splitExpr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import type { MenuNode } from './menunode.ts';
import { KSymbol } from './symbol.ts';

/** A file location. */
export interface Location {
  readonly filename: string;
  readonly linenr: number;
}

/** An expression rendered in Kconfig syntax with its current value. */
export interface ExprWithValue {
  readonly expr: string;
  readonly value: 'n' | 'm' | 'y';
}

/** One node of the menu tree. */
export interface MenuTreeNode {
  readonly kind: 'menu' | 'comment' | 'symbol' | 'choice';
  /** Symbol name, or choice name (null for anonymous choices, menus and comments). */
  readonly name: string | null;
  readonly prompt: string | null;
  /** Type of the symbol or choice. */
  readonly type: SymType | null;
  /** Whether the prompt is currently shown (prompt condition, including parent deps, is not n). */
  readonly visible: boolean;
  /** Current value ("n"/"m"/"y" for bool/tristate symbols and choice modes). */
  readonly value: string | null;
  readonly help: string | null;
  readonly definedAt: Location;
  /** Locations of the `source` statements leading to the node's file. */
  readonly includePath: readonly Location[];
  /** Dependencies of this location, including propagated parent dependencies. */
  readonly dependsOn: ExprWithValue;
  /** `visible if` condition (menus only). */
  readonly visibleIf: ExprWithValue | null;
  readonly isMenuconfig: boolean;
  readonly children: MenuTreeNode[];
}

/** Everything about one symbol, for "why is this not set?" questions. */
export interface SymbolInfo {
  readonly name: string;
  readonly type: SymType;
  /** Current value as written to .config (without quotes). */
  readonly value: string;
  /** Tristate value for bool/tristate symbols. */
  readonly triValue: Tri | null;
  /** User value as assigned ("y"/"n"/"m" for bool/tristate), or null. */
  readonly userValue: string | null;
  /** Where the user value was assigned (.config/fragment file and line). */
  readonly userValueSetAt: Location | null;
  readonly visibility: 'n' | 'm' | 'y';
  readonly assignable: ReadonlyArray<'n' | 'm' | 'y'>;
  readonly definedAt: readonly Location[];
  readonly prompts: readonly string[];
  /** Help texts, one per definition that has one. */
  readonly help: readonly string[];
  /** Direct dependencies (OR of all definitions) and their top-level AND terms. */
  readonly directDeps: ExprWithValue & { readonly terms: readonly ExprWithValue[] };
  /** Each `select` of this symbol, as `SELECTOR [&& COND]`, with its value. */
  readonly selectedBy: readonly ExprWithValue[];
  /** Each `imply` of this symbol, as `IMPLIER [&& COND]`, with its value. */
  readonly impliedBy: readonly ExprWithValue[];
  readonly defaults: ReadonlyArray<{ readonly value: string; readonly condition: ExprWithValue }>;
  readonly ranges: ReadonlyArray<{ readonly low: string; readonly high: string; readonly condition: ExprWithValue }>;
  /** Name of the containing choice ("<choice>" when anonymous), or null. */
  readonly choice: string | null;
  /** Whether the symbol gets a line in .config. */
  readonly inConfig: boolean;
}

function ev(e: Expr): ExprWithValue {
  return { expr: exprStr(e), value: TRI_TO_STR[exprValue(e)] };
}

function loc(n: MenuNode): Location {
  return { filename: n.filename, linenr: n.linenr };
}

function toTree(kconf: Kconfig, node: MenuNode): MenuTreeNode {
  const children: MenuTreeNode[] = [];
  for (let c = node.list; c; c = c.next) children.push(toTree(kconf, c));
  const item = node.item;
  const isSc = item instanceof KSymbol || item instanceof Choice;
  return {
    kind: item instanceof KSymbol ? 'symbol' : item instanceof Choice ? 'choice' : item === 'comment' ? 'comment' : 'menu',
    name: isSc ? item.name : null,
    prompt: node.prompt ? node.prompt[0] : null,
    type: isSc ? item.type : null,
    visible: node.prompt !== null && exprValue(node.prompt[1]) !== 0,
    value: isSc ? item.strValue : null,
    help: node.help,
    definedAt: loc(node),
    includePath: node.includePath.map(([filename, linenr]) => ({ filename, linenr })),
    dependsOn: ev(node.dep),
    visibleIf: item === 'menu' ? ev(node.visibility) : null,
    isMenuconfig: node.isMenuconfig,
    children,
  };
}

/** The whole menu tree, rooted at the main menu. */
export function buildMenuTree(kconf: Kconfig): MenuTreeNode {
  return toTree(kconf, kconf.topNode);
}

/** Information about symbol `name`, or undefined if it was never referenced. */
export function symbolInfo(kconf: Kconfig, name: string): SymbolInfo | undefined {
  const sym = kconf.syms.get(name);
  if (!sym) return undefined;
  const uv = sym.userValue;
  const n = kconf.n;
  return {
    name: sym.name,
    type: sym.type,
    value: sym.strValue,
    triValue: sym.origType === 'bool' || sym.origType === 'tristate' ? sym.triValue : null,
    userValue: uv === null ? null : typeof uv === 'number' ? TRI_TO_STR[uv] : uv,
    userValueSetAt: sym.userValueLoc,
    visibility: TRI_TO_STR[sym.visibility],
    assignable: sym.assignable.map((t) => TRI_TO_STR[t]),
    definedAt: sym.nodes.map(loc),
    prompts: sym.nodes.flatMap((nd) => (nd.prompt ? [nd.prompt[0]] : [])),
    help: sym.nodes.flatMap((nd) => (nd.help !== null ? [nd.help] : [])),
    directDeps: { ...ev(sym.directDep), terms: splitExpr(sym.directDep, 'and').map(ev) },
    selectedBy: sym.revDep === n ? [] : splitExpr(sym.revDep, 'or').map(ev),
    impliedBy: sym.weakRevDep === n ? [] : splitExpr(sym.weakRevDep, 'or').map(ev),
    defaults: sym.defaults.map(([v, c]) => ({ value: exprStr(v), condition: ev(c) })),
    ranges: sym.ranges.map(([l, h, c]) => ({ low: exprStr(l), high: exprStr(h), condition: ev(c) })),
    choice: sym.choice ? (sym.choice.name ?? '<choice>') : null,
    inConfig: sym.configString !== '',
  };
}
