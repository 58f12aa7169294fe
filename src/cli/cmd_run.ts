/** `zsim run`. */
import type { Argv } from 'yargs';
import { UsageError } from './errors.ts';
import { runCommand } from './run.ts';
import type { CliCommand } from './command.ts';
import { readBuild } from '../build/build.ts';
import { buildOptions, cmakeArgs, pristineOf } from './build_opts.ts';
import { checkOutputFiles } from './output_file.ts';

/** `--cred TAG:TYPE:FILE`, repeatable (`zsim run`, `zsim fleet`); parsed by `parseCreds` (run.ts). */
export const credOption = {
  type: 'string',
  array: true,
  default: [],
  describe: 'TAG:TYPE:FILE credential loaded before main (TYPE: ca, cert, key, psk, psk_id)',
} as const;

/** `--time`: a positive, finite number of seconds (`zsim run`, `zsim fleet`). */
export function checkTime(time: number | undefined): void {
  if (time !== undefined && !(time > 0 && Number.isFinite(time))) throw new UsageError(`--time must be a positive number of seconds, got '${time}'`);
}

/**
 * `--seed`: the random streams take 32 bits of it, so a seed outside 0..4294967295 would quietly
 * be another one (-1 is 4294967295, 2^32 is 0) while the report shows what was typed.
 */
export function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new UsageError(`--seed must be an integer from 0 to 4294967295, got '${seed}'`);
}

export const runCmd: CliCommand = {
  command: 'run [app]',
  describe: 'build an app for a board and run it',
  builder: (y: Argv) =>
    y
      .positional('app', { type: 'string', describe: 'app folder (with src/main.ts and prj.conf)' })
      .option('time', { type: 'number', describe: 'stop after this many seconds of simulated time' })
      .option('seed', { type: 'number', default: 0, describe: 'seed for sys_rand32_get and the simulated network' })
      .option('realtime', { type: 'boolean', default: false, describe: 'follow the wall clock instead of virtual time' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON event per line instead of console text' })
      .option('trace', { type: 'string', describe: 'write kernel trace events (JSON lines) to FILE' })
      .options(buildOptions)
      .option('broker', { type: 'string', describe: 'use a real broker (real time): mqtt://HOST:PORT, mqtts://HOST:PORT, ws://HOST:PORT or wss://HOST:PORT' })
      .option('cred', credOption)
      .option('pcap', { type: 'string', describe: 'write the network traffic of the run to FILE (pcap)' })
      .option('shell', { type: 'boolean', default: false, describe: "give the board's shell (uart:~$) on stdin/stdout; needs CONFIG_SHELL=y" }),
  handler: async (a, io) => {
    const board = a.board as string | undefined;
    const app = a.app as string | undefined;
    const buildDir = a['build-dir'] as string;
    const time = a.time as number | undefined;
    const seed = a.seed as number;
    const { defines, extraConfFiles, confFile } = cmakeArgs(a);
    if (!board && !readBuild(buildDir)) throw new UsageError('missing required option -b/--board');
    if (!app && !readBuild(buildDir)) throw new UsageError('missing the app folder, e.g. zsim run -b qemu_x86 samples/hello_world');
    checkTime(time);
    checkSeed(seed);
    checkOutputFiles({ '--trace': a.trace, '--pcap': a.pcap });
    const { result } = await runCommand(
      {
        board,
        app,
        buildDir,
        pristine: pristineOf(a.pristine),
        time,
        seed,
        realtime: a.realtime as boolean,
        json: a.json as boolean,
        trace: a.trace as string | undefined,
        defines,
        extraConfFiles,
        confFile,
        broker: a.broker as string | undefined,
        creds: a.cred as string[],
        pcap: a.pcap as string | undefined,
        shell: a.shell as boolean,
      },
      process.stdout,
      (l) => io.stderr(l),
    );
    io.stderr(`zsim: ${result.message}`);
    return result.reason === 'stopped' && result.message === 'interrupted' ? 130 : result.exitCode;
  },
};
