/**
 * `zsim build`, as `west build` does it: board target, Kconfig (board defconfig, then prj.conf or
 * CONF_FILE, then `boards/<board>.conf` and `boards/<board>_<qualifiers>.conf` in the app, then
 * EXTRA_CONF_FILE, then -DCONFIG_X=...),
 * `.config` and `autoconf.h` in `BUILD/zephyr/`, the app bundle, and the memory report. Nothing is
 * redone when no input changed.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ConfigValue, KConfig } from '../kernel/kernel.ts';
import { ZSIM_VERSION } from '../kernel/init.ts';
import { formatDiagnostic, KconfigError, loadKconfig, mergeConfigs, typedValue, type Kconfig } from '../kconfig/index.ts';
import { appEntry, buildApp, BuildError } from './app.ts';
import { findBoard, ZSIM_ROOT, type Board } from './boards.ts';
import { modulesKconfig, resolveModules } from './manifest.ts';
import { memoryReport, type MemoryReport } from './memory.ts';
import { checkSampleFits, readSampleMeta } from './sample_meta.ts';
import { menuconfigFragment } from './menuconfig/persist.ts';

export interface BuildRequest {
  board?: string;
  app?: string;
  /** Build directory (west's `-d`, default `build`). */
  buildDir: string;
  /** `-p always`: wipe the build directory first. `auto` (default) wipes it when the board or app changed. */
  pristine?: 'always' | 'never' | 'auto';
  /**
   * CONF_FILE: replaces prj.conf. Undefined: the build directory's cached value (as CMake's cache
   * keeps it); `[]` (`-DCONF_FILE=`): back to prj.conf.
   */
  confFile?: string[];
  /**
   * EXTRA_CONF_FILE overlays, applied after prj.conf. A non-empty list replaces the cached one, as a
   * new `-DEXTRA_CONF_FILE=` replaces the CMake cache entry; empty or undefined keeps the cached
   * list. `''` entries (from `-DEXTRA_CONF_FILE=`) are dropped, so `['']` clears it.
   */
  extraConfFiles?: string[];
  /**
   * `CONFIG_X=value` assignments, applied last. Added to the cached ones: a cached assignment
   * stays unless one for the same symbol is given (CMake's cache).
   */
  defines?: string[];
  /** Where warnings go (stderr). */
  log: (line: string) => void;
  /**
   * CMake-style status lines of a reconfiguration (`-- zsim: board ...` before the Kconfig merge and
   * its warnings, `-- Configuring done` after), in the order west prints them; `zsim build` sends
   * them to stdout ahead of the memory report.
   */
  progress?: (line: string) => void;
}

export interface BuildResult {
  buildDir: string;
  zephyrDir: string;
  board: Board;
  appDir: string;
  config: KConfig;
  bundle: string;
  modules: string[];
  memory: MemoryReport;
  /** False when nothing had to be done. */
  rebuilt: boolean;
}

const STATE_FILE = 'zsim_build.json';

interface BuildState {
  version: string;
  board: string;
  app: string;
  /** The board target (`qemu_x86/atom`); older build directories have only `board`. */
  target?: string;
  inputsHash: string;
  config: KConfig;
  modules: string[];
  memory: MemoryReport;
  /** Fragments in effect, for `zsim config` and menuconfig (without menuconfig.conf). */
  fragments: string[];
  /** `-D` assignments, so `zsim config` and menuconfig can redo the same merge. */
  defines: string[];
  /**
   * What CMake's cache would keep between `west build` runs in this directory: the `-D`
   * assignments, EXTRA_CONF_FILE and CONF_FILE (absolute paths). A later `zsim build -d DIR`
   * without them reuses these.
   */
  cache?: { defines: string[]; extraConfFiles: string[]; confFile?: string[] };
  kconfigRoot: string;
  env: Record<string, string>;
  /** Every source file the bundle read (the app may import files outside its folder). */
  sources?: string[];
  /** Hash of `sources` as they were bundled. */
  sourcesHash?: string;
}

