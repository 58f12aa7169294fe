/** The harnesses of `zsim twister` on console text: console (one_line, multi_line), ztest, none. */
import { describe, expect, it } from 'vitest';
import { ConsoleHarness, ExitHarness, pyRegex, ZtestHarness } from '../../src/twister/harness.ts';
import type { RunResult } from '../../src/kernel/sim.ts';

const finished: RunResult = { reason: 'finished', exitCode: 0, message: 'app finished', timeNs: 1e9 };
const timeLimit: RunResult = { reason: 'time-limit', exitCode: 0, message: 'stopped at the time limit', timeNs: 60e9 };

function feed(h: { line(t: string): void }, text: string): void {
  for (const l of text.split('\n')) h.line(l);
}

describe('console harness', () => {
  it('one_line: the first regex must match a line; then it is done', () => {
    const h = new ConsoleHarness({ type: 'one_line', regex: ['Hello World! (.*)'] }, 'sample.hello', 60);
    h.line('*** Booting Zephyr OS build zsim-v0.1.0 ***');
    expect(h.done).toBe(false);
    h.line('Hello World! qemu_x86');
    expect(h.done).toBe(true);
    expect(h.finish(finished, 0.1)).toMatchObject({ status: 'passed', testcases: [{ identifier: 'sample.hello', status: 'passed' }] });
  });

  it('one_line without a match fails with what did not match, and says Timeout at the time limit', () => {
    const h = new ConsoleHarness({ type: 'one_line', regex: ['Goodbye'] }, 'x', 60);
    h.line('Hello');
    expect(h.finish(finished, 0).reason).toBe('app finished; console harness did not match /Goodbye/');
    expect(h.finish(timeLimit, 0).reason).toMatch(/^Timeout \(60 s simulated\)/);
  });

  it('multi_line ordered (the default): every regex, in order', () => {
    const cfg = { type: 'multi_line', regex: ['thread_a: (.*)', 'thread_b: (.*)'] };
    const inOrder = new ConsoleHarness(cfg, 'x', 60);
    feed(inOrder, 'thread_a: hi\nthread_b: hi');
    expect(inOrder.done).toBe(true);
    const reversed = new ConsoleHarness({ ...cfg, ordered: true }, 'x', 60);
    feed(reversed, 'thread_b: hi\nthread_a: hi');
    expect(reversed.done).toBe(false);
    expect(reversed.finish(finished, 0)).toMatchObject({ status: 'failed', reason: 'app finished; console harness did not match /thread_b: (.*)/ (in order)' });
  });

  it('multi_line unordered: every regex, any order', () => {
    const h = new ConsoleHarness({ type: 'multi_line', ordered: false, regex: ['.*EATING.*', '.*THINKING.*'] }, 'x', 60);
    feed(h, 'Philosopher 1 THINKING\nPhilosopher 2 EATING');
    expect(h.done).toBe(true);
    expect(h.finish(finished, 0).status).toBe('passed');
  });

  it('a fatal error on the console fails the run; Python named groups work', () => {
    const h = new ConsoleHarness({ type: 'one_line', regex: ['never'] }, 'x', 60);
    h.line('>>> ZEPHYR FATAL ERROR 4: Kernel panic on CPU 0');
    expect(h.done).toBe(true);
    expect(h.finish({ ...finished, reason: 'fatal', exitCode: 1, message: 'fatal error on qemu_x86: Kernel panic' }, 0)).toMatchObject({ status: 'failed', reason: 'fatal error on qemu_x86: Kernel panic' });
    expect(pyRegex('(?P<n>\\d+) and (?P=n)').exec('7 and 7')?.groups?.n).toBe('7');
  });
});

describe('ztest harness', () => {
  const report = [
    'Running TESTSUITE framework', '=====', 'START - test_a', ' PASS - test_a in 0.001 seconds', '=====',
    'START - test_b', '    Assertion failed at main.ts:3: framework_test_b: 1 not equal to 2', ' FAIL - test_b in 0.020 seconds',
    'START - test_c', ' SKIP - test_c in 0.000 seconds', 'TESTSUITE framework failed', '', '------ TESTSUITE SUMMARY START ------',
  ].join('\n');

  it('one test case per ztest test (scenario.suite.name, without test_), the verdict from PROJECT EXECUTION', () => {
    const h = new ZtestHarness('app.t', 60);
    feed(h, report);
    expect(h.done).toBe(false);
    h.line('PROJECT EXECUTION FAILED');
    expect(h.done).toBe(true);
    const v = h.finish(finished);
    expect(v.status).toBe('failed');
    expect(v.reason).toBe('1 of 3 test cases failed: app.t.framework.b');
    expect(v.testcases.map((c) => [c.identifier, c.status, c.execution_time])).toEqual([
      ['app.t.framework.a', 'passed', 0.001], ['app.t.framework.b', 'failed', 0.02], ['app.t.framework.c', 'skipped', 0],
    ]);
  });

  it('passes on PROJECT EXECUTION SUCCESSFUL; without it the run failed (and a started test failed)', () => {
    const ok = new ZtestHarness('t', 60);
    feed(ok, 'Running TESTSUITE s\nSTART - test_a\n PASS - test_a in 0.000 seconds\nPROJECT EXECUTION SUCCESSFUL');
    expect(ok.finish(finished).status).toBe('passed');
    const cut = new ZtestHarness('t', 60);
    feed(cut, 'Running TESTSUITE s\nSTART - test_hang');
    expect(cut.finish(timeLimit)).toMatchObject({ status: 'failed', reason: 'Timeout (60 s simulated); no PROJECT EXECUTION line', testcases: [{ identifier: 't.s.hang', status: 'failed' }] });
  });
});

describe('no harness', () => {
  it('passes when the app finished with status 0; fails on a non-zero status or at the time limit', () => {
    expect(new ExitHarness('t', 60).finish(finished, 0).status).toBe('passed');
    expect(new ExitHarness('t', 60).finish({ ...finished, exitCode: 1, message: 'app finished; main() returned 3 on qemu_x86' }, 0)).toMatchObject({ status: 'failed', reason: 'app finished; main() returned 3 on qemu_x86' });
    expect(new ExitHarness('t', 5).finish(timeLimit, 0)).toMatchObject({ status: 'failed', reason: 'Timeout (5 s simulated)' });
  });
});
