/**
 * zsim's Kconfig tree (kconfig/) and virtual boards (boards/), checked with the real Kconfiglib.
 *
 * Every case is loaded the way zsim's build loads it: BOARD, BOARD_QUALIFIERS, BOARD_DIR, ZSIM_BASE
 * and srctree in the environment, the board's defconfig first, then prj.conf fragments, with
 * Zephyr's checks (kconfiglib_tree.py). All cases run in one Python process before the tests read their results.
 *
 * Needs Debian's /usr/bin/python3 with `import kconfiglib` (python3-kconfiglib): without it the
 * suite is skipped, except under CI=true where it fails.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { listBoards } from '../../src/build/boards.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const PYTHON = '/usr/bin/python3';
const DRIVER = path.join(HERE, 'kconfiglib_tree.py');
const FIXTURES = path.join(HERE, 'fixtures');

const available = spawnSync(PYTHON, ['-c', 'import kconfiglib'], { encoding: 'utf8' }).status === 0;
const inCI = process.env.CI === 'true';
if (!available && !inCI) {
  console.warn(
    `test/kconfig_tree skipped: ${PYTHON} cannot import kconfiglib (apt-get install python3-kconfiglib)`,
  );
}

// ---- boards on disk ----

interface NetifSpec {
  type: string;
  mac: string;
}

interface BoardFiles {
  name: string;
  dir: string;
  boardYml: { board: { name: string; vendor?: string; socs?: Array<{ name: string }> } };
  meta: Record<string, unknown> & { zsim?: { netif?: NetifSpec[] } };
}

function findBoards(): BoardFiles[] {
  const out: BoardFiles[] = [];
  const root = path.join(ROOT, 'boards');
  for (const vendor of readdirSync(root).sort()) {
    const vdir = path.join(root, vendor);
    if (!statSync(vdir).isDirectory()) continue;
    for (const b of readdirSync(vdir).sort()) {
      const dir = path.join(vdir, b);
      const yml = path.join(dir, 'board.yml');
      if (!existsSync(yml)) continue;
      const boardYml = parseYaml(readFileSync(yml, 'utf8')) as BoardFiles['boardYml'];
      const name = boardYml.board.name;
      const meta = parseYaml(readFileSync(path.join(dir, `${name}.yaml`), 'utf8')) as BoardFiles['meta'];
      out.push({ name, dir, boardYml, meta });
    }
  }
  return out;
}

const BOARDS = findBoards();
const boardByName = (name: string): BoardFiles => {
  const b = BOARDS.find((x) => x.name === name);
  if (!b) throw new Error(`no board ${name}`);
  return b;
};

/** What each board must come out as with just its defconfig. */
const EXPECTED: Record<string, Record<string, string>> = {
  qemu_x86: {
    ARCH: 'x86', SOC: 'atom', BOARD_TARGET: 'qemu_x86/atom', QEMU_TARGET: 'y',
    SYS_CLOCK_TICKS_PER_SEC: '100', SYS_CLOCK_HW_CYCLES_PER_SEC: '25000000',
    ZSIM_NETIF_ETHERNET: 'y', ZSIM_NETIF_WIFI: 'n', MAIN_STACK_SIZE: '1024', IDLE_STACK_SIZE: '320',
  },
  native_sim: {
    ARCH: 'posix', SOC: 'native', BOARD_TARGET: 'native_sim/native', QEMU_TARGET: 'n', SOC_POSIX: 'y',
    SYS_CLOCK_TICKS_PER_SEC: '100', SYS_CLOCK_HW_CYCLES_PER_SEC: '1000000',
    ZSIM_NETIF_ETHERNET: 'y', ZSIM_NETIF_WIFI: 'n', POSIX_ARCH_CONSOLE: 'y', UART_CONSOLE: 'n',
  },
  frdm_k64f: {
    ARCH: 'arm', SOC: 'mk64f12', SOC_SERIES: 'k6x', SOC_FAMILY: 'nxp_kinetis', BOARD_TARGET: 'frdm_k64f/mk64f12',
    CPU_CORTEX_M4: 'y', SYS_CLOCK_TICKS_PER_SEC: '10000', SYS_CLOCK_HW_CYCLES_PER_SEC: '120000000',
    ZSIM_NETIF_ETHERNET: 'y', ZSIM_NETIF_WIFI: 'n', HW_STACK_PROTECTION: 'y', UART_CONSOLE: 'y',
  },
  nrf52840dk: {
    ARCH: 'arm', SOC: 'nrf52840', SOC_SERIES: 'nrf52', SOC_FAMILY: 'nordic_nrf', BOARD_TARGET: 'nrf52840dk/nrf52840',
    BOARD_QUALIFIERS: 'nrf52840', BOARD_NRF52840DK_NRF52840: 'y',
    SYS_CLOCK_TICKS_PER_SEC: '32768', SYS_CLOCK_HW_CYCLES_PER_SEC: '32768',
    ZSIM_NETIF: 'n', HW_STACK_PROTECTION: 'y',
  },
  esp32_devkitc: {
    ARCH: 'xtensa', SOC: 'esp32', SOC_FAMILY: 'espressif_esp32', BOARD_TARGET: 'esp32_devkitc/esp32/procpu',
    SYS_CLOCK_TICKS_PER_SEC: '10000', SYS_CLOCK_HW_CYCLES_PER_SEC: '240000000', MAIN_STACK_SIZE: '2048',
    ZSIM_NETIF_ETHERNET: 'n', ZSIM_NETIF_WIFI: 'y',
  },
  nucleo_f030r8: {
    ARCH: 'arm', SOC: 'stm32f030x8', SOC_SERIES: 'stm32f0x', BOARD_TARGET: 'nucleo_f030r8/stm32f030x8',
    CPU_CORTEX_M0: 'y', SYS_CLOCK_TICKS_PER_SEC: '10000', SYS_CLOCK_HW_CYCLES_PER_SEC: '48000000',
    MAIN_STACK_SIZE: '640', IDLE_STACK_SIZE: '200', ISR_STACK_SIZE: '512', ZSIM_NETIF: 'n', UART_INTERRUPT_DRIVEN: 'y',
  },
};

