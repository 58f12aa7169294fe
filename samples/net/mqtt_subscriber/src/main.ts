/*
 * mqtt_subscriber: the receiving side of Zephyr's mqtt_publisher sample, written in its style.
 *
 * Connects with a persistent session (clean_session = 0) and a will message, subscribes at
 * QoS 0, 1 and 2 (unless the broker still has the session, and so the subscriptions), and logs
 * every message it receives. Acknowledges as MQTT wants: PUBACK for QoS 1; PUBREC, then PUBCOMP
 * on PUBREL for QoS 2, delivering a QoS 2 message once even when the broker sends it again
 * before its PUBREL. Payloads are streamed from the socket in small chunks with
 * mqtt_read_publish_payload(), so they may be far larger than rx_buf.
 *
 * Stops after CONFIG_NET_SAMPLE_APP_MAX_ITERATIONS messages or CONFIG_NET_SAMPLE_APP_TIMEOUT_SEC
 * seconds, whichever comes first; can go offline once in between to show that the broker keeps
 * the session (CONFIG_NET_SAMPLE_APP_OFFLINE_AFTER).
 */
import { CONFIG, EAGAIN, EINVAL, ETIMEDOUT, IS_ENABLED, K_MSEC, k_sleep, k_uptime_get } from 'zsim/kernel';
import { LOG_LEVEL_DBG, LOG_MODULE_REGISTER } from 'zsim/logging/log';
import {
  AF_INET, AF_INET6, ZSOCK_POLLIN, errno, htons, sockaddr_in6_new, sockaddr_in_new, zsock_inet_pton, zsock_poll,
  zsock_pollfd, type sockaddr,
} from 'zsim/net/socket';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PINGRESP, MQTT_EVT_PUBLISH, MQTT_EVT_PUBREL, MQTT_EVT_SUBACK,
  MQTT_QOS_1_AT_LEAST_ONCE, MQTT_QOS_2_EXACTLY_ONCE, MQTT_TRANSPORT_NON_SECURE, MQTT_UTF8_LITERAL, MQTT_VERSION_3_1_1,
  MQTT_VERSION_5_0, mqtt_abort, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_disconnect, mqtt_input, mqtt_live,
  mqtt_publish_qos1_ack, mqtt_publish_qos2_complete, mqtt_publish_qos2_receive, mqtt_read_publish_payload,
  mqtt_subscribe, mqtt_utf8_to_string, type mqtt_evt, type mqtt_publish_param, type mqtt_subscription_list,
} from 'zsim/net/mqtt';
import {
  APP_CONNECT_TIMEOUT_MS, APP_CONNECT_TRIES, APP_MQTT_BUFFER_SIZE, APP_PAYLOAD_CHUNK, APP_SESSION_EXPIRY_SEC,
  APP_SLEEP_MSECS, APP_TOPICS, APP_WILL_MESSAGE, APP_WILL_TOPIC, MQTT_CLIENTID, SERVER_ADDR, SERVER_PORT,
} from './config.ts';

const { LOG_ERR, LOG_INF, LOG_WRN } = LOG_MODULE_REGISTER('net_mqtt_subscriber_sample', LOG_LEVEL_DBG);

const MAX_ITERATIONS = CONFIG.NET_SAMPLE_APP_MAX_ITERATIONS as number;
const TIMEOUT_SEC = CONFIG.NET_SAMPLE_APP_TIMEOUT_SEC as number;
const OFFLINE_AFTER = CONFIG.NET_SAMPLE_APP_OFFLINE_AFTER as number;
const OFFLINE_MSECS = CONFIG.NET_SAMPLE_APP_OFFLINE_MSECS as number;
const END_WITH_ABORT = IS_ENABLED('CONFIG_NET_SAMPLE_APP_END_WITH_ABORT');

/* Buffers for MQTT client. */
const rx_buffer = new Uint8Array(APP_MQTT_BUFFER_SIZE);
const tx_buffer = new Uint8Array(APP_MQTT_BUFFER_SIZE);
/* Where payloads are read to, a chunk at a time. */
const payload_buf = new Uint8Array(APP_PAYLOAD_CHUNK);

/* The mqtt client struct */
const client_ctx = new mqtt_client();

/* MQTT Broker details. */
let broker: sockaddr = { sa_family: 0 };

const fds = [new zsock_pollfd()];
let nfds = 0;

let connected = false;
let session_present = false;
let next_message_id = 1;

