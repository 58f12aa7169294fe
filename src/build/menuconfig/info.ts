/**
 * The symbol information screen, shared by `zsim config SYMBOL` and menuconfig's `?`: value, type,
 * prompt, where the value came from, dependencies with their current values (so a user sees why
 * a symbol is n), selects/implies both ways, defaults, ranges, help and the definition. Modelled on
 * Kconfiglib menuconfig's info dialog.
 */
import path from 'node:path';
import {
  Choice,
  exprStr,
  exprValue,
  KSymbol,
  splitExpr,
  TRI_TO_STR,
  type Expr,
  type Kconfig,
  type MenuNode,
  type Operand,
} from '../../kconfig/index.ts';
import { DEFINES_NAME, displayPath } from './session.ts';

/** userValueLoc filename menuconfig gives values set in the UI and not saved yet. */
export const UNSAVED = '<menuconfig>';

const tri = (e: Expr): string => TRI_TO_STR[exprValue(e)];

/** Kconfiglib menuconfig's `_name_and_val_str`: `FOO (=y)` for defined symbols, constants bare. */
export function nameAndValue(sc: Operand): string {
  if (sc instanceof Choice) return `${sc.name !== null ? `<choice ${sc.name}>` : '<choice>'} (=${sc.strValue})`;
  // Numbers in Kconfig are references to undefined symbols named like them: show them plainly.
  if (sc.isConstant || (sc.nodes.length === 0 && /^(-?\d+|0x[0-9a-f]+)$/i.test(sc.name))) return exprStr(sc);
  if (sc.nodes.length === 0) return `${sc.name} (undefined)`;
  return `${sc.name} (=${sc.origType === 'string' ? JSON.stringify(sc.strValue) : sc.strValue})`;
}

/** An expression with the value of every symbol in it. */
export function valuedExpr(e: Expr): string {
  return exprStr(e, nameAndValue);
}

/** The symbol names whose selects/implies are currently active in `rev` (value above n). */
function activeSelectors(rev: Expr, n: KSymbol): string[] {
  if (rev === n) return [];
  return splitExpr(rev, 'or')
    .filter((t) => exprValue(t) > 0)
    .map((t) => exprStr(splitExpr(t, 'and')[0]!));
}

/** Where a user value was assigned, with its preposition: `in FILE:LINE`, `on the command line (-D)`. */
function locText(loc: { filename: string; linenr: number }): string {
  if (loc.filename === UNSAVED) return 'in menuconfig (not saved yet)';
  if (loc.filename === DEFINES_NAME) return 'on the command line (-D)';
  return `in ${displayPath(loc.filename)}:${loc.linenr}`;
}

function userValueText(sym: KSymbol): string | null {
  const uv = sym.userValue;
  return uv === null ? null : typeof uv === 'number' ? TRI_TO_STR[uv] : uv;
}

/**
 * Where a symbol's value comes from, in a few words: `set in FILE:LINE`, `selected by X`,
 * `implied by X`, `default`, or why a user value did not take.
 */
export function originOf(kconf: Kconfig, sym: KSymbol): string {
  const uv = userValueText(sym);
  const where = sym.userValueLoc ? locText(sym.userValueLoc) : 'in a configuration file';
  const selectors = activeSelectors(sym.revDep, kconf.n);
  if (sym.choice) {
    const choice = sym.choice;
    if (choice.selection === sym) return choice.userSelection === sym && sym.userValueLoc ? `set ${where}` : `default selection of ${exprStr(choice)}`;
    if (choice.selection) return `${choice.selection.name} is selected in ${exprStr(choice)}`;
    return `${exprStr(choice)} is ${choice.strValue}`;
  }
  if (uv !== null && sym.visibility > 0 && uv === sym.strValue) return `set ${where}`;
  if (uv !== null && sym.nodes.some((n) => n.prompt)) {
    let why = 'it is not assignable';
    if (sym.visibility === 0) why = `its dependencies are not met (${valuedExpr(sym.directDep)})`;
    else if (selectors.length) why = `it is selected by ${selectors.join(', ')}`;
    else if (sym.ranges.length) why = 'it is outside the active range';
    return `set to ${JSON.stringify(uv)} ${where}, but ${why}`;
  }
  if (selectors.length) return `selected by ${selectors.join(', ')}`;
  const impliers = activeSelectors(sym.weakRevDep, kconf.n);
  if (impliers.length && exprValue(sym.directDep) > 0 && sym.triValue > 0) return `implied by ${impliers.join(', ')}`;
  return 'default';
}

