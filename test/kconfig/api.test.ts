import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadKconfig, setValue, typedValue, type MenuTreeNode } from '../../src/kconfig/index.ts';
import { baseEnv, writeTree } from './harness.ts';

const dir = writeTree({
  Kconfig: [
    'mainmenu "Demo $(VERSION)"',
    'config NET',
    '\tbool "Networking"',
    '\thelp',
    '\t  Enables networking.',
    'menu "Protocols"',
    '\tdepends on NET',
    'config MQTT',
    '\tbool "MQTT"',
    '\tdepends on NET && TLS',
    '\tselect SOCKETS',
    'config TLS',
    '\tbool "TLS"',
    'endmenu',
    'config SOCKETS',
    '\tbool',
    'config PORT',
    '\thex "port"',
    '\trange 0x0 0xffff',
    '\tdefault 0x75b',
    'config NAME',
    '\tstring "name"',
    '\tdefault "dev"',
    'rsource "drivers/Kconfig"',
  ].join('\n'),
  'drivers/Kconfig': 'config UART\n\tint "uart count"\n\tdefault 2\n',
  'prj.conf': 'CONFIG_NET=y\nCONFIG_TLS=y\nCONFIG_MQTT=y\n',
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('loadKconfig', () => {
  it('resolves the top file and sources through srctree, from any cwd', () => {
    const kconf = loadKconfig('Kconfig', { srctree: dir, cwd: os.tmpdir(), env: baseEnv({ VERSION: '1.0' }) });
    expect(kconf.mainmenuText).toBe('Demo 1.0');
    expect(kconf.symbol('UART')!.nodes[0]!.filename).toBe('drivers/Kconfig');
    kconf.loadConfig('prj.conf');
    expect(kconf.symbol('MQTT')!.strValue).toBe('y');
  });
});

describe('introspection', () => {
  const kconf = loadKconfig('Kconfig', { cwd: dir, env: baseEnv({ VERSION: '1.0' }) });
  kconf.loadConfig('prj.conf');

  it('exposes the menu tree for a menuconfig (a menu depending on NET nests under it)', () => {
    const tree = kconf.menuTree();
    const brief = (n: MenuTreeNode): unknown => [n.kind, n.name ?? n.prompt, n.visible, n.value, n.children.map(brief)];
    expect(brief(tree)).toEqual([
      'menu',
      'Demo 1.0',
      true,
      null,
      [
        ['symbol', 'NET', true, 'y', [['menu', 'Protocols', true, null, [['symbol', 'MQTT', true, 'y', []], ['symbol', 'TLS', true, 'y', []]]]]],
        ['symbol', 'SOCKETS', false, 'y', []],
        ['symbol', 'PORT', true, '0x75b', []],
        ['symbol', 'NAME', true, 'dev', []],
        ['symbol', 'UART', true, '2', []],
      ],
    ]);
    const mqtt = tree.children[0]!.children[0]!.children[0]!;
    expect(mqtt.definedAt).toEqual({ filename: 'Kconfig', linenr: 8 });
    expect(mqtt.dependsOn).toEqual({ expr: 'NET && TLS && NET', value: 'y' });
    expect(tree.children[0]!.help).toBe('Enables networking.');
    expect(tree.children[4]!.includePath).toEqual([{ filename: 'Kconfig', linenr: 24 }]);
  });

  it('explains a symbol: value, origin, dependencies, selectors', () => {
    const info = kconf.symbolInfo('SOCKETS')!;
    expect(info).toMatchObject({
      name: 'SOCKETS',
      type: 'bool',
      value: 'y',
      userValue: null,
      visibility: 'n',
      prompts: [],
      selectedBy: [{ expr: 'MQTT && NET && TLS && NET', value: 'y' }],
      inConfig: true,
    });
    const mqtt = kconf.symbolInfo('MQTT')!;
    expect(mqtt.userValue).toBe('y');
    expect(mqtt.userValueSetAt).toEqual({ filename: 'prj.conf', linenr: 3 });
    expect(mqtt.directDeps.terms).toEqual([
      { expr: 'NET', value: 'y' },
      { expr: 'TLS', value: 'y' },
      { expr: 'NET', value: 'y' },
    ]);
    expect(kconf.symbolInfo('PORT')!.ranges).toEqual([{ low: '0x0', high: '0xffff', condition: { expr: 'y', value: 'y' } }]);
    expect(kconf.symbolInfo('NOPE')).toBeUndefined();
  });

  it('reads typed values and sets values by name', () => {
    expect(typedValue(kconf, 'NET')).toBe(true);
    expect(typedValue(kconf, 'PORT')).toBe(0x75bn);
    expect(typedValue(kconf, 'UART')).toBe(2n);
    expect(typedValue(kconf, 'NAME')).toBe('dev');
    expect(setValue(kconf, 'UART', '4')).toBe(true);
    expect(setValue(kconf, 'UART', 'four')).toBe(false);
    expect(setValue(kconf, 'UNDEFINED', 'y')).toBe(false);
    expect(typedValue(kconf, 'UART')).toBe(4n);
    expect(kconf.warnings.at(-1)?.message).toBe(
      "the value 'four' is invalid for UART (defined at drivers/Kconfig:1), which has type int -- assignment ignored",
    );
  });

  it('iterates menu nodes in definition order', () => {
    const names = [...kconf.nodeIter()].map((n) => (typeof n.item === 'object' && n.item ? n.item.name : n.prompt?.[0]));
    expect(names).toEqual(['NET', 'Protocols', 'MQTT', 'TLS', 'SOCKETS', 'PORT', 'NAME', 'UART']);
  });
});

describe('scale', () => {
  it('loads and writes a 5000-symbol tree quickly', () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++) {
      lines.push(`config S${i}`, `\tbool "s${i}"`, '\tdefault y');
      if (i > 0) lines.push(`\tdepends on S${i - 1} || S${Math.floor(i / 2)}`);
      if (i % 7 === 0 && i + 1 < 5000) lines.push(`\tselect S${i + 1}`);
    }
    const d = writeTree({ Kconfig: lines.join('\n') + '\n' });
    const t0 = Date.now();
    const kconf = loadKconfig(path.join(d, 'Kconfig'), { env: baseEnv() });
    const text = kconf.configText();
    expect(text.split('\n')).toHaveLength(5001);
    expect(Date.now() - t0).toBeLessThan(5000);
    fs.rmSync(d, { recursive: true, force: true });
  });
});
