/**
 * The memory report at the end of a build, in the layout of the GNU ld table Zephyr prints
 * (Memory region / Used Size / Region Size / %age Used). zsim has no linker, so the figures are
 * an estimate built from what the configuration and the app reserve: the kernel's stacks
 * (main, idle, ISR, system work queue), the app's static threads, the heap pool, network and
 * logging buffers; flash is a per-subsystem code size plus the app's bundled code, scaled by the
 * code density of the board's architecture ({@link CODE_SIZE_FACTOR}). A RAM total above the
 * board's RAM fails the build, as the linker would.
 */
import { readFileSync } from 'node:fs';
import type { KConfig } from '../kernel/kernel.ts';
import { MemoryConsole } from '../kernel/console.ts';
import { Kernel } from '../kernel/kernel.ts';
import { Simulation } from '../kernel/sim.ts';
import { loadApp } from './app.ts';
import type { Board, BoardArch } from './boards.ts';

/**
 * Code size of each architecture (the `arch` of the board's twister yaml) relative to ARMv7-M
 * Thumb-2, the unit of the per-subsystem flash figures in {@link memoryReport}. The one place
 * zsim's flash estimate depends on the architecture; rough ratios for the same C compiled with
 * GCC at -Os, as Zephyr builds it:
 * - arm 1.00: Thumb-2's mixed 16/32-bit encoding is the reference (Cortex-M0's Thumb-1 subset
 *   needs a few more instructions; boards do not tell the two apart here);
 * - arc 1.05: ARCv2's mixed 16/32-bit encoding is about as dense;
 * - riscv 1.15: RV32IMC's compressed instructions, but no load/store multiple and longer
 *   prologues and constant loads;
 * - xtensa 1.20: the 16/24-bit code-density option, with the windowed ABI's larger frames and
 *   literal pools;
 * - x86 1.30: IA-32's variable-length instructions carry full 32-bit addresses and immediates,
 *   and the arch code (page tables, exception stubs) is larger;
 * - mips, nios2, sparc 1.60: fixed 32-bit instructions;
 * - arm64 1.70: fixed 32-bit instructions and 64-bit pointers and literals;
 * - posix, unit 1.80: x86-64 host code plus the native simulator's runner.
 */
export const CODE_SIZE_FACTOR: Readonly<Record<BoardArch, number>> = {
  arm: 1.0,
  arc: 1.05,
  riscv: 1.15,
  xtensa: 1.2,
  x86: 1.3,
  mips: 1.6,
  nios2: 1.6,
  sparc: 1.6,
  arm64: 1.7,
  posix: 1.8,
  unit: 1.8,
};

/** {@link CODE_SIZE_FACTOR} of an arch; 1 (Thumb-2) for a board whose yaml names none. */
export function codeSizeFactor(arch: string): number {
  return Object.hasOwn(CODE_SIZE_FACTOR, arch) ? CODE_SIZE_FACTOR[arch as BoardArch] : 1;
}

export interface MemoryItem {
  what: string;
  bytes: number;
}

export interface MemoryReport {
  ram: number;
  ramSize: number;
  flash: number;
  flashSize: number;
  /** Bytes over the RAM region, 0 when it fits. */
  overflow: number;
  /** Where the RAM goes, largest first. */
  ramItems: MemoryItem[];
  /** The table, as printed. */
  table: string;
}

function n(config: KConfig, name: string, dflt: number): number {
  const v = config[name];
  return typeof v === 'number' ? v : dflt;
}

function on(config: KConfig, name: string): boolean {
  return config[name] === true;
}

/** Stacks of the app's K_THREAD_DEFINE threads and K_THREAD_STACK_DEFINE areas, from a dry evaluation. */
async function appStatics(board: Board, config: KConfig, bundle: string, modules: string[]): Promise<MemoryItem[]> {
  try {
    const image = await loadApp(bundle, modules);
    const sim = new Simulation();
    const k = new Kernel(sim, { board: board.name, config, console: new MemoryConsole(), seed: 0 });
    k.isr(() => image.instantiate());
    const items = k.staticThreads.map((s) => ({ what: `thread ${s.thread.name || '?'} stack`, bytes: s.thread.stack_size }));
    for (const [what, bytes] of k.staticRam) items.push({ what, bytes });
    return items;
  } catch {
    // A module that fails to evaluate fails at run time with a proper report.
    return [];
  }
}

function unit(bytes: number): string {
  if (bytes >= 1 << 30 && bytes % (1 << 30) === 0) return `${bytes / (1 << 30)} GB`;
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes / (1 << 20)} MB`;
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes / (1 << 10)} KB`;
  return `${bytes} B`;
}

