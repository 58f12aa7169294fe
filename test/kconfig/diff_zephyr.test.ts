/**
 * Differential tests of Zephyr's merge step: the checks of
 * scripts/kconfig/kconfig.py (assigned-but-got, unsatisfied dependencies,
 * promptless assignments, choice selections) computed by zsim's mergeConfigs
 * against the same logic run on Kconfiglib's objects, on random trees.
 */
import fs from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { expectSameResult, requireKconfiglib } from './diffcheck.ts';
import { generateTree } from './gen.ts';
import { type DiffCase, type DiffResult, baseEnv, runKconfiglib, runZsim, writeTree } from './harness.ts';

const SEEDS = Number(process.env['ZSIM_KCONFIG_ZEPHYR_SEEDS'] ?? 150);
const FIRST_SEED = 100_000;

const available = requireKconfiglib();

describe.skipIf(!available)('differential: Zephyr merge checks vs Kconfiglib', () => {
  const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i);
  // Skipped suites never run afterAll, so only write trees when they will run.
  const cases: DiffCase[] = (available ? seeds : []).map((seed) => {
    const t = generateTree(seed);
    return {
      dir: writeTree(t.files, `zsim-kconfig-zephyr${seed}-`),
      kconfig: 'Kconfig',
      fragments: t.fragments,
      env: baseEnv(),
      zephyr: true,
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
