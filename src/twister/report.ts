/**
 * twister's reports: `twister.json` (environment and testsuites[], the shape of twister's
 * `reports.py`), JUnit XML (`twister.xml`: one testcase per instance; `twister_report.xml`: one
 * per test case, grouped by platform), and the closing summary lines.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZSIM_VERSION } from '../kernel/init.ts';
import type { CaseResult, InstanceResult, TwisterStatus } from './types.ts';

/** Keeps printable text only (twister's `process_log`): XML 1.0 forbids most control characters. */
export function printable(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[^\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]/g, '');
}

function readLog(dir: string): string {
  for (const f of ['handler.log', 'build.log']) {
    const p = path.join(dir, f);
    if (existsSync(p)) return printable(readFileSync(p, 'utf8'));
  }
  return '';
}

/** One `testsuites[]` entry of twister.json. */
export interface JsonSuite {
  name: string;
  arch: string;
  platform: string;
  path: string;
  run_id: string;
  runnable: boolean;
  retries: number;
  status: TwisterStatus;
  reason?: string;
  log?: string;
  execution_time: string;
  build_time: string;
  /** zsim: simulated seconds the run lasted. */
  sim_time?: string;
  testcases: { identifier: string; execution_time: string; status: TwisterStatus; reason?: string }[];
}

/** twister.json. */
export interface TwisterJson {
  environment: { os: string; zephyr_version: string; toolchain: string; commit_date: string; run_date: string; options: Record<string, unknown> };
  testsuites: JsonSuite[];
}

const f2 = (n: number): string => n.toFixed(2);

/** The twister.json document for a run. */
export function twisterJson(results: InstanceResult[], options: Record<string, unknown>, runDate: Date): TwisterJson {
  const testsuites = results.map((r): JsonSuite => {
    const i = r.instance;
    const s: JsonSuite = {
      name: i.suite.name,
      arch: i.platform.arch,
      platform: i.platform.name,
      path: i.suite.relPath,
      run_id: r.run_id,
      runnable: r.status !== 'filtered' && r.status !== 'not run',
      retries: 0,
      status: r.status,
      execution_time: f2(r.execution_time),
      build_time: f2(r.build_time),
      testcases: r.testcases.map((c: CaseResult) => ({
        identifier: c.identifier,
        execution_time: f2(r.testcases.length === 1 ? r.execution_time : c.execution_time),
        status: c.status,
        ...(c.reason ? { reason: c.reason } : {}),
      })),
    };
    if (r.reason && r.status !== 'passed') s.reason = r.reason;
    if (r.status === 'failed' || r.status === 'error') s.log = readLog(i.buildDir);
    if (r.sim_time !== undefined) s.sim_time = r.sim_time.toFixed(3);
    return s;
  });
  return {
    environment: {
      os: os.platform() === 'win32' ? 'nt' : 'posix',
      zephyr_version: `zsim-v${ZSIM_VERSION}`,
      toolchain: 'zsim',
      commit_date: '',
      run_date: runDate.toISOString(),
      options,
    },
    testsuites,
  };
}

function esc(s: string): string {
  return printable(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a).map(([k, v]) => ` ${k}="${esc(String(v))}"`).join('');
}

interface XCase {
  name: string;
  classname: string;
  time: number;
  status: TwisterStatus;
  suiteStatus: TwisterStatus;
  runnable: boolean;
  reason: string;
  log: string;
}

/** twister's `xunit_testcase`: the element and which counter it adds to. */
function xcase(c: XCase): { xml: string; kind: 'fail' | 'pass' | 'error' | 'skip' } {
  const skipped = c.status === 'skipped' || c.status === 'filtered';
  const head = `    <testcase${attrs({ classname: c.classname, name: c.name, time: skipped ? 0 : c.time })}`;
  if (skipped) {
    const type = c.suiteStatus === 'passed' && !c.runnable ? 'build' : c.status;
    return { xml: `${head}>\n      <skipped${attrs({ type, message: c.reason })}/>\n    </testcase>`, kind: 'skip' };
  }
  if (c.status === 'failed' || c.status === 'error') {
    const tag = c.status === 'failed' ? 'failure' : 'error';
    const body = c.log ? `>${esc(c.log)}</${tag}>` : '/>';
    return { xml: `${head}>\n      <${tag}${attrs({ type: 'failure', message: c.reason })}${body}\n    </testcase>`, kind: c.status === 'failed' ? 'fail' : 'error' };
  }
  if (c.status === 'not run') {
    return { xml: `${head}>\n      <skipped${attrs({ type: 'build', message: 'built only' })}/>\n    </testcase>`, kind: 'skip' };
  }
  return { xml: `${head}/>`, kind: 'pass' };
}

/**
 * JUnit XML as twister writes it: one `<testsuite>` per platform with a `version` property;
 * `full` gives one `<testcase>` per test case (twister_report.xml), else one per instance
 * (twister.xml). Filtered instances are left out, as twister does without --detailed-skipped-report.
 */
