/**
 * The managed API against a scripted peer in virtual time: exact bytes, timeouts measured on the
 * board's clock, keep-alive (PINGREQ when idle, MQTTKeepAliveTimeout without a PINGRESP), the
 * automatic acks of QoS 1/2 in both directions, the state limit, oversized packets, and session
 * resumption (PUBRELs first, by MQTT_Connect; then the application's resends with DUP).
 */
import { describe, expect, it } from 'vitest';
import { k_uptime_get_32 } from '../../src/kernel/index.ts';
import {
  MQTTBadParameter, MQTTBadResponse, MQTTConnected, MQTTKeepAliveTimeout, MQTTNoDataAvailable, MQTTNoMemory,
  MQTTQoS1, MQTTQoS2, MQTTRecvFailed, MQTTSendFailed, MQTTServerRefused, MQTTSuccess, MQTT_Connect, MQTT_GetPacketId,
  MQTT_PACKET_TYPE_PINGRESP, MQTT_PACKET_TYPE_PUBCOMP, MQTT_PACKET_TYPE_PUBREC, MQTT_ProcessLoop, MQTT_Publish,
  MQTT_PublishToResend, MQTT_ReceiveLoop, MQTT_Subscribe,
  type MQTTContext_t, type MQTTPublishInfo_t,
} from '../../src/coremqtt/index.ts';
import { ScriptedTransport, connack, hex, newContext, virtualBoard, type SeenEvent } from './helpers.ts';

const CONNECT_INFO = { cleanSession: true, keepAliveSeconds: 0, pClientIdentifier: 'zsim', clientIdentifierLength: 4 };

/** A peer that answers CONNECT with `ack` and PINGREQ with PINGRESP (unless told not to). */
function peer(ack = connack(), opts: { pingresp?: boolean } = {}): ScriptedTransport {
  return new ScriptedTransport(10, (p, t) => {
    if (p[0] === 0x10) t.feed(ack);
    if (p[0] === 0xc0 && opts.pingresp !== false) t.feed([0xd0, 0]);
  });
}

async function connected(t: ScriptedTransport, events: SeenEvent[], info: Partial<typeof CONNECT_INFO> = {}, records = 10, writev = false): Promise<MQTTContext_t> {
  const ctx = newContext(t.interface(writev), events, { records });
  const sp = { value: true };
  expect(await MQTT_Connect(ctx, { ...CONNECT_INFO, ...info }, null, 1000, sp)).toBe(MQTTSuccess);
  return ctx;
}

const qos1 = (payload: string): MQTTPublishInfo_t => ({ qos: MQTTQoS1, pTopicName: 't', topicNameLength: 1, pPayload: payload, payloadLength: payload.length });

describe('MQTT_Connect', () => {
  it('sends CONNECT, reads the CONNACK and reports the session', async () => {
    const t = peer(connack(true));
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = newContext(t.interface(), []);
      const sp = { value: false };
      log.push(await MQTT_Connect(ctx, { ...CONNECT_INFO, cleanSession: false, keepAliveSeconds: 30 }, null, 500, sp), sp.value);
      log.push(ctx.connectStatus === MQTTConnected, ctx.keepAliveIntervalSec);
    });
    expect(log).toEqual([MQTTSuccess, true, true, 30]);
    expect(hex(t.all())).toBe('101000044d51545404000' + '01e00047a73696d');
  });

  it('times out on the board clock, or after the retries with a 0 timeout', async () => {
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = newContext(new ScriptedTransport(10).interface(), []);
      const t0 = k_uptime_get_32();
      log.push(await MQTT_Connect(ctx, CONNECT_INFO, null, 300, { value: false }));
      log.push(k_uptime_get_32() - t0 >= 300);
      const quiet = new ScriptedTransport(10);
      let reads = 0;
      const counting = { ...quiet.interface(), recv: async (n: ScriptedTransport, b: Uint8Array, k: number) => (reads++, quiet.interface().recv(n, b, k)) };
      const ctx2 = newContext(counting, []);
      log.push(await MQTT_Connect(ctx2, CONNECT_INFO, null, 0, { value: false }), reads);
    }, { COREMQTT_MAX_CONNACK_RECEIVE_RETRY_COUNT: 3 });
    expect(log).toEqual([MQTTNoDataAvailable, true, MQTTNoDataAvailable, 4]);
  });

  it('refused, or a session claimed for a clean session', async () => {
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const sp = { value: false };
      log.push(await MQTT_Connect(newContext(peer(connack(false, 5)).interface(), []), CONNECT_INFO, null, 500, sp));
      log.push(await MQTT_Connect(newContext(peer(connack(true)).interface(), []), CONNECT_INFO, null, 500, sp));
      log.push(await MQTT_Connect(newContext(peer([0x90, 3, 0, 1, 0]).interface(), []), CONNECT_INFO, null, 500, sp));
    });
    expect(log).toEqual([MQTTServerRefused, MQTTBadResponse, MQTTBadResponse]);
  });
});

