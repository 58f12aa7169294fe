/**
 * samples/net/mqtt_publisher as a user runs it: on the embedded broker in virtual time (the
 * README's main job), and against a real mosquitto whose own mosquitto_sub checks what arrived.
 */
import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { WebSocketServer, createWebSocketStream } from 'ws';
import { freePort, type Mosquitto } from '../helpers/mosquitto.ts';
import { ECONNREFUSED, EINVAL } from '../../src/libc/errno.ts';
import { PUBLISHER, haveMosquittoTools, logLines, moduleLines, mosquittoOn, mosquittoSub, zsimAsync, zsimRun } from './helpers.ts';

const MOD = 'net_mqtt_publisher_sample';

/** The sample's log for `n` rounds on one connection, packet ids replaced by N. */
function expectedConnection(n: number): string[] {
  const round = [
    'mqtt_ping: 0 <OK>', 'PINGRESP packet',
    'mqtt_publish: 0 <OK>',
    'mqtt_publish: 0 <OK>', 'PUBACK packet id: N',
    'mqtt_publish: 0 <OK>', 'PUBREC packet id: N', 'PUBCOMP packet id: N',
  ];
  return [
    'attempting to connect: ', 'MQTT client connected!', 'try_to_connect: 0 <OK>',
    ...Array.from({ length: n }, () => round).flat(),
    'MQTT client disconnected 0', 'mqtt_disconnect: 0 <OK>', 'Bye!',
  ];
}

const ids = (lines: string[]): string[] => lines.map((l) => l.replace(/id: \d+$/, 'id: N'));

/** Every PUBREC is followed by the PUBCOMP of the same packet id (the PUBREL went out). */
function qos2IdsMatch(lines: string[]): void {
  const rec = lines.filter((l) => l.startsWith('PUBREC')).map((l) => l.split(': ')[1]);
  const comp = lines.filter((l) => l.startsWith('PUBCOMP')).map((l) => l.split(': ')[1]);
  expect(rec.length).toBeGreaterThan(0);
  expect(comp).toEqual(rec);
}

