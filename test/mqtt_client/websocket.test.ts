/**
 * MQTT_TRANSPORT_NON_SECURE_WEBSOCKET (`CONFIG_MQTT_LIB_WEBSOCKET`).
 *
 * Two servers: aedes behind the `ws` package (the reference; skipped with a message until `ws` is
 * installed), and a websocket-to-TCP bridge in front of mosquitto written here from RFC 6455 with
 * node:crypto, which also splits the broker's bytes over several frames, slips PINGs in between
 * and checks that every client frame is masked.
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import net from 'node:net';
import tls from 'node:tls';
import { makePki } from '../helpers/pki.ts';
import { TLS_CREDENTIAL_CA_CERTIFICATE, tls_credential_add } from '../../src/net/tls_credentials.ts';
import { describe, expect, it } from 'vitest';
import { mosquittoForFile, bytes, connectAndWait, hostBoard, newClient, publish, pump, subscribe, text } from './helpers.ts';
import { ECONNREFUSED, EINVAL, ENOTSUP } from '../../src/kernel/index.ts';
import {
  MQTT_EVT_CONNACK, MQTT_EVT_DISCONNECT, MQTT_EVT_PUBACK, MQTT_EVT_PUBLISH, MQTT_EVT_SUBACK,
  MQTT_TRANSPORT_NON_SECURE_WEBSOCKET, MQTT_TRANSPORT_SECURE_WEBSOCKET, MQTT_UTF8_LITERAL, mqtt_connect, mqtt_disconnect, mqtt_publish,
  mqtt_publish_qos1_ack, mqtt_readall_publish_payload, mqtt_subscribe, type mqtt_client, type mqtt_evt,
} from '../../src/net/mqtt/mqtt.ts';

const mq = mosquittoForFile('websocket');
const WS = { MQTT_LIB_WEBSOCKET: true };

interface Bridge {
  port: number;
  request: string;
  /** Opcodes of the frames the client sent. */
  opcodes: number[];
  unmasked: number;
  close(): void;
}

function frame(opcode: number, payload: Uint8Array, fin = true): Buffer {
  const len = payload.length;
  const head = len < 126 ? [len] : len < 65536 ? [126, len >> 8, len & 0xff] : [127, 0, 0, 0, 0, len >>> 24, (len >> 16) & 0xff, (len >> 8) & 0xff, len & 0xff];
  return Buffer.concat([Buffer.from([(fin ? 0x80 : 0) | opcode, ...head]), payload]);
}

/**
 * A websocket server on a free port that relays binary messages to and from mosquitto. `reply`
 * replaces the 101 response (to test refusals).
 */