describe('keep-alive', () => {
  it('MQTT_ProcessLoop pings when idle for the keep-alive interval and clears the flag at the PINGRESP', async () => {
    const t = peer();
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, [], { keepAliveSeconds: 1 });
      log.push(await MQTT_ProcessLoop(ctx, 3500), ctx.waitingForPingResp);
    });
    expect(log).toEqual([MQTTSuccess, false]);
    expect(t.sent.filter((p) => p[0] === 0xc0).length).toBe(3);
  });

  it('MQTTKeepAliveTimeout when no PINGRESP comes within MQTT_PINGRESP_TIMEOUT_MS', async () => {
    const t = peer(connack(), { pingresp: false });
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, [], { keepAliveSeconds: 1 });
      const t0 = k_uptime_get_32();
      log.push(await MQTT_ProcessLoop(ctx, 60_000));
      const took = k_uptime_get_32() - t0;
      log.push(took > 1000 + 500 && took < 1000 + 500 + 100, ctx.waitingForPingResp);
    }, { COREMQTT_PINGRESP_TIMEOUT_MS: 500 });
    expect(log).toEqual([MQTTKeepAliveTimeout, true, true]);
  });

  it('MQTT_ReceiveLoop sends no PINGREQ and hands a PINGRESP to the callback', async () => {
    const t = peer();
    const events: SeenEvent[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, events, { keepAliveSeconds: 1 });
      expect(await MQTT_ReceiveLoop(ctx, 2500)).toBe(MQTTSuccess);
      t.feed([0xd0, 0]);
      expect(await MQTT_ReceiveLoop(ctx, 50)).toBe(MQTTSuccess);
    });
    expect(t.sent.filter((p) => p[0] === 0xc0).length).toBe(0);
    expect(events.map((e) => e.type)).toEqual([MQTT_PACKET_TYPE_PINGRESP]);
  });
});

describe('QoS 1 and 2 flows', () => {
  it('acknowledges incoming publishes: PUBACK, PUBREC then PUBCOMP; a duplicate is acked, not delivered', async () => {
    const t = peer();
    const events: SeenEvent[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, events);
      t.feed([0x32, 6, 0, 1, 0x74, 0, 5, 0x41]); // QoS 1, id 5, "A"
      t.feed([0x34, 6, 0, 1, 0x74, 0, 6, 0x42]); // QoS 2, id 6, "B"
      t.feed([0x3c, 6, 0, 1, 0x74, 0, 6, 0x42]); // the same again, DUP set
      t.feed([0x62, 2, 0, 6]); // PUBREL 6
      expect(await MQTT_ProcessLoop(ctx, 200)).toBe(MQTTSuccess);
      expect(ctx.controlPacketSent).toBe(true);
    });
    // The PUBREL goes to the callback too, as every ack does.
    expect(events.map((e) => [e.type, e.packetId, e.payload, e.qos])).toEqual([[0x32, 5, 'A', 1], [0x34, 6, 'B', 2], [0x62, 6, undefined, undefined]]);
    expect(t.sent.slice(1).map(hex)).toEqual(['40020005', '50020006', '50020006', '70020006']);
  });

  it('completes an outgoing QoS 2 publish: PUBREC answered with PUBREL, record freed at PUBCOMP', async () => {
    const t = new ScriptedTransport(10, (p, s) => {
      if (p[0] === 0x10) s.feed(connack());
      if ((p[0]! & 0xf0) === 0x30) s.feed([0x50, 2, 0, 1]);
      if (p[0] === 0x62) s.feed([0x70, 2, 0, 1]);
    });
    const events: SeenEvent[] = [];
    let records: number[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, events);
      expect(await MQTT_Publish(ctx, { ...qos1('x'), qos: MQTTQoS2 }, MQTT_GetPacketId(ctx))).toBe(MQTTSuccess);
      expect(await MQTT_ProcessLoop(ctx, 100)).toBe(MQTTSuccess);
      records = ctx.outgoingPublishRecords!.map((r) => r.packetId);
    });
    // Without writev the header goes out of the network buffer, then the payload from where it is.
    expect(t.sent.slice(1).map(hex)).toEqual(['34060001740001', '78', '62020001']);
    expect(events.map((e) => e.type)).toEqual([MQTT_PACKET_TYPE_PUBREC, MQTT_PACKET_TYPE_PUBCOMP]);
    expect(records.every((id) => id === 0)).toBe(true);
  });

  it('MQTTNoMemory once MQTT_STATE_ARRAY_MAX_COUNT publishes are unacknowledged', async () => {
    const t = peer();
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, [], {}, 2);
      for (let i = 0; i < 3; i++) log.push(await MQTT_Publish(ctx, qos1(`m${i}`), MQTT_GetPacketId(ctx)));
      t.feed([0x40, 2, 0, 1]);
      await MQTT_ProcessLoop(ctx, 50);
      log.push(await MQTT_Publish(ctx, qos1('again'), MQTT_GetPacketId(ctx)));
    }, { COREMQTT_STATE_ARRAY_MAX_COUNT: 2 });
    expect(log).toEqual([MQTTSuccess, MQTTSuccess, MQTTNoMemory, MQTTSuccess]);
    expect(t.sent.filter((p) => p[0] === 0x32).length).toBe(3);
  });

  it('QoS 1/2 needs MQTT_InitStatefulQoS; a header larger than the network buffer is MQTTNoMemory', async () => {
    const t = peer();
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, [], {}, 0);
      log.push(await MQTT_Publish(ctx, qos1('x'), 1));
      log.push(await MQTT_Subscribe(ctx, [{ qos: MQTTQoS1, pTopicFilter: 't', topicFilterLength: 1 }], 1, 2));
      const big = 'x'.repeat(600);
      log.push(await MQTT_Publish(ctx, { ...qos1('p'), qos: 0, pTopicName: big, topicNameLength: 600 }, 0));
      // The payload is sent from where it is: only the header needs the buffer.
      log.push(await MQTT_Publish(ctx, { ...qos1('y'.repeat(2000)), qos: 0 }, 0));
    });
    expect(log).toEqual([MQTTBadParameter, MQTTBadParameter, MQTTNoMemory, MQTTSuccess]);
  });

  it('drops an incoming packet larger than the network buffer and goes on', async () => {
    const t = peer();
    const events: SeenEvent[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, events);
      t.feed([0x30, 0xe8, 0x07, 0, 1, 0x74, ...new Array(997).fill(0x61)]); // 1000-byte QoS 0 publish
      t.feed([0x30, 4, 0, 1, 0x74, 0x62]);
      expect(await MQTT_ProcessLoop(ctx, 100)).toBe(MQTTSuccess);
    });
    expect(events.map((e) => e.payload)).toEqual(['b']);
  });

  it('reports transport failures', async () => {
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const t = peer();
      const ctx = await connected(t, []);
      t.closed = true;
      log.push(await MQTT_Publish(ctx, qos1('x'), 1), await MQTT_ProcessLoop(ctx, 0));
    });
    expect(log).toEqual([MQTTSendFailed, MQTTRecvFailed]);
  });

  it('does not spin in virtual time on a transport that returns 0 at once', async () => {
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = newContext({ pNetworkContext: {}, send: async () => 0, recv: async () => 0 }, []);
      const t0 = k_uptime_get_32();
      log.push(await MQTT_ProcessLoop(ctx, 100), k_uptime_get_32() - t0 >= 100);
      log.push(await MQTT_Publish(ctx, { ...qos1('x'), qos: 0 }, 0));
    }, { COREMQTT_SEND_TIMEOUT_MS: 50 });
    expect(log).toEqual([MQTTSuccess, true, MQTTSendFailed]);
  });
});

