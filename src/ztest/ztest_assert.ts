/**
 * ztest's checks (`<zephyr/ztest_assert.h>`): `zassert_*` fails the test and ends it, `zassume_*`
 * skips it and ends it, `zexpect_*` marks it failed and lets it go on. Each prints Zephyr's line
 * (`    Assertion failed at FILE:LINE: suite_test: reason`) followed by the caller's message,
 * formatted like printk.
 *
 * C's macros know the file and line of the check; here they come from the caller's stack frame,
 * which the app bundle's source map points back at the app's `.ts` file.
 */
import path from 'node:path';
import { cpu } from '../kernel/cpu.ts';
import { cprintf } from '../libc/printf.ts';
import { ztestEnd, ztestState } from './ztest_state.ts';

type Kind = 'assert' | 'assume' | 'expect';

const LABEL: Record<Kind, string> = { assert: 'Assertion', assume: 'Assumption', expect: 'Expectation' };

/** `FILE:LINE` of the code that called `fn` (the check), relative to the working directory when inside it. */
function callerLocation(fn: (...args: never[]) => void): string {
  const holder: { stack?: string } = {};
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 2;
  Error.captureStackTrace(holder, fn);
  Error.stackTraceLimit = limit;
  const frame = holder.stack?.split('\n')[1] ?? '';
  const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?\s*$/.exec(frame);
  if (!m) return 'unknown:0';
  let file = m[1]!.replace(/^file:\/\//, '');
  const rel = path.relative(process.cwd(), file);
  if (!rel.startsWith('..') && !path.isAbsolute(rel)) file = rel;
  return `${file}:${m[2]}`;
}

/** A value as the failure message shows it. */
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return `${v}`;
  if (v instanceof Uint8Array) return `[${[...v].join(', ')}]`;
  if (v === null) return 'NULL';
  return String(v);
}

function check(kind: Kind, ok: boolean, reason: () => string, msg: string | undefined, args: unknown[], fn: (...a: never[]) => void): void {
  const s = ztestState(`z${kind}`);
  if (ok) return;
  const k = cpu.kernel!;
  k.printk(`\n    ${LABEL[kind]} failed at ${callerLocation(fn)}: ${s.func}: ${reason()}\n`);
  if (msg !== undefined) k.printk(`${cprintf(msg, args)}\n`);
  if (kind === 'expect') {
    s.failedExpectation = true;
    return;
  }
  const result = kind === 'assert' ? 'fail' : 'skip';
  if (s.phase === 'after' || s.phase === 'teardown' || s.phase === 'framework') {
    k.printk(` ERROR: cannot ${result} in test phase '${s.phase}()', bailing\n`);
    s.criticalError = true;
  }
  s.current = result;
  ztestEnd(s, result);
}

function bytes(v: ArrayLike<number>, size: number): number[] {
  return Array.from({ length: size }, (_, i) => v[i] ?? -1);
}

// The checks, shared by the three families. Each returns the reason shown when it fails, or null.
const T = {
  true: (c: unknown) => (c ? null : 'cond is false'),
  false: (c: unknown) => (!c ? null : 'cond is true'),
  ok: (c: unknown) => (!c ? null : `${show(c)} is non-zero`),
  not_ok: (c: unknown) => (c ? null : 'cond is zero'),
  is_null: (p: unknown) => (p === null || p === undefined ? null : `${show(p)} is not NULL`),
  not_null: (p: unknown) => (p !== null && p !== undefined ? null : 'ptr is NULL'),
  equal: (a: unknown, b: unknown) => (a === b ? null : `${show(a)} not equal to ${show(b)}`),
  not_equal: (a: unknown, b: unknown) => (a !== b ? null : `${show(a)} equal to ${show(b)}`),
  within: (a: number, b: number, d: number) => (Math.abs(a - b) <= d ? null : `${a} not within ${b} +/- ${d}`),
  between: (a: number, lo: number, hi: number) => (a >= lo && a <= hi ? null : `${a} not between ${lo} and ${hi} inclusive`),
  mem: (a: ArrayLike<number>, b: ArrayLike<number>, n: number) => {
    const x = bytes(a, n);
    const y = bytes(b, n);
    return x.every((v, i) => v === y[i]) ? null : `memory mismatch: [${x.join(', ')}] != [${y.join(', ')}]`;
  },
  str: (a: string, b: string) => (a === b ? null : `${show(a)} not equal to ${show(b)}`),
};

function run(kind: Kind, reason: string | null, msg: string | undefined, args: unknown[], fn: (...a: never[]) => void): void {
  check(kind, reason === null, () => reason!, msg, args, fn);
}

