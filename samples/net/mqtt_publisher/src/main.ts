/*
 * Port of Zephyr's samples/net/mqtt_publisher/src/main.c: connects to an MQTT broker, then
 * publishes "DOORS:OPEN_QoS0", "_QoS1" and "_QoS2" on the topic "sensors" in a loop, with a
 * PINGREQ before each round, answering PUBREC with PUBREL, and disconnects.
 *
 * The C preprocessor's #if CONFIG_... become IS_ENABLED() tests; every call that can block is
 * awaited. Differences from the C sample are marked "zsim:".
 */
import { CONFIG, EAGAIN, EINVAL, IS_ENABLED, K_MSEC, k_sleep, k_uptime_get, sys_rand32_get } from 'zsim/kernel';
import { LOG_LEVEL_DBG, LOG_MODULE_REGISTER } from 'zsim/logging/log';
import {
  AF_INET, AF_INET6, TLS_PEER_VERIFY_REQUIRED, ZSOCK_POLLIN, errno, htons, sockaddr_in6_new, sockaddr_in_new,
  zsock_inet_pton, zsock_poll, zsock_pollfd, type sockaddr,
} from 'zsim/net/socket';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PINGRESP, MQTT_EVT_PUBACK, MQTT_EVT_PUBCOMP, MQTT_EVT_PUBREC,
  MQTT_QOS_0_AT_MOST_ONCE, MQTT_QOS_1_AT_LEAST_ONCE, MQTT_QOS_2_EXACTLY_ONCE, MQTT_TRANSPORT_NON_SECURE,
  MQTT_TRANSPORT_NON_SECURE_WEBSOCKET, MQTT_TRANSPORT_SECURE, MQTT_TRANSPORT_SECURE_WEBSOCKET, MQTT_UTF8_LITERAL,
  MQTT_VERSION_3_1_1, MQTT_VERSION_5_0, mqtt_abort, mqtt_client, mqtt_client_init, mqtt_connect, mqtt_disconnect,
  mqtt_input, mqtt_live, mqtt_ping, mqtt_publish, mqtt_publish_qos2_release, type mqtt_evt, type mqtt_publish_param,
  type mqtt_pubrel_param, type mqtt_qos,
} from 'zsim/net/mqtt';
import { TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PSK, TLS_CREDENTIAL_PSK_ID, tls_credential_add } from 'zsim/net/tls_credentials';
import {
  APP_BLUEMIX_TOPIC, APP_CONNECT_TIMEOUT_MS, APP_CONNECT_TRIES, APP_MQTT_BUFFER_SIZE, APP_SLEEP_MSECS, BLUEMIX_DEVID,
  BLUEMIX_DEVTYPE, BLUEMIX_EVENT, BLUEMIX_FORMAT, MQTT_CLIENTID, SERVER_ADDR, SERVER_PORT,
} from './config.ts';
import { ca_certificate, client_psk, client_psk_id } from './test_certs.ts';

const { LOG_ERR, LOG_INF } = LOG_MODULE_REGISTER('net_mqtt_publisher_sample', LOG_LEVEL_DBG);

const MQTT_LIB_TLS = IS_ENABLED('CONFIG_MQTT_LIB_TLS');
const MQTT_LIB_WEBSOCKET = IS_ENABLED('CONFIG_MQTT_LIB_WEBSOCKET');
/* mbedTLS parses X.509 certificates in every zsim build (MBEDTLS_X509_CRT_PARSE_C). */
const MBEDTLS_X509_CRT_PARSE_C = true;
const MBEDTLS_KEY_EXCHANGE_SOME_PSK_ENABLED = IS_ENABLED('CONFIG_MBEDTLS_KEY_EXCHANGE_PSK_ENABLED');

const MAX_ITERATIONS = CONFIG.NET_SAMPLE_APP_MAX_ITERATIONS as number;
const MAX_CONNECTIONS = CONFIG.NET_SAMPLE_APP_MAX_CONNECTIONS as number;

/* Buffers for MQTT client. */
const rx_buffer = new Uint8Array(APP_MQTT_BUFFER_SIZE);
const tx_buffer = new Uint8Array(APP_MQTT_BUFFER_SIZE);

/* The mqtt client struct */
const client_ctx = new mqtt_client();

/* MQTT Broker details. */
let broker: sockaddr = { sa_family: 0 };

const fds = [new zsock_pollfd()];
let nfds = 0;

let connected = false;

const TLS_SNI_HOSTNAME = 'localhost';
const APP_CA_CERT_TAG = 1;
const APP_PSK_TAG = 2;

