/**
 * The loading pipeline run by the Kconfig constructor: parse, finalize the
 * menu tree, sanity-check, build the dependents graph, detect loops.
 */
import { addChoiceDeps, buildDependents, checkChoiceSanity, checkSymSanity, checkUndefSyms } from './checks.ts';
import { checkDependencyLoops } from './deploop.ts';
import { finalizeNode } from './finalize.ts';
import type { Kconfig } from './kconfig.ts';
import { Parser } from './parser.ts';

function orderedUnique<X>(xs: readonly X[]): X[] {
  return [...new Set(xs)];
}

/** Parses `filename` into `kconf` and prepares it for value calculation. */
export function parseKconfigTree(kconf: Kconfig, filename: string): void {
  new Parser(kconf).parseTop(filename);
  kconf.parsingKconfigs = false;
  finalizeNode(kconf, kconf.topNode, kconf.y);
  kconf.uniqueDefinedSyms = orderedUnique(kconf.definedSyms);
  kconf.uniqueChoices = orderedUnique(kconf.choices);
  checkSymSanity(kconf);
  checkChoiceSanity(kconf);
  if (kconf.env['KCONFIG_WARN_UNDEF'] === 'y' || kconf.env['KCONFIG_STRICT'] === 'y') checkUndefSyms(kconf);
  buildDependents(kconf);
  checkDependencyLoops(kconf);
  addChoiceDeps(kconf);
}
