/**
 * ztest's per-board state: the registered suites and tests, the phase being run and the result of
 * the test in progress, plus the calls that end a test early (`ztest_test_fail`, `_skip`, `_pass`).
 *
 * The module is shared by every board of the process (like all zsim modules) while `ZTEST(...)`
 * runs once per board when the app's module is evaluated, so everything lives in a per-kernel
 * record looked up through the running board (`cpu.kernel`).
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { k_thread } from '../kernel/thread.ts';
import { k_thread_abort } from '../kernel/thread_api.ts';

/** Zephyr's `enum ztest_phase`: where the framework is, which decides what a failure means. */
export type ZtestPhase = 'framework' | 'setup' | 'before' | 'test' | 'after' | 'teardown';

/** The result of one test (Zephyr's TC_PASS / TC_FAIL / TC_SKIP). */
export type ZtestResult = 'pass' | 'fail' | 'skip';

/** One `ZTEST`/`ZTEST_F`. The function receives the suite's fixture (what `setup` returned). */
export interface ZtestUnitTest {
  suite: string;
  name: string;
  fn: (fixture: unknown) => unknown;
}

/** One `ZTEST_SUITE`. */
export interface ZtestSuite {
  name: string;
  predicate: ((state: unknown) => boolean) | null;
  setup: (() => unknown) | null;
  before: ((fixture: unknown) => unknown) | null;
  after: ((fixture: unknown) => unknown) | null;
  teardown: ((fixture: unknown) => unknown) | null;
}

/** Outcome of a test as kept for the summary. */
export interface ZtestStats {
  suite: string;
  name: string;
  result: ZtestResult;
  durationMs: number;
  ran: boolean;
}

/** Everything ztest keeps for one board. */
export interface ZtestBoardState {
  suites: ZtestSuite[];
  tests: ZtestUnitTest[];
  phase: ZtestPhase;
  /** Result of the test in progress; a failure or skip sets it before unwinding. */
  current: ZtestResult;
  /** A `zexpect_*` failed: the test goes on but fails at its end. */
  failedExpectation: boolean;
  /** The thread running the current test (Zephyr's `ztest_thread`). */
  testThread: k_thread | null;
  /** The thread running `ztest_run_all` (setup, after and teardown run there). */
  runner: k_thread | null;
  /** Something happened that must fail the whole run (a failure in `after`, say). */
  criticalError: boolean;
  hasFailure: boolean;
  /** The function name Zephyr would print in an assertion message (`suite_test`). */
  func: string;
}

const boards = new WeakMap<Kernel, ZtestBoardState>();

/** The running board's ztest state (created on first use). */
export function ztestState(api: string): ZtestBoardState {
  const k = cpu.kernel;
  if (!k) throw new Error(`${api}() called outside a zsim board`);
  let s = boards.get(k);
  if (!s) {
    s = {
      suites: [], tests: [], phase: 'framework', current: 'pass', failedExpectation: false, testThread: null,
      runner: null, criticalError: false, hasFailure: false, func: '',
    };
    boards.set(k, s);
  }
  return s;
}

/**
 * Thrown to leave a framework phase that runs on the runner thread (setup, after, teardown) when
 * an assertion fails there: it cannot be aborted like a test thread, so the runner catches this.
 */
export class ZtestBail extends Error {
  constructor(readonly result: ZtestResult) {
    super(`ztest: ${result} outside a test thread`);
  }
}

/**
 * Ends the current test with `result`, as Zephyr's `test_finalize`: the test thread is aborted;
 * when the caller is that thread (or another app thread) it does not return. On the runner thread
 * it throws `ZtestBail`; in ISR context it returns after aborting the test thread.
 */
export function ztestEnd(s: ZtestBoardState, result: ZtestResult): never | void {
  const self = cpu.current;
  if (s.testThread && s.testThread !== self) k_thread_abort(s.testThread);
  if (self === null) return; // ISR: the test thread is gone, the ISR itself goes on
  if (self === s.runner) throw new ZtestBail(result);
  k_thread_abort(self);
}

/** Zephyr's `get_friendly_phase_name`. */
function phaseName(p: ZtestPhase): string {
  return p;
}

/** `ztest_test_fail()`: fails the running test (or the suite, during setup). */
export function ztest_test_fail(): void {
  const s = ztestState('ztest_test_fail');
  switch (s.phase) {
    case 'setup':
    case 'before':
    case 'test':
      s.current = 'fail';
      ztestEnd(s, 'fail');
      return;
    default:
      cpu.kernel!.printk(` ERROR: cannot fail in test phase '${phaseName(s.phase)}()', bailing\n`);
      s.criticalError = true;
      if (cpu.current === s.runner) throw new ZtestBail('fail');
  }
}

/** `ztest_test_skip()`: skips the running test (or the whole suite, from `setup`). */
export function ztest_test_skip(): void {
  const s = ztestState('ztest_test_skip');
  switch (s.phase) {
    case 'setup':
    case 'before':
    case 'test':
      s.current = 'skip';
      ztestEnd(s, 'skip');
      return;
    default:
      cpu.kernel!.printk(` ERROR: cannot skip in test phase '${phaseName(s.phase)}()', bailing\n`);
      s.criticalError = true;
      if (cpu.current === s.runner) throw new ZtestBail('fail');
  }
}

/** `ztest_test_pass()`: ends the running test now, as passed. */
export function ztest_test_pass(): void {
  const s = ztestState('ztest_test_pass');
  if (s.phase === 'test') {
    s.current = 'pass';
    ztestEnd(s, 'pass');
    return;
  }
  cpu.kernel!.printk(` ERROR: cannot pass in test phase '${phaseName(s.phase)}()', bailing\n`);
  s.criticalError = true;
  if (cpu.current === s.runner) throw new ZtestBail('fail');
}
