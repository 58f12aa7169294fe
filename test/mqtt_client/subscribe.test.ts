/**
 * Receiving: subscriptions, PUBLISH events whose payload the application reads (in chunks,
 * through a small rx_buf), acknowledgments sent by the application (never by the library),
 * -EBUSY while a payload is unread, packets larger than rx_buf, SUBACK failures, the will
 * message on mqtt_abort, persistent sessions.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { haveMosquitto, bytes, connectAndWait, fakeBroker, hostBoard, newClient, publish, pump, subscribe, text, waitInput } from './helpers.ts';
import { EAGAIN, EBUSY, ECONNABORTED, ENOMEM, k_msleep } from '../../src/kernel/index.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBLISH, MQTT_EVT_PUBREL, MQTT_EVT_SUBACK, MQTT_SUBACK_FAILURE,
  MQTT_UTF8_LITERAL, mqtt_abort, mqtt_disconnect, mqtt_input, mqtt_publish_qos1_ack, mqtt_publish_qos2_complete,
  mqtt_publish_qos2_receive, mqtt_read_publish_payload, mqtt_readall_publish_payload, mqtt_subscribe, mqtt_utf8_to_string,
  type mqtt_client, type mqtt_evt, type mqtt_qos,
} from '../../src/net/mqtt/mqtt.ts';

const have = haveMosquitto('subscribe');
let broker: Mosquitto;
let port = 0;
let denying: Mosquitto | undefined;
let acl = 0;
/** mosquitto's dynamic security plugin: the one that refuses subscriptions (acl_file does not). */
const DYNSEC = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib', '/usr/local/lib']
  .map((d) => path.join(d, 'mosquitto_dynamic_security.so'))
  .find((f) => existsSync(f));

beforeAll(async () => {
  if (!have) return;
  port = await freePort();
  broker = await startMosquitto([`listener ${port} 127.0.0.1`, 'allow_anonymous true'], [port]);
  if (!DYNSEC) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-mqtt-dynsec-'));
  // Anonymous clients may subscribe under allowed/ only.
  writeFileSync(path.join(dir, 'dynsec.json'), JSON.stringify({
    defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
    clients: [],
    groups: [{ groupname: 'anon', roles: [{ rolename: 'r' }], clients: [] }],
    roles: [{ rolename: 'r', acls: [{ acltype: 'subscribePattern', topic: 'allowed/#', priority: 0, allow: true }] }],
    anonymousGroup: 'anon',
  }));
  acl = await freePort();
  denying = await startMosquitto(
    [`listener ${acl} 127.0.0.1`, 'allow_anonymous true', `plugin ${DYNSEC}`, `plugin_opt_config_file ${path.join(dir, 'dynsec.json')}`],
    [acl],
  );
});
afterAll(async () => {
  await broker?.stop();
  await denying?.stop();
});

const sub1 = (topic: string, qos: mqtt_qos, message_id = 1) => ({
  list: [{ topic: MQTT_UTF8_LITERAL(topic), qos }], list_count: 1, message_id,
});

/** Reads the rest of a PUBLISH payload `chunk` bytes at a time, waiting when none is there yet. */
async function readInChunks(client: mqtt_client, total: number, chunk: number, sizes: number[]): Promise<Uint8Array> {
  const out = new Uint8Array(total);
  let off = 0;
  while (off < total) {
    const rc = await mqtt_read_publish_payload(client, out.subarray(off), chunk);
    if (rc === -EAGAIN) {
      await waitInput(client, 1000);
      continue;
    }
    if (rc <= 0) throw new Error(`mqtt_read_publish_payload: ${rc}`);
    sizes.push(rc);
    off += rc;
  }
  return out;
}

