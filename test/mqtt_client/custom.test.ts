/**
 * MQTT_TRANSPORT_CUSTOM (`CONFIG_MQTT_LIB_CUSTOM_TRANSPORT`): the application's connect, write,
 * write_msg, read and disconnect carry the session; here they wrap zsock calls and count bytes.
 */
import { describe, expect, it } from 'vitest';
import { mosquittoForFile, brokerAddr, bytes, connectAndWait, hostBoard, newClient, pump } from './helpers.ts';
import { EINVAL, ENOTSUP, errno } from '../../src/kernel/index.ts';
import {
  AF_INET, IPPROTO_TCP, MSG_DONTWAIT, SOCK_STREAM, zsock_close, zsock_connect, zsock_recv, zsock_send, zsock_sendmsg,
  zsock_socket,
} from '../../src/net/socket.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBACK, MQTT_TRANSPORT_CUSTOM, MQTT_UTF8_LITERAL, mqtt_connect,
  mqtt_disconnect, mqtt_publish, type mqtt_client, type mqtt_custom_transport, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

const mq = mosquittoForFile('custom');

/** The socket each client's counting transport opened. */
const fds = new WeakMap<mqtt_client, number>();

interface Counters {
  calls: string[];
  sent: number;
  read: number;
}

/** A transport an application could write: plain sockets, with its own bookkeeping. */
function countingTransport(serverPort: number, n: Counters): mqtt_custom_transport {
  const fd = (c: mqtt_client): number => fds.get(c) ?? -1;
  return {
    async connect(c) {
      n.calls.push('connect');
      const s = zsock_socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
      fds.set(c, s);
      c.transport.custom_transport_data = n;
      // So that the test's poll loop (which polls transport.tcp.sock) watches this socket.
      c.transport.tcp.sock = s;
      return (await zsock_connect(s, brokerAddr(serverPort), 8)) < 0 ? -errno : 0;
    },
    async write(c, data, datalen) {
      n.calls.push('write');
      const r = await zsock_send(fd(c), data, datalen, 0);
      if (r < 0) return -errno;
      n.sent += r;
      return 0;
    },
    async write_msg(c, message) {
      n.calls.push('write_msg');
      const r = await zsock_sendmsg(fd(c), message, 0);
      if (r < 0) return -errno;
      n.sent += r;
      return 0;
    },
    async read(c, data, buflen, shall_block) {
      const r = await zsock_recv(fd(c), data, buflen, shall_block ? 0 : MSG_DONTWAIT);
      if (r < 0) return -errno;
      n.read += r;
      return r;
    },
    disconnect(c) {
      n.calls.push('disconnect');
      return zsock_close(fd(c)) < 0 ? -errno : 0;
    },
  };
}

describe.skipIf(!mq.have)('custom transport', () => {
  it('carries CONNECT, PUBLISH (as write_msg) and DISCONNECT through the application\'s functions', async () => {
    const n: Counters = { calls: [], sent: 0, read: 0 };
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-custom', events);
      client.transport.type = MQTT_TRANSPORT_CUSTOM;
      client.transport.custom_transport = countingTransport(mq.port, n);
      await connectAndWait(client, events);
      await mqtt_publish(client, {
        message: { topic: { topic: MQTT_UTF8_LITERAL('zsim/custom'), qos: 1 }, payload: { data: bytes('via app'), len: 7 } },
        message_id: 5, dup_flag: false, retain_flag: false,
      });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_PUBACK));
      await mqtt_disconnect(client, null);
    }, { MQTT_LIB_CUSTOM_TRANSPORT: true });
    expect(n.calls).toEqual(['connect', 'write', 'write_msg', 'write', 'disconnect']);
    // CONNECT (25 bytes), PUBLISH (2 + 13 + 2 + 7), DISCONNECT (2); CONNACK (4) and PUBACK (4) read.
    expect([n.sent, n.read]).toEqual([25 + 24 + 2, 8]);
    expect(events.map((e) => e.type)).toEqual([MQTT_EVT_CONNACK, MQTT_EVT_PUBACK, MQTT_EVT_DISCONNECT]);
  });

  it('-EINVAL without transport functions; -ENOTSUP without CONFIG_MQTT_LIB_CUSTOM_TRANSPORT', async () => {
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-custom-none', []);
      client.transport.type = MQTT_TRANSPORT_CUSTOM;
      log.push(await mqtt_connect(client));
    }, { MQTT_LIB_CUSTOM_TRANSPORT: true });
    await hostBoard(async () => {
      const client = newClient(mq.port, 'zsim-custom-off', []);
      client.transport.type = MQTT_TRANSPORT_CUSTOM;
      log.push(await mqtt_connect(client));
    });
    expect(log).toEqual([-EINVAL, -ENOTSUP]);
    expect(r.console.lines).toEqual(['<err> net_mqtt: MQTT_TRANSPORT_CUSTOM without transport.custom_transport']);
  });
});
