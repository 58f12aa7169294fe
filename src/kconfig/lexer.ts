/**
 * Line tokenizer, a port of Kconfiglib's _tokenize(). Tokens are keyword
 * numbers, strings (prompts, paths, names) or symbols; the list ends in null.
 * Symbol references are registered in the symbol table as they are seen, and
 * preprocessor macros are expanded inside names and quoted strings.
 */
import os from 'node:os';
import { KEYWORDS, STRING_LEX, T } from './constants.ts';
import { expandName, expandStr, parseAssignment, parseError, type LexContext } from './preprocessor.ts';
import { expandVars, isPySpaceChar, pyIsSpace, pyLstrip, pyStrip } from './pyutil.ts';
import type { KSymbol } from './symbol.ts';

/** One token: a keyword, a string, a symbol, or null (end of line). */
export type Token = T | string | KSymbol | null;

// Python's re.ASCII \s is exactly this set; JS \s is wider.
const COMMAND = /[ \t\n\r\f\v]*([A-Za-z0-9_$-]+)[ \t\n\r\f\v]*/y;
const ID_KEYWORD = /([A-Za-z0-9_$/.-]+)[ \t\n\r\f\v]*/y;

/** True for keyword tokens. */
export function isKeyword(t: Token): t is T {
  return typeof t === 'number';
}

/** True for symbol tokens. */
export function isSymbolToken(t: Token): t is KSymbol {
  return t !== null && typeof t === 'object';
}

function stripChars(s: string, chars: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && chars.includes(s[a]!)) a++;
  while (b > a && chars.includes(s[b - 1]!)) b--;
  return s.slice(a, b);
}

/** Tokenizes one logical line (continuations already joined). */
export function tokenize(ctx: LexContext, s: string): Token[] {
  ctx.line = s;
  COMMAND.lastIndex = 0;
  const first = COMMAND.exec(s);
  if (!first) {
    if (pyIsSpace(s) || pyLstrip(s).startsWith('#')) return [null];
    parseError(ctx, 'unknown token at start of line');
  }
  let token: Token = KEYWORDS.get(first[1]!) ?? null;
  if (token === null) {
    // Old C tools accepted decorated help keywords like "--help--".
    if (stripChars(s, ' \t\n-') === 'help') return [T.HELP, null];
    parseAssignment(ctx, s);
    return [null];
  }
  const kconf = ctx.kconf;
  const tokens: Token[] = [token];
  let i = first[0].length;
  while (i < s.length) {
    ID_KEYWORD.lastIndex = i;
    const m = ID_KEYWORD.exec(s);
    if (m) {
      let name = m[1]!;
      const kw = KEYWORDS.get(name);
      if (kw !== undefined) {
        token = kw;
        i = m.index + m[0].length;
      } else if (!(isKeyword(token) && STRING_LEX.has(token))) {
        if (name.includes('$')) [name, s, i] = expandName(ctx, s, i);
        else i = m.index + m[0].length;
        token = name === 'n' || name === 'm' || name === 'y' ? kconf.constSyms.get(name)! : kconf.lookupSym(name);
      } else {
        // A bare word where a string is expected: accepted, but quotes are recommended.
        if (token !== T.CHOICE) {
          kconf.warn(`style: quotes recommended around '${name}' in '${pyStrip(ctx.line)}'`, ctx.filename, ctx.linenr);
        }
        token = name;
        i = m.index + m[0].length;
      }
    } else {
      const c = s[i]!;
      if (c === '"' || c === "'") {
        let val: string;
        if (!s.includes('$') && !s.includes('\\')) {
          const end = s.indexOf(c, i + 1) + 1;
          if (!end) parseError(ctx, 'unterminated string');
          val = s.slice(i + 1, end - 1);
          i = end;
        } else {
          let end: number;
          [s, end] = expandStr(ctx, s, i);
          val = expandVars(s.slice(i + 1, end - 1).replaceAll('$UNAME_RELEASE', os.release()), kconf.env);
          i = end;
        }
        // 'option env="FOO"' names a variable, not a constant symbol.
        token = (isKeyword(token) && STRING_LEX.has(token)) || tokens[0] === T.OPTION ? val : kconf.lookupConstSym(val);
      } else if (s.startsWith('&&', i)) {
        token = T.AND;
        i += 2;
      } else if (s.startsWith('||', i)) {
        token = T.OR;
        i += 2;
      } else if (c === '=') {
        token = T.EQUAL;
        i += 1;
      } else if (s.startsWith('!=', i)) {
        token = T.UNEQUAL;
        i += 2;
      } else if (c === '!') {
        token = T.NOT;
        i += 1;
      } else if (c === '(') {
        token = T.OPEN_PAREN;
        i += 1;
      } else if (c === ')') {
        token = T.CLOSE_PAREN;
        i += 1;
      } else if (c === '#') {
        break;
      } else if (s.startsWith('<=', i)) {
        token = T.LESS_EQUAL;
        i += 2;
      } else if (c === '<') {
        token = T.LESS;
        i += 1;
      } else if (s.startsWith('>=', i)) {
        token = T.GREATER_EQUAL;
        i += 2;
      } else if (c === '>') {
        token = T.GREATER;
        i += 1;
      } else {
        parseError(ctx, 'unknown tokens in line');
      }
      while (i < s.length && isPySpaceChar(s[i]!)) i++;
    }
    tokens.push(token);
  }
  tokens.push(null);
  return tokens;
}