function listFiles(dir: string, out: string[], skip: Set<string>): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith('.') || skip.has(n)) continue;
    const p = path.join(dir, n);
    const st = statSync(p);
    if (st.isDirectory()) listFiles(p, out, skip);
    else out.push(p);
  }
}

function hashInputs(parts: unknown[], files: string[]): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(parts));
  for (const f of [...new Set(files)].sort()) {
    h.update(f);
    h.update(existsSync(f) ? readFileSync(f) : 'missing');
  }
  return h.digest('hex');
}

/** The Kconfig tree's environment for a board (BOARD, BOARD_DIR, srctree...). */
export function kconfigEnv(board: Board, zephyrDir: string): Record<string, string> {
  return {
    BOARD: board.name,
    // The target's qualifiers (`atom/nopae`), from which Kconfig.boards derives BOARD_TARGET.
    BOARD_QUALIFIERS: board.qualifiers,
    BOARD_DIR: board.dir,
    ZSIM_BASE: ZSIM_ROOT,
    ZEPHYR_BASE: ZSIM_ROOT,
    srctree: path.join(ZSIM_ROOT, 'kconfig'),
    KCONFIG_BINARY_DIR: zephyrDir,
    ARCH: board.arch,
  };
}

/** Loads the Kconfig tree for a build (the app's Kconfig when it has one). */
export function loadBuildKconfig(root: string, env: Record<string, string>): Kconfig {
  try {
    return loadKconfig(root, { env, srctree: env.srctree });
  } catch (e) {
    if (e instanceof KconfigError) throw new BuildError(e.message);
    throw e;
  }
}

/** Every symbol's value as apps read it (`CONFIG.X`). */
export function typedConfig(kconf: Kconfig): KConfig {
  const out: Record<string, ConfigValue> = {};
  for (const sym of kconf.uniqueDefinedSyms) {
    const v = typedValue(kconf, sym.name);
    if (v === undefined) continue;
    if (sym.origType === 'string') out[sym.name] = String(v);
    else if (typeof v === 'bigint') out[sym.name] = Number(v);
    else if (typeof v === 'boolean') out[sym.name] = v;
    else if (typeof v === 'number') out[sym.name] = v === 2;
    else out[sym.name] = v;
  }
  return out;
}

function readState(zephyrDir: string): BuildState | null {
  try {
    return JSON.parse(readFileSync(path.join(zephyrDir, STATE_FILE), 'utf8')) as BuildState;
  } catch {
    return null;
  }
}

/** Reads what an earlier build left in `buildDir`, for `zsim run -d` and `zsim config`. */
export function readBuild(buildDir: string): (BuildState & { bundle: string; zephyrDir: string }) | null {
  const zephyrDir = path.join(path.resolve(buildDir), 'zephyr');
  const st = readState(zephyrDir);
  if (!st) return null;
  return { ...st, bundle: path.join(zephyrDir, 'zsim_app.cjs'), zephyrDir };
}

/** Cached `-D` assignments with the given ones: one per symbol, a given one replacing a cached one in place. */
export function mergeDefines(cached: readonly string[], given: readonly string[]): string[] {
  const bySymbol = new Map<string, string>();
  for (const d of [...cached, ...given]) bySymbol.set(d.slice(0, d.indexOf('=')), d);
  return [...bySymbol.values()];
}

