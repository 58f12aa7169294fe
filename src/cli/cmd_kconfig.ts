/** `zsim kconfig --kconfig PATH [--config FRAGMENT]... --out DIR`: the low-level Kconfig step. */
import type { Argv } from 'yargs';
import { kconfigCommand } from '../kconfig/index.ts';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';

export const kconfigCmd: CliCommand = {
  command: 'kconfig',
  describe: 'load a Kconfig tree, apply fragments, write .config and autoconf.h',
  builder: (y: Argv) =>
    y
      .option('kconfig', { type: 'string', describe: 'top-level Kconfig file' })
      .option('config', { type: 'string', array: true, default: [], describe: 'configuration fragment, applied in order' })
      .option('out', { type: 'string', describe: 'output directory' })
      .option('define', { alias: 'D', type: 'string', array: true, default: [], describe: 'CONFIG_X=value, applied last' }),
  handler: async (a, io) => {
    if (!a.kconfig) throw new UsageError('missing --kconfig PATH');
    if (!a.out) throw new UsageError('missing --out DIR');
    const r = await kconfigCommand({
      kconfig: a.kconfig as string,
      configs: a.config as string[],
      out: a.out as string,
      env: process.env as Record<string, string>,
      extra: (a.define as string[]).map((d) => (d.startsWith('CONFIG_') ? d : `CONFIG_${d}`)),
    });
    for (const l of r.stderr) io.stderr(l);
    return r.exitCode === 0 ? 0 : 2;
  },
};
