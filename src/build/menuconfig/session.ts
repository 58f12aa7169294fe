/**
 * Opens a build's configuration for `zsim config` and `zsim menuconfig`: the build's Kconfig tree
 * (saved root and environment), with its fragments merged again so every user value keeps the
 * file and line it came from, then reconciled with `BUILD/zephyr/.config`, which stays the truth
 * about the current build.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { BuildError } from '../app.ts';
import { loadBuildKconfig, readBuild } from '../build.ts';
import { KconfigError, KconfigIOError, mergeConfigs, type Kconfig, type KSymbol } from '../../kconfig/index.ts';
import { menuconfigFragment, OVERLAY_HEADER_LINES, withoutOverlay, writeMenuconfig, type Assignment } from './persist.ts';

/** The saved build state, as `readBuild` returns it. */
export type BuildState = NonNullable<ReturnType<typeof readBuild>>;

/** A build's configuration, loaded. */
export interface BuildConfig {
  buildDir: string;
  zephyrDir: string;
  state: BuildState;
  kconf: Kconfig;
  /** The build's fragments, without menuconfig.conf. */
  fragments: string[];
  /** `-D` assignments, when the build state records them. */
  defines: string[];
  /** `BUILD/zephyr/menuconfig.conf` when it is in effect. */
  overlay: string | null;
  /** Assignments menuconfig must keep when it saves: the overlay's and any `.config`-only ones. */
  assignments: Assignment[];
  /** Path of `.config`. */
  dotConfig: string;
  /** Symbols `.config` mentions (set or "is not set"). */
  inConfig: Set<string>;
}

/** Name that `-D` assignments are reported under. */
export const DEFINES_NAME = 'command line (-D)';

/** Where the build state lives, for error messages. */
function noBuild(buildDir: string): BuildError {
  return new BuildError(`${buildDir}: no zsim build found there: run \`zsim build -b BOARD APP -d ${buildDir}\` first`);
}

/** A path as users like to read it: relative to the current directory when below it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!path.isAbsolute(file)) return file;
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The assignment that would give `sym` its current value. */
export function assignmentOf(sym: KSymbol): Assignment | null {
  const t = sym.origType;
  if (t === 'unknown') return null;
  return { name: sym.name, value: sym.strValue, type: t };
}

/**
 * Loads the build in `buildDir`. Throws BuildError when there is none or its inputs cannot be
 * read any more.
 */
export function openBuildConfig(buildDir: string): BuildConfig {
  const state = readBuild(buildDir);
  if (!state) throw noBuild(buildDir);
  const zephyrDir = state.zephyrDir;
  const dotConfig = path.join(zephyrDir, '.config');
  if (!existsSync(dotConfig)) throw noBuild(buildDir);
  const kconf = loadBuildKconfig(state.kconfigRoot, state.env);
  const fragments = withoutOverlay(state.fragments, zephyrDir);
  // The build state may not record -D assignments; reconciliation with .config covers them then.
  const defines = ((state as { defines?: unknown }).defines as string[] | undefined) ?? [];
  const overlay = menuconfigFragment(zephyrDir, fragments, defines, { removeStale: false });
  try {
    mergeConfigs(kconf, {
      fragments: overlay ? [...fragments, overlay] : fragments,
      extra: defines,
      extraName: DEFINES_NAME,
    });
  } catch (e) {
    if (e instanceof KconfigIOError || e instanceof KconfigError) throw new BuildError(`${e.message}: rebuild with zsim build -d ${buildDir}`);
    throw e;
  }
  const assignments: Assignment[] = overlay ? overlayAssignments(kconf, overlay) : [];
  for (const name of reconcile(kconf, dotConfig)) {
    const sym = kconf.symbol(name);
    // Promptless symbols cannot be assigned in a fragment (Zephyr's merge rejects it).
    const a = sym && sym.nodes.some((n) => n.prompt) ? assignmentOf(sym) : null;
    if (a) assignments.push(a);
  }
  const inConfig = new Set<string>();
  for (const l of readFileSync(dotConfig, 'utf8').split('\n')) {
    const m = /^CONFIG_(\w+)=/.exec(l) ?? /^# CONFIG_(\w+) is not set$/.exec(l);
    if (m) inConfig.add(m[1]!);
  }
  return { buildDir, zephyrDir, state, kconf, fragments, defines, overlay, assignments, dotConfig, inConfig };
}

