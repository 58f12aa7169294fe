import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, zsim } from '../helpers/cli.ts';
import { findBoard } from '../../src/build/boards.ts';

const fixture = (name: string): string => path.join('test/fixtures/apps', name);
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'zsim-build-'));

describe('zsim build', () => {
  it('writes .config and autoconf.h and prints the memory report', () => {
    const d = tmp();
    const r = zsim(['build', '-b', 'frdm_k64f', 'samples/hello_world', '-d', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Memory region\s+Used Size\s+Region Size\s+%age Used/);
    expect(r.stdout).toMatch(/^\s+RAM:\s+\d+ B\s+192 KB\s+\d+\.\d\d%$/m);
    expect(r.stdout).toMatch(/^\s+FLASH:\s+\d+ B\s+1 MB\s+\d+\.\d\d%$/m);
    const config = readFileSync(path.join(d, 'zephyr/.config'), 'utf8');
    expect(config).toContain('CONFIG_BOARD="frdm_k64f"');
    expect(config).toContain('CONFIG_SYS_CLOCK_TICKS_PER_SEC=10000');
    const autoconf = readFileSync(path.join(d, 'zephyr/include/generated/autoconf.h'), 'utf8');
    expect(autoconf).toContain('#define CONFIG_BOARD "frdm_k64f"');
    // Unchanged inputs: nothing to do.
    const again = zsim(['build', '-b', 'frdm_k64f', 'samples/hello_world', '-d', d]);
    expect(again.stdout).toBe('ninja: no work to do.\n');
  });

  it('uses Zephyr\'s defaults: qemu_x86 ticks at 100 Hz, LOG off unless enabled', () => {
    const d = tmp();
    const r = zsim(['run', '-b', 'qemu_x86', fixture('own_kconfig'), '-d', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('hello from Kconfig\nhello from Kconfig\nlog=0 ticks=100\n');
  });

  it('applies -D assignments and EXTRA_CONF_FILE after prj.conf; an app Kconfig adds symbols', () => {
    const d = tmp();
    const extra = path.join(tmp(), 'extra.conf');
    writeFileSync(extra, 'CONFIG_APP_REPEAT=3\n');
    const r = zsim(['run', '-b', 'qemu_x86', fixture('own_kconfig'), '-d', d, '--', `-DEXTRA_CONF_FILE=${extra}`, '-DCONFIG_LOG=y']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.match(/hello from Kconfig/g)?.length).toBe(3);
    expect(r.stdout).toContain('log=1');
    // A relative name that is in neither place: both places are named.
    const missing = zsim(['build', '-d', tmp(), '-b', 'qemu_x86', fixture('own_kconfig'), '--', '-DEXTRA_CONF_FILE=no_such.conf']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `zsim: error: EXTRA_CONF_FILE no_such.conf not found: neither ${path.join(ROOT, fixture('own_kconfig'), 'no_such.conf')} (in the app) nor ${path.join(ROOT, 'no_such.conf')} exists\n`,
    );
  });

  it('warns like Zephyr about a value that an unmet dependency overrides', () => {
    const d = tmp();
    const r = zsim(['build', '-b', 'nrf52840dk', 'samples/hello_world', '-d', d, '--', '-DCONFIG_NETWORKING=y']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: NETWORKING \(defined at [^)]*Kconfig\.net:\d+\) was assigned the value 'y' but got the value 'n'\.\s+Check these unsatisfied dependencies: ZSIM_NETIF \(=n\)/);
  });

  it('fails on an undefined symbol, naming it, exit 2', () => {
    const d = tmp();
    const r = zsim(['build', '-b', 'qemu_x86', 'samples/hello_world', '-d', d, '--', '-DCONFIG_NO_SUCH_THING=y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NO_SUCH_THING/);
    expect(r.stderr).toMatch(/undefined symbol/);
    // Aborted once, as Zephyr's kconfig.py says it.
    expect(r.stderr).toBe(
      "zsim: error: extra_kconfig_options.conf:1: warning: attempt to assign the value 'y' to the undefined symbol NO_SUCH_THING\n" +
        'error: Aborting due to Kconfig warnings\n',
    );
    expect(existsSync(path.join(d, 'zephyr/zsim_build.json'))).toBe(false);
  });

  it('error texts have one prefix: a promptless symbol, a -D zsim does not take', () => {
    const arch = zsim(['build', '-b', 'qemu_x86', 'samples/hello_world', '-d', tmp(), '--', '-DCONFIG_ARCH="arm"']);
    expect(arch.code).toBe(2);
    expect(arch.stderr).toMatch(/^zsim: error: ARCH \(defined at [^)]*\) is assigned in a configuration file, but is not directly\n/);
    expect(arch.stderr).not.toMatch(/error: error:|Aborting/);
    const root = zsim(['build', '-b', 'qemu_x86', 'samples/hello_world', '-d', tmp(), '--', '-DBOARD_ROOT=/tmp/broot']);
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(/^zsim: error: -DBOARD_ROOT=\/tmp\/broot: expected CONFIG_NAME=value, CONF_FILE=\.\.\. or EXTRA_CONF_FILE=\.\.\. \(zsim takes board roots from the modules in manifest\.json/);
    expect(zsim(['build', '-b', 'qemu_x86', 'samples/hello_world', '-d', tmp(), '-D', 'FOO=1']).stderr).toMatch(/^zsim: error: -D FOO=1: expected/);
  });

  it('prints the Kconfig warnings between the configure lines and the memory report, as west', () => {
    const d = tmp();
    const r = spawnSync('sh', ['-c', `"${process.execPath}" bin/zsim.js build -b nrf52840dk samples/hello_world -d "${d}" -- -DCONFIG_NETWORKING=y 2>&1`], {
      cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status, r.stdout).toBe(0);
    const at = (re: RegExp): number => r.stdout.search(re);
    expect(at(/^-- zsim: board nrf52840dk/m)).toBe(0);
    expect(at(/^warning: NETWORKING/m)).toBeGreaterThan(0);
    expect(at(/^-- Configuring done/m)).toBeGreaterThan(at(/^warning: NETWORKING/m));
    expect(at(/^Memory region/m)).toBeGreaterThan(at(/^-- Configuring done/m));
  });

  it('refuses a board that lacks what the sample depends on, saying which', () => {
    const r = zsim(['build', '-b', 'nrf52840dk', fixture('needs_net'), '-d', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot be built for board nrf52840dk: sample\.needs_net: it depends on netif, which nrf52840dk does not support/);
    expect(zsim(['build', '-b', 'frdm_k64f', fixture('needs_net'), '-d', tmp()]).code).toBe(0);
  });

  it('fails when RAM overflows the small board', () => {
    const r = zsim(['build', '-b', 'nucleo_f030r8', fixture('big_stack'), '-d', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/region `RAM' overflowed by \d+ bytes/);
    expect(zsim(['build', '-b', 'nucleo_f030r8', 'samples/hello_world', '-d', tmp()]).code).toBe(0);
  });

  it('an app importing a disabled subsystem fails at build time naming the symbol to enable', () => {
    const r = zsim(['build', '-b', 'qemu_x86', fixture('uses_socket'), '-d', tmp()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/uses_socket\/src\/main\.ts:1:\d+: error: 'zsim\/net\/socket' .* is not enabled in this build: set CONFIG_NETWORKING=y and CONFIG_NET_SOCKETS=y/);
  });

  it('rebuilds when a file the app imports from outside its folder changes', () => {
    const root = tmp();
    const app = path.join(root, 'app');
    cpSync(path.join(ROOT, 'samples/hello_world'), app, { recursive: true });
    const shared = path.join(root, 'common', 'greeting.ts');
    mkdirSync(path.dirname(shared));
    writeFileSync(shared, "export const greeting = 'Hello from common';\n");
    writeFileSync(path.join(app, 'src', 'main.ts'), [
      "import { printk } from 'zsim/kernel';",
      "import { greeting } from '../../common/greeting.ts';",
      'export function main(): number {',
      "  printk('%s\\n', greeting);",
      '  return 0;',
      '}',
      '',
    ].join('\n'));
    const d = tmp();
    const first = zsim(['run', '-b', 'qemu_x86', app, '-d', d]);
    expect(first.stdout, first.stderr).toContain('Hello from common');
    expect(zsim(['build', '-b', 'qemu_x86', app, '-d', d]).stdout).toBe('ninja: no work to do.\n');
    writeFileSync(shared, "export const greeting = 'Changed in common';\n");
    const second = zsim(['run', '-b', 'qemu_x86', app, '-d', d]);
    expect(second.stdout, second.stderr).toContain('Changed in common');
  });

  it('rebuilds when a fragment changes, and -p always wipes the build directory', () => {
    const app = tmp();
    cpSync(path.join(ROOT, 'samples/hello_world'), app, { recursive: true });
    const d = tmp();
    expect(zsim(['build', '-b', 'qemu_x86', app, '-d', d]).code).toBe(0);
    writeFileSync(path.join(app, 'prj.conf'), 'CONFIG_BOOT_BANNER=n\n');
    const r = zsim(['build', '-b', 'qemu_x86', app, '-d', d]);
    expect(r.stdout).toContain('Memory region');
    expect(readFileSync(path.join(d, 'zephyr/.config'), 'utf8')).toContain('# CONFIG_BOOT_BANNER is not set');
    const run = zsim(['run', '-d', d]);
    expect(run.stdout).toBe('Hello World! qemu_x86/atom\n');
    writeFileSync(path.join(d, 'marker'), 'x');
    expect(zsim(['build', '-b', 'qemu_x86', app, '-d', d, '-p', 'always']).code).toBe(0);
    expect(existsSync(path.join(d, 'marker'))).toBe(false);
  });

  it('-d DIR alone reuses the cached -D values and EXTRA_CONF_FILE, keeps menuconfig changes; new ones override by name', () => {
    const app = tmp();
    cpSync(path.join(ROOT, 'samples/hello_world'), app, { recursive: true });
    writeFileSync(path.join(app, 'x.conf'), 'CONFIG_BOOT_BANNER=n\n');
    writeFileSync(path.join(app, 'y.conf'), 'CONFIG_ASSERT=y\n');
    const d = tmp();
    const config = (): string => readFileSync(path.join(d, 'zephyr/.config'), 'utf8');
    const first = zsim(['build', '-b', 'qemu_x86', app, '-d', d, '--', '-DEXTRA_CONF_FILE=x.conf', '-DCONFIG_MAIN_STACK_SIZE=2048']);
    expect(first.code, first.stderr).toBe(0);
    // As west with CMake's cache: nothing changed, nothing to do.
    expect(zsim(['build', '-d', d]).stdout).toBe('ninja: no work to do.\n');
    expect(config()).toContain('\nCONFIG_MAIN_STACK_SIZE=2048\n');
    expect(config()).toContain('\n# CONFIG_BOOT_BANNER is not set\n');
    expect(zsim(['run', '-d', d, '--time', '1']).stdout).toBe('Hello World! qemu_x86/atom\n');
    // menuconfig changes survive a build-dir-only build.
    expect(zsim(['menuconfig', '-d', d, '--keys', '/PRINTK<Enter>nSq']).code).toBe(0);
    const after = zsim(['build', '-d', d]);
    expect(after.code, after.stderr).toBe(0);
    expect(existsSync(path.join(d, 'zephyr/menuconfig.conf'))).toBe(true);
    expect(config()).toContain('\n# CONFIG_PRINTK is not set\n');
    expect(config()).toContain('\nCONFIG_MAIN_STACK_SIZE=2048\n');
    expect(zsim(['build', '-d', d]).stdout).toBe('ninja: no work to do.\n');
    // A new -D adds to the cached ones; the same name replaces its cached value.
    expect(zsim(['build', '-d', d, '--', '-DCONFIG_MAIN_STACK_SIZE=4096', '-DCONFIG_LOG=y']).code).toBe(0);
    expect(config()).toContain('\nCONFIG_MAIN_STACK_SIZE=4096\n');
    expect(config()).toContain('\nCONFIG_LOG=y\n');
    expect(config()).toContain('\n# CONFIG_BOOT_BANNER is not set\n');
    // A new EXTRA_CONF_FILE replaces the cached one (a CMake cache entry), the -D values stay.
    expect(zsim(['build', '-d', d, '--', '-DEXTRA_CONF_FILE=y.conf']).code).toBe(0);
    expect(config()).toContain('\nCONFIG_ASSERT=y\n');
    expect(config()).toContain('\nCONFIG_BOOT_BANNER=y\n');
    expect(config()).toContain('\nCONFIG_MAIN_STACK_SIZE=4096\n');
    // -p always wipes the cache with the directory.
    expect(zsim(['build', '-b', 'qemu_x86', app, '-d', d, '-p', 'always']).code).toBe(0);
    expect(config()).toContain('\nCONFIG_MAIN_STACK_SIZE=1024\n');
    expect(config()).not.toContain('CONFIG_ASSERT=y');
  });

  it('takes Zephyr board targets (-b BOARD/SOC[/CLUSTER]) and merges boards/<board>.conf then boards/<board>_<qualifiers>.conf', () => {
    const app = tmp();
    cpSync(path.join(ROOT, 'samples/hello_world'), app, { recursive: true });
    mkdirSync(path.join(app, 'boards'));
    writeFileSync(path.join(app, 'boards/qemu_x86.conf'), 'CONFIG_MAIN_STACK_SIZE=1536\nCONFIG_BOOT_BANNER=n\n');
    writeFileSync(path.join(app, 'boards/qemu_x86_atom.conf'), 'CONFIG_MAIN_STACK_SIZE=3072\n');
    const d = tmp();
    const config = (): string => readFileSync(path.join(d, 'zephyr/.config'), 'utf8');
    const r = zsim(['build', '-b', 'qemu_x86/atom', app, '-d', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-- zsim: board qemu_x86\/atom, app /);
    expect(config()).toContain('\nCONFIG_MAIN_STACK_SIZE=3072\n');
    expect(config()).toContain('\n# CONFIG_BOOT_BANNER is not set\n');
    // The plain name is the default target, the same build (and its qualified overlay applies).
    expect(zsim(['build', '-b', 'qemu_x86', app, '-d', d]).stdout).toBe('ninja: no work to do.\n');
    const bad = zsim(['build', '-b', 'qemu_x86/pentium', app, '-d', d]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "zsim: error: board qualifiers '/pentium' for board 'qemu_x86' not found: valid board targets are qemu_x86/atom, " +
        'qemu_x86/atom/nokpti, qemu_x86/atom/nommu, qemu_x86/atom/nopae, qemu_x86/atom/virt, qemu_x86/atom/xip\n',
    );
    // A SoC with CPU clusters: the target names one.
    const esp = zsim(['build', '-b', 'esp32_devkitc/esp32', app, '-d', tmp()]);
    expect(esp.stderr).toMatch(/valid board targets are esp32_devkitc\/esp32\/procpu\n$/);
    const procpu = zsim(['run', '-b', 'esp32_devkitc/esp32/procpu', app, '--time', '1']);
    expect(procpu.stdout, procpu.stderr).toContain('Hello World! esp32_devkitc/esp32/procpu\n');
    const json = JSON.parse(zsim(['boards', '--json']).stdout) as { name: string; targets: string[] }[];
    expect(Object.fromEntries(json.map((b) => [b.name, b.targets]))).toMatchObject({
      qemu_x86: ['qemu_x86/atom', 'qemu_x86/atom/nokpti', 'qemu_x86/atom/nommu', 'qemu_x86/atom/nopae', 'qemu_x86/atom/virt', 'qemu_x86/atom/xip'],
      nrf52840dk: ['nrf52840dk/nrf52840'], frdm_k64f: ['frdm_k64f/mk64f12'],
      nucleo_f030r8: ['nucleo_f030r8/stm32f030x8'], native_sim: ['native_sim/native'], esp32_devkitc: ['esp32_devkitc/esp32/procpu'],
    });
  });

  it('builds a board variant (-b qemu_x86/atom/nopae): BOARD_TARGET, BOARD_QUALIFIERS, its overlay and its defconfig', () => {
    const app = tmp();
    cpSync(path.join(ROOT, 'samples/hello_world'), app, { recursive: true });
    mkdirSync(path.join(app, 'boards'));
    writeFileSync(path.join(app, 'boards/qemu_x86_atom.conf'), 'CONFIG_MAIN_STACK_SIZE=3072\n');
    writeFileSync(path.join(app, 'boards/qemu_x86_atom_nopae.conf'), 'CONFIG_MAIN_STACK_SIZE=2048\n');
    const d = tmp();
    const r = zsim(['build', '-b', 'qemu_x86/atom/nopae', app, '-d', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^-- zsim: board qemu_x86\/atom\/nopae, app /);
    const config = readFileSync(path.join(d, 'zephyr/.config'), 'utf8');
    expect(config).toContain('\nCONFIG_BOARD="qemu_x86"\n');
    expect(config).toContain('\nCONFIG_BOARD_QUALIFIERS="atom/nopae"\n');
    expect(config).toContain('\nCONFIG_BOARD_TARGET="qemu_x86/atom/nopae"\n');
    // Only the overlay of the target built (boards/qemu_x86_atom.conf is another target's).
    expect(config).toContain('\nCONFIG_MAIN_STACK_SIZE=2048\n');
    // The default target's value is its own.
    const atom = tmp();
    expect(zsim(['build', '-b', 'qemu_x86', app, '-d', atom]).code).toBe(0);
    expect(readFileSync(path.join(atom, 'zephyr/.config'), 'utf8')).toContain('\nCONFIG_BOARD_TARGET="qemu_x86/atom"\n');
    // A target's own <board>_<qualifiers>_defconfig replaces the board's, as in Zephyr.
    const boards = tmp();
    cpSync(path.join(ROOT, 'boards/qemu/x86'), path.join(boards, 'x86'), { recursive: true });
    writeFileSync(path.join(boards, 'x86/qemu_x86_atom_xip_defconfig'), 'CONFIG_CONSOLE=y\nCONFIG_SERIAL=y\nCONFIG_UART_CONSOLE=y\nCONFIG_BOOT_BANNER=n\n');
    expect(findBoard('qemu_x86/atom/xip', [boards]).defconfig).toBe(path.join(boards, 'x86/qemu_x86_atom_xip_defconfig'));
    expect(findBoard('qemu_x86/atom/nopae', [boards]).defconfig).toBe(path.join(boards, 'x86/qemu_x86_defconfig'));
    expect(findBoard('qemu_x86', [boards]).defconfig).toBe(path.join(boards, 'x86/qemu_x86_defconfig'));
  });

  it('builds the MQTT samples (depends_on: netif) for esp32_devkitc, whose yaml says netif:wifi as Zephyr\'s does', () => {
    const r = zsim(['build', '-b', 'esp32_devkitc', 'samples/net/mqtt_publisher', '-d', tmp()]);
    expect(r.code, r.stderr).toBe(0);
    const nrf = zsim(['build', '-b', 'nrf52840dk', 'samples/net/mqtt_publisher', '-d', tmp()]);
    expect(nrf.code).toBe(2);
    expect(nrf.stderr).toMatch(/it depends on netif, which nrf52840dk does not support \(supported: none\)/);
  });

  it('a build dir for another board is rebuilt with -p auto and refused with -p never', () => {
    const d = tmp();
    expect(zsim(['build', '-b', 'qemu_x86', 'samples/hello_world', '-d', d]).code).toBe(0);
    const never = zsim(['build', '-b', 'frdm_k64f', 'samples/hello_world', '-d', d, '-p', 'never']);
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/targets board qemu_x86/);
    expect(zsim(['build', '-b', 'frdm_k64f', 'samples/hello_world', '-d', d]).code).toBe(0);
  });
});

describe('zsim boards', () => {
  it('lists the boards with their resources, also as JSON', () => {
    const r = zsim(['boards']);
    expect(r.code).toBe(0);
    // One row per board target, the default target of each board marked.
    const targets = r.stdout.split('\n').slice(1).filter((l) => /^\w/.test(l)).map((l) => l.split(/\s{2,}/)[0]);
    expect(targets).toEqual(expect.arrayContaining([
      'qemu_x86/atom *', 'qemu_x86/atom/nokpti', 'qemu_x86/atom/nommu', 'qemu_x86/atom/nopae', 'qemu_x86/atom/virt', 'qemu_x86/atom/xip',
      'native_sim/native *', 'frdm_k64f/mk64f12 *', 'nrf52840dk/nrf52840 *', 'esp32_devkitc/esp32/procpu *', 'nucleo_f030r8/stm32f030x8 *',
    ]));
    expect(r.stdout).toMatch(/^qemu_x86\/atom\/nopae +qemu +x86 +3000 KB +4096 KB +ethernet 52:54:00:12:34:56$/m);
    const j = JSON.parse(zsim(['boards', '--json']).stdout) as { name: string; ram_kb: number; netif: { type: string }[] }[];
    const nrf = j.find((b) => b.name === 'nrf52840dk')!;
    expect(nrf.netif).toEqual([]);
    expect(j.find((b) => b.name === 'esp32_devkitc')!.netif[0]!.type).toBe('wifi');
    expect(j.find((b) => b.name === 'nucleo_f030r8')!.ram_kb).toBe(8);
  });
});

describe('zsim kconfig', () => {
  it('writes .config and autoconf.h for a tree and fragments; errors exit non-zero', () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'Kconfig'), 'config FOO\n\tbool "foo"\nconfig BAR\n\tint "bar"\n\tdepends on FOO\n\tdefault 3\n');
    writeFileSync(path.join(dir, 'a.conf'), 'CONFIG_FOO=y\n');
    writeFileSync(path.join(dir, 'b.conf'), 'CONFIG_BAR=7\n');
    const out = path.join(dir, 'out');
    const r = zsim(['kconfig', '--kconfig', path.join(dir, 'Kconfig'), '--config', path.join(dir, 'a.conf'), '--config', path.join(dir, 'b.conf'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(path.join(out, '.config'), 'utf8')).toMatch(/CONFIG_FOO=y\nCONFIG_BAR=7\n/);
    expect(readFileSync(path.join(out, 'autoconf.h'), 'utf8')).toContain('#define CONFIG_BAR 7');
    writeFileSync(path.join(dir, 'bad'), 'config\n');
    const bad = zsim(['kconfig', '--kconfig', path.join(dir, 'bad'), '--out', out]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/bad:1/);
  });
});
