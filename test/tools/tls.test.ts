/**
 * `--cafile/--cert/--key` through zsim's TLS sockets and credential store, against mosquitto's
 * TLS listeners (certificates from test/helpers/pki.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { mosquittoSub as subscribe } from '../helpers/mosquitto_clients.ts';
import { haveMosquittoTools, zsimRun, zsimSpawn } from './helpers.ts';

const have = haveMosquittoTools('tls');
let pki: Pki;
let broker: Mosquitto;
const port = { plain: 0, tls: 0, mutual: 0 };

beforeAll(async () => {
  if (!have) return;
  pki = makePki();
  for (const k of Object.keys(port) as (keyof typeof port)[]) port[k] = await freePort();
  const tls = (p: number): string[] => [
    `listener ${p} 127.0.0.1`, 'allow_anonymous true', `cafile ${pki.file('ca.pem')}`,
    `certfile ${pki.file('server.pem')}`, `keyfile ${pki.file('server.key')}`,
  ];
  broker = await startMosquitto(
    ['per_listener_settings true', `listener ${port.plain} 127.0.0.1`, 'allow_anonymous true', ...tls(port.tls),
      ...tls(port.mutual), 'require_certificate true'],
    Object.values(port),
  );
}, 60_000);
afterAll(async () => {
  await broker?.stop();
});

describe.skipIf(!have)('zsim pub/sub over TLS', () => {
  it('--cafile: publishes over TLS; the host name is checked against the certificate', async () => {
    const sub = subscribe(port.plain, 'zt/#', ['-q', '1']);
    await sub.ready;
    const r = await zsimRun(['pub', '-h', 'localhost', '-p', String(port.tls), '--cafile', pki.file('ca.pem'), '-t', 'zt/a', '-m', 'secret', '-q', '1']);
    expect(r.code, r.stderr).toBe(0);
    // By IP address: the certificate's IP SAN matches, and Node's RFC 6066 warning stays quiet.
    const ip = await zsimRun(['pub', '-h', '127.0.0.1', '-p', String(port.tls), '--cafile', pki.file('ca.pem'), '-t', 'zt/b', '-m', 'by ip']);
    expect(ip.code, ip.stderr).toBe(0);
    expect(ip.stderr).toBe('');
    expect(await sub.waitFor(2)).toEqual(['zt/a 1 0 secret', 'zt/b 0 0 by ip']);
    sub.stop();
  }, 60_000);

  it('a wrong CA fails with the TLS layer\'s reason, pub and sub alike', async () => {
    for (const tool of [['pub', '-m', 'x'], ['sub']]) {
      const r = await zsimRun([tool[0]!, '-h', 'localhost', '-p', String(port.tls), '--cafile', pki.file('other_ca.pem'), '-t', 'zt/x', ...tool.slice(1)]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^Error: A TLS error occurred: certificate verify failed: unknown CA \(.*\) \[sec tag 1: --cafile .*other_ca\.pem\]\n$/);
    }
  }, 60_000);

  it('--cert/--key: a broker that requires a client certificate accepts the tool; without one, the reason says so', async () => {
    const p = zsimSpawn(['sub', '-h', 'localhost', '-p', String(port.mutual), '--cafile', pki.file('ca.pem'),
      '--cert', pki.file('client.pem'), '--key', pki.file('client.key'), '-t', 'zt/m', '-C', '1', '-d']);
    expect(await p.waitStderr(/received SUBACK/)).toBe(true);
    const r = await zsimRun(['pub', '-h', 'localhost', '-p', String(port.mutual), '--cafile', pki.file('ca.pem'),
      '--cert', pki.file('client.pem'), '--key', pki.file('client.key'), '-t', 'zt/m', '-m', 'mutual']);
    expect(r.code, r.stderr).toBe(0);
    const s = await p.done;
    expect(s.code).toBe(0);
    expect(s.stdout).toBe('mutual\n');
    const no = await zsimRun(['pub', '-h', 'localhost', '-p', String(port.mutual), '--cafile', pki.file('ca.pem'), '-t', 'zt/m', '-m', 'x']);
    expect(no.code).toBe(1);
    expect(no.stderr).toMatch(/^Error: A TLS error occurred: .*(client certificate|closed the connection)/);
  }, 60_000);

  it('an unreadable --cafile is a usage error', async () => {
    const r = await zsimRun(['pub', '-p', String(port.tls), '--cafile', '/nonexistent/ca.pem', '-t', 'x', '-m', 'y']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cafile \/nonexistent\/ca\.pem: cannot read the file \(ENOENT\)/);
  });
});
