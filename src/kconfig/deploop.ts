/**
 * Dependency-loop detection: a depth-first search over the dependents graph
 * that reports the loop the way Kconfiglib does ("Dependency loop" followed
 * by each item's definition).
 */
import { Choice } from './choice.ts';
import { firstLoc } from './checks.ts';
import { KconfigError } from './errors.ts';
import { exprStr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import type { KSymbol } from './symbol.ts';

type Item = KSymbol | Choice;

/** Throws a KconfigError naming the first dependency loop found, if any. */
export function checkDependencyLoops(kconf: Kconfig): void {
  for (const sym of kconf.uniqueDefinedSyms) checkSym(sym, false);
}

// _visited: 0 = unvisited, 1 = on the current path (maybe in a loop), 2 = known loop-free.
function checkSym(sym: KSymbol, ignoreChoice: boolean): Item[] | null {
  if (sym.visited === 0) {
    sym.visited = 1;
    for (const dep of sym.dependents) {
      const loop = dep instanceof Choice ? checkChoice(dep, null) : checkSym(dep, false);
      if (loop) return foundLoop(loop, sym);
    }
    if (sym.choice && !ignoreChoice) {
      const loop = checkChoice(sym.choice, sym);
      if (loop) return foundLoop(loop, sym);
    }
    sym.visited = 2;
    return null;
  }
  if (sym.visited === 2) return null;
  return [sym];
}

function checkChoice(choice: Choice, skip: KSymbol | null): Item[] | null {
  if (choice.visited === 0) {
    choice.visited = 1;
    // Entered via choice symbol `skip`: revisiting it would be a false '<sym> -> <choice> -> <sym>' loop.
    for (const sym of choice.syms) {
      if (sym !== skip) {
        const loop = checkSym(sym, true);
        if (loop) return foundLoop(loop, choice);
      }
    }
    choice.visited = 2;
    return null;
  }
  if (choice.visited === 2) return null;
  return [choice];
}

function foundLoop(loop: Item[], cur: Item): Item[] {
  if (cur !== loop[0]) return [...loop, cur];
  let msg = '\nDependency loop\n===============\n\n';
  for (const item of loop) {
    if (item !== loop[0]) {
      msg += '...depends on ';
      if (item.kind === 'symbol' && item.choice) msg += 'the choice symbol ';
    }
    msg += `${item.nameAndLoc}, with definition...\n\n${item.toString()}\n\n`;
    // Selecting symbols can vanish from the loop description (select
    // conditions become plain dependencies), so always show them.
    if (item.kind === 'symbol') {
      if (item.revDep !== item.kconfig.n) msg += `(select-related dependencies: ${exprStr(item.revDep)})\n\n`;
      // Kconfiglib prints rev_dep here too (sic).
      if (item.weakRevDep !== item.kconfig.n) msg += `(imply-related dependencies: ${exprStr(item.revDep)})\n\n`;
    }
  }
  msg += '...depends again on ' + loop[0]!.nameAndLoc;
  throw new KconfigError(msg, firstLoc(loop[0]!));
}