const m_sec_tags: number[] = [
  ...(MBEDTLS_X509_CRT_PARSE_C ? [APP_CA_CERT_TAG] : []),
  ...(MBEDTLS_KEY_EXCHANGE_SOME_PSK_ENABLED ? [APP_PSK_TAG] : []),
];

function tls_init(): number {
  let err = -EINVAL;

  if (MBEDTLS_X509_CRT_PARSE_C) {
    /* sizeof(ca_certificate): the PEM text and its NUL. */
    err = tls_credential_add(APP_CA_CERT_TAG, TLS_CREDENTIAL_CA_CERTIFICATE, ca_certificate, ca_certificate.length + 1);
    if (err < 0) {
      LOG_ERR('Failed to register public certificate: %d', err);
      return err;
    }
  }

  if (MBEDTLS_KEY_EXCHANGE_SOME_PSK_ENABLED) {
    err = tls_credential_add(APP_PSK_TAG, TLS_CREDENTIAL_PSK, client_psk, client_psk.length);
    if (err < 0) {
      LOG_ERR('Failed to register PSK: %d', err);
      return err;
    }

    err = tls_credential_add(APP_PSK_TAG, TLS_CREDENTIAL_PSK_ID, client_psk_id, client_psk_id.length);
    if (err < 0) {
      LOG_ERR('Failed to register PSK ID: %d', err);
    }
  }

  return err;
}

