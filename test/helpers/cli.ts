/** Runs the real `zsim` command in a child process, as a user would. */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ZSIM = path.join(ROOT, 'bin/zsim.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `zsim ARGS...` from the repo root; a fresh build dir unless the args name one. */
export function zsim(args: string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string; input?: string } = {}): CliResult {
  const withDir = args[0] === 'run' && !args.includes('-d') && !args.includes('--build-dir')
    ? [...args, '-d', mkdtempSync(path.join(tmpdir(), 'zsim-build-'))]
    : args;
  const r = spawnSync(process.execPath, [ZSIM, ...withDir], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined, ...opts.env },
    encoding: 'utf8',
    input: opts.input,
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Children still running: killed when the test worker exits, even after a failed test. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

/** Has `p` killed when the test worker exits, if it still runs then. */
export function track<P extends ChildProcess>(p: P): P {
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}
