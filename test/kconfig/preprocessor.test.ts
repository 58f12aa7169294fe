import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Kconfig } from '../../src/kconfig/index.ts';
import { baseEnv, cleanupTrees, loadError, loadTree, writeTree } from './harness.ts';

afterAll(cleanupTrees);

function promptOf(kconf: Kconfig, name: string): string | undefined {
  return kconf.symbol(name)?.nodes[0]?.prompt?.[0];
}

describe('variables', () => {
  it('distinguishes recursive (=), simple (:=) and appending (+=) assignments', () => {
    const { kconf } = loadTree({
      Kconfig: [
        'R = $(V)-r',
        'V := one',
        'S := $(V)',
        'V := two',
        'A = a',
        'A += $(V)',
        'I := i',
        'I += $(V)',
        'N += new',
        'config X',
        '\tstring "$(R) $(S) $(A) $(I) $(N)"',
      ].join('\n'),
    });
    expect(promptOf(kconf, 'X')).toBe('two-r one a two i two new');
    expect(kconf.variables.get('R')?.isRecursive).toBe(true);
    expect(kconf.variables.get('S')?.isRecursive).toBe(false);
  });

  it('calls user functions with $(1).. and expands macros in symbol names', () => {
    const { kconf } = loadTree({
      Kconfig: 'greet = hello $(1) and $(2)\nsuffix := BAR\nconfig FOO_$(suffix)\n\tstring "$(greet,x,y)"\n',
    });
    expect(promptOf(kconf, 'FOO_BAR')).toBe('hello x and y');
  });

  it('falls back to environment variables, and records which were used', () => {
    const { kconf } = loadTree({ Kconfig: 'config X\n\tstring "$(HOME_DIR) [$(UNSET)]"\n' }, { env: { HOME_DIR: '/h' } });
    expect(promptOf(kconf, 'X')).toBe('/h []');
    expect([...kconf.envVars]).toEqual(['HOME_DIR']);
  });

  it('expands $VAR in strings like os.path.expandvars, and \\$( escapes a macro', () => {
    const { kconf } = loadTree({ Kconfig: 'config X\n\tstring "$E ${E} $NOPE \\$(E)"\n' }, { env: { E: 'e' } });
    expect(promptOf(kconf, 'X')).toBe('e e $NOPE $(E)');
  });

  it('rejects self-referencing recursive variables', () => {
    expect(loadError({ Kconfig: 'X = a$(X)\nY := $(X)\n' })?.message).toBe(
      "Kconfig:2: error: couldn't parse 'Y := $(X)': Preprocessor variable X recursively references itself",
    );
  });
});

describe('built-in functions', () => {
  it('$(filename), $(lineno), $(info,...), $(warning-if,...)', () => {
    const dir = writeTree({
      Kconfig: 'source "sub/K"\n',
      'sub/K': '\n$(info,at $(filename):$(lineno))\n$(warning-if,y,careful)\n$(warning-if,n,silent)\nconfig L\n\tint "l"\n\tdefault $(lineno)\n',
    });
    const infos: string[] = [];
    const kconf = new Kconfig('Kconfig', { cwd: dir, env: baseEnv(), onInfo: (l) => void infos.push(l) });
    expect(infos).toEqual(['sub/K:2: at sub/K:2']);
    expect(kconf.warnings.map((w) => w.text)).toEqual(['sub/K:3: warning: careful']);
    expect(kconf.symbol('L')!.strValue).toBe('7');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('$(error-if,y,...) aborts with the location', () => {
    expect(loadError({ Kconfig: '\n$(error-if,y,stop)\n' })?.message).toBe('Kconfig:2: error: stop');
    expect(loadError({ Kconfig: '$(error-if,n,stop)\n' })).toBeUndefined();
  });

  it('$(shell,...) joins output lines with spaces and warns about stderr', () => {
    const { kconf } = loadTree({ Kconfig: 'config X\n\tstring "$(shell,printf \'a\\nb\\n\\n\'; echo err >&2)"\n' });
    expect(promptOf(kconf, 'X')).toBe('a b');
    expect(kconf.warnings.map((w) => w.text)).toEqual(["Kconfig:2: warning: 'printf 'a\\nb\\n\\n'; echo err >&2' wrote to stderr: err"]);
  });
});

describe('user-defined functions (KCONFIG_FUNCTIONS equivalent)', () => {
  it('calls registered functions with raw arguments and checks their arity', () => {
    const dir = writeTree({ Kconfig: 'config DT\n\tdef_bool $(dt_has,uart, spi)\nconfig N\n\tint "n"\n\tdefault $(count)\n' });
    const seen: string[][] = [];
    const kconf = new Kconfig('Kconfig', {
      cwd: dir,
      env: baseEnv(),
      functions: {
        dt_has: { minArgs: 1, maxArgs: null, fn: (_k, args) => (seen.push([...args]), 'y') },
        count: { minArgs: 0, maxArgs: 0, fn: (_k, _a, where) => String(where.linenr) },
      },
    });
    expect(seen).toEqual([['dt_has', 'uart', ' spi']]);
    expect(kconf.symbol('DT')!.strValue).toBe('y');
    expect(kconf.symbol('N')!.strValue).toBe('5');
    fs.writeFileSync(`${dir}/Kconfig`, 'X := $(count,1)\n');
    expect(() => new Kconfig('Kconfig', { cwd: dir, env: baseEnv(), functions: { count: { minArgs: 0, maxArgs: 0, fn: () => '' } } })).toThrow(
      'Kconfig:1: error: bad number of arguments in call to count, expected 0, got 1',
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
