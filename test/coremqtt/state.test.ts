/**
 * coreMQTT's state records on their own: limits, collisions, the transitions of QoS 1 and QoS 2
 * in both directions, the order in which a resumed session resends; plus the other pure helpers
 * of the managed API (packet identifiers, topic matching, SUBACK codes, status names).
 */
import { describe, expect, it } from 'vitest';
import {
  MQTTBadParameter, MQTTBadResponse, MQTTContext_t, MQTTIllegalState, MQTTNoMemory, MQTTPubAckInfo_array,
  MQTTPubAckPending, MQTTPubCompPending, MQTTPubCompSend, MQTTPubRecPending, MQTTPubRelPending, MQTTPubRelSend,
  MQTTPublishDone, MQTTPublishSend, MQTTQoS0, MQTTQoS1, MQTTQoS2, MQTTStateCollision, MQTTStateNull, MQTTSuccess,
  MQTT_GetPacketId, MQTT_GetSubAckStatusCodes, MQTT_Init, MQTT_InitStatefulQoS, MQTT_MatchTopic,
  MQTT_PACKET_TYPE_SUBACK, MQTT_PublishToResend, MQTT_STATE_ARRAY_MAX_COUNT, MQTT_STATE_CURSOR_INITIALIZER,
  MQTT_Status_strerror, MQTTPuback, MQTTPubcomp, MQTTPubrec, MQTTPubrel,
  type MQTTPubAckInfo_t, type MQTTPublishState_t,
} from '../../src/coremqtt/index.ts';
import {
  MQTT_PubrelToResend, MQTT_RECEIVE, MQTT_RemoveStateRecord, MQTT_ReserveState, MQTT_SEND, MQTT_UpdateStateAck,
  MQTT_UpdateStatePublish, type MQTTStateRecords,
} from '../../src/coremqtt/core_mqtt_state.ts';
import { virtualBoard } from './helpers.ts';

function records(n: number): MQTTStateRecords {
  return {
    outgoingPublishRecords: MQTTPubAckInfo_array(n), outgoingPublishRecordMaxCount: n,
    incomingPublishRecords: MQTTPubAckInfo_array(n), incomingPublishRecordMaxCount: n,
  };
}
const st = (): { value: MQTTPublishState_t } => ({ value: MQTTStateNull });
/** Reserve then "send" an outgoing publish. */
function sent(r: MQTTStateRecords, id: number, qos: 1 | 2): void {
  expect(MQTT_ReserveState(r, id, qos)).toBe(MQTTSuccess);
  expect(MQTT_UpdateStatePublish(r, id, MQTT_SEND, qos, st())).toBe(MQTTSuccess);
}
const ids = (list: MQTTPubAckInfo_t[] | null): number[] => list!.map((x) => x.packetId);
function resend(r: MQTTStateRecords): number[] {
  const cursor = { value: MQTT_STATE_CURSOR_INITIALIZER };
  const out: number[] = [];
  for (let id = MQTT_PublishToResend(r, cursor); id !== 0; id = MQTT_PublishToResend(r, cursor)) out.push(id);
  return out;
}

