/**
 * Fleets over MQTT over WebSocket: the tick-tock sample with its overlay-websocket.conf talks to
 * the embedded broker's websocket listener (9001; wss with overlay-tls.conf and --cred) in
 * virtual time, and to a real mosquitto's websocket listener (`--broker ws://`, real time). The
 * wire tap reads the MQTT inside the frames, so the accounting is that of plain TCP. A broker URL
 * of the other transport is refused before any board runs.
 * Under CI=true a missing mosquitto fails instead of skipping.
 */
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetError } from '../../src/fleet/fleet.ts';
import { formatSummary } from '../../src/fleet/report.ts';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { fleet, qos, scenarioFile, TICKTOCK, tmp } from './helpers.ts';

const WS = { extraConfFiles: ['overlay-websocket.conf'] };
const WSS = { extraConfFiles: ['overlay-tls.conf', 'overlay-websocket.conf'], creds: [`1:ca:${path.join(TICKTOCK, 'certs/ca.pem')}`] };
// A QoS 1 and a QoS 2 tick every 10 s (each answered by a QoS 1 tock), then a halt.
const TICKS = 'events:\n  - { every: 10s, at: 5s, type: publish, topic: tick, qos: 1 }\n' +
  '  - { every: 10s, at: 7s, type: publish, topic: tick, qos: 2 }\n  - { at: 58s, type: publish, topic: control/all, payload: halt, qos: 1 }\n';

describe('zsim fleet with MQTT over WebSocket on the embedded broker (9001, virtual time)', () => {
  let dir: string;
  let scenario: string;
  let plain: Awaited<ReturnType<typeof fleet>>;
  beforeAll(async () => {
    dir = tmp();
    scenario = scenarioFile(dir, 'ticks.yaml', TICKS);
    plain = await fleet(path.join(dir, 'plain'), { count: 4, time: 60, scenario });
  }, 60_000);

  it('ws: every board connects over a websocket, QoS 1 and 2 counted, nothing lost; the same counts as over TCP', async () => {
    const r = await fleet(path.join(dir, 'ws'), { ...WS, count: 4, time: 60, scenario });
    expect(r.report.broker).toBe('embedded');
    expect(r.report.connections.connects).toBe(4);
    expect(r.report.board_states.finished).toBe(4);
    expect(r.report.log.errors).toBe(0);
    // 6 QoS 1 ticks, 6 QoS 2 ticks and the halt to each board; a QoS 1 tock for each tick.
    expect(qos(r, 1)).toMatchObject({ published: 7 + 48, delivered: 28, duplicated: 0, lost: 0, in_flight: 0 });
    expect(qos(r, 2)).toMatchObject({ published: 6, delivered: 24, duplicated: 0, lost: 0, in_flight: 0 });
    expect(r.report.messages).toEqual(plain.report.messages);
    expect(r.report.latency_ms.count).toBe(52);
    // MQTT bytes, not frames: the same as the TCP payload of the plain run, all of it inside websocket.
    expect(r.report.bytes).toEqual({ ...plain.report.bytes, ws: { sent: plain.report.bytes.sent, received: plain.report.bytes.received } });
    expect(formatSummary(r.report)).toMatch(/^bytes: .* received by the boards \(MQTT inside WebSocket frames over TCP, not counting frame headers\)$/m);
  }, 60_000);

  it('wss (overlay-tls.conf too, --cred): over TLS on 9001, the same counts', async () => {
    const r = await fleet(path.join(dir, 'wss'), { ...WSS, count: 4, time: 60, scenario });
    expect(r.report.connections.connects).toBe(4);
    expect(r.report.log.errors).toBe(0);
    expect(r.report.messages).toEqual(plain.report.messages);
    expect(r.report.bytes.tls).toEqual({ sent: r.report.bytes.sent, received: r.report.bytes.received });
    expect(r.report.bytes.ws).toEqual(r.report.bytes.tls);
    expect(r.report.bytes.sent).toBe(plain.report.bytes.sent);
    expect(formatSummary(r.report)).toMatch(/\(MQTT inside WebSocket frames inside TLS, not counting frame headers or TLS records\)$/m);
  }, 60_000);

  it('a broker URL of the other transport is refused before any board runs', async () => {
    const ws = fleet(path.join(dir, 'ws'), { ...WS, count: 2, time: 1, broker: 'mqtt://127.0.0.1:1883' });
    await expect(ws).rejects.toThrow(FleetError);
    await expect(ws).rejects.toThrow('--broker mqtt://127.0.0.1:1883: this app speaks MQTT over WebSocket (CONFIG_MQTT_LIB_WEBSOCKET=y): give ws://HOST:PORT or wss://HOST:PORT');
    const tcp = fleet(path.join(dir, 'plain'), { count: 2, time: 1, broker: 'ws://127.0.0.1:9001' });
    await expect(tcp).rejects.toThrow('--broker ws://127.0.0.1:9001: this app speaks MQTT over TCP or TLS, not WebSocket (CONFIG_MQTT_LIB_WEBSOCKET is not set): give mqtt://HOST:PORT or mqtts://HOST:PORT');
  }, 60_000);
});

const have = mosquittoAvailable();

describe.skipIf(!have)('zsim fleet --broker ws:// with a real mosquitto', () => {
  let broker: Mosquitto;
  let plain = 0;
  let ws = 0;
  beforeAll(async () => {
    [plain, ws] = [await freePort(), await freePort()];
    broker = await startMosquitto(['allow_anonymous true', `listener ${plain} 127.0.0.1`, `listener ${ws} 127.0.0.1`, 'protocol websockets'], [plain, ws]);
  }, 30_000);
  afterAll(async () => broker?.stop());

  const seen = (re: RegExp): number => (broker.log().match(re) ?? []).length;
  const until = async (ok: () => boolean, ms: number): Promise<void> => {
    const end = Date.now() + ms;
    while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };

  it('every board connects through the websocket listener, answers a tick, halts', async () => {
    const n = 3;
    const tocks = /Received PUBLISH from zsim-\d+ \(d0, q1, r0, m\d+, 'tock\//g;
    const driver = (async () => {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${plain}`, { clientId: 'driver-ws' });
      try {
        await until(() => seen(/Sending SUBACK to zsim-\d+/g) >= n, 20_000);
        await c.publishAsync('tick', 'tick', { qos: 1 });
        await until(() => seen(tocks) >= n, 10_000);
        await c.publishAsync('control/all', 'halt', { qos: 1 });
      } finally {
        await c.endAsync();
      }
    })();
    const run = await fleet(path.join(tmp(), 'b'), { ...WS, count: n, time: 30, broker: `ws://127.0.0.1:${ws}` });
    await driver;
    expect(run.result.reason, run.stderr).toBe('finished');
    expect(run.report.broker).toBe(`ws://127.0.0.1:${ws}`);
    for (let i = 0; i < n; i++) expect(broker.log()).toMatch(new RegExp(`New client connected from \\S+ as zsim-0000${i} `));
    expect(run.report.connections.connects).toBe(n);
    // The tick and the halt reached each board (read inside the frames); each tick got a tock.
    expect(qos(run, 1)).toMatchObject({ published: n, delivered: 2 * n, lost: 0, in_flight: 0 });
    expect(run.report.bytes.ws).toEqual({ sent: run.report.bytes.sent, received: run.report.bytes.received });
  }, 60_000);
});
