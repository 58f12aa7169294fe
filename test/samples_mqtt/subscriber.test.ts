/**
 * samples/net/mqtt_subscriber: on the embedded broker (virtual time), and against a real
 * mosquitto fed by mosquitto_pub (each QoS, a payload far larger than rx_buf, retained messages,
 * messages queued in the persistent session while the sample is offline, the will on abort,
 * MQTT 5.0), and fed by the publisher sample.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { ECONNABORTED } from '../../src/libc/errno.ts';
import type { Mosquitto } from '../helpers/mosquitto.ts';
import {
  PUBLISHER, SUBSCRIBER, haveMosquittoTools, moduleLines, mosquittoOn, mosquittoPub, mosquittoPubFile, mosquittoSub,
  zsimAsync, zsimRun,
} from './helpers.ts';

const MOD = 'net_mqtt_subscriber_sample';
const TOPIC0 = 'zephyr/subscriber/qos0';
const TOPIC1 = 'zephyr/subscriber/qos1';
const TOPIC2 = 'zephyr/subscriber/qos2';

/** `-DCONFIG_NET_SAMPLE_APP_<K>=<V>` for each entry. */
const app = (cfg: Record<string, number | string>): string[] =>
  ['--', ...Object.entries(cfg).map(([k, v]) => `-DCONFIG_NET_SAMPLE_APP_${k}=${v}`)];

/** What the sample logged for each message: [topic, QoS, retain, payload text or summary]. */
function received(stdout: string): [string, number, number, string][] {
  const lines = moduleLines(stdout, MOD);
  const out: [string, number, number, string][] = [];
  lines.forEach((l, i) => {
    const m = /^PUBLISH packet id: \d+, topic: (\S+), QoS (\d), retain (\d), dup \d, \d+ bytes$/.exec(l);
    if (m) out.push([m[1]!, Number(m[2]), Number(m[3]), lines[i + 1]!.replace(/^payload: /, '')]);
  });
  return out;
}

