import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { listBoards } from '../../src/build/boards.ts';
import { ManifestError, modulesKconfig, readModule, resolveModules } from '../../src/build/manifest.ts';
import { loadKconfig, typedValue } from '../../src/kconfig/index.ts';
import { ROOT } from '../helpers/cli.ts';
import { man, workspace } from './helpers.ts';

const EXAMPLE = path.join(ROOT, 'modules/zsim-example');

describe('resolveModules: zsim\'s own manifest and the zsim-example module', () => {
  it('yields zsim\'s kconfig/boards/samples first, then the example module\'s', () => {
    for (const r of [resolveModules(ROOT), resolveModules(path.join(ROOT, 'manifest.json')), resolveModules()]) {
      expect(r.kconfigFiles).toEqual([path.join(ROOT, 'kconfig/Kconfig'), path.join(EXAMPLE, 'Kconfig')]);
      expect(r.boardRoots).toEqual([path.join(ROOT, 'boards'), path.join(EXAMPLE, 'boards')]);
      expect(r.sampleRoots).toEqual([path.join(ROOT, 'samples'), path.join(EXAMPLE, 'samples')]);
      expect(r.warnings).toEqual([]);
      expect(r.projects.map((p) => [p.name, p.path, p.cloned, p.active])).toEqual([
        ['manifest', '.', true, true],
        ['zsim-example', 'modules/zsim-example', true, true],
      ]);
      expect(r.modules).toEqual([
        expect.objectContaining({ name: 'zsim-example', project: 'zsim-example', dir: EXAMPLE, file: path.join(EXAMPLE, 'zephyr/module.yml') }),
      ]);
    }
  });

  it('listBoards(boardRoots) finds zsim_example_board: 64 KiB RAM, ethernet, its defconfig', () => {
    const boards = listBoards(resolveModules().boardRoots);
    const b = boards.find((x) => x.name === 'zsim_example_board');
    expect(b).toMatchObject({
      vendor: 'zsim',
      ram: 64,
      supported: ['netif:eth'],
      dir: path.join(EXAMPLE, 'boards/zsim/zsim_example_board'),
      defconfig: path.join(EXAMPLE, 'boards/zsim/zsim_example_board/zsim_example_board_defconfig'),
    });
    expect(boards.map((x) => x.name)).toEqual(expect.arrayContaining(['qemu_x86', 'native_sim', 'zsim_example_board']));
    // zsim's own board list is unchanged.
    expect(listBoards().map((x) => x.name)).not.toContain('zsim_example_board');
  });

  it('the module\'s Kconfig parses and its board\'s defconfig enables the feature', () => {
    const kconfigFile = resolveModules().kconfigFiles[1]!;
    const k = loadKconfig(path.basename(kconfigFile), { srctree: path.dirname(kconfigFile) });
    expect(typedValue(k, 'ZSIM_EXAMPLE_FEATURE')).toBe(false);
    k.loadConfig(path.join(EXAMPLE, 'boards/zsim/zsim_example_board/zsim_example_board_defconfig'), { replace: false });
    expect(typedValue(k, 'ZSIM_EXAMPLE_FEATURE')).toBe(true);
    expect(typedValue(k, 'ZSIM_EXAMPLE_GREETING')).toBe('Hello from zsim-example');
  });
});

describe('modulesKconfig: Zephyr\'s Kconfig.modules', () => {
  it('gives each module a menu sourcing its Kconfig and a ZEPHYR_<NAME>_MODULE symbol', () => {
    const r = resolveModules();
    expect(modulesKconfig(r.modules, r.manifest.topdir)).toBe(
      `menu "zsim-example (modules/zsim-example)"\nosource "${path.join(EXAMPLE, 'Kconfig')}"\n` +
        'config ZEPHYR_ZSIM_EXAMPLE_MODULE\n\tbool\n\tdefault y\nendmenu\n',
    );
  });

  it('zsim_example_board builds a configuration with zsim\'s Kconfig tree plus the module', () => {
    const r = resolveModules();
    const dir = workspace({});
    writeFileSync(path.join(dir, 'Kconfig.modules'), modulesKconfig(r.modules));
    writeFileSync(path.join(dir, 'Kconfig'), `mainmenu "test"\nsource "Kconfig.zephyr"\nmenu "Modules"\nosource "${dir}/Kconfig.modules"\nendmenu\n`);
    const board = listBoards(r.boardRoots).find((b) => b.name === 'zsim_example_board')!;
    const srctree = path.join(ROOT, 'kconfig');
    const env = { ...process.env, BOARD: board.name, BOARD_QUALIFIERS: board.qualifiers, BOARD_DIR: board.dir, ZSIM_BASE: ROOT, srctree };
    const k = loadKconfig(path.join(dir, 'Kconfig'), { env, srctree });
    k.loadConfig(board.defconfig!, { replace: false });
    expect(typedValue(k, 'BOARD_TARGET')).toBe('zsim_example_board/native');
    expect(typedValue(k, 'ZSIM_NETIF_ETHERNET')).toBe(true);
    expect(typedValue(k, 'ZEPHYR_ZSIM_EXAMPLE_MODULE')).toBe(true);
    expect(typedValue(k, 'ZSIM_EXAMPLE_FEATURE')).toBe(true);
    expect(typedValue(k, 'ZSIM_EXAMPLE_GREETING')).toBe('Hello from zsim-example');
    expect(JSON.stringify(k.warnings)).not.toMatch(/zsim.example|ZSIM_EXAMPLE/i);
  });
});

