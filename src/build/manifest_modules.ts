/**
 * Zephyr modules: a project whose folder holds `zephyr/module.yml` (or `.yaml`) adds its Kconfig
 * file, board roots and sample folders to the build, as Zephyr's `scripts/zephyr_module.py` does.
 * zsim's own `kconfig/`, `boards/` and `samples/` always come first.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ZSIM_ROOT } from './boards.ts';
import { loadManifest, type Manifest, type Project } from './manifest_resolve.ts';
import { Checker, displayPath, ManifestError } from './manifest_schema.ts';

/** What one module contributes. All paths are absolute. */
export interface ZephyrModule {
  /** `name:` from module.yml, else the folder name (as Zephyr). */
  name: string;
  /** The manifest project holding the module. */
  project: string;
  dir: string;
  /** The module.yml file. */
  file: string;
  /** `build.kconfig`, else `zephyr/Kconfig` when present. */
  kconfig: string | null;
  /** Board folders: `<build.settings.board_root>/boards`, plus each `boards:` entry. */
  boardRoots: string[];
  /** `build.settings.dts_root` (recorded; zsim has no devicetree yet). */
  dtsRoots: string[];
  /** Each `samples:` entry. */
  sampleRoots: string[];
}

/** The resolved manifest and everything its modules add to a build. */
export interface ResolvedModules {
  manifest: Manifest;
  /** The manifest's projects (the manifest repository first), with their active/cloned state. */
  projects: Project[];
  modules: ZephyrModule[];
  /** zsim's `kconfig/Kconfig` first, then each module's Kconfig file. */
  kconfigFiles: string[];
  /** zsim's `boards/` first, then the modules' board folders (each holds `<vendor>/<board>/`). */
  boardRoots: string[];
  /** zsim's `samples/` first, then the modules' sample folders. */
  sampleRoots: string[];
  /** Skipped projects and missing folders; for the caller to print. */
  warnings: string[];
}

// Zephyr's module.yml schema (scripts/zephyr_module.py), so real modules' files are accepted.
const MODULE_KEYS = ['name', 'build', 'tests', 'samples', 'boards', 'blobs', 'package-managers', 'security', 'runners'];
const BUILD_KEYS = [
  'cmake', 'kconfig', 'cmake-ext', 'kconfig-ext', 'sysbuild-cmake', 'sysbuild-kconfig',
  'sysbuild-cmake-ext', 'sysbuild-kconfig-ext', 'depends', 'settings',
];
const SETTINGS_KEYS = ['board_root', 'dts_root', 'snippet_root', 'soc_root', 'arch_root', 'module_ext_root', 'sca_root'];

function kind(p: string): 'file' | 'dir' | null {
  try {
    const s = statSync(p);
    return s.isDirectory() ? 'dir' : s.isFile() ? 'file' : null;
  } catch {
    return null;
  }
}

