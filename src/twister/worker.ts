/**
 * One test instance, start to end: build the app for the board with the scenario's extra_configs
 * and extra_args, run it in virtual time with the scenario's timeout as the time limit (networked
 * apps get the embedded broker, as with `zsim run`), feed the console to the harness and stop the
 * run once the harness has its verdict. Writes `build.log` and `handler.log` in the build directory.
 *
 * `runJob` runs in a child process per instance (`worker_main.ts`): a simulation leaves threads and
 * timers behind when the harness stops it early, and one process per run, as twister has one QEMU
 * per run, makes that harmless and lets `-j` run instances side by side.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findBoard } from '../build/boards.ts';
import { westBuild } from '../build/build.ts';
import { resolveModules } from '../build/manifest.ts';
import { runCommand } from '../cli/run.ts';
import type { ConsoleSink, LogRecord } from '../kernel/console.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { RunResult, Simulation } from '../kernel/sim.ts';
import { formatHexdump, formatLogLine } from '../logging/log_output.ts';
import { makeHarness, RUNNABLE_HARNESSES, type Harness } from './harness.ts';
import type { Job, JobResult } from './types.ts';

/** The build inputs a scenario asks for. */
export interface BuildArgs {
  defines: string[];
  extraConfFiles: string[];
  confFile: string[];
  /** What was ignored, and why. */
  notes: string[];
}

/** Applies twister's `arch:ARCH:` / `platform:NAME:` prefixes of extra_configs and extra_args. */
function forTarget(item: string, board: readonly string[], arch: string): string | null {
  const m = /^(arch|platform|simulation):([^:]+):(.*)$/.exec(item);
  if (!m) return item;
  const match = m[1] === 'arch' ? m[2] === arch : m[1] === 'platform' ? board.includes(m[2]!) : false;
  return match ? m[3]! : null;
}

/** extra_configs become `-DCONFIG_...`; extra_args map to zsim's CMake-like inputs or are noted. */
export function buildArgs(job: Pick<Job, 'scenario' | 'board' | 'boardAliases'>, arch: string): BuildArgs {
  const out: BuildArgs = { defines: [], extraConfFiles: [], confFile: [], notes: [] };
  const names = [job.board, ...(job.boardAliases ?? [])];
  for (const raw of job.scenario.extra_configs) {
    const c = forTarget(raw, names, arch);
    if (c === null) continue;
    if (/^CONFIG_\w+=/.test(c)) out.defines.push(c);
    else out.notes.push(`extra_configs '${raw}' ignored: expected CONFIG_NAME=value`);
  }
  for (const raw of job.scenario.extra_args) {
    const a = forTarget(raw.replace(/^-D/, ''), names, arch);
    if (a === null) continue;
    const m = /^(\w+)=(.*)$/.exec(a);
    const value = m ? m[2]!.replace(/^"(.*)"$/, '$1') : '';
    const files = value.split(/[;\s]+/).filter(Boolean);
    if (m && m[1]!.startsWith('CONFIG_')) out.defines.push(`${m[1]}=${value}`);
    else if (m && (m[1] === 'EXTRA_CONF_FILE' || m[1] === 'OVERLAY_CONFIG')) out.extraConfFiles.push(...files);
    else if (m && m[1] === 'CONF_FILE') out.confFile.push(...files);
    else out.notes.push(`extra_args '${raw}' ignored: zsim has no equivalent`);
  }
  return out;
}

/** A console that feeds complete lines to the harness and to `handler.log`. */
class HarnessConsole implements ConsoleSink {
  private partial = '';
  private readonly lines: string[] = [];
  constructor(private readonly harness: Harness, private readonly onDone: () => void) {}

  private emit(line: string): void {
    this.lines.push(line);
    this.harness.line(line);
    if (this.harness.done) this.onDone();
  }

  printk(_k: Kernel, text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop()!;
    for (const p of parts) this.emit(p.replace(/\r$/, ''));
  }

