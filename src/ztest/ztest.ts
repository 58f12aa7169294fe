/**
 * `zsim/ztest`: Zephyr's test framework (`<zephyr/ztest.h>`, the "new" API) for zsim apps.
 *
 * ```ts
 * import { ZTEST, ZTEST_SUITE, zassert_equal } from 'zsim/ztest';
 * ZTEST_SUITE('math', null, null, null, null, null);
 * ZTEST('math', 'test_add', () => { zassert_equal(1 + 1, 2, 'sum is %d', 1 + 1); });
 * ```
 *
 * A ztest app does not define `main`, as in Zephyr, where the ztest library links one in: this
 * module exports `z_default_main`, and the app loader (`src/build/app.ts`) uses a zsim module's
 * `z_default_main` as the app's `main` when the app exports none. It runs every suite
 * (`ztest_run_all`), prints Zephyr's report (`Running TESTSUITE`, `START - test_x`,
 * ` PASS - test_x in 0.001 seconds`, the `TESTSUITE SUMMARY` and `PROJECT EXECUTION SUCCESSFUL` or
 * `FAILED`) and returns non-zero when something failed, which zsim makes the run's exit status (1).
 *
 * Each test runs in its own thread at `CONFIG_ZTEST_THREAD_PRIORITY`, so it may sleep and block;
 * `setup`, `after` and `teardown` run on the main thread, `before` and the test on the test thread,
 * as in Zephyr. Suites run by name, tests by name within their suite (Zephyr's linker sections
 * are sorted by name). Test durations are in the board's (virtual) time.
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { k_thread } from '../kernel/thread.ts';
import { k_current_get, k_thread_create, k_thread_join, k_thread_name_set, k_thread_start } from '../kernel/thread_api.ts';
import { k_msleep, k_uptime_get } from '../kernel/time_api.ts';
import { K_FOREVER } from '../kernel/timeout.ts';
import { ZtestBail, ztestState, type ZtestBoardState, type ZtestResult, type ZtestStats, type ZtestSuite } from './ztest_state.ts';

export * from './ztest_assert.ts';
export { ztest_test_fail, ztest_test_pass, ztest_test_skip, type ZtestResult } from './ztest_state.ts';

const LINE = '===================================================================';

/**
 * `ZTEST_SUITE(name, predicate, setup, before, after, teardown)`. `setup` returns the fixture every
 * test, `before`, `after` and `teardown` receive; a `predicate` returning false skips the suite.
 * Any of the functions may be async (and then is awaited).
 */
export function ZTEST_SUITE<F = unknown>(
  name: string,
  predicate: ((state: unknown) => boolean) | null,
  setup: (() => F | Promise<F>) | null,
  before: ((fixture: F) => unknown) | null,
  after: ((fixture: F) => unknown) | null,
  teardown: ((fixture: F) => unknown) | null,
): void {
  const s = ztestState('ZTEST_SUITE');
  if (s.suites.some((x) => x.name === name)) throw new Error(`ZTEST_SUITE(${name}): defined twice`);
  s.suites.push({
    name, predicate, setup,
    before: before as ZtestSuite['before'], after: after as ZtestSuite['after'], teardown: teardown as ZtestSuite['teardown'],
  });
}

/** `ZTEST(suite, name) { ... }`: a test of `suite`. The function may be async. */
export function ZTEST(suite: string, name: string, fn: () => unknown): void {
  ztestState('ZTEST').tests.push({ suite, name, fn: () => fn() });
}

/** `ZTEST_F(suite, name)`: a test that receives the suite's fixture (what `setup` returned). */
export function ZTEST_F<F>(suite: string, name: string, fn: (fixture: F) => unknown): void {
  ztestState('ZTEST_F').tests.push({ suite, name, fn: (f) => fn(f as F) });
}

/** `ZTEST_USER`: zsim has no user mode, so this is `ZTEST`. */
export const ZTEST_USER = ZTEST;

function cfg(k: Kernel, name: string, dflt: number): number {
  const v = k.config[name];
  return typeof v === 'number' ? v : dflt;
}