describe('session resumption', () => {
  it('resends PUBRELs in MQTT_Connect, then the application resends unacked publishes with DUP', async () => {
    let session = false;
    const t = new ScriptedTransport(10, (p, s) => {
      if (p[0] === 0x10) s.feed(connack(session));
      // First connection: PUBREC for the QoS 2 publish, nothing for the QoS 1 one.
      if (p[0] === 0x34) s.feed([0x50, 2, 0, 1]);
    });
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = await connected(t, [], { cleanSession: false }, 10, true);
      const stored = new Map<number, MQTTPublishInfo_t>();
      const infos: MQTTPublishInfo_t[] = [{ ...qos1('two'), qos: MQTTQoS2 }, qos1('one')];
      for (const info of infos) {
        const id = MQTT_GetPacketId(ctx);
        stored.set(id, info);
        await MQTT_Publish(ctx, info, id);
      }
      await MQTT_ProcessLoop(ctx, 50); // PUBREC in, PUBREL out: the QoS 2 publish awaits PUBCOMP
      t.sent.length = 0;
      session = true;
      const sp = { value: false };
      log.push(await MQTT_Connect(ctx, { ...CONNECT_INFO, cleanSession: false }, null, 500, sp), sp.value);
      const cursor = { value: 0 };
      for (let id = MQTT_PublishToResend(ctx, cursor); id !== 0; id = MQTT_PublishToResend(ctx, cursor)) {
        log.push(id, await MQTT_Publish(ctx, { ...stored.get(id)!, dup: true }, id));
      }
      // Without a session the broker forgot everything: so does the client.
      session = false;
      log.push(await MQTT_Connect(ctx, { ...CONNECT_INFO, cleanSession: false }, null, 500, sp), sp.value);
      log.push(MQTT_PublishToResend(ctx, { value: 0 }), ctx.outgoingPublishRecords!.every((r) => r.packetId === 0));
    });
    expect(log).toEqual([MQTTSuccess, true, 2, MQTTSuccess, MQTTSuccess, false, 0, true]);
    // CONNECT, PUBREL 1 (from MQTT_Connect), then PUBLISH 2 with DUP (0x3a, one writev), then the last CONNECT.
    expect(t.sent.map((p) => p[0])).toEqual([0x10, 0x62, 0x3a, 0x10]);
    expect(hex(t.sent[1]!)).toBe('62020001');
    expect(hex(t.sent[2]!)).toBe('3a0800017400026f6e65');
  });
});
