/**
 * `zsim boards [--json]`: the boards zsim knows, from its own tree and the manifest's modules, one
 * row per board target (`qemu_x86/atom`, `qemu_x86/atom/nopae`...).
 */
import type { Argv } from 'yargs';
import { listBoards } from '../build/boards.ts';
import { resolveModules } from '../build/manifest.ts';
import type { CliCommand } from './command.ts';

export const boardsCmd: CliCommand = {
  command: 'boards',
  describe: 'list the virtual boards, one line per board target (BOARD/SOC[/CPUCLUSTER][/VARIANT])',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'print JSON' }),
  handler: async (a) => {
    const boards = listBoards(resolveModules().boardRoots);
    if (a.json) {
      const rows = boards.map((b) => ({
        name: b.name, full_name: b.fullName, vendor: b.vendor, arch: b.arch, socs: b.socs, targets: b.targets, ram_kb: b.ram, flash_kb: b.flash,
        supported: b.supported, netif: b.netif, dir: b.dir,
      }));
      process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
      return 0;
    }
    // One row per board target (board.yml's BOARD/SOC[/CPUCLUSTER][/VARIANT]), as `-b` takes them;
    // the first target of a board is the one its plain name stands for.
    const rows = boards.flatMap((b) => (b.targets.length ? b.targets : [b.name]).map((target, i) => ({ b, target, plain: i === 0 && target !== b.name })));
    const w = Math.max(...rows.map((r) => r.target.length + (r.plain ? 2 : 0)), 6);
    process.stdout.write(`${'target'.padEnd(w)}  ${'vendor'.padEnd(10)} ${'arch'.padEnd(7)} ${'RAM'.padStart(8)} ${'flash'.padStart(8)}  network\n`);
    for (const { b, target, plain } of rows) {
      const net = b.netif.length ? b.netif.map((n) => `${n.type} ${n.mac}`).join(', ') : 'none';
      process.stdout.write(
        `${(target + (plain ? ' *' : '')).padEnd(w)}  ${b.vendor.padEnd(10)} ${b.arch.padEnd(7)} ${(b.ram + ' KB').padStart(8)} ${(b.flash + ' KB').padStart(8)}  ${net}\n`,
      );
    }
    process.stdout.write('* the default target of its board: -b BOARD alone builds it\n');
    return 0;
  },
};
