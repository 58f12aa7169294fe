/**
 * Shared pieces of the differential tests: Kconfiglib availability gating
 * (fail under CI, skip elsewhere) and the comparison of two results.
 */
import { expect, it } from 'vitest';
import { type DiffResult, PYTHON, kconfiglibAvailable } from './harness.ts';

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
