/**
 * Reading and checking one `manifest.json` file: JSON syntax, then the shape of west.yml's schema
 * (west's `manifest-schema.yml`), with every problem reported as `FILE: JSON.PATH: what is wrong`.
 * Cross-file rules (remotes, defaults, imports, duplicate paths) are checked by the resolver.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { findJsonSyntaxError, lineColumn } from './manifest_json.ts';

/** Any value JSON can hold; `userdata` is passed through as one. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * A problem in a manifest (or a module's `zephyr/module.yml`): names the file and, where there is
 * one, the JSON path of the offending value.
 */
export class ManifestError extends Error {
  override name = 'ManifestError';
  /**
   * @param file the file at fault (shown relative to the current folder when inside it), or null
   * @param at the JSON path, e.g. `manifest.projects[2].name`, or null
   * @param detail what is wrong
   */
  constructor(
    readonly file: string | null,
    readonly at: string | null,
    readonly detail: string,
    /** 1-based line and column, for syntax errors. */
    readonly line?: number,
    readonly column?: number,
  ) {
    const where = file === null ? null : displayPath(file) + (line === undefined ? '' : `:${line}:${column ?? 1}`);
    super([where, at, detail].filter((s) => s !== null).join(': '));
  }
}

/** A file name for messages: relative to the current folder when inside it, else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** A git submodule to check out with a project (accepted for west compatibility; zsim never clones). */
export interface Submodule {
  path: string;
  name?: string;
}

/** An `import:` mapping: which file to import and which of its projects to keep. */
export interface ImportMap {
  /** File or folder inside the project (default `manifest.json`). */
  file: string | null;
  nameAllowlist: string[];
  pathAllowlist: string[];
  nameBlocklist: string[];
  pathBlocklist: string[];
  /** Prepended to the paths of the imported projects (and of the importing project itself). */
  pathPrefix: string;
}

/** One element of an `import:` list. */
export type ImportItem = string | ImportMap;
/** An `import:` value: `true` (the project's `manifest.json`), a path, a mapping, or a list. */
export type ImportSpec = boolean | ImportItem | ImportItem[];

/** One `manifest.projects[]` entry as written. */
export interface ProjectData {
  /** JSON path of the entry, for messages. */
  at: string;
  name: string;
  description?: string;
  remote?: string;
  repoPath?: string;
  url?: string;
  revision?: string;
  path?: string;
  submodules: boolean | Submodule[];
  cloneDepth?: number;
  westCommands?: string;
  import?: ImportSpec;
  groups: string[];
  userdata?: JsonValue;
}

/** `manifest.self` as written. */
export interface SelfData {
  path?: string;
  westCommands?: string;
  import?: ImportSpec;
  userdata?: JsonValue;
}

/** One manifest file, checked. */
export interface ManifestData {
  file: string;
  version?: string;
  defaults: { remote?: string; revision?: string };
  remotes: { name: string; urlBase: string }[];
  projects: ProjectData[];
  self?: SelfData;
  groupFilter?: string[];
}

/** The newest west manifest schema whose features zsim implements. */
export const SCHEMA_VERSION = '1.2';
/** The `version:` values west accepts (each names the minimum schema a file needs). */
export const VALID_SCHEMA_VERSIONS = ['0.6.99', '0.7', '0.8', '0.9', '0.10', '0.12', '0.13', '1.0', SCHEMA_VERSION];

