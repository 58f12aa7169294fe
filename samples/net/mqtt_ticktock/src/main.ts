/*
 * MQTT tick-tock client: the example client of mosquitto's "Getting Started with MQTT", on
 * Zephyr's MQTT API. It subscribes to `tick`, `control/<id>` and `control/all`; on every tick it
 * publishes "<id> <uptime in seconds>" on `tock/<id>`; `halt` on a control topic makes it
 * disconnect and return 0 from main.
 *
 * It is written to lose nothing on a bad network: a persistent session (CONFIG_MQTT_CLEAN_SESSION=n),
 * reconnects with backoff and jitter, and the resends the MQTT spec asks of a client (4.4):
 * unacknowledged QoS 1/2 PUBLISHes again with DUP set, PUBREL again for QoS 2 messages the broker
 * already received, and QoS 2 messages from the broker handed to the app once per packet id until
 * the broker releases it (method B of 4.3.3).
 *
 * With overlay-tls.conf (CONFIG_MQTT_LIB_TLS=y) it connects over TLS to port 8883, verifying the
 * broker's certificate with the CA of sec tag CONFIG_APP_TLS_SEC_TAG. The app has no CA of its own:
 * provision it, as a production line would, with `--cred 1:ca:FILE` (`zsim run`, `zsim fleet`).
 *
 * With overlay-websocket.conf (CONFIG_MQTT_LIB_WEBSOCKET=y) it talks MQTT over WebSocket on port
 * 9001 (mosquitto's usual websocket listener), path /mqtt; with both overlays, over wss.
 */
import { CONFIG, EAGAIN, IS_ENABLED, K_MSEC, k_sleep, k_uptime_get, sys_rand32_get } from 'zsim/kernel';
import { LOG_LEVEL_INF, LOG_MODULE_REGISTER } from 'zsim/logging/log';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBACK, MQTT_EVT_PUBCOMP, MQTT_EVT_PUBLISH, MQTT_EVT_PUBREC,
  MQTT_EVT_PUBREL, MQTT_EVT_SUBACK, MQTT_TRANSPORT_NON_SECURE, MQTT_TRANSPORT_NON_SECURE_WEBSOCKET, MQTT_TRANSPORT_SECURE,
  MQTT_TRANSPORT_SECURE_WEBSOCKET, MQTT_UTF8_LITERAL, mqtt_abort, mqtt_client, mqtt_client_init, mqtt_connect,
  mqtt_disconnect, mqtt_input, mqtt_keepalive_time_left, mqtt_live, mqtt_publish, mqtt_publish_qos1_ack,
  mqtt_publish_qos2_complete, mqtt_publish_qos2_receive, mqtt_publish_qos2_release, mqtt_readall_publish_payload,
  mqtt_subscribe, mqtt_utf8_to_string, type mqtt_evt, type mqtt_publish_param, type mqtt_qos,
} from 'zsim/net/mqtt';
import {
  AF_INET, TLS_PEER_VERIFY_REQUIRED, ZSOCK_POLLIN, htons, sockaddr_in_new, zsock_inet_pton, zsock_poll, zsock_pollfd,
} from 'zsim/net/socket';
import { fleet_device_id } from 'zsim/fleet';

const { LOG_INF, LOG_WRN, LOG_ERR } = LOG_MODULE_REGISTER('ticktock', LOG_LEVEL_INF);

const TOCK_QOS = CONFIG.APP_TOCK_QOS as mqtt_qos;
const SUB_QOS = CONFIG.APP_SUB_QOS as mqtt_qos;
const MAX_INFLIGHT = CONFIG.APP_MAX_INFLIGHT as number;
const TOCK_INTERVAL_MS = (CONFIG.APP_TOCK_INTERVAL_S as number) * 1000;
const MQTT_LIB_TLS = IS_ENABLED('CONFIG_MQTT_LIB_TLS');
const MQTT_LIB_WEBSOCKET = IS_ENABLED('CONFIG_MQTT_LIB_WEBSOCKET');
const id = fleet_device_id();
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A tock the broker has not fully acknowledged: resent after a reconnect. */
interface Outgoing {
  param: mqtt_publish_param;
  /** QoS 2 after PUBREC: only PUBREL is left to send. */
  released: boolean;
}

