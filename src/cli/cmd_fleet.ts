/**
 * `zsim fleet -b BOARD APP -n N`: N boards of one build in one process (see `src/fleet/` and
 * docs/fleet.md). Prints the summary table on stdout; `--json FILE` writes the same as a report.
 * Exit status: 0, or 1 when a board halted on a fatal error or a board's main() returned non-zero.
 */
import type { Argv } from 'yargs';
import { readBuild } from '../build/build.ts';
import { FleetError, runFleet } from '../fleet/fleet.ts';
import { parseShard, shardRange } from '../fleet/identity.ts';
import { formatSimTime, formatSummary } from '../fleet/report.ts';
import { ScenarioError } from '../fleet/scenario.ts';
import { buildOptions, cmakeArgs, pristineOf } from './build_opts.ts';
import { checkSeed, checkTime, credOption } from './cmd_run.ts';
import type { CliCommand } from './command.ts';
import { registerInputError, UsageError } from './errors.ts';
import { checkOutputFiles, writeOutputFile } from './output_file.ts';

registerInputError(FleetError);
registerInputError(ScenarioError);

export const fleetCmd: CliCommand = {
  command: 'fleet [app]',
  describe: 'run N boards of one build in one process, with scripted network faults and delivery accounting',
  builder: (y: Argv) =>
    y
      .positional('app', { type: 'string', describe: 'app folder (with src/main.ts and prj.conf)' })
      .option('count', { alias: 'n', type: 'number', default: 10, describe: 'boards in the fleet (all shards)' })
      .option('time', { type: 'number', describe: 'stop after this many seconds of simulated time (wall time with --broker)' })
      .option('seed', { type: 'number', default: 0, describe: 'seed of the boards, the simulated network and the scenario' })
      .option('broker', { type: 'string', describe: 'use a real broker in real time: mqtt://HOST:PORT or mqtts://HOST:PORT (ws://, wss:// for apps with CONFIG_MQTT_LIB_WEBSOCKET)' })
      .option('cred', { ...credOption, describe: "TAG:TYPE:FILE credential loaded into every board's store before main, repeatable (TYPE: ca, cert, key, psk, psk_id)" })
      .option('scenario', { type: 'string', describe: 'JSON or YAML file of timed events (faults, restarts, reboots, publishes)' })
      .option('json', { type: 'string', describe: 'write the report to FILE (JSON)' })
      .option('pcap', { type: 'string', describe: 'write the network traffic to FILE (pcap)' })
      .option('trace', { type: 'string', describe: 'write fleet events (connects, faults, reboots) to FILE (JSON lines)' })
      .option('shard', { type: 'string', describe: 'run slice I of N (0-based), e.g. 0/4: disjoint boards and ids' })
      .option('subnet', { type: 'string', describe: 'IPv4 subnet of the board addresses (default 10.0.0.0/8)' })
      .option('ramp', { type: 'number', describe: 'power the boards on over this many seconds (board i at i/N of it)' })
      .option('console', { type: 'boolean', default: false, describe: "show every board's console, prefixed with its id" })
      .option('progress', { type: 'boolean', default: true, describe: 'progress line on a terminal (--no-progress hides it)' })
      .options(buildOptions),
  handler: async (a, io) => {
    const board = a.board as string | undefined;
    const app = a.app as string | undefined;
    const buildDir = a['build-dir'] as string;
    const count = a.count as number;
    const time = a.time as number | undefined;
    const seed = a.seed as number;
    if (!board && !readBuild(buildDir)) throw new UsageError('missing required option -b/--board');
    if (!app && !readBuild(buildDir)) throw new UsageError('missing the app folder, e.g. zsim fleet -b qemu_x86 samples/net/mqtt_ticktock -n 100 --time 60');
    if (!Number.isInteger(count) || count < 1) throw new UsageError(`-n/--count must be a whole number >= 1, got '${a.count}'`);
    checkTime(time);
    checkSeed(seed);
    const ramp = a.ramp as number | undefined;
    if (ramp !== undefined && !(ramp >= 0 && Number.isFinite(ramp))) throw new UsageError(`--ramp must be a number of seconds >= 0, got '${a.ramp}'`);
    let shard;
    try {
      shard = a.shard === undefined ? undefined : parseShard(String(a.shard));
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const { defines, extraConfFiles, confFile } = cmakeArgs(a);
    checkOutputFiles({ '--json': a.json, '--pcap': a.pcap, '--trace': a.trace });
    // Not an error: an orchestrator may start more shards than there are boards.
    const range = shard && shardRange(count, shard);
    if (shard && range && range.first === range.end) {
      io.stderr(`zsim: warning: shard ${shard.index}/${shard.count} of ${count} board${count === 1 ? '' : 's'} has no boards`);
    }
    const run = await runFleet(
      {
        board, app, buildDir, pristine: pristineOf(a.pristine), defines, extraConfFiles, confFile,
        count, seed, time, shard, ramp,
        broker: a.broker as string | undefined,
        creds: a.cred as string[],
        scenario: a.scenario as string | undefined,
        pcap: a.pcap as string | undefined,
        trace: a.trace as string | undefined,
        subnet: a.subnet as string | undefined,
        console: a.console as boolean,
        progress: a.progress as boolean,
      },
      process.stdout,
      process.stderr,
      (l) => io.stderr(l),
    );
    const { report, result, wallMs } = run;
    process.stdout.write(formatSummary(report));
    if (a.json) writeOutputFile(a.json as string, JSON.stringify(report, null, 2) + '\n');
    const speed = wallMs > 0 ? ` (${(report.sim_time_s / (wallMs / 1000)).toFixed(0)}x real time)` : '';
    io.stderr(`zsim: ${result.message}; ${formatSimTime(report.sim_time_s)} simulated in ${(wallMs / 1000).toFixed(2)} s of wall time${speed}`);
    if (result.reason === 'stopped' && result.message === 'interrupted') return 130;
    return report.board_states.fatal > 0 ? 1 : result.exitCode;
  },
};
