/**
 * TLS credential flows as a user runs them: `--cred` provisioning, the embedded broker's TLS
 * listener (app certs/), a real mosquitto with the test certificates, and `zsim broker`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, ZSIM, zsim } from '../helpers/cli.ts';
import { freePort, mosquittoAvailable, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { makePki, type Pki } from '../helpers/pki.ts';

const have = mosquittoAvailable();
let pki: Pki;
beforeAll(() => {
  pki = makePki();
});

describe('TLS runs on the simulated network', () => {
  it('the embedded broker serves TLS on 8883 with the app\'s certs; a wrong CA fails with a log line and exit 1', () => {
    const app = mkdtempSync(path.join(tmpdir(), 'zsim-tlsapp-'));
    cpSync(path.join(ROOT, 'test/fixtures/apps/tls_raw'), app, { recursive: true });
    mkdirSync(path.join(app, 'certs'));
    cpSync(pki.file('server.pem'), path.join(app, 'certs/server.pem'));
    cpSync(pki.file('server.key'), path.join(app, 'certs/server.key'));
    const ok = zsim(['run', '-b', 'qemu_x86', app, '--cred', `1:ca:${pki.file('ca.pem')}`]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('<inf> tls_raw: TLS connected');
    expect(ok.stdout).toContain('connack 20 02 00 00');
    // Provisioned as an APPLICATION-level SYS_INIT would be: after the boot banner, before main().
    const lines = ok.stdout.split('\n');
    expect(lines[0]).toMatch(/^\*\*\* Booting Zephyr OS build /);
    expect(lines[1]).toBe(`[00:00:00.000,000] <inf> tls_credentials: provisioned sec tag 1 TLS_CREDENTIAL_CA_CERTIFICATE from ${pki.file('ca.pem')} (PEM, ${readFileSync(pki.file('ca.pem')).length + 1} bytes with the NUL appended)`);
    const again = zsim(['run', '-b', 'qemu_x86', app, '--cred', `1:ca:${pki.file('ca.pem')}`]);
    expect(again.stdout).toBe(ok.stdout);
    const bad = zsim(['run', '-b', 'qemu_x86', app, '--cred', `1:ca:${pki.file('other_ca.pem')}`]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/<err> net_sock_tls: certificate verify failed: unknown CA/);
    expect(bad.stdout).toMatch(/<err> tls_raw: TLS connect failed: 53/);
    expect(bad.stderr).toMatch(/main\(\) returned -53/);
  });
});

describe.skipIf(!have)('TLS runs against a real mosquitto', () => {
  let broker: Mosquitto;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    broker = await startMosquitto(
      [`listener ${port} 127.0.0.1`, 'allow_anonymous true', `cafile ${pki.file('ca.pem')}`, `certfile ${pki.file('server.pem')}`, `keyfile ${pki.file('server.key')}`],
      [port],
    );
  });
  afterAll(async () => broker?.stop());

  it('--cred gives the app its CA; mosquitto accepts the TLS connection', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'test/fixtures/apps/tls_raw', '--broker', `mqtts://127.0.0.1:${port}`, '--cred', `1:ca:${pki.file('ca.pem')}`]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('connack 20 02 00 00');
  });

  it('a wrong CA is refused with a clear log line and a non-zero exit', () => {
    const r = zsim(['run', '-b', 'qemu_x86', 'test/fixtures/apps/tls_raw', '--broker', `mqtts://127.0.0.1:${port}`, '--cred', `1:ca:${pki.file('other_ca.pem')}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/<err> net_sock_tls: TLS handshake error: -0x2700/);
    expect(r.stdout).toMatch(/certificate verify failed: unknown CA/);
  });
});

describe('zsim broker', () => {
  let proc: ChildProcess | null = null;
  afterAll(() => proc?.kill('SIGINT'));
  const haveTools = spawnSync('mosquitto_pub', ['--help']).status !== null && spawnSync('which', ['mosquitto_sub']).status === 0;

  it.skipIf(!haveTools && process.env.CI !== 'true')('serves MQTT on loopback to mosquitto_pub and mosquitto_sub', async () => {
    const port = await freePort();
    proc = spawn(process.execPath, [ZSIM, 'broker', '--port', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve) => proc!.stdout!.on('data', (d) => String(d).includes('listening') && resolve()));
    const sub = spawn('mosquitto_sub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'sensors', '-C', '1', '-v']);
    let got = '';
    sub.stdout.on('data', (d) => (got += String(d)));
    // Retained: it reaches the subscriber whether it subscribed before the publish or after.
    spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(port), '-t', 'sensors', '-m', 'DOORS:OPEN', '-r']);
    await new Promise<void>((resolve) => sub.on('exit', () => resolve()));
    expect(got).toBe('sensors DOORS:OPEN\n');
  });
});
