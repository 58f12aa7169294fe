/**
 * samples/lwip/mqtt_client with the real `zsim` command: on the embedded broker (virtual time,
 * deterministic) and with `--broker` on a real mosquitto watched by mosquitto_sub.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LWIP_MQTT_DEFAULTS } from '../../src/lwip/mqtt.ts';
import { zsim } from '../helpers/cli.ts';
import { mosquittoAvailable, mosquittoForSuite } from '../helpers/mosquitto.ts';
import { SAMPLE_LINES, mosquittoSub } from './helpers.ts';

const APP = 'samples/lwip/mqtt_client';
const have = mosquittoAvailable();

/** The app's own lines, without the boot banner and zsim's closing line. */
const appLines = (stdout: string): string[] => stdout.split('\n').filter((l) => l && !l.startsWith('***') && !l.startsWith('zsim:'));

describe('zsim run samples/lwip/mqtt_client', () => {
  it('exits 0 on the embedded broker, with the same output every run', () => {
    const a = zsim(['run', '-b', 'qemu_x86', APP]);
    expect(a.code, a.stderr + a.stdout).toBe(0);
    expect(appLines(a.stdout)).toEqual(SAMPLE_LINES);
    expect(zsim(['run', '-b', 'qemu_x86', APP]).stdout).toBe(a.stdout);
  });

  it("gets lwIP's defaults from Kconfig.lwip, the values mqtt_opts.ts falls back to", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zsim-lwip-'));
    const b = zsim(['build', '-b', 'qemu_x86', APP, '-d', dir]);
    expect(b.code, b.stderr).toBe(0);
    const config = readFileSync(path.join(dir, 'zephyr', '.config'), 'utf8');
    const values = Object.fromEntries([...config.matchAll(/^CONFIG_(LWIP_\w+)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    const d = LWIP_MQTT_DEFAULTS;
    expect(values).toEqual({
      LWIP_MQTT: 'y',
      LWIP_MQTT_OUTPUT_RINGBUF_SIZE: String(d.MQTT_OUTPUT_RINGBUF_SIZE),
      LWIP_MQTT_VAR_HEADER_BUFFER_LEN: String(d.MQTT_VAR_HEADER_BUFFER_LEN),
      LWIP_MQTT_REQ_MAX_IN_FLIGHT: String(d.MQTT_REQ_MAX_IN_FLIGHT),
      LWIP_MQTT_CYCLIC_TIMER_INTERVAL: String(d.MQTT_CYCLIC_TIMER_INTERVAL),
      LWIP_MQTT_REQ_TIMEOUT: String(d.MQTT_REQ_TIMEOUT),
      LWIP_MQTT_CONNECT_TIMOUT: String(d.MQTT_CONNECT_TIMOUT),
      LWIP_TCPIP_THREAD_STACKSIZE: String(d.TCPIP_THREAD_STACKSIZE),
      LWIP_TCPIP_THREAD_PRIO: String(d.TCPIP_THREAD_PRIO),
    });
  });

  it('refuses a board without a network interface (depends_on: netif) and a build without CONFIG_LWIP_MQTT', () => {
    const nonet = zsim(['build', '-b', 'nucleo_f030r8', APP]);
    expect(nonet.code).not.toBe(0);
    expect(nonet.stderr).toMatch(/depends on netif/);
    const off = zsim(['run', '-b', 'qemu_x86', APP, '-D', 'CONFIG_LWIP_MQTT=n']);
    expect(off.code).not.toBe(0);
    expect(off.stderr).toMatch(/'zsim\/lwip\/mqtt' \(lwip\/apps\/mqtt\.h\) is not enabled in this build: set CONFIG_LWIP_MQTT=y/);
  });
});

describe.skipIf(!have)('zsim run samples/lwip/mqtt_client --broker with mosquitto', () => {
  const mq = mosquittoForSuite();

  it('publishes to mosquitto_sub -t lwip/pub at QoS 2 and exits 0', async () => {
    const sub = mosquittoSub(mq.port, 'lwip/pub', ['-q', '2']);
    await sub.ready;
    const r = zsim(['run', '-b', 'qemu_x86', APP, '--broker', `mqtt://127.0.0.1:${mq.port}`]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(appLines(r.stdout)).toEqual(SAMPLE_LINES);
    expect(await sub.waitFor(1)).toEqual(['lwip/pub 2 0 hello this is lwIP']);
    sub.stop();
    expect(await mq.broker.waitLog(/as lwip_test_sub/)).toMatch(/New client connected from 127\.0\.0\.1:\d+ as lwip_test_sub/);
  });

});
