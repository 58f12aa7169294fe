import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KconfigIOError } from '../../src/kconfig/index.ts';
import { cleanupTrees, loadTree } from './harness.ts';

afterAll(cleanupTrees);

const TREE = {
  Kconfig: [
    'mainmenu "Test"',
    'config B',
    '\tbool "b"',
    'config S',
    '\tstring "s"',
    '\tdefault "d"',
    'config I',
    '\tint "i"',
    'config H',
    '\thex "h"',
    '\tdefault 10',
    'config P',
    '\tbool',
    '\tdefault y',
    'menu "Sub"',
    'config M',
    '\tbool "m"',
    'comment "note"',
    'endmenu',
    'config AFTER',
    '\tbool "after"',
  ].join('\n'),
};

describe('loading .config files', () => {
  it('reports malformed and invalid lines with FILE:LINE', () => {
    const { kconf } = loadTree(TREE);
    kconf.warnAssignUndef = true;
    kconf.loadConfig('frag.conf', {
      text: 'CONFIG_B=x\nCONFIG_I=abc\nCONFIG_S=unquoted\nnonsense\nCONFIG_NOPE=y\n# CONFIG_GONE is not set\nCONFIG_B=y\nCONFIG_B=n\n',
    });
    // Kconfiglib's set_value() text has no location; the structured fields still point at the line.
    expect(kconf.warnings.map((w) => [w.filename, w.linenr, w.message])).toEqual([
      ['frag.conf', 1, "'x' is not a valid value for the bool symbol B (defined at Kconfig:2). Assignment ignored."],
      ['frag.conf', 2, "the value 'abc' is invalid for I (defined at Kconfig:7), which has type int -- assignment ignored"],
      ['frag.conf', 3, 'malformed string literal in assignment to S (defined at Kconfig:4). Assignment ignored.'],
      ['frag.conf', 4, "ignoring malformed line 'nonsense'"],
      ['frag.conf', 5, "attempt to assign the value 'y' to the undefined symbol NOPE"],
      ['frag.conf', 6, "attempt to assign the value 'n' to the undefined symbol GONE"],
      ['frag.conf', 8, 'B (defined at Kconfig:2) set more than once. Old value "y", new value "n".'],
    ]);
    expect(kconf.missingSyms).toEqual([
      ['NOPE', 'y'],
      ['GONE', 'n'],
    ]);
    expect(kconf.symbol('B')!.strValue).toBe('n');
  });

  it('unescapes strings, keeps trailing text after the closing quote out', () => {
    const { kconf } = loadTree(TREE);
    kconf.loadConfig('f', { text: 'CONFIG_S="a\\"b\\\\c" junk\n' });
    expect(kconf.symbol('S')!.strValue).toBe('a"b\\c');
    expect(kconf.symbol('S')!.configString).toBe('CONFIG_S="a\\"b\\\\c"\n');
  });

  it('replace=true clears values not in the file; replace=false merges', () => {
    const { kconf } = loadTree(TREE);
    kconf.loadConfig('a', { text: 'CONFIG_B=y\n' });
    expect(kconf.loadConfig('b', { text: 'CONFIG_I=3\n', replace: false })).toBe("Merged configuration 'b'");
    expect(kconf.symbol('B')!.strValue).toBe('y');
    expect(kconf.loadConfig('c', { text: 'CONFIG_I=4\n' })).toBe("Loaded configuration 'c'");
    expect(kconf.symbol('B')!.strValue).toBe('n');
    expect(kconf.symbol('I')!.strValue).toBe('4');
  });

  it('finds fragments relative to cwd, then $srctree, with Kconfiglib’s error otherwise', () => {
    const { kconf, dir } = loadTree({ ...TREE, 'conf/x.conf': 'CONFIG_B=y\n' });
    kconf.loadConfig('conf/x.conf');
    expect(kconf.symbol('B')!.strValue).toBe('y');
    expect(kconf.symbol('B')!.userValueLoc).toEqual({ filename: 'conf/x.conf', linenr: 1 });
    expect(() => kconf.loadConfig(path.join(dir, 'missing.conf'))).toThrow(KconfigIOError);
    expect(() => kconf.loadConfig('missing.conf')).toThrow(
      "Could not open 'missing.conf' (ENOENT: No such file or directory). Check that the $srctree environment variable (unset or blank) is set correctly.",
    );
  });
});

describe('writing', () => {
  it('writes .config like write_config, with menus and comments', () => {
    const { kconf } = loadTree(TREE);
    kconf.loadConfig('f', { text: 'CONFIG_I=5\nCONFIG_M=y\n' });
    expect(kconf.configText()).toBe(
      [
        '# CONFIG_B is not set',
        'CONFIG_S="d"',
        'CONFIG_I=5',
        'CONFIG_H=10',
        'CONFIG_P=y',
        '',
        '#',
        '# Sub',
        '#',
        'CONFIG_M=y',
        '',
        '#',
        '# note',
        '#',
        '# end of Sub',
        '',
        '# CONFIG_AFTER is not set',
        '',
      ].join('\n'),
    );
    expect(kconf.configText('# header\n').startsWith('# header\n# CONFIG_B')).toBe(true);
  });

  it('writes autoconf.h like write_autoconf', () => {
    const { kconf } = loadTree(TREE);
    kconf.loadConfig('f', { text: 'CONFIG_B=y\nCONFIG_I=-3\n' });
    expect(kconf.autoconfText()).toBe(
      '#define CONFIG_B 1\n#define CONFIG_S "d"\n#define CONFIG_I -3\n#define CONFIG_H 0x10\n#define CONFIG_P 1\n',
    );
  });

  it('honours the CONFIG_ prefix and header environment variables', () => {
    const { kconf } = loadTree(TREE, { env: { CONFIG_: 'K_', KCONFIG_CONFIG_HEADER: '# hi\n', KCONFIG_AUTOHEADER_HEADER: '/* h */\n' } });
    kconf.loadConfig('f', { text: 'K_B=y\n' });
    expect(kconf.configText().split('\n').slice(0, 2)).toEqual(['# hi', 'K_B=y']);
    expect(kconf.autoconfText().split('\n').slice(0, 2)).toEqual(['/* h */', '#define K_B 1']);
  });

  it('saves the previous .config as .config.old and skips identical rewrites', () => {
    const { kconf, dir } = loadTree(TREE);
    expect(kconf.writeConfig('.config')).toBe("Configuration saved to '.config'");
    expect(kconf.writeConfig('.config')).toBe("No change to configuration in '.config'");
    kconf.loadConfig('f', { text: 'CONFIG_B=y\n' });
    kconf.writeConfig('.config');
    expect(fs.readFileSync(path.join(dir, '.config.old'), 'utf8')).toContain('# CONFIG_B is not set');
    expect(fs.readFileSync(path.join(dir, '.config'), 'utf8')).toContain('CONFIG_B=y');
    expect(kconf.writeAutoconf('autoconf.h')).toBe("Kconfig header saved to 'autoconf.h'");
    expect(kconf.writeAutoconf('autoconf.h')).toBe("No change to Kconfig header in 'autoconf.h'");
  });

  it('writes a minimal configuration with only non-default values', () => {
    const { kconf } = loadTree(TREE);
    kconf.loadConfig('f', { text: 'CONFIG_B=y\nCONFIG_S="d"\nCONFIG_H=0x20\n' });
    expect(kconf.minConfigText()).toBe('CONFIG_B=y\nCONFIG_H=0x20\n');
  });
});
