import { describe, expect, it } from 'vitest';
import { MenuModel, checkValid } from '../../src/build/menuconfig/model.ts';
import { searchNodes } from '../../src/build/menuconfig/search.ts';
import { KSymbol, type MenuNode } from '../../src/kconfig/index.ts';
import { loadModelTree, modelOf, rows, select } from './helpers.ts';

/** Enter on an int/hex/string entry asks for the value dialog. */
function editNode(m: MenuModel): MenuNode {
  const r = m.activate('enter');
  if (r.kind !== 'edit') throw new Error(`expected an edit request, got ${r.kind}`);
  return r.node;
}

describe('menuconfig model: what is shown', () => {
  it('shows the top menu like Kconfiglib: values, implicit submenus indented, --->, ----', () => {
    expect(rows(modelOf())).toEqual([
      '[*] Feature A',
      '[ ]     A child',
      '(10)    A value',
      '[ ] Networking  ----',
      '    Numbers  --->',
      '    Mode (Mode B)  --->',
      '[ ] Selector',
      '[ ] Selected thing',
      '[ ] B on',
    ]);
  });

  it('marks symbols missing from the loaded .config as (NEW)', () => {
    const k = loadModelTree();
    const m = new MenuModel(k, [], { inConfig: new Set(['A']) });
    expect(m.nodeStr(m.shown[0]!)).toBe('[*] Feature A');
    expect(m.nodeStr(m.shown[1]!)).toBe('[ ]     A child (NEW)');
  });

  it('hides entries whose dependencies are off, and shows them in show-all mode', () => {
    const m = modelOf();
    expect(rows(m).some((r) => r.includes('Needs B'))).toBe(false);
    m.toggleShowAll();
    expect(rows(m)).toContain('    Needs B  --->');
    expect(rows(m).some((r) => r.includes('IPv6'))).toBe(false); // inside the Networking menu
    expect(modelOf(undefined, { showAll: true }).showAll).toBe(true);
  });

  it('names prompt-less symbols in show-all mode, as Kconfiglib does (no prompt to show)', () => {
    const m = modelOf();
    select(m, 'Numbers');
    m.activate('enter');
    expect(rows(m).some((r) => r.includes('HIDDEN_NUM'))).toBe(false);
    m.toggleShowAll();
    expect(rows(m)).toEqual(['(3) Count', '(0x1000) Address', '(hello) Label', '    *** A comment ***', '(5) <HIDDEN_NUM>']);
    // Show-name mode does not name it twice.
    m.showName = true;
    expect(rows(m)).toContain('(5) <HIDDEN_NUM>');
    expect(rows(m)).toContain('(3) <COUNT> Count');
  });

  it('shows -*- for a symbol pinned by a select, and its show-name form', () => {
    const m = modelOf();
    select(m, 'Selector');
    m.activate('space');
    expect(rows(m)).toContain('-*- Selected thing');
    m.showName = true;
    expect(rows(m)).toContain('-*- <SELECTED> Selected thing');
  });
});