describe('mqtt_publisher on the embedded broker (virtual time)', () => {
  it('the README main job: logs like Zephyr\'s sample, exits 0, and two runs are byte-identical', () => {
    const a = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER]);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    const lines = moduleLines(a.stdout, MOD);
    expect(ids(lines)).toEqual(expectedConnection(5));
    qos2IdsMatch(lines);
    expect(logLines(a.stdout)).toContain('<inf> net_mqtt: Connect completed');
    expect(a.stdout.split('\n')[0]).toBe('*** Booting Zephyr OS build zsim-v0.1.0 ***');
    // Five rounds of ping + 3 publishes, 500 ms apart: ten seconds of device time.
    expect(a.stdout).toMatch(/\[00:00:10\.\d{3},\d{3}\] <inf> net_mqtt_publisher_sample: Bye!/);
    const b = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER]);
    expect(b.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    // --seed changes the packet ids (sys_rand32_get), deterministically.
    const c = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER, '--seed', '7']);
    expect(c.code).toBe(0);
    expect(c.stdout).not.toBe(a.stdout);
    expect(ids(moduleLines(c.stdout, MOD))).toEqual(expectedConnection(5));
  }, 60_000);

  it('overlay-tls.conf: TLS to the embedded broker on 8883 with the sample\'s own test CA', () => {
    const r = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER, '--', '-DEXTRA_CONF_FILE=overlay-tls.conf']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = moduleLines(r.stdout, MOD);
    expect(lines[0]).toBe('tls_init: 0 <OK>');
    expect(ids(lines.slice(1))).toEqual(expectedConnection(5));
    expect(logLines(r.stdout)).toContain('<inf> net_mqtt_sock_tls: Closing socket 3');
    expect(r.stderr).toMatch(/:8883 \(TLS\)|app finished/);
  }, 30_000);

  it('overlay-websocket.conf: MQTT over a websocket to the embedded broker on 9001, deterministically; over TLS (wss) with overlay-tls.conf', () => {
    const ws = ['run', '-b', 'qemu_x86', PUBLISHER, '--', '-DEXTRA_CONF_FILE=overlay-websocket.conf', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=2'];
    const a = zsimRun(ws);
    expect(a.code, a.stdout + a.stderr).toBe(0);
    expect(ids(moduleLines(a.stdout, MOD))).toEqual(expectedConnection(2));
    expect(logLines(a.stdout)).toContain('<inf> net_mqtt_websocket: Closing socket 3');
    expect(zsimRun(ws).stdout).toBe(a.stdout);
    const wss = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER, '--', '-DEXTRA_CONF_FILE=overlay-tls.conf;overlay-websocket.conf', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=2']);
    expect(wss.code, wss.stdout + wss.stderr).toBe(0);
    const lines = moduleLines(wss.stdout, MOD);
    expect(lines[0]).toBe('tls_init: 0 <OK>');
    expect(ids(lines.slice(1))).toEqual(expectedConnection(2));
    expect(logLines(wss.stdout)).toContain('<inf> net_mqtt_websocket: Closing socket 3');
  }, 30_000);

  it('overlay-sample.conf: 3 connections of 3 rounds', () => {
    const r = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER, '--', '-DEXTRA_CONF_FILE=overlay-sample.conf']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(ids(moduleLines(r.stdout, MOD))).toEqual([...expectedConnection(3), ...expectedConnection(3), ...expectedConnection(3)]);
  }, 30_000);

  it('no broker listening: APP_CONNECT_TRIES (10) tries 500 ms apart, then exit status 1', async () => {
    const port = await freePort();
    const r = zsimRun(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `mqtt://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    const lines = moduleLines(r.stdout, MOD);
    expect(lines.filter((l) => l === `mqtt_connect: ${-ECONNREFUSED} <ERROR>`)).toHaveLength(10);
    expect(lines.at(-1)).toBe(`try_to_connect: ${-EINVAL} <ERROR>`);
    expect(r.stderr).toMatch(/main\(\) returned 1/);
  }, 30_000);
});

const have = haveMosquittoTools('publisher');

describe.skipIf(!have)('mqtt_publisher against mosquitto (--broker, real time)', () => {
  let broker: Mosquitto | undefined;
  afterEach(async () => {
    await broker?.stop();
    broker = undefined;
  });

  it('mosquitto_sub -t sensors -v, started first, receives DOORS:OPEN_QoS0, _QoS1, _QoS2 for each round', async () => {
    const m = await mosquittoOn();
    broker = m.broker;
    const sub = mosquittoSub(m.port, 'sensors', ['-q', '2']);
    await sub.ready;
    const run = zsimAsync(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `mqtt://127.0.0.1:${m.port}`, '--', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=2']);
    const r = await run.done;
    const got = await sub.waitFor(6, 2000);
    sub.stop();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const round = ['sensors DOORS:OPEN_QoS0', 'sensors DOORS:OPEN_QoS1', 'sensors DOORS:OPEN_QoS2'];
    expect(got).toEqual([...round, ...round]);
    const lines = moduleLines(r.stdout, MOD);
    expect(ids(lines)).toEqual(expectedConnection(2));
    qos2IdsMatch(lines);
    // mosquitto saw the sample's client id, its PINGREQs and the QoS 2 flow.
    const log = await m.broker.waitLog(/Received DISCONNECT from zephyr_publisher/);
    expect(log).toMatch(/New client connected from 127\.0\.0\.1:\d+ as zephyr_publisher \(p2, c0, k60\)/);
    expect(log.match(/Received PINGREQ from zephyr_publisher/g)).toHaveLength(2);
    expect(log.match(/Received PUBREL from zephyr_publisher/g)).toHaveLength(2);
  }, 30_000);

  it('overlay-mqtt-5.conf: the sample connects as MQTT 5.0 (p5) and mosquitto_sub -V mqttv5 gets every message', async () => {
    const m = await mosquittoOn();
    broker = m.broker;
    const sub = mosquittoSub(m.port, 'sensors', ['-q', '2', '-V', 'mqttv5']);
    await sub.ready;
    const run = zsimAsync(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `mqtt://127.0.0.1:${m.port}`, '--',
      '-DEXTRA_CONF_FILE=overlay-mqtt-5.conf', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=1']);
    const r = await run.done;
    const got = await sub.waitFor(3, 2000);
    sub.stop();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(got).toEqual(['sensors DOORS:OPEN_QoS0', 'sensors DOORS:OPEN_QoS1', 'sensors DOORS:OPEN_QoS2']);
    const lines = moduleLines(r.stdout, MOD);
    expect(ids(lines)).toEqual(expectedConnection(1));
    qos2IdsMatch(lines);
    const log = await m.broker.waitLog(/Received DISCONNECT from zephyr_publisher/);
    expect(log).toMatch(/as zephyr_publisher \(p5, c0, k60\)/);
    // 5.0 acknowledgements carry reason codes: 0x10, "no matching subscribers", would be one here
    // without mosquitto_sub; with it, success.
    expect(log).toMatch(/Sending PUBACK to zephyr_publisher \(m\d+, rc0\)/);
  }, 30_000);

  it('overlay-websocket.conf: MQTT over a websocket (--broker ws://), through a ws server relaying to mosquitto', async () => {
    const m = await mosquittoOn();
    broker = m.broker;
    // The `ws` package's server on /mqtt, each websocket relayed to mosquitto's TCP listener.
    const requests: string[] = [];
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, path: '/mqtt', handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
    await new Promise<void>((r) => wss.once('listening', () => r()));
    wss.on('connection', (ws, req) => {
      requests.push(`${req.url} ${req.headers['sec-websocket-protocol']} ${req.headers.host}`);
      const duplex = createWebSocketStream(ws);
      const tcp = net.connect(m.port, '127.0.0.1');
      duplex.pipe(tcp).pipe(duplex);
      duplex.on('error', () => tcp.destroy());
      tcp.on('error', () => duplex.destroy());
    });
    const wsPort = (wss.address() as net.AddressInfo).port;
    try {
      const sub = mosquittoSub(m.port, 'sensors', ['-q', '2']);
      await sub.ready;
      const r = await zsimAsync(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `ws://127.0.0.1:${wsPort}`, '--',
        '-DEXTRA_CONF_FILE=overlay-websocket.conf', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=1']).done;
      const got = await sub.waitFor(3, 2000);
      sub.stop();
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(ids(moduleLines(r.stdout, MOD))).toEqual(expectedConnection(1));
      expect(got).toEqual(['sensors DOORS:OPEN_QoS0', 'sensors DOORS:OPEN_QoS1', 'sensors DOORS:OPEN_QoS2']);
      // The sample's websocket request: url /mqtt, subprotocol mqtt, Host SERVER_ADDR.
      expect(requests).toEqual(['/mqtt mqtt 192.0.2.2']);
    } finally {
      wss.close();
    }
  }, 30_000);
});
