/**
 * lwIP's MQTT client and the sample on the host network (real time) against a real mosquitto,
 * with mosquitto_sub and mosquitto_pub as independent peers. Under CI=true a missing mosquitto
 * fails instead of skipping.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cpu } from '../../src/kernel/cpu.ts';
import type { MemoryConsole } from '../../src/kernel/console.ts';
import { K_SECONDS, k_msleep, k_sem, k_sem_give, k_sem_init, k_sem_take, k_uptime_get } from '../../src/kernel/index.ts';
import {
  IP4_ADDR, MQTT_CONNECT_ACCEPTED, MQTT_CONNECT_REFUSED_IDENTIFIER, MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_, ip_addr_t,
  mqtt_client_connect, mqtt_client_new, mqtt_disconnect, type mqtt_connect_client_info_t,
} from '../../src/lwip/mqtt.ts';
import { freePort, mosquittoAvailable, mosquittoForSuite, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { SAMPLE_LINES, hostBoard, mosquittoPub, mosquittoSub } from './helpers.ts';
import { main as sampleMain, mqttClient } from '../../samples/lwip/mqtt_client/src/main.ts';

const have = mosquittoAvailable();

/** In a board thread: sleeps until the board's console matches `re` (or `ms` pass). */
async function waitConsole(re: RegExp, ms = 5000): Promise<boolean> {
  const con = cpu.kernel!.console as MemoryConsole;
  const end = k_uptime_get() + ms;
  while (!re.test(con.text)) {
    if (k_uptime_get() > end) return false;
    await k_msleep(20);
  }
  return true;
}

/** Connects with `info` and returns the first status (or -1 after 5 s). */
async function firstStatus(info: mqtt_connect_client_info_t): Promise<number> {
  const ip = new ip_addr_t();
  IP4_ADDR(ip, 192, 0, 2, 2);
  const sem = new k_sem();
  k_sem_init(sem, 0, 1);
  let status = -1;
  const c = mqtt_client_new()!;
  mqtt_client_connect(c, ip, 1883, (_c, _a, st) => {
    if (status < 0) status = st;
    k_sem_give(sem);
  }, null, info);
  await k_sem_take(sem, K_SECONDS(5));
  mqtt_disconnect(c);
  return status;
}

describe.skipIf(!have)('the lwIP MQTT sample against mosquitto', () => {
  const mq = mosquittoForSuite();

  it("main() publishes 'hello this is lwIP' at QoS 2 to mosquitto_sub -t lwip/pub", async () => {
    const sub = mosquittoSub(mq.port, 'lwip/pub', ['-q', '2']);
    await sub.ready;
    const r = await hostBoard(sampleMain, mq.port);
    const got = await sub.waitFor(1);
    sub.stop();
    expect(r.result.reason, r.console.text).toBe('finished');
    expect(r.kernel.mainResult).toBe(0);
    expect(got).toEqual(['lwip/pub 2 0 hello this is lwIP']);
    // QoS 2 all the way: PUBLISH, PUBREC, PUBREL, PUBCOMP with lwIP's client.
    const log = await mq.broker.waitLog(/Sending PUBCOMP to lwip_test_pub/);
    expect(log).toMatch(/Received PUBLISH from lwip_test_pub \(d0, q2, r0, m1, 'lwip\/pub', \.\.\. \(18 bytes\)\)/);
    expect(log).toMatch(/Received PUBREL from lwip_test_pub/);
    expect(r.console.lines).toEqual(SAMPLE_LINES);
  });

  it("mosquitto_pub -t lwip/sub reaches the sample's callbacks, a large payload in fragments", async () => {
    const big = 'x'.repeat(300);
    const r = await hostBoard(async () => {
      mqttClient(2, ['mqttClient', 'sub']);
      if (!(await waitConsole(/Subscribe result: 0/))) return;
      void mosquittoPub(mq.port, 'lwip/sub', 'hello from mosquitto', ['-q', '1']);
      if (!(await waitConsole(/mqtt payload: hello from mosquitto/))) return;
      void mosquittoPub(mq.port, 'lwip/sub', big);
      await waitConsole(/flags 1[\s\S]*flags 1\n.*\n$/);
      mqttClient(2, ['mqttClient', 'stop']);
    }, mq.port);
    expect(r.result.reason).toBe('finished');
    expect(r.console.lines).toEqual([
      'mqtt_connection_cb: Successfully connected',
      'Subscribe result: 0',
      'Incoming publish at topic lwip/sub with total length 20',
      'Incoming publish payload with length 20, flags 1',
      'mqtt payload: hello from mosquitto',
      // 128-byte buffer, 3-byte fixed header, topic 2 + 8: 115 bytes, then 125, then the last 60.
      'Incoming publish at topic lwip/sub with total length 300',
      'Incoming publish payload with length 115, flags 0',
      `mqtt payload: ${'x'.repeat(115)}`,
      'Incoming publish payload with length 125, flags 0',
      `mqtt payload: ${'x'.repeat(125)}`,
      'Incoming publish payload with length 60, flags 1',
      `mqtt payload: ${'x'.repeat(60)}`,
    ]);
    // The client acknowledged the QoS 1 message itself.
    expect(await mq.broker.waitLog(/Received PUBACK from lwip_test_sub/)).toMatch(/Received PUBACK from lwip_test_sub/);
  });

  it('mqtt_disconnect closes TCP without DISCONNECT, so mosquitto publishes the will', async () => {
    const sub = mosquittoSub(mq.port, 'lwip/will');
    await sub.ready;
    let status = -1;
    await hostBoard(async () => {
      status = await firstStatus({ client_id: 'lwip_will', will_topic: 'lwip/will', will_msg: 'gone', will_qos: 0 });
    }, mq.port);
    expect(status).toBe(MQTT_CONNECT_ACCEPTED);
    expect(await sub.waitFor(1)).toEqual(['lwip/will 0 0 gone']);
    sub.stop();
  });
});

describe.skipIf(!have)('connection refused by mosquitto', () => {
  let broker: Mosquitto;
  let port = 0;
  beforeAll(async () => {
    port = await freePort();
    const dir = mkdtempSync(path.join(tmpdir(), 'lwip-mosq-'));
    const pw = path.join(dir, 'passwd');
    writeFileSync(pw, '');
    spawnSync('mosquitto_passwd', ['-b', pw, 'lwip', 'secret']);
    broker = await startMosquitto(
      [`listener ${port} 127.0.0.1`, 'allow_anonymous false', `password_file ${pw}`, 'allow_zero_length_clientid false'],
      [port],
    );
  });
  afterAll(async () => broker?.stop());

  it('gives lwIP the CONNACK return codes as connection statuses', async () => {
    const seen: number[] = [];
    await hostBoard(async () => {
      seen.push(await firstStatus({ client_id: 'anon' }));
      seen.push(await firstStatus({ client_id: 'bad', client_user: 'lwip', client_pass: 'wrong' }));
      seen.push(await firstStatus({ client_id: '', client_user: 'lwip', client_pass: 'secret' }));
      seen.push(await firstStatus({ client_id: 'good', client_user: 'lwip', client_pass: 'secret' }));
    }, port);
    // mosquitto answers 3.1.1 clients with "not authorized" for missing and for wrong credentials.
    expect(seen).toEqual([
      MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_, MQTT_CONNECT_REFUSED_NOT_AUTHORIZED_, MQTT_CONNECT_REFUSED_IDENTIFIER, MQTT_CONNECT_ACCEPTED,
    ]);
  });
});