// ---- running Kconfiglib ----

interface Case {
  board: string;
  /** The default target's qualifiers (BOARD_QUALIFIERS), as the build passes them. */
  qualifiers: string;
  boardDir: string;
  top?: string;
  srctree?: string;
  fragments: string[];
  texts?: string[];
  warnUndef?: boolean;
}

interface Result {
  warnings: string[];
  errors: string[];
  assignWarnings: string[];
  values: Record<string, string>;
  config: Record<string, string>;
  choices: Record<string, string | null>;
  error?: string;
}

const cases = new Map<string, Case>();
let results = new Map<string, Result>();

/** Registers a case: the board's defconfig, then `files` (fixture names or paths), then `texts`. */
function addCase(id: string, board: string, opts: { files?: string[]; texts?: string[]; top?: string; srctree?: string; warnUndef?: boolean } = {}): void {
  const b = boardByName(board);
  const files = (opts.files ?? []).map((f) => (path.isAbsolute(f) ? f : path.join(FIXTURES, f)));
  cases.set(id, {
    board,
    qualifiers: listBoards().find((x) => x.name === board)?.qualifiers ?? '',
    boardDir: b.dir,
    top: opts.top,
    srctree: opts.srctree,
    fragments: [path.join(b.dir, `${board}_defconfig`), ...files],
    texts: opts.texts,
    warnUndef: opts.warnUndef,
  });
}

function result(id: string): Result {
  const r = results.get(id);
  if (!r) throw new Error(`case ${id} was not run`);
  if (r.error) throw new Error(`case ${id}: ${r.error}`);
  return r;
}

/** No Kconfiglib warning, no Zephyr error, no Zephyr value warning. */
function expectClean(id: string): Result {
  const r = result(id);
  expect({ id, warnings: r.warnings, errors: r.errors, assignWarnings: r.assignWarnings }).toEqual({
    id, warnings: [], errors: [], assignWarnings: [],
  });
  return r;
}

const NETIF_BOARDS = BOARDS.filter((b) => (b.meta.zsim?.netif ?? []).length > 0).map((b) => b.name);
const NO_NETIF_BOARDS = BOARDS.filter((b) => (b.meta.zsim?.netif ?? []).length === 0).map((b) => b.name);

/** prj.conf files of apps that use zsim's tree as it is (an app with its own Kconfig adds symbols). */
function findApps(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir, { withFileTypes: true })) {
    if (!n.isDirectory() || n.name === 'build') continue;
    const d = path.join(dir, n.name);
    if (existsSync(path.join(d, 'prj.conf'))) {
      if (!existsSync(path.join(d, 'Kconfig'))) out.push(path.join(d, 'prj.conf'));
    } else findApps(d, out);
  }
  return out;
}
const APPS = [...findApps(path.join(ROOT, 'samples')), ...findApps(path.join(ROOT, 'test/fixtures/apps'))];
/** Apps that enable networking load with a warning on boards without an interface (tested above). */
const needsNet = (prj: string): boolean => /^CONFIG_NETWORKING=y/m.test(readFileSync(prj, 'utf8'));

