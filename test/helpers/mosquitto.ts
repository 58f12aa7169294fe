/**
 * Starts a real mosquitto on free 127.0.0.1 ports for a test, with the config lines given, and
 * stops it afterwards. Under CI=true a missing mosquitto fails the test instead of skipping it.
 */
import { afterAll, beforeAll } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => spawnSync('test', ['-x', p]).status === 0) ?? null;

/** Whether mosquitto can run here; under CI a missing one is an error, not a skip. */
export function mosquittoAvailable(): boolean {
  if (BIN) return true;
  if (process.env.CI === 'true') throw new Error('mosquitto is required under CI=true (apt-get install mosquitto)');
  return false;
}

export { freePort } from '../../bench/harness.ts';
import { freePort } from '../../bench/harness.ts';

function waitPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => {
        c.destroy();
        resolve();
      });
      c.once('error', () => {
        c.destroy();
        if (Date.now() > until) reject(new Error(`mosquitto did not listen on ${port}`));
        else setTimeout(attempt, 30);
      });
    };
    attempt();
  });
}

export interface Mosquitto {
  dir: string;
  stop(): Promise<void>;
  log(): string;
  /** Resolves with the log once it matches `re` (the broker writes its log asynchronously). */
  waitLog(re: RegExp, ms?: number): Promise<string>;
}

/**
 * Starts mosquitto with `conf` (listener lines included; use `freePort()` for ports), waiting for
 * every port in `ports` to accept connections.
 */
export async function startMosquitto(conf: string[], ports: number[]): Promise<Mosquitto> {
  if (!BIN) throw new Error('mosquitto not installed');
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-mosq-'));
  const file = path.join(dir, 'mosquitto.conf');
  const lines = [...(process.getuid?.() === 0 ? ['user root'] : []), 'persistence false', ...conf];
  writeFileSync(file, lines.join('\n') + '\n');
  let out = '';
  const proc: ChildProcess = spawn(BIN, ['-c', file, '-v'], { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout!.on('data', (d) => (out += String(d)));
  proc.stderr!.on('data', (d) => (out += String(d)));
  try {
    await Promise.all(ports.map((p) => waitPort(p, 5000)));
  } catch (e) {
    proc.kill();
    throw new Error(`${(e as Error).message}\n${out}`);
  }
  return {
    dir,
    log: () => out,
    waitLog: async (re, ms = 5000) => {
      const until = Date.now() + ms;
      while (!re.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return out;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
      }),
  };
}

/** A mosquitto on a free loopback port that takes anonymous clients, with `extra` config lines. */
export async function mosquittoOn(extra: string[] = []): Promise<{ broker: Mosquitto; port: number }> {
  const port = await freePort();
  const broker = await startMosquitto([`listener ${port} 127.0.0.1`, 'allow_anonymous true', ...extra], [port]);
  return { broker, port };
}

export interface SuiteMosquitto {
  /** Its port, once the suite's tests run. */
  readonly port: number;
  readonly broker: Mosquitto;
}

/**
 * `mosquittoOn(extra)` shared by the tests of the enclosing file or describe block: started
 * before the first and stopped after the last. With `skip` (the tests are skipped for want of
 * mosquitto) it is not started.
 */
export function mosquittoForSuite(opts: { extra?: string[]; skip?: boolean } = {}): SuiteMosquitto {
  let started: { broker: Mosquitto; port: number } | undefined;
  beforeAll(async () => {
    if (!opts.skip) started = await mosquittoOn(opts.extra);
  }, 30_000);
  afterAll(async () => {
    await started?.broker.stop();
  });
  const get = (): { broker: Mosquitto; port: number } => {
    if (!started) throw new Error('mosquitto is not running (used outside the suite, or skipped)');
    return started;
  };
  return {
    get port() {
      return get().port;
    },
    get broker() {
      return get().broker;
    },
  };
}
