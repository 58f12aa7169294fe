/**
 * Discovery and the test plan of `zsim twister`: which scenarios are found, on which platforms
 * they go, and why twister filters some (platform_allow, depends_on, min_ram, tags, ignore_tags).
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { discoverSuites, loadPlatforms, planInstances } from '../../src/twister/discover.ts';
import { buildArgs } from '../../src/twister/worker.ts';
import { ROOT } from '../helpers/cli.ts';

const platforms = loadPlatforms();
const byName = (n: string) => platforms.find((p) => p.name === n || p.aliases.includes(n))!;
const opts = { platforms: [], all: false, tags: [], excludeTags: [], outDir: '/tmp/out' };

function app(yaml: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-twister-plan-'));
  mkdirSync(path.join(dir, 'src'));
  writeFileSync(path.join(dir, 'sample.yaml'), yaml);
  writeFileSync(path.join(dir, 'prj.conf'), '');
  writeFileSync(path.join(dir, 'src/main.ts'), 'export function main(): void {}\n');
  return dir;
}

describe('twister discovery and plan', () => {
  it('finds one suite per scenario under the roots, with the path relative to zsim', () => {
    const suites = discoverSuites([path.join(ROOT, 'samples/hello_world'), path.join(ROOT, 'samples/philosophers'), path.join(ROOT, 'test/fixtures/ztest_app')]);
    expect(suites.map((s) => [s.name, s.relPath])).toEqual([
      ['sample.basic.helloworld', 'samples/hello_world'],
      ['sample.kernel.philosopher', 'samples/philosophers'],
      ['ztest_app.pass', 'test/fixtures/ztest_app'],
      ['ztest_app.fail', 'test/fixtures/ztest_app'],
    ]);
    expect(suites[1]!.scenario.harness).toBe('console');
  });

  it('reads the testing section of the boards: default platforms and ignore_tags', () => {
    expect(platforms.filter((p) => p.default).map((p) => p.name)).toEqual(expect.arrayContaining(['native_sim/native', 'qemu_x86/atom']));
    expect(byName('nrf52840dk').default).toBe(false);
    // One platform per board target, named as Zephyr 4.x twister does; a variant without a yaml
    // of its own is not a default platform.
    expect(platforms.filter((p) => p.name.startsWith('qemu_x86/')).map((p) => [p.name, p.aliases, p.default])).toEqual([
      ['qemu_x86/atom', ['qemu_x86'], true],
      ['qemu_x86/atom/nokpti', [], false],
      ['qemu_x86/atom/nommu', [], false],
      ['qemu_x86/atom/nopae', [], false],
      ['qemu_x86/atom/virt', [], false],
      ['qemu_x86/atom/xip', [], false],
    ]);
    expect(byName('esp32_devkitc').name).toBe('esp32_devkitc/esp32/procpu');
    expect(byName('nucleo_f030r8').ignoreTags).toContain('net');
  });

  it('uses integration_platforms, else the default platforms; -p and --all override', () => {
    const [hello] = discoverSuites([path.join(ROOT, 'samples/hello_world')]);
    expect(planInstances([hello!], platforms, opts).map((i) => i.platform.name)).toEqual(['native_sim/native']);
    const plain = discoverSuites([app('tests:\n  t.plain: {}\n')]);
    expect(planInstances(plain, platforms, opts).map((i) => i.platform.name).sort()).toEqual(platforms.filter((p) => p.default).map((p) => p.name).sort());
    expect(planInstances([hello!], platforms, { ...opts, platforms: [byName('frdm_k64f')] }).map((i) => i.platform.name)).toEqual(['frdm_k64f/mk64f12']);
    expect(planInstances([hello!], platforms, { ...opts, all: true })).toHaveLength(platforms.length);
    expect(planInstances([hello!], platforms, opts)[0]!.buildDir).toBe('/tmp/out/native_sim_native/samples/hello_world/sample.basic.helloworld');
  });

  it('filters with twister\'s reasons: depends_on netif on nrf52840dk, platform_allow, min_ram, tags', () => {
    const [net] = discoverSuites([path.join(ROOT, 'test/fixtures/apps/needs_net')]);
    const [onNrf, onQemu] = planInstances([net!], platforms, { ...opts, platforms: [byName('nrf52840dk'), byName('qemu_x86')] });
    expect(onNrf).toMatchObject({ status: 'filtered' });
    expect(onNrf!.reason).toMatch(/^Platform does not support required features: netif/);
    expect(onQemu!.status).toBeUndefined();
    // esp32_devkitc declares netif:wifi, as Zephyr's esp32_devkitc_procpu.yaml: netif and wifi.
    const [onEsp] = planInstances([net!], platforms, { ...opts, platforms: [byName('esp32_devkitc')] });
    expect(onEsp!.status).toBeUndefined();
    expect([...byName('esp32_devkitc').features].sort()).toEqual(['netif', 'netif:wifi', 'wifi']);

    const allow = discoverSuites([app('tests:\n  t.allow:\n    platform_allow: qemu_x86\n')]);
    const [a] = planInstances(allow, platforms, { ...opts, platforms: [byName('native_sim')] });
    expect(a).toMatchObject({ status: 'filtered', reason: 'Not in testsuite platform allow list (qemu_x86)' });
    // The plain name is an alias of the default target only.
    const [onAtom, onNopae] = planInstances(allow, platforms, { ...opts, platforms: [byName('qemu_x86/atom'), byName('qemu_x86/atom/nopae')] });
    expect(onAtom!.status).toBeUndefined();
    expect(onNopae).toMatchObject({ status: 'filtered', reason: 'Not in testsuite platform allow list (qemu_x86)' });

    const [phil] = discoverSuites([path.join(ROOT, 'samples/philosophers')]);
    const [small] = planInstances([phil!], platforms, { ...opts, platforms: [byName('nucleo_f030r8')] });
    expect(small!.reason).toMatch(/^Not enough RAM/);

    expect(planInstances([phil!], platforms, { ...opts, tags: ['net'] })[0]!.reason).toBe('Command line testsuite tag filter');
    expect(planInstances([phil!], platforms, { ...opts, excludeTags: ['kernel'] })[0]!.reason).toBe('Command line testsuite exclude filter');
    expect(planInstances([phil!], platforms, { ...opts, tags: ['kernel'] })[0]!.status).toBeUndefined();

    const tagged = discoverSuites([app('common:\n  tags: net\ntests:\n  t.net: {}\n')]);
    const [ign] = planInstances(tagged, platforms, { ...opts, platforms: [byName('nucleo_f030r8')] });
    expect(ign!.reason).toBe('Excluded tags per platform (ignore_tags: net)');
  });

  it('maps extra_configs and extra_args to build inputs, noting what it ignores', () => {
    const scenario = {
      ...discoverSuites([path.join(ROOT, 'samples/philosophers')])[0]!.scenario,
      extra_configs: ['CONFIG_A=y', 'arch:x86:CONFIG_B=1', 'arch:arm:CONFIG_C=1'],
      extra_args: ['DEBUG_PRINTF=1', 'EXTRA_CONF_FILE="overlay-tls.conf"', 'CONFIG_D=n', 'platform:qemu_x86:CONF_FILE=prj_x.conf'],
    };
    expect(buildArgs({ scenario, board: 'qemu_x86/atom', boardAliases: ['qemu_x86'] }, 'x86')).toEqual({
      defines: ['CONFIG_A=y', 'CONFIG_B=1', 'CONFIG_D=n'],
      extraConfFiles: ['overlay-tls.conf'],
      confFile: ['prj_x.conf'],
      notes: ["extra_args 'DEBUG_PRINTF=1' ignored: zsim has no equivalent"],
    });
  });
});
