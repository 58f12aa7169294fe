/** `zsim boards [--json]`: the boards zsim knows, from its own tree and the manifest's modules. */
import type { Argv } from 'yargs';
import { listBoards } from '../build/boards.ts';
import { resolveModules } from '../build/manifest.ts';
import type { CliCommand } from './command.ts';

export const boardsCmd: CliCommand = {
  command: 'boards',
  describe: 'list the virtual boards',
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
    const w = Math.max(...boards.map((b) => b.name.length), 4);
    process.stdout.write(`${'name'.padEnd(w)}  ${'vendor'.padEnd(10)} ${'arch'.padEnd(7)} ${'RAM'.padStart(8)} ${'flash'.padStart(8)}  network\n`);
    for (const b of boards) {
      const net = b.netif.length ? b.netif.map((n) => `${n.type} ${n.mac}`).join(', ') : 'none';
      process.stdout.write(
        `${b.name.padEnd(w)}  ${b.vendor.padEnd(10)} ${b.arch.padEnd(7)} ${(b.ram + ' KB').padStart(8)} ${(b.flash + ' KB').padStart(8)}  ${net}\n`,
      );
    }
    return 0;
  },
};