/** The value a symbol would get from its `default`s alone (no user value, select or imply). */
export function plainDefault(sym: KSymbol): string {
  if (sym.choice) {
    const c = sym.choice;
    return c.triValue === 2 && c.selectionFromDefaults() === sym ? 'y' : 'n';
  }
  for (const [def, cond] of sym.defaults) {
    const c = exprValue(cond);
    if (!c) continue;
    if (sym.origType === 'bool' || sym.origType === 'tristate') {
      const v = Math.min(exprValue(def), c);
      return TRI_TO_STR[v === 1 && sym.type === 'bool' ? 2 : (v as 0 | 1 | 2)];
    }
    return (def as KSymbol).strValue;
  }
  return sym.origType === 'bool' || sym.origType === 'tristate' ? 'n' : '';
}

/** A `.config`-style `CONFIG_X=value` for display. */
export function configAssignment(kconf: Kconfig, sym: KSymbol): string {
  const line = sym.configString.trimEnd();
  if (line) return line.startsWith('#') ? `${kconf.configPrefix}${sym.name}=n` : line;
  return `${kconf.configPrefix}${sym.name}=${sym.strValue || '""'}`;
}

/**
 * `zsim config` without a symbol: every symbol in `.config` that a fragment assigned or whose
 * value differs from its plain default, with where its value comes from (`all`: every symbol),
 * plus assignments that had no effect because the symbol's dependencies are not met.
 */
export function changedValues(kconf: Kconfig, opts: { all?: boolean } = {}): string[] {
  const rows: Array<[string, string]> = [];
  for (const sym of kconf.uniqueDefinedSyms) {
    // Not in .config, but a fragment assigned it: exactly what users wonder about.
    const ignored = sym.userValue !== null && sym.nodes.some((n) => n.prompt) && sym.visibility === 0;
    if (!sym.configString && !ignored) continue;
    if (!opts.all && !ignored && sym.userValue === null && sym.strValue === plainDefault(sym)) continue;
    rows.push([configAssignment(kconf, sym), originOf(kconf, sym)]);
  }
  const width = Math.min(60, Math.max(0, ...rows.map(([a]) => a.length)));
  return rows.map(([a, o]) => `${a.padEnd(width)}  (${o})`);
}

/** `(Top) > Menu > Submenu` for the menu holding `node`. */
export function menuPath(kconf: Kconfig, node: MenuNode): string {
  const parts: string[] = [];
  for (let p = node.parent; p && p !== kconf.topNode; p = p.parent) {
    parts.unshift(p.prompt ? p.prompt[0] : p.item instanceof Choice ? exprStr(p.item) : '?');
  }
  return ['(Top)', ...parts].join(' > ');
}

function indentBlock(text: string, pad = '  '): string[] {
  return text.split('\n').map((l) => (l ? pad + l : ''));
}

function depLines(title: string, e: Expr): string[] {
  const terms = splitExpr(e, 'and');
  return [`${title} (=${tri(e)}):`, ...terms.map((t, i) => `  ${i ? '&& ' : ''}${valuedExpr(t)}`)];
}

function condSuffix(kconf: Kconfig, cond: Expr): string {
  return cond === kconf.y ? '' : ` if ${valuedExpr(cond)}`;
}

function revDepLines(kconf: Kconfig, title: string, rev: Expr): string[] {
  if (rev === kconf.n) return [];
  return [`${title} (=${tri(rev)}):`, ...splitExpr(rev, 'or').map((t) => `  - ${valuedExpr(t)}`)];
}

/** A Kconfig file name as the user can open it (the engine keeps them relative to $srctree). */
export function kconfigFile(kconf: Kconfig, filename: string): string {
  return displayPath(path.isAbsolute(filename) ? filename : path.resolve(kconf.srctree, filename));
}

function definitionLines(kconf: Kconfig, nodes: readonly MenuNode[]): string[] {
  const out: string[] = [];
  for (const n of nodes) {
    out.push('', `Defined at ${kconfigFile(kconf, n.filename)}:${n.linenr}`, `Menu path: ${menuPath(kconf, n)}`, '');
    // Tabs would break the alignment of a full-screen view.
    out.push(...indentBlock(n.toString().replace(/\t/g, '    ')));
  }
  return out;
}

