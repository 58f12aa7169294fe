import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDiagnostic, kconfigCommand, mergeConfigs } from '../../src/kconfig/index.ts';
import { baseEnv, cleanupTrees, loadTree, writeTree } from './harness.ts';

afterAll(cleanupTrees);

const HINT = (n: string): string =>
  `See http://docs.zephyrproject.org/latest/kconfig.html#CONFIG_${n} and/or look up ${n} in the menuconfig/guiconfig ` +
  'interface. The Application Development Primer, Setting Configuration Values, and Kconfig - Tips and Best Practices ' +
  'sections of the manual might be helpful too.';

const TREE = {
  Kconfig: [
    'config SERIAL',
    '\tbool "serial"',
    'config SERIAL_HAS_DRIVER',
    '\tbool',
    'config UART_CONSOLE',
    '\tbool "uart console"',
    '\tdepends on SERIAL && SERIAL_HAS_DRIVER',
    'config COUNT',
    '\tint "count"',
    '\tdepends on SERIAL || UART_CONSOLE',
    '\tdefault 1',
    'config HELPER',
    '\tbool',
    'choice',
    '\tprompt "mode"',
    'config MODE_A',
    '\tbool "a"',
    'config MODE_B',
    '\tbool "b"',
    '\tdepends on SERIAL',
    'endchoice',
  ].join('\n'),
  'board_defconfig': 'CONFIG_SERIAL=y\nCONFIG_MODE_B=y\n',
  'prj.conf': '# CONFIG_SERIAL is not set\nCONFIG_UART_CONSOLE=y\nCONFIG_COUNT=5\n',
};

describe('mergeConfigs (Zephyr kconfig.py checks)', () => {
  it('warns when an assignment does not take, listing unsatisfied dependencies', () => {
    const { kconf } = loadTree(TREE);
    const res = mergeConfigs(kconf, { fragments: ['board_defconfig', 'prj.conf'] });
    expect(res.diagnostics).toEqual([
      {
        severity: 'warning',
        origin: 'zephyr',
        file: 'prj.conf',
        line: 2,
        message:
          "UART_CONSOLE (defined at Kconfig:5) was assigned the value 'y' but got the value 'n'. " +
          'Check these unsatisfied dependencies: SERIAL (=n), SERIAL_HAS_DRIVER (=n). ' +
          HINT('UART_CONSOLE'),
      },
      {
        severity: 'warning',
        origin: 'zephyr',
        file: 'prj.conf',
        line: 3,
        message:
          "COUNT (defined at Kconfig:8) was assigned the value '5' but got the value ''. " +
          'Check these unsatisfied dependencies: (SERIAL || UART_CONSOLE) (=n). ' +
          HINT('COUNT'),
      },
      {
        severity: 'warning',
        origin: 'zephyr',
        file: 'board_defconfig',
        line: 2,
        message:
          'The choice symbol MODE_B (defined at Kconfig:18) was selected (set =y), but MODE_A (defined at Kconfig:16) ' +
          `ended up as the choice selection. ${HINT('MODE_B')}`,
      },
    ]);
    expect(res.ok).toBe(true);
  });

  it('treats a promptless assignment as an error and stops there, like kconfig.py', () => {
    const { kconf } = loadTree({ ...TREE, 'bad.conf': 'CONFIG_HELPER=y\nCONFIG_NOT_DEFINED=y\n' });
    const res = mergeConfigs(kconf, { fragments: ['bad.conf'] });
    expect(res.ok).toBe(false);
    expect(res.diagnostics).toEqual([
      {
        severity: 'error',
        origin: 'zephyr',
        file: 'bad.conf',
        line: 1,
        message:
          'HELPER (defined at Kconfig:12) is assigned in a configuration file, but is not directly user-configurable ' +
          `(has no prompt). It gets its value indirectly from other symbols. ${HINT('HELPER')}`,
      },
    ]);
  });

  it('turns every Kconfiglib warning, such as an undefined symbol, into an error', () => {
    const { kconf } = loadTree({ ...TREE, 'bad.conf': 'CONFIG_NOT_DEFINED=y\n' });
    const res = mergeConfigs(kconf, { fragments: ['bad.conf'] });
    expect(res.ok).toBe(false);
    expect(res.diagnostics.map((d) => [d.severity, d.file, d.line, d.message])).toEqual([
      ['error', 'bad.conf', 1, "attempt to assign the value 'y' to the undefined symbol NOT_DEFINED"],
      ['error', undefined, undefined, 'Aborting due to Kconfig warnings'],
    ]);
    expect(formatDiagnostic(res.diagnostics[0]!)).toBe(
      "bad.conf:1: warning: attempt to assign the value 'y' to the undefined symbol NOT_DEFINED",
    );
  });

  it('applies fragments then extra assignments in order, later wins, without override warnings', () => {
    const { kconf } = loadTree(TREE);
    const res = mergeConfigs(kconf, {
      fragments: ['board_defconfig', 'prj.conf'],
      extra: ['CONFIG_SERIAL=y', 'CONFIG_COUNT=7'],
    });
    expect(kconf.symbol('SERIAL')!.strValue).toBe('y');
    expect(kconf.symbol('COUNT')!.strValue).toBe('7');
    expect(kconf.symbol('COUNT')!.userValueLoc).toEqual({ filename: 'extra_kconfig_options.conf', linenr: 2 });
    expect(res.diagnostics.map((d) => d.message.split('.')[0])).toEqual([
      "UART_CONSOLE (defined at Kconfig:5) was assigned the value 'y' but got the value 'n'",
    ]);
  });

  it('reports enabled deprecated and experimental features when asked to', () => {
    const { kconf } = loadTree({
      Kconfig:
        'config WARN_DEPRECATED\n\tdef_bool y\nconfig DEPRECATED\n\tbool\nconfig OLD\n\tbool "old"\n\tselect DEPRECATED\nconfig WARN_EXPERIMENTAL\n\tbool\nconfig EXPERIMENTAL\n\tbool\n',
      'f.conf': 'CONFIG_OLD=y\n',
    });
    expect(mergeConfigs(kconf, { fragments: ['f.conf'] }).diagnostics.map((d) => d.message)).toEqual([
      'Deprecated symbol OLD is enabled.',
    ]);
  });

  it('wraps kconfig.py messages at 100 columns like textwrap.fill', () => {
    const text = formatDiagnostic({ severity: 'warning', origin: 'zephyr', message: 'x '.repeat(80) });
    expect(text.split('\n').every((l) => l.length <= 100)).toBe(true);
    expect(text.startsWith('warning: x x')).toBe(true);
  });
});

