import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  assignmentLine,
  fragmentsHash,
  MENUCONFIG_CONF,
  MENUCONFIG_JSON,
  menuconfigApplies,
  menuconfigFragment,
  overlayText,
  parseRecord,
  withoutOverlay,
  writeMenuconfig,
  type MenuconfigRecord,
} from '../../src/build/menuconfig/persist.ts';

const files = (m: Record<string, string | null>) => (f: string) => m[f] ?? null;

describe('menuconfig persistence: the pure check', () => {
  const base = { '/a/defconfig': 'CONFIG_X=y\n', '/app/prj.conf': 'CONFIG_Y=1\n' };
  const frags = ['/a/defconfig', '/app/prj.conf'];
  const h = fragmentsHash(frags, [], files(base));

  it('hashes fragment paths, order, contents, presence and -D assignments', () => {
    expect(fragmentsHash(frags, [], files({ ...base }))).toBe(h);
    expect(fragmentsHash(frags, [], files({ ...base, '/app/prj.conf': 'CONFIG_Y=2\n' }))).not.toBe(h);
    expect(fragmentsHash([...frags].reverse(), [], files(base))).not.toBe(h);
    expect(fragmentsHash(frags, ['CONFIG_Z=y'], files(base))).not.toBe(h);
    expect(fragmentsHash([...frags, '/app/boards/x.conf'], [], files(base))).not.toBe(h);
    expect(fragmentsHash(frags, [], files({ ...base, '/app/prj.conf': null }))).not.toBe(fragmentsHash(frags, [], files({ ...base, '/app/prj.conf': '' })));
  });

  it('applies a saved menuconfig only to the exact inputs it was based on', () => {
    const rec: MenuconfigRecord = { version: 1, fragmentsHash: h, fragments: frags, defines: [], savedAt: '' };
    expect(menuconfigApplies(rec, h)).toBe(true);
    expect(menuconfigApplies(rec, fragmentsHash(frags, ['CONFIG_Z=y'], files(base)))).toBe(false);
    expect(menuconfigApplies(null, h)).toBe(false);
    expect(menuconfigApplies({ ...rec, version: 2 as 1 }, h)).toBe(false);
  });

  it('treats a malformed menuconfig.json as absent', () => {
    expect(parseRecord('{')).toBeNull();
    expect(parseRecord('{"version":2,"fragmentsHash":"x"}')).toBeNull();
    expect(parseRecord('{"version":1}')).toBeNull();
    expect(parseRecord('{"version":1,"fragmentsHash":"x"}')).toEqual({ version: 1, fragmentsHash: 'x', fragments: [], defines: [], savedAt: '' });
  });

  it('writes assignments as fragment lines, strings escaped', () => {
    expect(assignmentLine({ name: 'A', value: 'y', type: 'bool' })).toBe('CONFIG_A=y');
    expect(assignmentLine({ name: 'A', value: 'n', type: 'bool' })).toBe('# CONFIG_A is not set');
    expect(assignmentLine({ name: 'H', value: '0x10', type: 'hex' })).toBe('CONFIG_H=0x10');
    expect(assignmentLine({ name: 'S', value: 'say "hi" \\o/', type: 'string' })).toBe('CONFIG_S="say \\"hi\\" \\\\o/"');
    expect(overlayText([]).split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
  });
});

describe('menuconfig persistence: the files westBuild reads', () => {
  function setup(): { zephyr: string; prj: string; frags: string[] } {
    const dir = mkdtempSync(path.join(tmpdir(), 'zsim-mc-persist-'));
    const prj = path.join(dir, 'prj.conf');
    writeFileSync(prj, 'CONFIG_A=y\n');
    return { zephyr: path.join(dir), prj, frags: [prj] };
  }

  it('gives menuconfig.conf while the fragments are unchanged, and forgets it when one changes', () => {
    const { zephyr, prj, frags } = setup();
    expect(menuconfigFragment(zephyr, frags)).toBeNull();
    const conf = writeMenuconfig(zephyr, [{ name: 'B', value: '3', type: 'int' }], { fragments: frags, defines: ['CONFIG_C=y'] });
    expect(conf).toBe(path.join(zephyr, MENUCONFIG_CONF));
    expect(readFileSync(conf, 'utf8')).toMatch(/\nCONFIG_B=3\n$/);
    const rec = JSON.parse(readFileSync(path.join(zephyr, MENUCONFIG_JSON), 'utf8')) as MenuconfigRecord;
    expect(rec).toMatchObject({ version: 1, fragments: frags, defines: ['CONFIG_C=y'], fragmentsHash: fragmentsHash(frags, ['CONFIG_C=y']) });
    expect(menuconfigFragment(zephyr, frags, ['CONFIG_C=y'])).toBe(conf);
    // A caller listing menuconfig.conf among the fragments still gets the same answer.
    expect(menuconfigFragment(zephyr, [...frags, conf], ['CONFIG_C=y'])).toBe(conf);
    expect(menuconfigFragment(zephyr, frags, [], { removeStale: false })).toBeNull();
    expect(existsSync(conf)).toBe(true);
    writeFileSync(prj, 'CONFIG_A=n\n');
    expect(menuconfigFragment(zephyr, frags, ['CONFIG_C=y'])).toBeNull();
    expect(existsSync(conf)).toBe(false);
    expect(existsSync(path.join(zephyr, MENUCONFIG_JSON))).toBe(false);
  });

  it('ignores a record without its fragment', () => {
    const { zephyr, frags } = setup();
    writeMenuconfig(zephyr, [], { fragments: frags, defines: [] });
    expect(menuconfigFragment(zephyr, frags)).toBe(path.join(zephyr, MENUCONFIG_CONF));
    rmSync(path.join(zephyr, MENUCONFIG_CONF));
    expect(menuconfigFragment(zephyr, frags)).toBeNull();
    expect(withoutOverlay([path.join(zephyr, MENUCONFIG_CONF), '/x'], zephyr)).toEqual(['/x']);
  });
});
