/**
 * Publishing, checked by a mosquitto_sub started first: samples/net/mqtt_publisher itself, run
 * by `zsim run --broker` (QoS 0, 1 with PUBACK, 2 with PUBREC/PUBREL/PUBCOMP), the tx-side
 * errors, large payloads sent beside tx_buf, retained messages, unsubscribe.
 */
import { describe, expect, it } from 'vitest';
import { PUBLISHER, logLines, zsimAsync } from '../samples_mqtt/helpers.ts';
import { mosquittoForFile, bytes, connectAndWait, hostBoard, newClient, pump, subscribe } from './helpers.ts';
import { EINVAL, ENOMEM, ENOTCONN } from '../../src/kernel/index.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBACK, MQTT_EVT_SUBACK, MQTT_EVT_UNSUBACK, MQTT_QOS_0_AT_MOST_ONCE,
  MQTT_QOS_1_AT_LEAST_ONCE, MQTT_UTF8_LITERAL, mqtt_connect, mqtt_disconnect, mqtt_ping, mqtt_publish,
  mqtt_publish_qos1_ack, mqtt_subscribe, mqtt_unsubscribe, type mqtt_evt, type mqtt_publish_param, type mqtt_qos,
  type mqtt_subscription_list,
} from '../../src/net/mqtt/mqtt.ts';

const mq = mosquittoForFile('publish');