function symbolLines(kconf: Kconfig, sym: KSymbol): string[] {
  const out = [`Symbol: ${kconf.configPrefix}${sym.name}`];
  const prompts = sym.nodes.flatMap((n) => (n.prompt ? [n.prompt[0]] : []));
  out.push(prompts.length ? `Prompt: ${prompts.join(' / ')}` : 'Prompt: (none: not user-configurable)');
  out.push(`Type: ${sym.type}`);
  out.push(`Value: ${sym.origType === 'string' ? JSON.stringify(sym.strValue) : sym.strValue || '(empty)'}`);
  out.push(`Origin: ${originOf(kconf, sym)}`);
  if (sym.choice) out.push(`Choice: ${exprStr(sym.choice)} (mode ${sym.choice.strValue})`);
  const assignable = sym.assignable.map((t) => TRI_TO_STR[t]).join(' ');
  out.push(`Visible: ${TRI_TO_STR[sym.visibility]}${assignable ? `, assignable: ${assignable}` : ''}`);
  if (!sym.configString) out.push('Not written to .config (no active prompt or default)');
  out.push('', ...depLines('Direct dependencies', sym.directDep));
  if (sym.defaults.length) {
    out.push('', 'Defaults:');
    for (const [v, c] of sym.defaults) out.push(`  - ${valuedExpr(v)}${condSuffix(kconf, c)}${exprValue(c) ? '' : '  (inactive)'}`);
  }
  if (sym.ranges.length) {
    out.push('', 'Range:');
    let active = false;
    for (const [lo, hi, c] of sym.ranges) {
      const on: boolean = !active && exprValue(c) > 0;
      active ||= on;
      out.push(`  - [${lo.strValue}, ${hi.strValue}]${condSuffix(kconf, c)}${on ? '  (active)' : ''}`);
    }
  }
  if (sym.selects.length || sym.implies.length) {
    out.push('');
    for (const [t, c] of sym.selects) out.push(`Selects ${nameAndValue(t)}${condSuffix(kconf, c)}`);
    for (const [t, c] of sym.implies) out.push(`Implies ${nameAndValue(t)}${condSuffix(kconf, c)}`);
  }
  const rev = [...revDepLines(kconf, 'Selected by', sym.revDep), ...revDepLines(kconf, 'Implied by', sym.weakRevDep)];
  if (rev.length) out.push('', ...rev);
  const help = sym.nodes.flatMap((n) => (n.help !== null ? [n.help] : []));
  if (help.length) out.push('', 'Help:', ...help.flatMap((h) => indentBlock(h)));
  out.push(...definitionLines(kconf, sym.nodes));
  return out;
}

function choiceLines(kconf: Kconfig, choice: Choice): string[] {
  const prompts = choice.nodes.flatMap((n) => (n.prompt ? [n.prompt[0]] : []));
  const out = [`Choice: ${exprStr(choice)}`, `Prompt: ${prompts.join(' / ') || '(none)'}`, `Type: ${choice.type}`, `Mode: ${choice.strValue}`];
  out.push(`Selection: ${choice.selection ? `${choice.selection.name} (${originOf(kconf, choice.selection)})` : '(none)'}`);
  out.push('', 'Symbols:', ...choice.syms.map((s) => `  ${choice.selection === s ? '(X)' : '( )'} ${s.name}${s.visibility ? '' : '  (not visible)'}`));
  out.push('', ...depLines('Direct dependencies', choice.directDep));
  if (choice.defaults.length) {
    out.push('', 'Defaults:');
    for (const [v, c] of choice.defaults) out.push(`  - ${valuedExpr(v)}${condSuffix(kconf, c)}`);
  }
  const help = choice.nodes.flatMap((n) => (n.help !== null ? [n.help] : []));
  if (help.length) out.push('', 'Help:', ...help.flatMap((h) => indentBlock(h)));
  out.push(...definitionLines(kconf, choice.nodes));
  return out;
}

/** The information screen for any menu node (symbol, choice, menu or comment). */
export function nodeInfo(kconf: Kconfig, node: MenuNode): string[] {
  const item = node.item;
  if (item instanceof KSymbol) return symbolLines(kconf, item);
  if (item instanceof Choice) return choiceLines(kconf, item);
  const out = [`${item === 'comment' ? 'Comment' : 'Menu'}: ${node.prompt ? node.prompt[0] : ''}`];
  out.push('', ...depLines('Dependencies', node.dep));
  if (item === 'menu' && node.visibility !== kconf.y) out.push(`Visible if (=${tri(node.visibility)}): ${valuedExpr(node.visibility)}`);
  if (node.help) out.push('', 'Help:', ...indentBlock(node.help));
  out.push(...definitionLines(kconf, [node]));
  return out;
}

/** The information screen for a symbol by name, or undefined when it is not defined. */
export function symbolInfoLines(kconf: Kconfig, name: string): string[] | undefined {
  const sym = kconf.symbol(name);
  if (!sym || sym.nodes.length === 0) return undefined;
  return symbolLines(kconf, sym);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** Defined symbol names close to `name` (typos, or a part of the name), best first. */
export function suggestNames(kconf: Kconfig, name: string, max = 3): string[] {
  const q = name.toUpperCase();
  const scored: Array<[number, string]> = [];
  for (const sym of kconf.uniqueDefinedSyms) {
    const d = editDistance(q, sym.name);
    if (d <= Math.max(2, Math.floor(q.length / 4))) scored.push([d, sym.name]);
    else if (q.length >= 3 && sym.name.includes(q)) scored.push([d + 100, sym.name]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.slice(0, max).map(([, n]) => n);
}