/** `zassert_true(cond, msg, ...)`: fails the test unless `cond` is truthy. */
export function zassert_true(cond: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.true(cond), msg, args, zassert_true); }
/** `zassert_false(cond, msg, ...)`. */
export function zassert_false(cond: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.false(cond), msg, args, zassert_false); }
/** `zassert_ok(rc, msg, ...)`: fails unless `rc` is 0 (or falsy). */
export function zassert_ok(rc: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.ok(rc), msg, args, zassert_ok); }
/** `zassert_not_ok(rc, msg, ...)`. */
export function zassert_not_ok(rc: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.not_ok(rc), msg, args, zassert_not_ok); }
/** `zassert_is_null(p, msg, ...)`: null or undefined. */
export function zassert_is_null(p: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.is_null(p), msg, args, zassert_is_null); }
/** `zassert_not_null(p, msg, ...)`. */
export function zassert_not_null(p: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.not_null(p), msg, args, zassert_not_null); }
/** `zassert_equal(a, b, msg, ...)`: strict equality (`===`). */
export function zassert_equal(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.equal(a, b), msg, args, zassert_equal); }
/** `zassert_not_equal(a, b, msg, ...)`. */
export function zassert_not_equal(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.not_equal(a, b), msg, args, zassert_not_equal); }
/** `zassert_equal_ptr(a, b, msg, ...)`: the same object. */
export function zassert_equal_ptr(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('assert', T.equal(a, b), msg, args, zassert_equal_ptr); }
/** `zassert_within(a, b, delta, msg, ...)`: `|a - b| <= delta`. */
export function zassert_within(a: number, b: number, delta: number, msg?: string, ...args: unknown[]): void { run('assert', T.within(a, b, delta), msg, args, zassert_within); }
/** `zassert_between_inclusive(a, lower, upper, msg, ...)`. */
export function zassert_between_inclusive(a: number, lower: number, upper: number, msg?: string, ...args: unknown[]): void { run('assert', T.between(a, lower, upper), msg, args, zassert_between_inclusive); }
/** `zassert_mem_equal(a, b, size, msg, ...)`: the first `size` bytes are equal. */
export function zassert_mem_equal(a: ArrayLike<number>, b: ArrayLike<number>, size: number, msg?: string, ...args: unknown[]): void { run('assert', T.mem(a, b, size), msg, args, zassert_mem_equal); }
/** `zassert_str_equal(a, b, msg, ...)`. */
export function zassert_str_equal(a: string, b: string, msg?: string, ...args: unknown[]): void { run('assert', T.str(a, b), msg, args, zassert_str_equal); }
/** `zassert_unreachable(msg, ...)`: always fails. */
export function zassert_unreachable(msg?: string, ...args: unknown[]): void { run('assert', 'Reached unreachable code', msg, args, zassert_unreachable); }

/** `zassume_true(cond, msg, ...)`: skips the test unless `cond` is truthy. */
export function zassume_true(cond: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.true(cond), msg, args, zassume_true); }
/** `zassume_false(cond, msg, ...)`. */
export function zassume_false(cond: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.false(cond), msg, args, zassume_false); }
/** `zassume_ok(rc, msg, ...)`. */
export function zassume_ok(rc: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.ok(rc), msg, args, zassume_ok); }
/** `zassume_is_null(p, msg, ...)`. */
export function zassume_is_null(p: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.is_null(p), msg, args, zassume_is_null); }
/** `zassume_not_null(p, msg, ...)`. */
export function zassume_not_null(p: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.not_null(p), msg, args, zassume_not_null); }
/** `zassume_equal(a, b, msg, ...)`. */
export function zassume_equal(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.equal(a, b), msg, args, zassume_equal); }
/** `zassume_not_equal(a, b, msg, ...)`. */
export function zassume_not_equal(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('assume', T.not_equal(a, b), msg, args, zassume_not_equal); }
/** `zassume_within(a, b, delta, msg, ...)`. */
export function zassume_within(a: number, b: number, delta: number, msg?: string, ...args: unknown[]): void { run('assume', T.within(a, b, delta), msg, args, zassume_within); }
/** `zassume_between_inclusive(a, lower, upper, msg, ...)`. */
export function zassume_between_inclusive(a: number, lower: number, upper: number, msg?: string, ...args: unknown[]): void { run('assume', T.between(a, lower, upper), msg, args, zassume_between_inclusive); }
/** `zassume_mem_equal(a, b, size, msg, ...)`. */
export function zassume_mem_equal(a: ArrayLike<number>, b: ArrayLike<number>, size: number, msg?: string, ...args: unknown[]): void { run('assume', T.mem(a, b, size), msg, args, zassume_mem_equal); }

/** `zexpect_true(cond, msg, ...)`: marks the test failed and goes on unless `cond` is truthy. */
export function zexpect_true(cond: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.true(cond), msg, args, zexpect_true); }
/** `zexpect_false(cond, msg, ...)`. */
export function zexpect_false(cond: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.false(cond), msg, args, zexpect_false); }
/** `zexpect_ok(rc, msg, ...)`. */
export function zexpect_ok(rc: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.ok(rc), msg, args, zexpect_ok); }
/** `zexpect_is_null(p, msg, ...)`. */
export function zexpect_is_null(p: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.is_null(p), msg, args, zexpect_is_null); }
/** `zexpect_not_null(p, msg, ...)`. */
export function zexpect_not_null(p: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.not_null(p), msg, args, zexpect_not_null); }
/** `zexpect_equal(a, b, msg, ...)`. */
export function zexpect_equal(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.equal(a, b), msg, args, zexpect_equal); }
/** `zexpect_not_equal(a, b, msg, ...)`. */
export function zexpect_not_equal(a: unknown, b: unknown, msg?: string, ...args: unknown[]): void { run('expect', T.not_equal(a, b), msg, args, zexpect_not_equal); }
/** `zexpect_within(a, b, delta, msg, ...)`. */
export function zexpect_within(a: number, b: number, delta: number, msg?: string, ...args: unknown[]): void { run('expect', T.within(a, b, delta), msg, args, zexpect_within); }
/** `zexpect_between_inclusive(a, lower, upper, msg, ...)`. */
export function zexpect_between_inclusive(a: number, lower: number, upper: number, msg?: string, ...args: unknown[]): void { run('expect', T.between(a, lower, upper), msg, args, zexpect_between_inclusive); }
/** `zexpect_mem_equal(a, b, size, msg, ...)`. */
export function zexpect_mem_equal(a: ArrayLike<number>, b: ArrayLike<number>, size: number, msg?: string, ...args: unknown[]): void { run('expect', T.mem(a, b, size), msg, args, zexpect_mem_equal); }
