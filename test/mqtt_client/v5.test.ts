/**
 * MQTT 5.0 (`CONFIG_MQTT_VERSION_5_0`): CONNECT properties, session expiry, user properties on
 * PUBLISH, DISCONNECT with a reason both ways, topic aliases set by the server, AUTH.
 */
import { describe, expect, it } from 'vitest';
import { mosquittoForFile, bytes, connectAndWait, fakeBroker, hostBoard, newClient, publish, pump, subscribe, text } from './helpers.ts';
import { EBADMSG, ENOTCONN, ENOTSUP } from '../../src/kernel/index.ts';
import {
  MQTT_AUTH_CONTINUE_AUTHENTICATION, MQTT_DISCONNECT_SESSION_TAKE_OVER, MQTT_DISCONNECT_WITH_WILL_MSG, MQTT_EVT_AUTH,
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBLISH, MQTT_EVT_SUBACK, MQTT_UTF8_LITERAL as S, MQTT_VERSION_5_0,
  mqtt_auth, mqtt_connect, mqtt_disconnect, mqtt_publish, mqtt_readall_publish_payload, mqtt_subscribe,
  mqtt_utf8_to_string, mqtt_publish_qos1_ack, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

const mq = mosquittoForFile('v5');
const V5 = { MQTT_VERSION_5_0: true };

describe.skipIf(!mq.have)('MQTT 5.0 with mosquitto', () => {
  it('CONNECT with user properties and a session expiry; the session and its QoS 1 message outlive the connection', async () => {
    const events: mqtt_evt[] = [];
    const connack: unknown[] = [];
    const received: string[] = [];
    const main = (phase: 1 | 2) => async (): Promise<void> => {
      const client = newClient(mq.port, 'zsim-v5-session', events, {
        onEvent: async (c, evt) => {
          if (evt.type === MQTT_EVT_CONNACK) {
            const p = evt.param.connack.prop ?? {};
            connack.push([evt.result, evt.param.connack.session_present_flag, p.topic_alias_maximum !== undefined]);
          }
          if (evt.type === MQTT_EVT_PUBLISH) {
            const buf = new Uint8Array(evt.param.publish.message.payload.len);
            await mqtt_readall_publish_payload(c, buf, buf.length);
            const up = evt.param.publish.prop?.user_prop ?? [];
            received.push(`${text(buf)} ${up.map((u) => `${mqtt_utf8_to_string(u.name)}=${mqtt_utf8_to_string(u.value)}`).join(',')}`);
            await mqtt_publish_qos1_ack(c, { message_id: evt.param.publish.message_id });
          }
        },
      });
      client.protocol_version = MQTT_VERSION_5_0;
      client.clean_session = phase === 1 ? 1 : 0;
      client.prop.session_expiry_interval = 300;
      client.prop.user_prop = [{ name: S('board'), value: S('zsim') }];
      await connectAndWait(client, events);
      if (phase === 1) {
        await mqtt_subscribe(client, { list: [{ topic: S('zsim/v5'), qos: 1 }], list_count: 1, message_id: 1 });
        await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      } else {
        await pump(client, () => received.length > 0, 3000);
      }
      await mqtt_disconnect(client, null);
    };
    await hostBoard(main(1), V5);
    expect(await publish(mq.port, 'zsim/v5', 'kept', ['-q', '1', '-V', 'mqttv5', '-D', 'publish', 'user-property', 'k', 'v'])).toBe(0);
    await hostBoard(main(2), V5);
    expect(connack).toEqual([[0, false, true], [0, true, true]]);
    expect(received).toEqual(['kept k=v']);
    expect(mq.broker.log()).toMatch(/New client connected from 127\.0\.0\.1:\d+ as zsim-v5-session \(p5, c1, k60\)/);
  });

  it('PUBLISH user properties reach a 5.0 mosquitto_sub', async () => {
    const sub = subscribe(mq.port, 'zsim/v5/props', ['-V', 'mqttv5'], '%t %P %p');
    await sub.ready;
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-v5-pub', events);
      await connectAndWait(client, events);
      await mqtt_publish(client, {
        message: { topic: { topic: S('zsim/v5/props'), qos: 0 }, payload: { data: bytes('with props'), len: 10 } },
        message_id: 0, dup_flag: false, retain_flag: false,
        prop: { user_prop: [{ name: S('unit'), value: S('celsius') }] },
      });
      await mqtt_disconnect(client, null);
    }, V5);
    const got = await sub.waitFor(1);
    sub.stop();
    expect(got).toEqual(['zsim/v5/props unit:celsius with props']);
  });

  it('mqtt_disconnect with reason "with will message" makes the broker publish the will', async () => {
    const sub = subscribe(mq.port, 'zsim/v5/will');
    await sub.ready;
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-v5-will', events);
      client.will_topic = { topic: S('zsim/v5/will'), qos: 0 };
      client.will_message = S('bye with will');
      await connectAndWait(client, events);
      await mqtt_disconnect(client, { reason_code: MQTT_DISCONNECT_WITH_WILL_MSG });
    }, V5);
    const got = await sub.waitFor(1);
    sub.stop();
    expect(got).toEqual(['zsim/v5/will 0 0 bye with will']);
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, 0]]);
  });

  it('session taken over: mosquitto just closes the old connection, so it is DISCONNECT(-ENOTCONN)', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-v5-dup', events);
      await connectAndWait(client, events);
      // Another client with the same id takes the session over.
      const thief = subscribe(mq.port, 'zsim/none', ['-i', 'zsim-v5-dup']);
      log.push(await pump(client, () => events.some((e) => e.type === MQTT_EVT_DISCONNECT), 3000), client.internal.state);
      thief.stop();
    }, V5);
    expect(log).toEqual([-ENOTCONN, 0]);
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, -ENOTCONN]]);
    expect(r.console.lines.slice(-2)).toEqual([
      expect.stringMatching(/^<err> net_mqtt_rx: \[CID 0x[0-9a-f]+\]: Connection closed\.$/),
      '<inf> net_mqtt_sock_tcp: Closing socket 0',
    ]);
  });
});