const MANIFEST_KEYS = ['version', 'defaults', 'remotes', 'projects', 'self', 'group-filter'];
const PROJECT_KEYS = [
  'name', 'description', 'remote', 'repo-path', 'url', 'revision', 'path', 'submodules',
  'clone-depth', 'west-commands', 'import', 'groups', 'userdata',
];
const SELF_KEYS = ['path', 'west-commands', 'import', 'userdata'];
const IMPORT_KEYS = ['file', 'name-allowlist', 'path-allowlist', 'name-blocklist', 'path-blocklist', 'path-prefix'];
// West's rule: group names are nonempty and must not start with +/- (those are filter operators)
// nor contain whitespace, commas or colons (separators in configuration values).
const RESERVED_GROUP = /(^[+-]|[\s,:])/;

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = d[0]!;
    d[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = d[j]!;
      d[j] = Math.min(d[j]! + 1, d[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return d[b.length]!;
}

/** Type checks that throw a ManifestError naming the file and JSON path. */
export class Checker {
  constructor(
    readonly file: string,
    readonly warnings: string[] = [],
  ) {}

  fail(at: string, detail: string): never {
    throw new ManifestError(this.file, at, detail);
  }

  /** An object whose keys are all in `keys` (a typo gets a suggestion). */
  object(v: unknown, at: string, keys: readonly string[]): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(at, `expected an object, got ${describe(v)}`);
    const rec = v as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      if (keys.includes(k)) continue;
      const near = keys.find((x) => editDistance(k, x) <= 2);
      this.fail(at, `unknown key '${k}' (${near ? `did you mean '${near}'?` : `allowed: ${keys.join(', ')}`})`);
    }
    return rec;
  }

  array(v: unknown, at: string): unknown[] {
    if (!Array.isArray(v)) this.fail(at, `expected an array, got ${describe(v)}`);
    return v;
  }

  string(v: unknown, at: string): string {
    if (typeof v !== 'string') this.fail(at, `expected a string, got ${describe(v)}`);
    return v;
  }

  optString(rec: Record<string, unknown>, key: string, at: string): string | undefined {
    return rec[key] === undefined ? undefined : this.string(rec[key], `${at}.${key}`);
  }

  required(rec: Record<string, unknown>, key: string, at: string): unknown {
    if (rec[key] === undefined) this.fail(`${at}.${key}`, 'required');
    return rec[key];
  }

  /** A group name; YAML lets west take non-negative numbers unquoted, so JSON numbers count too. */
  group(v: unknown, at: string): string {
    if (typeof v === 'number' && v >= 0) return String(v);
    const s = this.string(v, at);
    if (!s || RESERVED_GROUP.test(s)) {
      this.fail(at, `invalid group ${JSON.stringify(s)}: a group must be nonempty, must not start with '+' or '-', and must not contain whitespace, ',' or ':'`);
    }
    return s;
  }

  /** A string or a list of strings (import allow/block lists). */
  stringList(v: unknown, at: string): string[] {
    if (typeof v === 'string') return v ? [v] : [];
    return this.array(v, at).map((x, i) => this.string(x, `${at}[${i}]`));
  }
}

/** Parses JSON; a syntax error becomes a ManifestError at `FILE:LINE:COLUMN`. */
export function parseJsonFile(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    const found = findJsonSyntaxError(text);
    const { line, column } = lineColumn(text, found?.offset ?? 0);
    throw new ManifestError(file, null, `invalid JSON: ${found?.message ?? (e as Error).message}`, line, column);
  }
}

function checkImportMap(c: Checker, v: unknown, at: string): ImportMap {
  const rec = c.object(v, at, IMPORT_KEYS);
  const list = (k: string): string[] => (rec[k] === undefined ? [] : c.stringList(rec[k], `${at}.${k}`));
  return {
    file: rec.file === undefined ? null : checkImportPath(c, c.string(rec.file, `${at}.file`), `${at}.file`),
    nameAllowlist: list('name-allowlist'),
    pathAllowlist: list('path-allowlist'),
    nameBlocklist: list('name-blocklist'),
    pathBlocklist: list('path-blocklist'),
    pathPrefix: c.optString(rec, 'path-prefix', at) ?? '',
  };
}

function checkImportPath(c: Checker, v: string, at: string): string {
  // An empty path would name the whole project folder: surely a mistake.
  if (!v) c.fail(at, 'must not be empty');
  return v;
}