const tock_topic = MQTT_UTF8_LITERAL(`tock/${id}`);
const client = new mqtt_client();
const outbox = new Map<number, Outgoing>();
/** QoS 2 packet ids received from the broker and not yet released by its PUBREL. */
const inbound_qos2 = new Set<number>();
const rx_buf = new Uint8Array(256);
const tx_buf = new Uint8Array(256);
const payload_buf = new Uint8Array(64);
const fds = [new zsock_pollfd()];
let connected = false;
let session_present = false;
let ticks_pending = 0;
/** Uptime (ms) of the next periodic tock, with CONFIG_APP_TOCK_INTERVAL_S; 0 until connected. */
let next_tock_ms = 0;
let halt = false;
let next_message_id = 1;
let dropped = 0;

function new_message_id(): number {
  let mid = next_message_id;
  // Skip ids still in flight: the broker would take a reuse for a resend.
  while (outbox.has(mid)) mid = (mid % 65535) + 1;
  next_message_id = (mid % 65535) + 1;
  return mid;
}

async function on_publish(c: mqtt_client, p: mqtt_publish_param): Promise<void> {
  const len = p.message.payload.len;
  const n = Math.min(len, payload_buf.length);
  // The whole payload must be read before the next packet, even the part that does not fit.
  if ((await mqtt_readall_publish_payload(c, payload_buf, n)) < 0) return;
  for (let left = len - n; left > 0; left -= Math.min(left, rx_buf.length)) {
    if ((await mqtt_readall_publish_payload(c, rx_buf, Math.min(left, rx_buf.length))) < 0) return;
  }
  const qos = p.message.topic.qos;
  const mid = p.message_id;
  let fresh = true;
  if (qos === 1) {
    await mqtt_publish_qos1_ack(c, { message_id: mid });
  } else if (qos === 2) {
    fresh = !inbound_qos2.has(mid);
    inbound_qos2.add(mid);
    await mqtt_publish_qos2_receive(c, { message_id: mid });
  }
  if (!fresh) return;
  const topic = mqtt_utf8_to_string(p.message.topic.topic);
  const text = dec.decode(payload_buf.subarray(0, n));
  if (topic === 'tick') {
    ticks_pending++;
  } else if ((topic === `control/${id}` || topic === 'control/all') && text.trim() === 'halt') {
    LOG_INF('halt received on %s', topic);
    halt = true;
  }
}

async function mqtt_evt_handler(c: mqtt_client, evt: mqtt_evt): Promise<void> {
  switch (evt.type) {
    case MQTT_EVT_CONNACK:
      if (evt.result !== 0) {
        LOG_ERR('MQTT connect failed %d', evt.result);
        break;
      }
      connected = true;
      session_present = evt.param.connack.session_present_flag;
      break;
    case MQTT_EVT_DISCONNECT:
      connected = false;
      break;
    case MQTT_EVT_PUBLISH:
      if (evt.result === 0) await on_publish(c, evt.param.publish);
      break;
    case MQTT_EVT_PUBACK:
      outbox.delete(evt.param.puback.message_id);
      break;
    case MQTT_EVT_PUBREC: {
      const o = outbox.get(evt.param.pubrec.message_id);
      if (o) o.released = true;
      await mqtt_publish_qos2_release(c, { message_id: evt.param.pubrec.message_id });
      break;
    }
    case MQTT_EVT_PUBCOMP:
      outbox.delete(evt.param.pubcomp.message_id);
      break;
    case MQTT_EVT_PUBREL:
      inbound_qos2.delete(evt.param.pubrel.message_id);
      await mqtt_publish_qos2_complete(c, { message_id: evt.param.pubrel.message_id });
      break;
    case MQTT_EVT_SUBACK:
      LOG_INF('subscribed (message id %u)', evt.param.suback.message_id);
      break;
    default:
      break;
  }
}

