/**
 * The publisher's overlay-tls.conf against mosquitto's TLS listener (`--broker mqtts://`): with
 * the sample's own test CA, with `--cred` credentials that take precedence over it (a CA, a
 * client certificate), and with each kind of wrong credential, refused with a log line that
 * says why and exit status 1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import type { Mosquitto } from '../helpers/mosquitto.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { PUBLISHER, haveMosquittoTools, moduleLines, mosquittoOn, mosquittoSub, zsimAsync } from './helpers.ts';

const MOD = 'net_mqtt_publisher_sample';
const TLS = ['--', '-DEXTRA_CONF_FILE=overlay-tls.conf', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=1'];
const have = haveMosquittoTools('publisher_tls');

describe.skipIf(!have)('mqtt_publisher with overlay-tls.conf against mosquitto', () => {
  let pki: Pki;
  const brokers: Mosquitto[] = [];
  /** A mosquitto TLS listener with this certificate and key (and `extra` lines). */
  const tlsBroker = async (cert: string, key: string, ca: string, extra: string[] = []): Promise<number> => {
    const m = await mosquittoOn([`cafile ${ca}`, `certfile ${cert}`, `keyfile ${key}`, ...extra]);
    brokers.push(m.broker);
    return m.port;
  };
  const publisher = (port: number, creds: string[] = []) =>
    zsimAsync(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `mqtts://127.0.0.1:${port}`, ...creds.flatMap((c) => ['--cred', c]), ...TLS]);

  beforeAll(() => {
    pki = makePki();
  });
  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
  });

  it('the sample\'s own CA (src/test_certs.ts) verifies mosquitto serving the sample\'s certs/server.pem', async () => {
    const certs = path.join(PUBLISHER, 'certs');
    const port = await tlsBroker(path.join(certs, 'server.pem'), path.join(certs, 'server.key'), path.join(certs, 'ca.pem'));
    // mosquitto_sub over TLS too, trusting the same CA file.
    const sub = mosquittoSub(port, 'sensors', ['-q', '2', '--cafile', path.join(certs, 'ca.pem')]);
    await sub.ready;
    const r = await publisher(port).done;
    const got = await sub.waitFor(3, 2000);
    sub.stop();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const lines = moduleLines(r.stdout, MOD);
    expect(lines.slice(0, 4)).toEqual(['tls_init: 0 <OK>', 'attempting to connect: ', 'MQTT client connected!', 'try_to_connect: 0 <OK>']);
    expect(lines.at(-1)).toBe('Bye!');
    expect(got).toEqual(['sensors DOORS:OPEN_QoS0', 'sensors DOORS:OPEN_QoS1', 'sensors DOORS:OPEN_QoS2']);
  }, 30_000);

  it('--cred 1:ca:FILE replaces the sample\'s CA; --cred cert and key add a client certificate for require_certificate', async () => {
    const [plain, mutual] = await Promise.all([
      tlsBroker(pki.file('server.pem'), pki.file('server.key'), pki.file('ca.pem')),
      tlsBroker(pki.file('server.pem'), pki.file('server.key'), pki.file('ca.pem'), ['require_certificate true']),
    ]);
    const [a, b] = await Promise.all([
      publisher(plain, [`1:ca:${pki.file('ca.pem')}`]).done,
      publisher(mutual, [`1:ca:${pki.file('ca.pem')}`, `1:cert:${pki.file('client.pem')}`, `1:key:${pki.file('client.key')}`]).done,
    ]);
    for (const r of [a, b]) {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/<inf> tls_credentials: sec tag 1 TLS_CREDENTIAL_CA_CERTIFICATE: keeping the credential provisioned from .*ca\.pem; the app's own \(\d+ bytes\) is ignored/);
      expect(moduleLines(r.stdout, MOD)).toContain('MQTT client connected!');
      expect(moduleLines(r.stdout, MOD).at(-1)).toBe('Bye!');
    }
  }, 30_000);

  it('each wrong credential is refused with a clear log line, 10 times, then exit status 1', async () => {
    const [pkiPort, wrongHost, expired, mutual] = await Promise.all([
      tlsBroker(pki.file('server.pem'), pki.file('server.key'), pki.file('ca.pem')),
      tlsBroker(pki.file('server_wronghost.pem'), pki.file('server_wronghost.key'), pki.file('ca.pem')),
      tlsBroker(pki.file('server_expired.pem'), pki.file('server_expired.key'), pki.file('ca.pem')),
      tlsBroker(pki.file('server.pem'), pki.file('server.key'), pki.file('ca.pem'), ['require_certificate true']),
    ]);
    const ca = `1:ca:${pki.file('ca.pem')}`;
    const cases: [string, ReturnType<typeof publisher>, RegExp][] = [
      ['the sample\'s CA did not sign the server certificate', publisher(pkiPort), /certificate verify failed: unknown CA/],
      ['--cred with another CA', publisher(pkiPort, [`1:ca:${pki.file('other_ca.pem')}`]), /certificate verify failed: unknown CA/],
      ['server certificate for another host', publisher(wrongHost, [ca]), /certificate verify failed: hostname mismatch \(TLS_HOSTNAME 'localhost'/],
      ['expired server certificate', publisher(expired, [ca]), /certificate verify failed: expired certificate/],
      ['no client certificate for require_certificate', publisher(mutual, [ca]), /no client certificate: the server requires one \(add a PUBLIC_CERTIFICATE and its PRIVATE_KEY under sec tag\(s\) 1\)/],
    ];
    for (const [what, run, why] of cases) {
      const r = await run.done;
      expect(r.code, what).toBe(1);
      expect(r.stdout, what).toMatch(why);
      expect(r.stdout, what).toMatch(/<err> net_sock_tls: TLS handshake error: -0x[0-9a-f]+/);
      const lines = moduleLines(r.stdout, MOD);
      expect(lines[0]).toBe('tls_init: 0 <OK>');
      expect(lines.filter((l) => /^mqtt_connect: -\d+ <ERROR>$/.test(l)), what).toHaveLength(10);
      expect(lines.at(-1), what).toBe('try_to_connect: -22 <ERROR>');
      expect(r.stderr, what).toMatch(/main\(\) returned 1/);
    }
  }, 60_000);
});
