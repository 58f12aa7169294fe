/**
 * Shared pieces of the MQTT sample tests: `zsim run` in a child process whose output can be
 * watched while it runs, and mosquitto's own clients (`mosquitto_sub`, `mosquitto_pub`) as peers.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, ZSIM, zsim, type CliResult } from '../helpers/cli.ts';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';

export const PUBLISHER = path.join(ROOT, 'samples/net/mqtt_publisher');
export const SUBSCRIBER = path.join(ROOT, 'samples/net/mqtt_subscriber');

const MOSQ_SUB = '/usr/bin/mosquitto_sub';
const MOSQ_PUB = '/usr/bin/mosquitto_pub';

/** Children still running: killed when the test worker exits, even after a failed test. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

function track(p: ChildProcess): ChildProcess {
  live.add(p);
  p.once('exit', () => live.delete(p));
  return p;
}

/**
 * Whether the broker tests can run: mosquitto and mosquitto-clients. Under CI=true anything
 * missing fails the suite; elsewhere the tests are skipped with a message.
 */
export function haveMosquittoTools(suite: string): boolean {
  const clients = [MOSQ_SUB, MOSQ_PUB].every((f) => existsSync(f));
  if (mosquittoAvailable() && clients) return true;
  const what = clients ? 'mosquitto' : 'mosquitto_sub/mosquitto_pub (mosquitto-clients)';
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI=true`);
  console.warn(`test/samples_mqtt/${suite}: ${what} not installed; skipping the broker tests`);
  return false;
}

/** A mosquitto on a free loopback port, with `extra` config lines. */
export async function mosquittoOn(extra: string[] = []): Promise<{ broker: Mosquitto; port: number }> {
  const port = await freePort();
  const broker = await startMosquitto([`listener ${port} 127.0.0.1`, 'allow_anonymous true', ...extra], [port]);
  return { broker, port };
}

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

export interface Sub {
  /** Output lines, one per message (in mosquitto_sub's `-v` or `-F` format). */
  readonly messages: string[];
  /** Resolves once mosquitto_sub has its SUBACK. */
  readonly ready: Promise<void>;
  /** Resolves with the messages when there are `n` (or after `ms`). */
  waitFor(n: number, ms?: number): Promise<string[]>;
  stop(): void;
}

/**
 * `mosquitto_sub -t TOPIC -v` (or `-F FORMAT`) with `-d`, whose debug lines tell when the
 * subscription is in place; only the message lines are kept.
 */
export function mosquittoSub(port: number, topic: string, extra: string[] = [], format?: string): Sub {
  const fmt = format ? ['-F', `MSG ${format}`] : ['-v'];
  // stdbuf: mosquitto_sub's stdout is block-buffered on a pipe, which would hide the SUBACK line.
  const proc = track(spawn('stdbuf', ['-oL', MOSQ_SUB, '-h', '127.0.0.1', '-p', String(port), '-t', topic, '-d', ...fmt, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const messages: string[] = [];
  let partial = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  const waiters = new Set<() => void>();
  const isMessage = (l: string): boolean => (format ? l.startsWith('MSG ') : !/^(Client |Subscribed \(mid)/.test(l) && l !== '');
  proc.stdout!.on('data', (d) => {
    partial += String(d);
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      if (/received SUBACK/.test(l)) onReady();
      else if (isMessage(l)) messages.push(format ? l.slice(4) : l);
    }
    for (const w of [...waiters]) w();
  });
  return {
    messages,
    ready,
    waitFor: (n, ms = 10_000) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          resolve(messages);
        }, ms);
        const check = (): void => {
          if (messages.length >= n) {
            clearTimeout(timer);
            waiters.delete(check);
            resolve(messages);
          }
        };
        waiters.add(check);
        check();
      }),
    stop: () => void proc.kill('SIGKILL'),
  };
}

/** `mosquitto_pub -t TOPIC -m MESSAGE [extra]`; resolves with its exit status. */
export function mosquittoPub(port: number, topic: string, message: string, extra: string[] = []): Promise<number> {
  return new Promise((resolve) => {
    const proc = track(spawn(MOSQ_PUB, ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-m', message, ...extra], { stdio: 'ignore' }));
    proc.on('exit', (code) => resolve(code ?? -1));
  });
}

/** `mosquitto_pub` run to completion, for a file payload (`-f FILE`). */
export function mosquittoPubFile(port: number, topic: string, file: string, extra: string[] = []): number {
  return spawnSync(MOSQ_PUB, ['-h', '127.0.0.1', '-p', String(port), '-t', topic, '-f', file, ...extra]).status ?? -1;
}
