/**
 * Differential tests on randomly mangled trees and fragments: tokenizer,
 * preprocessor and error paths must match Kconfiglib, including error texts.
 */
import { seededDiffSuite } from './diffcheck.ts';
import { mutatedTree } from './mutate.ts';

seededDiffSuite('differential: mutated trees vs Kconfiglib', {
  seeds: Number(process.env['ZSIM_KCONFIG_FUZZ_SEEDS'] ?? 300),
  first: 500_000,
  prefix: 'zsim-kconfig-fuzz',
  tree: mutatedTree,
});