/* Messages delivered to the application (a QoS 2 message counts once). */
let received = 0;
/* QoS 2 packet ids received (PUBREC sent) whose PUBREL has not come yet. */
const qos2_pending = new Set<number>();

const RC_STR = (rc: number): string => (rc === 0 ? 'OK' : 'ERROR');

const PRINT_RESULT = (func: string, rc: number): void => LOG_INF('%s: %d <%s>', func, rc, RC_STR(rc));

/* CRC-32 (IEEE 802.3), as Zephyr's crc32_ieee_update() in <zephyr/sys/crc.h>. */
function crc32_ieee_update(crc: number, data: Uint8Array, len: number): number {
  crc = ~crc >>> 0;
  for (let i = 0; i < len; i++) {
    crc ^= data[i]!;
    for (let b = 0; b < 8; b++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return ~crc >>> 0;
}

function prepare_fds(client: mqtt_client): void {
  if (client.transport.type === MQTT_TRANSPORT_NON_SECURE) {
    fds[0]!.fd = client.transport.tcp.sock;
  }

  fds[0]!.events = ZSOCK_POLLIN;
  nfds = 1;
}

function clear_fds(): void {
  nfds = 0;
}

async function wait(timeout: number): Promise<number> {
  let ret = 0;

  if (nfds > 0) {
    ret = await zsock_poll(fds, nfds, timeout);
    if (ret < 0) {
      LOG_ERR('poll error: %d', errno);
    }
  }

  return ret;
}

/*
 * Reads the payload of the PUBLISH being handled (it must be read before the next mqtt_input):
 * at most APP_PAYLOAD_CHUNK bytes per call, polling when the rest has not arrived yet.
 */
async function read_payload(client: mqtt_client, len: number): Promise<number> {
  let remaining = len;
  let crc = 0;
  let reads = 0;

  while (remaining > 0) {
    /* A payload that fits is kept whole for the log; a larger one is only checksummed. */
    const off = len <= payload_buf.length ? len - remaining : 0;
    const ret = await mqtt_read_publish_payload(client, payload_buf.subarray(off), Math.min(remaining, payload_buf.length - off));

    if (ret === -EAGAIN) {
      if ((await wait(APP_CONNECT_TIMEOUT_MS)) <= 0) {
        LOG_ERR('payload: %d of %d bytes missing', remaining, len);
        return -ETIMEDOUT;
      }
      continue;
    }
    if (ret < 0) {
      LOG_ERR('mqtt_read_publish_payload: %d', ret);
      return ret;
    }

    crc = crc32_ieee_update(crc, payload_buf.subarray(off), ret);
    remaining -= ret;
    reads++;
  }

  if (len <= payload_buf.length) {
    LOG_INF('payload: %s', new TextDecoder().decode(payload_buf.subarray(0, len)));
  } else {
    LOG_INF('payload: %u bytes in %d reads, crc32 0x%08x', len, reads, crc);
  }

  return 0;
}

async function on_publish(client: mqtt_client, pub: mqtt_publish_param): Promise<void> {
  const id = pub.message_id;
  const qos = pub.message.topic.qos;
  const topic = mqtt_utf8_to_string(pub.message.topic.topic);
  const duplicate = qos === MQTT_QOS_2_EXACTLY_ONCE && qos2_pending.has(id);

  LOG_INF('PUBLISH packet id: %u, topic: %s, QoS %d, retain %d, dup %d, %u bytes', id, topic, qos,
    pub.retain_flag ? 1 : 0, pub.dup_flag ? 1 : 0, pub.message.payload.len);

  if ((await read_payload(client, pub.message.payload.len)) < 0) {
    return;
  }

  if (duplicate) {
    /* Sent again before our PUBREC reached the broker: already delivered, acknowledge again. */
    LOG_WRN('QoS 2 packet id %u already received: not delivered twice', id);
  } else {
    received++;
  }

  if (qos === MQTT_QOS_1_AT_LEAST_ONCE) {
    const rc = await mqtt_publish_qos1_ack(client, { message_id: id });
    PRINT_RESULT('mqtt_publish_qos1_ack', rc);
  } else if (qos === MQTT_QOS_2_EXACTLY_ONCE) {
    qos2_pending.add(id);
    const rc = await mqtt_publish_qos2_receive(client, { message_id: id });
    PRINT_RESULT('mqtt_publish_qos2_receive', rc);
  }
}

async function mqtt_evt_handler(client: mqtt_client, evt: mqtt_evt): Promise<void> {
  switch (evt.type) {
    case MQTT_EVT_CONNACK:
      if (evt.result !== 0) {
        LOG_ERR('MQTT connect failed %d', evt.result);
        break;
      }

      connected = true;
      session_present = evt.param.connack.session_present_flag;
      LOG_INF('MQTT client connected! (session present: %d)', session_present ? 1 : 0);

      break;

    case MQTT_EVT_DISCONNECT:
      LOG_INF('MQTT client disconnected %d', evt.result);

      connected = false;
      clear_fds();

      break;

    case MQTT_EVT_SUBACK: {
      if (evt.result !== 0) {
        LOG_ERR('MQTT SUBACK error %d', evt.result);
        break;
      }

      const codes = evt.param.suback.return_codes;
      const granted = Array.from(codes.data.subarray(0, codes.len), (c) => (c >= 0x80 ? `0x${c.toString(16)}` : String(c)));
      LOG_INF('SUBACK packet id: %u, granted QoS: %s', evt.param.suback.message_id, granted.join(' '));

      break;
    }

    case MQTT_EVT_PUBLISH:
      if (evt.result !== 0) {
        LOG_ERR('MQTT PUBLISH error %d', evt.result);
        break;
      }

      await on_publish(client, evt.param.publish);

      break;

    case MQTT_EVT_PUBREL: {
      if (evt.result !== 0) {
        LOG_ERR('MQTT PUBREL error %d', evt.result);
        break;
      }

      const id = evt.param.pubrel.message_id;

      LOG_INF('PUBREL packet id: %u', id);
      qos2_pending.delete(id);

      const rc = await mqtt_publish_qos2_complete(client, { message_id: id });
      PRINT_RESULT('mqtt_publish_qos2_complete', rc);

      break;
    }

    case MQTT_EVT_PINGRESP:
      LOG_INF('PINGRESP packet');
      break;

    default:
      break;
  }
}

function broker_init(): void {
  if (IS_ENABLED('CONFIG_NET_IPV6')) {
    const broker6 = sockaddr_in6_new();

    broker6.sin6_family = AF_INET6;
    broker6.sin6_port = htons(SERVER_PORT);
    zsock_inet_pton(AF_INET6, SERVER_ADDR, broker6.sin6_addr);
    broker = broker6;
  } else {
    const broker4 = sockaddr_in_new();

    broker4.sin_family = AF_INET;
    broker4.sin_port = htons(SERVER_PORT);
    zsock_inet_pton(AF_INET, SERVER_ADDR, broker4.sin_addr);
    broker = broker4;
  }
}

function client_init(client: mqtt_client): void {
  mqtt_client_init(client);

  broker_init();

  /* MQTT client configuration */
  client.broker = broker;
  client.evt_cb = mqtt_evt_handler;
  client.client_id = MQTT_UTF8_LITERAL(MQTT_CLIENTID);
  client.password = null;
  client.user_name = null;

  if (IS_ENABLED('CONFIG_MQTT_VERSION_5_0')) {
    client.protocol_version = MQTT_VERSION_5_0;
    client.prop.session_expiry_interval = APP_SESSION_EXPIRY_SEC;
  } else {
    client.protocol_version = MQTT_VERSION_3_1_1;
  }

  /* A persistent session: the broker keeps our subscriptions and queues QoS 1/2 messages. */
  client.clean_session = 0;

  /* Published by the broker if we vanish without a DISCONNECT. */
  client.will_topic = { topic: MQTT_UTF8_LITERAL(APP_WILL_TOPIC), qos: MQTT_QOS_1_AT_LEAST_ONCE };
  client.will_message = MQTT_UTF8_LITERAL(APP_WILL_MESSAGE);
  client.will_retain = 0;

  /* MQTT buffers configuration */
  client.rx_buf = rx_buffer;
  client.rx_buf_size = rx_buffer.length;
  client.tx_buf = tx_buffer;
  client.tx_buf_size = tx_buffer.length;

  /* MQTT transport configuration */
  client.transport.type = MQTT_TRANSPORT_NON_SECURE;
}

async function subscribe(client: mqtt_client): Promise<number> {
  const param: mqtt_subscription_list = {
    list: APP_TOPICS.map((t) => ({ topic: MQTT_UTF8_LITERAL(t.topic), qos: t.qos })),
    list_count: APP_TOPICS.length,
    message_id: next_message_id++,
  };

  for (const t of APP_TOPICS) {
    LOG_INF('Subscribing to %s (QoS %d)', t.topic, t.qos);
  }

  return mqtt_subscribe(client, param);
}

/* Connects (retrying as mqtt_publisher does) and subscribes unless the session was kept. */
async function try_to_connect(client: mqtt_client): Promise<number> {
  let rc: number;
  let i = 0;

  while (i++ < APP_CONNECT_TRIES && !connected) {
    client_init(client);

    rc = await mqtt_connect(client);
    if (rc !== 0) {
      PRINT_RESULT('mqtt_connect', rc);
      await k_sleep(K_MSEC(APP_SLEEP_MSECS));
      continue;
    }

    prepare_fds(client);

    if (await wait(APP_CONNECT_TIMEOUT_MS)) {
      await mqtt_input(client);
    }

    if (!connected) {
      await mqtt_abort(client);
    }
  }

  if (!connected) {
    return -EINVAL;
  }

  if (session_present) {
    LOG_INF('Session resumed: the broker kept the subscriptions');
    return 0;
  }

  rc = await subscribe(client);
  PRINT_RESULT('mqtt_subscribe', rc);

  return rc;
}

async function process_mqtt_and_sleep(client: mqtt_client, timeout: number): Promise<number> {
  let remaining = timeout;
  const start_time = k_uptime_get();
  let rc: number;

  while (remaining > 0 && connected) {
    if (await wait(remaining)) {
      rc = await mqtt_input(client);
      if (rc !== 0) {
        PRINT_RESULT('mqtt_input', rc);
        return rc;
      }
    }

    rc = await mqtt_live(client);
    if (rc !== 0 && rc !== -EAGAIN) {
      PRINT_RESULT('mqtt_live', rc);
      return rc;
    } else if (rc === 0) {
      rc = await mqtt_input(client);
      if (rc !== 0) {
        PRINT_RESULT('mqtt_input', rc);
        return rc;
      }
    }

    remaining = timeout + start_time - k_uptime_get();
  }

  return 0;
}

/* Why the sample stops now, or null to go on. */
function stop_reason(): string | null {
  /* A QoS 2 message is only done once its PUBREL is answered. */
  if (MAX_ITERATIONS > 0 && received >= MAX_ITERATIONS && qos2_pending.size === 0) {
    return 'all messages received';
  }
  if (TIMEOUT_SEC > 0 && k_uptime_get() >= TIMEOUT_SEC * 1000) {
    return 'time limit reached';
  }
  return null;
}

async function subscriber(): Promise<number> {
  let rc: number;
  let went_offline = false;
  let reason: string | null;

  LOG_INF('attempting to connect: ');
  rc = await try_to_connect(client_ctx);
  PRINT_RESULT('try_to_connect', rc);
  if (rc !== 0) {
    return 1;
  }

  while ((reason = stop_reason()) === null) {
    if (!connected) {
      LOG_WRN('Connection lost, reconnecting');
      rc = await try_to_connect(client_ctx);
      PRINT_RESULT('try_to_connect', rc);
      if (rc !== 0) {
        return 1;
      }
      continue;
    }

    if (OFFLINE_AFTER > 0 && !went_offline && received >= OFFLINE_AFTER && qos2_pending.size === 0) {
      went_offline = true;
      LOG_INF('Going offline for %d ms after %d messages', OFFLINE_MSECS, received);
      rc = await mqtt_disconnect(client_ctx);
      PRINT_RESULT('mqtt_disconnect', rc);

      await k_sleep(K_MSEC(OFFLINE_MSECS));

      LOG_INF('attempting to connect: ');
      rc = await try_to_connect(client_ctx);
      PRINT_RESULT('try_to_connect', rc);
      if (rc !== 0) {
        return 1;
      }
      continue;
    }

    await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS);
  }

  LOG_INF('Stopping (%s): %d messages received', reason, received);

  if (END_WITH_ABORT) {
    rc = await mqtt_abort(client_ctx);
    PRINT_RESULT('mqtt_abort', rc);
  } else {
    rc = await mqtt_disconnect(client_ctx);
    PRINT_RESULT('mqtt_disconnect', rc);
  }

  LOG_INF('Bye!');

  return 0;
}

export async function main(): Promise<number> {
  return subscriber();
}
