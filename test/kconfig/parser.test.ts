import { afterAll, describe, expect, it } from 'vitest';
import { Choice, KSymbol, type MenuNode } from '../../src/kconfig/index.ts';
import { cleanupTrees, loadError, loadTree } from './harness.ts';

afterAll(cleanupTrees);

function children(node: MenuNode): MenuNode[] {
  const out: MenuNode[] = [];
  for (let c = node.list; c; c = c.next) out.push(c);
  return out;
}

function label(n: MenuNode): string {
  const it = n.item;
  if (it instanceof KSymbol) return it.name;
  if (it instanceof Choice) return `<choice ${it.name ?? ''}>`;
  return `${it}:${n.prompt?.[0]}`;
}

describe('parse errors carry FILE:LINE: error:', () => {
  it.each([
    ['config A\n\tbool "a"\n@x\n', "Kconfig:3: error: couldn't parse '@x': unknown token at start of line"],
    ['config A\n\tbool "a\n', `Kconfig:2: error: couldn't parse 'bool "a': unterminated string`],
    ['config A\n\tbool "a"\n\tdepends on (B\n', "Kconfig:3: error: couldn't parse 'depends on (B': malformed expression"],
    ['if A\n', "Kconfig:1: error: expected 'endif' at end of 'Kconfig'"],
    ['endmenu\n', "Kconfig:1: error: couldn't parse 'endmenu': no corresponding 'menu'"],
    ['X := $(info)\n', 'Kconfig:1: error: bad number of arguments in call to info, expected 1, got 0'],
    ['$(error-if,y,boom)\n', 'Kconfig:1: error: boom'],
    ['source "nope"\n', "Kconfig:1: error: 'nope' not found (in 'source \"nope\"')"],
    ['config A\n\tint "a"\n\tdefault 1 || 2\n', 'Kconfig:1: error: the int symbol A (defined at Kconfig:1) has a malformed default'],
    ['menu "m"\n\thelp\n\t  x\nendmenu\n', "Kconfig:2: error: couldn't parse 'help': help is only valid for symbols and choices"],
    ['config A\n\tbool "a"\n\tvisible if B\n', "Kconfig:3: error: couldn't parse 'visible if B': 'visible if' is only valid for menus"],
  ])('%j', (text, want) => {
    expect(loadError({ Kconfig: text })?.message).toContain(want);
  });

  it('points into sourced files, with the include chain for recursion', () => {
    const e = loadError({ Kconfig: 'config A\n\tbool "a"\nsource "sub/K"\n', 'sub/K': '\n\nconfig\n' });
    expect(e?.message).toBe("sub/K:3: error: couldn't parse 'config': missing or bad symbol name");
    const r = loadError({ Kconfig: 'source "sub/K"\n', 'sub/K': 'source "Kconfig"\n' });
    expect(r?.message).toContain("sub/K:1: error: recursive 'source' of 'Kconfig' detected");
    expect(r?.kconfiglibMessage).toContain('Include path:\nKconfig:1\nsub/K:1');
  });

  it('names the symbols of a dependency loop', () => {
    const e = loadError({ Kconfig: 'config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\n\tdefault A\n' });
    expect(e?.message.split('\n')[0]).toBe('Kconfig:1: error: Dependency loop');
    expect(e?.message).toContain('...depends on B (defined at Kconfig:4)');
    expect(e?.message).toContain('...depends again on A (defined at Kconfig:1)');
  });
});