describe('resolveModules: a workspace of modules', () => {
  const boardYml = (name: string): string => `board:\n  name: ${name}\n  vendor: v\n`;
  const ws = workspace({
    'manifest.json': man({
      'group-filter': ['-off'],
      projects: [
        { name: 'm1', url: 'u', path: 'mods/m1' },
        { name: 'm2', url: 'u' },
        { name: 'plain', url: 'u' },
        { name: 'gone', url: 'u' },
        { name: 'disabled', url: 'u', groups: ['off'] },
      ],
    }),
    'mods/m1/zephyr/module.yml': [
      'name: first',
      'build:',
      '  cmake: zephyr',
      '  kconfig: Kconfig.mod',
      '  settings:',
      '    board_root: .',
      '    dts_root: dts',
      'samples:',
      '  - samples',
      '  - missing',
      'boards:',
      '  - extra_boards',
      '',
    ].join('\n'),
    'mods/m1/Kconfig.mod': 'config M1\n\tbool "m1"\n',
    'mods/m1/boards/v/b1/board.yml': boardYml('b1'),
    'mods/m1/extra_boards/v/b2/board.yml': boardYml('b2'),
    'mods/m1/samples/s1/prj.conf': '',
    'm2/zephyr/module.yaml': 'build:\n  cmake: zephyr\n',
    'm2/zephyr/Kconfig': 'config M2\n\tbool "m2"\n',
    'plain/README': 'not a module',
    'disabled/zephyr/module.yml': 'samples: [s]\n',
    'disabled/s/': '',
  });

  it('collects Kconfig files (build.kconfig, else zephyr/Kconfig), board roots and samples of active cloned modules', () => {
    const r = resolveModules(ws);
    expect(r.modules.map((m) => [m.name, m.project])).toEqual([['first', 'm1'], ['m2', 'm2']]);
    expect(r.kconfigFiles).toEqual([path.join(ROOT, 'kconfig/Kconfig'), path.join(ws, 'mods/m1/Kconfig.mod'), path.join(ws, 'm2/zephyr/Kconfig')]);
    expect(r.boardRoots).toEqual([path.join(ROOT, 'boards'), path.join(ws, 'mods/m1/boards'), path.join(ws, 'mods/m1/extra_boards')]);
    expect(r.sampleRoots).toEqual([path.join(ROOT, 'samples'), path.join(ws, 'mods/m1/samples')]);
    expect(r.modules[0]!.dtsRoots).toEqual([path.join(ws, 'mods/m1/dts')]);
    expect(listBoards(r.boardRoots.slice(1)).map((b) => b.name)).toEqual(['b1', 'b2']);
    expect(listBoards(r.boardRoots).map((b) => b.name)).toEqual(expect.arrayContaining(['b1', 'b2', 'qemu_x86']));
  });

  it('warns about (and skips) projects that are not cloned and declared folders that are missing', () => {
    expect(resolveModules(ws).warnings).toEqual([
      `${path.join(ws, 'mods/m1/zephyr/module.yml')}: samples[1]: folder 'missing' not found; skipped`,
      "project 'gone' (gone) is not cloned; skipped",
    ]);
  });

  it('rejects a malformed module.yml, naming the file and the key', () => {
    const bad = (yml: string): string => {
      const dir = workspace({ 'zephyr/module.yml': yml, 'Kconfig.x': '' });
      try {
        readModule(dir);
      } catch (e) {
        if (e instanceof ManifestError) return e.message.split(dir + path.sep).join('M/');
        throw e;
      }
      throw new Error('no error');
    };
    expect(bad('build:\n  kconfig: [a\n')).toMatch(/^M\/zephyr\/module\.yml:\d+:\d+: invalid YAML: /);
    expect(bad('build:\n  kconfg: Kconfig\n')).toBe("M/zephyr/module.yml: build: unknown key 'kconfg' (did you mean 'kconfig'?)");
    expect(bad('build:\n  kconfig: nope/Kconfig\n')).toBe("M/zephyr/module.yml: build.kconfig: 'nope/Kconfig' is not a Kconfig file (M/nope/Kconfig)");
    expect(bad('samples: samples\n')).toBe('M/zephyr/module.yml: samples: expected an array, got "samples"');
    expect(bad('build:\n  settings:\n    board_root: 1\n')).toBe('M/zephyr/module.yml: build.settings.board_root: expected a string, got 1');
    expect(bad('- a\n')).toBe('M/zephyr/module.yml: (top level): expected an object, got an array');
    expect(() => bad('build:\n  kconfig: Kconfig.x\n')).toThrow('no error');
  });
});
