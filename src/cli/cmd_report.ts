/**
 * `zsim report merge A.json B.json... [-o OUT]`: combines the reports of a fleet's shards into one
 * (counts added, latency histograms merged, shards checked disjoint) and prints its summary.
 * `zsim report show FILE` prints one report's summary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { asReport, formatSummary, mergeReports, ReportError, type FleetReport } from '../fleet/report.ts';
import type { CliCommand } from './command.ts';
import { registerInputError, UsageError } from './errors.ts';

registerInputError(ReportError);

function readReport(file: string): FleetReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ReportError(`${file}: cannot read the report`);
  }
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ReportError(`${file}: not JSON (${(e as Error).message})`);
  }
  return asReport(v, file);
}

export const reportCmd: CliCommand = {
  command: 'report <action> <files..>',
  describe: 'merge fleet reports of shards (merge A.json B.json... -o OUT), or show one (show FILE)',
  builder: (y: Argv) =>
    y
      .positional('action', { type: 'string', choices: ['merge', 'show'], describe: 'merge or show' })
      .positional('files', { type: 'string', array: true, describe: 'report files written by zsim fleet --json' })
      .option('output', { alias: 'o', type: 'string', describe: 'write the merged report to FILE' }),
  handler: async (a) => {
    const files = (a.files as string[] | undefined) ?? [];
    if (files.length === 0) throw new UsageError('name at least one report file');
    const reports = files.map((file) => ({ file, report: readReport(file) }));
    if (a.action === 'show') {
      if (files.length !== 1) throw new UsageError('zsim report show takes one file');
      process.stdout.write(formatSummary(reports[0]!.report));
      return 0;
    }
    const merged = mergeReports(reports);
    if (a.output) writeFileSync(a.output as string, JSON.stringify(merged, null, 2) + '\n');
    process.stdout.write(formatSummary(merged));
    return 0;
  },
};
