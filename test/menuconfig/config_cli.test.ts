import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zsim } from '../helpers/cli.ts';
import { buildApp } from './helpers.ts';

const PRJ = 'test/menuconfig/fixtures/app/prj.conf';

describe('zsim config', () => {
  let dir = '';
  beforeAll(() => {
    dir = buildApp();
  });

  it('lists the values that differ from defaults, each with where it was set', () => {
    const r = zsim(['config', '-d', dir]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`# ${path.join(dir, 'zephyr/.config')}`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^CONFIG_APP_FEATURE=y +\\(set in ${PRJ}:2\\)$`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^CONFIG_APP_LEVEL=4 +\\(set in ${PRJ}:3\\)$`)));
    expect(lines).toContainEqual(expect.stringMatching(/^CONFIG_CONSOLE=y +\(set in boards\/qemu\/x86\/qemu_x86_defconfig:4\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^CONFIG_EARLY_CONSOLE=y +\(selected by BOOT_BANNER\)$/));
    // An assignment that did not take is listed with the reason.
    expect(lines).toContainEqual(
      expect.stringMatching(new RegExp(`^CONFIG_APP_NET_STATS=n +\\(set to "y" in ${PRJ}:4, but its dependencies are not met \\(NETWORKING \\(=n\\)\\)\\)$`)),
    );
    // Defaults are left out unless --all.
    expect(r.stdout).not.toContain('CONFIG_APP_NAME');
    const all = zsim(['config', '-d', dir, '--all']).stdout;
    expect(all).toMatch(/\nCONFIG_APP_NAME="demo" +\(default\)\n/);
    expect(all).toMatch(/\nCONFIG_APP_MODE_FAST=y +\(default selection of <choice APP_MODE>\)\n/);
  });

  it('shows a symbol set in prj.conf: value, type, file and line, range, defaults', () => {
    for (const name of ['APP_LEVEL', 'CONFIG_APP_LEVEL']) {
      const r = zsim(['config', '-d', dir, name]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        ['Symbol: CONFIG_APP_LEVEL', 'Prompt: App level', 'Type: int', 'Value: 4', `Origin: set in ${PRJ}:3`, 'Visible: y'].join('\n'),
      );
      expect(r.stdout).toContain('Defaults:\n  - 2\n');
      expect(r.stdout).toContain('Range:\n  - [1, 5]  (active)\n');
      expect(r.stdout).toContain('Defined at test/menuconfig/fixtures/app/Kconfig:11\nMenu path: (Top) > App options\n');
    }
  });

  it('shows a default value and its help', () => {
    const r = zsim(['config', '-d', dir, 'APP_NAME']);
    expect(r.stdout).toContain('Type: string\nValue: "demo"\nOrigin: default\n');
    const banner = zsim(['config', '-d', dir, 'BOOT_BANNER']).stdout;
    expect(banner).toContain('Origin: default\n');
    expect(banner).toContain('Selects PRINTK (=y)\nSelects EARLY_CONSOLE (=y)\n');
    expect(banner).toContain('Help:\n  This option outputs a banner to the console device during boot up.\n');
  });

  it('shows why a symbol is n: its unmet dependency with its value', () => {
    const r = zsim(['config', '-d', dir, 'APP_NET_STATS']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Value: n\n');
    expect(r.stdout).toContain(`Origin: set to "y" in ${PRJ}:4, but its dependencies are not met (NETWORKING (=n))\n`);
    expect(r.stdout).toContain('Direct dependencies (=n):\n  NETWORKING (=n)\n');
  });

  it('shows what selects a symbol', () => {
    const r = zsim(['config', '-d', dir, 'PRINTK']);
    expect(r.stdout).toContain('Origin: selected by BOOT_BANNER\n');
    expect(r.stdout).toContain('Selected by (=y):\n  - BOOT_BANNER (=y)\n');
  });

  it('rejects an unknown symbol with exit 2, suggesting close names', () => {
    const r = zsim(['config', '-d', dir, 'APP_LEVL']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('zsim: error: CONFIG_APP_LEVL is not a Kconfig symbol of this build; did you mean CONFIG_APP_LEVEL?\n');
    expect(zsim(['config', '-d', dir, 'NO_SUCH_THING_AT_ALL']).stderr).toBe(
      'zsim: error: CONFIG_NO_SUCH_THING_AT_ALL is not a Kconfig symbol of this build\n',
    );
  });

  it('says to run zsim build first when the directory holds no build (exit 2)', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'zsim-mc-empty-'));
    for (const cmd of ['config', 'menuconfig']) {
      const r = zsim([cmd, '-d', empty, ...(cmd === 'menuconfig' ? ['--keys', 'q'] : [])]);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`zsim: error: ${empty}: no zsim build found there: run \`zsim build -b BOARD APP -d ${empty}\` first\n`);
    }
  });
});
