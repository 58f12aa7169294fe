/**
 * Differential tests of Zephyr's merge step: the checks of
 * scripts/kconfig/kconfig.py (assigned-but-got, unsatisfied dependencies,
 * promptless assignments, choice selections) computed by zsim's mergeConfigs
 * against the same logic run on Kconfiglib's objects, on random trees.
 */
import { seededDiffSuite } from './diffcheck.ts';
import { generateTree } from './gen.ts';

seededDiffSuite('differential: Zephyr merge checks vs Kconfiglib', {
  seeds: Number(process.env['ZSIM_KCONFIG_ZEPHYR_SEEDS'] ?? 150),
  first: 100_000,
  prefix: 'zsim-kconfig-zephyr',
  tree: generateTree,
  zephyr: true,
});
