/**
 * The managed API against a real mosquitto, from a board on the host network (real time), with
 * mosquitto_sub and mosquitto_pub as independent peers: sessions, publishes at every QoS,
 * subscriptions, keep-alive, and the resumption of a persistent session after the connection
 * dropped with a publish unacknowledged and a PUBREL lost. Under CI=true a missing mosquitto fails.
 */
import { describe, expect, it } from 'vitest';
import { mosquittoAvailable, mosquittoForSuite } from '../helpers/mosquitto.ts';
import {
  MQTTPubCompPending, MQTTQoS0, MQTTQoS1, MQTTQoS2, MQTTSuccess, MQTT_Connect, MQTT_Disconnect, MQTT_GetPacketId,
  MQTT_PACKET_TYPE_PUBACK, MQTT_PACKET_TYPE_PUBCOMP, MQTT_PACKET_TYPE_SUBACK, MQTT_ProcessLoop, MQTT_Publish,
  MQTT_PublishToResend, MQTT_STATE_CURSOR_INITIALIZER, MQTT_Subscribe, Plaintext_Disconnect, Plaintext_Send,
  Plaintext_Writev,
  type MQTTContext_t, type MQTTPublishInfo_t, type PlaintextParams_t, type TransportInterface_t,
} from '../../src/coremqtt/index.ts';
import { connectTcp, hostBoard, mosquittoPub, mosquittoSub, newContext, type SeenEvent } from './helpers.ts';

const have = mosquittoAvailable();

/** Runs the process loop until `done()` or `ms` of the board's time. */
async function loopUntil(ctx: MQTTContext_t, done: () => boolean, ms = 5000): Promise<number> {
  for (let waited = 0; !done() && waited < ms; waited += 50) {
    const rc = await MQTT_ProcessLoop(ctx, 50);
    if (rc !== MQTTSuccess) return rc;
  }
  return done() ? MQTTSuccess : -1;
}

const publishInfo = (topic: string, payload: string, qos: 0 | 1 | 2): MQTTPublishInfo_t => ({
  qos, pTopicName: topic, topicNameLength: topic.length, pPayload: payload, payloadLength: payload.length,
});

/** Resolves when `cond()` holds (checked from the host event loop, while a board runs). */
async function until(cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}

