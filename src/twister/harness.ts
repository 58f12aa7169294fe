/**
 * The harnesses that judge a run from its console, after twister's (`twisterlib/harness.py`):
 * `console` (one regex, or several, in order or not), `ztest` (the ztest report), and none (the
 * run's exit status). A harness that has its verdict says so (`done`), and the run is stopped then,
 * as twister stops a device once its harness is satisfied.
 */
import type { RunResult } from '../kernel/sim.ts';
import type { CaseResult, TwisterStatus } from './types.ts';

/** A harness's verdict. */
export interface Verdict {
  status: TwisterStatus;
  reason?: string;
  testcases: CaseResult[];
}

/** Judges one run from its console lines. */
export interface Harness {
  /** Takes one complete console line (without its newline). */
  line(text: string): void;
  /** True once the verdict cannot change: the run may stop. */
  readonly done: boolean;
  /** The verdict, given how the run ended (`null` when the run was stopped by the harness). */
  finish(end: RunResult, execSeconds: number): Verdict;
}

const FAULT = /ZEPHYR FATAL ERROR/;

/** A twister (Python) regex as a JavaScript one: named groups are spelled `(?P<name>...)` there. */
export function pyRegex(src: string): RegExp {
  return new RegExp(src.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>'));
}

/** Why a run that ended without the harness's verdict failed. */
function endReason(end: RunResult, timeoutS: number): string {
  if (end.reason === 'time-limit') return `Timeout (${timeoutS} s simulated)`;
  if (end.reason === 'fatal' || end.reason === 'deadlock') return end.message;
  return `${end.message}`;
}

/** twister's `console` harness. */
export class ConsoleHarness implements Harness {
  private readonly patterns: RegExp[];
  private readonly ordered: boolean;
  private readonly oneLine: boolean;
  private readonly matched = new Set<number>();
  private next = 0;
  private fault = false;
  done = false;

  constructor(config: Record<string, unknown>, private readonly id: string, private readonly timeoutS: number) {
    const regex = config.regex;
    const list = Array.isArray(regex) ? regex.map(String) : regex === undefined ? [] : [String(regex)];
    this.oneLine = config.type !== 'multi_line';
    this.patterns = (this.oneLine ? list.slice(0, 1) : list).map(pyRegex);
    // twister's default is ordered matching.
    this.ordered = config.ordered === undefined ? true : Boolean(config.ordered);
    if (this.patterns.length === 0) throw new Error(`${id}: harness_config needs at least one regex`);
  }

  line(text: string): void {
    if (this.done) return;
    if (FAULT.test(text)) {
      this.fault = true;
      this.done = true;
      return;
    }
    if (this.ordered) {
      if (this.patterns[this.next]!.test(text)) this.next++;
      if (this.next >= this.patterns.length) this.done = true;
    } else {
      this.patterns.forEach((p, i) => {
        if (!this.matched.has(i) && p.test(text)) this.matched.add(i);
      });
      if (this.matched.size === this.patterns.length) this.done = true;
    }
  }

  private missing(): string[] {
    return this.patterns.filter((_, i) => (this.ordered ? i >= this.next : !this.matched.has(i))).map((p) => `/${p.source}/`);
  }

  finish(end: RunResult, execSeconds: number): Verdict {
    let status: TwisterStatus;
    let reason: string | undefined;
    if (this.fault) {
      status = 'failed';
      reason = end.reason === 'fatal' ? end.message : 'ZEPHYR FATAL ERROR on the console';
    } else if (this.done) {
      status = 'passed';
    } else {
      status = 'failed';
      reason = `${endReason(end, this.timeoutS)}; console harness did not match ${this.missing().join(', ')}${this.ordered && this.patterns.length > 1 ? ' (in order)' : ''}`;
    }
    return { status, reason, testcases: [{ identifier: this.id, status, execution_time: execSeconds, ...(reason ? { reason } : {}) }] };
  }
}

const SUITE_START = /Running TESTSUITE (\S+)/;
const CASE_START = /START - (?:test_)?(\S+)/;
const CASE_END = /(PASS|FAIL|SKIP) - (?:test_)?(\S+) in (\d*[.,]?\d*) seconds/;
const RUN_PASSED = 'PROJECT EXECUTION SUCCESSFUL';
const RUN_FAILED = 'PROJECT EXECUTION FAILED';

/** twister's `ztest` (`Test`) harness: one test case per ztest test, the verdict from the end report. */
export class ZtestHarness implements Harness {
  private suite = '';
  private readonly cases = new Map<string, CaseResult>();
  private started: string | null = null;
  private result: 'passed' | 'failed' | null = null;
  private fault = false;
  done = false;

  constructor(private readonly id: string, private readonly timeoutS: number) {}

  private caseId(name: string): string {
    return `${this.id}.${this.suite ? this.suite + '.' : ''}${name}`;
  }

  line(text: string): void {
    if (this.done) return;
    let m: RegExpExecArray | null;
    if (FAULT.test(text)) {
      this.fault = true;
      this.done = true;
    } else if ((m = SUITE_START.exec(text))) {
      this.suite = m[1]!;
    } else if ((m = CASE_END.exec(text))) {
      const status: TwisterStatus = m[1] === 'PASS' ? 'passed' : m[1] === 'FAIL' ? 'failed' : 'skipped';
      const id = this.caseId(m[2]!);
      this.cases.set(id, { identifier: id, status, execution_time: Number(m[3]!.replace(',', '.')) || 0, ...(status === 'skipped' ? { reason: 'ztest skip' } : {}) });
      this.started = null;
    } else if ((m = CASE_START.exec(text))) {
      this.started = this.caseId(m[1]!);
      this.cases.set(this.started, { identifier: this.started, status: 'failed', execution_time: 0, reason: 'did not end' });
    } else if (text.includes(RUN_PASSED)) {
      this.result = 'passed';
      this.done = true;
    } else if (text.includes(RUN_FAILED)) {
      this.result = 'failed';
      this.done = true;
    }
  }

  finish(end: RunResult): Verdict {
    const testcases = [...this.cases.values()];
    const failed = testcases.filter((c) => c.status === 'failed');
    let status: TwisterStatus;
    let reason: string | undefined;
    if (this.fault || (!this.result && end.reason === 'fatal')) {
      status = 'failed';
      reason = end.reason === 'fatal' ? end.message : 'ZEPHYR FATAL ERROR on the console';
      if (this.started) this.cases.get(this.started)!.reason = 'crashed';
    } else if (!this.result) {
      status = 'failed';
      reason = `${endReason(end, this.timeoutS)}; no PROJECT EXECUTION line`;
    } else if (this.result === 'failed' || failed.length > 0) {
      status = 'failed';
      reason = failed.length > 0 ? `${failed.length} of ${testcases.length} test cases failed: ${failed.map((c) => c.identifier).join(', ')}` : 'PROJECT EXECUTION FAILED';
    } else {
      status = 'passed';
    }
    if (testcases.length === 0) testcases.push({ identifier: this.id, status, execution_time: 0, ...(reason ? { reason } : {}) });
    return { status, reason, testcases };
  }
}

/** No harness (or `net`): the run's exit status decides. */
export class ExitHarness implements Harness {
  readonly done = false;
  private fault = false;
  constructor(private readonly id: string, private readonly timeoutS: number) {}

  line(text: string): void {
    if (FAULT.test(text)) this.fault = true;
  }

  finish(end: RunResult, execSeconds: number): Verdict {
    let status: TwisterStatus = 'passed';
    let reason: string | undefined;
    if (end.reason === 'time-limit') {
      status = 'failed';
      reason = endReason(end, this.timeoutS);
    } else if (end.exitCode !== 0 || this.fault) {
      status = 'failed';
      reason = end.message;
    }
    return { status, reason, testcases: [{ identifier: this.id, status, execution_time: execSeconds, ...(reason ? { reason } : {}) }] };
  }
}

/** Harnesses zsim runs; any other (pytest, robot, bluetooth, ...) is built only. */
export const RUNNABLE_HARNESSES = new Set(['', 'console', 'ztest', 'test', 'net']);

/** The harness for a scenario. */
export function makeHarness(harness: string, config: Record<string, unknown>, id: string, timeoutS: number): Harness {
  if (harness === 'console') return new ConsoleHarness(config, id, timeoutS);
  if (harness === 'ztest' || harness === 'test') return new ZtestHarness(id, timeoutS);
  return new ExitHarness(id, timeoutS);
}