async function subscribe(): Promise<number> {
  const topics = ['tick', `control/${id}`, 'control/all'].map((t) => ({ topic: MQTT_UTF8_LITERAL(t), qos: SUB_QOS }));
  return mqtt_subscribe(client, { list: topics, list_count: topics.length, message_id: new_message_id() });
}

async function tock(): Promise<void> {
  const uptime_s = Math.floor(k_uptime_get() / 1000);
  const data = enc.encode(`${id} ${uptime_s}`);
  const param: mqtt_publish_param = {
    message: { topic: { topic: tock_topic, qos: TOCK_QOS }, payload: { data, len: data.length } },
    message_id: TOCK_QOS === 0 ? 0 : new_message_id(),
    dup_flag: false,
    retain_flag: false,
  };
  if (TOCK_QOS > 0) {
    if (outbox.size >= MAX_INFLIGHT) {
      const oldest = outbox.keys().next().value as number;
      outbox.delete(oldest);
      dropped++;
      LOG_WRN('outbox full: gave up tock %u (%d dropped)', oldest, dropped);
    }
    outbox.set(param.message_id, { param, released: false });
  }
  if (CONFIG.APP_LOG_TOCKS === true) LOG_INF('tock %s %d', id, uptime_s);
  await mqtt_publish(client, param);
}

/** After a reconnect: what the broker may not have (spec 4.4), in the original order. */
async function resend_outbox(): Promise<void> {
  for (const o of outbox.values()) {
    if (!connected) return;
    if (o.released && session_present) {
      await mqtt_publish_qos2_release(client, { message_id: o.param.message_id });
    } else {
      // Without a session the broker forgot the packet id: the message starts over, with a fresh
      // exchange (a released QoS 2 message was already passed on, so it is done).
      if (o.released) {
        outbox.delete(o.param.message_id);
        continue;
      }
      o.param.dup_flag = session_present;
      await mqtt_publish(client, o.param);
    }
  }
}

/** The MQTT connection's socket, whichever transport. */
function mqtt_sock(): number {
  if (MQTT_LIB_WEBSOCKET) return client.transport.websocket.sock;
  return client.transport.type === MQTT_TRANSPORT_SECURE ? client.transport.tls.sock : client.transport.tcp.sock;
}

/** Polls the socket for up to `timeout_ms` and handles what arrived; false once disconnected. */
async function service(timeout_ms: number): Promise<boolean> {
  fds[0]!.fd = mqtt_sock();
  fds[0]!.events = ZSOCK_POLLIN;
  const rc = await zsock_poll(fds, 1, timeout_ms);
  if (rc > 0 && (await mqtt_input(client)) < 0) return false;
  if (!connected) return false;
  const live = await mqtt_live(client);
  return live === 0 || live === -EAGAIN;
}

async function connect(): Promise<boolean> {
  connected = false;
  const rc = await mqtt_connect(client);
  if (rc !== 0) {
    LOG_WRN('mqtt_connect failed %d', rc);
    return false;
  }
  const deadline = k_uptime_get() + (CONFIG.APP_CONNACK_TIMEOUT_MS as number);
  while (!connected && k_uptime_get() < deadline) {
    fds[0]!.fd = mqtt_sock();
    fds[0]!.events = ZSOCK_POLLIN;
    if ((await zsock_poll(fds, 1, Math.max(1, deadline - k_uptime_get()))) > 0 && (await mqtt_input(client)) < 0) break;
  }
  if (!connected) {
    await mqtt_abort(client);
    return false;
  }
  return true;
}

