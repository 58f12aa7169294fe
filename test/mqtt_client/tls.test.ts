/**
 * MQTT_TRANSPORT_SECURE against mosquitto's TLS listeners: the SOL_TLS options come from
 * `transport.tls.config` as in Zephyr's mqtt_transport_socket_tls.c, the session runs inside TLS,
 * and a failed handshake is mqtt_connect's error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { makePki, type Pki } from '../helpers/pki.ts';
import { haveMosquitto, bytes, connectAndWait, hostBoard, newClient, pump, subscribe } from './helpers.ts';
import { ECONNABORTED, ENOTSUP } from '../../src/kernel/index.ts';
import {
  SOL_TLS, TLS_ALPN_LIST, TLS_CIPHERSUITE_USED, TLS_PEER_VERIFY, TLS_PEER_VERIFY_REQUIRED, TLS_SEC_TAG_LIST, TLS_SESSION_CACHE,
  TLS_SESSION_CACHE_ENABLED, zsock_getsockopt,
} from '../../src/net/socket.ts';
import { TLS_CREDENTIAL_CA_CERTIFICATE, tls_credential_add } from '../../src/net/tls_credentials.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBACK, MQTT_TRANSPORT_SECURE, MQTT_UTF8_LITERAL, mqtt_connect,
  mqtt_disconnect, mqtt_publish, type mqtt_client, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

const have = haveMosquitto('tls');
let pki: Pki;
let broker: Mosquitto;
const port: Record<'plain' | 'tls' | 'wronghost', number> = { plain: 0, tls: 0, wronghost: 0 };
const TLS = {
  NET_SOCKETS_SOCKOPT_TLS: true, TLS_CREDENTIALS: true, TLS_MAX_CREDENTIALS_NUMBER: 4, MQTT_LIB_TLS: true,
};

beforeAll(async () => {
  if (!have) return;
  pki = makePki();
  for (const k of Object.keys(port) as (keyof typeof port)[]) port[k] = await freePort();
  const tls = (p: number, cert: string): string[] => [
    `listener ${p} 127.0.0.1`, 'allow_anonymous true', `cafile ${pki.file('ca.pem')}`,
    `certfile ${pki.file(`${cert}.pem`)}`, `keyfile ${pki.file(`${cert}.key`)}`,
  ];
  broker = await startMosquitto(
    ['per_listener_settings true', `listener ${port.plain} 127.0.0.1`, 'allow_anonymous true', ...tls(port.tls, 'server'),
      ...tls(port.wronghost, 'server_wronghost')],
    Object.values(port),
  );
}, 60_000);
afterAll(async () => {
  await broker?.stop();
});

/** The sample's TLS set-up: CA under sec tag 1, peer verification required, SNI "localhost". */
function secure(client: mqtt_client, ca = 'ca.pem'): void {
  tls_credential_add(1, TLS_CREDENTIAL_CA_CERTIFICATE, pki.pem(ca) + '\0', pki.pem(ca).length + 1);
  client.transport.type = MQTT_TRANSPORT_SECURE;
  const tls_config = client.transport.tls.config;
  tls_config.peer_verify = TLS_PEER_VERIFY_REQUIRED;
  tls_config.cipher_list = null;
  tls_config.sec_tag_list = [1];
  tls_config.sec_tag_count = 1;
  tls_config.hostname = 'localhost';
}

function sockopt(sock: number, name: number): unknown {
  const v = { value: null as unknown };
  zsock_getsockopt(sock, SOL_TLS, name, v, { value: 64 });
  return v.value;
}

