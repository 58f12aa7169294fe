/**
 * Shared pieces of the differential tests: Kconfiglib availability gating
 * (fail under CI, skip elsewhere), the comparison of two results, and the
 * suites that register one test per case.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { GeneratedTree } from './gen.ts';
import { type DiffCase, type DiffResult, PYTHON, baseEnv, kconfiglibAvailable, runKconfiglib, runZsim, writeTree } from './harness.ts';

/** Whether the differential suites can run; registers a failing test under CI when they cannot. */
export function requireKconfiglib(): boolean {
  const ok = kconfiglibAvailable();
  if (!ok) {
    if (process.env['CI'] === 'true') {
      it(`Kconfiglib is importable with ${PYTHON} (required under CI)`, () => {
        expect.fail(`${PYTHON} -c 'import kconfiglib' failed; install python3-kconfiglib`);
      });
    } else {
      console.warn(`skipping Kconfiglib differential tests: ${PYTHON} -c 'import kconfiglib' failed`);
    }
  }
  return ok;
}

/** The first line of a dependency-loop message (the rest depends on Python set iteration order). */
function loopHead(e: string): string {
  return e.split('\n').slice(0, 4).join('\n').replace(/, with definition.*$/, '');
}

function isChoiceLoop(e: string | undefined): boolean {
  return e !== undefined && e.startsWith('\nDependency loop') && e.includes('<choice');
}

/** Asserts that zsim and Kconfiglib produced the same outcome. */
export function expectSameResult(z: DiffResult, p: DiffResult, label: string): void {
  // Where Kconfiglib crashes (e.g. AttributeError on 'help' inside a menu),
  // zsim reports an error or does something sensible; nothing to compare.
  if (p.crash !== undefined) return;
  // Kconfiglib finds loops through choices or not depending on Python set
  // iteration order (object addresses); that one divergence is tolerated.
  if ((isChoiceLoop(z.error) && p.error === undefined) || (isChoiceLoop(p.error) && z.error === undefined)) return;
  if (p.error !== undefined && p.error.startsWith('\nDependency loop')) {
    expect(z.error, label).toBeDefined();
    expect(z.error!.startsWith('\nDependency loop'), label).toBe(true);
    expect(loopHead(z.error!).split('\n')[0], label).toBe(loopHead(p.error).split('\n')[0]);
    return;
  }
  expect(z.error, `${label}: error`).toBe(p.error);
  if (p.error !== undefined) return;
  expect(z.config, `${label}: .config`).toBe(p.config);
  expect(z.autoconf, `${label}: autoconf.h`).toBe(p.autoconf);
  expect(z.warnings, `${label}: warnings`).toEqual(p.warnings);
  expect(z.values, `${label}: values`).toEqual(p.values);
  expect(z.choices, `${label}: choice selections`).toEqual(p.choices);
  expect(z.details, `${label}: visibility and assignable values`).toEqual(p.details);
  expect(z.missing, `${label}: missing symbols`).toEqual(p.missing);
  expect(z.infos, `${label}: $(info) output`).toEqual(p.infos);
  expect(z.zephyr, `${label}: Zephyr merge checks`).toEqual(p.zephyr);
  expect(z.snapshots, `${label}: .config after each interactive step`).toEqual(p.snapshots);
}

export interface DiffTest {
  name: string;
  /** Builds the case (writing its tree, if any). */
  make: () => DiffCase;
  /** The label of failed expectations; the test's name by default. */
  label?: (c: DiffCase) => string;
}

/**
 * One test per entry, comparing zsim with Kconfiglib. Kconfiglib runs every case in one Python
 * process, on the first test. Cases are built only when `run` is set: a skipped suite never runs
 * afterAll, which would leave the trees written in tmp. With `temp`, the cases' directories are
 * removed after the suite.
 */
export function diffTests(tests: DiffTest[], opts: { run: boolean; temp: boolean }): void {
  const cases = opts.run ? tests.map((t) => t.make()) : [];
  let py: DiffResult[] = [];
  const pyOnce = (): DiffResult[] => {
    if (py.length === 0) py = runKconfiglib(cases);
    return py;
  };
  if (opts.temp) {
    afterAll(() => {
      for (const c of cases) fs.rmSync(c.dir, { recursive: true, force: true });
    });
  }
  tests.forEach((t, i) => {
    it(t.name, () => {
      const c = cases[i]!;
      expectSameResult(runZsim(c), pyOnce()[i]!, t.label?.(c) ?? t.name);
    });
  });
}

/**
 * A suite of `seeds` generated trees from seed `first` on, skipped without Kconfiglib. `ops`
 * applies the tree's interactive operations; `zephyr` runs Zephyr's merge checks.
 */
export function seededDiffSuite(
  title: string,
  opts: { seeds: number; first: number; prefix: string; tree: (seed: number) => GeneratedTree; ops?: boolean; zephyr?: boolean },
): void {
  const available = requireKconfiglib();
  describe.skipIf(!available)(title, () => {
    const seeds = Array.from({ length: opts.seeds }, (_, i) => opts.first + i);
    diffTests(
      seeds.map((seed) => ({
        name: `seed ${seed}`,
        label: (c) => `seed ${seed} (${c.dir})`,
        make: () => {
          const t = opts.tree(seed);
          return {
            dir: writeTree(t.files, `${opts.prefix}${seed}-`),
            kconfig: 'Kconfig',
            fragments: t.fragments,
            env: baseEnv(),
            ...(opts.ops ? { ops: t.ops } : {}),
            ...(opts.zephyr ? { zephyr: true } : {}),
          };
        },
      })),
      { run: available, temp: true },
    );
  });
}
