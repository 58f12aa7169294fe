/**
 * `zsim pub` / `zsim sub` as child processes (a user's shell would run them the same way), and
 * the check that mosquitto and its clients are here (under CI=true, their absence fails).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { haveMosquittoClients } from '../helpers/mosquitto_clients.ts';
import { ROOT, ZSIM, track } from '../helpers/cli.ts';

export interface ZsimProc {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches `re` (or after `ms`, with whether it matched). */
  waitStderr(re: RegExp, ms?: number): Promise<boolean>;
  /** Resolves when stdout has `n` lines (or after `ms`). */
  waitLines(n: number, ms?: number): Promise<string[]>;
  /** The exit code and everything printed. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  kill(): void;
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');

/** Starts `zsim ARGS...`; stdin is a pipe the test may write to (it is closed unless `keepStdin`). */
export function zsimSpawn(args: string[], opts: { keepStdin?: boolean } = {}): ZsimProc {
  const proc = track(spawn(process.execPath, [ZSIM, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    stdio: ['pipe', 'pipe', 'pipe'],
  }));
  if (!opts.keepStdin) proc.stdin!.end();
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  const poke = (): void => {
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout!.on('data', (d) => {
    out += String(d);
    poke();
  });
  proc.stderr!.on('data', (d) => {
    err += String(d);
    poke();
  });
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    proc.once('close', (code) => {
      poke();
      resolve({ code: code ?? -1, stdout: out, stderr: err });
    });
  });
  const until = (ok: () => boolean, ms: number): Promise<boolean> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => resolve(ok()), ms);
      const check = (): void => {
        if (ok() || proc.exitCode !== null) {
          clearTimeout(timer);
          resolve(ok());
        } else waiters.push(check);
      };
      check();
    });
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    waitStderr: (re, ms = 15_000) => until(() => re.test(err), ms),
    waitLines: async (n, ms = 15_000) => {
      await until(() => lines(out).length >= n, ms);
      return lines(out);
    },
    done,
    kill: () => void proc.kill('SIGKILL'),
  };
}

/** Runs `zsim ARGS...` to the end. */
export function zsimRun(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const p = zsimSpawn(args, { keepStdin: input !== undefined });
  if (input !== undefined) p.proc.stdin!.end(input);
  return p.done;
}

/** Whether the broker tests of test/tools/`suite` can run (see haveMosquittoClients). */
export const haveMosquittoTools = (suite: string): boolean => haveMosquittoClients(`test/tools/${suite}`);
