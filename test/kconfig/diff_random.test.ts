/**
 * Differential tests on seeded random trees and fragments: zsim and
 * Kconfiglib must produce identical .config, autoconf.h, warnings and values.
 */
import fs from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { expectSameResult, requireKconfiglib } from './diffcheck.ts';
import { generateTree } from './gen.ts';
import { type DiffCase, type DiffResult, baseEnv, runKconfiglib, runZsim, writeTree } from './harness.ts';

const SEEDS = Number(process.env['ZSIM_KCONFIG_SEEDS'] ?? 400);
const FIRST_SEED = Number(process.env['ZSIM_KCONFIG_FIRST_SEED'] ?? 1);

const available = requireKconfiglib();

describe.skipIf(!available)('differential: random trees vs Kconfiglib', () => {
  const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i);
  // Skipped suites never run afterAll, so only write trees when they will run.
  const cases: DiffCase[] = (available ? seeds : []).map((seed) => {
    const t = generateTree(seed);
    return {
      dir: writeTree(t.files, `zsim-kconfig-rand${seed}-`),
      kconfig: 'Kconfig',
      fragments: t.fragments,
      env: baseEnv(),
      ops: t.ops,
    };
  });
  let py: DiffResult[] = [];
  const pyOnce = (): DiffResult[] => {
    if (py.length === 0) py = runKconfiglib(cases);
    return py;
  };
  afterAll(() => {
    for (const c of cases) fs.rmSync(c.dir, { recursive: true, force: true });
  });

  seeds.forEach((seed, i) => {
    it(`seed ${seed}`, () => {
      expectSameResult(runZsim(cases[i]!), pyOnce()[i]!, `seed ${seed} (${cases[i]!.dir})`);
    });
  });
});
