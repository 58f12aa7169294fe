/**
 * Differential tests on randomly mangled trees and fragments: tokenizer,
 * preprocessor and error paths must match Kconfiglib, including error texts.
 */
import fs from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { expectSameResult, requireKconfiglib } from './diffcheck.ts';
import { type DiffCase, type DiffResult, baseEnv, runKconfiglib, runZsim, writeTree } from './harness.ts';
import { mutatedTree } from './mutate.ts';

const SEEDS = Number(process.env['ZSIM_KCONFIG_FUZZ_SEEDS'] ?? 300);
const FIRST_SEED = 500_000;

const available = requireKconfiglib();

describe.skipIf(!available)('differential: mutated trees vs Kconfiglib', () => {
  const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST_SEED + i);
  // Skipped suites never run afterAll, so only write trees when they will run.
  const cases: DiffCase[] = (available ? seeds : []).map((seed) => {
    const t = mutatedTree(seed);
    return { dir: writeTree(t.files, `zsim-kconfig-fuzz${seed}-`), kconfig: 'Kconfig', fragments: t.fragments, env: baseEnv() };
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
