/**
 * The memory report at the end of a build, in the layout of the GNU ld table Zephyr prints
 * (Memory region / Used Size / Region Size / %age Used). zsim has no linker, so the figures are
 * an estimate built from what the configuration and the app reserve: the kernel's stacks
 * (main, idle, ISR, system work queue), the app's static threads, the heap pool, network and
 * logging buffers; flash is a per-subsystem code size plus the app's bundled code. A RAM total
 * above the board's RAM fails the build, as the linker would.
 */
import { readFileSync } from 'node:fs';
import type { KConfig } from '../kernel/kernel.ts';
import { MemoryConsole } from '../kernel/console.ts';
import { Kernel } from '../kernel/kernel.ts';
import { Simulation } from '../kernel/sim.ts';
import { loadApp } from './app.ts';
import type { Board } from './boards.ts';

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
  let flash = 9 * 1024 + Math.round(code / 4);
  if (on(config, 'LOG')) flash += 6 * 1024;
  if (on(config, 'NETWORKING')) flash += 48 * 1024;
  if (on(config, 'MQTT_LIB')) flash += 9 * 1024;
  if (on(config, 'MBEDTLS') || on(config, 'NET_SOCKETS_SOCKOPT_TLS')) flash += 90 * 1024;
  if (on(config, 'SHELL')) flash += 20 * 1024;

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