/** Builds (or finds up to date) an app for a board. Throws BuildError/BoardError on bad input. */
export async function westBuild(req: BuildRequest): Promise<BuildResult> {
  const buildDir = path.resolve(req.buildDir);
  const zephyrDir = path.join(buildDir, 'zephyr');
  const previous = readState(zephyrDir);
  const boardName = req.board ?? previous?.target ?? previous?.board;
  const app = req.app ? path.resolve(req.app) : previous?.app;
  if (!boardName) throw new BuildError('no board given: use -b BOARD (e.g. -b qemu_x86)');
  if (!app) throw new BuildError('no app given: zsim build -b BOARD APP');
  if (!existsSync(app) || !statSync(app).isDirectory()) throw new BuildError(`${req.app ?? app}: no such app folder`);
  appEntry(app);

  const modules = resolveModules();
  const boardRoots = modules.boardRoots;
  // `-b qemu_x86` and `-b qemu_x86/atom` are the same target.
  const board = findBoard(boardName, boardRoots);
  const pristine = req.pristine ?? 'auto';
  const sameTarget = (st: BuildState): boolean => (st.target ? st.target === board.target : st.board === board.name) && st.app === app;
  if (previous && !sameTarget(previous)) {
    if (pristine === 'never') {
      throw new BuildError(
        `Build directory "${buildDir}" targets board ${previous.target ?? previous.board} and app ${previous.app}, ` +
          `but board ${board.target} and app ${app} were given. Clean the directory, use --pristine, or use --build-dir to choose another one.`,
      );
    }
  }
  const wipe = pristine === 'always' || (previous !== null && !sameTarget(previous));
  if (existsSync(buildDir) && wipe) rmSync(buildDir, { recursive: true, force: true });
  // CMake's cache: what an earlier configure of this directory was given, unless it was wiped.
  const cached = previous && !wipe ? previous.cache ?? { defines: previous.defines ?? [], extraConfFiles: [] } : null;

  checkSampleFits(readSampleMeta(app), board);

  const confFileSetting = req.confFile ? req.confFile.map((f) => path.resolve(app, f)) : cached?.confFile;
  const confFiles = confFileSetting && confFileSetting.length ? confFileSetting : [path.join(app, 'prj.conf')];
  for (const f of confFiles) if (!existsSync(f)) throw new BuildError(`${f}: configuration file not found`);
  // The app's board overlays, as Zephyr's zephyr_file(CONF_FILES ...): boards/<board>.conf, then
  // boards/<board>_<qualifiers, / as _>.conf (qemu_x86_atom.conf), each if present.
  const boardConfs = [board.name, ...(board.qualifiers ? [`${board.name}_${board.qualifiers.replace(/\//g, '_')}`] : [])]
    .map((n) => path.join(app, 'boards', `${n}.conf`))
    .filter((f) => existsSync(f));
  // Relative to the app, as Zephyr's zephyr_file(APPLICATION_ROOT ...); else to the working directory.
  const givenExtra = req.extraConfFiles ?? [];
  const extra = givenExtra.length
    ? givenExtra.filter(Boolean).map((f) => (existsSync(path.resolve(app, f)) || !existsSync(path.resolve(f)) ? path.resolve(app, f) : path.resolve(f)))
    : cached?.extraConfFiles ?? [];
  for (const [i, f] of extra.entries()) {
    if (existsSync(f)) continue;
    // A relative name was looked for in two places: say both, so the user sees where to put it.
    const given = givenExtra.filter(Boolean)[i];
    if (given && !path.isAbsolute(given)) {
      throw new BuildError(`EXTRA_CONF_FILE ${given} not found: neither ${path.resolve(app, given)} (in the app) nor ${path.resolve(given)} exists`);
    }
    throw new BuildError(`${f}: EXTRA_CONF_FILE not found`);
  }
  const fragments = [...(board.defconfig ? [board.defconfig] : []), ...confFiles, ...boardConfs, ...extra];
  for (const d of req.defines ?? []) if (!/^CONFIG_\w+=/.test(d)) throw new BuildError(`-D${d}: expected CONFIG_NAME=value`);
  const defines = mergeDefines(cached?.defines ?? [], req.defines ?? []);
  // As in Zephyr, changes saved by menuconfig stay until an input fragment (or -D) changes.
  const menuconfigConf = menuconfigFragment(zephyrDir, fragments, defines);
  const allFragments = menuconfigConf ? [...fragments, menuconfigConf] : fragments;

  const appKconfig = path.join(app, 'Kconfig');
  const kconfigRoot = existsSync(appKconfig) ? appKconfig : path.join(ZSIM_ROOT, 'kconfig', 'Kconfig');
  const env = kconfigEnv(board, zephyrDir);
  const inputFiles: string[] = [...allFragments, kconfigRoot];
  listFiles(path.join(ZSIM_ROOT, 'kconfig'), inputFiles, new Set());
  listFiles(board.dir, inputFiles, new Set());
  listFiles(app, inputFiles, new Set(['build', 'node_modules']));
  for (const k of modules.kconfigFiles) inputFiles.push(k);
  const inputsHash = hashInputs([ZSIM_VERSION, board.target, app, allFragments, defines, kconfigRoot], inputFiles);
  const bundle = path.join(zephyrDir, 'zsim_app.cjs');

  const sourcesUnchanged = (st: BuildState): boolean => st.sources === undefined || hashInputs([], st.sources) === st.sourcesHash;
  if (previous && previous.inputsHash === inputsHash && sourcesUnchanged(previous) && existsSync(bundle) && existsSync(path.join(zephyrDir, '.config'))) {
    return { buildDir, zephyrDir, board, appDir: app, config: previous.config, bundle, modules: previous.modules, memory: previous.memory, rebuilt: false };
  }

  req.progress?.(`-- zsim: board ${board.target}, app ${app}`);
  mkdirSync(path.join(zephyrDir, 'include', 'generated'), { recursive: true });
  writeFileSync(path.join(zephyrDir, 'Kconfig.modules'), modulesKconfig(modules.modules));
  const kconf = loadBuildKconfig(kconfigRoot, env);
  let merged;
  try {
    merged = mergeConfigs(kconf, { fragments: allFragments, extra: defines });
  } catch (e) {
    if (e instanceof KconfigError) throw new BuildError(e.message);
    throw e;
  }
  const errors: string[] = [];
  for (const d of merged.diagnostics) {
    const text = formatDiagnostic(d);
    if (d.severity === 'error') errors.push(text);
    else req.log(text);
  }
  if (!merged.ok) {
    // As kconfig.py prints them: the errors, then (when warnings aborted the merge) one
    // `error: Aborting due to Kconfig warnings`. The CLI puts `zsim: error: ` before the first line.
    throw new BuildError(errors.join('\n').replace(/^error: /, ''));
  }
  kconf.writeConfig(path.join(zephyrDir, '.config'));
  kconf.writeAutoconf(path.join(zephyrDir, 'include', 'generated', 'autoconf.h'));
  req.progress?.(`-- Configuring done: ${zephyrDir}/.config`);
  const config = typedConfig(kconf);

  const built = await buildApp(app, zephyrDir, config);
  const memory = await memoryReport(board, config, built.bundle, built.modules);
  const state: BuildState = {
    version: ZSIM_VERSION, board: board.name, target: board.target, app, inputsHash, config, modules: built.modules, memory, fragments, defines, kconfigRoot, env,
    cache: { defines, extraConfFiles: extra, ...(confFileSetting ? { confFile: confFileSetting } : {}) },
    sources: built.sources, sourcesHash: hashInputs([], built.sources),
  };
  writeFileSync(path.join(zephyrDir, STATE_FILE), JSON.stringify(state, null, 2) + '\n');
  if (memory.overflow > 0) {
    rmSync(path.join(zephyrDir, STATE_FILE), { force: true });
    throw new BuildError(`region \`RAM' overflowed by ${memory.overflow} bytes\n${memory.table}`);
  }
  return { buildDir, zephyrDir, board, appDir: app, config, bundle: built.bundle, modules: built.modules, memory, rebuilt: true };
}
