/**
 * `zsim twister` end to end, as a user runs it: zsim's samples under the console harness, the
 * ztest fixture (a passing and a failing scenario), filtering, build errors, the reports
 * (twister.json, JUnit XML) and the exit codes.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, zsim } from '../helpers/cli.ts';
import type { TwisterJson } from '../../src/twister/report.ts';
import { findAll, parseXml } from './xml.ts';

const outDir = (): string => mkdtempSync(path.join(tmpdir(), 'zsim-twister-'));
const readJson = (dir: string): TwisterJson => JSON.parse(readFileSync(path.join(dir, 'twister.json'), 'utf8')) as TwisterJson;
const suite = (doc: TwisterJson, name: string, platform?: string) =>
  doc.testsuites.find((s) => s.name === name && (platform === undefined || s.platform === platform))!;

describe('zsim twister', () => {
  it('runs zsim\'s samples with the console harness (one_line, multi_line ordered and unordered) and reports them', () => {
    const out = outDir();
    const r = zsim(['twister', '-T', 'samples/hello_world', '-T', 'samples/synchronization', '-T', 'samples/philosophers', '-O', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('INFO    - 3 test scenarios (3 configurations) selected, 0 configurations filtered');
    expect(r.stdout).toContain('INFO    - 3 of 3 executed test configurations passed (100.00%), 0 built (not run), 0 failed, 0 errored');
    expect(r.stdout).toMatch(/INFO    - 3 of 3 executed test cases passed \(100\.00%\) on 2 out of total \d+ platforms/);
    expect(r.stdout).toContain("extra_args 'DEBUG_PRINTF=1' ignored");

    const doc = readJson(out);
    expect(doc.environment).toMatchObject({ zephyr_version: 'zsim-v0.1.0', toolchain: 'zsim' });
    expect(doc.testsuites.map((s) => [s.name, s.platform, s.status])).toEqual([
      ['sample.basic.helloworld', 'native_sim/native', 'passed'],
      ['sample.kernel.synchronization', 'qemu_x86/atom', 'passed'],
      ['sample.kernel.philosopher', 'qemu_x86/atom', 'passed'],
    ]);
    // Zephyr 4.x twister names platforms by board target (integration_platforms says qemu_x86,
    // an alias of qemu_x86/atom), padded to 25 columns, and keeps their builds in OUTDIR/<target, / as _>.
    expect(r.stdout).toMatch(/^INFO    - \d\/3 native_sim\/native {9}samples\/hello_world\/sample\.basic\.helloworld {8}PASSED \(/m);
    const hello = suite(doc, 'sample.basic.helloworld');
    expect(hello).toMatchObject({ arch: 'posix', path: 'samples/hello_world', runnable: true, retries: 0 });
    expect(hello.run_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(hello.execution_time).toMatch(/^\d+\.\d\d$/);
    expect(hello.build_time).toMatch(/^\d+\.\d\d$/);
    expect(hello.testcases).toEqual([{ identifier: 'sample.basic.helloworld', execution_time: hello.execution_time, status: 'passed' }]);
    const dir = path.join(out, 'native_sim_native/samples/hello_world/sample.basic.helloworld');
    expect(readFileSync(path.join(dir, 'handler.log'), 'utf8')).toContain('Hello World! native_sim/native\n');
    expect(existsSync(path.join(dir, 'zephyr/.config'))).toBe(true);
    // The harness stops a run that would go on forever once it matched.
    expect(Number(suite(doc, 'sample.kernel.synchronization').sim_time)).toBeLessThan(5);

    const xml = parseXml(readFileSync(path.join(out, 'twister_report.xml'), 'utf8'));
    expect(xml.name).toBe('testsuites');
    const suites = findAll(xml, 'testsuite');
    expect(suites.map((s) => [s.attrs.name, s.attrs.tests, s.attrs.failures, s.attrs.errors, s.attrs.skipped])).toEqual([
      ['native_sim/native', '1', '0', '0', '0'],
      ['qemu_x86/atom', '2', '0', '0', '0'],
    ]);
    expect(findAll(suites[0]!, 'property')[0]!.attrs).toEqual({ name: 'version', value: 'zsim-v0.1.0' });
    expect(findAll(suites[1]!, 'testcase').map((c) => [c.attrs.classname, c.attrs.name])).toEqual([
      ['sample.kernel', 'sample.kernel.synchronization'],
      ['sample.kernel', 'sample.kernel.philosopher'],
    ]);
  });

  it('ztest apps: the passing scenario passes, the failing one fails with its test cases, exit 1', () => {
    const out = outDir();
    const r = zsim(['twister', '-T', 'test/fixtures/ztest_app', '-O', out, '-j', '2']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('INFO    - 1 of 2 executed test configurations passed (50.00%), 0 built (not run), 1 failed, 0 errored');
    expect(r.stdout).toContain('INFO    - 1) ztest_app.fail on qemu_x86/atom failed (2 of 8 test cases failed: ztest_app.fail.failing.assert_fails, ztest_app.fail.failing.expect_fails)');
    expect(r.stdout).toMatch(/ERROR   - see: .*ztest_app\.fail\/handler\.log/);
    const doc = readJson(out);
    const pass = suite(doc, 'ztest_app.pass');
    expect(pass.status).toBe('passed');
    expect(pass.testcases.map((c) => [c.identifier, c.status])).toEqual([
      ['ztest_app.pass.framework.assertions', 'passed'],
      ['ztest_app.pass.framework.fixture', 'passed'],
      ['ztest_app.pass.framework.skip', 'skipped'],
      ['ztest_app.pass.framework.sleep', 'passed'],
      ['ztest_app.pass.framework.zassume', 'skipped'],
    ]);
    const fail = suite(doc, 'ztest_app.fail');
    expect(fail.status).toBe('failed');
    expect(fail.log).toContain('Assertion failed at test/fixtures/ztest_app/src/main.ts:');
    expect(fail.log).toContain('PROJECT EXECUTION FAILED');
    const handler = readFileSync(path.join(out, 'qemu_x86_atom/test/fixtures/ztest_app/ztest_app.fail/handler.log'), 'utf8');
    expect(handler).toContain('SUITE FAIL -  33.33% [failing]: pass = 1, fail = 2, skip = 0, total = 3 duration = 0.000 seconds\n');

    const xml = parseXml(readFileSync(path.join(out, 'twister_report.xml'), 'utf8'));
    const [ts] = findAll(xml, 'testsuite');
    expect(ts!.attrs).toMatchObject({ name: 'qemu_x86/atom', tests: '13', failures: '2', errors: '0', skipped: '4' });
    const failures = findAll(ts!, 'failure');
    expect(failures).toHaveLength(2);
    expect(failures[0]!.text).toContain('START - test_assert_fails');
    const brief = parseXml(readFileSync(path.join(out, 'twister.xml'), 'utf8'));
    expect(findAll(brief, 'testcase').map((c) => [c.attrs.classname, c.attrs.name, c.children[0]?.name ?? 'passed'])).toEqual([
      ['qemu_x86/atom:ztest_app.pass', 'ztest_app.pass', 'passed'],
      ['qemu_x86/atom:ztest_app.fail', 'ztest_app.fail', 'failure'],
    ]);
  });

  it('filters a scenario that depends on netif on nrf52840dk, with the reason; exit 0', () => {
    const out = outDir();
    const r = zsim(['twister', '-T', 'test/fixtures/apps/needs_net', '-p', 'nrf52840dk', '-O', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 test scenarios (1 configurations) selected, 1 configurations filtered (1 by static filter, 0 at runtime).');
    expect(r.stdout).toContain('0 of 0 executed test configurations passed (0.00%)');
    const s = readJson(out).testsuites[0]!;
    expect(s).toMatchObject({ name: 'sample.needs_net', platform: 'nrf52840dk/nrf52840', status: 'filtered', runnable: false });
    expect(s.reason).toMatch(/^Platform does not support required features: netif/);
    expect(findAll(parseXml(readFileSync(path.join(out, 'twister_report.xml'), 'utf8')), 'testsuite')).toEqual([]);
  });

  it('console harness order, build errors and build_only: failed, error and not run; --inline-logs', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'zsim-twister-apps-'));
    const order = path.join(root, 'order');
    mkdirSync(order);
    cpSync(path.join(ROOT, 'samples/hello_world/src'), path.join(order, 'src'), { recursive: true });
    cpSync(path.join(ROOT, 'samples/hello_world/prj.conf'), path.join(order, 'prj.conf'));
    const regex = '      regex:\n        - "Hello World"\n        - "Booting Zephyr"\n';
    writeFileSync(path.join(order, 'sample.yaml'), [
      'common:\n  integration_platforms: [qemu_x86]\n  harness: console\ntests:',
      `  order.ordered:\n    harness_config:\n      type: multi_line\n${regex}`,
      `  order.unordered:\n    harness_config:\n      type: multi_line\n      ordered: false\n${regex}`,
      '  order.build_only:\n    build_only: true\n',
    ].join('\n'));
    const broken = path.join(root, 'broken');
    cpSync(order, broken, { recursive: true });
    writeFileSync(path.join(broken, 'prj.conf'), 'CONFIG_NO_SUCH_SYMBOL=y\n');
    writeFileSync(path.join(broken, 'sample.yaml'), 'tests:\n  broken.build:\n    integration_platforms: [qemu_x86]\n');

    const out = outDir();
    const r = zsim(['twister', '-T', root, '-O', out, '--inline-logs']);
    expect(r.code).toBe(1);
    const doc = readJson(out);
    expect(doc.testsuites.map((s) => [s.name, s.status])).toEqual([
      ['broken.build', 'error'],
      ['order.ordered', 'failed'],
      ['order.unordered', 'passed'],
      ['order.build_only', 'not run'],
    ]);
    expect(suite(doc, 'broken.build').reason).toMatch(/^Build failure: .*NO_SUCH_SYMBOL/);
    expect(suite(doc, 'order.ordered').reason).toBe('app finished; console harness did not match /Booting Zephyr/ (in order)');
    expect(suite(doc, 'order.build_only')).toMatchObject({ reason: 'build_only', runnable: false });
    // As twister counts: a configuration built only is in the denominator.
    expect(r.stdout).toContain('1 of 4 executed test configurations passed (25.00%), 1 built (not run), 1 failed, 1 errored');
    // --inline-logs: the failed run's console is printed instead of its path.
    expect(r.stdout).toContain('Hello World! qemu_x86/atom');
    expect(r.stdout).not.toContain('see: ');
  });

  it('takes -p as a board target or the plain name of its default target; variants are platforms of their own', () => {
    const out = outDir();
    const r = zsim(['twister', '-T', 'samples/hello_world', '-p', 'qemu_x86', '-p', 'qemu_x86/atom/nopae', '-O', out, '-j', '1']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(readJson(out).testsuites.map((s) => [s.platform, s.status])).toEqual([
      ['qemu_x86/atom', 'passed'],
      ['qemu_x86/atom/nopae', 'passed'],
    ]);
    expect(readFileSync(path.join(out, 'qemu_x86_atom_nopae/samples/hello_world/sample.basic.helloworld/zephyr/.config'), 'utf8')).toContain(
      'CONFIG_BOARD_TARGET="qemu_x86/atom/nopae"',
    );
  });

  it('usage errors exit 2', () => {
    const bad = zsim(['twister', '-p', 'no_such_board', '-T', 'samples/hello_world', '-O', outDir()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/zsim: error: unknown platform 'no_such_board'/);
    expect(zsim(['twister', '-T', 'no/such/dir', '-O', outDir()]).code).toBe(2);
  });
});