describe('mqtt_subscriber on the embedded broker (virtual time)', () => {
  it('subscribes at QoS 2, 0, 1, 2, waits out CONFIG_NET_SAMPLE_APP_TIMEOUT_SEC, exits 0; two runs are identical', () => {
    const a = zsimRun(['run', '-b', 'qemu_x86', SUBSCRIBER]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(moduleLines(a.stdout, MOD)).toEqual([
      'attempting to connect: ',
      'MQTT client connected! (session present: 0)',
      'Subscribing to sensors (QoS 2)',
      `Subscribing to ${TOPIC0} (QoS 0)`,
      `Subscribing to ${TOPIC1} (QoS 1)`,
      `Subscribing to ${TOPIC2} (QoS 2)`,
      'mqtt_subscribe: 0 <OK>',
      'try_to_connect: 0 <OK>',
      'SUBACK packet id: 1, granted QoS: 2 0 1 2',
      'Stopping (time limit reached): 0 messages received',
      'MQTT client disconnected 0',
      'mqtt_disconnect: 0 <OK>',
      'Bye!',
    ]);
    expect(a.stdout).toMatch(/\[00:00:30\.\d{3},\d{3}\] <inf> net_mqtt_subscriber_sample: Bye!/);
    const b = zsimRun(['run', '-b', 'qemu_x86', SUBSCRIBER]);
    expect(b.stdout).toBe(a.stdout);
  }, 30_000);
});

const have = haveMosquittoTools('subscriber');

describe.skipIf(!have)('mqtt_subscriber against mosquitto (--broker, real time)', () => {
  let broker: Mosquitto | undefined;
  let port = 0;
  const start = async (): Promise<Mosquitto> => {
    const m = await mosquittoOn();
    broker = m.broker;
    port = m.port;
    return m.broker;
  };
  const subscriber = (args: string[]) => zsimAsync(['run', '-b', 'qemu_x86', SUBSCRIBER, '--broker', `mqtt://127.0.0.1:${port}`, ...args]);
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  it('gets what mosquitto_pub publishes at QoS 0, 1 and 2, acknowledged as MQTT wants, and a 5000-byte payload through a 128-byte rx_buf', async () => {
    const b = await start();
    const run = subscriber(app({ MAX_ITERATIONS: 4, TIMEOUT_SEC: 20 }));
    await run.waitFor(/SUBACK packet id/);
    expect(await mosquittoPub(port, TOPIC0, 'hello at QoS 0', ['-q', '0'])).toBe(0);
    expect(await mosquittoPub(port, TOPIC1, 'hello at QoS 1', ['-q', '1'])).toBe(0);
    expect(await mosquittoPub(port, TOPIC2, 'hello at QoS 2', ['-q', '2'])).toBe(0);
    const big = randomBytes(3750).toString('base64');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'zsim-big-')), 'big.txt');
    writeFileSync(file, big);
    expect(mosquittoPubFile(port, TOPIC2, file, ['-q', '2'])).toBe(0);
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const crc = `0x${crc32(Buffer.from(big)).toString(16).padStart(8, '0')}`;
    const got = received(r.stdout);
    expect(got.map((g) => g.slice(0, 3))).toEqual([[TOPIC0, 0, 0], [TOPIC1, 1, 0], [TOPIC2, 2, 0], [TOPIC2, 2, 0]]);
    expect(got.slice(0, 3).map((g) => g[3])).toEqual(['hello at QoS 0', 'hello at QoS 1', 'hello at QoS 2']);
    const summary = /^(\d+) bytes in (\d+) reads, crc32 (0x[0-9a-f]{8})$/.exec(got[3]![3])!;
    expect(summary[1]).toBe('5000');
    expect(Number(summary[2])).toBeGreaterThanOrEqual(Math.ceil(5000 / 64));
    expect(summary[3]).toBe(crc);
    const lines = moduleLines(r.stdout, MOD);
    expect(lines.filter((l) => l.startsWith('mqtt_publish_qos1_ack'))).toEqual(['mqtt_publish_qos1_ack: 0 <OK>']);
    expect(lines.filter((l) => l.startsWith('mqtt_publish_qos2_'))).toEqual([
      'mqtt_publish_qos2_receive: 0 <OK>', 'mqtt_publish_qos2_complete: 0 <OK>',
      'mqtt_publish_qos2_receive: 0 <OK>', 'mqtt_publish_qos2_complete: 0 <OK>',
    ]);
    expect(lines.slice(-4)).toEqual(['Stopping (all messages received): 4 messages received', 'MQTT client disconnected 0', 'mqtt_disconnect: 0 <OK>', 'Bye!']);
    // The broker's side of the handshakes.
    const log = await b.waitLog(/Received DISCONNECT from zephyr_subscriber/);
    expect(log.match(/Received PUBACK from zephyr_subscriber/g)).toHaveLength(1);
    expect(log.match(/Received PUBREC from zephyr_subscriber/g)).toHaveLength(2);
    expect(log.match(/Received PUBCOMP from zephyr_subscriber/g)).toHaveLength(2);
    expect(log).toMatch(/as zephyr_subscriber \(p2, c0, k60\)/);
  }, 30_000);

  it('persistent session: what is published while the sample is offline arrives after it reconnects, each message once', async () => {
    const b = await start();
    const run = subscriber(app({ MAX_ITERATIONS: 5, TIMEOUT_SEC: 20, OFFLINE_AFTER: 1, OFFLINE_MSECS: 3000 }));
    await run.waitFor(/SUBACK packet id/);
    await mosquittoPub(port, TOPIC1, 'before', ['-q', '1']);
    await run.waitFor(/Going offline for 3000 ms after 1 messages/);
    await b.waitLog(/Client zephyr_subscriber disconnected/);
    const offline = ['offline-1', 'offline-2', 'offline-3', 'offline-4'];
    for (const [i, msg] of offline.entries()) {
      const [topic, qos] = i % 2 === 0 ? [TOPIC1, '1'] : [TOPIC2, '2'];
      expect(await mosquittoPub(port, topic, msg, ['-q', qos])).toBe(0);
    }
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = moduleLines(r.stdout, MOD);
    expect(lines).toContain('MQTT client connected! (session present: 1)');
    expect(lines).toContain('Session resumed: the broker kept the subscriptions');
    // One SUBSCRIBE only: the second connection relies on the session.
    expect(lines.filter((l) => l === 'mqtt_subscribe: 0 <OK>')).toHaveLength(1);
    expect(received(r.stdout)).toEqual([
      [TOPIC1, 1, 0, 'before'],
      [TOPIC1, 1, 0, 'offline-1'], [TOPIC2, 2, 0, 'offline-2'], [TOPIC1, 1, 0, 'offline-3'], [TOPIC2, 2, 0, 'offline-4'],
    ]);
    expect(lines).toContain('Stopping (all messages received): 5 messages received');
  }, 30_000);

  it('persistent session across two runs of the sample (clean_session = 0, same client id)', async () => {
    await start();
    const first = subscriber(app({ MAX_ITERATIONS: 1, TIMEOUT_SEC: 20 }));
    await first.waitFor(/SUBACK packet id/);
    await mosquittoPub(port, TOPIC2, 'first', ['-q', '2']);
    expect((await first.done).code).toBe(0);
    for (const msg of ['queued-1', 'queued-2', 'queued-3']) expect(await mosquittoPub(port, TOPIC2, msg, ['-q', '2'])).toBe(0);
    const second = await subscriber(app({ MAX_ITERATIONS: 3, TIMEOUT_SEC: 20 })).done;
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(moduleLines(second.stdout, MOD).slice(0, 3)).toEqual([
      'attempting to connect: ', 'MQTT client connected! (session present: 1)', 'Session resumed: the broker kept the subscriptions',
    ]);
    expect(received(second.stdout).map((g) => g[3])).toEqual(['queued-1', 'queued-2', 'queued-3']);
  }, 30_000);

  it('mqtt_abort() at the end: the broker publishes the will ("offline"); mqtt_disconnect() does not', async () => {
    await start();
    const status = mosquittoSub(port, 'zephyr/subscriber/status', ['-q', '1']);
    await status.ready;
    const aborted = await subscriber([...app({ MAX_ITERATIONS: 0, TIMEOUT_SEC: 2 }), '-DCONFIG_NET_SAMPLE_APP_END_WITH_ABORT=y']).done;
    expect(aborted.code, aborted.stdout + aborted.stderr).toBe(0);
    expect(moduleLines(aborted.stdout, MOD).slice(-4)).toEqual([
      'Stopping (time limit reached): 0 messages received',
      `MQTT client disconnected ${-ECONNABORTED}`,
      'mqtt_abort: 0 <OK>',
      'Bye!',
    ]);
    expect(await status.waitFor(1)).toEqual(['zephyr/subscriber/status offline']);
    const clean = await subscriber(app({ MAX_ITERATIONS: 0, TIMEOUT_SEC: 2 })).done;
    expect(clean.code).toBe(0);
    expect(moduleLines(clean.stdout, MOD).at(-2)).toBe('mqtt_disconnect: 0 <OK>');
    await new Promise((r) => setTimeout(r, 500));
    status.stop();
    expect(status.messages).toEqual(['zephyr/subscriber/status offline']);
  }, 30_000);

  it('a retained message is delivered on subscribing, with the retain flag; a live one without', async () => {
    await start();
    expect(await mosquittoPub(port, TOPIC1, 'kept by the broker', ['-q', '1', '-r'])).toBe(0);
    const run = subscriber(app({ MAX_ITERATIONS: 2, TIMEOUT_SEC: 20 }));
    await run.waitFor(/payload: kept by the broker/);
    await mosquittoPub(port, TOPIC1, 'live', ['-q', '1']);
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(received(r.stdout)).toEqual([[TOPIC1, 1, 1, 'kept by the broker'], [TOPIC1, 1, 0, 'live']]);
  }, 30_000);

  it('overlay-mqtt-5.conf: connects as 5.0 with a session expiry, gets each QoS, and resumes its session after a reconnect', async () => {
    const b = await start();
    const run = subscriber([...app({ MAX_ITERATIONS: 5, TIMEOUT_SEC: 20, OFFLINE_AFTER: 3, OFFLINE_MSECS: 2000 }), '-DEXTRA_CONF_FILE=overlay-mqtt-5.conf']);
    await run.waitFor(/SUBACK packet id/);
    for (const [topic, qos] of [[TOPIC0, '0'], [TOPIC1, '1'], [TOPIC2, '2']] as const) {
      expect(await mosquittoPub(port, topic, `v5 QoS ${qos}`, ['-q', qos, '-V', 'mqttv5'])).toBe(0);
    }
    await run.waitFor(/Going offline/);
    await b.waitLog(/Client zephyr_subscriber disconnected/);
    expect(await mosquittoPub(port, TOPIC1, 'v5 offline 1', ['-q', '1', '-V', 'mqttv5'])).toBe(0);
    expect(await mosquittoPub(port, TOPIC2, 'v5 offline 2', ['-q', '2', '-V', 'mqttv5'])).toBe(0);
    const r = await run.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(received(r.stdout)).toEqual([
      [TOPIC0, 0, 0, 'v5 QoS 0'], [TOPIC1, 1, 0, 'v5 QoS 1'], [TOPIC2, 2, 0, 'v5 QoS 2'],
      [TOPIC1, 1, 0, 'v5 offline 1'], [TOPIC2, 2, 0, 'v5 offline 2'],
    ]);
    expect(moduleLines(r.stdout, MOD)).toContain('MQTT client connected! (session present: 1)');
    const log = b.log();
    expect(log).toMatch(/as zephyr_subscriber \(p5, c0, k60\)/);
  }, 30_000);

  it('receives the publisher sample: DOORS:OPEN_QoS0, _QoS1, _QoS2 on sensors', async () => {
    await start();
    const sub = subscriber(app({ MAX_ITERATIONS: 3, TIMEOUT_SEC: 20 }));
    await sub.waitFor(/SUBACK packet id/);
    const pub = await zsimAsync(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `mqtt://127.0.0.1:${port}`, '--', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=1']).done;
    expect(pub.code, pub.stdout + pub.stderr).toBe(0);
    const r = await sub.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    // Delivered at min(publish QoS, subscription QoS 2).
    expect(received(r.stdout)).toEqual([['sensors', 0, 0, 'DOORS:OPEN_QoS0'], ['sensors', 1, 0, 'DOORS:OPEN_QoS1'], ['sensors', 2, 0, 'DOORS:OPEN_QoS2']]);
  }, 30_000);
});
