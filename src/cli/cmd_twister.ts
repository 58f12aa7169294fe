/** `zsim twister`: Zephyr's test runner for zsim's samples and tests (see src/twister/). */
import os from 'node:os';
import type { Argv } from 'yargs';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';
import { twister, TwisterUsageError } from '../twister/twister.ts';

export const twisterCmd: CliCommand = {
  command: 'twister',
  describe: 'build and run the samples and tests (sample.yaml/testcase.yaml) on their platforms, as Zephyr\'s twister',
  builder: (y: Argv) =>
    y
      .option('testsuite-root', { alias: 'T', type: 'string', array: true, default: [], describe: 'folder to search for tests (default: samples/ and tests/ of zsim)' })
      .option('platform', { alias: 'p', type: 'string', array: true, default: [], describe: 'run on this platform (default: integration_platforms, else the default platforms)' })
      .option('all', { type: 'boolean', default: false, describe: 'run on every platform' })
      .option('tag', { alias: 't', type: 'string', array: true, default: [], describe: 'only scenarios with this tag' })
      .option('exclude-tag', { alias: 'e', type: 'string', array: true, default: [], describe: 'leave out scenarios with this tag' })
      .option('outdir', { alias: 'O', type: 'string', default: 'twister-out', describe: 'output folder (build folders, logs, reports)' })
      .option('inline-logs', { alias: 'i', type: 'boolean', default: false, describe: 'print the logs of failed tests instead of their paths' })
      .option('jobs', { alias: 'j', type: 'number', describe: 'instances run in parallel (default: the number of CPUs)' }),
  handler: async (a) => {
    const jobs = (a.jobs as number | undefined) ?? Math.max(1, os.availableParallelism());
    if (!Number.isInteger(jobs) || jobs < 1) throw new UsageError(`-j must be a positive integer, got '${String(a.jobs)}'`);
    try {
      return await twister(
        {
          testRoots: a['testsuite-root'] as string[],
          platforms: a.platform as string[],
          all: a.all as boolean,
          tags: a.tag as string[],
          excludeTags: a['exclude-tag'] as string[],
          outDir: a.outdir as string,
          inlineLogs: a['inline-logs'] as boolean,
          jobs,
          progress: process.stderr,
        },
        (line) => void process.stdout.write(line + '\n'),
      );
    } catch (e) {
      if (e instanceof TwisterUsageError) throw new UsageError(e.message);
      throw e;
    }
  },
};