describe('state records', () => {
  it('holds as many outgoing publishes as records, then MQTTNoMemory; a known id collides', () => {
    const r = records(3);
    expect([MQTT_ReserveState(r, 1, MQTTQoS1), MQTT_ReserveState(r, 2, MQTTQoS2), MQTT_ReserveState(r, 3, MQTTQoS1)]).toEqual([0, 0, 0]);
    expect(MQTT_ReserveState(r, 4, MQTTQoS1)).toBe(MQTTNoMemory);
    expect(MQTT_ReserveState(r, 2, MQTTQoS1)).toBe(MQTTStateCollision);
    // QoS 0 takes no record; packet id 0 is never valid.
    expect(MQTT_ReserveState(r, 9, MQTTQoS0)).toBe(MQTTSuccess);
    expect(MQTT_ReserveState(r, 0, MQTTQoS1)).toBe(MQTTBadParameter);
  });

  it('walks QoS 1 and QoS 2 outgoing publishes through their acks and frees the record', () => {
    const r = records(4);
    sent(r, 1, 1);
    sent(r, 2, 2);
    expect(r.outgoingPublishRecords!.slice(0, 2).map((x) => x.publishState)).toEqual([MQTTPubAckPending, MQTTPubRecPending]);
    const s = st();
    expect(MQTT_UpdateStateAck(r, 1, MQTTPuback, MQTT_RECEIVE, s)).toBe(MQTTSuccess);
    expect(s.value).toBe(MQTTPublishDone);
    expect(MQTT_UpdateStateAck(r, 2, MQTTPubrec, MQTT_RECEIVE, s)).toBe(MQTTSuccess);
    expect(s.value).toBe(MQTTPubRelSend);
    expect(MQTT_UpdateStateAck(r, 2, MQTTPubrel, MQTT_SEND, s)).toBe(MQTTSuccess);
    expect(s.value).toBe(MQTTPubCompPending);
    expect(MQTT_UpdateStateAck(r, 2, MQTTPubcomp, MQTT_RECEIVE, s)).toBe(MQTTSuccess);
    expect(ids(r.outgoingPublishRecords)).toEqual([0, 0, 0, 0]);
    // An ack for nothing on record is a bad response; one that does not fit the QoS is illegal.
    expect(MQTT_UpdateStateAck(r, 5, MQTTPuback, MQTT_RECEIVE, s)).toBe(MQTTBadResponse);
    sent(r, 6, 2);
    expect(MQTT_UpdateStateAck(r, 6, MQTTPuback, MQTT_RECEIVE, s)).toBe(MQTTIllegalState);
    expect(MQTT_UpdateStateAck(r, 6, MQTTPubcomp, MQTT_RECEIVE, s)).toBe(MQTTIllegalState);
  });

  it('walks incoming QoS 1 and QoS 2 publishes; a duplicate collides', () => {
    const r = records(2);
    const s = st();
    expect(MQTT_UpdateStatePublish(r, 10, MQTT_RECEIVE, MQTTQoS2, s)).toBe(MQTTSuccess);
    expect(MQTT_UpdateStatePublish(r, 10, MQTT_RECEIVE, MQTTQoS2, s)).toBe(MQTTStateCollision);
    expect(MQTT_UpdateStateAck(r, 10, MQTTPubrec, MQTT_SEND, s)).toBe(MQTTSuccess);
    expect(s.value).toBe(MQTTPubRelPending);
    expect(MQTT_UpdateStateAck(r, 10, MQTTPubrel, MQTT_RECEIVE, s)).toBe(MQTTSuccess);
    expect(s.value).toBe(MQTTPubCompSend);
    // The broker may resend a PUBREL after a reconnect: same state again.
    expect(MQTT_UpdateStateAck(r, 10, MQTTPubrel, MQTT_RECEIVE, s)).toBe(MQTTSuccess);
    expect(MQTT_UpdateStateAck(r, 10, MQTTPubcomp, MQTT_SEND, s)).toBe(MQTTSuccess);
    expect(ids(r.incomingPublishRecords)).toEqual([0, 0]);
    expect(MQTT_UpdateStatePublish(r, 11, MQTT_RECEIVE, MQTTQoS1, s)).toBe(MQTTSuccess);
    expect(MQTT_UpdateStatePublish(r, 12, MQTT_RECEIVE, MQTTQoS1, s)).toBe(MQTTSuccess);
    expect(MQTT_UpdateStatePublish(r, 13, MQTT_RECEIVE, MQTTQoS1, s)).toBe(MQTTNoMemory);
  });

  it('keeps send order: new records go last, compaction keeps order, a PUBREC moves its record last', () => {
    const r = records(4);
    for (const id of [1, 2, 3]) sent(r, id, id === 2 ? 2 : 1);
    expect(MQTT_UpdateStateAck(r, 1, MQTTPuback, MQTT_RECEIVE, st())).toBe(MQTTSuccess);
    sent(r, 4, 1);
    expect(ids(r.outgoingPublishRecords)).toEqual([0, 2, 3, 4]);
    // The last slot is taken: adding compacts first, in order.
    sent(r, 5, 2);
    expect(ids(r.outgoingPublishRecords)).toEqual([2, 3, 4, 5]);
    expect(MQTT_UpdateStateAck(r, 2, MQTTPubrec, MQTT_RECEIVE, st())).toBe(MQTTSuccess);
    expect(ids(r.outgoingPublishRecords)).toEqual([3, 4, 5, 2]);
    expect(resend(r)).toEqual([3, 4, 5]);
    const cursor = { value: 0 };
    const s = st();
    expect([MQTT_PubrelToResend(r, cursor, s), s.value, MQTT_PubrelToResend(r, cursor, s)]).toEqual([2, MQTTPubRelSend, 0]);
  });

  it('resends PUBRELs for PUBREC-ed and PUBREL-ed QoS 2, publishes for the rest, each in send order', () => {
    const r = records(6);
    for (const [id, qos] of [[1, 2], [2, 1], [3, 2], [4, 2], [5, 1]] as const) sent(r, id, qos);
    MQTT_UpdateStateAck(r, 3, MQTTPubrec, MQTT_RECEIVE, st());
    MQTT_UpdateStateAck(r, 1, MQTTPubrec, MQTT_RECEIVE, st());
    MQTT_UpdateStateAck(r, 1, MQTTPubrel, MQTT_SEND, st());
    // Each PUBREC moved its record last (compacting when the last slot was taken).
    expect(ids(r.outgoingPublishRecords)).toEqual([2, 4, 5, 3, 1, 0]);
    expect(r.outgoingPublishRecords!.map((x) => x.publishState)).toEqual(
      [MQTTPubAckPending, MQTTPubRecPending, MQTTPubAckPending, MQTTPubRelSend, MQTTPubCompPending, MQTTStateNull],
    );
    const cursor = { value: 0 };
    const s = st();
    const pubrels = [MQTT_PubrelToResend(r, cursor, s), MQTT_PubrelToResend(r, cursor, s), MQTT_PubrelToResend(r, cursor, s)];
    expect(pubrels).toEqual([3, 1, 0]);
    expect(resend(r)).toEqual([2, 4, 5]);
    // A publish reserved but never sent is resent too.
    expect(MQTT_ReserveState(records(1), 1, MQTTQoS1)).toBe(MQTTSuccess);
    const one = records(1);
    MQTT_ReserveState(one, 8, MQTTQoS2);
    expect(one.outgoingPublishRecords![0]!.publishState).toBe(MQTTPublishSend);
    expect(resend(one)).toEqual([8]);
    // Resending keeps the pending state.
    sent(r, 6, 1);
    expect(MQTT_UpdateStatePublish(r, 2, MQTT_SEND, MQTTQoS1, s)).toBe(MQTTSuccess);
    expect(s.value).toBe(MQTTPubAckPending);
    expect(MQTT_UpdateStatePublish(r, 2, MQTT_SEND, MQTTQoS2, s)).toBe(MQTTBadParameter);
  });

  it('MQTT_RemoveStateRecord forgets an outgoing publish', () => {
    const r = records(2);
    sent(r, 7, 1);
    expect(MQTT_RemoveStateRecord(r, 7)).toBe(MQTTSuccess);
    expect(MQTT_RemoveStateRecord(r, 7)).toBe(MQTTBadParameter);
    expect(ids(r.outgoingPublishRecords)).toEqual([0, 0]);
  });

  it('MQTT_InitStatefulQoS is bounded by CONFIG_COREMQTT_STATE_ARRAY_MAX_COUNT', async () => {
    const log: unknown[] = [];
    await virtualBoard(async () => {
      const ctx = new MQTTContext_t();
      const transport = { pNetworkContext: {}, send: async () => 0, recv: async () => 0 };
      log.push(MQTT_InitStatefulQoS(ctx, MQTTPubAckInfo_array(2), 2, null, 0));
      MQTT_Init(ctx, transport, () => 0, () => {}, { pBuffer: new Uint8Array(16), size: 16 });
      log.push(MQTT_STATE_ARRAY_MAX_COUNT());
      log.push(MQTT_InitStatefulQoS(ctx, MQTTPubAckInfo_array(4), 4, null, 0));
      log.push(MQTT_InitStatefulQoS(ctx, MQTTPubAckInfo_array(3), 3, MQTTPubAckInfo_array(3), 3));
      log.push(MQTT_InitStatefulQoS(ctx, MQTTPubAckInfo_array(2), 3, null, 0));
      log.push(MQTT_InitStatefulQoS(ctx, null, 2, null, 0));
    }, { COREMQTT_STATE_ARRAY_MAX_COUNT: 3 });
    expect(log).toEqual([MQTTBadParameter, 3, MQTTBadParameter, MQTTSuccess, MQTTBadParameter, MQTTBadParameter]);
    expect(MQTT_STATE_ARRAY_MAX_COUNT()).toBe(10);
  });

  it('state names', () => {
    expect(MQTT_Status_strerror(MQTTNoMemory)).toBe('MQTTNoMemory');
    expect(MQTT_Status_strerror(11)).toBe('MQTTNeedMoreBytes');
    expect(MQTT_Status_strerror(99 as 0)).toBe('Invalid MQTT Status code');
    expect([MQTTPubCompSend, MQTTPubRelPending].length).toBe(2);
  });
});