/** The assignments an existing menuconfig.conf made, with their current values, in file order. */
function overlayAssignments(kconf: Kconfig, overlay: string): Assignment[] {
  const out: Assignment[] = [];
  for (const line of readFileSync(overlay, 'utf8').split('\n')) {
    const m = /^CONFIG_(\w+)=/.exec(line) ?? /^# CONFIG_(\w+) is not set/.exec(line);
    const sym = m ? kconf.symbol(m[1]!) : undefined;
    if (!sym || sym.userValue === null) continue;
    const uv = sym.userValue;
    const value = typeof uv === 'number' ? (['n', 'm', 'y'] as const)[uv] : uv;
    if (sym.origType !== 'unknown') out.push({ name: sym.name, value, type: sym.origType });
  }
  return out;
}

/**
 * Makes `kconf` agree with the `.config` on disk (which wins: it is what the build used) by
 * applying the lines that differ, keeping their line numbers so origins point at `.config:LINE`.
 * Returns the names of the symbols that needed it.
 */
export function reconcile(kconf: Kconfig, dotConfig: string): string[] {
  const lines = readFileSync(dotConfig, 'utf8').split('\n');
  const fixed: string[] = [];
  // Each pass may change what later lines evaluate to (dependencies), so repeat a few times.
  for (let pass = 0; pass < 3; pass++) {
    const want = new Set(kconf.configText().split('\n'));
    const diff = lines.map((l) => {
      const m = /^CONFIG_(\w+)=/.exec(l) ?? /^# CONFIG_(\w+) is not set$/.exec(l);
      return m && !want.has(l) && kconf.symbol(m[1]!) ? l : '';
    });
    const names = diff.flatMap((l) => (l ? [/CONFIG_(\w+)/.exec(l)![1]!] : []));
    if (names.length === 0) break;
    kconf.loadConfig(dotConfig, { replace: false, text: diff.join('\n') + '\n' });
    for (const n of names) if (!fixed.includes(n)) fixed.push(n);
  }
  return fixed;
}

/**
 * Saves a menuconfig session into the build: `.config` (the previous one kept as `.config.old`),
 * `include/generated/autoconf.h`, and `menuconfig.conf`/`menuconfig.json` so the next build keeps
 * the changes. Returns the message to show.
 */
export function saveBuildConfig(cfg: BuildConfig, assignments: Iterable<Assignment>): string {
  const { kconf, zephyrDir } = cfg;
  kconf.writeConfig(cfg.dotConfig);
  const header = path.join(zephyrDir, 'include', 'generated', 'autoconf.h');
  mkdirSync(path.dirname(header), { recursive: true });
  kconf.writeAutoconf(header);
  // A user value on a symbol that is not visible has no effect: leaving it out keeps the next
  // build's merge from warning that it "got" another value, and changes no value.
  const kept = [...assignments].filter((a) => {
    const sym = kconf.symbol(a.name);
    return sym !== undefined && sym.visibility > 0 && sym.nodes.some((n) => n.prompt);
  });
  const overlay = writeMenuconfig(zephyrDir, kept, { fragments: cfg.fragments, defines: cfg.defines });
  // Values now come from the saved fragment: say so in the symbol information.
  kept.forEach((a, i) => {
    const sym = kconf.symbol(a.name)!;
    sym.userValueLoc = { filename: overlay, linenr: OVERLAY_HEADER_LINES + i + 1 };
  });
  cfg.overlay = overlay;
  return `Configuration saved to '${displayPath(cfg.dotConfig)}'`;
}
