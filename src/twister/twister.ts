/**
 * `zsim twister`: discovers the test scenarios, plans them on platforms, builds and runs each in
 * a child process (`pool.ts`), judges it with its harness, prints twister's progress and summary,
 * and writes twister.json and the JUnit reports. Resolves to the exit status: 0 when every
 * configuration passed, was filtered or skipped, or was only built; 1 otherwise.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MultiBar, Presets, type SingleBar } from 'cli-progress';
import { ZSIM_ROOT } from '../build/boards.ts';
import { ZSIM_VERSION } from '../kernel/init.ts';
import { discoverSuites, loadPlatforms, planInstances } from './discover.ts';
import { runAll } from './pool.ts';
import { printable, summaryLines, totals, twisterJson, writeReports } from './report.ts';
import type { InstanceResult, Platform } from './types.ts';

export interface TwisterOptions {
  /** `-T`: folders to search for sample.yaml/testcase.yaml (default: the repo's samples/ and tests/). */
  testRoots: string[];
  /** `-p`. */
  platforms: string[];
  /** `--all`. */
  all: boolean;
  tags: string[];
  excludeTags: string[];
  /** `-O` (default `twister-out`). */
  outDir: string;
  inlineLogs: boolean;
  /** `-j`. */
  jobs: number;
  /** Progress bar on this stream when it is a terminal. */
  progress?: NodeJS.WriteStream;
}

/** A bad option, reported as a usage error (exit 2). */
export class TwisterUsageError extends Error {}

const INFO = 'INFO    - ';
const ERROR = 'ERROR   - ';

/** The default test roots: the repository's `samples/` and `tests/`, those that exist. */
export function defaultRoots(): string[] {
  return ['samples', 'tests'].map((d) => path.join(ZSIM_ROOT, d)).filter((d) => existsSync(d));
}

function statusWord(r: InstanceResult): string {
  return r.status === 'not run' ? 'NOT RUN' : r.status.toUpperCase();
}

