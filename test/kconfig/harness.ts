/**
 * Differential-test harness: runs the same cases through zsim's engine and
 * through the real Kconfiglib (via kconfiglib_driver.py) and returns
 * comparable results.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kconfig, KconfigError, TRI_TO_STR, type Tri, mergeConfigs } from '../../src/kconfig/index.ts';

/** The Python with Kconfiglib; overridable to test the missing-Kconfiglib paths. */
export const PYTHON = process.env['ZSIM_KCONFIG_PYTHON'] ?? '/usr/bin/python3';
const DRIVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'kconfiglib_driver.py');

/** One differential case: a tree on disk plus fragments merged in order. */
export interface DiffCase {
  dir: string;
  kconfig: string;
  fragments: string[];
  env: Record<string, string>;
  warnAssignUndef?: boolean;
  /** Run Zephyr's merge checks (mergeConfigs) and report them in `zephyr`. */
  zephyr?: boolean;
  /** Operations after loading: set/unset a user value, or take a .config snapshot. */
  ops?: DiffOp[];
}

/** An interactive operation applied after the fragments. */
export type DiffOp = ['set', string, string] | ['unset', string] | ['snapshot'];

/** What one engine produced for a case. */
export interface DiffResult {
  config?: string;
  autoconf?: string;
  warnings: string[];
  infos: string[];
  missing?: string[][];
  values?: Record<string, string>;
  choices?: Array<string | null>;
  error?: string;
  /** Zephyr merge-check messages as [severity, message without the documentation hint]. */
  zephyr?: string[][];
  /** .config texts at each 'snapshot' op. */
  snapshots?: string[];
  /** Kconfiglib raised something other than KconfigError/OSError (a Kconfiglib bug). */
  crash?: string;
  /** "NAME visibility assignable" per symbol, then "choice mode visibility assignable" per choice. */
  details?: string[];
}

/** Whether Kconfiglib can be imported with the system Python. */
export function kconfiglibAvailable(): boolean {
  const r = spawnSync(PYTHON, ['-c', 'import kconfiglib'], { encoding: 'utf8' });
  return r.status === 0;
}

/** Creates a temporary directory populated with `files` (paths relative to it). */
export function writeTree(files: Record<string, string>, prefix = 'zsim-kconfig-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return dir;
}

/** Runs all cases through Kconfiglib in one Python process. */
export function runKconfiglib(cases: DiffCase[]): DiffResult[] {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'zsim-kconfiglib-out-'));
  try {
    const r = spawnSync(PYTHON, [DRIVER], {
      input: JSON.stringify({ out, cases }),
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`kconfiglib driver failed: ${r.stderr}`);
    return JSON.parse(r.stdout) as DiffResult[];
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

/** Runs one case through zsim's engine. */
export function runZsim(c: DiffCase): DiffResult {
  const infos: string[] = [];
  let kconf: Kconfig;
  try {
    kconf = new Kconfig(c.kconfig, { env: c.env, cwd: c.dir, onInfo: (l) => void infos.push(l) });
  } catch (e) {
    if (e instanceof KconfigError) return { error: e.kconfiglibMessage, warnings: [], infos };
    throw e;
  }
  if (c.warnAssignUndef) kconf.warnAssignUndef = true;
  let zephyr: string[][] | undefined;
  let snapshots: string[] | undefined;
  try {
    if (c.zephyr) {
      const { diagnostics } = mergeConfigs(kconf, { fragments: c.fragments });
      zephyr = diagnostics
        .filter((d) => d.origin === 'zephyr' && d.message !== 'Aborting due to Kconfig warnings')
        .map((d) => [d.severity, d.message.replace(/ See http:\/\/docs\.zephyrproject\.org\/.*$/, '')]);
    } else {
      for (const f of c.fragments) kconf.loadConfig(f, { replace: false });
    }
    for (const op of c.ops ?? []) {
      if (op[0] === 'set') kconf.symbol(op[1])!.setValue(op[2]);
      else if (op[0] === 'unset') kconf.symbol(op[1])!.unsetValue();
      else (snapshots ??= []).push(kconf.configText());
    }
  } catch (e) {
    if (e instanceof KconfigError) return { error: e.kconfiglibMessage, warnings: [], infos };
    throw e;
  }
  const config = kconf.configText();
  const autoconf = kconf.autoconfText();
  const warnings = kconf.warnings.map((w) => w.text);
  const values: Record<string, string> = {};
  for (const s of kconf.uniqueDefinedSyms) values[s.name] = s.strValue;
  const t2s = (ts: readonly Tri[]): string => ts.map((t) => TRI_TO_STR[t]).join('');
  const details = [
    ...kconf.uniqueDefinedSyms.map((s) => `${s.name} ${TRI_TO_STR[s.visibility]} ${t2s(s.assignable)}`),
    ...kconf.uniqueChoices.map((c) => `choice ${c.strValue} ${TRI_TO_STR[c.visibility]} ${t2s(c.assignable)}`),
  ];
  return {
    config,
    autoconf,
    warnings,
    infos,
    missing: kconf.missingSyms.map((m) => [...m]),
    values,
    choices: kconf.uniqueChoices.map((ch) => ch.selection?.name ?? null),
    details,
    ...(zephyr ? { zephyr } : {}),
    ...(c.ops?.length ? { snapshots: snapshots ?? [] } : {}),
  };
}

/** Default environment for cases: enough for $(shell,...) to find programs. */
export function baseEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: '/usr/bin:/bin', ...extra };
}

const treeDirs: string[] = [];

/** Writes `files` to a temporary directory and loads its `Kconfig` with that directory as cwd. */
export function loadTree(
  files: Record<string, string>,
  opts: { env?: Record<string, string>; kconfig?: string } = {},
): { kconf: Kconfig; dir: string } {
  const dir = writeTree(files);
  treeDirs.push(dir);
  const kconf = new Kconfig(opts.kconfig ?? 'Kconfig', { env: baseEnv(opts.env), cwd: dir });
  return { kconf, dir };
}

/** The error thrown when loading `files`, or undefined. */
export function loadError(files: Record<string, string>, env?: Record<string, string>): KconfigError | undefined {
  try {
    loadTree(files, { env });
  } catch (e) {
    if (e instanceof KconfigError) return e;
    throw e;
  }
  return undefined;
}

/** Removes every directory created by loadTree(). */
export function cleanupTrees(): void {
  for (const d of treeDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}
