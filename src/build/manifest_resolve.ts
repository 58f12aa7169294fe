/**
 * Resolving a manifest like west: the files are read in west's order (`self: import:` files, the
 * file's own projects, then the projects' imports, depth first), the first definition of a project
 * name wins, remotes and defaults apply per file, group filters combine with earlier-loaded files
 * taking precedence, and the manifest repository is project `manifest` at index 0. zsim never
 * clones: imports are read from the project folders on disk, and a missing folder is "not cloned".
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { ZSIM_ROOT } from './boards.ts';
import {
  displayPath, ManifestError, readManifestData,
  type ImportMap, type ImportSpec, type JsonValue, type ManifestData, type ProjectData, type Submodule,
} from './manifest_schema.ts';

/** The manifest file name, west.yml's counterpart; also what `import: true` reads. */
export const MANIFEST_FILE = 'manifest.json';
/** Revision used when neither the project nor `defaults` names one (west's default). */
export const DEFAULT_REVISION = 'master';

/** A project after resolution. */
export interface Project {
  name: string;
  description: string | null;
  /** Fetch URL; empty for the manifest repository. */
  url: string;
  /** `HEAD` for the manifest repository. */
  revision: string;
  /** POSIX path relative to the workspace top folder. */
  path: string;
  abspath: string;
  /** The remote the URL came from, if any. */
  remote: string | null;
  groups: string[];
  submodules: boolean | Submodule[];
  cloneDepth: number | null;
  /** `west-commands` files (accepted for compatibility; zsim runs no extension commands). */
  westCommands: string[];
  userdata: JsonValue | undefined;
  /** True for the manifest repository (index 0). */
  isManifest: boolean;
  /** False when every group of the project is disabled by the group filters. */
  active: boolean;
  /** True when the project's folder exists (zsim never clones). */
  cloned: boolean;
  /** Where the project was defined, for messages. */
  origin: { file: string; at: string };
}

/** A resolved manifest. */
export interface Manifest {
  /** The top-level manifest file. */
  file: string;
  /** The workspace top folder: project paths are relative to it. */
  topdir: string;
  /** Every project, the manifest repository first, then in resolution order. */
  projects: Project[];
  /** The effective group filter, simplified as west does (`-group` for each disabled group). */
  groupFilter: string[];
  /** `self.path` as written in the top-level file, if given. */
  selfPath: string | null;
  /** Non-fatal problems (e.g. imports skipped because a project is not cloned). */
  warnings: string[];
}

type ProjectFilter = (p: Project) => boolean;

interface Scope {
  /** Folder `self: import:` paths are relative to (the repository holding the file). */
  repoDir: string;
  /** Prefix for project paths, from enclosing `import: path-prefix:` values. */
  prefix: string;
  filter: ProjectFilter | null;
  /** Where this file's `self.west-commands` go (the manifest project's, or the importing project's). */
  westCommands: string[];
}

interface Ctx {
  topdir: string;
  projects: Map<string, Project>;
  /** Group filters in load order: earlier ones take precedence. */
  groupFilters: string[][];
  /** Files being loaded, to detect import cycles. */
  stack: string[];
  warnings: string[];
}

/** Joins POSIX path pieces the way pathlib does: drops `.` and empty parts, keeps `..`. */
export function cleanPath(...parts: string[]): string {
  const out = parts.flatMap((p) => p.replace(/\\/g, '/').split('/')).filter((s) => s !== '' && s !== '.');
  return out.length === 0 ? '.' : out.join('/');
}

function isAbsolutePath(p: string): boolean {
  return /^[/\\]/.test(p) || /^[A-Za-z]:/.test(p);
}

function escapes(p: string): boolean {
  const n = path.posix.normalize(p.replace(/\\/g, '/'));
  return n === '..' || n.startsWith('../');
}

function fnmatchSegment(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set.startsWith('!')) set = '^' + set.slice(1);
        re += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Python's `PurePath.match` for a relative pattern: the pattern's parts match the path's last parts. */
export function pathMatches(p: string, pattern: string): boolean {
  const pp = p.split('/').filter(Boolean);
  const qq = pattern.split('/').filter(Boolean);
  if (qq.length === 0 || qq.length > pp.length) return false;
  if (pattern.startsWith('/') && qq.length !== pp.length) return false;
  const tail = pp.slice(pp.length - qq.length);
  return qq.every((q, i) => fnmatchSegment(q).test(tail[i]!));
}

