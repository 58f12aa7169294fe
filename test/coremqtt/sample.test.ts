/**
 * samples/coremqtt/mqtt_demo through the real `zsim run`: on the simulated network with the
 * embedded broker (virtual time, deterministic), and against mosquitto with --broker (real time).
 * The output is checked with the sample's own twister harness regexes, in order.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT, zsim } from '../helpers/cli.ts';
import { freePort, mosquittoAvailable, mosquittoForSuite } from '../helpers/mosquitto.ts';

const APP = 'samples/coremqtt/mqtt_demo';
const have = mosquittoAvailable();
/** Each case builds the sample and runs it (twice for some) in child processes. */
const SLOW = { timeout: 120_000 };

/** The sample.yaml console harness: its regexes, which must match lines in this order. */
function harness(): RegExp[] {
  const doc = parseYaml(readFileSync(path.join(ROOT, APP, 'sample.yaml'), 'utf8')) as {
    common: { harness: string; harness_config: { type: string; ordered: boolean; regex: string[] } };
  };
  expect(doc.common.harness).toBe('console');
  expect(doc.common.harness_config).toMatchObject({ type: 'multi_line', ordered: true });
  return doc.common.harness_config.regex.map((r) => new RegExp(r));
}

/** Asserts the regexes match successive lines of `out`, in order. */
function expectHarness(out: string): void {
  const lines = out.split('\n');
  let at = 0;
  for (const re of harness()) {
    const i = lines.findIndex((l, n) => n >= at && re.test(l));
    expect(i, `no line after ${at} matches ${re}\n${out}`).toBeGreaterThanOrEqual(0);
    at = i + 1;
  }
}

describe('mqtt_demo on the embedded broker', () => {
  it('runs to completion in virtual time, exit 0, deterministically', SLOW, () => {
    const a = zsim(['run', '-b', 'qemu_x86', APP]);
    expect(a.code, a.stderr + a.stdout).toBe(0);
    expectHarness(a.stdout);
    expect(a.stdout).toContain('Connected to the broker at 192.0.2.2:1883, session present 0');
    expect(a.stdout).toContain('Disconnected; 5 messages published and received back');
    expect(a.stdout).not.toMatch(/<err>|<wrn>/);
    expect(zsim(['run', '-b', 'qemu_x86', APP]).stdout).toBe(a.stdout);
  });

  it('needs CONFIG_COREMQTT: without it the import of zsim/coremqtt fails the build', SLOW, () => {
    const r = zsim(['run', '-b', 'qemu_x86', APP, '-D', 'CONFIG_COREMQTT=n']);
    expect(r.code).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/zsim\/coremqtt/);
    expect(r.stderr + r.stdout).toMatch(/COREMQTT/);
  });
});

describe.skipIf(!have)('mqtt_demo against mosquitto (--broker)', () => {
  const mq = mosquittoForSuite();

  it('runs to completion in real time, exit 0, and again with the session the broker kept', SLOW, async () => {
    const a = zsim(['run', '-b', 'qemu_x86', APP, '--broker', `mqtt://127.0.0.1:${mq.port}`]);
    expect(a.code, a.stderr + a.stdout).toBe(0);
    expectHarness(a.stdout);
    expect(a.stdout).toContain('session present 0');
    const log = await mq.broker.waitLog(/Received UNSUBSCRIBE from zsim-coremqtt-demo/);
    expect(log).toMatch(/New client connected from 127\.0\.0\.1:\d+ as zsim-coremqtt-demo \(p2, c0, k60\)/);
    expect(log).toMatch(/Received PUBLISH from zsim-coremqtt-demo \(d0, q1, r0, m\d+, 'zsim\/coremqtt\/demo'/);
    const b = zsim(['run', '-b', 'qemu_x86', APP, '--broker', `mqtt://127.0.0.1:${mq.port}`]);
    expect(b.code, b.stderr + b.stdout).toBe(0);
    expect(b.stdout).toContain('Connected to the broker at 192.0.2.2:1883, session present 1');
  });

  it('returns a negative value, so exits non-zero, when the broker is not there', SLOW, async () => {
    const dead = await freePort();
    const r = zsim(['run', '-b', 'qemu_x86', APP, '--broker', `mqtt://127.0.0.1:${dead}`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Failed to connect to the broker at 192.0.2.2:1883');
    expect(r.stdout + r.stderr).toMatch(/main\(\) returned -1/);
  });
});
