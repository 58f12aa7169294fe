/**
 * `zsim pub` and `zsim sub` together, against `zsim broker` (the embedded broker, as a child
 * process): nothing but zsim on either side.
 */
import mqtt from 'mqtt';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.ts';
import { freePort } from '../helpers/mosquitto.ts';
import { zsimRun, zsimSpawn, type ZsimProc } from './helpers.ts';

let broker: ZsimProc;
let port = 0;

/** `zsim broker ARGS` as a child process, once it says where it listens. */
async function startBroker(args: string[]): Promise<ZsimProc> {
  const b = zsimSpawn(['broker', ...args]);
  const up = await new Promise<boolean>((resolve) => {
    const t = setTimeout(() => resolve(false), 20_000);
    b.proc.stdout!.on('data', () => {
      if (/listening on/.test(b.stdout())) {
        clearTimeout(t);
        resolve(true);
      }
    });
  });
  if (!up) throw new Error(`zsim broker did not start: ${b.stderr()}`);
  return b;
}

beforeAll(async () => {
  port = await freePort();
  broker = await startBroker(['--port', String(port)]);
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

describe('zsim broker --ws', () => {
  it('serves MQTT over websocket: MQTT.js subscribes, the publisher sample publishes with overlay-websocket.conf', async () => {
    const wsPort = await freePort();
    const b = await startBroker(['--ws', '--port', String(wsPort)]);
    try {
      expect(b.stdout()).toContain(`zsim broker: listening on ws://127.0.0.1:${wsPort}`);
      const sub = await mqtt.connectAsync(`ws://127.0.0.1:${wsPort}/mqtt`, { clientId: 'ws-peer', reconnectPeriod: 0 });
      const got: string[] = [];
      sub.on('message', (t, m) => got.push(`${t} ${m.toString()}`));
      await sub.subscribeAsync('sensors', { qos: 2 });
      const r = await zsimRun(['run', '-b', 'qemu_x86', path.join(ROOT, 'samples/net/mqtt_publisher'), '--broker', `ws://127.0.0.1:${wsPort}`, '--',
        '-DEXTRA_CONF_FILE=overlay-websocket.conf', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=1']);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      for (let i = 0; i < 50 && got.length < 3; i++) await new Promise((res) => setTimeout(res, 40));
      await sub.endAsync();
      expect(got).toEqual(['sensors DOORS:OPEN_QoS0', 'sensors DOORS:OPEN_QoS1', 'sensors DOORS:OPEN_QoS2']);
    } finally {
      b.proc.kill('SIGTERM');
    }
  }, 60_000);
});
