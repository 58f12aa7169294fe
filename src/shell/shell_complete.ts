/**
 * Tab completion, after Zephyr's `tab_prepare`/`find_completion_candidates` (`shell.c`): the words
 * before the cursor are followed down the command tree; the word under the cursor (empty after a
 * space) is completed against the commands of the level reached.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { makeArgv } from './shell_argv.ts';
import { findCommand, levelEntries } from './shell_registry.ts';
import type { ShellStaticEntry } from './shell_types.ts';

/** What Tab can do with the text before the cursor. */
export interface Completion {
  /** The partial word being completed (may be empty). */
  readonly word: string;
  /** Command names of the level that start with `word`, in the level's order. */
  readonly candidates: readonly string[];
  /** Characters to insert: the rest of the only candidate, or the candidates' common prefix. */
  readonly insert: string;
  /** True when exactly one candidate matched: Tab also adds a space after it. */
  readonly unique: boolean;
}

const NONE: Completion = { word: '', candidates: [], insert: '', unique: false };

/** Length of the common prefix of `a` and `b`. */
function common(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Completes the last word of `before` (the command line up to the cursor) on board `k`. */
export function complete(k: Kernel, before: string): Completion {
  const { argv, openQuote } = makeArgv(before);
  if (openQuote !== null) return NONE;
  const endsWithSpace = before.length > 0 && /\s$/.test(before);
  const path = endsWithSpace ? argv : argv.slice(0, -1);
  const word = endsWithSpace || argv.length === 0 ? '' : argv[argv.length - 1]!;
  let parent: ShellStaticEntry | null = null;
  for (const w of path) {
    const e = findCommand(k, parent, w);
    if (!e) return NONE;
    parent = e;
  }
  const candidates = levelEntries(k, parent)
    .map((e) => e.syntax)
    .filter((s) => s.startsWith(word));
  if (candidates.length === 0) return { ...NONE, word };
  if (candidates.length === 1) return { word, candidates, insert: candidates[0]!.slice(word.length), unique: true };
  let len = candidates[0]!.length;
  for (const c of candidates.slice(1)) len = Math.min(len, common(candidates[0]!, c));
  return { word, candidates, insert: candidates[0]!.slice(word.length, len), unique: false };
}

/**
 * The candidate list as Zephyr's `tab_options_print` lays it out: rows of names padded to the
 * longest plus two spaces, each row starting with a newline and two spaces, as many per row as
 * fit in `width` columns. The caller then moves to a new line and reprints the prompt.
 */
export function formatCandidates(candidates: readonly string[], width: number): string {
  const tab = '  ';
  const longest = candidates.reduce((m, c) => Math.max(m, c.length), 0) + tab.length;
  const columns = Math.max(1, Math.floor((width - tab.length) / longest));
  let out = '';
  candidates.forEach((c, i) => {
    const last = i === candidates.length - 1 || (i + 1) % columns === 0;
    out += (i % columns === 0 ? `\n${tab}` : '') + (last ? c : c.padEnd(longest));
  });
  return out;
}
