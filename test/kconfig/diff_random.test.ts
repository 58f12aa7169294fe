/**
 * Differential tests on seeded random trees and fragments: zsim and
 * Kconfiglib must produce identical .config, autoconf.h, warnings and values.
 */
import { seededDiffSuite } from './diffcheck.ts';
import { generateTree } from './gen.ts';

seededDiffSuite('differential: random trees vs Kconfiglib', {
  seeds: Number(process.env['ZSIM_KCONFIG_SEEDS'] ?? 400),
  first: Number(process.env['ZSIM_KCONFIG_FIRST_SEED'] ?? 1),
  prefix: 'zsim-kconfig-rand',
  tree: generateTree,
  ops: true,
});
