/** `zsim manifest`: west manifest's --resolve / --validate / --path for `manifest.json`. */
import type { Argv } from 'yargs';
import { loadManifest, resolvedManifestJson, type Manifest } from '../build/manifest.ts';
import type { CliCommand, CliIo } from './command.ts';
import { UsageError } from './errors.ts';
import { writeOutputFile } from './output_file.ts';

/** How `--manifest` is described in every command that takes it. */
export const MANIFEST_OPTION = {
  type: 'string',
  describe: "manifest file (or folder holding manifest.json) to use; default: the nearest manifest.json in the current folder or above, else zsim's own",
} as const;

/** Loads the manifest a command was pointed at and prints its warnings. */
export function loadManifestFor(args: Record<string, unknown>, io: CliIo): Manifest {
  const m = loadManifest(args.manifest as string | undefined);
  for (const w of m.warnings) io.stderr(`zsim: warning: ${w}`);
  return m;
}

/** The resolved manifest as `zsim manifest --resolve` prints it. */
export function resolvedManifestText(m: Manifest): string {
  return JSON.stringify(resolvedManifestJson(m), null, 2) + '\n';
}

export const manifestCmd: CliCommand = {
  command: 'manifest',
  describe: 'resolve, validate or locate the module manifest (manifest.json)',
  builder: (y: Argv) =>
    y
      .option('resolve', { type: 'boolean', describe: 'print the manifest with all imports resolved, as one JSON manifest' })
      .option('validate', { type: 'boolean', describe: 'exit 2 with the problem if the manifest is invalid; print nothing if valid' })
      .option('path', { type: 'boolean', describe: 'print the path of the top-level manifest file' })
      .option('out', { alias: 'o', type: 'string', describe: 'with --resolve: write to FILE instead of stdout' })
      .option('manifest', MANIFEST_OPTION),
  handler: async (a, io) => {
    const actions = (['resolve', 'validate', 'path'] as const).filter((k) => a[k] === true);
    if (actions.length !== 1) throw new UsageError('give exactly one of --resolve, --validate or --path');
    if (a.out !== undefined && actions[0] !== 'resolve') throw new UsageError('--out only goes with --resolve');
    const m = loadManifestFor(a, io);
    if (actions[0] === 'resolve') {
      const text = resolvedManifestText(m);
      if (typeof a.out === 'string') writeOutputFile(a.out, text);
      else process.stdout.write(text);
    } else if (actions[0] === 'path') {
      process.stdout.write(m.file + '\n');
    }
    return 0;
  },
};
