/**
 * Two corrections to what yargs parsed, applied before any command sees its arguments:
 *
 * - a single-valued option given more than once keeps its last value (`--time 5 --time 6` is 6),
 *   as most command lines do, while the options declared `array` (`--cred`, `-D`, `-t` of
 *   `zsim sub`, variadic positionals) still collect every value. yargs' own
 *   `duplicate-arguments-array: false` cannot do this: it also keeps only the last of an array.
 * - a number option the user gave a non-number for (`-n abc`) holds what was typed instead of
 *   NaN, so that the command's message can echo it (`got 'abc'`, not `got 'NaN'`).
 */

/** The part of yargs' `getOptions()` read here. */
export interface ParsedOptions {
  array: string[];
  number: string[];
  alias: Record<string, string[]>;
}

const camel = (s: string): string => s.replace(/-+([^-])/g, (_, c: string) => c.toUpperCase());

/** Every spelling of `key`: itself, its aliases (either way round) and their camelCase forms. */
function spellings(key: string, opts: ParsedOptions): Set<string> {
  const names = new Set([key]);
  for (const [k, as] of Object.entries(opts.alias)) {
    const group = [k, ...as];
    if (group.includes(key) || group.map(camel).includes(key)) for (const n of group) names.add(n);
  }
  for (const n of [...names]) names.add(camel(n));
  return names;
}

/** The last value the command line gave option `names` (`--name V`, `--name=V`, `-n V`, `-n=V`). */
export function rawOptionValue(tokens: readonly string[], names: Iterable<string>): string | undefined {
  const flags = new Set([...names].map((n) => (n.length === 1 ? `-${n}` : `--${n}`)));
  let raw: string | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '--') break;
    const eq = t.indexOf('=');
    if (eq > 0 && flags.has(t.slice(0, eq))) raw = t.slice(eq + 1);
    else if (flags.has(t) && i + 1 < tokens.length) raw = tokens[++i];
  }
  return raw;
}

/** Applies both corrections to `argv` in place; `tokens` is the command line yargs parsed. */
export function fixParsedArgs(argv: Record<string, unknown>, opts: ParsedOptions, tokens: readonly string[]): void {
  const arrays = new Set<string>();
  for (const a of opts.array) for (const n of spellings(a, opts)) arrays.add(n);
  const numbers = new Set<string>();
  for (const a of opts.number) for (const n of spellings(a, opts)) numbers.add(n);
  for (const [key, v] of Object.entries(argv)) {
    if (key === '_' || key === '--' || key === '$0') continue;
    let value = v;
    if (Array.isArray(value) && !arrays.has(key)) value = argv[key] = value.at(-1);
    if (typeof value === 'number' && Number.isNaN(value) && numbers.has(key)) {
      const raw = rawOptionValue(tokens, spellings(key, opts));
      if (raw !== undefined) argv[key] = raw;
    }
  }
}