describe('structure', () => {
  it('records definition locations across sources, continuation lines and help texts', () => {
    const { kconf } = loadTree({
      Kconfig: 'config A\n\tbool "a" \\\n\t  if y\n\thelp\n\t  text\n\n\t  more\n\nconfig B\n\tbool\nsource "d/K"\n',
      'd/K': '# comment\nconfig C\n\tbool "c"\n',
    });
    const loc = (n: string): string => kconf.symbol(n)!.nodes.map((x) => `${x.filename}:${x.linenr}`).join(',');
    expect(loc('A')).toBe('Kconfig:1');
    expect(loc('B')).toBe('Kconfig:9');
    expect(loc('C')).toBe('d/K:2');
    expect(kconf.symbol('C')!.nodes[0]!.includePath).toEqual([['Kconfig', 11]]);
    expect(kconf.kconfigFilenames).toEqual(['Kconfig', 'd/K']);
  });

  it('applies help indentation rules', () => {
    const { kconf } = loadTree({
      Kconfig: [
        'config A',
        '\tbool "a"',
        '\thelp',
        '',
        '\t  line one',
        '\t    indented',
        '',
        '\t  after blank',
        '\tdefault y',
        'config B',
        '\tbool "b"',
        '\thelp',
        'config C',
        '\tbool "c"',
        '\t---help---',
        '        eight spaces',
        '\t\ttab tab',
        '',
      ].join('\n'),
    });
    expect(kconf.symbol('A')!.nodes[0]!.help).toBe('line one\n  indented\n\nafter blank');
    expect(kconf.symbol('A')!.defaults).toHaveLength(1);
    expect(kconf.symbol('B')!.nodes[0]!.help).toBe('');
    expect(kconf.symbol('C')!.nodes[0]!.help).toBe('eight spaces\n        tab tab');
    expect(kconf.warnings.map((w) => w.text)).toEqual(["warning: B (defined at Kconfig:10) has 'help' but empty help text"]);
  });

  it('creates implicit submenus, flattens ifs and keeps menus', () => {
    const { kconf } = loadTree({
      Kconfig: [
        'config A',
        '\tbool "a"',
        'config A1',
        '\tbool "a1"',
        '\tdepends on A',
        'config A2',
        '\tbool "a2"',
        '\tdepends on A && A1',
        'if A',
        'config IN_IF',
        '\tbool "in if"',
        'endif',
        'menu "M"',
        'config M1',
        '\tbool "m1"',
        'endmenu',
        'choice',
        '\tprompt "c"',
        'config C1',
        '\tbool "c1"',
        'endchoice',
      ].join('\n'),
    });
    const top = children(kconf.topNode);
    expect(top.map(label)).toEqual(['A', 'menu:M', '<choice >']);
    expect(children(top[0]!).map(label)).toEqual(['A1', 'IN_IF']);
    expect(children(children(top[0]!)[0]!).map(label)).toEqual(['A2']);
    expect(children(top[1]!).map(label)).toEqual(['M1']);
    expect(children(top[2]!).map(label)).toEqual(['C1']);
    expect(kconf.symbol('C1')!.choice).toBe(top[2]!.item);
  });

  it('merges properties of multiple definitions with each definition’s dependencies', () => {
    const { kconf } = loadTree({
      Kconfig: 'config X\n\tbool "x"\n\tdepends on A\n\tdefault y\nconfig A\n\tbool "a"\nconfig X\n\tdefault n if B\n\tdepends on B\nconfig B\n\tdef_bool y\n',
    });
    const x = kconf.symbol('X')!;
    expect(x.nodes).toHaveLength(2);
    expect(x.nameAndLoc).toBe('X (defined at Kconfig:1, Kconfig:7)');
    expect(x.toString()).toBe('config X\n\tbool "x"\n\tdefault y\n\tdepends on A\n\nconfig X\n\tbool\n\tdefault n if B\n\tdepends on B');
    expect(x.defaults).toHaveLength(2);
    expect(x.strValue).toBe('n');
  });

  it('accepts option env/defconfig_list/modules/allnoconfig_y with Kconfiglib warnings', () => {
    const { kconf } = loadTree(
      {
        Kconfig:
          'config E\n\tstring\n\toption env="MYVAR"\nconfig L\n\tstring\n\toption defconfig_list\n\tdefault "x"\nconfig M\n\tbool "m"\n\toption modules\nconfig Y\n\tbool "y"\n\toption allnoconfig_y\n',
      },
      { env: { MYVAR: 'v' } },
    );
    expect(kconf.symbol('E')!.strValue).toBe('v');
    expect(kconf.symbol('E')!.configString).toBe('');
    expect(kconf.defconfigList).toBe(kconf.symbol('L'));
    expect(kconf.symbol('Y')!.isAllnoconfigY).toBe(true);
    const texts = kconf.warnings.map((w) => w.text);
    expect(texts[0]).toMatch(/^Kconfig:3: warning: Kconfiglib expands environment variables/);
    expect(texts[1]).toMatch(/^Kconfig:10: warning: the 'modules' option is not supported/);
  });

  it('warns about style problems like Kconfiglib', () => {
    const { kconf } = loadTree({
      Kconfig: 'menu unquoted\nendmenu\nconfig S\n\tstring "s"\n\tdefault lower\nconfig N\n\tprompt "n"\nmenuconfig MC\n\tbool\n',
    });
    expect(kconf.warnings.map((w) => w.text)).toEqual([
      "Kconfig:1: warning: style: quotes recommended around 'unquoted' in 'menu unquoted'",
      'warning: the menuconfig symbol MC (defined at Kconfig:8) has no prompt',
      'warning: style: quotes recommended around default value for string symbol S (defined at Kconfig:3)',
      'warning: N (defined at Kconfig:6) defined without a type',
    ]);
  });
});