describe('MQTT 5.0 against a scripted peer', () => {
  const publish5 = (topic: string, alias: number, payload: string): number[] => {
    const props = [0x23, alias >> 8, alias & 0xff];
    const body = [0x00, topic.length, ...bytes(topic), props.length, ...props, ...bytes(payload)];
    return [0x30, body.length, ...body];
  };

  it('topic aliases the server sets are resolved; one beyond CONFIG_MQTT_TOPIC_ALIAS_MAX is refused with DISCONNECT 0x94', async () => {
    let step = 0;
    const peer = await fakeBroker((s, d) => {
      if (d[0] === 0x10 && step++ === 0) {
        s.write(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00, ...publish5('a/b', 1, 'one'), ...publish5('', 1, 'two'), ...publish5('c', 9, 'bad')]));
      }
    });
    const events: mqtt_evt[] = [];
    const topics: string[] = [];
    let rc = 0;
    await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-alias', events, {
        onEvent: async (c, evt) => {
          if (evt.type === MQTT_EVT_PUBLISH && evt.result === 0) {
            const buf = new Uint8Array(evt.param.publish.message.payload.len);
            await mqtt_readall_publish_payload(c, buf, buf.length);
            topics.push(`${mqtt_utf8_to_string(evt.param.publish.message.topic.topic)} ${text(buf)}`);
          }
        },
      });
      await connectAndWait(client, events);
      rc = await pump(client, () => false, 1000);
    }, V5);
    await new Promise((r) => setTimeout(r, 50));
    peer.close();
    expect(topics).toEqual(['a/b one', 'a/b two']);
    expect(rc).toBe(-EBADMSG);
    expect(events.map((e) => [e.type, e.result]).slice(-2)).toEqual([[MQTT_EVT_PUBLISH, -EBADMSG], [MQTT_EVT_DISCONNECT, -EBADMSG]]);
    // The client said why before closing: DISCONNECT, Topic Alias invalid.
    expect([...peer.received()].slice(-3)).toEqual([0xe0, 0x01, 0x94]);
    // Zephyr's CONNECT announces CONFIG_MQTT_TOPIC_ALIAS_MAX (5) and Request Problem Information 0.
    expect([...peer.received()].slice(0, 30)).toEqual([
      0x10, 0x1c, 0, 4, ...bytes('MQTT'), 5, 0x02, 0, 60, 0x05, 0x22, 0, 5, 0x17, 0, 0, 10, ...bytes('zsim-alias'),
    ]);
  });

  it('a DISCONNECT from the server is MQTT_EVT_DISCONNECT with its reason code and parameters; mqtt_input returns 0', async () => {
    const DISCONNECT = [0xe0, 0x0a, 0x8e, 0x08, 0x1f, 0x00, 0x05, ...bytes('taken')];
    const peer = await fakeBroker((s, d) => void (d[0] === 0x10 && s.write(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00, ...DISCONNECT]))));
    const events: mqtt_evt[] = [];
    const seen: unknown[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-srv-disc', events, {
        onEvent: (_c, evt) => {
          if (evt.type === MQTT_EVT_DISCONNECT) {
            const d = evt.param.disconnect;
            seen.push(d?.reason_code, mqtt_utf8_to_string(d?.prop?.reason_string ?? S('')));
          }
        },
      });
      await connectAndWait(client, events);
      log.push(await pump(client, () => events.some((e) => e.type === MQTT_EVT_DISCONNECT), 3000), client.internal.state);
    }, V5);
    peer.close();
    expect(log).toEqual([0, 0]);
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, MQTT_DISCONNECT_SESSION_TAKE_OVER]]);
    expect(seen).toEqual([MQTT_DISCONNECT_SESSION_TAKE_OVER, 'taken']);
    expect(r.console.lines.slice(-1)).toEqual(['<inf> net_mqtt_sock_tcp: Closing socket 0']);
  });

  it('AUTH before CONNACK: MQTT_EVT_AUTH(continue), the app answers with mqtt_auth; mqtt_auth needs CONFIG_MQTT_VERSION_5_0', async () => {
    const AUTH_CONTINUE = [0xf0, 0x09, 0x18, 0x07, 0x15, 0x00, 0x04, ...bytes('SCRM')];
    const peer = await fakeBroker((s, d) => {
      if (d[0] === 0x10) s.write(Buffer.from(AUTH_CONTINUE));
      if (d[0] === 0xf0) s.write(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00]));
    });
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-auth', events, {
        onEvent: async (c, evt) => {
          if (evt.type === MQTT_EVT_AUTH) {
            log.push(mqtt_utf8_to_string(evt.param.auth.prop?.auth_method ?? S('')));
            log.push(await mqtt_auth(c, { reason_code: MQTT_AUTH_CONTINUE_AUTHENTICATION, prop: { auth_method: S('SCRM'), auth_data: { data: bytes('resp'), len: 4 } } }));
          }
        },
      });
      client.prop.auth_method = S('SCRM');
      log.push(await connectAndWait(client, events));
      await mqtt_disconnect(client, null);
    }, V5);
    expect(log).toEqual(['SCRM', 0, 0]);
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_AUTH, MQTT_AUTH_CONTINUE_AUTHENTICATION], [MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, 0]]);
    const sent = Buffer.from(peer.received());
    expect(sent.includes(Buffer.from([0xf0, 0x10, 0x18, 0x0e, 0x15, 0x00, 0x04, ...bytes('SCRM'), 0x16, 0x00, 0x04, ...bytes('resp')]))).toBe(true);

    const off: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(peer.port, 'zsim-auth', []);
      off.push(await mqtt_auth(client, { reason_code: 0 }));
      client.protocol_version = MQTT_VERSION_5_0;
      off.push(await mqtt_connect(client));
    });
    peer.close();
    expect(off).toEqual([-ENOTSUP, -ENOTSUP]);
  });
});
