/**
 * Runs instances in child processes, `jobs` at a time (twister's `-j`). Each child is
 * `worker_main.ts` under zsim's TypeScript loader (bin/ts-register.js); it reads `twister_job.json` and leaves `twister_result.json` in the
 * instance's build directory. A child that dies or outlives its wall-clock allowance becomes an
 * `error` result with the end of its stderr as the reason.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Instance, InstanceResult, Job, JobResult } from './types.ts';

const WORKER = fileURLToPath(new URL('./worker_main.ts', import.meta.url));

/** zsim's TypeScript loader, by absolute URL so that the child finds it whatever its working directory. */
const TS_LOADER = new URL('../../bin/ts-register.js', import.meta.url).href;

/** Wall-clock allowance for one instance: runs are in virtual time, so this only catches hangs. */
function wallLimitMs(inst: Instance): number {
  return Math.max(120, inst.suite.scenario.timeout * 5) * 1000;
}

function errorResult(inst: Instance, reason: string, started: number): JobResult {
  return {
    status: 'error', reason, build_time: 0, execution_time: (performance.now() - started) / 1000, notes: [],
    testcases: [{ identifier: inst.suite.name, status: 'error', execution_time: 0, reason }],
  };
}

/** Runs one instance in a child process. */
export function runInChild(inst: Instance, seed = 0): Promise<JobResult> {
  mkdirSync(inst.buildDir, { recursive: true });
  const jobFile = path.join(inst.buildDir, 'twister_job.json');
  const resultFile = path.join(inst.buildDir, 'twister_result.json');
  rmSync(resultFile, { force: true });
  const job: Job = { app: inst.suite.appDir, board: inst.platform.name, boardAliases: inst.platform.aliases, buildDir: inst.buildDir, scenario: inst.suite.scenario, seed };
  writeFileSync(jobFile, JSON.stringify(job, null, 2) + '\n');
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', TS_LOADER, WORKER, jobFile], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (d: string) => {
      stderr = (stderr + d).slice(-4000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, wallLimitMs(inst));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (existsSync(resultFile)) {
        try {
          resolve(JSON.parse(readFileSync(resultFile, 'utf8')) as JobResult);
          return;
        } catch {
          // fall through: an unreadable result is an error like a missing one
        }
      }
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      const why = timedOut ? `no result after ${wallLimitMs(inst) / 1000} s of wall-clock time` : `zsim worker exited (${signal ?? code})`;
      resolve(errorResult(inst, tail ? `${why}: ${tail}` : why, started));
    });
  });
}

/**
 * Runs every instance not already filtered, `jobs` at a time; `onResult` is told of each as it
 * ends. Resolves to the results in the instances' order (filtered ones included).
 */
export async function runAll(instances: Instance[], jobs: number, onResult: (r: InstanceResult) => void): Promise<InstanceResult[]> {
  const results: InstanceResult[] = new Array(instances.length);
  const todo: number[] = [];
  instances.forEach((inst, i) => {
    if (inst.status) {
      results[i] = {
        instance: inst, run_id: randomUUID(), status: inst.status, reason: inst.reason, build_time: 0, execution_time: 0, notes: [],
        testcases: [{ identifier: inst.suite.name, status: inst.status, execution_time: 0 }],
      };
    } else todo.push(i);
  });
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < todo.length) {
      const i = todo[next++]!;
      const r: InstanceResult = { ...(await runInChild(instances[i]!)), instance: instances[i]!, run_id: randomUUID() };
      results[i] = r;
      onResult(r);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, todo.length)) }, lane));
  return results;
}