export function junitXml(doc: TwisterJson, full: boolean, timestamp: string): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>', '<testsuites>'];
  const platforms = [...new Set(doc.testsuites.map((s) => s.platform))];
  for (const platform of platforms) {
    const suites = doc.testsuites.filter((s) => s.platform === platform && s.status !== 'filtered');
    if (suites.length === 0) continue;
    const count = { fail: 0, pass: 0, error: 0, skip: 0 };
    let duration = 0;
    const cases: string[] = [];
    for (const ts of suites) {
      const handlerTime = Number(ts.execution_time);
      duration += handlerTime;
      const list = full
        ? ts.testcases.map((tc) => ({ name: tc.identifier, classname: tc.identifier.split('.').slice(0, 2).join('.'), time: Number(tc.execution_time), status: tc.status, reason: tc.reason ?? ts.reason ?? 'Unknown' }))
        : [{ name: ts.name, classname: `${platform}:${ts.name}`, time: handlerTime, status: ts.status, reason: ts.reason ?? 'Unknown' }];
      for (const c of list) {
        const x = xcase({ ...c, suiteStatus: ts.status, runnable: ts.runnable, log: ts.log ?? '' });
        count[x.kind]++;
        cases.push(x.xml);
      }
    }
    const total = count.fail + count.pass + count.error + count.skip;
    out.push(`  <testsuite${attrs({ name: platform, timestamp, time: duration.toFixed(2), tests: total, failures: count.fail, errors: count.error, skipped: count.skip })}>`);
    out.push(`    <properties>\n      <property${attrs({ name: 'version', value: doc.environment.zephyr_version })}/>\n    </properties>`);
    out.push(...cases);
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return out.join('\n') + '\n';
}

/** Writes twister.json, twister.xml and twister_report.xml into `outDir`; returns the paths. */
export function writeReports(outDir: string, doc: TwisterJson, timestamp: string): string[] {
  const json = path.join(outDir, 'twister.json');
  const xml = path.join(outDir, 'twister.xml');
  const report = path.join(outDir, 'twister_report.xml');
  writeFileSync(json, JSON.stringify(doc, null, 4) + '\n');
  writeFileSync(xml, junitXml(doc, false, timestamp));
  writeFileSync(report, junitXml(doc, true, timestamp));
  return [json, xml, report];
}

/** Counts for the summary. */
export interface Totals {
  total: number;
  passed: number;
  failed: number;
  error: number;
  filtered: number;
  skipped: number;
  notrun: number;
  warnings: number;
  cases: number;
  passedCases: number;
  failedCases: number;
  errorCases: number;
  skippedCases: number;
  notrunCases: number;
}

export function totals(results: InstanceResult[]): Totals {
  const n = (s: TwisterStatus): number => results.filter((r) => r.status === s).length;
  const live = results.filter((r) => r.status !== 'filtered');
  const cases = live.flatMap((r) => r.testcases);
  const c = (s: TwisterStatus): number => cases.filter((x) => x.status === s).length;
  return {
    total: results.length, passed: n('passed'), failed: n('failed'), error: n('error'), filtered: n('filtered'), skipped: n('skipped'),
    notrun: n('not run'), warnings: 0,
    cases: cases.length, passedCases: c('passed'), failedCases: c('failed'), errorCases: c('error'), skippedCases: c('skipped'), notrunCases: c('not run'),
  };
}

/** twister's closing summary lines (without the `INFO    - ` prefix). */
export function summaryLines(t: Totals, seconds: number, platformsUsed: number, platformsTotal: number): string[] {
  const configs = t.total - t.filtered - t.skipped;
  const rate = configs > 0 ? (100 * t.passed) / configs : 0;
  const executedCases = t.cases - t.skippedCases - t.notrunCases;
  const caseRate = executedCases > 0 ? (100 * t.passedCases) / executedCases : 0;
  const executed = t.total - t.filtered - t.skipped - t.notrun;
  const lines = [
    `${t.passed} of ${configs} executed test configurations passed (${rate.toFixed(2)}%), ${t.notrun} built (not run), ${t.failed} failed, ${t.error} errored, with ${t.warnings || 'no'} warnings in ${seconds.toFixed(2)} seconds.`,
    `${t.passedCases} of ${executedCases} executed test cases passed (${caseRate.toFixed(2)}%)` +
      `${t.failedCases ? `, ${t.failedCases} failed` : ''}${t.errorCases ? `, ${t.errorCases} errored` : ''}` +
      ` on ${platformsUsed} out of total ${platformsTotal} platforms (${platformsTotal ? ((100 * platformsUsed) / platformsTotal).toFixed(2) : '0.00'}%).`,
  ];
  if (t.skippedCases || t.notrunCases) {
    lines.push(`${t.skippedCases + t.notrunCases} selected test cases not executed:${t.skippedCases ? ` ${t.skippedCases} skipped` : ''}${t.notrunCases ? `${t.skippedCases ? ',' : ''} ${t.notrunCases} not run (built only)` : ''}.`);
  }
  lines.push(`${executed} test configurations executed on platforms, ${t.notrun} test configurations were only built.`);
  return lines;
}
