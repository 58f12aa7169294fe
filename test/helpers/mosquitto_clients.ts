/**
 * mosquitto's own clients (`mosquitto_sub`, `mosquitto_pub`) as independent peers of the code
 * under test, and the check that they are installed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { track } from './cli.ts';
import { mosquittoAvailable } from './mosquitto.ts';

export const MOSQ_SUB = '/usr/bin/mosquitto_sub';
export const MOSQ_PUB = '/usr/bin/mosquitto_pub';

/**
 * Whether the broker tests of `suite` (e.g. `test/tools/pub`) can run: mosquitto and
 * mosquitto-clients. Under CI=true anything missing fails the suite; elsewhere the tests are
 * skipped with a message.
 */
export function haveMosquittoClients(suite: string): boolean {
  const clients = [MOSQ_SUB, MOSQ_PUB].every((f) => existsSync(f));
  if (mosquittoAvailable() && clients) return true;
  const what = clients ? 'mosquitto' : 'mosquitto_sub/mosquitto_pub (mosquitto-clients)';
  if (process.env.CI === 'true') throw new Error(`${what} is required under CI=true`);
  console.warn(`${suite}: ${what} not installed; skipping the broker tests`);
  return false;
}

export interface Subscriber {
  /** One entry per message, in the `format` given (or `-v`'s `topic payload`). */
  readonly messages: string[];
  /** Resolves once mosquitto_sub has its SUBACK. */
  readonly ready: Promise<void>;
  /** Resolves with the messages when there are `n` (or after `ms`). */
  waitFor(n: number, ms?: number): Promise<string[]>;
  stop(): void;
}

/**
 * `mosquitto_sub -t TOPIC -F FORMAT [extra]` (`format` null: `-v`) with `-d`, whose debug lines
 * tell when the subscription is in place; only the message lines are kept.
 */
export function mosquittoSub(port: number, topic: string, extra: string[] = [], format: string | null = '%t %q %r %p'): Subscriber {
  const fmt = format !== null ? ['-F', `MSG ${format}`] : ['-v'];
  // stdbuf: mosquitto_sub's stdout is block-buffered on a pipe, which would hide the SUBACK line.
  const proc = track(spawn('stdbuf', ['-oL', MOSQ_SUB, '-h', '127.0.0.1', '-p', String(port), '-t', topic, '-d', ...fmt, ...extra], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  const messages: string[] = [];
  let partial = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((r) => (onReady = r));
  const waiters = new Set<() => void>();
  const isMessage = (l: string): boolean => (format !== null ? l.startsWith('MSG ') : !/^(Client |Subscribed \(mid)/.test(l) && l !== '');
  proc.stdout!.on('data', (d) => {
    partial += String(d);
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const l of lines) {
      if (/received SUBACK/.test(l)) onReady();
      else if (isMessage(l)) messages.push(format !== null ? l.slice(4) : l);
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
    // SIGKILL: a mosquitto_sub with -C may linger on SIGTERM once its broker is gone.
    stop: () => void proc.kill('SIGKILL'),
  };
}

/**
 * `mosquitto_pub -t TOPIC -m MESSAGE [extra]`; resolves with its exit status. It is a host
 * process: a board thread starts it without awaiting it.
 */
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