describe('managed API helpers', () => {
  it('MQTT_GetPacketId starts at 1, never returns 0 and wraps', () => {
    const ctx = new MQTTContext_t();
    MQTT_Init(ctx, { pNetworkContext: {}, send: async () => 0, recv: async () => 0 }, () => 0, () => {}, { pBuffer: new Uint8Array(8), size: 8 });
    expect([MQTT_GetPacketId(ctx), MQTT_GetPacketId(ctx)]).toEqual([1, 2]);
    ctx.nextPacketId = 65534;
    expect([MQTT_GetPacketId(ctx), MQTT_GetPacketId(ctx), MQTT_GetPacketId(ctx)]).toEqual([65534, 65535, 1]);
    expect(MQTT_GetPacketId(null)).toBe(0);
  });

  it('MQTT_MatchTopic follows MQTT 3.1.1 section 4.7', () => {
    const m = (name: string, filter: string): boolean | string => {
      const out = { value: false };
      const rc = MQTT_MatchTopic(name, Buffer.byteLength(name), filter, Buffer.byteLength(filter), out);
      return rc === MQTTSuccess ? out.value : `status ${rc}`;
    };
    const yes = [
      ['sport/tennis/player1', 'sport/tennis/player1/#'], ['sport/tennis/player1/ranking', 'sport/tennis/player1/#'],
      ['sport/tennis/player1', 'sport/tennis/+'], ['sport', 'sport/#'], ['sport/', 'sport/+'], ['sport/', 'sport/#'],
      ['/finance', '+/+'], ['/finance', '/+'], ['a/b/c', '#'], ['a/b/c', 'a/+/c'], ['$SYS/x', '$SYS/#'], ['été/x', 'été/+'],
      ['a+b', 'a+b'],
    ];
    const no = [
      ['sport/tennis/player1/ranking', 'sport/tennis/+'], ['sport', 'sport/+'], ['/finance', '+'], ['$SYS/x', '#'],
      ['$SYS/x', '+/x'], ['a/b', 'a/b/c'], ['a/b/c', 'a/b'], ['a/b', 'a/#/b'], ['ab', 'a+'], ['sport', 'sport#'],
    ];
    expect(yes.map(([n, f]) => [n, f, m(n!, f!)])).toEqual(yes.map(([n, f]) => [n, f, true]));
    expect(no.map(([n, f]) => [n, f, m(n!, f!)])).toEqual(no.map(([n, f]) => [n, f, false]));
    expect(m('', 'a')).toBe(`status ${MQTTBadParameter}`);
    expect(MQTT_MatchTopic('a', 1, 'a', 1, null)).toBe(MQTTBadParameter);
  });

  it('MQTT_GetSubAckStatusCodes gives the return codes', () => {
    const start = { value: null as Uint8Array | null };
    const size = { value: 0 };
    const suback = { type: MQTT_PACKET_TYPE_SUBACK, pRemainingData: Uint8Array.from([0, 1, 0, 0x80, 2]), remainingLength: 5, headerLength: 2 };
    expect(MQTT_GetSubAckStatusCodes(suback, start, size)).toBe(MQTTSuccess);
    expect([[...start.value!], size.value]).toEqual([[0, 0x80, 2], 3]);
    expect(MQTT_GetSubAckStatusCodes({ ...suback, type: 0xb0 }, start, size)).toBe(MQTTBadParameter);
    expect(MQTT_GetSubAckStatusCodes({ ...suback, remainingLength: 2 }, start, size)).toBe(MQTTBadParameter);
  });

  it('MQTT_Init refuses missing parts', () => {
    const ctx = new MQTTContext_t();
    const t = { pNetworkContext: {}, send: async () => 0, recv: async () => 0 };
    const buf = { pBuffer: new Uint8Array(8), size: 8 };
    expect(MQTT_Init(ctx, t, () => 0, () => {}, { pBuffer: new Uint8Array(8), size: 9 })).toBe(MQTTBadParameter);
    expect(MQTT_Init(ctx, t, null, () => {}, buf)).toBe(MQTTBadParameter);
    expect(MQTT_Init(ctx, t, () => 0, null, buf)).toBe(MQTTBadParameter);
    expect(MQTT_Init(null, t, () => 0, () => {}, buf)).toBe(MQTTBadParameter);
    expect(MQTT_Init(ctx, t, () => 0, () => {}, buf)).toBe(MQTTSuccess);
    expect([MQTTPubcomp, MQTTPubCompPending, MQTTPublishSend].length).toBe(3);
  });
});