/** west's import-map filter: a blocked project passes only when also explicitly allowed. */
function mapFilter(m: ImportMap): ProjectFilter | null {
  const { nameAllowlist: nwl, pathAllowlist: pwl, nameBlocklist: nbl, pathBlocklist: pbl } = m;
  if (!nwl.length && !pwl.length && !nbl.length && !pbl.length) return null;
  return (p) => {
    const blocked = nbl.includes(p.name) || pbl.some((g) => pathMatches(p.path, g));
    const allowed = nwl.includes(p.name) || pwl.some((g) => pathMatches(p.path, g));
    return blocked ? allowed : allowed || (!nwl.length && !pwl.length);
  };
}

function andFilters(a: ProjectFilter | null, b: ProjectFilter | null): ProjectFilter | null {
  return a && b ? (p) => a(p) && b(p) : a ?? b;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** west treats a false or empty `import:` as none. */
function hasImport(spec: ImportSpec | undefined): spec is ImportSpec {
  return spec !== undefined && spec !== false && !(Array.isArray(spec) && spec.length === 0);
}

function mergeCommands(into: string[], more: string[]): void {
  for (const c of more) if (!into.includes(c)) into.push(c);
}

/** The files an import path names inside `baseDir`: the file itself, or a folder's `*.json` files. */
function importFiles(file: string, at: string, baseDir: string, rel: string, where: string): string[] {
  if (isAbsolutePath(rel)) throw new ManifestError(file, at, `'${rel}' is an absolute path; imports are relative to ${where}`);
  if (escapes(rel)) throw new ManifestError(file, at, `'${rel}' escapes ${where}`);
  const abs = path.resolve(baseDir, rel);
  if (isDir(abs)) {
    return readdirSync(abs).filter((f) => f.endsWith('.json')).sort().map((f) => path.join(abs, f));
  }
  if (!existsSync(abs)) throw new ManifestError(file, at, `cannot import '${rel}': not found in ${where} (${displayPath(abs)})`);
  return [abs];
}

function makeProject(ctx: Ctx, data: ManifestData, pd: ProjectData, scope: Scope): Project {
  const { file } = data;
  const remotes = new Map(data.remotes.map((r) => [r.name, r.urlBase]));
  if (pd.url !== undefined && pd.remote !== undefined) {
    throw new ManifestError(file, pd.at, "'url' and 'remote' cannot both be given");
  }
  let url = pd.url;
  let remote: string | null = null;
  if (url !== undefined) {
    if (pd.repoPath !== undefined) throw new ManifestError(file, pd.at, "'url' and 'repo-path' cannot both be given");
  } else {
    const r = pd.remote ?? data.defaults.remote;
    const at = pd.remote !== undefined ? `${pd.at}.remote` : 'manifest.defaults.remote';
    if (r === undefined) {
      throw new ManifestError(file, pd.at, "no 'url' or 'remote', and no default remote (manifest.defaults.remote)");
    }
    const base = remotes.get(r);
    if (base === undefined) {
      const known = [...remotes.keys()];
      throw new ManifestError(file, at, `unknown remote '${r}' (${known.length ? `defined remotes: ${known.join(', ')}` : 'no remotes are defined'})`);
    }
    remote = r;
    url = `${base}/${pd.repoPath ?? pd.name}`;
  }
  if (pd.path !== undefined && isAbsolutePath(pd.path)) {
    throw new ManifestError(file, `${pd.at}.path`, `'${pd.path}' is absolute; project paths are relative to the workspace (${ctx.topdir})`);
  }
  // As west, an import mapping's path-prefix also moves the project that declares it.
  const ownPrefix = typeof pd.import === 'object' && !Array.isArray(pd.import) ? pd.import.pathPrefix : '';
  const rel = cleanPath(scope.prefix, ownPrefix, pd.path ?? pd.name);
  if (escapes(rel)) {
    throw new ManifestError(file, `${pd.at}.path`, `'${rel}' escapes the workspace (${ctx.topdir})`);
  }
  if (hasImport(pd.import) && pd.groups.length) throw new ManifestError(file, pd.at, "'groups' cannot be combined with 'import'");
  const abspath = path.resolve(ctx.topdir, rel);
  return {
    name: pd.name,
    description: pd.description ?? null,
    url,
    revision: pd.revision ?? data.defaults.revision ?? DEFAULT_REVISION,
    path: rel,
    abspath,
    remote,
    groups: pd.groups,
    submodules: pd.submodules,
    cloneDepth: pd.cloneDepth ?? null,
    westCommands: pd.westCommands ? [pd.westCommands] : [],
    userdata: pd.userdata,
    isManifest: false,
    active: true,
    cloned: isDir(abspath),
    origin: { file, at: pd.at },
  };
}

function importFromSelf(ctx: Ctx, file: string, spec: ImportSpec, at: string, scope: Scope): void {
  if (typeof spec === 'boolean') return; // rejected by the schema check
  if (Array.isArray(spec)) {
    spec.forEach((s, i) => importFromSelf(ctx, file, s, `${at}[${i}]`, scope));
    return;
  }
  const m = typeof spec === 'string' ? null : spec;
  const rel = m ? m.file ?? MANIFEST_FILE : (spec as string);
  const child: Scope = m
    ? { ...scope, prefix: cleanPath(scope.prefix, m.pathPrefix), filter: andFilters(scope.filter, mapFilter(m)) }
    : scope;
  for (const f of importFiles(file, at, scope.repoDir, rel, 'the manifest repository')) loadFile(ctx, f, child, { file, at });
}

function importFromProject(ctx: Ctx, file: string, p: Project, spec: ImportSpec, at: string, scope: Scope): void {
  if (!p.cloned) {
    ctx.warnings.push(`${displayPath(file)}: ${at}: project '${p.name}' (${p.path}) is not cloned; its import is skipped`);
    return;
  }
  if (spec === false) return;
  if (Array.isArray(spec)) {
    spec.forEach((s, i) => importFromProject(ctx, file, p, s, `${at}[${i}]`, scope));
    return;
  }
  const m = typeof spec === 'object' ? spec : null;
  const rel = spec === true ? MANIFEST_FILE : m ? m.file ?? MANIFEST_FILE : (spec as string);
  const child: Scope = {
    repoDir: p.abspath,
    prefix: m ? cleanPath(scope.prefix, m.pathPrefix) : scope.prefix,
    filter: m ? andFilters(scope.filter, mapFilter(m)) : scope.filter,
    // west gives the `self: west-commands` of an imported file to the project it came from.
    westCommands: p.westCommands,
  };
  for (const f of importFiles(file, at, p.abspath, rel, `project '${p.name}' (${p.path})`)) loadFile(ctx, f, child, { file, at });
}

function loadFile(ctx: Ctx, file: string, scope: Scope, from: { file: string; at: string } | null, data?: ManifestData): void {
  if (ctx.stack.includes(file)) {
    const chain = [...ctx.stack.slice(ctx.stack.indexOf(file)), file].map(displayPath).join(' -> ');
    throw new ManifestError(from?.file ?? file, from?.at ?? null, `import cycle: ${chain}`);
  }
  ctx.stack.push(file);
  const d = data ?? readManifestData(file, ctx.warnings);
  if (d.self?.import !== undefined) importFromSelf(ctx, file, d.self.import, 'manifest.self.import', scope);
  if (d.self?.westCommands) mergeCommands(scope.westCommands, [d.self.westCommands]);
  if (d.groupFilter) ctx.groupFilters.push(d.groupFilter);
  if (d.defaults.remote !== undefined && !d.remotes.some((r) => r.name === d.defaults.remote)) {
    throw new ManifestError(file, 'manifest.defaults.remote', `unknown remote '${d.defaults.remote}' (${d.remotes.length ? `defined remotes: ${d.remotes.map((r) => r.name).join(', ')}` : 'no remotes are defined'})`);
  }
  const names = new Map<string, string>();
  const pending: [Project, ImportSpec, string][] = [];
  for (const pd of d.projects) {
    const p = makeProject(ctx, d, pd, scope);
    if (scope.filter && !scope.filter(p)) continue;
    const prev = names.get(p.name);
    if (prev !== undefined) throw new ManifestError(file, `${pd.at}.name`, `duplicate project name '${p.name}' (also ${prev})`);
    names.set(p.name, pd.at);
    // The first definition of a name wins; later ones (and their imports) are ignored, as in west.
    if (ctx.projects.has(p.name)) continue;
    ctx.projects.set(p.name, p);
    if (hasImport(pd.import)) pending.push([p, pd.import, `${pd.at}.import`]);
  }
  for (const [p, spec, at] of pending) importFromProject(ctx, file, p, spec, at, scope);
  ctx.stack.pop();
}

/** The workspace top folder: the manifest's folder, minus `self.path` when the folder ends with it. */
function findTopdir(file: string, selfPath: string | undefined): { topdir: string; repoPath: string } {
  const dir = path.dirname(file);
  if (selfPath === undefined) return { topdir: dir, repoPath: '.' };
  if (isAbsolutePath(selfPath)) throw new ManifestError(file, 'manifest.self.path', `'${selfPath}' must be relative to the workspace`);
  const rel = cleanPath(selfPath);
  if (rel === '.') return { topdir: dir, repoPath: '.' };
  const parts = rel.split('/');
  const dirParts = dir.split(path.sep);
  if (parts.includes('..') || parts.length >= dirParts.length || dirParts.slice(-parts.length).join('/') !== rel) {
    throw new ManifestError(file, 'manifest.self.path', `'${selfPath}' does not match the manifest's folder (${dir}); it is the manifest repository's path inside the workspace`);
  }
  return { topdir: dirParts.slice(0, -parts.length).join(path.sep) || path.sep, repoPath: rel };
}

/**
 * The manifest to use: walks up from `start` to the first `manifest.json` (skipping a JSON file
 * without a top-level `manifest` key, e.g. a web app's), falling back to zsim's own.
 */
export function findManifest(start: string = process.cwd()): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const f = path.join(dir, MANIFEST_FILE);
    if (existsSync(f) && !isForeignJson(f)) return f;
    if (path.dirname(dir) === dir) break;
  }
  return path.join(ZSIM_ROOT, MANIFEST_FILE);
}

