/**
 * Test discovery and the test plan of `zsim twister`: every `sample.yaml`/`testcase.yaml` under the
 * test roots gives one suite per scenario; each suite is put on platforms and filtered the way
 * twister does (platform_allow, platform_exclude, depends_on, min_ram, tags), keeping the reason.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { listBoards, ZSIM_ROOT, type Board } from '../build/boards.ts';
import { resolveModules } from '../build/manifest.ts';
import { boardFeatures, readSampleMeta } from '../build/sample_meta.ts';
import type { Instance, Platform, Suite } from './types.ts';

const SKIP_DIRS = new Set(['node_modules', 'build', 'twister-out']);

type Testing = { default?: unknown; ignore_tags?: unknown };

function readTesting(file: string): Testing | null {
  if (!existsSync(file)) return null;
  const doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as { testing?: Testing };
  return doc.testing ?? {};
}

/**
 * A board's twister platforms, one per board target as in Zephyr 4.x (`qemu_x86/atom`,
 * `qemu_x86/atom/nopae`); the default target also answers to the plain board name. A target's
 * `testing:` section comes from its own `<board>_<qualifiers>.yaml` when the board has one, else
 * from `<board>.yaml`, whose `default: true` then only makes the default target a default platform.
 */
function toPlatforms(b: Board): Platform[] {
  const boardTesting = readTesting(path.join(b.dir, `${b.name}.yaml`)) ?? {};
  const targets = b.targets.length ? b.targets : [b.name];
  return targets.map((target, i) => {
    const own = target === b.name ? null : readTesting(path.join(b.dir, `${target.replace(/\//g, '_')}.yaml`));
    const testing = own ?? boardTesting;
    return {
      name: target,
      normalizedName: target.replace(/\//g, '_'),
      aliases: i === 0 && target !== b.name ? [b.name] : [],
      arch: b.arch,
      ram: b.ram,
      features: boardFeatures(b),
      supported: b.supported,
      default: testing.default === true && (own !== null || i === 0),
      ignoreTags: Array.isArray(testing.ignore_tags) ? testing.ignore_tags.map(String) : [],
    };
  });
}

/** Every board target zsim knows (its own boards and those of manifest modules), as twister platforms. */
export function loadPlatforms(): Platform[] {
  return listBoards(resolveModules().boardRoots).flatMap(toPlatforms);
}

/** Whether `names` (a platform_allow list, a -p value...) names platform `p`, by its name or an alias. */
export function namesPlatform(names: readonly string[], p: Platform): boolean {
  return names.includes(p.name) || p.aliases.some((a) => names.includes(a));
}

function findYamls(dir: string, out: string[]): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  // An app folder ends the descent, as twister does once it finds a test's yaml.
  const own = ['testcase.yaml', 'sample.yaml'].find((f) => names.includes(f));
  if (own) {
    out.push(dir);
    return;
  }
  for (const n of names) {
    if (n.startsWith('.') || SKIP_DIRS.has(n) || n.startsWith('twister-out')) continue;
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) findYamls(p, out);
  }
}

/** twister's `path` of an app: relative to zsim's root (ZEPHYR_BASE), else to the working directory. */
export function suitePath(appDir: string): string {
  for (const base of [ZSIM_ROOT, process.cwd()]) {
    const rel = path.relative(base, appDir);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) return rel || '.';
  }
  return appDir;
}

/** The suites under the given roots (folders or single app folders), in path order. */
export function discoverSuites(roots: string[]): Suite[] {
  const apps: string[] = [];
  for (const r of roots) findYamls(path.resolve(r), apps);
  const suites: Suite[] = [];
  for (const appDir of [...new Set(apps)]) {
    const meta = readSampleMeta(appDir);
    if (!meta) continue;
    const relPath = suitePath(appDir);
    for (const scenario of meta.tests) suites.push({ name: scenario.name, appDir, relPath, scenario });
  }
  return suites;
}

export interface PlanOptions {
  /** `-p`: run on exactly these platforms (still filtered per scenario). */
  platforms: Platform[];
  /** `--all`: every platform. */
  all: boolean;
  /** `-t`/`-e`. */
  tags: string[];
  excludeTags: string[];
  outDir: string;
}

/** Why `platform` cannot run `suite`, in twister's words; null when it can. */
export function filterReason(suite: Suite, p: Platform, opts: Pick<PlanOptions, 'tags' | 'excludeTags'>): string | null {
  const t = suite.scenario;
  if (opts.tags.length > 0 && !t.tags.some((x) => opts.tags.includes(x))) return 'Command line testsuite tag filter';
  if (t.tags.some((x) => opts.excludeTags.includes(x))) return 'Command line testsuite exclude filter';
  if (t.platform_allow.length > 0 && !namesPlatform(t.platform_allow, p)) return `Not in testsuite platform allow list (${t.platform_allow.join(', ')})`;
  if (namesPlatform(t.platform_exclude, p)) return 'In test case platform exclude';
  const missing = t.depends_on.filter((d) => !p.features.has(d));
  if (missing.length > 0) {
    return `Platform does not support required features: ${missing.join(', ')} (${p.name} supports: ${p.supported.join(', ') || 'none'})`;
  }
  if (t.min_ram > 0 && p.ram > 0 && p.ram < t.min_ram) return `Not enough RAM (needs ${t.min_ram} KB, ${p.name} has ${p.ram} KB)`;
  const ignored = t.tags.filter((x) => p.ignoreTags.includes(x));
  if (ignored.length > 0) return `Excluded tags per platform (ignore_tags: ${ignored.join(', ')})`;
  return null;
}

/**
 * The instances to consider: each suite on `-p` platforms, on every platform with `--all`, else on
 * its `integration_platforms` or, when it names none, on the default platforms (`testing.default`).
 */
export function planInstances(suites: Suite[], all: Platform[], opts: PlanOptions): Instance[] {
  const out: Instance[] = [];
  const byName = new Map(all.flatMap((p) => [p.name, ...p.aliases].map((n) => [n, p] as const)));
  for (const suite of suites) {
    let targets: Platform[];
    if (opts.platforms.length > 0) targets = opts.platforms;
    else if (opts.all) targets = all;
    else if (suite.scenario.integration_platforms.length > 0) {
      targets = suite.scenario.integration_platforms.map((n) => byName.get(n)).filter((p): p is Platform => p !== undefined);
    } else targets = all.filter((p) => p.default);
    for (const platform of targets) {
      // An app outside the base folder must not put its build directory outside OUTDIR.
      const safeRel = suite.relPath.split(/[\\/]/).filter((x) => x !== '..' && x !== '.' && x !== '');
      const buildDir = path.join(opts.outDir, platform.normalizedName, ...safeRel, suite.name);
      const why = filterReason(suite, platform, opts);
      out.push(why === null ? { suite, platform, buildDir } : { suite, platform, buildDir, status: 'filtered', reason: why });
    }
  }
  return out;
}