describe('menuconfig model: navigation', () => {
  it('moves with clamping and scrolls to keep the selection in view', () => {
    const m = modelOf();
    m.rows = 4;
    m.moveBy(-3);
    expect(m.sel).toBe(0);
    m.moveBy(6);
    expect(m.sel).toBe(6);
    expect(m.scroll).toBeGreaterThan(0);
    expect(m.sel).toBeLessThan(m.scroll + m.rows);
    m.moveBy(100);
    expect(m.sel).toBe(m.shown.length - 1);
  });

  it('enters a menu with Enter and goes back to the same entry when leaving', () => {
    const m = modelOf();
    select(m, 'Numbers');
    expect(m.activate('enter')).toEqual({ kind: 'entered' });
    expect(m.pathText()).toBe('(Top) > Numbers');
    expect(rows(m)).toEqual(['(3) Count', '(0x1000) Address', '(hello) Label', '    *** A comment ***']);
    m.leave();
    expect(m.atTop).toBe(true);
    expect(m.nodeStr(m.selected!)).toBe('    Numbers  --->');
  });

  it('does not enter an empty menuconfig symbol; Space toggles it, then Enter enters', () => {
    const m = modelOf();
    select(m, 'Networking');
    expect(m.activate('enter')).toEqual({ kind: 'none' });
    expect(m.activate('space')).toEqual({ kind: 'changed' });
    expect(m.nodeStr(m.selected!)).toBe('[*] Networking  --->');
    expect(m.activate('enter')).toEqual({ kind: 'entered' });
    expect(rows(m)).toEqual(['[*] IPv6', '(8) Buffers']);
  });

  it('leaves a menu that empties itself after a change', () => {
    const m = modelOf();
    select(m, 'B on');
    m.setTri(2);
    select(m, 'Needs B');
    m.activate('enter');
    expect(m.pathText()).toBe('(Top) > Needs B');
    // Turn B_ON off behind the menu's back, then refresh as a change would.
    (m.kconf.symbol('B_ON') as KSymbol).setValue('n');
    m.update();
    expect(m.atTop).toBe(true);
  });
});

describe('menuconfig model: changing values', () => {
  it('toggles bools with Space and sets them with y/n, hiding and showing dependents', () => {
    const m = modelOf();
    select(m, 'Feature A');
    expect(m.activate('space')).toEqual({ kind: 'changed' });
    expect(rows(m).slice(0, 2)).toEqual(['[ ] Feature A', '[ ] Networking  ----']);
    expect(m.nodeStr(m.selected!)).toBe('[ ] Feature A');
    expect(m.setTri(2)).toBe(true);
    expect(rows(m)[1]).toBe('[ ]     A child');
    expect(m.changed).toBe(true);
    expect([...m.assignments.values()]).toEqual([{ name: 'A', value: 'y', type: 'bool' }]);
  });

  it('refuses values that are not assignable (m on a bool, n on a selected symbol)', () => {
    const m = modelOf();
    select(m, 'Feature A');
    expect(m.setTri(1)).toBe(false);
    select(m, 'Selector');
    m.setTri(2);
    select(m, 'Selected thing');
    expect(m.setTri(0)).toBe(false);
    expect(m.activate('space')).toEqual({ kind: 'none' });
  });

  it('picks a choice symbol: (X) radio buttons, back to the parent menu, shown after the choice', () => {
    const m = modelOf();
    select(m, 'Mode');
    m.activate('enter');
    expect(rows(m)).toEqual(['( ) Mode A', '(X) Mode B', '( ) Mode C']);
    expect(m.nodeStr(m.selected!)).toBe('(X) Mode B'); // entering selects the current choice
    m.moveBy(1);
    expect(m.activate('enter')).toEqual({ kind: 'changed' });
    expect(m.atTop).toBe(true);
    expect(m.nodeStr(m.selected!)).toBe('    Mode (Mode C)  --->');
    expect(m.kconf.symbol('MODE_C')!.strValue).toBe('y');
    expect(m.assignments.get('MODE_C')).toEqual({ name: 'MODE_C', value: 'y', type: 'bool' });
  });

  it('hides a choice symbol whose dependency goes away, and the choice falls back to its default', () => {
    const m = modelOf();
    select(m, 'Mode');
    m.activate('enter');
    select(m, 'Mode C');
    m.activate('space');
    select(m, 'Feature A');
    m.setTri(0);
    expect(rows(m)).toContain('    Mode (Mode B)  --->');
  });

  it('edits ints, hex and strings through a dialog request, validating like Kconfiglib', () => {
    const m = modelOf();
    select(m, 'Numbers');
    m.activate('enter');
    const node = editNode(m);
    expect(m.editRequest(node)).toEqual({ title: 'Count (int)', initial: '3', rangeInfo: 'Range: 1-10' });
    expect(m.submitEdit(node, '12x')).toBe("'12x' is a malformed int value");
    expect(m.submitEdit(node, '11')).toBe('11 is outside the range 1-10');
    expect(m.kconf.symbol('COUNT')!.strValue).toBe('3');
    expect(m.changed).toBe(false);
    expect(m.submitEdit(node, ' 7 ')).toBeNull();
    expect(rows(m)[0]).toBe('(7) Count');
    select(m, 'Address');
    const hex = editNode(m);
    expect(m.submitEdit(hex, '0x2000')).toBe('0x2000 is outside the range 0x1000-0x1fff');
    expect(m.submitEdit(hex, '1abc')).toBeNull(); // 0x is added, as in make menuconfig
    expect(m.kconf.symbol('ADDR')!.strValue).toBe('0x1abc');
    select(m, 'Label');
    const str = editNode(m);
    expect(m.submitEdit(str, 'say "hi"')).toBeNull();
    expect(rows(m)).toContain('(say "hi") Label');
    expect([...m.assignments.keys()]).toEqual(['COUNT', 'ADDR', 'LABEL']);
  });

  it('checkValid accepts what Python int() accepts and applies only the active range', () => {
    const k = loadModelTree();
    const a = k.symbol('A_VALUE')!;
    expect(checkValid(a, '-0')).toBeNull();
    expect(checkValid(a, '1_0')).toBeNull();
    expect(checkValid(a, '0x10')).toBe("'0x10' is a malformed int value");
    expect(checkValid(a, '101')).toBe('101 is outside the range 0-100');
    expect(checkValid(k.symbol('LABEL')!, 'anything')).toBeNull();
  });

  it('records the latest assignment last (the order a fragment needs for choices)', () => {
    const m = modelOf();
    select(m, 'Feature A');
    m.setTri(0);
    select(m, 'B on');
    m.setTri(2);
    select(m, 'Feature A');
    m.setTri(2);
    expect([...m.assignments.keys()]).toEqual(['B_ON', 'A']);
  });
});

