/**
 * Python-compatible `glob.iglob()` (non-recursive) for `source` statements.
 * Node 20 has no fs.glob, and Kconfiglib's exact rules matter: hidden files
 * only match patterns starting with '.', non-magic paths are returned as
 * written when they exist, and '**' behaves like '*'.
 */
import fs from 'node:fs';
import { pyJoin, pySplit } from './pyutil.ts';

function hasMagic(s: string): boolean {
  return /[*?[]/.test(s);
}

function lexists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function escapeRe(c: string): string {
  return c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}

function escapeClass(c: string): string {
  return c.replace(/[\\\]\[^-]/g, '\\$&');
}

/** Python `fnmatch.translate()` semantics for one path component. */
export function fnmatchToRegExp(pat: string): RegExp {
  let re = '';
  let i = 0;
  const n = pat.length;
  while (i < n) {
    const c = pat[i++]!;
    if (c === '*') {
      re += '[\\s\\S]*';
      while (pat[i] === '*') i++;
    } else if (c === '?') {
      re += '[\\s\\S]';
    } else if (c === '[') {
      let j = i;
      if (j < n && pat[j] === '!') j++;
      if (j < n && pat[j] === ']') j++;
      while (j < n && pat[j] !== ']') j++;
      if (j >= n) {
        re += '\\[';
      } else {
        let body = pat.slice(i, j);
        i = j + 1;
        let neg = false;
        if (body.startsWith('!')) {
          neg = true;
          body = body.slice(1);
        }
        let cls = '';
        for (let k = 0; k < body.length; k++) {
          const ch = body[k]!;
          if (body[k + 1] === '-' && k + 2 < body.length) {
            const hi = body[k + 2]!;
            // Python drops reversed ranges instead of failing.
            if (ch <= hi) cls += escapeClass(ch) + '-' + escapeClass(hi);
            k += 2;
          } else {
            cls += escapeClass(ch);
          }
        }
        if (cls === '') re += neg ? '[\\s\\S]' : '(?!)';
        else re += (neg ? '[^' : '[') + cls + ']';
      }
    } else {
      re += escapeRe(c);
    }
  }
  return new RegExp('^' + re + '$', 'u');
}

function listDir(dir: string, dirOnly: boolean): string[] {
  try {
    const entries = fs.readdirSync(dir === '' ? '.' : dir, { withFileTypes: true });
    const out: string[] = [];
    for (const e of entries) {
      if (dirOnly) {
        const full = pyJoin(dir === '' ? '.' : dir, e.name);
        if (!(e.isDirectory() || (e.isSymbolicLink() && isDir(full)))) continue;
      }
      out.push(e.name);
    }
    return out;
  } catch {
    return [];
  }
}

function glob1(dir: string, pattern: string, dirOnly: boolean): string[] {
  let names = listDir(dir, dirOnly);
  if (!pattern.startsWith('.')) names = names.filter((x) => !x.startsWith('.'));
  const re = fnmatchToRegExp(pattern);
  return names.filter((x) => re.test(x));
}

function glob0(dir: string, base: string): string[] {
  if (base) return lexists(pyJoin(dir, base)) ? [base] : [];
  return isDir(dir) ? [base] : [];
}

function* iglobImpl(pathname: string, dirOnly: boolean): Generator<string> {
  const [dirname, basename] = pySplit(pathname);
  if (!hasMagic(pathname)) {
    if (basename) {
      if (lexists(pathname)) yield pathname;
    } else if (isDir(dirname)) {
      yield pathname;
    }
    return;
  }
  if (!dirname) {
    yield* glob1('', basename, dirOnly);
    return;
  }
  const dirs = dirname !== pathname && hasMagic(dirname) ? [...iglobImpl(dirname, true)] : [dirname];
  for (const d of dirs) {
    const names = hasMagic(basename) ? glob1(d, basename, dirOnly) : glob0(d, basename);
    for (const name of names) yield pyJoin(d, name);
  }
}

/** Returns the sorted matches of `pattern`, as Kconfiglib's `sorted(iglob(pattern))`. */
export function sortedGlob(pattern: string): string[] {
  const res = [...iglobImpl(pattern, false)];
  return res.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