const NET_FIXTURES: Record<string, string[]> = {
  mqtt: ['mqtt_client.conf'],
  mqtt_tls: ['mqtt_client.conf', 'overlay-tls.conf'],
  mqtt_ws: ['mqtt_client.conf', 'overlay-websocket.conf'],
  mqtt5: ['mqtt_client.conf', 'overlay-mqtt-5.conf'],
  sockets: ['sockets_dns.conf'],
};

// A Zephyr-style app Kconfig: own symbols, the log template, then Kconfig.zephyr.
const APP_DIR = path.join(FIXTURES, 'app_kconfig');

for (const b of BOARDS) {
  addCase(`defconfig:${b.name}`, b.name, { warnUndef: true });
  addCase(`net:${b.name}`, b.name, { texts: ['CONFIG_NETWORKING=y'] });
  addCase(`ztest:${b.name}`, b.name, { files: ['kernel_ztest.conf'] });
  addCase(`bt:${b.name}`, b.name, { texts: ['CONFIG_BT=y'] });
  for (const app of APPS) addCase(`app:${b.name}:${path.relative(ROOT, app)}`, b.name, { files: [app] });
  for (const [fx, files] of Object.entries(NET_FIXTURES)) addCase(`fx:${b.name}:${fx}`, b.name, { files });
}
addCase('mqtt:dbg', 'qemu_x86', {
  texts: ['CONFIG_NETWORKING=y\nCONFIG_NET_LOG=y\nCONFIG_MQTT_LIB=y\nCONFIG_MQTT_LOG_LEVEL_DBG=y\nCONFIG_NET_SOCKETS_LOG_LEVEL_DBG=y'],
});
addCase('mqtt:no-net-log', 'qemu_x86', {
  texts: ['CONFIG_NETWORKING=y\nCONFIG_LOG=y\nCONFIG_MQTT_LIB=y\nCONFIG_MQTT_LOG_LEVEL_DBG=y'],
});
addCase('mqtt:default-level', 'qemu_x86', {
  texts: ['CONFIG_NETWORKING=y\nCONFIG_NET_LOG=y\nCONFIG_LOG_DEFAULT_LEVEL=2\nCONFIG_MQTT_LIB=y'],
});
addCase('mqtt:no-networking', 'qemu_x86', { texts: ['CONFIG_MQTT_LIB=y'] });
addCase('mqtt:no-sockets', 'qemu_x86', { texts: ['CONFIG_NETWORKING=y\nCONFIG_MQTT_LIB=y'] });
addCase('mqtt:v5', 'qemu_x86', { texts: ['CONFIG_NETWORKING=y\nCONFIG_MQTT_LIB=y\nCONFIG_MQTT_VERSION_5_0=y'] });
addCase('log:on', 'qemu_x86', { texts: ['CONFIG_LOG=y'] });
addCase('log:native', 'native_sim', { texts: ['CONFIG_LOG=y'] });
addCase('log:deferred', 'qemu_x86', { texts: ['CONFIG_LOG=y\nCONFIG_LOG_MODE_DEFERRED=y\nCONFIG_LOG_DEFAULT_LEVEL=4'] });
addCase('log:minimal', 'qemu_x86', { texts: ['CONFIG_LOG=y\nCONFIG_LOG_MODE_MINIMAL=y'] });
addCase('kernel:no-preempt', 'qemu_x86', { texts: ['CONFIG_NUM_PREEMPT_PRIORITIES=0'] });
addCase('kernel:no-coop', 'qemu_x86', { texts: ['CONFIG_NUM_COOP_PRIORITIES=0'] });
addCase('kernel:ticked-k64f', 'frdm_k64f', { texts: ['CONFIG_TICKLESS_KERNEL=n'] });
addCase('kernel:ticked-nrf', 'nrf52840dk', { texts: ['CONFIG_TICKLESS_KERNEL=n'] });
addCase('kernel:ticks-set', 'qemu_x86', { texts: ['CONFIG_SYS_CLOCK_TICKS_PER_SEC=10000'] });
addCase('kernel:single-thread', 'qemu_x86', { texts: ['CONFIG_MULTITHREADING=n'] });
addCase('hw:stack-prot-m0', 'nucleo_f030r8', { texts: ['CONFIG_HW_STACK_PROTECTION=y'] });
addCase('tls:sockopt', 'frdm_k64f', { texts: ['CONFIG_NETWORKING=y\nCONFIG_NET_TCP=y\nCONFIG_NET_SOCKETS=y\nCONFIG_NET_SOCKETS_SOCKOPT_TLS=y'] });
addCase('shell:net', 'native_sim', { texts: ['CONFIG_NETWORKING=y\nCONFIG_NET_SHELL=y'] });
addCase('err:undefined', 'qemu_x86', { texts: ['CONFIG_NOT_A_ZEPHYR_SYMBOL=y'] });
addCase('err:promptless', 'qemu_x86', { texts: ['CONFIG_ARCH="arm"\nCONFIG_QEMU_TARGET=n'] });
addCase('entry:app', 'qemu_x86', {
  top: path.join(APP_DIR, 'Kconfig'),
  texts: ['CONFIG_LOG=y\nCONFIG_APP_LOG_LEVEL_DBG=y\nCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=3'],
  warnUndef: true,
});
addCase('entry:srctree-root', 'qemu_x86', { top: 'kconfig/Kconfig', srctree: ROOT });

