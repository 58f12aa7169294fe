/** `zsim build -b BOARD APP [-d DIR] [-p] [-t run|menuconfig] [-- -DCONFIG_X=...]`, as `west build`. */
import type { Argv } from 'yargs';
import { westBuild } from '../build/build.ts';
import { buildOptions, cmakeArgs, pristineOf } from './build_opts.ts';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';

export const buildCmd: CliCommand = {
  command: 'build [app]',
  describe: 'configure and build an app for a board (like west build)',
  builder: (y: Argv) =>
    y
      .positional('app', { type: 'string', describe: 'app folder' })
      .options(buildOptions)
      .option('target', { alias: 't', type: 'string', describe: 'run | menuconfig: what to do after building' }),
  handler: async (a, io) => {
    const target = a.target as string | undefined;
    if (target !== undefined && target !== 'run' && target !== 'menuconfig') {
      throw new UsageError(`-t ${target}: unknown target (run, menuconfig)`);
    }
    const { defines, extraConfFiles, confFile } = cmakeArgs(a);
    if (target === 'run') {
      const { runCmd } = await import('./cmd_run.ts');
      return runCmd.handler(a, io);
    }
    const r = await westBuild({
      board: a.board as string | undefined,
      app: a.app as string | undefined,
      buildDir: a['build-dir'] as string,
      pristine: pristineOf(a.pristine),
      defines,
      extraConfFiles,
      confFile,
      log: (l) => io.stderr(l),
      // West's order: configure status and Kconfig warnings, then the link's memory report.
      progress: target === 'menuconfig' ? undefined : (l) => void process.stdout.write(`${l}\n`),
    });
    if (target === 'menuconfig') {
      const { menuconfigCmd } = await import('./cmd_menuconfig.ts');
      return menuconfigCmd.handler({ ...a, 'build-dir': r.buildDir }, io);
    }
    if (!r.rebuilt) {
      process.stdout.write('ninja: no work to do.\n');
      return 0;
    }
    process.stdout.write(`${r.memory.table}\n`);
    return 0;
  },
};
