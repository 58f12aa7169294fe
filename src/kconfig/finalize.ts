/**
 * Post-parse menu tree processing: copies properties up to symbols and
 * choices, propagates `depends on`/`if`/menu dependencies (and `visible if`)
 * down to properties, builds select/imply reverse dependencies, creates
 * implicit submenus and removes `if` nodes. Port of Kconfiglib's
 * _finalize_node() family, whose exact expression shapes show up in messages.
 */
import { Choice } from './choice.ts';
import { type Expr, makeAnd, makeOr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import type { MenuNode } from './menunode.ts';
import { KSymbol } from './symbol.ts';

/** Finalizes `node` and its children. `visibleIf` is the accumulated `visible if` of enclosing menus. */
export function finalizeNode(kconf: Kconfig, node: MenuNode, visibleIf: Expr): void {
  const and = (a: Expr, b: Expr): Expr => makeAnd(a, b, kconf.y, kconf.n);
  if (node.item instanceof KSymbol) {
    addPropsToSym(kconf, node);
    // Following nodes that depend on this symbol go into an implicit submenu under it.
    let cur = node;
    while (cur.next && autoMenuDep(node, cur.next)) {
      finalizeNode(kconf, cur.next, visibleIf);
      cur = cur.next;
      cur.parent = node;
    }
    if (cur !== node) {
      node.list = node.next;
      node.next = cur.next;
      cur.next = null;
    }
  } else if (node.list) {
    if (node.item === 'menu') visibleIf = and(visibleIf, node.visibility);
    // Before recursing, so implicit submenu creation can look ahead at dependencies.
    propagateDeps(kconf, node, visibleIf);
    let cur: MenuNode | null = node.list;
    while (cur) {
      finalizeNode(kconf, cur, visibleIf);
      cur = cur.next;
    }
  }
  if (node.list) {
    flatten(node.list);
    removeIfs(node);
  }
  if (node.item instanceof Choice) {
    const choice = node.item;
    choice.directDep = makeOr(choice.directDep, node.dep, kconf.y, kconf.n);
    choice.defaults = [...choice.defaults, ...node.defaults];
    finalizeChoice(node);
  }
}

function propagateDeps(kconf: Kconfig, node: MenuNode, visibleIf: Expr): void {
  const and = (a: Expr, b: Expr): Expr => makeAnd(a, b, kconf.y, kconf.n);
  // Inside a choice, the choice itself (its mode) is the parent dependency.
  const basedep: Expr = node.item instanceof Choice ? node.item : node.dep;
  let cur = node.list;
  while (cur) {
    const dep = (cur.dep = and(cur.dep, basedep));
    if (cur.item instanceof KSymbol || cur.item instanceof Choice) {
      if (cur.prompt) cur.prompt = [cur.prompt[0], and(cur.prompt[1], and(visibleIf, dep))];
      if (cur.defaults.length) cur.defaults = cur.defaults.map(([d, c]) => [d, and(c, dep)] as const);
      if (cur.ranges.length) cur.ranges = cur.ranges.map(([l, h, c]) => [l, h, and(c, dep)] as const);
      if (cur.selects.length) cur.selects = cur.selects.map(([t, c]) => [t, and(c, dep)] as const);
      if (cur.implies.length) cur.implies = cur.implies.map(([t, c]) => [t, and(c, dep)] as const);
    } else if (cur.prompt) {
      // 'visible if' only applies to symbols and choices.
      cur.prompt = [cur.prompt[0], and(cur.prompt[1], dep)];
    }
    cur = cur.next;
  }
}

function addPropsToSym(kconf: Kconfig, node: MenuNode): void {
  const { y, n } = kconf;
  const sym = node.item as KSymbol;
  sym.directDep = makeOr(sym.directDep, node.dep, y, n);
  sym.defaults = [...sym.defaults, ...node.defaults];
  sym.ranges = [...sym.ranges, ...node.ranges];
  sym.selects = [...sym.selects, ...node.selects];
  sym.implies = [...sym.implies, ...node.implies];
  for (const [target, cond] of node.selects) target.revDep = makeOr(target.revDep, makeAnd(sym, cond, y, n), y, n);
  for (const [target, cond] of node.implies) target.weakRevDep = makeOr(target.weakRevDep, makeAnd(sym, cond, y, n), y, n);
}

/** mconf's expr_depends_symbol(): does `e` require `sym` to be non-n? */
function exprDependsOn(e: Expr, sym: KSymbol | Choice): boolean {
  if (e.kind === 'symbol' || e.kind === 'choice') return e === sym;
  if (e.kind === 'rel' && (e.op === '=' || e.op === '!=')) {
    let left: Expr = e.left;
    let right: Expr = e.right;
    if (right === sym) [left, right] = [right, left];
    else if (left !== sym) return false;
    const k = sym.kconfig;
    return (e.op === '=' && (right === k.m || right === k.y)) || (e.op === '!=' && right === k.n);
  }
  return e.kind === 'and' && (exprDependsOn(e.left, sym) || exprDependsOn(e.right, sym));
}

function autoMenuDep(node1: MenuNode, node2: MenuNode): boolean {
  return exprDependsOn(node2.prompt ? node2.prompt[1] : node2.dep, node1.item as KSymbol);
}

/** Hoists the children of promptless non-choice nodes (ifs, invisible symbols) up a level. */
function flatten(node: MenuNode | null): void {
  while (node) {
    if (node.list && !node.prompt && !(node.item instanceof Choice)) {
      let last = node.list;
      for (;;) {
        last.parent = node.parent;
        if (!last.next) break;
        last = last.next;
      }
      last.next = node.next;
      node.next = node.list;
      node.list = null;
    }
    node = node.next;
  }
}

function removeIfs(node: MenuNode): void {
  let cur = node.list;
  while (cur && !cur.item) cur = cur.next;
  node.list = cur;
  while (cur) {
    let next = cur.next;
    while (next && !next.item) next = next.next;
    cur.next = next;
    cur = next;
  }
}

function finalizeChoice(node: MenuNode): void {
  const choice = node.item as Choice;
  let cur = node.list;
  while (cur) {
    if (cur.item instanceof KSymbol) {
      cur.item.choice = choice;
      choice.syms.push(cur.item);
    }
    cur = cur.next;
  }
  // An untyped choice takes the type of its first typed symbol, and untyped symbols take the choice's.
  if (choice.origType === 'unknown') {
    for (const s of choice.syms) {
      if (s.origType !== 'unknown') {
        choice.origType = s.origType;
        break;
      }
    }
  }
  for (const s of choice.syms) if (s.origType === 'unknown') s.origType = choice.origType;
}