// ---- tests ----

// Under CI a missing Kconfiglib fails the suite instead of skipping it.
if (!available && inCI) throw new Error(`${PYTHON} cannot import kconfiglib: install python3-kconfiglib`);

describe.skipIf(!available)('zsim Kconfig tree with Kconfiglib', () => {
  beforeAll(() => {
    const ids = [...cases.keys()];
    const r = spawnSync(PYTHON, [DRIVER], {
      input: JSON.stringify({ zsimBase: ROOT, cases: ids.map((id) => cases.get(id)) }),
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`kconfiglib_tree.py failed: ${r.stderr}`);
    const list = JSON.parse(r.stdout) as Result[];
    results = new Map(ids.map((id, i) => [id, list[i]!]));
  });

  describe('boards', () => {
    it('has the expected boards', () => {
      expect(BOARDS.map((b) => b.name).sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    for (const name of Object.keys(EXPECTED)) {
      it(`${name}: the defconfig loads without a warning, with Zephyr's values`, () => {
        const r = expectClean(`defconfig:${name}`);
        expect(r.values.BOARD).toBe(name);
        expect(r.values[`BOARD_${name.toUpperCase()}`]).toBe('y');
        for (const [sym, v] of Object.entries(EXPECTED[name]!)) expect([sym, r.values[sym]]).toEqual([sym, v]);
        // The defaults zsim's kernel reads.
        expect(r.values.NUM_COOP_PRIORITIES).toBe('16');
        expect(r.values.NUM_PREEMPT_PRIORITIES).toBe('15');
        expect(r.values.MAIN_THREAD_PRIORITY).toBe('0');
        expect(r.values.TICKLESS_KERNEL).toBe('y');
        expect(r.values.CONSOLE).toBe('y');
        expect(r.values.STDOUT_CONSOLE).toBe('y');
        expect(r.values.PRINTK).toBe('y');
        expect(r.values.BOOT_BANNER).toBe('y');
        expect(r.values.LOG).toBe('n');
        expect(r.values.NETWORKING).toBe('n');
      });

      it(`${name}: board files follow hardware model v2 and agree with the Kconfig`, () => {
        const b = boardByName(name);
        for (const f of ['board.yml', `Kconfig.${name}`, 'Kconfig.defconfig', `${name}_defconfig`, `${name}.yaml`]) {
          expect(existsSync(path.join(b.dir, f)), `${name}/${f}`).toBe(true);
        }
        expect(b.boardYml.board.vendor).toBe(b.meta.vendor);
        expect(b.meta.identifier).toBe(name);
        expect(b.meta.arch).toBe(result(`defconfig:${name}`).values.ARCH);
        expect(typeof b.meta.ram).toBe('number');
        expect(typeof b.meta.flash).toBe('number');
        for (const k of ['name', 'type', 'toolchain', 'supported']) expect(b.meta, `${name}.yaml: ${k}`).toHaveProperty(k);

        const netif = b.meta.zsim?.netif;
        expect(Array.isArray(netif), `${name}.yaml: zsim.netif`).toBe(true);
        const v = result(`defconfig:${name}`).values;
        expect(v.ZSIM_NETIF_ETHERNET === 'y').toBe(netif!.some((n) => n.type === 'ethernet'));
        expect(v.ZSIM_NETIF_WIFI === 'y').toBe(netif!.some((n) => n.type === 'wifi'));
        expect((b.meta.supported as string[]).includes('netif:eth')).toBe(netif!.some((n) => n.type === 'ethernet'));
        // As Zephyr's Wi-Fi boards declare it, so that twister's depends_on: netif matches them.
        expect((b.meta.supported as string[]).includes('netif:wifi')).toBe(netif!.some((n) => n.type === 'wifi'));
        for (const n of netif!) {
          expect(['ethernet', 'wifi']).toContain(n.type);
          expect(n.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
          expect(parseInt(n.mac.slice(0, 2), 16) & 1, `${n.mac} must be unicast`).toBe(0);
        }
      });
    }

    it('gives every interface its own MAC address', () => {
      const macs = BOARDS.flatMap((b) => (b.meta.zsim?.netif ?? []).map((n) => n.mac));
      expect(new Set(macs).size).toBe(macs.length);
    });

    it('has the RAM and flash twister lists (KB)', () => {
      const sizes = Object.fromEntries(BOARDS.map((b) => [b.name, [b.meta.ram, b.meta.flash]]));
      expect(sizes).toEqual({
        qemu_x86: [3000, 4096],
        native_sim: [65536, 65536],
        frdm_k64f: [192, 1024],
        nrf52840dk: [256, 1024],
        esp32_devkitc: [320, 4096],
        nucleo_f030r8: [8, 64],
      });
    });

    it("loads with zsim's board loader (src/build/boards.ts)", () => {
      const loaded = listBoards();
      for (const b of BOARDS) {
        const l = loaded.find((x) => x.name === b.name);
        expect(l, b.name).toBeDefined();
        expect(l!.defconfig).toBe(path.join(b.dir, `${b.name}_defconfig`));
        expect([l!.ram, l!.flash, l!.arch]).toEqual([b.meta.ram, b.meta.flash, b.meta.arch]);
      }
    });
  });

  describe('hardware dependencies', () => {
    for (const name of NETIF_BOARDS) {
      it(`${name}: NETWORKING can be enabled, on the board's interface`, () => {
        const r = expectClean(`net:${name}`);
        expect(r.values.NETWORKING).toBe('y');
        expect(r.values.NET_L2_ETHERNET).toBe('y');
        expect(r.values.NET_IPV4).toBe('y');
        expect(r.values.NET_IPV6).toBe('y');
        expect(r.values.NET_UDP).toBe('y');
        expect(r.values.WIFI).toBe(name === 'esp32_devkitc' ? 'y' : 'n');
      });
    }

    for (const name of NO_NETIF_BOARDS) {
      it(`${name}: NETWORKING=y ends up n, with Zephyr's "assigned ... but got" warning`, () => {
        const r = result(`net:${name}`);
        expect(r.warnings).toEqual([]);
        expect(r.errors).toEqual([]);
        expect(r.values.NETWORKING).toBe('n');
        expect(r.assignWarnings).toHaveLength(1);
        expect(r.assignWarnings[0]).toMatch(/^NETWORKING \(defined at .*\) was assigned the value 'y' but got the value 'n'\..*ZSIM_NETIF \(=n\)/);
      });
    }

    for (const b of BOARDS) {
      it(`${b.name}: BT cannot be enabled (no Bluetooth model)`, () => {
        const r = result(`bt:${b.name}`);
        expect(r.warnings).toEqual([]);
        expect(r.values.BT).toBe('n');
        expect(r.assignWarnings.join('\n')).toMatch(/^BT .*'y' but got the value 'n'/);
      });
    }

    it('HW_STACK_PROTECTION needs an MPU (not on the Cortex-M0 of nucleo_f030r8)', () => {
      const r = result('hw:stack-prot-m0');
      expect(r.values.HW_STACK_PROTECTION).toBe('n');
      expect(r.assignWarnings.join('\n')).toMatch(/ARCH_HAS_STACK_PROTECTION \(=n\)/);
    });
  });

  describe('kernel', () => {
    it("has Zephyr's defaults", () => {
      const v = result('defconfig:qemu_x86').values;
      expect({
        MULTITHREADING: v.MULTITHREADING, COOP_ENABLED: v.COOP_ENABLED, PREEMPT_ENABLED: v.PREEMPT_ENABLED,
        SYSTEM_WORKQUEUE_STACK_SIZE: v.SYSTEM_WORKQUEUE_STACK_SIZE, SYSTEM_WORKQUEUE_PRIORITY: v.SYSTEM_WORKQUEUE_PRIORITY,
        HEAP_MEM_POOL_SIZE: v.HEAP_MEM_POOL_SIZE, ISR_STACK_SIZE: v.ISR_STACK_SIZE, ERRNO: v.ERRNO,
        THREAD_NAME: v.THREAD_NAME, THREAD_CUSTOM_DATA: v.THREAD_CUSTOM_DATA, ASSERT: v.ASSERT, ASSERT_VERBOSE: v.ASSERT_VERBOSE,
        SYS_HEAP_ALLOC_LOOPS: v.SYS_HEAP_ALLOC_LOOPS, SYS_HEAP_RUNTIME_STATS: v.SYS_HEAP_RUNTIME_STATS, '64BIT': v['64BIT'],
        TIMESLICING: v.TIMESLICING, TIMESLICE_SIZE: v.TIMESLICE_SIZE, ENTROPY_GENERATOR: v.ENTROPY_GENERATOR,
        TEST_RANDOM_GENERATOR: v.TEST_RANDOM_GENERATOR, PICOLIBC: v.PICOLIBC,
      }).toEqual({
        MULTITHREADING: 'y', COOP_ENABLED: 'y', PREEMPT_ENABLED: 'y',
        SYSTEM_WORKQUEUE_STACK_SIZE: '1024', SYSTEM_WORKQUEUE_PRIORITY: '-1',
        HEAP_MEM_POOL_SIZE: '0', ISR_STACK_SIZE: '2048', ERRNO: 'y',
        THREAD_NAME: 'n', THREAD_CUSTOM_DATA: 'n', ASSERT: 'n', ASSERT_VERBOSE: 'y',
        SYS_HEAP_ALLOC_LOOPS: '3', SYS_HEAP_RUNTIME_STATS: 'n', '64BIT': 'n',
        TIMESLICING: 'y', TIMESLICE_SIZE: '20', ENTROPY_GENERATOR: 'n',
        TEST_RANDOM_GENERATOR: 'y', PICOLIBC: 'y',
      });
    });

    it('derives the main and work queue priorities from the priority counts', () => {
      const np = expectClean('kernel:no-preempt').values;
      expect([np.PREEMPT_ENABLED, np.MAIN_THREAD_PRIORITY, np.SYSTEM_WORKQUEUE_PRIORITY, np.TIMESLICING]).toEqual(['n', '-2', '-2', 'n']);
      const nc = expectClean('kernel:no-coop').values;
      expect([nc.COOP_ENABLED, nc.MAIN_THREAD_PRIORITY, nc.SYSTEM_WORKQUEUE_PRIORITY]).toEqual(['n', '0', '0']);
    });

    it('falls back to the ticked rates without TICKLESS_KERNEL (100 Hz, 128 Hz on nRF)', () => {
      expect(expectClean('kernel:ticked-k64f').values.SYS_CLOCK_TICKS_PER_SEC).toBe('100');
      expect(expectClean('kernel:ticked-nrf').values.SYS_CLOCK_TICKS_PER_SEC).toBe('128');
    });

    it('lets prj.conf set the tick rate and single-threading (x86 has single-thread support)', () => {
      expect(expectClean('kernel:ticks-set').values.SYS_CLOCK_TICKS_PER_SEC).toBe('10000');
      const st = expectClean('kernel:single-thread').values;
      expect([st.MULTITHREADING, st.NUM_COOP_PRIORITIES, st.NUM_PREEMPT_PRIORITIES]).toEqual(['n', '1', '0']);
    });

    for (const b of BOARDS) {
      it(`${b.name}: a ztest prj.conf loads (ZTEST selects TEST, which defaults ASSERT on)`, () => {
        const v = expectClean(`ztest:${b.name}`).values;
        expect([v.ZTEST, v.TEST, v.ASSERT, v.ZTEST_STACK_SIZE, v.THREAD_MAX_NAME_LEN, v.KERNEL_SHELL]).toEqual(['y', 'y', 'y', '2048', '16', 'y']);
      });
    }
  });

  describe('logging', () => {
    it('defaults to immediate mode, with the Zephyr levels', () => {
      const v = expectClean('log:on').values;
      expect([v.LOG_MODE_IMMEDIATE, v.LOG_MODE_DEFERRED, v.LOG_DEFAULT_LEVEL, v.LOG_MAX_LEVEL]).toEqual(['y', 'n', '3', '4']);
      expect([v.LOG_BACKEND_UART, v.LOG_PRINTK, v.LOG_BACKEND_SHOW_COLOR, v.LOG_FUNC_NAME_PREFIX_DBG]).toEqual(['y', 'y', 'y', 'y']);
      expect([v.KERNEL_LOG_LEVEL_DEFAULT, v.KERNEL_LOG_LEVEL]).toEqual(['y', '3']);
      expect(result('log:on').choices.LOG_MODE).toBe('LOG_MODE_IMMEDIATE');
    });

    it('uses the native backend on native_sim (no UART)', () => {
      const v = expectClean('log:native').values;
      expect([v.LOG_BACKEND_NATIVE_POSIX, v.LOG_BACKEND_UART]).toEqual(['y', 'n']);
    });

    it('accepts deferred and minimal modes', () => {
      const d = expectClean('log:deferred').values;
      expect([d.LOG_MODE_DEFERRED, d.LOG_PROCESS_THREAD, d.LOG_BUFFER_SIZE, d.KERNEL_LOG_LEVEL]).toEqual(['y', 'y', '1024', '4']);
      const m = expectClean('log:minimal').values;
      expect([m.LOG_MODE_MINIMAL, m.LOG_BACKEND_UART, m.LOG_PRINTK]).toEqual(['y', 'n', 'n']);
    });
  });

  describe('MQTT and networking libraries', () => {
    it('MQTT_LOG_LEVEL_DBG=y gives MQTT_LOG_LEVEL=4 (and likewise for NET_SOCKETS)', () => {
      const r = expectClean('mqtt:dbg');
      expect([r.values.MQTT_LOG_LEVEL, r.values.NET_SOCKETS_LOG_LEVEL, r.values.NET_TCP_LOG_LEVEL]).toEqual(['4', '4', '']);
      expect([r.config.MQTT_LOG_LEVEL, r.config.NET_SOCKETS_LOG_LEVEL, r.config.LOG]).toEqual(['4', '4', 'y']);
    });

    it('networking log levels need NET_LOG, as in Zephyr (the level is 0 without it)', () => {
      const r = result('mqtt:no-net-log');
      expect(r.warnings).toEqual([]);
      expect(r.values.MQTT_LOG_LEVEL).toBe('0');
      expect(r.assignWarnings).toEqual([expect.stringMatching(/^The choice symbol MQTT_LOG_LEVEL_DBG .* was selected \(set =y\), but no symbol ended up/)]);
    });

    it("a module's default level is LOG_DEFAULT_LEVEL", () => {
      expect(expectClean('mqtt:default-level').values.MQTT_LOG_LEVEL).toBe('2');
    });

    it('MQTT_LIB selects NET_SOCKETS, defaults to MQTT 3.1.1 and a 60 s keepalive', () => {
      const r = expectClean('mqtt:no-sockets');
      expect([r.values.MQTT_LIB, r.values.NET_SOCKETS, r.values.MQTT_KEEPALIVE, r.values.MQTT_CLEAN_SESSION]).toEqual(['y', 'y', '60', 'n']);
      expect(r.choices.MQTT_VERSION_SUPPORT).toBe('MQTT_VERSION_3_1_1');
      expect([r.values.MQTT_LIB_TLS, r.values.MQTT_LIB_WEBSOCKET, r.values.MQTT_LIB_CUSTOM_TRANSPORT]).toEqual(['n', 'n', 'n']);
      expect(r.values.NET_SOCKETS_POSIX_NAMES).toBe('y');
      expect(r.values.MQTT_TOPIC_ALIAS_MAX).toBe('');
    });

    it('MQTT_LIB=y without NETWORKING ends up n (it is a networking library)', () => {
      const r = result('mqtt:no-networking');
      expect(r.warnings).toEqual([]);
      expect([r.values.MQTT_LIB, r.values.NET_SOCKETS]).toEqual(['n', 'n']);
      expect(r.assignWarnings).toEqual([expect.stringMatching(/^MQTT_LIB .*'y' but got the value 'n'.*NETWORKING \(=n\)/)]);
    });

    it('MQTT_VERSION_5_0 is experimental and brings the 5.0 limits', () => {
      const r = expectClean('mqtt:v5');
      expect(r.choices.MQTT_VERSION_SUPPORT).toBe('MQTT_VERSION_5_0');
      expect([r.values.EXPERIMENTAL, r.values.MQTT_TOPIC_ALIAS_MAX, r.values.MQTT_USER_PROPERTIES_MAX, r.values.MQTT_SUBSCRIPTION_ID_PROPERTIES_MAX]).toEqual(['y', '5', '5', '1']);
    });

    it('TLS sockets bring mbed TLS and TLS credentials', () => {
      const v = expectClean('tls:sockopt').values;
      expect([v.MBEDTLS, v.MBEDTLS_BUILTIN, v.TLS_CREDENTIALS, v.TLS_MAX_CREDENTIALS_NUMBER, v.NET_SOCKETS_TLS_MAX_CONTEXTS]).toEqual(['y', 'y', 'y', '4', '1']);
      expect([v.MBEDTLS_TLS_VERSION_1_2, v.MBEDTLS_SSL_MAX_CONTENT_LEN, v.MBEDTLS_HEAP_SIZE, v.NET_SOCKETS_ENABLE_DTLS]).toEqual(['y', '1500', '', 'n']);
    });

    it('NET_SHELL brings the shell with its serial backend', () => {
      const v = expectClean('shell:net').values;
      expect([v.SHELL, v.SHELL_BACKEND_SERIAL, v.SERIAL, v.KERNEL_SHELL, v.SHELL_PROMPT_UART]).toEqual(['y', 'y', 'y', 'y', 'uart:~$ ']);
    });

    for (const b of BOARDS) {
      const net = NETIF_BOARDS.includes(b.name);
      for (const fx of Object.keys(NET_FIXTURES)) {
        it(`${b.name}: Zephyr networking prj.conf "${fx}" ${net ? 'loads without a warning' : 'only warns that networking is unavailable'}`, () => {
          if (net) {
            const v = expectClean(`fx:${b.name}:${fx}`).values;
            expect(v.NETWORKING).toBe('y');
          } else {
            const r = result(`fx:${b.name}:${fx}`);
            expect(r.warnings).toEqual([]); // no undefined symbol
            expect(r.errors).toEqual([]);
            expect(r.values.NETWORKING).toBe('n');
            expect(r.assignWarnings[0]).toMatch(/^NETWORKING .*ZSIM_NETIF \(=n\)/);
          }
        });
      }
    }

    it('the TLS, websocket and MQTT 5.0 overlays take effect', () => {
      const tls = result('fx:frdm_k64f:mqtt_tls').values;
      expect([tls.MQTT_LIB_TLS, tls.MQTT_LIB_TLS_USE_ALPN, tls.NET_SOCKETS_ENABLE_DTLS, tls.MBEDTLS_DTLS, tls.TLS_MAX_CREDENTIALS_NUMBER, tls.MBEDTLS_HEAP_SIZE]).toEqual(['y', 'y', 'y', 'y', '6', '60000']);
      const ws = result('fx:native_sim:mqtt_ws').values;
      expect([ws.MQTT_LIB_WEBSOCKET, ws.WEBSOCKET_CLIENT, ws.HTTP_CLIENT, ws.HEAP_MEM_POOL_SIZE]).toEqual(['y', 'y', 'y', '1500']);
      const v5 = result('fx:esp32_devkitc:mqtt5').values;
      expect([v5.MQTT_VERSION_5_0, v5.MQTT_USER_PROPERTIES_MAX, v5.MQTT_TOPIC_ALIAS_MAX, v5.MQTT_LOG_LEVEL]).toEqual(['y', '8', '10', '4']);
      const s = result('fx:qemu_x86:sockets').values;
      expect([s.NET_IPV6, s.NET_DHCPV4, s.NET_ARP, s.DNS_SERVER1, s.NET_SOCKETS_LOG_LEVEL, s.NET_HOSTNAME]).toEqual(['n', 'y', 'y', '192.0.2.2', '4', 'zsim-node']);
    });
  });

  describe("zsim's own apps", () => {
    for (const b of BOARDS) {
      for (const app of APPS.filter((a) => NETIF_BOARDS.includes(b.name) || !needsNet(a))) {
        const rel = path.relative(ROOT, app);
        it(`${b.name}: ${rel} loads without a warning`, () => {
          expectClean(`app:${b.name}:${rel}`);
        });
      }
    }
  });

  describe('configuration errors, as Zephyr reports them', () => {
    it('an assignment to an undefined symbol is a Kconfiglib warning (an error in Zephyr)', () => {
      const r = result('err:undefined');
      expect(r.warnings).toEqual([expect.stringMatching(/attempt to assign the value 'y' to the undefined symbol NOT_A_ZEPHYR_SYMBOL/)]);
    });

    it('an assignment to a symbol without a prompt is an error', () => {
      const r = result('err:promptless');
      expect([...r.errors].sort()).toEqual([
        expect.stringMatching(/^ARCH \(defined at .*\) is assigned in a configuration file, but is not directly user-configurable/),
        expect.stringMatching(/^QEMU_TARGET \(defined at .*\) is assigned in a configuration file/),
      ]);
      expect(r.values.ARCH).toBe('x86');
    });
  });

  describe('entry points', () => {
    it("an app's own Kconfig can source Kconfig.zephyr and the log template, as in Zephyr", () => {
      const r = expectClean('entry:app');
      expect([r.values.APP_LOG_LEVEL, r.values.NET_SAMPLE_APP_MAX_ITERATIONS, r.values.BOARD, r.values.SYS_CLOCK_TICKS_PER_SEC]).toEqual(['4', '3', 'qemu_x86', '100']);
    });

    it('kconfig/Kconfig also loads with srctree at the repository root', () => {
      const r = expectClean('entry:srctree-root');
      expect(r.values).toEqual(result('defconfig:qemu_x86').values);
    });
  });
});