describe('kconfigCommand', () => {
  it('writes .config and autoconf.h and reports warnings on stderr', async () => {
    const dir = writeTree(TREE);
    const out = path.join(dir, 'build', 'zephyr');
    const res = await kconfigCommand({
      kconfig: path.join(dir, 'Kconfig'),
      configs: [path.join(dir, 'board_defconfig'), path.join(dir, 'prj.conf')],
      out,
      env: baseEnv(),
    });
    expect(res.exitCode).toBe(0);
    expect(res.stderr.join(' ')).toMatch(/^warning: UART_CONSOLE \(defined at .*Kconfig:5\) was assigned the value 'y' but got the value 'n'\./);
    expect(res.stderr.every((l) => l.length <= 100)).toBe(true);
    expect(fs.readFileSync(path.join(out, '.config'), 'utf8')).toContain('# CONFIG_SERIAL is not set\n');
    expect(fs.readFileSync(path.join(out, 'autoconf.h'), 'utf8')).toBe('#define CONFIG_MODE_A 1\n');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('fails without writing output on errors', async () => {
    const dir = writeTree({ ...TREE, 'bad.conf': 'CONFIG_NOPE=y\n' });
    const out = path.join(dir, 'out');
    const res = await kconfigCommand({ kconfig: path.join(dir, 'Kconfig'), configs: [path.join(dir, 'bad.conf')], out, env: baseEnv() });
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toEqual([
      `${path.join(dir, 'bad.conf')}:1: warning: attempt to assign the value 'y' to the undefined symbol NOPE`,
      'error: Aborting due to Kconfig warnings',
    ]);
    expect(fs.existsSync(out)).toBe(false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reports parse errors with FILE:LINE and a missing fragment as an error', async () => {
    const dir = writeTree({ Kconfig: 'config A\n\tbool "a"\n\tdepends on (\n' });
    const res = await kconfigCommand({ kconfig: path.join(dir, 'Kconfig'), configs: [], out: path.join(dir, 'o'), env: baseEnv() });
    expect(res).toEqual({
      exitCode: 1,
      stderr: [`${path.join(dir, 'Kconfig')}:3: error: couldn't parse 'depends on (': malformed expression`],
    });
    const res2 = await kconfigCommand({
      kconfig: path.join(dir, '..', path.basename(dir), 'Kconfig').replace('Kconfig', 'K2'),
      configs: [],
      out: path.join(dir, 'o'),
      env: baseEnv(),
    });
    expect(res2.exitCode).toBe(1);
    expect(res2.stderr[0]).toMatch(/^error: Could not open '.*K2' \(ENOENT: No such file or directory\)$/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
