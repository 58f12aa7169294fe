/** `zsim run`. */
import type { Argv } from 'yargs';
import { UsageError } from './errors.ts';
import { runCommand } from './run.ts';
import type { CliCommand } from './command.ts';

export const runCmd: CliCommand = {
  command: 'run [app]',
  describe: 'build an app for a board and run it',
  builder: (y: Argv) =>
    y
      .positional('app', { type: 'string', describe: 'app folder (with src/main.ts and prj.conf)' })
      .option('board', { alias: 'b', type: 'string', describe: 'board to run on, e.g. qemu_x86' })
      .option('build-dir', { alias: 'd', type: 'string', default: 'build', describe: 'build directory' })
      .option('time', { type: 'number', describe: 'stop after this many seconds of simulated time' })
      .option('seed', { type: 'number', default: 0, describe: 'seed for sys_rand32_get and the simulated network' })
      .option('realtime', { type: 'boolean', default: false, describe: 'follow the wall clock instead of virtual time' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON event per line instead of console text' })
      .option('trace', { type: 'string', describe: 'write kernel trace events (JSON lines) to FILE' })
      .option('extra-conf', { type: 'string', array: true, default: [], describe: 'extra Kconfig fragment (EXTRA_CONF_FILE)' })
      .option('define', { alias: 'D', type: 'string', array: true, default: [], describe: 'CONFIG_X=value assignment' }),
  handler: async (a, io) => {
    const board = a.board as string | undefined;
    const app = a.app as string | undefined;
    const time = a.time as number | undefined;
    const seed = a.seed as number;
    const defines = a.define as string[];
    if (!board) throw new UsageError('missing required option -b/--board');
    if (!app) throw new UsageError('missing the app folder, e.g. zsim run -b qemu_x86 samples/hello_world');
    if (time !== undefined && !(time > 0)) throw new UsageError(`--time must be a positive number of seconds, got '${time}'`);
    if (!Number.isInteger(seed)) throw new UsageError(`--seed must be an integer, got '${seed}'`);
    for (const d of defines) {
      if (!/^CONFIG_\w+=/.test(d)) throw new UsageError(`-D ${d}: expected CONFIG_NAME=value`);
    }
    const { result } = await runCommand(
      {
        board,
        app,
        buildDir: a['build-dir'] as string,
        time,
        seed,
        realtime: a.realtime as boolean,
        json: a.json as boolean,
        trace: a.trace as string | undefined,
        defines,
        extraConfFiles: a['extra-conf'] as string[],
      },
      process.stdout,
    );
    io.stderr(`zsim: ${result.message}`);
    return result.reason === 'stopped' && result.message === 'interrupted' ? 130 : result.exitCode;
  },
};
