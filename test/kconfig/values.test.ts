import { afterAll, describe, expect, it } from 'vitest';
import { setValue, typedValue } from '../../src/kconfig/index.ts';
import { cleanupTrees, loadTree } from './harness.ts';

afterAll(cleanupTrees);

const val = (k: ReturnType<typeof loadTree>['kconf'], n: string): string => k.symbol(n)!.strValue;

describe('defaults and dependencies', () => {
  it('uses the first default whose condition holds, limited by the condition', () => {
    const { kconf } = loadTree({
      Kconfig:
        'config C\n\tdef_bool y\nconfig A\n\tbool "a"\n\tdefault n if !C\n\tdefault y if C\n\tdefault n\nconfig I\n\tint "i"\n\tdefault 1 if !C\n\tdefault 2\n',
    });
    expect(val(kconf, 'A')).toBe('y');
    expect(val(kconf, 'I')).toBe('2');
  });

  it('treats m as n in conditions and m values as y without MODULES', () => {
    const { kconf } = loadTree({
      Kconfig: 'config T\n\ttristate "t"\n\tdefault m\nconfig D\n\tbool "d"\n\tdepends on m\n\tdefault y\nconfig U\n\ttristate "u"\n',
    });
    expect(val(kconf, 'T')).toBe('y');
    expect(kconf.symbol('T')!.type).toBe('bool');
    expect(val(kconf, 'D')).toBe('n');
    kconf.loadConfig('x', { text: 'CONFIG_U=m\n' });
    expect(val(kconf, 'U')).toBe('y');
  });

  it('hides symbols whose dependencies are unmet and does not write them', () => {
    const { kconf } = loadTree({ Kconfig: 'config A\n\tbool "a"\nconfig B\n\tbool "b"\n\tdepends on A\n\tdefault y\n' });
    expect(val(kconf, 'B')).toBe('n');
    expect(kconf.symbol('B')!.configString).toBe('');
    setValue(kconf, 'A', 'y');
    expect(val(kconf, 'B')).toBe('y');
    expect(kconf.symbol('B')!.configString).toBe('CONFIG_B=y\n');
  });
});

describe('select and imply', () => {
  const tree = {
    Kconfig: [
      'config DEP',
      '\tbool "dep"',
      'config T',
      '\tbool "t"',
      '\tdepends on DEP',
      'config S',
      '\tbool "s"',
      '\tselect T',
      '\timply I',
      'config I',
      '\tbool "i"',
      'config J',
      '\tbool "j"',
      '\tdepends on DEP',
      'config S2',
      '\tdef_bool y',
      '\timply J',
    ].join('\n'),
  };

  it('select forces the value past unmet dependencies, with Kconfiglib’s warning', () => {
    const { kconf } = loadTree(tree);
    setValue(kconf, 'S', 'y');
    expect(val(kconf, 'T')).toBe('y');
    expect(kconf.warnings.map((w) => w.text)).toEqual([
      'warning: T (defined at Kconfig:3) has direct dependencies DEP with value n, but is currently being y-selected by the following symbols:\n' +
        ' - S (defined at Kconfig:6), with value y, direct dependencies y (value: y)',
    ]);
    expect(kconf.symbol('T')!.assignable).toEqual([]);
  });

  it('imply sets a default the user can override, and respects dependencies', () => {
    const { kconf } = loadTree(tree);
    setValue(kconf, 'S', 'y');
    expect(val(kconf, 'I')).toBe('y');
    expect(kconf.symbol('I')!.assignable).toEqual([0, 2]);
    setValue(kconf, 'I', 'n');
    expect(val(kconf, 'I')).toBe('n');
    expect(val(kconf, 'J')).toBe('n');
  });
});

describe('ranges', () => {
  it('ignores out-of-range user values and clamps defaults, with warnings', () => {
    const { kconf } = loadTree({
      Kconfig: 'config I\n\tint "i"\n\trange 1 10\n\tdefault 50\nconfig H\n\thex "h"\n\trange 0x10 0x20\n',
    });
    kconf.loadConfig('f.conf', { text: 'CONFIG_I=11\nCONFIG_H=0x18\n' });
    expect(val(kconf, 'I')).toBe('10');
    expect(val(kconf, 'H')).toBe('0x18');
    setValue(kconf, 'H', '0x5');
    expect(val(kconf, 'H')).toBe('0x10');
    expect(kconf.warnings.map((w) => w.text)).toEqual([
      'warning: user value 11 on the int symbol I (defined at Kconfig:1) ignored due to being outside the active range ([1, 10]) -- falling back on defaults',
      'warning: default value 50 on I (defined at Kconfig:1) clamped to 10 due to being outside the active range ([1, 10])',
      'warning: user value 0x5 on the hex symbol H (defined at Kconfig:5) ignored due to being outside the active range ([0x10, 0x20]) -- falling back on defaults',
    ]);
  });

  it('keeps user values in the form written', () => {
    const { kconf } = loadTree({ Kconfig: 'config H\n\thex "h"\nconfig I\n\tint "i"\n' });
    kconf.loadConfig('f.conf', { text: 'CONFIG_H=ff\nCONFIG_I=+5\n' });
    expect(kconf.configText()).toBe('CONFIG_H=ff\nCONFIG_I=+5\n');
    expect(kconf.autoconfText()).toBe('#define CONFIG_H 0xff\n#define CONFIG_I +5\n');
    expect(typedValue(kconf, 'H')).toBe(255n);
    expect(typedValue(kconf, 'I')).toBe(5n);
  });
});

