import { describe, expect, it } from 'vitest';
import { changedValues, nodeInfo, originOf, plainDefault, suggestNames, symbolInfoLines } from '../../src/build/menuconfig/info.ts';
import { mergeConfigs, type Kconfig } from '../../src/kconfig/index.ts';
import { loadModelTree } from './helpers.ts';

/** The model tree with a fragment merged as the build does it (file name shown in origins). */
function withFragment(text: string): Kconfig {
  const k = loadModelTree();
  k.loadConfig('/app/prj.conf', { replace: false, text });
  return k;
}

const sym = (k: Kconfig, name: string) => k.symbol(name)!;

describe('symbol origins', () => {
  it('says where a value was set, or that it is a default, a select, a choice default', () => {
    const k = withFragment('CONFIG_COUNT=7\n# CONFIG_A is not set\nCONFIG_SELECTOR=y\n');
    expect(originOf(k, sym(k, 'COUNT'))).toBe('set in /app/prj.conf:1');
    expect(originOf(k, sym(k, 'A'))).toBe('set in /app/prj.conf:2');
    expect(originOf(k, sym(k, 'SELECTED'))).toBe('selected by SELECTOR');
    expect(originOf(k, sym(k, 'LABEL'))).toBe('default');
    expect(originOf(k, sym(k, 'MODE_B'))).toBe('default selection of <choice MODE>');
    expect(originOf(k, sym(k, 'MODE_A'))).toBe('MODE_B is selected in <choice MODE>');
  });

  it('explains an assignment that did not take', () => {
    const k = withFragment('# CONFIG_A is not set\nCONFIG_A_CHILD=y\nCONFIG_SELECTOR=y\n# CONFIG_SELECTED is not set\n');
    expect(originOf(k, sym(k, 'A_CHILD'))).toBe('set to "y" in /app/prj.conf:2, but its dependencies are not met (A (=n))');
    expect(originOf(k, sym(k, 'SELECTED'))).toBe('set to "n" in /app/prj.conf:4, but it is selected by SELECTOR');
  });

  it('knows plain defaults (without selects) for bools, ints and choice symbols', () => {
    const k = withFragment('CONFIG_SELECTOR=y\n');
    expect(plainDefault(sym(k, 'A'))).toBe('y');
    expect(plainDefault(sym(k, 'SELECTED'))).toBe('n');
    expect(plainDefault(sym(k, 'COUNT'))).toBe('3');
    expect(plainDefault(sym(k, 'MODE_B'))).toBe('y');
    expect(plainDefault(sym(k, 'NET_BUF'))).toBe(''); // its default is conditional on NET
  });
});

describe('changed values (zsim config without a symbol)', () => {
  it('lists assigned and non-default values with their origins, aligned', () => {
    const k = withFragment('CONFIG_COUNT=7\nCONFIG_SELECTOR=y\n# CONFIG_A is not set\nCONFIG_A_CHILD=y\n');
    expect(changedValues(k)).toEqual([
      'CONFIG_A=n         (set in /app/prj.conf:3)',
      'CONFIG_A_CHILD=n   (set to "y" in /app/prj.conf:4, but its dependencies are not met (A (=n)))',
      'CONFIG_COUNT=7     (set in /app/prj.conf:1)',
      'CONFIG_SELECTOR=y  (set in /app/prj.conf:2)',
      'CONFIG_SELECTED=y  (selected by SELECTOR)',
    ]);
    expect(changedValues(k, { all: true })).toContain('CONFIG_LABEL="hello"  (default)');
  });

  it('reproduces the build merge: -D assignments are reported as such', () => {
    const k = loadModelTree();
    mergeConfigs(k, { fragments: [], extra: ['CONFIG_COUNT=9'], extraName: 'command line (-D)' });
    expect(originOf(k, sym(k, 'COUNT'))).toBe('set on the command line (-D)');
  });
});

describe('information screens', () => {
  it('for a symbol: value, origin, dependencies with values, range, definition', () => {
    const k = withFragment('# CONFIG_A is not set\n');
    const lines = symbolInfoLines(k, 'A_VALUE')!;
    expect(lines.slice(0, 6)).toEqual(['Symbol: CONFIG_A_VALUE', 'Prompt: A value', 'Type: int', 'Value: (empty)', 'Origin: default', 'Visible: n']);
    expect(lines).toContain('Direct dependencies (=n):');
    expect(lines).toContain('  A (=n)');
    expect(lines).toContain('  - [0, 100] if A (=n)');
    expect(lines).toContain('  config A_VALUE');
    expect(lines.join('\n')).not.toContain('\t');
    expect(symbolInfoLines(k, 'NOPE')).toBeUndefined();
  });

  it('for a choice and a menu', () => {
    const k = loadModelTree();
    const choice = k.choice('MODE')!.nodes[0]!;
    const info = nodeInfo(k, choice);
    expect(info.slice(0, 5)).toEqual(['Choice: <choice MODE>', 'Prompt: Mode', 'Type: bool', 'Mode: y', 'Selection: MODE_B (default selection of <choice MODE>)']);
    expect(info).toContain('  (X) MODE_B');
    const menu = k.menus.find((m) => m.prompt![0] === 'Needs B')!;
    expect(nodeInfo(k, menu).slice(0, 4)).toEqual(['Menu: Needs B', '', 'Dependencies (=n):', '  B_ON (=n)']);
  });

  it('suggests close names for typos and parts of names', () => {
    const k = loadModelTree();
    expect(suggestNames(k, 'COUTN')).toEqual(['COUNT']);
    expect(suggestNames(k, 'selectd')).toEqual(['SELECTED', 'SELECTOR']);
    expect(suggestNames(k, 'IPV6')).toEqual(['NET_IPV6']);
    expect(suggestNames(k, 'ZZZZZZZZZZ')).toEqual([]);
  });
});
