/**
 * Output helpers for the manifest commands: `west list`'s Python format strings, a project's
 * checked-out commit (read from `.git` directly, so no git program is needed), and the resolved
 * manifest as JSON (`west manifest --resolve`'s document).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Manifest, Project } from './manifest_resolve.ts';
import type { JsonValue } from './manifest_schema.ts';

/** A bad `-f` format string; the message says what is wrong. */
export class FormatStringError extends Error {}

/** A value for a format field: computed only when the format uses it (e.g. `sha`). */
export type FormatValue = string | number | (() => string | number);

function applySpec(value: string | number, spec: string, field: string): string {
  // Python's format-spec subset that makes sense for these fields: [[fill]align][0][width][.precision][s|d]
  const m = /^(?:(.)?([<>^=]))?(0)?(\d+)?(?:\.(\d+))?([sd])?$/s.exec(spec);
  if (!m) throw new FormatStringError(`invalid format spec '${spec}' for field '${field}'`);
  const [, fillCh, alignCh, zero, width, precision, type] = m;
  if (type === 'd' && typeof value !== 'number') throw new FormatStringError(`field '${field}' is not a number (format spec '${spec}')`);
  let s = String(value);
  if (precision !== undefined && typeof value === 'string') s = s.slice(0, Number(precision));
  const w = width === undefined ? 0 : Number(width);
  if (s.length >= w) return s;
  const fill = fillCh ?? (zero && !alignCh ? '0' : ' ');
  // Python aligns strings left and numbers right by default.
  const align = alignCh ?? (typeof value === 'number' || zero ? '>' : '<');
  const pad = w - s.length;
  if (align === '<') return s + fill.repeat(pad);
  if (align === '^') return fill.repeat(Math.floor(pad / 2)) + s + fill.repeat(pad - Math.floor(pad / 2));
  return fill.repeat(pad) + s;
}

/** Python's `str.format(**values)` for named fields, with `{{`/`}}` escapes and format specs. */
export function pyFormat(fmt: string, values: Readonly<Record<string, FormatValue>>): string {
  let out = '';
  const cache = new Map<string, string | number>();
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch === '}') {
      if (fmt[i + 1] !== '}') throw new FormatStringError("single '}' encountered in format string");
      out += '}';
      i++;
      continue;
    }
    if (ch !== '{') {
      out += ch;
      continue;
    }
    if (fmt[i + 1] === '{') {
      out += '{';
      i++;
      continue;
    }
    const end = fmt.indexOf('}', i);
    if (end < 0) throw new FormatStringError("single '{' encountered in format string");
    const field = fmt.slice(i + 1, end);
    const colon = field.indexOf(':');
    const name = colon < 0 ? field : field.slice(0, colon);
    if (name === '' || /^\d+$/.test(name)) throw new FormatStringError('positional fields are not supported; use names such as {name}');
    if (!Object.hasOwn(values, name)) throw new FormatStringError(`unknown key "${name}"`);
    if (!cache.has(name)) {
      const v = values[name]!;
      cache.set(name, typeof v === 'function' ? v() : v);
    }
    out += applySpec(cache.get(name)!, colon < 0 ? '' : field.slice(colon + 1), name);
    i = end;
  }
  return out;
}

function readText(p: string): string | null {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The commit checked out in `dir`, when `dir` is the top of a git work tree (a `.git` folder, or a
 * `.git` file pointing at one, as in worktrees and submodules); else null.
 */
export function readGitHead(dir: string): string | null {
  const dotGit = path.join(dir, '.git');
  if (!existsSync(dotGit)) return null;
  let gitDir = dotGit;
  if (statSync(dotGit).isFile()) {
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(readText(dotGit) ?? '');
    if (!m) return null;
    gitDir = path.resolve(dir, m[1]!);
  }
  const common = readText(path.join(gitDir, 'commondir'));
  const commonDir = common ? path.resolve(gitDir, common.trim()) : gitDir;
  let head = readText(path.join(gitDir, 'HEAD'))?.trim();
  // Follow symbolic refs a few levels (HEAD -> refs/heads/main -> sha).
  for (let depth = 0; head && depth < 5; depth++) {
    if (/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return null;
    head = (readText(path.join(gitDir, ref)) ?? readText(path.join(commonDir, ref)))?.trim();
    if (head === undefined) {
      const packed = readText(path.join(commonDir, 'packed-refs')) ?? '';
      head = packed.split('\n').map((l) => l.split(' ')).find((f) => f[1] === ref)?.[0];
    }
  }
  return null;
}

/** The fields `zsim list -f` offers for a project, as `west list` names them. */
export function projectFields(p: Project): Record<string, FormatValue> {
  return {
    name: p.name,
    description: p.description ?? 'None',
    url: p.url || 'N/A',
    path: p.path,
    abspath: p.abspath,
    posixpath: p.abspath.split(path.sep).join('/'),
    revision: p.revision || 'N/A',
    clone_depth: p.cloneDepth ?? 'None',
    cloned: p.cloned ? 'cloned' : 'not-cloned',
    // west pads a missing SHA to a SHA's width so columns stay aligned.
    sha: () => readGitHead(p.abspath) ?? 'N/A'.padEnd(40),
    groups: p.groups.join(','),
  };
}

function projectJson(p: Project): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = { name: p.name };
  if (p.description) out.description = p.description;
  out.url = p.url;
  out.revision = p.revision;
  if (p.path !== p.name) out.path = p.path;
  if (p.cloneDepth !== null) out['clone-depth'] = p.cloneDepth;
  if (p.westCommands.length) out['west-commands'] = p.westCommands.length === 1 ? p.westCommands[0]! : p.westCommands;
  if (p.groups.length) out.groups = p.groups;
  if (p.submodules === true) out.submodules = true;
  else if (Array.isArray(p.submodules)) out.submodules = p.submodules.map((s) => ({ ...s }));
  if (p.userdata !== undefined) out.userdata = p.userdata;
  return out;
}

/**
 * The resolved manifest as one equivalent manifest document, like `west manifest --resolve`:
 * every project with an explicit `url` and `revision`, no imports, the simplified group filter.
 */
export function resolvedManifestJson(m: Manifest): { manifest: Record<string, JsonValue> } {
  const [mp, ...rest] = m.projects;
  const self: Record<string, JsonValue> = {};
  if (m.selfPath !== null) self.path = m.selfPath;
  if (mp && mp.westCommands.length) self['west-commands'] = mp.westCommands.length === 1 ? mp.westCommands[0]! : mp.westCommands;
  if (mp && mp.userdata !== undefined) self.userdata = mp.userdata;
  const manifest: Record<string, JsonValue> = {};
  if (m.groupFilter.length) manifest['group-filter'] = m.groupFilter;
  manifest.projects = rest.map(projectJson);
  manifest.self = self;
  return { manifest };
}
