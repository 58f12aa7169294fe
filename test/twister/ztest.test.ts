/** `zsim/ztest` through `zsim run`: Zephyr's report format, the provided main, the exit status. */
import { describe, expect, it } from 'vitest';
import { zsim } from '../helpers/cli.ts';

describe('zsim/ztest', () => {
  it('runs the suites by name with a main of its own, prints Zephyr\'s report, exit 0 when all passed', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'test/fixtures/ztest_app']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '*** Booting Zephyr OS build zsim-v0.1.0 ***',
      'Running TESTSUITE framework',
      '===================================================================',
      'START - test_assertions',
      ' PASS - test_assertions in 0.000 seconds',
      '===================================================================',
    ]);
    expect(lines).toContain(' SKIP - test_skip in 0.000 seconds');
    // k_sleep(K_MSEC(5)) at 100 ticks/s sleeps 2 ticks, as on Zephyr.
    expect(lines).toContain(' PASS - test_sleep in 0.020 seconds');
    expect(r.stdout).toMatch(/\n {4}Assumption failed at test\/fixtures\/ztest_app\/src\/main\.ts:\d+: framework_test_zassume: cond is false\nnot on this board\n SKIP - test_zassume/);
    expect(r.stdout).toContain('SUITE PASS - 100.00% [framework]: pass = 3, fail = 0, skip = 2, total = 5 duration = 0.020 seconds\n - PASS - [framework.test_assertions] duration = 0.000 seconds\n');
    expect(r.stdout.endsWith('------ TESTSUITE SUMMARY END ------\n\n===================================================================\nPROJECT EXECUTION SUCCESSFUL\n')).toBe(true);
  });

  it('a failed assertion ends its test with FAIL and the file and line; the run exits 1', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'test/fixtures/ztest_app', '-D', 'CONFIG_ZTEST_APP_FAIL=y']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/START - test_assert_fails\n\n {4}Assertion failed at test\/fixtures\/ztest_app\/src\/main\.ts:\d+: failing_test_assert_fails: 1 not equal to 2\nexpected 1\n FAIL - test_assert_fails in 0\.000 seconds\n/);
    // The assertion ended the test: the next check did not run.
    expect(r.stdout).not.toContain('not reached');
    // An expectation fails the test but lets it go on.
    expect(r.stdout).toMatch(/Expectation failed at .*: failing_test_expect_fails: 3 not equal to 4\n FAIL - test_expect_fails/);
    expect(r.stdout).toContain('TESTSUITE failing failed\n');
    expect(r.stdout).toContain('SUITE FAIL -  33.33% [failing]: pass = 1, fail = 2, skip = 0, total = 3');
    expect(r.stdout.endsWith('PROJECT EXECUTION FAILED\n')).toBe(true);
    expect(r.stderr).toBe('zsim: app finished; main() returned 1 on qemu_x86\n');
  });
});
