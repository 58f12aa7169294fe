/**
 * `zsim fleet --cred TAG:TYPE:FILE`: every board's credential store gets the credentials, so a
 * fleet of the tick-tock sample with its overlay-tls.conf talks MQTT over TLS, to the embedded
 * broker's TLS listener (the app's certs/, on 8883, in virtual time) and to a real mosquitto
 * (`--broker mqtts://`, real time, driven with MQTT.js on a plain listener of the same mosquitto).
 * A wrong CA fails every board's handshake with the worded line, shown on stderr, and the run
 * still ends; bad `--cred` arguments are refused as `zsim run` refuses them.
 * Under CI=true a missing mosquitto fails instead of skipping.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/fleet/report.ts';
import { zsim } from '../helpers/cli.ts';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { fleet, qos, scenarioFile, TICKTOCK, tmp } from './helpers.ts';

const TLS = { extraConfFiles: ['overlay-tls.conf'] };
const SAMPLE_CA = path.join(TICKTOCK, 'certs/ca.pem');
const UNKNOWN_CA = /<err> net_sock_tls: certificate verify failed: unknown CA \(the server's certificate is not signed by a CA certificate in sec tag\(s\) 1\)/;

let pki: Pki;
beforeAll(() => {
  pki = makePki();
});

describe('zsim fleet --cred on the embedded broker (TLS on 8883, virtual time)', () => {
  const ticks = 'events:\n  - { every: 10s, at: 5s, type: publish, topic: tick, qos: 1 }\n  - { at: 58s, type: publish, topic: control/all, payload: halt, qos: 1 }\n';

  it('every board gets the CA, connects over TLS, answers ticks and halts; the same twice', async () => {
    const dir = tmp();
    const scenario = scenarioFile(dir, 'ticks.yaml', ticks);
    const run = async () => fleet(path.join(dir, 'b'), { ...TLS, count: 4, time: 60, scenario, creds: [`1:ca:${SAMPLE_CA}`] });
    const a = await run();
    expect(a.report.broker).toBe('embedded');
    expect(a.report.connections.connects).toBe(4);
    expect(a.report.board_states.finished).toBe(4);
    // Ticks at 5..55 s (6) and the halt reached each board; each tick was answered by a tock.
    expect(qos(a, 1)).toMatchObject({ published: 7 + 24, delivered: 28, lost: 0, in_flight: 0 });
    expect(a.report.log.errors).toBe(0);
    // The tap reads the MQTT inside TLS: the same counts as the plain run.
    const plain = await fleet(path.join(dir, 'plain'), { count: 4, time: 60, scenario });
    expect(a.report.messages).toEqual(plain.report.messages);
    // ... and the bytes line says what it counts: MQTT inside TLS here, TCP payload there.
    expect(a.report.bytes.tls).toEqual({ sent: a.report.bytes.sent, received: a.report.bytes.received });
    expect(formatSummary(a.report)).toMatch(/^bytes: .* received by the boards \(MQTT inside TLS, not counting TLS records\)$/m);
    expect(formatSummary(plain.report)).toMatch(/^bytes: .* received by the boards \(MQTT over TCP payload\)$/m);
    const b = await run();
    expect(b.report).toEqual({ ...a.report, sim_time_s: b.report.sim_time_s });
    expect(b.report.sim_time_s).toBe(a.report.sim_time_s);
  }, 60_000);

  it('--console: each board prints its boot banner, then the provisioning lines (before main), again after a reboot', async () => {
    const dir = tmp();
    const scenario = scenarioFile(dir, 'reboot.yaml', 'events:\n  - { at: 2s, type: reboot, boards: [1], down: 1s }\n');
    const r = await fleet(path.join(dir, 'b'), { ...TLS, count: 2, time: 5, scenario, console: true, creds: [`1:ca:${SAMPLE_CA}`] });
    const BANNER = '*** Booting Zephyr OS build zsim-v';
    const PROVISIONED = `<inf> tls_credentials: provisioned sec tag 1 TLS_CREDENTIAL_CA_CERTIFICATE from ${SAMPLE_CA}`;
    for (const id of ['zsim-00000', 'zsim-00001']) {
      const lines = r.stdout.split('\n').filter((l) => l.startsWith(`[${id}] `)).map((l) => l.slice(id.length + 3));
      expect(lines[0]).toContain(BANNER);
      expect(lines[1]).toContain(PROVISIONED);
      expect(lines[2]).toMatch(/<inf> ticktock: ticktock: connected as /);
      // Each boot: the banner, right after it the store filled again (a fresh kernel's is empty).
      const boots = lines.flatMap((l, i) => (l.startsWith(BANNER) ? [i] : []));
      expect(boots.length).toBe(id === 'zsim-00001' ? 2 : 1);
      for (const i of boots) expect(lines[i + 1]).toContain(PROVISIONED);
      expect(lines.filter((l) => l.includes(PROVISIONED)).length).toBe(boots.length);
    }
    expect(r.report.board_states.reboots).toBe(1);
    expect(r.report.connections.connects).toBe(3);
  }, 60_000);

  it('a CA that did not sign the broker\'s certificate: every handshake fails with the worded line, the run ends', async () => {
    const dir = tmp();
    const r = await fleet(path.join(dir, 'b'), { ...TLS, count: 4, time: 20, creds: [`1:ca:${pki.file('other_ca.pem')}`] });
    expect(r.result.reason).toBe('time-limit');
    expect(r.report.connections.connects).toBe(0);
    expect(r.report.board_states.ever_connected).toBe(0);
    expect(r.report.log.errors).toBeGreaterThanOrEqual(8);
    // Quiet mode still shows the first boards' first TLS failure on stderr.
    expect(r.stderr).toMatch(/^\[zsim-00000\] .*<err> net_sock_tls: TLS handshake error: -0x2700$/m);
    expect(r.stderr).toMatch(new RegExp(`^\\[zsim-00000\\] .*${UNKNOWN_CA.source}`, 'm'));
    expect(r.stderr).not.toContain('[zsim-00003]');
  }, 60_000);

  it('a credential that cannot be used: stderr shows each of the first boards\' failure once, not again at its retry', async () => {
    const dir = tmp();
    const junk = path.join(dir, 'junk.pem');
    writeFileSync(junk, 'not a certificate\n');
    const r = await fleet(path.join(dir, 'b'), { ...TLS, count: 4, time: 10, creds: [`1:ca:${junk}`] });
    expect(r.report.connections.connects).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('cannot be used'));
    // Every board fails at each of its attempts (several in 10 s); the first three are shown, once each.
    expect(r.report.log.errors).toBeGreaterThan(4);
    expect(lines.map((l) => l.slice(0, 12))).toEqual(['[zsim-00000]', '[zsim-00001]', '[zsim-00002]']);
  }, 60_000);

  it('a key that does not match its certificate: found when a board first uses the pair, shown as a TLS failure (docs/fleet.md)', async () => {
    const dir = tmp();
    const creds = [`1:ca:${SAMPLE_CA}`, `1:cert:${pki.file('client.pem')}`, `1:key:${pki.file('server.key')}`];
    const r = await fleet(path.join(dir, 'b'), { ...TLS, count: 4, time: 5, creds });
    expect(r.report.connections.connects).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('Private key in sec tag 1 does not match the public certificate in sec tag 1'));
    expect(lines.map((l) => l.slice(0, 12))).toEqual(['[zsim-00000]', '[zsim-00001]', '[zsim-00002]']);
    expect(lines[0]).toMatch(/<err> net_sock_tls: TLS credentials of sec tag\(s\) 1 cannot be used: Private key/);
  }, 60_000);

  it('a credential file that cannot be read: exit 2 before any board runs, worded as zsim run words it', () => {
    const dir = tmp();
    const missing = path.join(dir, 'missing.pem');
    const args = ['-b', 'qemu_x86', TICKTOCK, '--time', '5', '--cred', `1:ca:${missing}`, '--', '-DEXTRA_CONF_FILE=overlay-tls.conf'];
    const f = zsim(['fleet', '-n', '3', '-d', path.join(dir, 'b'), ...args]);
    const line = `zsim: error: --cred 1:TLS_CREDENTIAL_CA_CERTIFICATE:${missing}: cannot read the file: ENOENT (no such file or directory)`;
    expect(f.code).toBe(2);
    expect(f.stderr.trim()).toBe(line);
    const r = zsim(['run', '-d', path.join(dir, 'r'), ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(line);
    expect(r.stdout).not.toContain('Booting Zephyr');
  }, 60_000);

  it('the command: --cred in --help; malformed arguments and an app without credentials exit 2', () => {
    const help = zsim(['fleet', '--help']);
    expect(help.stdout).toMatch(/--cred\s+TAG:TYPE:FILE credential loaded into every board's store/);
    expect(help.stdout).toContain('mqtts://HOST:PORT');
    const dir = tmp();
    const bad = zsim(['fleet', '-b', 'qemu_x86', TICKTOCK, '-n', '2', '--time', '1', '-d', path.join(dir, 'b'), '--cred', 'nope', '--', '-DEXTRA_CONF_FILE=overlay-tls.conf']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('zsim: error: --cred "nope": expected TAG:TYPE:FILE, e.g. 1:ca:certs/ca.pem');
    const type = zsim(['fleet', '-b', 'qemu_x86', TICKTOCK, '-n', '2', '--time', '1', '-d', path.join(dir, 'b'), '--cred', `1:pem:${SAMPLE_CA}`]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain('zsim: error: --cred "1:pem:');
    expect(type.stderr).toContain('unknown credential type "pem"');
    const noStore = zsim(['fleet', '-b', 'qemu_x86', TICKTOCK, '-n', '2', '--time', '1', '-d', path.join(dir, 'c'), '--cred', `1:ca:${SAMPLE_CA}`]);
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toContain('zsim: error: --cred needs an app with CONFIG_TLS_CREDENTIALS=y');
    const ws = zsim(['fleet', '-b', 'qemu_x86', TICKTOCK, '-n', '2', '--time', '1', '-d', path.join(dir, 'c'), '--broker', 'wss://127.0.0.1:1']);
    expect(ws.code).toBe(2);
    expect(ws.stderr).toContain('this app speaks MQTT over TCP or TLS, not WebSocket (CONFIG_MQTT_LIB_WEBSOCKET is not set): give mqtt://HOST:PORT or mqtts://HOST:PORT');
    // TLS and plain ports: a URL of the other one would fail every board's handshake.
    const plainUrl = zsim(['fleet', '-b', 'qemu_x86', TICKTOCK, '-n', '2', '--time', '1', '-d', path.join(dir, 'b'), '--broker', 'mqtt://127.0.0.1:1', '--', '-DEXTRA_CONF_FILE=overlay-tls.conf']);
    expect(plainUrl.code).toBe(2);
    expect(plainUrl.stderr.trim()).toBe('zsim: error: --broker mqtt://127.0.0.1:1: this app speaks MQTT over TLS (CONFIG_MQTT_LIB_TLS=y): give mqtts://HOST:PORT');
    const tlsUrl = zsim(['fleet', '-b', 'qemu_x86', TICKTOCK, '-n', '2', '--time', '1', '-d', path.join(dir, 'c'), '--broker', 'mqtts://127.0.0.1:1']);
    expect(tlsUrl.code).toBe(2);
    expect(tlsUrl.stderr.trim()).toBe('zsim: error: --broker mqtts://127.0.0.1:1: this app speaks MQTT without TLS (CONFIG_MQTT_LIB_TLS is not set): give mqtt://HOST:PORT');
  }, 120_000);
});

const have = mosquittoAvailable();

describe.skipIf(!have)('zsim fleet --cred --broker mqtts:// with a real mosquitto', () => {
  let broker: Mosquitto;
  let plain = 0;
  let secure = 0;
  let mutual = 0;
  beforeAll(async () => {
    [plain, secure, mutual] = [await freePort(), await freePort(), await freePort()];
    const tlsFiles = [`cafile ${pki.file('ca.pem')}`, `certfile ${pki.file('server.pem')}`, `keyfile ${pki.file('server.key')}`];
    broker = await startMosquitto(
      [
        'allow_anonymous true',
        `listener ${plain} 127.0.0.1`,
        `listener ${secure} 127.0.0.1`, ...tlsFiles,
        `listener ${mutual} 127.0.0.1`, ...tlsFiles, 'require_certificate true',
      ],
      [plain, secure, mutual],
    );
  }, 30_000);
  afterAll(async () => broker?.stop());

  /** Counts `re` in the broker's log. */
  const seen = (re: RegExp): number => (broker.log().match(re) ?? []).length;
  const until = async (ok: () => boolean, ms: number): Promise<void> => {
    const end = Date.now() + ms;
    while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  };

  /** A fleet of `n` boards on `port` over TLS, ticked once and halted by a client on the plain listener. */
  async function tickedFleet(n: number, port: number, creds: string[]) {
    // A board is ready for ticks once subscribed, or back in the session an earlier test left
    // (persistent sessions: it does not subscribe again).
    const ready = (): number => seen(/Sending SUBACK to zsim-\d+/g) + seen(/Sending CONNACK to zsim-\d+ \(1, 0\)/g);
    const ready0 = ready();
    const pubs0 = seen(/Received PUBLISH from zsim-\d+ \(d0, q1, r0, m\d+, 'tock\//g);
    const driver = (async () => {
      const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${plain}`, { clientId: `driver-${port}` });
      try {
        await until(() => ready() - ready0 >= n, 20_000);
        await c.publishAsync('tick', 'tick', { qos: 1 });
        // The tocks must be acknowledged before the halt, or they would be in flight at the end.
        await until(() => seen(/Received PUBLISH from zsim-\d+ \(d0, q1, r0, m\d+, 'tock\//g) - pubs0 >= n, 10_000);
        await c.publishAsync('control/all', 'halt', { qos: 1 });
      } finally {
        await c.endAsync();
      }
    })();
    const run = await fleet(path.join(tmp(), 'b'), { ...TLS, count: n, time: 30, broker: `mqtts://127.0.0.1:${port}`, creds });
    await driver;
    return run;
  }

  it('--cred 1:ca:FILE: every board connects over TLS with its own id, answers a tick, halts', async () => {
    const run = await tickedFleet(4, secure, [`1:ca:${pki.file('ca.pem')}`]);
    const log = broker.log();
    for (let i = 0; i < 4; i++) expect(log).toMatch(new RegExp(`New client connected from 127\\.0\\.0\\.1:\\d+ as zsim-0000${i} `));
    expect(run.result.reason, run.stderr).toBe('finished');
    expect(run.report.broker).toBe(`mqtts://127.0.0.1:${secure}`);
    expect(run.report.connections.connects).toBe(4);
    expect(run.report.board_states.finished).toBe(4);
    // The tick and the halt reached each board (read by the tap inside TLS); each tick was
    // answered by a QoS 1 tock mosquitto acknowledged.
    expect(qos(run, 1)).toMatchObject({ published: 4, delivered: 8, lost: 0, in_flight: 0 });
    expect(run.report.log.errors).toBe(0);
  }, 60_000);

  it('--cred ca, cert and key: a client certificate for require_certificate', async () => {
    const run = await tickedFleet(3, mutual, [`1:ca:${pki.file('ca.pem')}`, `1:cert:${pki.file('client.pem')}`, `1:key:${pki.file('client.key')}`]);
    expect(run.result.reason, run.stderr).toBe('finished');
    expect(run.report.connections.connects).toBe(3);
    expect(qos(run, 1)).toMatchObject({ published: 3, delivered: 6, lost: 0, in_flight: 0 });
  }, 60_000);

  it('a wrong CA: every board fails the handshake with the worded line; the run ends at --time', async () => {
    const t0 = Date.now();
    const run = await fleet(path.join(tmp(), 'b'), { ...TLS, count: 3, time: 3, broker: `mqtts://127.0.0.1:${secure}`, creds: [`1:ca:${pki.file('other_ca.pem')}`] });
    expect(Date.now() - t0).toBeLessThan(20_000);
    expect(run.result.reason).toBe('time-limit');
    expect(run.report.connections.connects).toBe(0);
    expect(run.report.log.errors).toBeGreaterThanOrEqual(6);
    for (let i = 0; i < 3; i++) {
      expect(run.stderr).toMatch(new RegExp(`^\\[zsim-0000${i}\\] .*<err> net_sock_tls: TLS handshake error: -0x2700$`, 'm'));
      expect(run.stderr).toMatch(new RegExp(`^\\[zsim-0000${i}\\] .*${UNKNOWN_CA.source}`, 'm'));
    }
  }, 60_000);
});
