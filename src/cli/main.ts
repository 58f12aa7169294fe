/**
 * The `zsim` command. Exit codes: 0 when the app finished (or ran to its time limit), 1 on a fatal
 * error or deadlock, 2 on a usage or input error; each ending prints a one-line reason on stderr.
 */
import yargs from 'yargs';
import { BuildError } from '../build/app.ts';
import { BoardError } from '../build/boards.ts';
import { ConfigError } from '../build/config.ts';
import { ZSIM_VERSION } from '../kernel/init.ts';
import { runCommand } from './run.ts';

class UsageError extends Error {}

function isInputError(e: unknown): e is Error {
  return e instanceof UsageError || e instanceof BuildError || e instanceof BoardError || e instanceof ConfigError;
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const stderr = (s: string): void => void process.stderr.write(s.endsWith('\n') ? s : s + '\n');
  const parser = yargs(argv)
    .scriptName('zsim')
    .usage('$0 <command> [options]\n\nA Zephyr-like RTOS simulator: run firmware apps on virtual boards.')
    .version(ZSIM_VERSION)
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    .command(
      'run [app]',
      'build an app for a board and run it',
      (y) =>
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
      async (a) => {
        if (!a.board) throw new UsageError('missing required option -b/--board');
        if (!a.app) throw new UsageError('missing the app folder, e.g. zsim run -b qemu_x86 samples/hello_world');
        if (a.time !== undefined && !(a.time > 0)) throw new UsageError(`--time must be a positive number of seconds, got '${a.time}'`);
        if (!Number.isInteger(a.seed)) throw new UsageError(`--seed must be an integer, got '${a.seed}'`);
        for (const d of a.define) {
          if (!/^CONFIG_\w+=/.test(d)) throw new UsageError(`-D ${d}: expected CONFIG_NAME=value`);
        }
        const { result } = await runCommand(
          {
            board: a.board,
            app: a.app,
            buildDir: a['build-dir'],
            time: a.time,
            seed: a.seed,
            realtime: a.realtime,
            json: a.json,
            trace: a.trace,
            defines: a.define,
            extraConfFiles: a['extra-conf'],
          },
          process.stdout,
        );
        code = result.reason === 'stopped' && result.message === 'interrupted' ? 130 : result.exitCode;
        stderr(`zsim: ${result.message}`);
      },
    )
    .demandCommand(1, 'name a command, e.g. zsim run -b qemu_x86 samples/hello_world')
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100));
  try {
    await parser.parseAsync();
  } catch (e) {
    if (isInputError(e)) {
      stderr(`zsim: error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  return code;
}