function prepare_fds(client: mqtt_client): void {
  if (client.transport.type === MQTT_TRANSPORT_NON_SECURE) {
    fds[0]!.fd = client.transport.tcp.sock;
  } else if (MQTT_LIB_TLS && client.transport.type === MQTT_TRANSPORT_SECURE) {
    fds[0]!.fd = client.transport.tls.sock;
  } else if (MQTT_LIB_WEBSOCKET) {
    /* MQTT_TRANSPORT_NON_SECURE_WEBSOCKET or MQTT_TRANSPORT_SECURE_WEBSOCKET */
    fds[0]!.fd = client.transport.websocket.sock;
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

async function mqtt_evt_handler(client: mqtt_client, evt: mqtt_evt): Promise<void> {
  let err: number;

  switch (evt.type) {
    case MQTT_EVT_CONNACK:
      if (evt.result !== 0) {
        LOG_ERR('MQTT connect failed %d', evt.result);
        break;
      }

      connected = true;
      LOG_INF('MQTT client connected!');

      break;

    case MQTT_EVT_DISCONNECT:
      LOG_INF('MQTT client disconnected %d', evt.result);

      connected = false;
      clear_fds();

      break;

    case MQTT_EVT_PUBACK:
      if (evt.result !== 0) {
        LOG_ERR('MQTT PUBACK error %d', evt.result);
        break;
      }

      LOG_INF('PUBACK packet id: %u', evt.param.puback.message_id);

      break;

    case MQTT_EVT_PUBREC: {
      if (evt.result !== 0) {
        LOG_ERR('MQTT PUBREC error %d', evt.result);
        break;
      }

      LOG_INF('PUBREC packet id: %u', evt.param.pubrec.message_id);

      const rel_param: mqtt_pubrel_param = {
        message_id: evt.param.pubrec.message_id,
      };

      err = await mqtt_publish_qos2_release(client, rel_param);
      if (err !== 0) {
        LOG_ERR('Failed to send MQTT PUBREL: %d', err);
      }

      break;
    }

    case MQTT_EVT_PUBCOMP:
      if (evt.result !== 0) {
        LOG_ERR('MQTT PUBCOMP error %d', evt.result);
        break;
      }

      LOG_INF('PUBCOMP packet id: %u', evt.param.pubcomp.message_id);

      break;

    case MQTT_EVT_PINGRESP:
      LOG_INF('PINGRESP packet');
      break;

    default:
      break;
  }
}

function get_mqtt_payload(qos: mqtt_qos): Uint8Array {
  if (APP_BLUEMIX_TOPIC) {
    return new TextEncoder().encode(`{d:{temperature:${sys_rand32_get() & 0xff}}}`);
  }
  return new TextEncoder().encode(`DOORS:OPEN_QoS${qos}`);
}

function get_mqtt_topic(): string {
  if (APP_BLUEMIX_TOPIC) {
    return `iot-2/type/${BLUEMIX_DEVTYPE}/id/${BLUEMIX_DEVID}/evt/${BLUEMIX_EVENT}/fmt/${BLUEMIX_FORMAT}`;
  }
  return 'sensors';
}

function publish(client: mqtt_client, qos: mqtt_qos): Promise<number> {
  const payload = get_mqtt_payload(qos);
  const param: mqtt_publish_param = {
    message: {
      topic: { qos, topic: MQTT_UTF8_LITERAL(get_mqtt_topic()) },
      payload: { data: payload, len: payload.length },
    },
    /* C stores sys_rand32_get() in a uint16_t. */
    message_id: sys_rand32_get() & 0xffff,
    dup_flag: false,
    retain_flag: false,
  };

  return mqtt_publish(client, param);
}

const RC_STR = (rc: number): string => (rc === 0 ? 'OK' : 'ERROR');

const PRINT_RESULT = (func: string, rc: number): void => LOG_INF('%s: %d <%s>', func, rc, RC_STR(rc));

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
  client.protocol_version = IS_ENABLED('CONFIG_MQTT_VERSION_5_0') ? MQTT_VERSION_5_0 : MQTT_VERSION_3_1_1;

  /* MQTT buffers configuration */
  client.rx_buf = rx_buffer;
  client.rx_buf_size = rx_buffer.length;
  client.tx_buf = tx_buffer;
  client.tx_buf_size = tx_buffer.length;

  /* MQTT transport configuration */
  if (MQTT_LIB_TLS) {
    client.transport.type = MQTT_LIB_WEBSOCKET ? MQTT_TRANSPORT_SECURE_WEBSOCKET : MQTT_TRANSPORT_SECURE;

    const tls_config = client.transport.tls.config;

    tls_config.peer_verify = TLS_PEER_VERIFY_REQUIRED;
    tls_config.cipher_list = null;
    tls_config.sec_tag_list = m_sec_tags;
    tls_config.sec_tag_count = m_sec_tags.length;
    tls_config.hostname = MBEDTLS_X509_CRT_PARSE_C ? TLS_SNI_HOSTNAME : null;
  } else {
    client.transport.type = MQTT_LIB_WEBSOCKET ? MQTT_TRANSPORT_NON_SECURE_WEBSOCKET : MQTT_TRANSPORT_NON_SECURE;
  }

  if (MQTT_LIB_WEBSOCKET) {
    client.transport.websocket.config.host = SERVER_ADDR;
    client.transport.websocket.config.url = '/mqtt';
    client.transport.websocket.timeout = 5 * 1000;
  }
}

/* In this routine we block until the connected variable is 1 */
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

  if (connected) {
    return 0;
  }

  return -EINVAL;
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

async function publisher(): Promise<number> {
  let i: number;
  let rc: number;
  let r = 0;

  LOG_INF('attempting to connect: ');
  rc = await try_to_connect(client_ctx);
  PRINT_RESULT('try_to_connect', rc);
  if (rc !== 0) {
    return 1;
  }

  i = 0;
  /*
   * zsim: 0 sends forever, as the Kconfig help says (Zephyr's loop condition,
   * i++ < CONFIG_NET_SAMPLE_APP_MAX_ITERATIONS, sends nothing for 0).
   */
  while ((MAX_ITERATIONS === 0 || i++ < MAX_ITERATIONS) && connected) {
    r = -1;

    rc = await mqtt_ping(client_ctx);
    PRINT_RESULT('mqtt_ping', rc);
    if (rc !== 0) break;

    rc = await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS);
    if (rc !== 0) break;

    rc = await publish(client_ctx, MQTT_QOS_0_AT_MOST_ONCE);
    PRINT_RESULT('mqtt_publish', rc);
    if (rc !== 0) break;

    rc = await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS);
    if (rc !== 0) break;

    rc = await publish(client_ctx, MQTT_QOS_1_AT_LEAST_ONCE);
    PRINT_RESULT('mqtt_publish', rc);
    if (rc !== 0) break;

    rc = await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS);
    if (rc !== 0) break;

    rc = await publish(client_ctx, MQTT_QOS_2_EXACTLY_ONCE);
    PRINT_RESULT('mqtt_publish', rc);
    if (rc !== 0) break;

    rc = await process_mqtt_and_sleep(client_ctx, APP_SLEEP_MSECS);
    if (rc !== 0) break;

    r = 0;
  }

  rc = await mqtt_disconnect(client_ctx);
  PRINT_RESULT('mqtt_disconnect', rc);

  LOG_INF('Bye!');

  return r;
}

async function start_app(): Promise<number> {
  let r = 0;
  let i = 0;

  while (!MAX_CONNECTIONS || i++ < MAX_CONNECTIONS) {
    r = await publisher();

    if (!MAX_CONNECTIONS) {
      await k_sleep(K_MSEC(5000));
    }
  }

  return r;
}

/* Zephyr calls exit(start_app()); zsim makes main's return value the run's exit status. */
export async function main(): Promise<number> {
  if (MQTT_LIB_TLS) {
    const rc = tls_init();
    PRINT_RESULT('tls_init', rc);
  }

  return start_app();
}
