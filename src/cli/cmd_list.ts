/** `zsim list`: west list for `manifest.json`'s projects. */
import path from 'node:path';
import type { Argv } from 'yargs';
import { FormatStringError, projectFields, pyFormat, type Manifest, type Project } from '../build/manifest.ts';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';
import { loadManifestFor, MANIFEST_OPTION } from './cmd_manifest.ts';

/** west list's default format. */
export const DEFAULT_LIST_FORMAT = '{name:12} {path:28} {revision:40} {url}';

/** What to list. */
export interface ListOptions {
  /** Projects by name or path (relative to `cwd`); default: all active ones. */
  projects?: string[];
  /** Python format string (default {@link DEFAULT_LIST_FORMAT}). */
  format?: string;
  /** Include inactive (group-filtered) projects. */
  all?: boolean;
  cwd?: string;
}

/** The projects `ids` name, in that order; an unknown one is a usage error. */
export function selectProjects(m: Manifest, ids: string[], cwd = process.cwd()): Project[] {
  const unknown: string[] = [];
  const found = ids.flatMap((id) => {
    // As west: names first, then paths.
    const p = m.projects.find((x) => x.name === id) ?? m.projects.find((x) => x.abspath === path.resolve(cwd, id));
    if (!p) unknown.push(id);
    return p ? [p] : [];
  });
  if (unknown.length) throw new UsageError(`unknown project name/path: ${unknown.join(', ')}`);
  return found;
}

/** One formatted line per listed project. */
export function listProjects(m: Manifest, opts: ListOptions = {}): string[] {
  const ids = opts.projects ?? [];
  const format = opts.format ?? DEFAULT_LIST_FORMAT;
  // As west: projects named explicitly are listed even when inactive.
  const projects = ids.length ? selectProjects(m, ids, opts.cwd) : m.projects.filter((p) => opts.all || p.active);
  try {
    return projects.map((p) => pyFormat(format, projectFields(p)));
  } catch (e) {
    if (e instanceof FormatStringError) throw new UsageError(`${e.message} in format string '${format}'`);
    throw e;
  }
}

export const listCmd: CliCommand = {
  command: 'list [projects..]',
  describe: "list the manifest's projects",
  builder: (y: Argv) =>
    y
      .positional('projects', { type: 'string', array: true, describe: 'projects by name or path (default: every active project)' })
      .option('format', {
        alias: 'f',
        type: 'string',
        default: DEFAULT_LIST_FORMAT,
        describe: 'Python format string; fields: name, description, path, abspath, posixpath, revision, url, groups, clone_depth, cloned, sha',
      })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'include inactive (group-filtered) projects' })
      .option('manifest', MANIFEST_OPTION),
  handler: async (a, io) => {
    const m = loadManifestFor(a, io);
    const lines = listProjects(m, {
      projects: ((a.projects as unknown[] | undefined) ?? []).map(String),
      format: a.format as string,
      all: a.all as boolean,
    });
    process.stdout.write(lines.map((l) => l + '\n').join(''));
    return 0;
  },
};
