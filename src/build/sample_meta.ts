/**
 * `sample.yaml` (twister's shape): what a sample needs from a board. `zsim build` refuses a
 * board that cannot run any of the sample's test scenarios, and says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Board } from './boards.ts';
import { BuildError } from './app.ts';

export interface TestScenario {
  name: string;
  tags: string[];
  depends_on: string[];
  platform_allow: string[];
  platform_exclude: string[];
  integration_platforms: string[];
  extra_configs: string[];
  extra_args: string[];
  min_ram: number;
  harness: string;
  harness_config: Record<string, unknown>;
  build_only: boolean;
  timeout: number;
}

export interface SampleMeta {
  file: string;
  name: string;
  description: string;
  tests: TestScenario[];
}

function list(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map(String);
  return String(v).split(/\s+/).filter(Boolean);
}

/** Reads `APP/sample.yaml` (or `testcase.yaml`); null when the app has none. */
export function readSampleMeta(appDir: string): SampleMeta | null {
  const file = ['sample.yaml', 'testcase.yaml'].map((f) => path.join(appDir, f)).find((f) => existsSync(f));
  if (!file) return null;
  let doc: Record<string, unknown>;
  try {
    doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (e) {
    throw new BuildError(`${file}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
  const sample = (doc.sample ?? {}) as Record<string, unknown>;
  const common = (doc.common ?? {}) as Record<string, unknown>;
  const tests = (doc.tests ?? {}) as Record<string, Record<string, unknown> | null>;
  if (typeof tests !== 'object' || Array.isArray(tests)) throw new BuildError(`${file}: 'tests' must be a mapping of scenario names`);
  const pick = (t: Record<string, unknown>, k: string): unknown => (t[k] !== undefined ? t[k] : common[k]);
  return {
    file,
    name: String(sample.name ?? path.basename(appDir)),
    description: String(sample.description ?? ''),
    tests: Object.entries(tests).map(([name, raw]) => {
      const t = raw ?? {};
      return {
        name,
        tags: [...list(common.tags), ...list(t.tags)],
        depends_on: [...new Set([...list(common.depends_on), ...list(t.depends_on)])],
        platform_allow: list(pick(t, 'platform_allow')),
        platform_exclude: [...list(common.platform_exclude), ...list(t.platform_exclude)],
        integration_platforms: list(pick(t, 'integration_platforms')),
        extra_configs: [...list(common.extra_configs), ...list(t.extra_configs)],
        extra_args: [...list(common.extra_args), ...list(t.extra_args)],
        min_ram: Number(pick(t, 'min_ram') ?? 0) || 0,
        harness: String(pick(t, 'harness') ?? ''),
        harness_config: (pick(t, 'harness_config') ?? {}) as Record<string, unknown>,
        build_only: Boolean(pick(t, 'build_only') ?? false),
        timeout: Number(pick(t, 'timeout') ?? 60) || 60,
      };
    }),
  };
}

/**
 * What a board provides, as twister matches `depends_on` against `supported`: each `:`-separated
 * part of an entry is a feature (`netif:wifi` gives `netif` and `wifi`); the whole entry is kept too.
 */
export function boardFeatures(b: Board): Set<string> {
  const out = new Set<string>();
  for (const s of b.supported) {
    out.add(s);
    for (const part of s.split(':')) out.add(part);
  }
  return out;
}

/** Why `board` cannot run `t`, or null when it can. */
export function scenarioMismatch(t: TestScenario, board: Board): string | null {
  // A list names the target being built (qemu_x86/atom/nopae) or, for the board's default
  // target, the plain board name (qemu_x86), as twister's platform aliases do.
  const isDefault = board.target === (board.targets[0] ?? board.name);
  const names = (list: readonly string[]): boolean => list.includes(board.target) || (isDefault && list.includes(board.name));
  if (t.platform_allow.length > 0 && !names(t.platform_allow)) {
    return `platform_allow is ${t.platform_allow.join(', ')}`;
  }
  if (names(t.platform_exclude)) return `${board.target} is in platform_exclude`;
  const feats = boardFeatures(board);
  const missing = t.depends_on.filter((d) => !feats.has(d));
  if (missing.length) return `it depends on ${missing.join(', ')}, which ${board.name} does not support (supported: ${[...board.supported].join(', ') || 'none'})`;
  if (t.min_ram > 0 && board.ram > 0 && board.ram < t.min_ram) return `it needs min_ram ${t.min_ram} KB and ${board.name} has ${board.ram} KB`;
  return null;
}

/** Throws a BuildError when no test scenario of the sample can run on `board`. */
export function checkSampleFits(meta: SampleMeta | null, board: Board): void {
  if (!meta || meta.tests.length === 0) return;
  const reasons = meta.tests.map((t) => ({ t, why: scenarioMismatch(t, board) }));
  if (reasons.some((r) => r.why === null)) return;
  const detail = reasons.map((r) => `${r.t.name}: ${r.why}`).join('; ');
  throw new BuildError(`sample '${meta.name}' cannot be built for board ${board.name}: ${detail} (${meta.file})`);
}
