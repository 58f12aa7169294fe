/**
 * `zsim report merge A.json B.json... [-o OUT]`: combines the reports of a fleet's shards into one
 * (counts added, latency histograms merged, shards checked disjoint) and prints its summary.
 * `zsim report show FILE` prints one report's summary.
 */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { asReport, formatSummary, mergeReports, ReportError, type FleetReport } from '../fleet/report.ts';
import type { CliCommand } from './command.ts';
import { registerInputError, UsageError } from './errors.ts';
import { checkOutputFiles, fsErrorReason, writeOutputFile } from './output_file.ts';

registerInputError(ReportError);

function readReport(file: string): FleetReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ReportError(`${file}: cannot read the report: ${fsErrorReason(e)}`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    // V8 quotes the start of the text, line breaks and all: keep the error on one line.
    throw new ReportError(`${file}: not JSON (${(e as Error).message.replace(/\r/g, '\\r').replace(/\n/g, '\\n')})`);
  }
  return asReport(v, file);
}

const USAGE = 'zsim report merge A.json B.json... [-o OUT], or zsim report show FILE';

export const reportCmd: CliCommand = {
  // Both positionals optional for yargs: a missing one gets a message naming it (see the handler).
  command: 'report [action] [files..]',
  describe: 'merge fleet reports of shards (merge A.json B.json... -o OUT), or show one (show FILE)',
  builder: (y: Argv) =>
    y
      .positional('action', { type: 'string', describe: 'merge or show' })
      .positional('files', { type: 'string', array: true, describe: 'report files written by zsim fleet --json' })
      .option('output', { alias: 'o', type: 'string', describe: 'merge: write the merged report to FILE' }),
  handler: async (a) => {
    const action = a.action as string | undefined;
    const files = ((a.files as unknown[] | undefined) ?? []).map(String);
    if (action === undefined) throw new UsageError(`missing the action: ${USAGE}`);
    if (action !== 'merge' && action !== 'show') throw new UsageError(`unknown action '${action}': ${USAGE}`);
    if (action === 'show') {
      if (files.length === 0) throw new UsageError('missing the report file: zsim report show FILE');
      if (files.length !== 1) throw new UsageError('zsim report show takes one file');
      if (a.output !== undefined) throw new UsageError('-o/--output goes with zsim report merge only');
      process.stdout.write(formatSummary(readReport(files[0]!)));
      return 0;
    }
    if (files.length === 0) throw new UsageError('missing the report files: zsim report merge A.json B.json... [-o OUT]');
    checkOutputFiles({ '-o/--output': a.output });
    const reports = files.map((file) => ({ file, report: readReport(file) }));
    const merged = mergeReports(reports);
    if (a.output !== undefined) writeOutputFile(String(a.output), JSON.stringify(merged, null, 2) + '\n');
    process.stdout.write(formatSummary(merged));
    return 0;
  },
};