describe('choices', () => {
  const tree = {
    Kconfig: [
      'config F',
      '\tbool "f"',
      'choice',
      '\tprompt "c"',
      '\tdefault B if F',
      'config A',
      '\tbool "a"',
      'config B',
      '\tbool "b"',
      'config C',
      '\tbool "c"',
      '\tdepends on F',
      'endchoice',
      'choice OPT',
      '\tprompt "o"',
      '\toptional',
      'config O',
      '\tbool "o"',
      'endchoice',
    ].join('\n'),
  };

  it('picks the first active default, else the first visible symbol', () => {
    const { kconf } = loadTree(tree);
    const ch = kconf.uniqueChoices[0]!;
    expect(ch.selection?.name).toBe('A');
    setValue(kconf, 'F', 'y');
    expect(ch.selection?.name).toBe('B');
    expect(kconf.choice('OPT')!.strValue).toBe('n');
  });

  it('takes the user selection from .config when it is visible', () => {
    const { kconf } = loadTree(tree);
    kconf.loadConfig('a.conf', { text: 'CONFIG_C=y\n' });
    const ch = kconf.uniqueChoices[0]!;
    expect(ch.userSelection?.name).toBe('C');
    expect(ch.selection?.name).toBe('A');
    kconf.loadConfig('b.conf', { text: 'CONFIG_F=y\nCONFIG_O=y\n', replace: false });
    expect(ch.selection?.name).toBe('C');
    expect(kconf.choice('OPT')!.selection?.name).toBe('O');
    expect(kconf.configText()).toContain('# CONFIG_A is not set\n# CONFIG_B is not set\nCONFIG_C=y\nCONFIG_O=y\n');
  });
});

describe('expressions', () => {
  const { kconf } = loadTree({
    Kconfig: [
      'config I',
      '\tint "i"',
      '\tdefault 10',
      'config H',
      '\thex "h"',
      '\tdefault 0x10',
      'config S',
      '\tstring "s"',
      '\tdefault "abc"',
      'config Y',
      '\tdef_bool y',
    ].join('\n'),
  });

  it.each([
    ['Y && !Y || Y', 2],
    ['Y && (!Y || !Y)', 0],
    ['I = 10', 2],
    ['I < 9', 0],
    ['I >= 10 && I <= 10 && I > 9 && I != 11', 2],
    ['H = 16', 2],
    ['H > I', 2],
    ['S = "abc"', 2],
    ['S < "abd"', 2],
    ['S > 5', 2],
    ['"010" = "10"', 0],
    ['"0x10" = 16', 2],
    ['UNDEF = UNDEF', 2],
    ['Y = y && Y != n', 2],
    ['m', 0],
    ['!m', 2],
  ])('%s', (e, want) => {
    expect(kconf.evalString(e)).toBe(want);
  });

  it('warns about unknown symbols in evaluated strings', () => {
    kconf.evalString('NOT_A_SYMBOL');
    expect(kconf.warnings.at(-1)?.text).toBe('warning: no symbol NOT_A_SYMBOL in configuration');
    expect(kconf.symbol('NOT_A_SYMBOL')).toBeUndefined();
  });
});

describe('caching and invalidation', () => {
  it('recomputes dependents after a value change, and everything when MODULES changes', () => {
    const { kconf } = loadTree({
      Kconfig:
        'config MODULES\n\tbool "modules"\nconfig A\n\tbool "a"\nconfig B\n\tint "b"\n\tdefault 1 if A\n\tdefault 2\nconfig T\n\ttristate "t"\n\tdefault m\n',
    });
    expect(val(kconf, 'B')).toBe('2');
    expect(val(kconf, 'T')).toBe('y');
    setValue(kconf, 'A', 'y');
    expect(val(kconf, 'B')).toBe('1');
    setValue(kconf, 'MODULES', 'y');
    expect(val(kconf, 'T')).toBe('m');
    kconf.unsetValues();
    expect(val(kconf, 'B')).toBe('2');
    expect(val(kconf, 'T')).toBe('y');
  });
});
