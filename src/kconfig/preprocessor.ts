/**
 * The Kconfig `$(...)` preprocessor: variable assignments (`=`, `:=`, `+=`),
 * macro expansion inside names and strings, user-defined functions with
 * `$(1)`-style arguments, environment variables and the built-in functions
 * (filename, lineno, info, warning-if, error-if, shell).
 */
import { spawnSync } from 'node:child_process';
import { type ErrorLocation, KconfigError } from './errors.ts';
import type { Kconfig } from './kconfig.ts';
import { isPySpaceChar, parsePyInt, pyIsSpace, pyLstrip, pySplitLines, pyStrip } from './pyutil.ts';

/** Where the lexer currently is; shared by lexer, preprocessor and parser. */
export interface LexContext {
  readonly kconf: Kconfig;
  /** Current file (null while evaluating a string expression). */
  filename: string | null;
  linenr: number;
  /** The line being tokenized, for error messages. */
  line: string;
}

/** The current location, for errors. */
export function here(ctx: LexContext): ErrorLocation | undefined {
  return ctx.filename === null ? undefined : { filename: ctx.filename, linenr: ctx.linenr };
}

/** Throws Kconfiglib's "couldn't parse" error for the current line. */
export function parseError(ctx: LexContext, msg: string): never {
  const loc = ctx.filename === null ? '' : `${ctx.filename}:${ctx.linenr}: `;
  throw new KconfigError(`${loc}error: couldn't parse '${pyStrip(ctx.line)}': ${msg}`, here(ctx));
}

type Builtin = { fn: (ctx: LexContext, args: string[]) => string; min: number; max: number };

const BUILTINS: ReadonlyMap<string, Builtin> = new Map<string, Builtin>([
  ['info', { min: 1, max: 1, fn: (ctx, a) => (ctx.kconf.onInfo(`${ctx.filename}:${ctx.linenr}: ${a[1]}`), '') }],
  [
    'error-if',
    {
      min: 2,
      max: 2,
      fn: (ctx, a) => {
        if (a[1] === 'y') throw new KconfigError(`${ctx.filename}:${ctx.linenr}: ${a[2]}`, here(ctx));
        return '';
      },
    },
  ],
  ['filename', { min: 0, max: 0, fn: (ctx) => ctx.filename ?? '' }],
  ['lineno', { min: 0, max: 0, fn: (ctx) => String(ctx.linenr) }],
  ['shell', { min: 1, max: 1, fn: (ctx, a) => shellFn(ctx, a[1]!) }],
  [
    'warning-if',
    {
      min: 2,
      max: 2,
      fn: (ctx, a) => {
        if (a[1] === 'y') ctx.kconf.warn(a[2]!, ctx.filename, ctx.linenr);
        return '';
      },
    },
  ],
]);

function shellFn(ctx: LexContext, command: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd: ctx.kconf.cwd, env: ctx.kconf.env, encoding: 'utf8' });
  const stdout = r.stdout ?? '';
  const stderr = r.stderr ?? '';
  if (stderr) ctx.kconf.warn(`'${command}' wrote to stderr: ${pySplitLines(stderr).join('\n')}`, ctx.filename, ctx.linenr);
  return pySplitLines(stdout).join('\n').replace(/\n+$/, '').replace(/\n/g, ' ');
}