describe.skipIf(!have)('MQTT over TLS', () => {
  it('connects through the handshake, with the socket options from transport.tls.config; publishes inside TLS', async () => {
    const sub = subscribe(port.plain, 'zsim/tls', ['-q', '1']);
    await sub.ready;
    const events: mqtt_evt[] = [];
    const opts: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(port.tls, 'zsim-tls', events);
      secure(client);
      client.transport.tls.config.session_cache = TLS_SESSION_CACHE_ENABLED;
      client.transport.tls.config.alpn_protocol_name_list = ['mqtt'];
      client.transport.tls.config.alpn_protocol_name_count = 1;
      await connectAndWait(client, events);
      const s = client.transport.tls.sock;
      // tcp.sock and tls.sock are one field, as in C's union.
      opts.push(s === client.transport.tcp.sock, sockopt(s, TLS_PEER_VERIFY), sockopt(s, TLS_SEC_TAG_LIST),
        sockopt(s, TLS_SESSION_CACHE), sockopt(s, TLS_ALPN_LIST), (sockopt(s, TLS_CIPHERSUITE_USED) as number) > 0);
      await mqtt_publish(client, {
        message: { topic: { topic: MQTT_UTF8_LITERAL('zsim/tls'), qos: 1 }, payload: { data: bytes('secret'), len: 6 } },
        message_id: 1, dup_flag: false, retain_flag: false,
      });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PUBACK));
      await mqtt_disconnect(client, null);
    }, { ...TLS, MQTT_LOG_LEVEL: 4 });
    const got = await sub.waitFor(1);
    sub.stop();
    expect(got).toEqual(['zsim/tls 1 0 secret']);
    expect(events.map((e) => e.type)).toEqual([MQTT_EVT_CONNACK, MQTT_EVT_PUBACK, MQTT_EVT_DISCONNECT]);
    // ALPN is only set with CONFIG_MQTT_LIB_TLS_USE_ALPN.
    expect(opts).toEqual([true, TLS_PEER_VERIFY_REQUIRED, [1], 1, [], true]);
    expect(r.console.lines.filter((l) => l.includes('net_mqtt_sock_tls'))).toEqual([
      '<dbg> net_mqtt_sock_tls: (0x100000): Created socket 0',
      '<dbg> net_mqtt_sock_tls: (0x100000): Connect completed',
      '<inf> net_mqtt_sock_tls: Closing socket 0',
    ]);
  });

  it('CONFIG_MQTT_LIB_TLS_USE_ALPN sets TLS_ALPN_LIST', async () => {
    const events: mqtt_evt[] = [];
    let alpn: unknown = null;
    await hostBoard(async () => {
      const client = newClient(port.tls, 'zsim-alpn', events);
      secure(client);
      client.transport.tls.config.alpn_protocol_name_list = ['mqtt', 'x-zsim'];
      client.transport.tls.config.alpn_protocol_name_count = 1;
      await mqtt_connect(client);
      alpn = sockopt(client.transport.tls.sock, TLS_ALPN_LIST);
      await mqtt_disconnect(client, null);
    }, { ...TLS, MQTT_LIB_TLS_USE_ALPN: true });
    expect(alpn).toEqual(['mqtt']);
  });

  it('the hostname reaches the TLS layer: a certificate for another name fails the handshake', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(port.wronghost, 'zsim-tls-host', events);
      secure(client);
      log.push(await mqtt_connect(client), client.internal.state);
    }, TLS);
    expect(log).toEqual([-ECONNABORTED, 0]);
    expect(events).toEqual([]);
    expect(r.console.text).toMatch(/hostname mismatch \(TLS_HOSTNAME 'localhost'/);
  });

  it('an unknown CA: mqtt_connect returns -ECONNABORTED, no event', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(port.tls, 'zsim-tls-ca', events);
      secure(client, 'other_ca.pem');
      log.push(await mqtt_connect(client));
    }, TLS);
    expect(log).toEqual([-ECONNABORTED]);
    expect(events).toEqual([]);
    expect(r.console.text).toMatch(/certificate verify failed: unknown CA/);
  });

  it('without CONFIG_MQTT_LIB_TLS the secure transport does not exist: -ENOTSUP', async () => {
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(port.tls, 'zsim-no-tls', []);
      secure(client);
      log.push(await mqtt_connect(client));
    }, { ...TLS, MQTT_LIB_TLS: false });
    expect(log).toEqual([-ENOTSUP]);
    expect(r.console.lines).toEqual([`<err> net_mqtt: Transport type ${MQTT_TRANSPORT_SECURE} needs CONFIG_MQTT_LIB_TLS=y`]);
  });
});
