/**
 * Differential tests on hand-written trees: every language feature and
 * .config behaviour, compared with the real Kconfiglib.
 */
import { describe } from 'vitest';
import { CONFIG_CASES, ENV_CASES, ERROR_CASES } from './cases_config.ts';
import { LANG_CASES, type HandCase } from './cases_lang.ts';
import { LANG_CASES_MORE } from './cases_lang_more.ts';
import { LANG_CASES_OPTIONS } from './cases_lang_options.ts';
import { diffTests, requireKconfiglib } from './diffcheck.ts';
import { baseEnv, writeTree } from './harness.ts';

const available = requireKconfiglib();

describe.skipIf(!available)('differential: hand-written trees vs Kconfiglib', () => {
  const all: Array<[string, HandCase]> = [
    ...LANG_CASES.map((c) => ['lang', c] as [string, HandCase]),
    ...LANG_CASES_MORE.map((c) => ['lang', c] as [string, HandCase]),
    ...LANG_CASES_OPTIONS.map((c) => ['lang', c] as [string, HandCase]),
    ...CONFIG_CASES.map((c) => ['config', c] as [string, HandCase]),
    ...ENV_CASES.map((c) => ['env', c] as [string, HandCase]),
    ...ERROR_CASES.map((c) => ['error', c] as [string, HandCase]),
  ];
  diffTests(
    all.map(([group, c]) => ({
      name: `${group}: ${c.name}`,
      label: () => c.name,
      make: () => ({
        dir: writeTree(c.files),
        kconfig: c.kconfig ?? 'Kconfig',
        fragments: c.fragments ?? [],
        env: baseEnv(c.env),
        warnAssignUndef: c.warnAssignUndef,
      }),
    })),
    { run: available, temp: true },
  );
});
