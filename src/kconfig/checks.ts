/**
 * Post-parse sanity checks (with Kconfiglib's warning texts), the dependents
 * graph used for cache invalidation, and the optional undefined-symbol scan.
 */
import type { Choice } from './choice.ts';
import { isBoolTri, isIntHex, typeBase } from './constants.ts';
import { type ErrorLocation, KconfigError } from './errors.ts';
import { type Expr, exprStr, splitExpr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import { isBaseN, parsePyInt, pyIsUpper } from './pyutil.ts';
import type { KSymbol } from './symbol.ts';

/** Where an item is first defined, for error locations. */
export function firstLoc(sc: KSymbol | Choice): ErrorLocation | undefined {
  const n = sc.nodes[0];
  return n ? { filename: n.filename, linenr: n.linenr } : undefined;
}

function numOk(sym: KSymbol, type: 'int' | 'hex'): boolean {
  // Symbols without nodes are constants or undefined (e.g. a plain 123).
  if (sym.nodes.length === 0) return isBaseN(sym.name, typeBase(type));
  return sym.origType === type;
}

/** Kconfiglib's _check_sym_sanity(). */
export function checkSymSanity(kconf: Kconfig): void {
  for (const sym of kconf.uniqueDefinedSyms) {
    const t = sym.origType;
    if (isBoolTri(t)) {
      for (const [target] of sym.selects) {
        if (!isBoolTri(target.origType) && target.origType !== 'unknown') {
          kconf.warn(`${sym.nameAndLoc} selects the ${target.origType} symbol ${target.nameAndLoc}, which is not bool or tristate`);
        }
      }
      for (const [target] of sym.implies) {
        if (!isBoolTri(target.origType) && target.origType !== 'unknown') {
          kconf.warn(`${sym.nameAndLoc} implies the ${target.origType} symbol ${target.nameAndLoc}, which is not bool or tristate`);
        }
      }
    } else if (t !== 'unknown') {
      for (const [def] of sym.defaults) {
        if (def.kind !== 'symbol') {
          throw new KconfigError(
            `the ${t} symbol ${sym.nameAndLoc} has a malformed default ${exprStr(def)} -- expected a single symbol`,
            firstLoc(sym),
          );
        }
        if (t === 'string') {
          // 'default foo' is probably missing quotes unless foo looks like a symbol name.
          if (!def.isConstant && def.nodes.length === 0 && !pyIsUpper(def.name)) {
            kconf.warn('style: quotes recommended around default value for string symbol ' + sym.nameAndLoc);
          }
        } else if (!numOk(def, t as 'int' | 'hex')) {
          kconf.warn(`the ${t} symbol ${sym.nameAndLoc} has a non-${t} default ${def.nameAndLoc}`);
        }
      }
      if (sym.selects.length || sym.implies.length) kconf.warn(`the ${t} symbol ${sym.nameAndLoc} has selects or implies`);
    } else {
      kconf.warn(`${sym.nameAndLoc} defined without a type`);
    }
    if (sym.ranges.length) {
      if (!isIntHex(t)) {
        kconf.warn(`the ${t} symbol ${sym.nameAndLoc} has ranges, but is not int or hex`);
      } else {
        for (const [low, high] of sym.ranges) {
          if (!numOk(low, t) || !numOk(high, t)) {
            kconf.warn(`the ${t} symbol ${sym.nameAndLoc} has a non-${t} range [${low.nameAndLoc}, ${high.nameAndLoc}]`);
          }
        }
      }
    }
  }
}

/** Kconfiglib's _check_choice_sanity(). */
export function checkChoiceSanity(kconf: Kconfig): void {
  const warnSelectImply = (sym: KSymbol, e: Expr, what: string): void => {
    let msg = `the choice symbol ${sym.nameAndLoc} is ${what} by the following symbols, but select/imply has no effect on choice symbols`;
    for (const si of splitExpr(e, 'or')) msg += '\n - ' + (splitExpr(si, 'and')[0] as KSymbol).nameAndLoc;
    kconf.warn(msg);
  };
  for (const choice of kconf.uniqueChoices) {
    if (!isBoolTri(choice.origType)) kconf.warn(`${choice.nameAndLoc} defined with type ${choice.origType}`);
    if (!choice.nodes.some((n) => n.prompt)) kconf.warn(choice.nameAndLoc + ' defined without a prompt');
    for (const [def] of choice.defaults) {
      if (def.kind !== 'symbol') {
        throw new KconfigError(`${choice.nameAndLoc} has a malformed default ${exprStr(def)}`, firstLoc(choice));
      }
      if (def.choice !== choice) {
        kconf.warn(`the default selection ${def.nameAndLoc} of ${choice.nameAndLoc} is not contained in the choice`);
      }
    }
    for (const sym of choice.syms) {
      if (sym.defaults.length) {
        kconf.warn(`default on the choice symbol ${sym.nameAndLoc} will have no effect, as defaults do not affect choice symbols`);
      }
      if (sym.revDep !== kconf.n) warnSelectImply(sym, sym.revDep, 'selected');
      if (sym.weakRevDep !== kconf.n) warnSelectImply(sym, sym.weakRevDep, 'implied');
      for (const node of sym.nodes) {
        if (node.parent?.item === choice) {
          if (!node.prompt) kconf.warn(`the choice symbol ${sym.nameAndLoc} has no prompt`);
        } else if (node.prompt) {
          kconf.warn(`the choice symbol ${sym.nameAndLoc} is defined with a prompt outside the choice`);
        }
      }
    }
  }
}

function dependOn(sc: KSymbol | Choice, e: Expr): void {
  switch (e.kind) {
    case 'symbol':
    case 'choice':
      if (!e.isConstant) e.dependents.add(sc);
      return;
    case 'not':
      dependOn(sc, e.operand);
      return;
    default:
      dependOn(sc, e.left);
      dependOn(sc, e.right);
  }
}

/** Kconfiglib's _build_dep(): records which items must be invalidated when a symbol changes. */
export function buildDependents(kconf: Kconfig): void {
  for (const sym of kconf.uniqueDefinedSyms) {
    for (const node of sym.nodes) if (node.prompt) dependOn(sym, node.prompt[1]);
    for (const [v, c] of sym.defaults) {
      dependOn(sym, v);
      dependOn(sym, c);
    }
    dependOn(sym, sym.revDep);
    dependOn(sym, sym.weakRevDep);
    for (const [l, h, c] of sym.ranges) {
      dependOn(sym, l);
      dependOn(sym, h);
      dependOn(sym, c);
    }
    // Needed for 'imply', which looks at direct deps even without properties to carry them.
    dependOn(sym, sym.directDep);
  }
  for (const choice of kconf.uniqueChoices) {
    for (const node of choice.nodes) if (node.prompt) dependOn(choice, node.prompt[1]);
    for (const [, c] of choice.defaults) dependOn(choice, c);
  }
}

/** Choice symbols can change a choice's selection; added after loop detection, which they would confuse. */
export function addChoiceDeps(kconf: Kconfig): void {
  for (const choice of kconf.uniqueChoices) for (const sym of choice.syms) sym.dependents.add(choice);
}

function isNum(s: string): boolean {
  if (parsePyInt(s, 10) !== null) return true;
  return (s.startsWith('0x') || s.startsWith('0X')) && parsePyInt(s, 16) !== null;
}

/** Kconfiglib's _check_undef_syms() (enabled by KCONFIG_WARN_UNDEF=y). */
export function checkUndefSyms(kconf: Kconfig): void {
  for (const sym of kconf.syms.values()) {
    if (sym.nodes.length === 0 && !isNum(sym.name) && sym.name !== 'MODULES') {
      let msg = `undefined symbol ${sym.name}:`;
      for (const node of kconf.nodeIter()) {
        if (node.referenced.has(sym)) msg += `\n\n- Referenced at ${node.filename}:${node.linenr}:\n\n${node.toString()}`;
      }
      kconf.warn(msg);
    }
  }
}