/** Runs twister; `out` gets each line of output. */
export async function twister(opts: TwisterOptions, out: (line: string) => void): Promise<number> {
  const t0 = performance.now();
  const roots = opts.testRoots.length ? opts.testRoots.map((r) => path.resolve(r)) : defaultRoots();
  for (const r of roots) if (!existsSync(r) || !statSync(r).isDirectory()) throw new TwisterUsageError(`-T ${r}: no such folder`);
  const all = loadPlatforms();
  const chosen: Platform[] = opts.platforms.map((n) => {
    const p = all.find((x) => x.name === n || x.aliases.includes(n));
    if (!p) throw new TwisterUsageError(`unknown platform '${n}' (known: ${all.map((x) => x.name).join(', ')})`);
    return p;
  });
  const outDir = path.resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  out(`${INFO}Using zsim v${ZSIM_VERSION} (${ZSIM_ROOT})`);
  out(`${INFO}Using Node ${process.version}, running apps in virtual time`);
  const base = process.cwd();
  const suites = discoverSuites(roots);
  const instances = planInstances(suites, all, { platforms: chosen, all: opts.all, tags: opts.tags, excludeTags: opts.excludeTags, outDir });
  const filtered = instances.filter((i) => i.status === 'filtered').length;
  out(`${INFO}Building initial testsuite list...`);
  out(`${INFO}${suites.length} test scenarios (${instances.length} configurations) selected, ${filtered} configurations filtered (${filtered} by static filter, 0 at runtime).`);
  out(`${INFO}JOBS: ${opts.jobs}`);
  out(`${INFO}Adding tasks to the queue...`);

  const runnable = instances.length - filtered;
  const tty = opts.progress?.isTTY === true;
  let multi: MultiBar | null = null;
  let bar: SingleBar | null = null;
  if (tty && runnable > 0) {
    multi = new MultiBar(
      { stream: opts.progress, format: 'twister |{bar}| {value}/{total} {percentage}% | passed: {passed}, failed: {failed}, error: {error}, not run: {notrun}', hideCursor: true, clearOnComplete: true },
      Presets.shades_classic,
    );
    bar = multi.create(runnable, 0, { passed: 0, failed: 0, error: 0, notrun: 0 });
  }
  // On a terminal, lines go through the bar so that it redraws below them (update() renders now:
  // a log kept for the next tick would be lost when the last result stops the bar).
  const say = (line: string): void => {
    if (!multi) return out(line);
    multi.log(line + '\n');
    multi.update();
  };
  const counts = { passed: 0, failed: 0, error: 0, notrun: 0 };
  let done = 0;
  const onResult = (r: InstanceResult): void => {
    done++;
    if (r.status === 'passed') counts.passed++;
    else if (r.status === 'failed') counts.failed++;
    else if (r.status === 'error') counts.error++;
    else if (r.status === 'not run') counts.notrun++;
    const i = r.instance;
    const id = `${i.suite.relPath}/${i.suite.name}`;
    for (const n of r.notes) say(`${INFO}${id} on ${i.platform.name}: ${n}`);
    if (r.status === 'failed' || r.status === 'error') {
      say(`${ERROR}${i.platform.name.padEnd(25)} ${id.padEnd(50)} ${statusWord(r)}: ${r.reason ?? ''}`);
      const log = ['handler.log', 'build.log'].map((f) => path.join(i.buildDir, f)).find((f) => existsSync(f) && (r.status === 'failed' || f.endsWith('build.log')));
      if (log && opts.inlineLogs) {
        say(`${INFO}${'-'.repeat(20)} ${path.basename(log)} ${'-'.repeat(20)}\n${printable(readFileSync(log, 'utf8')).trimEnd()}\n${INFO}${'-'.repeat(50)}`);
      } else if (log) say(`${ERROR}see: ${log.startsWith(base + path.sep) ? path.relative(base, log) : log}`);
    }
    if (bar) bar.update(done, counts);
    else {
      const time = r.status === 'passed' || r.status === 'failed' ? ` (zsim ${r.execution_time.toFixed(3)}s${r.sim_time !== undefined ? `, ${r.sim_time.toFixed(3)}s simulated` : ''})` : '';
      out(`${INFO}${String(done).padStart(String(runnable).length)}/${runnable} ${i.platform.name.padEnd(25)} ${id.padEnd(50)} ${statusWord(r)}${time}`);
    }
  };
  const results = await runAll(instances, opts.jobs, onResult);
  multi?.stop();

  const t = totals(results);
  out(`${INFO}Total complete: ${String(done).padStart(4)}/${String(runnable).padStart(4)}  ${runnable ? Math.round((100 * done) / runnable) : 100}%  built (not run): ${String(t.notrun).padStart(4)}, filtered: ${String(t.filtered).padStart(4)}, failed: ${String(t.failed).padStart(4)}, error: ${String(t.error).padStart(4)}`);
  const bad = results.filter((r) => r.status === 'failed' || r.status === 'error');
  if (bad.length) {
    out(`${INFO}${'-+'.repeat(40)}`);
    out(`${INFO}The following issues were found (showing the all ${bad.length} items):`);
    bad.forEach((r, n) => out(`${INFO}${n + 1}) ${r.instance.suite.name} on ${r.instance.platform.name} ${r.status} (${r.reason ?? 'Unknown'})`));
    const ex = bad[0]!.instance;
    out(`${INFO}`);
    out(`${INFO}To rerun the tests, call zsim twister using the following commandline:`);
    out(`${INFO}zsim twister -p <PLATFORM> -T <APP FOLDER>, for example:`);
    out(`${INFO}`);
    out(`${INFO}zsim twister -p ${ex.platform.name} -T ${path.relative(base, ex.suite.appDir) || '.'}`);
    out(`${INFO}or with zsim run:`);
    out(`${INFO}zsim run -b ${ex.platform.name} ${path.relative(base, ex.suite.appDir) || '.'}`);
    out(`${INFO}${'-+'.repeat(40)}`);
  }
  const usedPlatforms = new Set(results.filter((r) => r.status !== 'filtered').map((r) => r.instance.platform.name)).size;
  for (const l of summaryLines(t, (performance.now() - t0) / 1000, usedPlatforms, all.length)) out(`${INFO}${l}`);

  const options: Record<string, unknown> = {
    testsuite_root: roots.map((r) => path.relative(base, r) || '.'),
    ...(opts.platforms.length ? { platform: opts.platforms } : {}),
    ...(opts.all ? { all: true } : {}),
    ...(opts.tags.length ? { tag: opts.tags } : {}),
    ...(opts.excludeTags.length ? { exclude_tag: opts.excludeTags } : {}),
    outdir: outDir,
    jobs: opts.jobs,
  };
  const now = new Date();
  out(`${INFO}Saving reports...`);
  const [json, xml, report] = writeReports(outDir, twisterJson(results, options, now), now.toISOString());
  out(`${INFO}Writing JSON report ${json}`);
  out(`${INFO}Writing xunit report ${xml}...`);
  out(`${INFO}Writing xunit report ${report}...`);
  out(`${INFO}Run completed`);
  return bad.length > 0 ? 1 : 0;
}