function secs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String(ms % 1000).padStart(3, '0')}`;
}

/** Runs one phase function on the runner thread; a failed check there ends up as its result. */
async function phase(s: ZtestBoardState, fn: (() => unknown) | null): Promise<ZtestResult> {
  if (!fn) return 'pass';
  try {
    await fn();
    return 'pass';
  } catch (e) {
    if (e instanceof ZtestBail) return e.result;
    throw e;
  }
}

async function runTest(k: Kernel, s: ZtestBoardState, suite: ZtestSuite, fixture: unknown, test: ZtestStats, fn: (f: unknown) => unknown, suiteResult: ZtestResult): Promise<void> {
  k.printk(`START - ${test.name}\n`);
  const t0 = k_uptime_get();
  s.current = 'pass';
  s.failedExpectation = false;
  s.func = `${suite.name}_${test.name}`;
  if (suiteResult !== 'pass') {
    s.current = suiteResult;
  } else {
    s.phase = 'before';
    const th = new k_thread();
    s.testThread = th;
    k_thread_create(th, null, cfg(k, 'ZTEST_STACK_SIZE', 1024), async () => {
      if (suite.before) await suite.before(fixture);
      s.phase = 'test';
      await fn(fixture);
    }, null, null, null, cfg(k, 'ZTEST_THREAD_PRIORITY', -1), 0, K_FOREVER);
    k_thread_name_set(th, test.name);
    k_thread_start(th);
    await k_thread_join(th, K_FOREVER);
    s.testThread = null;
    s.phase = 'after';
    const r = await phase(s, suite.after ? () => suite.after!(fixture) : null);
    if (r !== 'pass') s.criticalError = true;
  }
  s.phase = 'framework';
  if (s.failedExpectation) s.current = 'fail';
  test.result = s.current;
  test.ran = true;
  test.durationMs = k_uptime_get() - t0;
  if (test.result === 'fail') s.hasFailure = true;
  k.printk(` ${test.result.toUpperCase()} - ${test.name} in ${secs(test.durationMs)} seconds\n${LINE}\n`);
}

async function runSuite(k: Kernel, s: ZtestBoardState, suite: ZtestSuite, stats: ZtestStats[]): Promise<void> {
  k.printk(`Running TESTSUITE ${suite.name}\n${LINE}\n`);
  s.phase = 'setup';
  s.current = 'pass';
  s.func = `${suite.name}_setup`;
  let fixture: unknown;
  const setupResult = await phase(s, suite.setup ? async () => (fixture = await suite.setup!()) : null);
  const delay = cfg(k, 'ZTEST_TEST_DELAY_MS', 0);
  for (const test of s.tests.filter((t) => t.suite === suite.name).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const st = stats.find((x) => x.suite === suite.name && x.name === test.name)!;
    await runTest(k, s, suite, fixture, st, test.fn, setupResult);
    if (delay > 0) await k_msleep(delay);
    if (s.criticalError || (s.hasFailure && k.config.ZTEST_FAIL_FAST === true)) break;
  }
  s.phase = 'teardown';
  if ((await phase(s, suite.teardown ? () => suite.teardown!(fixture) : null)) !== 'pass') s.criticalError = true;
  s.phase = 'framework';
  const mine = stats.filter((x) => x.suite === suite.name);
  const verdict = mine.some((x) => x.result === 'fail') ? 'failed' : mine.length > 0 && mine.every((x) => x.result === 'skip') ? 'skipped' : 'succeeded';
  k.printk(`TESTSUITE ${suite.name} ${verdict}\n`);
}

function summary(k: Kernel, suites: ZtestSuite[], stats: ZtestStats[]): void {
  if (k.config.ZTEST_SUMMARY === false) return;
  k.printk('\n------ TESTSUITE SUMMARY START ------\n\n');
  for (const suite of suites) {
    const mine = stats.filter((x) => x.suite === suite.name);
    const pass = mine.filter((x) => x.result === 'pass').length;
    const skip = mine.filter((x) => x.result === 'skip').length;
    const fail = mine.length - pass - skip;
    const result = skip === mine.length ? 'SKIP' : fail > 0 ? 'FAIL' : 'PASS';
    // Zephyr's rate is pass / (total - skip), rounded to hundredths of a percent.
    const rate = skip === mine.length ? 0 : Math.round((pass * 10000) / (mine.length - skip)) / 100;
    const ms = mine.reduce((a, x) => a + x.durationMs, 0);
    k.printk(`SUITE ${result} - ${rate.toFixed(2).padStart(6)}% [${suite.name}]: pass = ${pass}, fail = ${fail}, skip = ${skip}, total = ${mine.length} duration = ${secs(ms)} seconds\n`);
    if (k.config.ZTEST_VERBOSE_SUMMARY !== false) {
      for (const t of mine) k.printk(` - ${t.result.toUpperCase()} - [${t.suite}.${t.name}] duration = ${secs(t.durationMs)} seconds\n`);
      k.printk('\n');
    }
  }
  k.printk('------ TESTSUITE SUMMARY END ------\n\n');
}

/**
 * `ztest_run_all()` followed by Zephyr's end report: runs every registered suite whose predicate
 * allows it, prints the summary and `PROJECT EXECUTION SUCCESSFUL`/`FAILED`. Resolves to 0 when
 * everything passed (or was skipped), 1 otherwise.
 */
export async function ztest_run_all(): Promise<number> {
  const s = ztestState('ztest_run_all');
  const k = cpu.kernel!;
  s.runner = k_current_get();
  const suites = [...s.suites].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const stats: ZtestStats[] = [];
  for (const suite of suites) {
    const tests = s.tests.filter((t) => t.suite === suite.name).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const t of tests) stats.push({ suite: suite.name, name: t.name, result: 'skip', durationMs: 0, ran: false });
  }
  const ran = new Set<string>();
  for (const suite of suites) {
    if (suite.predicate && !suite.predicate(null)) continue;
    ran.add(suite.name);
    await runSuite(k, s, suite, stats);
    if (s.criticalError || (s.hasFailure && k.config.ZTEST_FAIL_FAST === true)) break;
  }
  if (k.config.ZTEST_VERIFY_RUN_ALL !== false) {
    for (const suite of suites) {
      if (!ran.has(suite.name)) {
        k.printk(`ERROR: Test suite '${suite.name}' did not run.\n`);
        s.hasFailure = true;
      }
    }
    for (const t of s.tests) {
      if (!suites.some((x) => x.name === t.suite)) {
        k.printk(`ERROR: Test '${t.name}' assigned to test suite '${t.suite}' which doesn't exist\n`);
        s.hasFailure = true;
      }
    }
  }
  summary(k, suites, stats);
  const failed = s.hasFailure || s.criticalError;
  k.printk(`${LINE}\nPROJECT EXECUTION ${failed ? 'FAILED' : 'SUCCESSFUL'}\n`);
  return failed ? 1 : 0;
}

/** The `main` of an app that defines none (see the module comment): `ztest_run_all`. */
export function z_default_main(): Promise<number> {
  return ztest_run_all();
}
