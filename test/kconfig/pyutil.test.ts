import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fnmatchToRegExp, sortedGlob } from '../../src/kconfig/glob.ts';
import {
  expandTabs,
  expandVars,
  parsePyInt,
  pyDirname,
  pyHex,
  pyIsUpper,
  pyJoin,
  pySplit,
  pyStrcmp,
  pyStrip,
  textwrapFill,
} from '../../src/kconfig/pyutil.ts';
import { writeTree } from './harness.ts';

describe('parsePyInt (Python int(s, base))', () => {
  it.each([
    ['10', 10, 10n],
    [' 12 ', 10, 12n],
    ['+5', 10, 5n],
    ['-7', 10, -7n],
    ['1_000', 10, 1000n],
    ['1__0', 10, null],
    ['_1', 10, null],
    ['1_', 10, null],
    ['0x10', 10, null],
    ['', 10, null],
    ['- 1', 10, null],
    ['ff', 16, 255n],
    ['0xFF', 16, 255n],
    ['0X_f', 16, 15n],
    ['-0x10', 16, -16n],
    ['0x', 16, null],
    ['0b1', 16, 177n],
    ['010', 0, null],
    ['00', 0, 0n],
    ['0o17', 0, 15n],
    ['0b101', 0, 5n],
    ['0x1f', 0, 31n],
    ['abc', 0, null],
    ['99999999999999999999999', 10, 99999999999999999999999n],
  ] as const)('int(%j, %i) = %s', (s, base, want) => {
    expect(parsePyInt(s, base)).toBe(want);
  });

  it('round-trips every decimal and hex rendering', () => {
    fc.assert(
      fc.property(fc.bigInt(), (n) => {
        expect(parsePyInt(n.toString(), 10)).toBe(n);
        expect(parsePyInt(pyHex(n), 16)).toBe(n);
        expect(parsePyInt(pyHex(n), 0)).toBe(n);
      }),
    );
  });

  it('formats hex like Python', () => {
    expect(pyHex(255n)).toBe('0xff');
    expect(pyHex(-5n)).toBe('-0x5');
    expect(pyHex(0n)).toBe('0x0');
  });
});

describe('string helpers', () => {
  it('expandtabs uses 8-column stops that reset at newlines', () => {
    expect(expandTabs('\tx')).toBe('        x');
    expect(expandTabs('ab\tc')).toBe('ab      c');
    expect(expandTabs('a\n\tb')).toBe('a\n        b');
  });

  it('strip uses Python whitespace (including \\x1c, excluding \\ufeff)', () => {
    expect(pyStrip('\x1c a \x0b')).toBe('a');
    expect(pyStrip('\ufeffa')).toBe('\ufeffa');
  });

  it('isupper needs a cased character and no lowercase', () => {
    expect(pyIsUpper('FOO_1')).toBe(true);
    expect(pyIsUpper('Foo')).toBe(false);
    expect(pyIsUpper('123')).toBe(false);
  });

  it('compares by code point', () => {
    expect(pyStrcmp('a', 'b')).toBe(-1);
    expect(pyStrcmp('abc', 'ab')).toBe(1);
    expect(pyStrcmp('x', 'x')).toBe(0);
    // UTF-16 order would put U+FFFF after the astral character; code points do not.
    expect(pyStrcmp('\uffff', '\u{10000}')).toBe(-1);
  });

  it('expandvars replaces known variables only', () => {
    const env = { A: '1', B_C: 'two' };
    expect(expandVars('$A-${B_C}-$NOPE-${NOPE}-$', env)).toBe('1-two-$NOPE-${NOPE}-$');
    expect(expandVars('$A$A', env)).toBe('11');
  });

  it('os.path helpers', () => {
    expect(pyJoin('', 'a')).toBe('a');
    expect(pyJoin('a', 'b')).toBe('a/b');
    expect(pyJoin('a/', 'b')).toBe('a/b');
    expect(pyJoin('a', '/abs')).toBe('/abs');
    expect(pySplit('a/b/c')).toEqual(['a/b', 'c']);
    expect(pySplit('/c')).toEqual(['/', 'c']);
    expect(pyDirname('Kconfig')).toBe('');
    expect(pyDirname('sub//Kconfig')).toBe('sub');
  });

  it('textwrap.fill wraps greedily at the width', () => {
    expect(textwrapFill('aaa bbb ccc', 7)).toBe('aaa bbb\nccc');
    expect(textwrapFill('a\nb  c', 80)).toBe('a b c');
  });
});

describe('glob (Python glob semantics)', () => {
  const dir = writeTree({ 'a/K1': '', 'a/K2': '', 'b/K1': '', '.h/K1': '', 'a/.K3': '', 'x[1]': '' });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('matches sorted, skipping hidden entries unless the pattern starts with a dot', () => {
    expect(sortedGlob(path.join(dir, '*/K1'))).toEqual([path.join(dir, 'a/K1'), path.join(dir, 'b/K1')]);
    expect(sortedGlob(path.join(dir, 'a/*'))).toEqual([path.join(dir, 'a/K1'), path.join(dir, 'a/K2')]);
    expect(sortedGlob(path.join(dir, 'a/.K*'))).toEqual([path.join(dir, 'a/.K3')]);
    expect(sortedGlob(path.join(dir, '.*/K1'))).toEqual([path.join(dir, '.h/K1')]);
  });

  it('returns non-magic paths as written when they exist', () => {
    expect(sortedGlob(path.join(dir, 'a/../a/K1'))).toEqual([path.join(dir, 'a/../a/K1')]);
    expect(sortedGlob(path.join(dir, 'nope'))).toEqual([]);
  });

  it('supports ?, classes, negation and unclosed brackets', () => {
    expect(sortedGlob(path.join(dir, 'a/K?'))).toHaveLength(2);
    expect(sortedGlob(path.join(dir, 'a/K[!1]'))).toEqual([path.join(dir, 'a/K2')]);
    expect(fnmatchToRegExp('x[1]').test('x1')).toBe(true);
    expect(fnmatchToRegExp('x[').test('x[')).toBe(true);
    expect(fnmatchToRegExp('[a-c]z').test('bz')).toBe(true);
    expect(fnmatchToRegExp('[c-a]z').test('bz')).toBe(false);
  });
});