  log(k: Kernel, rec: LogRecord): void {
    const o = { uptimeNs: k.uptimeNs(), level: rec.level, module: rec.module, message: rec.message, color: false };
    if (rec.hexdump) for (const l of formatHexdump({ ...o, data: rec.hexdump })) this.emit(l);
    else this.emit(formatLogLine(o));
  }

  /** The text of handler.log, the unterminated last line included. */
  text(): string {
    return this.lines.join('\n') + (this.lines.length ? '\n' : '') + this.partial;
  }
}

/** Builds and runs one instance. Never throws: failures become the result's status and reason. */
export async function runJob(job: Job): Promise<JobResult> {
  const t = job.scenario;
  mkdirSync(job.buildDir, { recursive: true });
  const buildLog: string[] = [];
  const notes: string[] = [];
  const logBuild = (l: string): void => void buildLog.push(l);
  const writeBuildLog = (): void => writeFileSync(path.join(job.buildDir, 'build.log'), buildLog.join('\n') + (buildLog.length ? '\n' : ''));
  const result = (r: Partial<JobResult> & Pick<JobResult, 'status'>): JobResult => ({ build_time: 0, execution_time: 0, testcases: [], notes, ...r });

  let arch = '';
  let args: BuildArgs;
  const b0 = performance.now();
  try {
    arch = findBoard(job.board, resolveModules().boardRoots).arch;
    args = buildArgs(job, arch);
    for (const n of args.notes) {
      logBuild(`twister: ${n}`);
      notes.push(n);
    }
    await westBuild({
      board: job.board, app: job.app, buildDir: job.buildDir, pristine: 'auto',
      defines: args.defines, extraConfFiles: args.extraConfFiles, confFile: args.confFile.length ? args.confFile : undefined, log: logBuild,
    });
  } catch (e) {
    logBuild(e instanceof Error ? e.message : String(e));
    writeBuildLog();
    const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return result({ status: 'error', reason: `Build failure: ${first}`, build_time: (performance.now() - b0) / 1000, testcases: [{ identifier: t.name, status: 'error', execution_time: 0, reason: 'Build failure' }] });
  }
  const build_time = (performance.now() - b0) / 1000;
  writeBuildLog();

  if (t.build_only || !RUNNABLE_HARNESSES.has(t.harness)) {
    const reason = t.build_only ? 'build_only' : `harness '${t.harness}' is not supported by zsim: built only`;
    return result({ status: 'not run', reason, build_time, testcases: [{ identifier: t.name, status: 'not run', execution_time: 0, reason }] });
  }

  let harness: Harness;
  try {
    harness = makeHarness(t.harness, t.harness_config, t.name, t.timeout);
  } catch (e) {
    return result({ status: 'error', reason: (e as Error).message, build_time });
  }
  let sim: Simulation | null = null;
  const sink = new HarnessConsole(harness, () => sim?.stop('harness'));
  const r0 = performance.now();
  let end: RunResult;
  try {
    const out = await runCommand(
      {
        board: job.board, app: job.app, buildDir: job.buildDir, pristine: 'never', time: t.timeout, seed: job.seed,
        realtime: false, json: false, defines: args.defines, extraConfFiles: args.extraConfFiles,
        confFile: args.confFile.length ? args.confFile : undefined, creds: [],
      },
      process.stdout,
      logBuild,
      { console: sink, onStart: (s) => (sim = s) },
    );
    end = out.result;
  } catch (e) {
    writeFileSync(path.join(job.buildDir, 'handler.log'), sink.text() + `\n${(e as Error).stack ?? String(e)}\n`);
    return result({ status: 'error', reason: `Run failure: ${(e as Error).message.split('\n')[0]}`, build_time, execution_time: (performance.now() - r0) / 1000 });
  }
  const execution_time = (performance.now() - r0) / 1000;
  writeFileSync(path.join(job.buildDir, 'handler.log'), sink.text() + `zsim: ${end.message}\n`);
  const v = harness.finish(end, execution_time);
  return result({ status: v.status, reason: v.reason, build_time, execution_time, sim_time: end.timeNs / 1e9, testcases: v.testcases });
}
