/**
 * `zsim pub` and `zsim sub` together, against `zsim broker` (the embedded broker, as a child
 * process): nothing but zsim on either side.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/mosquitto.ts';
import { zsimRun, zsimSpawn, type ZsimProc } from './helpers.ts';

let broker: ZsimProc;
let port = 0;

beforeAll(async () => {
  port = await freePort();
  broker = zsimSpawn(['broker', '--port', String(port)]);
  const up = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 20_000);
    broker.proc.stdout!.on('data', () => {
      if (/listening on/.test(broker.stdout())) {
        clearTimeout(t);
        resolve(true);
      }
    });
  });
  if (!up) throw new Error(`zsim broker did not start: ${broker.stderr()}`);
}, 30_000);
afterAll(() => {
  broker?.proc.kill('SIGTERM');
});

describe('zsim pub <-> zsim sub through zsim broker', () => {
  it('QoS 0/1/2, -l lines and a retained message', async () => {
    await zsimRun(['pub', '-p', String(port), '-t', 'zb/kept', '-m', 'retained', '-r', '-q', '1']);
    const sub = zsimSpawn(['sub', '-p', String(port), '-t', 'zb/#', '-q', '2', '-C', '6', '-v', '-d']);
    expect(await sub.waitStderr(/received SUBACK/)).toBe(true);
    expect(await sub.waitLines(1)).toEqual(['zb/kept retained']);
    for (const q of ['0', '1', '2']) {
      const r = await zsimRun(['pub', '-p', String(port), '-t', `zb/q${q}`, '-m', `qos ${q}`, '-q', q]);
      expect(r.code, r.stderr).toBe(0);
      await sub.waitLines(2 + Number(q));
    }
    const l = await zsimRun(['pub', '-p', String(port), '-t', 'zb/lines', '-l', '-q', '1'], 'a\nb\n');
    expect(l.code, l.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('zb/kept retained\nzb/q0 qos 0\nzb/q1 qos 1\nzb/q2 qos 2\nzb/lines a\nzb/lines b\n');
  }, 90_000);

  it('the will is published when the publisher dies, not when it disconnects', async () => {
    const sub = zsimSpawn(['sub', '-p', String(port), '-t', 'zb/will', '-C', '1', '-d']);
    expect(await sub.waitStderr(/received SUBACK/)).toBe(true);
    const clean = await zsimRun(['pub', '-p', String(port), '-t', 'zb/x', '-m', 'bye', '--will-topic', 'zb/will', '--will-payload', 'clean?']);
    expect(clean.code).toBe(0);
    const dying = zsimSpawn(['pub', '-p', String(port), '-t', 'zb/x', '-l', '--will-topic', 'zb/will', '--will-payload', 'gone', '-d'], { keepStdin: true });
    expect(await dying.waitStderr(/received CONNACK/)).toBe(true);
    dying.kill();
    const r = await sub.done;
    expect(r.stdout).toBe('gone\n');
  }, 90_000);
});