function row(name: string, used: number, size: number): string {
  const pct = size > 0 ? ((used * 100) / size).toFixed(2) + '%' : '0.00%';
  return `${(name + ':').padStart(16)} ${(used + ' B').padStart(13)} ${unit(size).padStart(12)} ${pct.padStart(10)}`;
}

/** Estimates RAM and flash use for a configured app on a board. */
export async function memoryReport(board: Board, config: KConfig, bundle: string, modules: string[]): Promise<MemoryReport> {
  const ram: MemoryItem[] = [
    { what: 'kernel data', bytes: 512 },
    { what: 'main stack', bytes: n(config, 'MAIN_STACK_SIZE', 1024) },
    { what: 'idle stack', bytes: n(config, 'IDLE_STACK_SIZE', 320) },
    { what: 'ISR stack', bytes: n(config, 'ISR_STACK_SIZE', 2048) },
    { what: 'system work queue stack', bytes: n(config, 'SYSTEM_WORKQUEUE_STACK_SIZE', 1024) },
  ];
  const heap = n(config, 'HEAP_MEM_POOL_SIZE', 0);
  if (heap > 0) ram.push({ what: 'heap (HEAP_MEM_POOL_SIZE)', bytes: heap });
  if (on(config, 'LOG')) ram.push({ what: 'logging', bytes: on(config, 'LOG_MODE_DEFERRED') ? n(config, 'LOG_BUFFER_SIZE', 1024) : 256 });
  if (on(config, 'NETWORKING')) {
    const bufSize = n(config, 'NET_BUF_DATA_SIZE', 128) + 32;
    const bufs = n(config, 'NET_BUF_RX_COUNT', 36) + n(config, 'NET_BUF_TX_COUNT', 36);
    const pkts = n(config, 'NET_PKT_RX_COUNT', 14) + n(config, 'NET_PKT_TX_COUNT', 14);
    ram.push({ what: 'network buffers', bytes: bufs * bufSize + pkts * 64 });
    ram.push({ what: 'network contexts', bytes: n(config, 'NET_MAX_CONTEXTS', 6) * 160 + 1024 });
    ram.push({ what: 'network RX/TX threads', bytes: n(config, 'NET_RX_STACK_SIZE', 1500) + n(config, 'NET_TX_STACK_SIZE', 1200) });
  }
  if (on(config, 'MBEDTLS') && on(config, 'MBEDTLS_ENABLE_HEAP')) ram.push({ what: 'mbedTLS heap', bytes: n(config, 'MBEDTLS_HEAP_SIZE', 10240) });
  if (on(config, 'TLS_CREDENTIALS')) ram.push({ what: 'TLS credentials', bytes: n(config, 'TLS_MAX_CREDENTIALS_NUMBER', 4) * 16 });
  ram.push(...(await appStatics(board, config, bundle, modules)));
  ram.sort((a, b) => b.bytes - a.bytes);

  let code = 0;
  try {
    const text = readFileSync(bundle, 'utf8');
    const map = text.indexOf('\n//# sourceMappingURL=');
    code = Buffer.byteLength(map >= 0 ? text.slice(0, map) : text);
  } catch {
    code = 0;
  }
  // Thumb-2 bytes: the kernel and each subsystem's code, and the app's (a quarter of its bundle).
  let thumb2 = 9 * 1024 + Math.round(code / 4);
  if (on(config, 'LOG')) thumb2 += 6 * 1024;
  if (on(config, 'NETWORKING')) thumb2 += 48 * 1024;
  if (on(config, 'MQTT_LIB')) thumb2 += 9 * 1024;
  if (on(config, 'MBEDTLS') || on(config, 'NET_SOCKETS_SOCKOPT_TLS')) thumb2 += 90 * 1024;
  if (on(config, 'SHELL')) thumb2 += 20 * 1024;
  const flash = Math.round(thumb2 * codeSizeFactor(board.arch));

  const ramUsed = ram.reduce((a, b) => a + b.bytes, 0);
  const ramSize = board.ram * 1024;
  const flashSize = board.flash * 1024;
  const table = [
    'Memory region         Used Size  Region Size  %age Used',
    row('FLASH', flash, flashSize),
    row('RAM', ramUsed, ramSize),
  ].join('\n');
  return {
    ram: ramUsed,
    ramSize,
    flash,
    flashSize,
    overflow: ramSize > 0 ? Math.max(0, ramUsed - ramSize) : 0,
    ramItems: ram,
    table,
  };
}