describe.skipIf(!have)('coreMQTT against mosquitto', () => {
  const mq = mosquittoForSuite();

  it('connects, and resumes a persistent session with session present', async () => {
    const log: unknown[] = [];
    await hostBoard(async () => {
      for (const clean of [false, false, true]) {
        const t = await connectTcp(mq.port);
        const ctx = newContext(t, []);
        const sp = { value: !clean };
        const info = { cleanSession: clean, keepAliveSeconds: 30, pClientIdentifier: 'cm-session', clientIdentifierLength: 10 };
        log.push(await MQTT_Connect(ctx, info, null, 2000, sp), sp.value, await MQTT_Disconnect(ctx));
        Plaintext_Disconnect(t.pNetworkContext);
      }
    });
    expect(log).toEqual([MQTTSuccess, false, MQTTSuccess, MQTTSuccess, true, MQTTSuccess, MQTTSuccess, false, MQTTSuccess]);
    expect(await mq.broker.waitLog(/New client connected .* as cm-session \(p2, c1, k30\)/)).toMatch(/as cm-session \(p2, c0, k30\)/);
  });

  it('publishes at QoS 0, 1 and 2, as mosquitto_sub sees', async () => {
    const sub = mosquittoSub(mq.port, 'cm/pub/#', ['-q', '2']);
    await sub.ready;
    const events: SeenEvent[] = [];
    const log: unknown[] = [];
    await hostBoard(async () => {
      const t = await connectTcp(mq.port);
      const ctx = newContext(t, events);
      log.push(await MQTT_Connect(ctx, { cleanSession: true, keepAliveSeconds: 30, pClientIdentifier: 'cm-pub', clientIdentifierLength: 6 }, null, 2000, { value: false }));
      for (const qos of [MQTTQoS0, MQTTQoS1, MQTTQoS2] as const) {
        log.push(await MQTT_Publish(ctx, publishInfo(`cm/pub/${qos}`, `payload at QoS ${qos}`, qos), qos ? MQTT_GetPacketId(ctx) : 0));
      }
      log.push(await loopUntil(ctx, () => events.some((e) => e.type === MQTT_PACKET_TYPE_PUBCOMP) && events.some((e) => e.type === MQTT_PACKET_TYPE_PUBACK)));
      log.push(ctx.outgoingPublishRecords!.every((r) => r.packetId === 0), await MQTT_Disconnect(ctx));
      Plaintext_Disconnect(t.pNetworkContext);
    });
    const got = await sub.waitFor(3);
    sub.stop();
    expect(log).toEqual([MQTTSuccess, MQTTSuccess, MQTTSuccess, MQTTSuccess, MQTTSuccess, true, MQTTSuccess]);
    expect([...got].sort()).toEqual(['cm/pub/0 0 0 payload at QoS 0', 'cm/pub/1 1 0 payload at QoS 1', 'cm/pub/2 2 0 payload at QoS 2']);
    expect(mq.broker.log()).toMatch(/Received PUBREL from cm-pub/);
  });

  it('subscribes and receives what mosquitto_pub sends, acknowledging QoS 1 and 2', async () => {
    const events: SeenEvent[] = [];
    const log: unknown[] = [];
    let subscribed = false;
    const run = hostBoard(async () => {
      const t = await connectTcp(mq.port);
      const ctx = newContext(t, events);
      log.push(await MQTT_Connect(ctx, { cleanSession: true, keepAliveSeconds: 30, pClientIdentifier: 'cm-sub', clientIdentifierLength: 6 }, null, 2000, { value: false }));
      log.push(await MQTT_Subscribe(ctx, [{ qos: MQTTQoS2, pTopicFilter: 'cm/sub/+', topicFilterLength: 8 }], 1, MQTT_GetPacketId(ctx)));
      log.push(await loopUntil(ctx, () => events.some((e) => e.type === MQTT_PACKET_TYPE_SUBACK)));
      subscribed = true;
      log.push(await loopUntil(ctx, () => events.filter((e) => e.topic !== undefined).length >= 3, 10_000));
      // Let the last PUBCOMP go out before leaving.
      await MQTT_ProcessLoop(ctx, 200);
      log.push(ctx.incomingPublishRecords!.every((r) => r.packetId === 0), await MQTT_Disconnect(ctx));
      Plaintext_Disconnect(t.pNetworkContext);
    });
    await until(() => subscribed);
    for (const qos of [0, 1, 2]) await mosquittoPub(mq.port, `cm/sub/q${qos}`, `from mosquitto_pub ${qos}`, ['-q', String(qos)]);
    await run;
    expect(log).toEqual([MQTTSuccess, MQTTSuccess, MQTTSuccess, MQTTSuccess, true, MQTTSuccess]);
    expect(events.filter((e) => e.topic).map((e) => [e.topic, e.qos, e.payload])).toEqual([
      ['cm/sub/q0', 0, 'from mosquitto_pub 0'], ['cm/sub/q1', 1, 'from mosquitto_pub 1'], ['cm/sub/q2', 2, 'from mosquitto_pub 2'],
    ]);
    const l = await mq.broker.waitLog(/Received PUBCOMP from cm-sub|Received PUBREC from cm-sub[\s\S]*PUBCOMP/);
    expect(l).toMatch(/Received PUBACK from cm-sub/);
    expect(l).toMatch(/Received PUBREC from cm-sub/);
  });

  it('keeps an idle connection alive with PINGREQs', async () => {
    const log: unknown[] = [];
    await hostBoard(async () => {
      const t = await connectTcp(mq.port);
      const ctx = newContext(t, []);
      log.push(await MQTT_Connect(ctx, { cleanSession: true, keepAliveSeconds: 1, pClientIdentifier: 'cm-ka', clientIdentifierLength: 5 }, null, 2000, { value: false }));
      log.push(await MQTT_ProcessLoop(ctx, 2600), ctx.waitingForPingResp, await MQTT_Disconnect(ctx));
      Plaintext_Disconnect(t.pNetworkContext);
    });
    expect(log).toEqual([MQTTSuccess, MQTTSuccess, false, MQTTSuccess]);
    const pings = mq.broker.log().match(/Received PINGREQ from cm-ka/g) ?? [];
    expect(pings.length).toBeGreaterThanOrEqual(2);
    expect(mq.broker.log()).toMatch(/Sending PINGRESP to cm-ka/);
  });

  it('resumes a dropped session: PUBREL resent first, then the unacknowledged publish with DUP; nothing lost', async () => {
    const sub = mosquittoSub(mq.port, 'cm/resume', ['-q', '1']);
    await sub.ready;
    const events: SeenEvent[] = [];
    const log: unknown[] = [];
    // A transport that can lose PUBLISH and PUBREL packets on the way out, as a dying link would.
    const lose = { publish: false, pubrel: false };
    const lossy = (t: TransportInterface_t<PlaintextParams_t>): TransportInterface_t<PlaintextParams_t> => ({
      ...t,
      send: async (nc, buf, n) => (lose.pubrel && buf[0] === 0x62 ? n : Plaintext_Send(nc, buf, n)),
      writev: async (nc, vecs, n) =>
        lose.publish && (vecs[0]!.iov_base[0]! & 0xf0) === 0x30 ? vecs.reduce((a, v) => a + v.iov_len, 0) : Plaintext_Writev(nc, vecs, n),
    });
    const info = { cleanSession: false, keepAliveSeconds: 30, pClientIdentifier: 'cm-resume', clientIdentifierLength: 9 };
    await hostBoard(async () => {
      let t = lossy(await connectTcp(mq.port));
      const ctx = newContext(t, events);
      const sp = { value: true };
      log.push(await MQTT_Connect(ctx, info, null, 2000, sp), sp.value);
      // The application keeps its outgoing publishes until they are acknowledged.
      const stored = new Map<number, MQTTPublishInfo_t>();
      const send = async (payload: string, qos: 1 | 2): Promise<number> => {
        const id = MQTT_GetPacketId(ctx);
        stored.set(id, publishInfo('cm/resume', payload, qos));
        return MQTT_Publish(ctx, stored.get(id)!, id);
      };
      lose.pubrel = true;
      log.push(await send('exactly once', 2));
      log.push(await loopUntil(ctx, () => ctx.outgoingPublishRecords![0]!.publishState === MQTTPubCompPending));
      lose.publish = true;
      log.push(await send('at least once', 1));
      // The link dies: no DISCONNECT, the socket just goes.
      Plaintext_Disconnect(t.pNetworkContext);
      lose.publish = lose.pubrel = false;

      t = lossy(await connectTcp(mq.port));
      ctx.transportInterface = t;
      log.push(await MQTT_Connect(ctx, info, null, 2000, sp), sp.value);
      const cursor = { value: MQTT_STATE_CURSOR_INITIALIZER };
      for (let id = MQTT_PublishToResend(ctx, cursor); id !== 0; id = MQTT_PublishToResend(ctx, cursor)) {
        log.push(`resend ${id}`, await MQTT_Publish(ctx, { ...stored.get(id)!, dup: true }, id));
      }
      log.push(await loopUntil(ctx, () => ctx.outgoingPublishRecords!.every((r) => r.packetId === 0)));
      log.push(await MQTT_Disconnect(ctx));
      Plaintext_Disconnect(t.pNetworkContext);
    });
    const got = await sub.waitFor(2);
    await new Promise((r) => setTimeout(r, 300));
    sub.stop();
    expect(log).toEqual([MQTTSuccess, false, MQTTSuccess, MQTTSuccess, MQTTSuccess, MQTTSuccess, true, 'resend 2', MQTTSuccess, MQTTSuccess, MQTTSuccess]);
    expect([...got].sort()).toEqual(['cm/resume 1 0 at least once', 'cm/resume 1 0 exactly once']);
    expect(events.map((e) => e.type)).toEqual([0x50, MQTT_PACKET_TYPE_PUBCOMP, MQTT_PACKET_TYPE_PUBACK]);
    const l = mq.broker.log();
    const pubrel = l.search(/Received PUBREL from cm-resume \(Mid: 1\)/);
    const dup = l.search(/Received PUBLISH from cm-resume \(d1, q1, r0, m2, 'cm\/resume'/);
    expect(pubrel).toBeGreaterThan(0);
    expect(dup).toBeGreaterThan(pubrel);
    // The first copy of the QoS 1 publish never reached the broker.
    expect(l).not.toMatch(/Received PUBLISH from cm-resume \(d0, q1/);
  });
});