describe('menuconfig search and jump', () => {
  it('matches names and prompts case-insensitively, exact name first, all terms required', () => {
    const k = loadModelTree();
    const names = (q: string): string[] => searchNodes(k, q).nodes.map((n) => (n.item instanceof KSymbol ? n.item.name : n.prompt![0]));
    expect(names('a_child')).toEqual(['A_CHILD']);
    expect(names('mode_b')[0]).toBe('MODE_B');
    expect(names('CONFIG_COUNT')).toEqual(['COUNT']);
    expect(names('^a')).toEqual(['A', 'A_CHILD', 'A_VALUE', 'ADDR', 'A comment']);
    expect(names('mode c')).toEqual(['MODE_C']);
    expect(names('numbers')).toEqual(['Numbers']);
    expect(searchNodes(k, '(').error).toMatch(/^Bad regular expression/);
  });

  it('jumps into the menu holding the result, and to hidden entries with show-all', () => {
    const m = modelOf();
    m.jumpTo(searchNodes(m.kconf, 'LABEL').nodes[0]!);
    expect(m.pathText()).toBe('(Top) > Numbers');
    expect(m.nodeStr(m.selected!)).toBe('(hello) Label');
    m.jumpTo(searchNodes(m.kconf, 'NET_BUF').nodes[0]!);
    expect(m.showAll).toBe(true);
    expect(m.pathText()).toBe('(Top) > Networking');
    expect(m.nodeStr(m.selected!)).toBe('()  Buffers'); // invisible: no value, as in Kconfiglib
    m.leave();
    expect(m.atTop).toBe(true);
  });

  it('jumping to a menu or choice enters it', () => {
    const m = modelOf();
    m.jumpTo(searchNodes(m.kconf, 'Numbers').nodes[0]!);
    expect(m.pathText()).toBe('(Top) > Numbers');
    expect(m.sel).toBe(0);
    expect(m.showAll).toBe(false);
  });
});
