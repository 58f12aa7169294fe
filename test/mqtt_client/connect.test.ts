/**
 * Connecting: CONNECT goes out in mqtt_connect, the CONNACK comes in through poll + mqtt_input,
 * with Zephyr's events and log lines; refusals give CONNACK(return code) then DISCONNECT
 * (-ECONNREFUSED) and the connection is closed.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startMosquitto, type Mosquitto } from '../helpers/mosquitto.ts';
import { runBoard } from '../helpers/board.ts';
import { haveMosquitto, connectAndWait, fakeBroker, hostBoard, newClient, waitInput } from './helpers.ts';
import { ECONNREFUSED, EINVAL, ENOMEM, ENOTCONN } from '../../src/kernel/index.ts';
import {
  MQTT_BAD_USER_NAME_OR_PASSWORD, MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_IDENTIFIER_REJECTED, MQTT_NOT_AUTHORIZED,
  MQTT_STATE_CONNECTED, MQTT_UNACCEPTABLE_PROTOCOL_VERSION, MQTT_UTF8_LITERAL, mqtt_client, mqtt_client_init,
  mqtt_connect, mqtt_disconnect, mqtt_input, mqtt_ping, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

const have = haveMosquitto('connect');
let broker: Mosquitto;
let open = 0;
let auth = 0;

beforeAll(async () => {
  if (!have) return;
  const dir = mkdtempSync(path.join(tmpdir(), 'zsim-mqtt-pw-'));
  const pw = path.join(dir, 'passwd');
  writeFileSync(pw, 'zsim:secret\n');
  execFileSync('mosquitto_passwd', ['-U', pw]);
  open = await freePort();
  auth = await freePort();
  broker = await startMosquitto(
    [
      'per_listener_settings true',
      `listener ${open} 127.0.0.1`, 'allow_anonymous true',
      `listener ${auth} 127.0.0.1`, 'allow_anonymous false', `password_file ${pw}`,
    ],
    [open, auth],
  );
});
afterAll(async () => {
  await broker?.stop();
});

const summary = (events: mqtt_evt[]): [number, number][] => events.map((e) => [e.type, e.result]);

describe.skipIf(!have)('mqtt_connect against mosquitto', () => {
  it('sends CONNECT; the CONNACK arrives through poll + mqtt_input; mqtt_disconnect reports DISCONNECT(0)', async () => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(open, 'zsim-connect', events);
      log.push(await mqtt_connect(client));
      // Nothing is received inside mqtt_connect.
      log.push(events.length, client.internal.state & MQTT_STATE_CONNECTED);
      log.push(await waitInput(client, 5000), await mqtt_input(client));
      log.push(summary(events), client.internal.state & MQTT_STATE_CONNECTED);
      const ack = events[0];
      if (ack?.type === MQTT_EVT_CONNACK) log.push(ack.param.connack.session_present_flag);
      log.push(await mqtt_disconnect(client, null), summary(events));
      log.push(await mqtt_input(client));
    }, { MQTT_LOG_LEVEL: 4, THREAD_NAME: true, LOG_FUNC_NAME_PREFIX_DBG: true });
    expect(r.result.reason, r.console.text).toBe('finished');
    expect(log).toEqual([
      0, 0, 0, 1, 0, [[MQTT_EVT_CONNACK, 0]], MQTT_STATE_CONNECTED, false,
      0, [[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, 0]], -ENOTCONN,
    ]);
    const lines = r.console.lines.map((l) => l.replace(/0x[0-9a-f]+\]/g, 'CID]'));
    expect(lines).toEqual([
      '<dbg> net_mqtt_sock_tcp: mqtt_client_tcp_connect: (main): Created socket 0',
      '<dbg> net_mqtt_sock_tcp: mqtt_client_tcp_connect: (main): Connect completed',
      '<inf> net_mqtt: Connect completed',
      '<dbg> net_mqtt: mqtt_input: (main): state:0x00000002',
      '<dbg> net_mqtt_rx: mqtt_handle_packet: (main): [CID CID]: Received MQTT_PKT_TYPE_CONNACK!',
      '<dbg> net_mqtt_rx: mqtt_handle_packet: (main): [CID CID]: return_code: 0',
      '<dbg> net_mqtt: client_write: (main): [CID]: Transport writing 2 bytes.',
      '<dbg> net_mqtt: client_write: (main): [CID]: Transport write complete.',
      '<inf> net_mqtt_sock_tcp: Closing socket 0',
      '<dbg> net_mqtt: mqtt_input: (main): state:0x00000000',
    ]);
  });

  it('without CONFIG_THREAD_NAME the debug prefix is the thread address; the default level hides debug', async () => {
    const r = await hostBoard(async () => {
      const events: mqtt_evt[] = [];
      const client = newClient(open, 'zsim-connect2', events);
      await connectAndWait(client, events);
      await mqtt_disconnect(client, null);
    }, { MQTT_LOG_LEVEL: 4 });
    expect(r.console.lines[0]).toMatch(/^<dbg> net_mqtt_sock_tcp: \(0x[0-9a-f]+\): Created socket \d+$/);
    const quiet = await hostBoard(async () => {
      const events: mqtt_evt[] = [];
      const client = newClient(open, 'zsim-connect3', events);
      await connectAndWait(client, events);
      await mqtt_disconnect(client, null);
    }, { LOG_DEFAULT_LEVEL: 3 });
    expect(quiet.console.lines).toEqual(['<inf> net_mqtt: Connect completed', '<inf> net_mqtt_sock_tcp: Closing socket 0']);
  });

  it('user name and password accepted by a password_file listener', async () => {
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      const client = newClient(auth, 'zsim-auth-ok', events);
      client.user_name = MQTT_UTF8_LITERAL('zsim');
      client.password = MQTT_UTF8_LITERAL('secret');
      await connectAndWait(client, events);
      await mqtt_disconnect(client, null);
    });
    expect(summary(events)).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, 0]]);
  });

  it.each([
    ['no credentials', null, MQTT_NOT_AUTHORIZED],
    ['a wrong password', 'wrong', MQTT_NOT_AUTHORIZED],
  ])('refused with %s: CONNACK(%i), then DISCONNECT(-ECONNREFUSED), mqtt_input returns -ECONNREFUSED', async (_n, pass, code) => {
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(auth, 'zsim-auth-bad', events);
      if (pass !== null) {
        client.user_name = MQTT_UTF8_LITERAL('zsim');
        client.password = MQTT_UTF8_LITERAL(pass);
      }
      log.push(await mqtt_connect(client), await waitInput(client, 5000), await mqtt_input(client));
      log.push(client.internal.state, await mqtt_input(client), await mqtt_ping(client));
    });
    expect(log).toEqual([0, 1, -ECONNREFUSED, 0, -ENOTCONN, -ENOTCONN]);
    expect(summary(events)).toEqual([[MQTT_EVT_CONNACK, code], [MQTT_EVT_DISCONNECT, -ECONNREFUSED]]);
    expect(r.console.lines).toContain('<inf> net_mqtt_sock_tcp: Closing socket 0');
    expect(MQTT_BAD_USER_NAME_OR_PASSWORD).toBe(4);
  });

  it('refused: an empty client id without clean session is MQTT_IDENTIFIER_REJECTED', async () => {
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      const client = newClient(open, '', events);
      client.clean_session = 0;
      await connectAndWait(client, events);
    });
    expect(summary(events)).toEqual([[MQTT_EVT_CONNACK, MQTT_IDENTIFIER_REJECTED], [MQTT_EVT_DISCONNECT, -ECONNREFUSED]]);
  });
});

describe('mqtt_connect against a scripted peer and without a peer', () => {
  it('refused with MQTT_UNACCEPTABLE_PROTOCOL_VERSION; the CONNECT bytes are 3.1.1 with Kconfig defaults', async () => {
    const peer = await fakeBroker((s) => s.write(Buffer.from([0x20, 0x02, 0x00, 0x01])));
    const events: mqtt_evt[] = [];
    let rc = 0;
    await hostBoard(async () => {
      const client = newClient(peer.port, 'zephyr', events);
      rc = await connectAndWait(client, events);
    });
    peer.close();
    expect(rc).toBe(MQTT_UNACCEPTABLE_PROTOCOL_VERSION);
    expect(summary(events)).toEqual([[MQTT_EVT_CONNACK, 1], [MQTT_EVT_DISCONNECT, -ECONNREFUSED]]);
    // CONFIG_MQTT_KEEPALIVE=60, CONFIG_MQTT_CLEAN_SESSION=y.
    expect([...peer.received()]).toEqual([0x10, 0x12, 0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 60, 0, 6, ...Buffer.from('zephyr')]);
  });

  it('Kconfig defaults: keepalive 60, clean session off unless CONFIG_MQTT_CLEAN_SESSION, 3.1.1 unless 5.0', async () => {
    const log: unknown[] = [];
    const init = (): mqtt_client => {
      const c = new mqtt_client();
      mqtt_client_init(c);
      return c;
    };
    await runBoard(async () => {
      const c = init();
      log.push(c.keepalive, c.clean_session, c.protocol_version, c.transport.type, c.client_id.utf8);
    }, { config: { MQTT_LIB: true } });
    await hostBoard(async () => {
      const c = init();
      log.push(c.keepalive, c.clean_session, c.protocol_version);
    }, { MQTT_KEEPALIVE: 30, MQTT_VERSION_5_0: true });
    expect(log).toEqual([60, 0, 4, 0, null, 30, 1, 5]);
  });

  it('TCP refused: mqtt_connect returns -ECONNREFUSED, no event, the client stays idle', async () => {
    const port = await freePort();
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const client = newClient(port, 'nobody-home', events);
      log.push(await mqtt_connect(client), client.internal.state, await mqtt_input(client));
    });
    expect(log).toEqual([-ECONNREFUSED, 0, -ENOTCONN]);
    expect(events).toEqual([]);
  });

  it('-ENOMEM without buffers, -EINVAL without a client id, -ENOMEM when CONNECT exceeds tx_buf', async () => {
    const peer = await fakeBroker(() => {});
    const events: mqtt_evt[] = [];
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const a = newClient(peer.port, 'x', events);
      a.rx_buf = null;
      log.push(await mqtt_connect(a));
      const b = newClient(peer.port, 'x', events);
      b.client_id = { utf8: null, size: 0 };
      log.push(await mqtt_connect(b));
      const c = newClient(peer.port, 'a-client-id-longer-than-the-tx-buffer', events, { tx: 16 });
      log.push(await mqtt_connect(c), c.internal.state);
    });
    peer.close();
    expect(log).toEqual([-ENOMEM, -EINVAL, -ENOMEM, 0]);
    expect(events).toEqual([]);
    // The socket opened for the CONNECT that did not fit is closed again.
    expect(r.console.lines).toEqual(['<inf> net_mqtt_sock_tcp: Closing socket 0']);
    expect(peer.received().length).toBe(0);
  });
});