function readYaml(file: string): unknown {
  try {
    return parseYaml(readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const pos = e.linePos?.[0];
      throw new ManifestError(file, null, `invalid YAML: ${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, pos?.line, pos?.col);
    }
    throw new ManifestError(file, null, `cannot read: ${(e as Error).message}`);
  }
}

/** Reads `zephyr/module.yml` of a project folder; null when the folder is not a Zephyr module. */
export function readModule(dir: string, project = path.basename(dir), warnings: string[] = []): ZephyrModule | null {
  const file = ['zephyr/module.yml', 'zephyr/module.yaml'].map((f) => path.join(dir, f)).find((f) => kind(f) === 'file');
  if (!file) return null;
  const c = new Checker(file, warnings);
  const doc = c.object(readYaml(file) ?? {}, '(top level)', MODULE_KEYS);
  const build = doc.build === undefined || doc.build === null ? {} : c.object(doc.build, 'build', BUILD_KEYS);
  const settings = build.settings === undefined || build.settings === null ? {} : c.object(build.settings, 'build.settings', SETTINGS_KEYS);
  const list = (key: string): string[] =>
    doc[key] === undefined || doc[key] === null ? [] : c.array(doc[key], key).map((v, i) => c.string(v, `${key}[${i}]`));
  // Declared folders that are missing are skipped with a warning: a module may list folders
  // that only exist in some revisions, and that should not stop a build.
  const existing = (at: string, rel: string, abs: string): string[] => {
    if (kind(abs) === 'dir') return [abs];
    warnings.push(`${displayPath(file)}: ${at}: folder '${rel}' not found; skipped`);
    return [];
  };

  let kconfig: string | null = null;
  const kc = c.optString(build, 'kconfig', 'build');
  if (kc !== undefined) {
    kconfig = path.resolve(dir, kc);
    if (kind(kconfig) !== 'file') throw new ManifestError(file, 'build.kconfig', `'${kc}' is not a Kconfig file (${displayPath(kconfig)})`);
  } else if (build['kconfig-ext'] !== true && kind(path.join(dir, 'zephyr/Kconfig')) === 'file') {
    kconfig = path.join(dir, 'zephyr/Kconfig');
  }
  const boardRoot = c.optString(settings, 'board_root', 'build.settings');
  const dtsRoot = c.optString(settings, 'dts_root', 'build.settings');
  const boardRoots = [
    // BOARD_ROOT names the folder *holding* `boards/`, as in Zephyr.
    ...(boardRoot === undefined ? [] : existing('build.settings.board_root', path.join(boardRoot, 'boards'), path.resolve(dir, boardRoot, 'boards'))),
    ...list('boards').flatMap((b, i) => existing(`boards[${i}]`, b, path.resolve(dir, b))),
  ];
  return {
    name: c.optString(doc, 'name', '(top level)') ?? path.basename(dir),
    project,
    dir,
    file,
    kconfig,
    boardRoots: [...new Set(boardRoots)],
    dtsRoots: dtsRoot === undefined ? [] : [path.resolve(dir, dtsRoot)],
    sampleRoots: list('samples').flatMap((s, i) => existing(`samples[${i}]`, s, path.resolve(dir, s))),
  };
}

/**
 * Resolves the manifest (see `loadManifest` for `root`) and collects what its modules add to a
 * build. Inactive projects are left out; uncloned ones are skipped with a warning.
 */
export function resolveModules(root?: string): ResolvedModules {
  const manifest = loadManifest(root);
  const warnings = [...manifest.warnings];
  const modules: ZephyrModule[] = [];
  for (const p of manifest.projects) {
    if (!p.active) continue;
    if (!p.cloned) {
      warnings.push(`project '${p.name}' (${p.path}) is not cloned; skipped`);
      continue;
    }
    const m = readModule(p.abspath, p.name, warnings);
    if (m) modules.push(m);
  }
  const uniq = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => x !== null))];
  return {
    manifest,
    projects: manifest.projects,
    modules,
    kconfigFiles: uniq([path.join(ZSIM_ROOT, 'kconfig', 'Kconfig'), ...modules.map((m) => m.kconfig)]),
    boardRoots: uniq([path.join(ZSIM_ROOT, 'boards'), ...modules.flatMap((m) => m.boardRoots)]),
    sampleRoots: uniq([path.join(ZSIM_ROOT, 'samples'), ...modules.flatMap((m) => m.sampleRoots)]),
    warnings,
  };
}

/**
 * The text of Zephyr's generated `Kconfig.modules` for these modules: per module a menu sourcing
 * its Kconfig file and a `ZEPHYR_<NAME>_MODULE` symbol (default y), as `zephyr_module.py` writes
 * it. The build writes this file and sources it from its Kconfig tree.
 */
export function modulesKconfig(modules: readonly ZephyrModule[], topdir?: string): string {
  return modules
    .map((m) => {
      const sym = m.name.replace(/[^a-zA-Z0-9]/g, '_').toUpperCase();
      const shown = topdir ? path.relative(topdir, m.dir).split(path.sep).join('/') || '.' : m.dir;
      const lines = [`menu "${m.name} (${shown})"`];
      if (m.kconfig) lines.push(`osource "${m.kconfig.split(path.sep).join('/')}"`);
      lines.push(`config ZEPHYR_${sym}_MODULE`, '\tbool', '\tdefault y', 'endmenu', '');
      return lines.join('\n');
    })
    .join('\n');
}
