/**
 * Shared pieces of the MQTT sample tests: `zsim run` in a child process whose output can be
 * watched while it runs, and mosquitto's own clients (`mosquitto_sub`, `mosquitto_pub`) as peers.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, ZSIM, track, zsim, type CliResult } from '../helpers/cli.ts';
import { haveMosquittoClients, mosquittoSub as sub, type Subscriber } from '../helpers/mosquitto_clients.ts';

export { mosquittoOn } from '../helpers/mosquitto.ts';
export { mosquittoPub, mosquittoPubFile } from '../helpers/mosquitto_clients.ts';

export const PUBLISHER = path.join(ROOT, 'samples/net/mqtt_publisher');
export const SUBSCRIBER = path.join(ROOT, 'samples/net/mqtt_subscriber');

/** Whether the broker tests of test/samples_mqtt/`suite` can run (see haveMosquittoClients). */
export const haveMosquittoTools = (suite: string): boolean => haveMosquittoClients(`test/samples_mqtt/${suite}`);

export interface ZsimRun {
  /** stdout so far. */
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Resolves with stdout once it matches `re` (rejects when the run ends first or after `ms`). */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  /** Resolves when the process exits. */
  done: Promise<{ code: number; stdout: string; stderr: string }>;
  kill(): void;
}

/** `run ARGS...` with a fresh build directory, given before any `--` (CMake-style arguments). */
function withBuildDir(args: string[]): string[] {
  if (args[0] !== 'run' || args.includes('-d')) return args;
  return ['run', '-d', mkdtempSync(path.join(tmpdir(), 'zsim-build-')), ...args.slice(1)];
}

/** `zsim ARGS...` run to completion, in a fresh build directory. */
export function zsimRun(args: string[]): CliResult {
  return zsim(withBuildDir(args));
}

/** `zsim ARGS...` in a fresh build directory, not waited for. */
export function zsimAsync(args: string[]): ZsimRun {
  const withDir = withBuildDir(args);
  const proc = track(spawn(process.execPath, [ZSIM, ...withDir], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: undefined },
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let out = '';
  let err = '';
  const waiters = new Set<() => void>();
  let exited = false;
  proc.stdout!.on('data', (d) => {
    out += String(d);
    for (const w of [...waiters]) w();
  });
  proc.stderr!.on('data', (d) => (err += String(d)));
  const done = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    proc.once('close', (code) => {
      exited = true;
      for (const w of [...waiters]) w();
      resolve({ code: code ?? -1, stdout: out, stderr: err });
    });
  });
  return {
    stdout: () => out,
    stderr: () => err,
    waitFor: (re, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${re}\n--- stdout\n${out}\n--- stderr\n${err}`));
        }, ms);
        const check = (): void => {
          if (re.test(out)) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(out);
          } else if (exited) {
            clearTimeout(timer);
            waiters.delete(check);
            reject(new Error(`zsim exited before ${re}\n--- stdout\n${out}\n--- stderr\n${err}`));
          }
        };
        waiters.add(check);
        check();
      }),
    done,
    kill: () => void proc.kill('SIGKILL'),
  };
}

/** The console lines a run printed, without timestamps (`<inf> module: message`). */
export function logLines(stdout: string): string[] {
  return stdout.split('\n').filter(Boolean).map((l) => l.replace(/^\[\d\d:\d\d:\d\d\.\d{3},\d{3}\] /, ''));
}

/** The messages of one log module, in order. */
export function moduleLines(stdout: string, module: string): string[] {
  const re = new RegExp(`^<(?:inf|err|wrn|dbg)> ${module}: (.*)$`);
  return logLines(stdout).flatMap((l) => {
    const m = re.exec(l);
    return m ? [m[1]!] : [];
  });
}

/** `mosquitto_sub -v`: each message as `topic payload`. */
export const mosquittoSub = (port: number, topic: string, extra: string[] = []): Subscriber => sub(port, topic, extra, null);
