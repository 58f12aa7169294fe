import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { listBoards } from '../../src/build/boards.ts';
import { ROOT, zsim } from '../helpers/cli.ts';

const GOOD_YAML = [
  'identifier: b1', 'name: Board One', 'type: mcu', 'arch: arm', 'toolchain: [zephyr]', 'ram: 64', 'flash: 256',
  'supported: [netif:eth]', 'testing:', '  default: true', 'vendor: v', '',
].join('\n');

/** A board root with one board `b1`; `yaml` replaces b1.yaml, `boardYml` replaces board.yml. */
function boardRoot(files: { yaml?: string; boardYml?: string } = {}): { root: string; dir: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'zsim-boards-'));
  const dir = path.join(root, 'v', 'b1');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'board.yml'), files.boardYml ?? 'board:\n  name: b1\n  vendor: v\n  socs:\n    - name: s1\n');
  writeFileSync(path.join(dir, 'b1.yaml'), files.yaml ?? GOOD_YAML);
  return { root, dir };
}

const errorOf = (files: { yaml?: string; boardYml?: string }): string => {
  const { root } = boardRoot(files);
  try {
    listBoards([root]);
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
};

describe('board files: every numeric and enum field is checked', () => {
  it('reads a good board', () => {
    const [b] = listBoards([boardRoot().root]);
    expect(b).toMatchObject({ name: 'b1', ram: 64, flash: 256, arch: 'arm', socs: ['s1'], supported: ['netif:eth'] });
  });

  it('names the file and the field of a bad value', () => {
    const bad = (field: string, value: string): string => errorOf({ yaml: GOOD_YAML.replace(new RegExp(`^${field}:.*$`, 'm'), `${field}: ${value}`) });
    expect(bad('ram', 'lots')).toMatch(/\/v\/b1\/b1\.yaml: ram must be a whole number of at least 1 \(KiB\), got 'lots'$/);
    expect(bad('flash', '1.5')).toMatch(/b1\.yaml: flash must be a whole number of at least 1 \(KiB\), got '1\.5'$/);
    expect(bad('ram', '-4')).toMatch(/b1\.yaml: ram must be a whole number of at least 1 \(KiB\), got '-4'$/);
    expect(bad('arch', 'z80')).toMatch(/b1\.yaml: arch must be one of arc, arm, arm64, .*, got 'z80'$/);
    expect(bad('type', 'board')).toMatch(/b1\.yaml: type must be one of mcu, qemu, sim, unit, native, got 'board'$/);
    expect(bad('supported', 'netif')).toMatch(/b1\.yaml: supported must be a list, got 'netif'$/);
    expect(bad('toolchain', '[zephyr, 3]')).toMatch(/b1\.yaml: toolchain\[1\] must be a non-empty string, got '3'$/);
    expect(errorOf({ yaml: GOOD_YAML.replace('  default: true', '  default: maybe') })).toMatch(/b1\.yaml: testing\.default must be true or false, got 'maybe'$/);
    expect(errorOf({ yaml: GOOD_YAML + 'simulation:\n  - name: bochs\n' })).toMatch(/b1\.yaml: simulation\[0\]\.name must be one of qemu, .*, got 'bochs'$/);
    expect(errorOf({ yaml: GOOD_YAML + 'zsim:\n  netif:\n    - type: serial\n      mac: "00:11:22:33:44:55"\n' })).toMatch(/b1\.yaml: zsim\.netif\[0\]\.type must be ethernet or wifi$/);
    expect(errorOf({ boardYml: 'board:\n  name: b1\n  socs: s1\n' })).toMatch(/board\.yml: board\.socs must be a list, got 's1'$/);
    expect(errorOf({ boardYml: 'board:\n  name: b1\n  full_name: 7\n' })).toMatch(/board\.yml: board\.full_name must be a non-empty string, got '7'$/);
  });

  it('zsim boards and zsim build refuse the board file, exit 2', () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'zsim-ws-'));
    const { root } = boardRoot({ yaml: GOOD_YAML.replace('ram: 64', 'ram: lots') });
    writeFileSync(path.join(ws, 'manifest.json'), JSON.stringify({ manifest: { projects: [{ name: 'm', url: 'u', path: 'm' }], self: { path: '.' } } }));
    mkdirSync(path.join(ws, 'm', 'zephyr'), { recursive: true });
    writeFileSync(path.join(ws, 'm', 'zephyr', 'module.yml'), `name: m\nboards:\n  - ${root}\n`);
    const r = zsim(['boards'], { cwd: ws });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`zsim: error: ${path.join(root, 'v/b1/b1.yaml')}: ram must be a whole number of at least 1 (KiB), got 'lots'\n`);
    const b = zsim(['build', '-b', 'b1', path.join(ROOT, 'samples/hello_world'), '-d', path.join(ws, 'build')], { cwd: ws });
    expect(b.code).toBe(2);
    expect(b.stderr).toBe(r.stderr);
  });
});
