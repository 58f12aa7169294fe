/**
 * `zsim config -d DIR [SYMBOL]`: what a build's configuration is and why. Without a symbol, the
 * values that differ from their defaults (or that a fragment set), each with its origin; with
 * one, menuconfig's symbol information screen.
 */
import type { Argv } from 'yargs';
import { changedValues, suggestNames, symbolInfoLines } from '../build/menuconfig/info.ts';
import { displayPath, openBuildConfig } from '../build/menuconfig/session.ts';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';

export const configCmd: CliCommand = {
  command: 'config [symbol]',
  describe: "show a build's configuration: changed values with their origin, or one symbol in detail",
  builder: (y: Argv) =>
    y
      .positional('symbol', { type: 'string', describe: 'symbol name, with or without CONFIG_' })
      .option('build-dir', { alias: 'd', type: 'string', default: 'build', describe: 'build directory' })
      .option('all', { type: 'boolean', default: false, describe: 'list every symbol in .config, not only changed ones' }),
  handler: async (a) => {
    const cfg = openBuildConfig(a['build-dir'] as string);
    const raw = a.symbol as string | undefined;
    if (raw === undefined) {
      const out = [`# ${displayPath(cfg.dotConfig)}`];
      if (cfg.overlay) out.push(`# with menuconfig changes from ${displayPath(cfg.overlay)}`);
      out.push(...changedValues(cfg.kconf, { all: a.all as boolean }));
      process.stdout.write(out.join('\n') + '\n');
      return 0;
    }
    const name = raw.replace(/^CONFIG_/, '');
    const lines = symbolInfoLines(cfg.kconf, name);
    if (!lines) {
      const close = suggestNames(cfg.kconf, name);
      const hint = close.length ? `; did you mean ${close.map((n) => `CONFIG_${n}`).join(', ')}?` : '';
      const what = cfg.kconf.symbol(name) ? 'is referenced but defined in no Kconfig file' : 'is not a Kconfig symbol of this build';
      throw new UsageError(`CONFIG_${name} ${what}${hint}`);
    }
    process.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
