/**
 * Publishing, checked by a mosquitto_sub started first: Zephyr's mqtt_publisher sample ported
 * line by line (QoS 0, 1 with PUBACK, 2 with PUBREC/PUBREL/PUBCOMP), the tx-side errors, large
 * payloads sent beside tx_buf, retained messages, unsubscribe.
 */
import { describe, expect, it } from 'vitest';
import { mosquittoForFile, brokerAddr, bytes, connectAndWait, hostBoard, newClient, pump, subscribe } from './helpers.ts';
import {
  EAGAIN, EINVAL, ENOMEM, ENOTCONN, k_sleep, K_MSEC, k_uptime_get, printk, sys_rand32_get,
} from '../../src/kernel/index.ts';
import { POLLIN, zsock_poll, zsock_pollfd } from '../../src/net/socket.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBACK, MQTT_EVT_PUBCOMP, MQTT_EVT_PUBREC, MQTT_EVT_SUBACK,
  MQTT_EVT_UNSUBACK, MQTT_QOS_0_AT_MOST_ONCE, MQTT_QOS_1_AT_LEAST_ONCE, MQTT_QOS_2_EXACTLY_ONCE, MQTT_TRANSPORT_NON_SECURE,
  MQTT_UTF8_LITERAL, MQTT_VERSION_3_1_1, mqtt_abort, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_disconnect,
  mqtt_input, mqtt_live, mqtt_ping, mqtt_publish, mqtt_publish_qos1_ack, mqtt_publish_qos2_release, mqtt_subscribe,
  mqtt_unsubscribe, type mqtt_evt, type mqtt_publish_param, type mqtt_qos, type mqtt_subscription_list,
} from '../../src/net/mqtt/mqtt.ts';

const mq = mosquittoForFile('publish');

/** samples/net/mqtt_publisher/src/main.c, as a Zephyr developer would paste it into zsim. */
function publisherSample(serverPort: number): () => Promise<void> {
  const APP_CONNECT_TRIES = 3;
  const APP_SLEEP_MSECS = 300;
  const APP_MAX_ITERATIONS = 1;
  const rx_buffer = new Uint8Array(128);
  const tx_buffer = new Uint8Array(128);
  const client_ctx = new mqtt_client();
  const broker = brokerAddr(serverPort);
  const fds = [new zsock_pollfd()];
  let nfds = 0;
  let connected = false;

  const prepare_fds = (client: mqtt_client): void => {
    if (client.transport.type === MQTT_TRANSPORT_NON_SECURE) fds[0]!.fd = client.transport.tcp.sock;
    fds[0]!.events = POLLIN;
    nfds = 1;
  };
  const clear_fds = (): void => void (nfds = 0);
  const wait = async (timeout: number): Promise<void> => {
    if (nfds > 0 && (await zsock_poll(fds, nfds, timeout)) < 0) printk('poll error\n');
  };

  const mqtt_evt_handler = async (client: mqtt_client, evt: mqtt_evt): Promise<void> => {
    switch (evt.type) {
      case MQTT_EVT_CONNACK:
        if (evt.result !== 0) {
          printk('MQTT connect failed %d\n', evt.result);
          break;
        }
        connected = true;
        printk('[mqtt_evt_handler] MQTT client connected!\n');
        break;
      case MQTT_EVT_DISCONNECT:
        printk('[mqtt_evt_handler] MQTT client disconnected %d\n', evt.result);
        connected = false;
        clear_fds();
        break;
      case MQTT_EVT_PUBACK:
        if (evt.result !== 0) {
          printk('MQTT PUBACK error %d\n', evt.result);
          break;
        }
        printk('[mqtt_evt_handler] PUBACK packet id: %u\n', evt.param.puback.message_id);
        break;
      case MQTT_EVT_PUBREC: {
        if (evt.result !== 0) {
          printk('MQTT PUBREC error %d\n', evt.result);
          break;
        }
        printk('[mqtt_evt_handler] PUBREC packet id: %u\n', evt.param.pubrec.message_id);
        const err = await mqtt_publish_qos2_release(client, { message_id: evt.param.pubrec.message_id });
        if (err !== 0) printk('Failed to send MQTT PUBREL: %d\n', err);
        break;
      }
      case MQTT_EVT_PUBCOMP:
        if (evt.result !== 0) {
          printk('MQTT PUBCOMP error %d\n', evt.result);
          break;
        }
        printk('[mqtt_evt_handler] PUBCOMP packet id: %u\n', evt.param.pubcomp.message_id);
        break;
      default:
        break;
    }
  };

  const publish = (client: mqtt_client, qos: mqtt_qos): Promise<number> => {
    const param: mqtt_publish_param = {
      message: {
        topic: { qos, topic: MQTT_UTF8_LITERAL('sensors') },
        payload: { data: bytes(`DOORS:OPEN_QoS${qos}`), len: 15 },
      },
      message_id: sys_rand32_get() & 0xffff,
      dup_flag: false,
      retain_flag: false,
    };
    return mqtt_publish(client, param);
  };

  const RC_STR = (rc: number): string => (rc === 0 ? 'OK' : 'ERROR');
  const PRINT_RESULT = (func: string, rc: number): void => void printk('%s: %d <%s>\n', func, rc, RC_STR(rc));

  const client_init = (client: mqtt_client): void => {
    mqtt_client_init(client);
    client.broker = broker;
    client.evt_cb = mqtt_evt_handler;
    client.client_id = MQTT_UTF8_LITERAL('zephyr_publisher');
    client.password = null;
    client.user_name = null;
    client.protocol_version = MQTT_VERSION_3_1_1;
    client.rx_buf = rx_buffer;
    client.rx_buf_size = rx_buffer.length;
    client.tx_buf = tx_buffer;
    client.tx_buf_size = tx_buffer.length;
    client.transport.type = MQTT_TRANSPORT_NON_SECURE;
  };

  const try_to_connect = async (client: mqtt_client): Promise<number> => {
    let i = 0;
    while (i++ < APP_CONNECT_TRIES && !connected) {
      client_init(client);
      const rc = await mqtt_connect(client);
      if (rc !== 0) {
        PRINT_RESULT('mqtt_connect', rc);
        await k_sleep(K_MSEC(APP_SLEEP_MSECS));
        continue;
      }
      prepare_fds(client);
      await wait(APP_SLEEP_MSECS);
      await mqtt_input(client);
      if (!connected) await mqtt_abort(client);
    }
    return connected ? 0 : -EINVAL;
  };

  const process_mqtt_and_sleep = async (client: mqtt_client, timeout: number): Promise<number> => {
    let remaining = timeout;
    const start_time = k_uptime_get();
    while (remaining > 0 && connected) {
      await wait(remaining);
      let rc = await mqtt_live(client);
      if (rc !== 0 && rc !== -EAGAIN) {
        PRINT_RESULT('mqtt_live', rc);
        return rc;
      }
      rc = await mqtt_input(client);
      if (rc !== 0) {
        PRINT_RESULT('mqtt_input', rc);
        return rc;
      }
      remaining = timeout + start_time - k_uptime_get();
    }
    return 0;
  };

  return async () => {
    printk('attempting to connect: ');
    let rc = await try_to_connect(client_ctx);
    PRINT_RESULT('try_to_connect', rc);
    if (rc !== 0) return;
    let i = 0;
    while (i++ < APP_MAX_ITERATIONS && connected) {
      rc = await mqtt_ping(client_ctx);
      PRINT_RESULT('mqtt_ping', rc);
      if (rc !== 0) break;
      if ((rc = await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS)) !== 0) break;
      for (const qos of [MQTT_QOS_0_AT_MOST_ONCE, MQTT_QOS_1_AT_LEAST_ONCE, MQTT_QOS_2_EXACTLY_ONCE] as const) {
        rc = await publish(client_ctx, qos);
        PRINT_RESULT('mqtt_publish', rc);
        if (rc !== 0) break;
        if ((rc = await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS)) !== 0) break;
      }
    }
    rc = await mqtt_disconnect(client_ctx, null);
    PRINT_RESULT('mqtt_disconnect', rc);
    await wait(APP_SLEEP_MSECS);
    rc = await mqtt_input(client_ctx);
    PRINT_RESULT('mqtt_input', rc);
    printk('\nBye!\n');
  };
}