function checkImport(c: Checker, v: unknown, at: string): ImportSpec {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return checkImportPath(c, v, at);
  if (Array.isArray(v)) {
    return v.map((x, i) => (typeof x === 'string' ? checkImportPath(c, x, `${at}[${i}]`) : checkImportMap(c, x, `${at}[${i}]`)));
  }
  if (typeof v === 'object' && v !== null) return checkImportMap(c, v, at);
  return c.fail(at, `expected true/false, a path, an object or an array, got ${describe(v)}`);
}

function checkSubmodules(c: Checker, v: unknown, at: string): boolean | Submodule[] {
  if (v === undefined) return false;
  if (typeof v === 'boolean') return v;
  return c.array(v, at).map((s, i) => {
    const sat = `${at}[${i}]`;
    const rec = c.object(s, sat, ['path', 'name']);
    const name = c.optString(rec, 'name', sat);
    return { path: c.string(c.required(rec, 'path', sat), `${sat}.path`), ...(name === undefined ? {} : { name }) };
  });
}

function checkProject(c: Checker, v: unknown, at: string): ProjectData {
  const rec = c.object(v, at, PROJECT_KEYS);
  const name = c.string(c.required(rec, 'name', at), `${at}.name`);
  if (!name) c.fail(`${at}.name`, 'must not be empty');
  if (/[/\\]/.test(name)) c.fail(`${at}.name`, `invalid project name '${name}': names must not contain '/' or '\\'`);
  if (name === 'manifest') c.fail(`${at}.name`, "'manifest' is reserved for the manifest repository");
  if (/[\s,]/.test(name)) c.warnings.push(`${displayPath(c.file)}: ${at}.name: project name '${name}' contains whitespace or ','`);
  const rev = rec.revision;
  if (rev !== undefined && typeof rev !== 'string' && typeof rev !== 'number') {
    c.fail(`${at}.revision`, `expected a string, got ${describe(rev)}`);
  }
  const depth = rec['clone-depth'];
  if (depth !== undefined && !(typeof depth === 'number' && Number.isInteger(depth) && depth > 0)) {
    c.fail(`${at}.clone-depth`, `expected a positive integer, got ${describe(depth)}`);
  }
  const groups = rec.groups === undefined ? [] : c.array(rec.groups, `${at}.groups`).map((g, i) => c.group(g, `${at}.groups[${i}]`));
  return {
    at,
    name,
    groups,
    submodules: checkSubmodules(c, rec.submodules, `${at}.submodules`),
    description: c.optString(rec, 'description', at),
    remote: c.optString(rec, 'remote', at),
    repoPath: c.optString(rec, 'repo-path', at),
    url: c.optString(rec, 'url', at),
    revision: rev === undefined ? undefined : String(rev),
    path: c.optString(rec, 'path', at),
    cloneDepth: depth as number | undefined,
    westCommands: c.optString(rec, 'west-commands', at),
    import: rec.import === undefined ? undefined : checkImport(c, rec.import, `${at}.import`),
    userdata: rec.userdata as JsonValue | undefined,
  };
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function checkVersion(c: Checker, v: unknown): string {
  if (typeof v !== 'string' && typeof v !== 'number') c.fail('manifest.version', `expected a string, got ${describe(v)}`);
  const s = String(v);
  // As west: a too-new version is reported first, as the file may use features zsim lacks.
  if (compareVersions(s, SCHEMA_VERSION) > 0) {
    c.fail('manifest.version', `this manifest needs schema version ${s}, newer than zsim supports (${SCHEMA_VERSION})`);
  }
  if (!VALID_SCHEMA_VERSIONS.includes(s)) {
    const hint = typeof v === 'number' ? ' (quote it: JSON numbers lose trailing zeros, e.g. "0.10")' : '';
    c.fail('manifest.version', `invalid version ${JSON.stringify(s)}; must be one of: ${VALID_SCHEMA_VERSIONS.join(', ')}${hint}`);
  }
  return s;
}

/** Checks parsed JSON against the manifest schema. */
export function checkManifestData(file: string, doc: unknown, warnings: string[] = []): ManifestData {
  const c = new Checker(file, warnings);
  // As west: other top-level keys are ignored, so a manifest may carry e.g. "$schema" or comments.
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) c.fail('(top level)', `expected an object with a 'manifest' key, got ${describe(doc)}`);
  const top = doc as Record<string, unknown>;
  if (!('manifest' in top)) c.fail('manifest', 'required');
  const raw = top.manifest ?? {};
  // As west, the version comes first: a newer schema may have keys this one calls unknown.
  const version = typeof raw === 'object' && 'version' in raw ? checkVersion(c, (raw as { version: unknown }).version) : undefined;
  const m = c.object(raw, 'manifest', MANIFEST_KEYS);
  const data: ManifestData = { file, version, defaults: {}, remotes: [], projects: [] };
  if (m.defaults !== undefined) {
    const d = c.object(m.defaults, 'manifest.defaults', ['remote', 'revision']);
    data.defaults = { remote: c.optString(d, 'remote', 'manifest.defaults'), revision: c.optString(d, 'revision', 'manifest.defaults') };
  }
  if (m.remotes !== undefined) {
    const seen = new Map<string, number>();
    data.remotes = c.array(m.remotes, 'manifest.remotes').map((r, i) => {
      const at = `manifest.remotes[${i}]`;
      const rec = c.object(r, at, ['name', 'url-base']);
      const name = c.string(c.required(rec, 'name', at), `${at}.name`);
      const urlBase = c.string(c.required(rec, 'url-base', at), `${at}.url-base`);
      const prev = seen.get(name);
      if (prev !== undefined) c.fail(`${at}.name`, `duplicate remote name '${name}' (also manifest.remotes[${prev}])`);
      seen.set(name, i);
      return { name, urlBase };
    });
  }
  // west normalizes a null project list to an empty one.
  if (m.projects !== undefined && m.projects !== null) {
    data.projects = c.array(m.projects, 'manifest.projects').map((p, i) => checkProject(c, p, `manifest.projects[${i}]`));
  }
  if (m.self !== undefined) {
    const s = c.object(m.self, 'manifest.self', SELF_KEYS);
    const selfPath = c.optString(s, 'path', 'manifest.self');
    if (selfPath === '') c.fail('manifest.self.path', 'must not be empty');
    if (typeof s.import === 'boolean') c.fail('manifest.self.import', 'must be a path, an object or an array, not a boolean');
    data.self = {
      path: selfPath,
      westCommands: c.optString(s, 'west-commands', 'manifest.self'),
      import: s.import === undefined ? undefined : checkImport(c, s.import, 'manifest.self.import'),
      userdata: s.userdata as JsonValue | undefined,
    };
  }
  if (m['group-filter'] !== undefined) {
    const gf = c.array(m['group-filter'], 'manifest.group-filter');
    if (gf.length === 0) c.fail('manifest.group-filter', 'must not be empty');
    data.groupFilter = gf.map((g, i) => {
      const at = `manifest.group-filter[${i}]`;
      const s = typeof g === 'number' ? String(g) : c.string(g, at);
      if (s[0] !== '+' && s[0] !== '-') c.fail(at, `invalid item ${JSON.stringify(s)}: must begin with '+' (enable) or '-' (disable)`);
      c.group(s.slice(1), at);
      return s;
    });
  }
  return data;
}

/** Reads, parses and checks one manifest file. */
export function readManifestData(file: string, warnings: string[] = []): ManifestData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ManifestError(file, null, code === 'ENOENT' ? 'manifest file not found' : `cannot read: ${(e as Error).message}`);
  }
  // A UTF-8 byte order mark is not JSON, but editors on Windows write one.
  return checkManifestData(file, parseJsonFile(file, text.replace(/^\uFEFF/, '')), warnings);
}