async function bridge(upstream: number, reply?: (key: string) => string, secure?: tls.TlsOptions): Promise<Bridge> {
  const b: Bridge = { port: 0, request: '', opcodes: [], unmasked: 0, close: () => {} };
  const socks: net.Socket[] = [];
  const onConnection = (c: net.Socket): void => {
    socks.push(c);
    let buf = Buffer.alloc(0);
    let up: net.Socket | null = null;
    c.on('error', () => {});
    c.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (up === null) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        b.request = buf.subarray(0, end).toString();
        buf = buf.subarray(end + 4);
        const key = /Sec-WebSocket-Key: (\S+)/i.exec(b.request)?.[1] ?? '';
        const accept = createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');
        if (reply) return void c.end(reply(key));
        c.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n`);
        up = net.connect(upstream, '127.0.0.1');
        socks.push(up);
        up.on('error', () => c.destroy());
        up.on('close', () => c.end());
        // The broker's bytes go out in two frames of one message, with a PING between them.
        up.on('data', (m) => {
          const cut = Math.max(1, m.length >> 1);
          c.write(Buffer.concat([frame(2, m.subarray(0, cut), cut === m.length), frame(9, bytes('ping?'))]));
          if (cut < m.length) c.write(frame(0, m.subarray(cut)));
        });
      }
      for (;;) {
        if (buf.length < 2) return;
        const masked = (buf[1]! & 0x80) !== 0;
        let len = buf[1]! & 0x7f;
        let off = 2;
        if (len === 126) [len, off] = [buf.readUInt16BE(2), 4];
        else if (len === 127) [len, off] = [Number(buf.readBigUInt64BE(2)), 10];
        const need = off + (masked ? 4 : 0) + len;
        if (buf.length < need) return;
        const opcode = buf[0]! & 0x0f;
        const payload = Buffer.from(buf.subarray(need - len, need));
        if (masked) for (let i = 0; i < len; i++) payload[i]! ^= buf[off + (i & 3)]!;
        else b.unmasked++;
        b.opcodes.push(opcode);
        buf = buf.subarray(need);
        if (opcode <= 2) up?.write(payload);
        if (opcode === 8) {
          c.end(frame(8, new Uint8Array(0)));
          up?.end();
        }
      }
    });
  };
  const srv = secure ? tls.createServer(secure, onConnection) : net.createServer(onConnection);
  b.port = await new Promise<number>((r) => srv.listen(0, '127.0.0.1', () => r((srv.address() as net.AddressInfo).port)));
  b.close = () => {
    for (const s of socks) s.destroy();
    srv.close();
  };
  return b;
}

function websocketClient(p: number, id: string, events: mqtt_evt[], onEvent?: (c: mqtt_client, e: mqtt_evt) => Promise<void>): mqtt_client {
  const client = newClient(p, id, events, { onEvent });
  client.transport.type = MQTT_TRANSPORT_NON_SECURE_WEBSOCKET;
  client.transport.websocket.timeout = 3000;
  return client;
}

describe.skipIf(!mq.have)('MQTT over a websocket (RFC 6455 bridge to mosquitto)', () => {
  it('handshake with subprotocol mqtt; publish, subscribe and receive across split frames and PINGs; CLOSE on disconnect', async () => {
    const b = await bridge(mq.port);
    const sub = subscribe(mq.port, 'zsim/ws/out', ['-q', '1']);
    await sub.ready;
    const events: mqtt_evt[] = [];
    const received: string[] = [];
    const r = await hostBoard(async () => {
      const client = websocketClient(b.port, 'zsim-ws', events, async (c, evt) => {
        if (evt.type === MQTT_EVT_PUBLISH) {
          const buf = new Uint8Array(evt.param.publish.message.payload.len);
          await mqtt_readall_publish_payload(c, buf, buf.length);
          received.push(text(buf));
          await mqtt_publish_qos1_ack(c, { message_id: evt.param.publish.message_id });
        }
      });
      await connectAndWait(client, events);
      await mqtt_publish(client, {
        message: { topic: { topic: MQTT_UTF8_LITERAL('zsim/ws/out'), qos: 1 }, payload: { data: bytes('over ws'), len: 7 } },
        message_id: 1, dup_flag: false, retain_flag: false,
      });
      await mqtt_subscribe(client, { list: [{ topic: MQTT_UTF8_LITERAL('zsim/ws/in'), qos: 1 }], list_count: 1, message_id: 2 });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK) && events.some((e) => e.type === MQTT_EVT_PUBACK));
      void publish(mq.port, 'zsim/ws/in', 'x'.repeat(300), ['-q', '1']);
      await pump(client, () => received.length > 0);
      await mqtt_disconnect(client, null);
    }, WS);
    const got = await sub.waitFor(1);
    sub.stop();
    // Let the CLOSE frame written just before the socket closed reach the bridge.
    await new Promise((resolve) => setTimeout(resolve, 100));
    b.close();
    expect(got).toEqual(['zsim/ws/out 1 0 over ws']);
    expect(received).toEqual(['x'.repeat(300)]);
    expect(b.request.split('\r\n')).toEqual(expect.arrayContaining([
      'GET /mqtt HTTP/1.1', 'Host: localhost', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Protocol: mqtt',
    ]));
    expect(b.unmasked).toBe(0);
    // PUBLISH went as a binary frame plus a continuation (header iovec, payload iovec); PINGs got PONGs.
    expect(b.opcodes).toContain(0);
    expect(b.opcodes).toContain(10);
    expect(b.opcodes.at(-1)).toBe(8);
    expect(events.map((e) => e.type).at(-1)).toBe(MQTT_EVT_DISCONNECT);
    expect(r.console.lines).toContain('<inf> net_mqtt_websocket: Closing socket 0');
  });

  it.each([
    ['a refusal (HTTP 400)', (): string => 'HTTP/1.1 400 Bad Request\r\n\r\n', -ECONNREFUSED],
    ['a wrong Sec-WebSocket-Accept', (): string => 'HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: bogus\r\n\r\n', -EINVAL],
  ])('%s: mqtt_connect fails and logs "Websocket connect failed"', async (_n, reply, err) => {
    const b = await bridge(mq.port, reply);
    const log: unknown[] = [];
    const r = await hostBoard(async () => {
      const client = websocketClient(b.port, 'zsim-ws-bad', []);
      log.push(await mqtt_connect(client), client.internal.state);
    }, WS);
    b.close();
    expect(log).toEqual([err, 0]);
    expect(r.console.lines).toContain(`<err> net_mqtt_websocket: Websocket connect failed (${err})`);
  });

  it('MQTT_TRANSPORT_SECURE_WEBSOCKET: the websocket runs inside TLS (with transport.tls.config)', async () => {
    const pki = makePki();
    const b = await bridge(mq.port, undefined, { key: pki.pem('server.key'), cert: pki.pem('server.pem') });
    const events: mqtt_evt[] = [];
    await hostBoard(async () => {
      tls_credential_add(1, TLS_CREDENTIAL_CA_CERTIFICATE, pki.pem('ca.pem') + '\0', pki.pem('ca.pem').length + 1);
      const client = websocketClient(b.port, 'zsim-wss', events);
      client.transport.type = MQTT_TRANSPORT_SECURE_WEBSOCKET;
      client.transport.tls.config.peer_verify = 2;
      client.transport.tls.config.sec_tag_list = [1];
      client.transport.tls.config.sec_tag_count = 1;
      client.transport.tls.config.hostname = 'localhost';
      await connectAndWait(client, events);
      await mqtt_disconnect(client, null);
    }, { ...WS, MQTT_LIB_TLS: true, NET_SOCKETS_SOCKOPT_TLS: true, TLS_CREDENTIALS: true });
    b.close();
    expect(events.map((e) => [e.type, e.result])).toEqual([[MQTT_EVT_CONNACK, 0], [MQTT_EVT_DISCONNECT, 0]]);
    expect(b.request).toMatch(/^GET \/mqtt HTTP\/1\.1\r\n/);
  });

  it('without CONFIG_MQTT_LIB_WEBSOCKET: -ENOTSUP', async () => {
    let rc = 0;
    await hostBoard(async () => {
      rc = await mqtt_connect(websocketClient(mq.port, 'zsim-ws-off', []));
    });
    expect(rc).toBe(-ENOTSUP);
  });
});

type WsModule = {
  WebSocketServer: new (o: { server: ReturnType<typeof createServer>; handleProtocols?: (p: Set<string>) => string | false }) => {
    on(ev: 'connection', cb: (ws: unknown, req: unknown) => void): void;
    close(): void;
  };
  createWebSocketStream: (ws: unknown) => NodeJS.ReadWriteStream;
};
const wsModule: WsModule | null = await import('ws' as string).then((m: WsModule) => m, () => null);
if (!wsModule) console.warn('test/mqtt_client/websocket: the `ws` package is not installed; skipping the aedes-over-ws test (npm i -D ws)');

describe.skipIf(!wsModule)('MQTT over a websocket to aedes (ws package)', () => {
  it('connects, subscribes and gets its own publication back', async () => {
    const { Aedes } = await import('aedes');
    const aedes = await Aedes.createBroker();
    const http = createServer();
    const protocols: string[] = [];
    const wss = new wsModule!.WebSocketServer({ server: http, handleProtocols: (p) => (protocols.push(...p), p.has('mqtt') ? 'mqtt' : false) });
    wss.on('connection', (ws, req) => aedes.handle(wsModule!.createWebSocketStream(ws) as never, req as never));
    const wsPort = await new Promise<number>((r) => http.listen(0, '127.0.0.1', () => r((http.address() as net.AddressInfo).port)));
    const events: mqtt_evt[] = [];
    const received: string[] = [];
    await hostBoard(async () => {
      const client = websocketClient(wsPort, 'zsim-aedes', events, async (c, evt) => {
        if (evt.type === MQTT_EVT_PUBLISH) {
          const buf = new Uint8Array(evt.param.publish.message.payload.len);
          await mqtt_readall_publish_payload(c, buf, buf.length);
          received.push(text(buf));
        }
      });
      await connectAndWait(client, events);
      await mqtt_subscribe(client, { list: [{ topic: MQTT_UTF8_LITERAL('echo'), qos: 0 }], list_count: 1, message_id: 1 });
      await pump(client, () => events.some((e) => e.type === MQTT_EVT_SUBACK));
      await mqtt_publish(client, {
        message: { topic: { topic: MQTT_UTF8_LITERAL('echo'), qos: 0 }, payload: { data: bytes('hello aedes'), len: 11 } },
        message_id: 0, dup_flag: false, retain_flag: false,
      });
      await pump(client, () => received.length > 0);
      await mqtt_disconnect(client, null);
    }, WS);
    wss.close();
    http.close();
    await new Promise<void>((r) => aedes.close(() => r()));
    expect(protocols).toEqual(['mqtt']);
    expect(events[0]?.type).toBe(MQTT_EVT_CONNACK);
    expect(received).toEqual(['hello aedes']);
  });
});