describe.skipIf(!have)('receiving from mosquitto', () => {
  it('QoS 0, 1, 2 from mosquitto_pub: payloads read in chunks through a 64-byte rx_buf, acks sent by the app', async () => {
    const payload = (q: number): string => `${q}:` + 'abcdefghij'.repeat(30);
    const got: [string, number, boolean, string, number[]][] = [];
    const events: mqtt_evt[] = [];
    const subacks: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(port, 'zsim-sub', events, {
        rx: 64,
        onEvent: async (c, evt) => {
          // Event parameters point into rx_buf: look at them in the callback, as in C.
          if (evt.type === MQTT_EVT_SUBACK) subacks.push([evt.param.suback.message_id, [...evt.param.suback.return_codes.data]]);
          if (evt.type === MQTT_EVT_PUBLISH) {
            const p = evt.param.publish;
            const topic = mqtt_utf8_to_string(p.message.topic.topic);
            const sizes: number[] = [];
            const data = await readInChunks(c, p.message.payload.len, 50, sizes);
            got.push([topic, p.message.topic.qos, p.retain_flag, text(data), sizes]);
            if (p.message.topic.qos === 1) await mqtt_publish_qos1_ack(c, { message_id: p.message_id });
            if (p.message.topic.qos === 2) await mqtt_publish_qos2_receive(c, { message_id: p.message_id });
          }
          if (evt.type === MQTT_EVT_PUBREL) await mqtt_publish_qos2_complete(c, { message_id: evt.param.pubrel.message_id });
        },
      });
      await connectAndWait(client, events);
      await mqtt_subscribe(client, sub1('zsim/in/#', 2, 11));
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      for (const q of [0, 1, 2]) void publish(port, `zsim/in/q${q}`, payload(q), ['-q', String(q)]);
      await pump(client, () => got.length === 3 && events.some((e) => e.type === MQTT_EVT_PUBREL), 5000);
      await k_msleep(100);
      await mqtt_disconnect(client, null);
    }, { MQTT_LOG_LEVEL: 4 });
    got.sort((a, b) => a[1] - b[1]);
    expect(got).toEqual([0, 1, 2].map((q) => [`zsim/in/q${q}`, q, false, payload(q), [50, 50, 50, 50, 50, 50, 2]]));
    expect(subacks).toEqual([[11, [2]]]);
    // The broker saw the acknowledgments the application sent.
    expect(broker.log()).toMatch(/Received PUBACK from zsim-sub/);
    expect(broker.log()).toMatch(/Received PUBREC from zsim-sub/);
    expect(broker.log()).toMatch(/Received PUBCOMP from zsim-sub/);
    expect(r.console.lines).toContain('<dbg> net_mqtt_rx: (0x100000): PUB QoS:02, message len 0000012e, topic len 0000000a');
  });

  it('-EBUSY from mqtt_input while a payload is unread; mqtt_readall_publish_payload drains it', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(port, 'zsim-busy', events);
      await connectAndWait(client, events);
      await mqtt_subscribe(client, sub1('zsim/busy', 0));
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      void publish(port, 'zsim/busy', 'first');
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PUBLISH));
      void publish(port, 'zsim/busy', 'second');
      await k_msleep(200);
      log.push(await mqtt_input(client), await mqtt_input(client));
      const buf = new Uint8Array(5);
      log.push(await mqtt_readall_publish_payload(client, buf, 5), text(buf));
      // Nothing left of it: reading more gives 0.
      log.push(await mqtt_read_publish_payload(client, buf, 5));
      log.push(await mqtt_input(client), events.filter((e) => e.type === MQTT_EVT_PUBLISH).length);
      await mqtt_disconnect(client, null);
    });
    expect(log).toEqual([-EBUSY, -EBUSY, 0, 'first', 0, 0, 2]);
  });

  it('a packet larger than rx_buf: -ENOMEM from mqtt_input, DISCONNECT(-ENOMEM), the socket closed', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const long = 'zsim/long/' + 'x'.repeat(60);
    const r = await hostBoard(async () => {
      const client = newClient(port, 'zsim-small-rx', events, { rx: 32 });
      await connectAndWait(client, events);
      await mqtt_subscribe(client, sub1('zsim/long/#', 0));
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      void publish(port, long, 'p');
      log.push(await pump(client, () => false, 2000), client.internal.state);
    });
    expect(log).toEqual([-ENOMEM, 0]);
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_SUBACK, 0], [MQTT_EVT_DISCONNECT, -ENOMEM]]);
    expect(r.console.lines.slice(-2)).toEqual([
      expect.stringMatching(/^<err> net_mqtt_rx: \[CID 0x[0-9a-f]+\]: Read would exceed RX buffer bounds\.$/),
      '<inf> net_mqtt_sock_tcp: Closing socket 0',
    ]);
  });

  it.skipIf(!DYNSEC)('SUBACK 0x80 (MQTT_SUBACK_FAILURE) for a topic the broker ACL denies', async () => {
    const events: mqtt_evt[] = [];
    const codes: number[][] = [];
    await hostBoard(async () => {
      const client = newClient(acl, 'zsim-acl', events, {
        onEvent: (_c, evt) => void (evt.type === MQTT_EVT_SUBACK && codes.push([evt.result, ...evt.param.suback.return_codes.data])),
      });
      await connectAndWait(client, events);
      await mqtt_subscribe(client, {
        list: [{ topic: MQTT_UTF8_LITERAL('allowed/a'), qos: 1 }, { topic: MQTT_UTF8_LITERAL('denied/b'), qos: 1 }],
        list_count: 2,
        message_id: 21,
      });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      await mqtt_disconnect(client, null);
    });
    expect(codes).toEqual([[0, 1, MQTT_SUBACK_FAILURE]]);
  });

  it('mqtt_abort: DISCONNECT(-ECONNABORTED), no MQTT DISCONNECT sent, so the broker publishes the will', async () => {
    const sub = subscribe(port, 'zsim/will', ['-q', '1']);
    await sub.ready;
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(port, 'zsim-will', events);
      client.will_topic = { topic: MQTT_UTF8_LITERAL('zsim/will'), qos: 1 };
      client.will_message = MQTT_UTF8_LITERAL('device lost');
      client.will_retain = 0;
      await connectAndWait(client, events);
      log.push(await mqtt_abort(client), client.internal.state, await mqtt_abort(client));
    });
    const got = await sub.waitFor(1);
    sub.stop();
    expect(log).toEqual([0, 0, 0]);
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, -ECONNABORTED]]);
    expect(got).toEqual(['zsim/will 1 0 device lost']);
  });

  it('persistent session (clean_session 0): a QoS 1 message published while offline arrives after reconnecting', async () => {
    const events: mqtt_evt[] = [];
    const received: string[] = [];
    const flags: boolean[] = [];
    const main = (phase: 'subscribe' | 'resume') => async (): Promise<void> => {
      const client = newClient(port, 'zsim-persistent', events, {
        onEvent: async (c, evt) => {
          if (evt.type === MQTT_EVT_CONNACK) flags.push(evt.param.connack.session_present_flag);
          if (evt.type === MQTT_EVT_PUBLISH) {
            const buf = new Uint8Array(evt.param.publish.message.payload.len);
            await mqtt_readall_publish_payload(c, buf, buf.length);
            received.push(`${evt.param.publish.message.topic.qos} ${text(buf)}`);
            await mqtt_publish_qos1_ack(c, { message_id: evt.param.publish.message_id });
          }
        },
      });
      client.clean_session = 0;
      await connectAndWait(client, events);
      if (phase === 'subscribe') {
        await mqtt_subscribe(client, sub1('zsim/persist', 1));
        await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      } else {
        await pump(client, () => received.length > 0, 3000);
      }
      await mqtt_disconnect(client, null);
    };
    await hostBoard(main('subscribe'));
    expect(await publish(port, 'zsim/persist', 'while you were away', ['-q', '1'])).toBe(0);
    await hostBoard(main('resume'));
    expect(flags).toEqual([false, true]);
    expect(received).toEqual(['1 while you were away']);
  });
});

describe('acknowledgments are the application\'s job', () => {
  it('an inbound QoS 1 PUBLISH gets no PUBACK until mqtt_publish_qos1_ack', async () => {
    const PUBLISH = [0x32, 0x0a, 0x00, 0x03, ...bytes('a/b'), 0x00, 0x07, ...bytes('hi!')];
    const peer = await fakeBroker((s, d) => {
      if (d[0] === 0x10) s.write(Buffer.from([0x20, 0x02, 0x00, 0x00, ...PUBLISH]));
    });
    const events: mqtt_evt[] = [];
    const seen: number[][] = [];
    await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-noack', events);
      await connectAndWait(client, events);
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PUBLISH));
      const buf = new Uint8Array(3);
      await mqtt_readall_publish_payload(client, buf, 3);
      await k_msleep(100);
      seen.push([...peer.received()]);
      await mqtt_publish_qos1_ack(client, { message_id: 7 });
      await k_msleep(100);
      seen.push([...peer.received()]);
      await mqtt_abort(client);
    });
    peer.close();
    const connectLen = seen[0]!.length;
    expect(seen[1]!.slice(connectLen)).toEqual([0x40, 0x02, 0x00, 0x07]);
    expect(seen[0]![0]).toBe(0x10);
  });
});