describe.skipIf(!mq.have)('publishing to mosquitto', () => {
  it('the mqtt_publisher sample: QoS 0, 1 (PUBACK) and 2 (PUBREC, PUBREL, PUBCOMP) reach mosquitto_sub', async () => {
    const sub = subscribe(mq.port, 'sensors', ['-q', '2']);
    await sub.ready;
    const r = await hostBoard(publisherSample(mq.port));
    const got = await sub.waitFor(3);
    sub.stop();
    expect(got).toEqual(['sensors 0 0 DOORS:OPEN_QoS0', 'sensors 1 0 DOORS:OPEN_QoS1', 'sensors 2 0 DOORS:OPEN_QoS2']);
    const out = r.console.lines.map((l) => l.replace(/id: \d+/, 'id: N'));
    expect(out).toEqual([
      '<inf> net_mqtt: Connect completed',
      'attempting to connect: [mqtt_evt_handler] MQTT client connected!',
      'try_to_connect: 0 <OK>',
      'mqtt_ping: 0 <OK>',
      'mqtt_publish: 0 <OK>',
      'mqtt_publish: 0 <OK>',
      '[mqtt_evt_handler] PUBACK packet id: N',
      'mqtt_publish: 0 <OK>',
      '[mqtt_evt_handler] PUBREC packet id: N',
      '[mqtt_evt_handler] PUBCOMP packet id: N',
      '<inf> net_mqtt_sock_tcp: Closing socket 0',
      '[mqtt_evt_handler] MQTT client disconnected 0',
      'mqtt_disconnect: 0 <OK>',
      `mqtt_input: ${-ENOTCONN} <ERROR>`,
      '',
      'Bye!',
    ]);
    // The QoS 2 flow acknowledges the packet id it published.
    const ids = r.console.lines.filter((l) => /PUB(REC|COMP)/.test(l)).map((l) => l.split(': ')[1]);
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
