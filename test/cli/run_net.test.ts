import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { zsim } from '../helpers/cli.ts';
import { freePort, mosquittoAvailable, mosquittoForSuite } from '../helpers/mosquitto.ts';

const APP = 'test/fixtures/apps/mqtt_raw';
const tmp = (): string => mkdtempSync(path.join(tmpdir(), 'zsim-net-'));
const have = mosquittoAvailable();

describe('zsim run on the simulated network with the embedded broker', () => {
  it('connects to the embedded broker at the configured peer address, deterministically', () => {
    const a = zsim(['run', '-b', 'qemu_x86', APP]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toContain('connack 4 bytes: 20 02 00 00');
    expect(zsim(['run', '-b', 'qemu_x86', APP]).stdout).toBe(a.stdout);
  });

  it('warns that the embedded broker has no MQTT 5.0, and only without --broker', () => {
    const v5 = ['run', '-b', 'qemu_x86', 'samples/net/mqtt_publisher', '--time', '0.1', '-d', tmp(), '--', '-DEXTRA_CONF_FILE=overlay-mqtt-5.conf'];
    expect(zsim(v5).stderr).toContain('zsim: warning: the embedded broker (aedes) speaks MQTT 3.1 and 3.1.1 only');
    expect(zsim(['run', '-b', 'qemu_x86', APP]).stderr).not.toContain('zsim: warning');
  });

  it('--pcap writes a capture with the MQTT exchange', () => {
    const file = path.join(tmp(), 'run.pcap');
    const r = zsim(['run', '-b', 'qemu_x86', APP, '--pcap', file]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = readFileSync(file);
    expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4);
    expect(bytes.includes(Buffer.from('\x00\x04MQTT\x04\x02', 'latin1'))).toBe(true);
    expect(bytes.includes(Buffer.from([0x20, 0x02, 0x00, 0x00]))).toBe(true);
    const tshark = spawnSync('tshark', ['-r', file], { encoding: 'utf8' });
    if (tshark.status === 0) {
      expect(tshark.stdout).toMatch(/192\.0\.2\.1 → 192\.0\.2\.2\s+MQTT \d+ Connect Command/);
      expect(tshark.stdout).toMatch(/MQTT \d+ Connect Ack/);
    }
  });

  it('refuses --broker and --pcap for an app without networking, and a bad --broker URL', () => {
    expect(zsim(['run', '-b', 'qemu_x86', 'samples/hello_world', '--broker', 'mqtt://127.0.0.1:1']).stderr).toMatch(/--broker needs an app with CONFIG_NETWORKING=y/);
    const bad = zsim(['run', '-b', 'qemu_x86', APP, '--broker', 'http://x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/expected mqtt:\/\/HOST\[:PORT\]/);
  });

  it('--cred needs TLS credentials enabled and a well-formed TAG:TYPE:FILE', () => {
    const r = zsim(['run', '-b', 'qemu_x86', APP, '--cred', '1:ca:/dev/null']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--cred needs an app with CONFIG_TLS_CREDENTIALS=y/);
    const bad = zsim(['run', '-b', 'qemu_x86', APP, '--cred', 'nope']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--cred "nope": expected TAG:TYPE:FILE/);
  });
});

describe.skipIf(!have)('zsim run --broker with a real mosquitto', () => {
  const mq = mosquittoForSuite();

  it('redirects the peer address to the broker, in real time', async () => {
    const r = zsim(['run', '-b', 'qemu_x86', APP, '--broker', `mqtt://127.0.0.1:${mq.port}`]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('connack 4 bytes: 20 02 00 00');
    expect(await mq.broker.waitLog(/as zephyr/)).toMatch(/New client connected from 127\.0\.0\.1:\d+ as zephyr/);
  });

  it('a stopped broker gives ECONNREFUSED (61)', async () => {
    const dead = await freePort();
    const r = zsim(['run', '-b', 'qemu_x86', APP, '--broker', `mqtt://127.0.0.1:${dead}`]);
    expect(r.stdout).toContain('connect failed: 61');
  });
});