const LHS_FRAGMENT = /[A-Za-z0-9_-]*/y;
const RHS = /[ \t\n\r\f\v]*(=|:=|\+=)[ \t\n\r\f\v]*([^\n]*)/y;
const MACRO_SPECIAL = /\(|\)|,|\$\(/g;
const STRING_SPECIAL = /"|'|\\|\$\(/g;
const NAME_SPECIAL = /[^A-Za-z0-9_$/.-]|\$\(|$/g;

function searchAt(re: RegExp, s: string, i: number): RegExpExecArray | null {
  re.lastIndex = i;
  return re.exec(s);
}

/** Handles a line that starts with a non-keyword: a variable assignment or a bare macro call. */
export function parseAssignment(ctx: LexContext, line: string): void {
  let s = pyLstrip(line);
  let i = 0;
  for (;;) {
    LHS_FRAGMENT.lastIndex = i;
    i += LHS_FRAGMENT.exec(s)![0].length;
    if (s.startsWith('$(', i)) [s, i] = expandMacro(ctx, s, i, []);
    else break;
  }
  // A bare macro on a line is allowed if it expands to nothing.
  if (pyIsSpace(s)) return;
  const name = s.slice(0, i);
  RHS.lastIndex = i;
  const m = RHS.exec(s);
  if (!m) parseError(ctx, 'syntax error');
  let op = m[1]!;
  const val = m[2]!;
  const kconf = ctx.kconf;
  let v = kconf.variables.get(name);
  if (!v) {
    v = { name, value: '', isRecursive: true, nExpansions: 0 };
    kconf.variables.set(name, v);
    // += on an undefined variable defines a recursive one.
    if (op === '+=') op = '=';
  }
  if (op === '=') {
    v.isRecursive = true;
    v.value = val;
  } else if (op === ':=') {
    v.isRecursive = false;
    v.value = expandWhole(ctx, val, []);
  } else {
    v.value += ' ' + (v.isRecursive ? val : expandWhole(ctx, val, []));
  }
}

/** Expands every macro in `s`. */
export function expandWhole(ctx: LexContext, s: string, args: readonly string[]): string {
  let i = 0;
  for (;;) {
    i = s.indexOf('$(', i);
    if (i === -1) return s;
    [s, i] = expandMacro(ctx, s, i, args);
  }
}

/**
 * Expands macros in a symbol name starting at `i`. Returns the name, the
 * rewritten line and the index of the next token.
 */
export function expandName(ctx: LexContext, s: string, i: number): [string, string, number] {
  let end: number;
  let j = i;
  for (;;) {
    const m = searchAt(NAME_SPECIAL, s, j)!;
    if (m[0] !== '$(') {
      end = m.index;
      break;
    }
    [s, j] = expandMacro(ctx, s, m.index, []);
  }
  const name = s.slice(i, end);
  if (!pyStrip(name)) parseError(ctx, 'macro expanded to blank string');
  while (end < s.length && isPySpaceChar(s[end]!)) end++;
  return [name, s, end];
}

/** Expands escapes and macros in the quoted string starting at `i`; returns the new line and the index after the closing quote. */
export function expandStr(ctx: LexContext, s: string, i: number): [string, number] {
  const quote = s[i]!;
  i++;
  for (;;) {
    const m = searchAt(STRING_SPECIAL, s, i);
    if (!m) parseError(ctx, 'unterminated string');
    if (m[0] === quote) return [s, m.index + 1];
    if (m[0] === '\\') {
      // Dropping the backslash leaves `i` after the escaped character, so
      // '\$(foo)' is not expanded.
      i = m.index + 1;
      s = s.slice(0, m.index) + s.slice(i);
    } else if (m[0] === '$(') {
      [s, i] = expandMacro(ctx, s, m.index, []);
    } else {
      i = m.index + 1;
    }
  }
}

/** Expands the macro starting at `i` (at "$("); returns the new string and the index after the expansion. */
export function expandMacro(ctx: LexContext, s: string, i: number, args: readonly string[]): [string, number] {
  let res = s.slice(0, i);
  i += 2;
  let argStart = i;
  const newArgs: string[] = [];
  let nesting = 0;
  for (;;) {
    const m = searchAt(MACRO_SPECIAL, s, i);
    if (!m) parseError(ctx, 'missing end parenthesis in macro expansion');
    const tok = m[0];
    if (tok === '(') {
      nesting++;
      i = m.index + 1;
    } else if (tok === ')') {
      if (nesting) {
        nesting--;
        i = m.index + 1;
        continue;
      }
      newArgs.push(s.slice(argStart, m.index));
      res += argOrCall(ctx, newArgs, args);
      return [res + s.slice(m.index + 1), res.length];
    } else if (tok === ',') {
      i = m.index + 1;
      if (nesting) continue;
      newArgs.push(s.slice(argStart, m.index));
      argStart = i;
    } else {
      [s, i] = expandMacro(ctx, s, m.index, args);
    }
  }
}

function argOrCall(ctx: LexContext, newArgs: string[], args: readonly string[]): string {
  // $(1) etc. refer to the arguments of the function being expanded, with
  // Python indexing rules (so $(-1) is the last argument).
  const n = parsePyInt(newArgs[0]!, 10);
  if (n !== null) {
    const idx = n < 0n ? BigInt(args.length) + n : n;
    if (idx >= 0n && idx < BigInt(args.length)) return args[Number(idx)]!;
  }
  return fnVal(ctx, newArgs);
}

/** Calls function args[0] (variable, built-in or environment variable) with the remaining arguments. */
export function fnVal(ctx: LexContext, args: string[]): string {
  const fn = args[0]!;
  const kconf = ctx.kconf;
  const v = kconf.variables.get(fn);
  if (v) {
    if (args.length === 1) {
      if (v.nExpansions) parseError(ctx, `Preprocessor variable ${v.name} recursively references itself`);
    } else if (v.nExpansions > 100) {
      parseError(ctx, `Preprocessor function ${v.name} seems stuck in infinite recursion`);
    }
    v.nExpansions++;
    const res = expandWhole(ctx, v.value, args);
    v.nExpansions--;
    return res;
  }
  const custom = Object.prototype.hasOwnProperty.call(kconf.functions, fn) ? kconf.functions[fn] : undefined;
  const b: Builtin | undefined = custom
    ? { min: custom.minArgs, max: custom.maxArgs ?? Infinity, fn: (c, a) => custom.fn(c.kconf, a, { filename: c.filename, linenr: c.linenr }) }
    : BUILTINS.get(fn);
  if (b) {
    const n = args.length - 1;
    if (n < b.min || n > b.max) {
      const expected =
        b.min === b.max ? String(b.min) : b.max === Infinity ? `${b.min} or more` : `${b.min}-${b.max}`;
      throw new KconfigError(
        `${ctx.filename}:${ctx.linenr}: bad number of arguments in call to ${fn}, expected ${expected}, got ${n}`,
        here(ctx),
      );
    }
    return b.fn(ctx, args);
  }
  const env = kconf.env[fn];
  if (Object.prototype.hasOwnProperty.call(kconf.env, fn) && env !== undefined) {
    kconf.envVars.add(fn);
    return env;
  }
  return '';
}