export async function main(): Promise<number> {
  const broker = sockaddr_in_new();
  broker.sin_family = AF_INET;
  broker.sin_port = htons(MQTT_LIB_WEBSOCKET ? 9001 : MQTT_LIB_TLS ? 8883 : 1883);
  zsock_inet_pton(AF_INET, CONFIG.NET_CONFIG_PEER_IPV4_ADDR as string, broker.sin_addr);
  mqtt_client_init(client);
  client.broker = broker;
  client.evt_cb = mqtt_evt_handler;
  client.client_id = MQTT_UTF8_LITERAL(id);
  client.rx_buf = rx_buf;
  client.rx_buf_size = rx_buf.length;
  client.tx_buf = tx_buf;
  client.tx_buf_size = tx_buf.length;
  if (MQTT_LIB_TLS) {
    client.transport.type = MQTT_LIB_WEBSOCKET ? MQTT_TRANSPORT_SECURE_WEBSOCKET : MQTT_TRANSPORT_SECURE;
    const tls_config = client.transport.tls.config;
    tls_config.peer_verify = TLS_PEER_VERIFY_REQUIRED;
    tls_config.cipher_list = null;
    tls_config.sec_tag_list = [CONFIG.APP_TLS_SEC_TAG as number];
    tls_config.sec_tag_count = 1;
    tls_config.hostname = CONFIG.APP_TLS_HOSTNAME as string;
  } else {
    client.transport.type = MQTT_LIB_WEBSOCKET ? MQTT_TRANSPORT_NON_SECURE_WEBSOCKET : MQTT_TRANSPORT_NON_SECURE;
  }
  if (MQTT_LIB_WEBSOCKET) {
    client.transport.websocket.config.host = CONFIG.NET_CONFIG_PEER_IPV4_ADDR as string;
    client.transport.websocket.config.url = '/mqtt';
    client.transport.websocket.timeout = 5 * 1000;
  }

  let backoff = CONFIG.APP_RECONNECT_MIN_MS as number;
  let attempts = 0;
  while (!halt) {
    if (!(await connect())) {
      // Jitter spreads a fleet's reconnects after an outage (0.5x .. 1x of the backoff).
      const delay = backoff / 2 + (sys_rand32_get() % (backoff / 2 + 1));
      if (++attempts === 1 || attempts % 10 === 0) LOG_WRN('broker unreachable, attempt %d, next in %d ms', attempts, delay);
      await k_sleep(K_MSEC(delay));
      backoff = Math.min(backoff * 2, CONFIG.APP_RECONNECT_MAX_MS as number);
      continue;
    }
    LOG_INF('ticktock: connected as %s (session %s)', id, session_present ? 'resumed' : 'new');
    backoff = CONFIG.APP_RECONNECT_MIN_MS as number;
    attempts = 0;
    if (!session_present) {
      inbound_qos2.clear();
      if ((await subscribe()) < 0) continue;
    }
    await resend_outbox();
    if (TOCK_INTERVAL_MS > 0 && next_tock_ms === 0) next_tock_ms = k_uptime_get() + TOCK_INTERVAL_MS;
    while (connected && !halt) {
      if (TOCK_INTERVAL_MS > 0 && k_uptime_get() >= next_tock_ms) {
        ticks_pending++;
        // Keeps the period; after a long outage, one tock and on from now rather than a burst.
        next_tock_ms = Math.max(next_tock_ms + TOCK_INTERVAL_MS, k_uptime_get() + 1);
      }
      while (ticks_pending > 0 && connected) {
        ticks_pending--;
        await tock();
      }
      if (halt || !connected) break;
      const left = mqtt_keepalive_time_left(client);
      let wait_ms = left < 0 ? 60000 : Math.max(1, left);
      if (TOCK_INTERVAL_MS > 0) wait_ms = Math.min(wait_ms, Math.max(1, next_tock_ms - k_uptime_get()));
      if (!(await service(wait_ms))) break;
    }
    if (!connected && !halt) LOG_WRN('disconnected, reconnecting');
  }
  if (connected) await mqtt_disconnect(client);
  LOG_INF('ticktock: halted');
  return 0;
}
