/**
 * menuconfig's `/` (jump to): Kconfiglib's search. The query is split on spaces into regular
 * expressions that must all match, case-insensitively, the name or the prompt of a symbol or
 * choice, or the prompt of a menu or comment.
 */
import { Choice, exprStr, KSymbol, type Kconfig, type MenuNode } from '../../kconfig/index.ts';
import { menuPath, nameAndValue } from './info.ts';

/** Search results, or why the query is not a valid expression. */
export interface SearchResult {
  nodes: MenuNode[];
  error: string | null;
}

const byName = (a: { name: string | null }, b: { name: string | null }): number => (a.name ?? '').localeCompare(b.name ?? '');

/** Every menu node, in Kconfiglib's search order: symbols by name, choices, then menus and comments by prompt. */
function searchOrder(kconf: Kconfig): MenuNode[] {
  const syms = [...kconf.uniqueDefinedSyms].sort(byName);
  const choices = kconf.uniqueChoices.filter((c) => c.name !== null).sort(byName);
  const anon = kconf.uniqueChoices.filter((c) => c.name === null);
  const menus = [...kconf.menus, ...kconf.comments].sort((a, b) => a.prompt![0].localeCompare(b.prompt![0]));
  return [...syms.flatMap((s) => s.nodes), ...[...choices, ...anon].flatMap((c) => c.nodes), ...menus];
}

/** Runs a search. An exact symbol-name match comes first (the usual reason to search). */
export function searchNodes(kconf: Kconfig, query: string): SearchResult {
  let tests: RegExp[];
  try {
    tests = query
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      // People paste names from .config files: a CONFIG_ prefix is not part of the name.
      .map((q) => new RegExp(q.replace(/^CONFIG_/i, ''), 'i'));
  } catch (e) {
    return { nodes: [], error: `Bad regular expression: ${(e as Error).message}` };
  }
  const matches: MenuNode[] = [];
  for (const node of searchOrder(kconf)) {
    const item = node.item;
    const name = item instanceof KSymbol || item instanceof Choice ? item.name : null;
    const prompt = node.prompt ? node.prompt[0] : null;
    if (tests.every((t) => (name !== null && t.test(name)) || (prompt !== null && t.test(prompt)))) matches.push(node);
  }
  const exact = query.trim().toUpperCase().replace(/^CONFIG_/, '');
  const first = matches.filter((n) => n.item instanceof KSymbol && n.item.name === exact);
  return { nodes: [...first, ...matches.filter((n) => !first.includes(n))], error: null };
}

/** One result line: `NAME (=value) "Prompt"  [(Top) > Menu]`. */
export function resultText(kconf: Kconfig, node: MenuNode): string {
  const item = node.item;
  const prompt = node.prompt ? ` "${node.prompt[0]}"` : '';
  let head: string;
  if (item instanceof KSymbol) head = nameAndValue(item);
  else if (item instanceof Choice) head = `${exprStr(item)} (=${item.strValue})`;
  else head = item === 'comment' ? 'comment' : 'menu';
  return `${head}${prompt}  [${menuPath(kconf, node)}]`;
}