function isForeignJson(file: string): boolean {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return typeof doc !== 'object' || doc === null || Array.isArray(doc) || !('manifest' in doc);
  } catch {
    return false; // unreadable or malformed: take it, so its error is reported
  }
}

/**
 * Loads and resolves a manifest. `where` is a manifest file, a folder holding `manifest.json`, or
 * omitted: then {@link findManifest} looks from the current folder.
 */
export function loadManifest(where?: string): Manifest {
  let file = where === undefined ? findManifest() : path.resolve(where);
  if (where !== undefined && isDir(file)) file = path.join(file, MANIFEST_FILE);
  const warnings: string[] = [];
  const data = readManifestData(file, warnings);
  const { topdir, repoPath } = findTopdir(file, data.self?.path);
  const ctx: Ctx = { topdir, projects: new Map(), groupFilters: [], stack: [], warnings };
  const manifestProject: Project = {
    name: 'manifest', description: null, url: '', revision: 'HEAD', path: repoPath, abspath: path.dirname(file),
    remote: null, groups: [], submodules: false, cloneDepth: null, westCommands: [], userdata: data.self?.userdata,
    isManifest: true, active: true, cloned: true, origin: { file, at: 'manifest.self' },
  };
  loadFile(ctx, file, { repoDir: path.dirname(file), prefix: '', filter: null, westCommands: manifestProject.westCommands }, null, data);

  const byPath = new Map<string, Project>();
  for (const p of ctx.projects.values()) {
    const key = path.posix.normalize(p.path);
    if (key === path.posix.normalize(repoPath)) {
      throw new ManifestError(p.origin.file, `${p.origin.at}.path`, `project '${p.name}' path '${p.path}' is taken by the manifest repository`);
    }
    const other = byPath.get(key);
    if (other) {
      const where = other.origin.file === p.origin.file ? other.origin.at : `${other.origin.at} in ${displayPath(other.origin.file)}`;
      throw new ManifestError(p.origin.file, `${p.origin.at}.path`, `project '${p.name}' path '${p.path}' is taken by project '${other.name}' (${where})`);
    }
    byPath.set(key, p);
  }

  // Apply the lowest-precedence filter first, so each earlier-loaded file can override later ones.
  const disabled = new Set<string>();
  for (const gf of [...ctx.groupFilters].reverse()) {
    for (const item of gf) {
      if (item.startsWith('-')) disabled.add(item.slice(1));
      else disabled.delete(item.slice(1));
    }
  }
  const projects = [manifestProject, ...ctx.projects.values()];
  for (const p of projects) p.active = p.groups.length === 0 || p.groups.some((g) => !disabled.has(g));
  return {
    file,
    topdir,
    projects,
    groupFilter: [...disabled].sort().map((g) => `-${g}`),
    selfPath: data.self?.path ?? null,
    warnings: ctx.warnings,
  };
}