describe.skipIf(!mq.have)('publishing to mosquitto', () => {
  it('the mqtt_publisher sample: QoS 0, 1 (PUBACK) and 2 (PUBREC, PUBREL, PUBCOMP) reach mosquitto_sub', async () => {
    const sub = subscribe(mq.port, 'sensors', ['-q', '2']);
    await sub.ready;
    const run = zsimAsync(['run', '-b', 'qemu_x86', PUBLISHER, '--broker', `mqtt://127.0.0.1:${mq.port}`, '--', '-DCONFIG_NET_SAMPLE_APP_MAX_ITERATIONS=1']);
    const r = await run.done;
    const got = await sub.waitFor(3);
    sub.stop();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(got).toEqual(['sensors 0 0 DOORS:OPEN_QoS0', 'sensors 1 0 DOORS:OPEN_QoS1', 'sensors 2 0 DOORS:OPEN_QoS2']);
    const lines = logLines(r.stdout);
    const app = '<inf> net_mqtt_publisher_sample:';
    expect(lines.map((l) => l.replace(/id: \d+/, 'id: N'))).toEqual([
      '*** Booting Zephyr OS build zsim-v0.1.0 ***',
      `${app} attempting to connect: `,
      '<inf> net_mqtt: Connect completed',
      `${app} MQTT client connected!`,
      `${app} try_to_connect: 0 <OK>`,
      `${app} mqtt_ping: 0 <OK>`,
      `${app} PINGRESP packet`,
      `${app} mqtt_publish: 0 <OK>`,
      `${app} mqtt_publish: 0 <OK>`,
      `${app} PUBACK packet id: N`,
      `${app} mqtt_publish: 0 <OK>`,
      `${app} PUBREC packet id: N`,
      `${app} PUBCOMP packet id: N`,
      expect.stringMatching(/^<inf> net_mqtt_sock_tcp: Closing socket \d+$/),
      `${app} MQTT client disconnected 0`,
      `${app} mqtt_disconnect: 0 <OK>`,
      `${app} Bye!`,
    ]);
    // The QoS 2 flow acknowledges the packet id it published.
    const ids = lines.filter((l) => /PUB(REC|COMP)/.test(l)).map((l) => l.split('id: ')[1]);
    expect(ids[0]).toBe(ids[1]);
  });

  it('before the CONNACK: -ENOTCONN; QoS > 0 with message id 0: -EINVAL; header + topic beyond tx_buf: -ENOMEM', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-errors', events, { tx: 64 });
      const pub = (topic: string, qos: mqtt_qos, message_id: number, payload = 'x'): mqtt_publish_param => ({
        message: { topic: { topic: MQTT_UTF8_LITERAL(topic), qos }, payload: { data: bytes(payload), len: payload.length } },
        message_id, dup_flag: false, retain_flag: false,
      });
      const subs: mqtt_subscription_list = { list: [{ topic: MQTT_UTF8_LITERAL('a/b'), qos: MQTT_QOS_0_AT_MOST_ONCE }], list_count: 1, message_id: 1 };
      log.push(await mqtt_publish(client, pub('t', 0, 0)), await mqtt_ping(client));
      log.push(await mqtt_connect(client));
      // Connected at TCP level, CONNACK not processed yet.
      log.push(await mqtt_publish(client, pub('t', 1, 1)), await mqtt_subscribe(client, subs),
        await mqtt_unsubscribe(client, subs), await mqtt_ping(client), await mqtt_publish_qos1_ack(client, { message_id: 1 }),
        await mqtt_disconnect(client, null));
      await pump(client, () => events.length > 0);
      log.push(await mqtt_publish(client, pub('t', 1, 0)), await mqtt_publish(client, pub('t', 2, 0)));
      log.push(await mqtt_publish(client, pub('t'.repeat(70), 0, 0)), await mqtt_publish(client, pub('t'.repeat(60), 1, 7)));
      // The connection survives those errors: a payload far larger than tx_buf goes out beside it.
      log.push(await mqtt_publish(client, pub('zsim/big', 1, 9, 'z'.repeat(10_000))));
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PUBACK));
      log.push(await mqtt_disconnect(client, null));
    });
    expect(log).toEqual([
      -ENOTCONN, -ENOTCONN, 0,
      -ENOTCONN, -ENOTCONN, -ENOTCONN, -ENOTCONN, -ENOTCONN, -ENOTCONN,
      -EINVAL, -EINVAL, -ENOMEM, -ENOMEM, 0, 0,
    ]);
    expect(events.map((e) => e.type)).toEqual([MQTT_EVT_CONNACK, MQTT_EVT_PUBACK, MQTT_EVT_DISCONNECT]);
    expect(r.console.lines.filter((l) => l.includes('<err>'))).toEqual([]);
  });

  it('a 10 kB payload through a 64-byte tx_buf arrives whole', async () => {
    const sub = subscribe(mq.port, 'zsim/big2', ['-q', '1'], '%t %l %x');
    await sub.ready;
    const events: mqtt_evt[] = [];
    const payload = new Uint8Array(10_000).map((_, i) => i & 0xff);
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-big', events, { tx: 64 });
      await connectAndWait(client, events);
      await mqtt_publish(client, {
        message: { topic: { topic: MQTT_UTF8_LITERAL('zsim/big2'), qos: 1 }, payload: { data: payload, len: payload.length } },
        message_id: 2, dup_flag: false, retain_flag: false,
      });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PUBACK));
      await mqtt_disconnect(client, null);
    });
    const got = await sub.waitFor(1);
    sub.stop();
    expect(got).toEqual([`zsim/big2 10000 ${Buffer.from(payload).toString('hex')}`]);
  });

  it('a retained message is kept by the broker for later subscribers; UNSUBACK acknowledges an unsubscribe', async () => {
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-retain', events);
      await connectAndWait(client, events);
      await mqtt_publish(client, {
        message: { topic: { topic: MQTT_UTF8_LITERAL('zsim/retained'), qos: 1 }, payload: { data: bytes('kept'), len: 4 } },
        message_id: 3, dup_flag: false, retain_flag: true,
      });
      const list: mqtt_subscription_list = { list: [{ topic: MQTT_UTF8_LITERAL('zsim/other/#'), qos: MQTT_QOS_1_AT_LEAST_ONCE }], list_count: 1, message_id: 4 };
      await mqtt_subscribe(client, list);
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      await mqtt_unsubscribe(client, { ...list, message_id: 5 });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_UNSUBACK) && events.some((e) => e.type === MQTT_EVT_PUBACK));
      await mqtt_disconnect(client, null);
    });
    const acks = events.flatMap((e) =>
      e.type === MQTT_EVT_PUBACK ? [['puback', e.param.puback.message_id]]
        : e.type === MQTT_EVT_SUBACK ? [['suback', e.param.suback.message_id, [...e.param.suback.return_codes.data]]]
          : e.type === MQTT_EVT_UNSUBACK ? [['unsuback', e.param.unsuback.message_id]] : []);
    expect(acks).toEqual([['puback', 3], ['suback', 4, [1]], ['unsuback', 5]]);
    const late = subscribe(mq.port, 'zsim/retained', ['-C', '1']);
    const got = await late.waitFor(1);
    late.stop();
    expect(got).toEqual(['zsim/retained 0 1 kept']);
  });
});
