/**
 * Differential tests on hand-written trees: every language feature and
 * .config behaviour, compared with the real Kconfiglib.
 */
import fs from 'node:fs';
import { afterAll, describe, it } from 'vitest';
import { CONFIG_CASES, ENV_CASES, ERROR_CASES } from './cases_config.ts';
import { LANG_CASES, type HandCase } from './cases_lang.ts';
import { LANG_CASES_MORE } from './cases_lang_more.ts';
import { LANG_CASES_OPTIONS } from './cases_lang_options.ts';
import { expectSameResult, requireKconfiglib } from './diffcheck.ts';
import { type DiffCase, type DiffResult, baseEnv, runKconfiglib, runZsim, writeTree } from './harness.ts';

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
  const dirs: string[] = [];
  // Skipped suites never run afterAll, so only write trees when they will run.
  const cases: DiffCase[] = (available ? all : []).map(([, c]) => {
    const dir = writeTree(c.files);
    dirs.push(dir);
    return {
      dir,
      kconfig: c.kconfig ?? 'Kconfig',
      fragments: c.fragments ?? [],
      env: baseEnv(c.env),
      warnAssignUndef: c.warnAssignUndef,
    };
  });
  let py: DiffResult[] = [];
  const pyOnce = (): DiffResult[] => {
    if (py.length === 0) py = runKconfiglib(cases);
    return py;
  };
  afterAll(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  all.forEach(([group, c], i) => {
    it(`${group}: ${c.name}`, () => {
      expectSameResult(runZsim(cases[i]!), pyOnce()[i]!, c.name);
    });
  });
});
