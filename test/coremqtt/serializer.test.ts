/**
 * coreMQTT's serializer alone: packet sizes and bytes against golden vectors and against
 * mqtt-packet (an independent encoder), coreMQTT's argument checks and status codes, and the
 * deserializers on well-formed and malformed input. No board, no network.
 */
import { describe, expect, it } from 'vitest';
import mqttPacket from 'mqtt-packet';
import {
  MQTTBadParameter, MQTTBadResponse, MQTTNeedMoreBytes, MQTTNoDataAvailable, MQTTNoMemory, MQTTQoS0, MQTTQoS1,
  MQTTQoS2, MQTTRecvFailed, MQTTServerRefused, MQTTSuccess, MQTT_DeserializeAck, MQTT_DeserializePublish,
  MQTT_GetConnectPacketSize, MQTT_GetDisconnectPacketSize, MQTT_GetIncomingPacketTypeAndLength,
  MQTT_GetPingreqPacketSize, MQTT_GetPublishPacketSize, MQTT_GetSubscribePacketSize, MQTT_GetUnsubscribePacketSize,
  MQTT_MAX_REMAINING_LENGTH, MQTT_PACKET_TYPE_CONNACK, MQTT_PACKET_TYPE_PINGRESP, MQTT_PACKET_TYPE_PUBACK,
  MQTT_PACKET_TYPE_PUBCOMP, MQTT_PACKET_TYPE_PUBLISH, MQTT_PACKET_TYPE_PUBREC, MQTT_PACKET_TYPE_PUBREL,
  MQTT_PACKET_TYPE_SUBACK, MQTT_PACKET_TYPE_UNSUBACK, MQTT_ProcessIncomingPacketTypeAndLength, MQTT_SerializeAck,
  MQTT_SerializeConnect, MQTT_SerializeDisconnect, MQTT_SerializePingreq, MQTT_SerializePublish,
  MQTT_SerializePublishHeader, MQTT_SerializeSubscribe, MQTT_SerializeUnsubscribe,
  type MQTTConnectInfo_t, type MQTTPacketInfo_t, type MQTTPublishInfo_t, type MQTTSubscribeInfo_t,
} from '../../src/coremqtt/core_mqtt_serializer.ts';
import { bytes, hex } from './helpers.ts';

const fixed = (n: number) => ({ pBuffer: new Uint8Array(n), size: n });
const ref = <T>(value: T) => ({ value });
const packet = (type: number, body: number[]): MQTTPacketInfo_t => ({
  type, pRemainingData: Uint8Array.from(body), remainingLength: body.length, headerLength: 2,
});

/** Size, then serialize into a buffer of exactly that size; the bytes written. */
function connectBytes(info: MQTTConnectInfo_t, will: MQTTPublishInfo_t | null): Uint8Array {
  const rl = ref(0);
  const size = ref(0);
  expect(MQTT_GetConnectPacketSize(info, will, rl, size)).toBe(MQTTSuccess);
  const fb = fixed(size.value);
  expect(MQTT_SerializeConnect(info, will, rl.value, fb)).toBe(MQTTSuccess);
  return fb.pBuffer;
}

function publishBytes(info: MQTTPublishInfo_t, id: number): Uint8Array {
  const rl = ref(0);
  const size = ref(0);
  expect(MQTT_GetPublishPacketSize(info, rl, size)).toBe(MQTTSuccess);
  const fb = fixed(size.value);
  expect(MQTT_SerializePublish(info, id, rl.value, fb)).toBe(MQTTSuccess);
  return fb.pBuffer;
}

const pub = (qos: 0 | 1 | 2, payload: string, more: Partial<MQTTPublishInfo_t> = {}): MQTTPublishInfo_t => ({
  qos, pTopicName: 'a/b', topicNameLength: 3, pPayload: payload, payloadLength: bytes(payload).length, ...more,
});

describe('CONNECT', () => {
  it('matches the golden bytes of a minimal clean-session CONNECT', () => {
    const b = connectBytes({ cleanSession: true, keepAliveSeconds: 60, pClientIdentifier: 'zsim', clientIdentifierLength: 4 }, null);
    expect(hex(b)).toBe('101000044d5154540402003c00047a73696d');
  });

  it('matches mqtt-packet with a will, a user name and a password', () => {
    const will: MQTTPublishInfo_t = { qos: MQTTQoS1, retain: true, pTopicName: 'dead', topicNameLength: 4, pPayload: bytes('bye'), payloadLength: 3 };
    const ours = connectBytes({
      cleanSession: false, keepAliveSeconds: 300, pClientIdentifier: bytes('client-1'), clientIdentifierLength: 8,
      pUserName: 'user', userNameLength: 4, pPassword: bytes('pw'), passwordLength: 2,
    }, will);
    const theirs = mqttPacket.generate({
      cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: false, keepalive: 300, clientId: 'client-1',
      will: { topic: 'dead', payload: Buffer.from('bye'), qos: 1, retain: true }, username: 'user', password: Buffer.from('pw'),
    });
    expect(hex(ours)).toBe(hex(theirs));
  });

  it('checks arguments as coreMQTT does', () => {
    const rl = ref(0);
    const size = ref(0);
    expect(MQTT_GetConnectPacketSize({ cleanSession: true, keepAliveSeconds: 0, pClientIdentifier: null, clientIdentifierLength: 0 }, null, rl, size)).toBe(MQTTBadParameter);
    const info = { cleanSession: true, keepAliveSeconds: 0, pClientIdentifier: 'x', clientIdentifierLength: 1 };
    const big: MQTTPublishInfo_t = { qos: MQTTQoS0, pTopicName: 't', topicNameLength: 1, pPayload: new Uint8Array(70000), payloadLength: 70000 };
    expect(MQTT_GetConnectPacketSize(info, big, rl, size)).toBe(MQTTBadParameter);
    expect(MQTT_GetConnectPacketSize(info, null, rl, size)).toBe(MQTTSuccess);
    expect(size.value).toBe(15);
    expect(MQTT_SerializeConnect(info, null, rl.value, fixed(14))).toBe(MQTTNoMemory);
    // A buffer larger than its declared size does not help.
    expect(MQTT_SerializeConnect(info, null, rl.value, { pBuffer: new Uint8Array(64), size: 14 })).toBe(MQTTNoMemory);
    expect(MQTT_SerializeConnect(info, null, rl.value, null)).toBe(MQTTBadParameter);
  });
});

describe('PUBLISH', () => {
  it.each([0, 1, 2] as const)('QoS %i matches mqtt-packet', (qos) => {
    const ours = publishBytes(pub(qos, 'hello', { retain: qos === 2, dup: qos === 1 }), qos ? 0x1234 : 0);
    const theirs = mqttPacket.generate({
      cmd: 'publish', topic: 'a/b', payload: Buffer.from('hello'), qos, retain: qos === 2, dup: qos === 1,
      ...(qos ? { messageId: 0x1234 } : {}),
    });
    expect(hex(ours)).toBe(hex(theirs));
  });

  it('sizes across the Remaining Length byte boundaries', () => {
    // Topic "a/b" (2 + 3) plus payload: Remaining Length 127, 128, 16383, 16384 and 2097152.
    for (const [rl, header] of [[127, 2], [128, 3], [16383, 3], [16384, 4], [2097152, 5]]) {
      const info = pub(0, '', { pPayload: new Uint8Array(rl - 5), payloadLength: rl - 5 });
      const r = ref(0);
      const size = ref(0);
      expect(MQTT_GetPublishPacketSize(info, r, size)).toBe(MQTTSuccess);
      expect([r.value, size.value]).toEqual([rl, rl + header]);
      if (rl < 20000) expect(publishBytes(info, 0).length).toBe(rl + header);
    }
    const r = ref(0);
    const huge = pub(0, '', { pPayload: null, payloadLength: MQTT_MAX_REMAINING_LENGTH });
    expect(MQTT_GetPublishPacketSize(huge, r, ref(0))).toBe(MQTTBadParameter);
  });

  it('the header alone is the packet without its payload', () => {
    const info = pub(1, 'payload here');
    const whole = publishBytes(info, 7);
    const r = ref(0);
    MQTT_GetPublishPacketSize(info, r, ref(0));
    const fb = fixed(whole.length - info.payloadLength);
    const headerSize = ref(0);
    expect(MQTT_SerializePublishHeader(info, 7, r.value, fb, headerSize)).toBe(MQTTSuccess);
    expect(headerSize.value).toBe(fb.size);
    expect(hex(fb.pBuffer)).toBe(hex(whole.subarray(0, headerSize.value)));
    expect(MQTT_SerializePublishHeader(info, 7, r.value, fixed(fb.size - 1), headerSize)).toBe(MQTTNoMemory);
  });

  it('rejects a missing topic, packet id 0 at QoS 1, DUP at QoS 0, and a short buffer', () => {
    const r = ref(0);
    expect(MQTT_GetPublishPacketSize(pub(0, 'x', { pTopicName: null, topicNameLength: 0 }), r, ref(0))).toBe(MQTTBadParameter);
    MQTT_GetPublishPacketSize(pub(1, 'x'), r, ref(0));
    expect(MQTT_SerializePublish(pub(1, 'x'), 0, r.value, fixed(64))).toBe(MQTTBadParameter);
    expect(MQTT_SerializePublish(pub(0, 'x', { dup: true }), 0, r.value - 2, fixed(64))).toBe(MQTTBadParameter);
    expect(MQTT_SerializePublish(pub(1, 'x'), 1, r.value, fixed(r.value + 1))).toBe(MQTTNoMemory);
  });
});

describe('SUBSCRIBE, UNSUBSCRIBE, acks, PINGREQ, DISCONNECT', () => {
  const list: MQTTSubscribeInfo_t[] = [
    { qos: MQTTQoS0, pTopicFilter: 'a/+', topicFilterLength: 3 },
    { qos: MQTTQoS2, pTopicFilter: bytes('b/#'), topicFilterLength: 3 },
  ];

  it('SUBSCRIBE and UNSUBSCRIBE match mqtt-packet', () => {
    const r = ref(0);
    const size = ref(0);
    expect(MQTT_GetSubscribePacketSize(list, 2, r, size)).toBe(MQTTSuccess);
    let fb = fixed(size.value);
    expect(MQTT_SerializeSubscribe(list, 2, 10, r.value, fb)).toBe(MQTTSuccess);
    expect(hex(fb.pBuffer)).toBe(hex(mqttPacket.generate({ cmd: 'subscribe', messageId: 10, subscriptions: [{ topic: 'a/+', qos: 0 }, { topic: 'b/#', qos: 2 }] })));
    expect(MQTT_GetUnsubscribePacketSize(list, 2, r, size)).toBe(MQTTSuccess);
    fb = fixed(size.value);
    expect(MQTT_SerializeUnsubscribe(list, 2, 11, r.value, fb)).toBe(MQTTSuccess);
    expect(hex(fb.pBuffer)).toBe(hex(mqttPacket.generate({ cmd: 'unsubscribe', messageId: 11, unsubscriptions: ['a/+', 'b/#'] })));
  });

  it('rejects an empty filter, no filter, packet id 0 and a short buffer', () => {
    const r = ref(0);
    expect(MQTT_GetSubscribePacketSize([{ qos: MQTTQoS0, pTopicFilter: '', topicFilterLength: 0 }], 1, r, ref(0))).toBe(MQTTBadParameter);
    expect(MQTT_GetSubscribePacketSize(list, 0, r, ref(0))).toBe(MQTTBadParameter);
    MQTT_GetSubscribePacketSize(list, 2, r, ref(0));
    expect(MQTT_SerializeSubscribe(list, 2, 0, r.value, fixed(64))).toBe(MQTTBadParameter);
    expect(MQTT_SerializeSubscribe(list, 2, 1, r.value, fixed(r.value))).toBe(MQTTNoMemory);
  });

  it('serializes the four publish acks, PINGREQ and DISCONNECT', () => {
    const out: string[] = [];
    for (const t of [MQTT_PACKET_TYPE_PUBACK, MQTT_PACKET_TYPE_PUBREC, MQTT_PACKET_TYPE_PUBREL, MQTT_PACKET_TYPE_PUBCOMP]) {
      const fb = fixed(4);
      expect(MQTT_SerializeAck(fb, t, 0x0102)).toBe(MQTTSuccess);
      out.push(hex(fb.pBuffer));
    }
    expect(out).toEqual(['40020102', '50020102', '62020102', '70020102']);
    expect(MQTT_SerializeAck(fixed(4), MQTT_PACKET_TYPE_SUBACK, 1)).toBe(MQTTBadParameter);
    expect(MQTT_SerializeAck(fixed(4), MQTT_PACKET_TYPE_PUBACK, 0)).toBe(MQTTBadParameter);
    expect(MQTT_SerializeAck(fixed(3), MQTT_PACKET_TYPE_PUBACK, 1)).toBe(MQTTNoMemory);
    const size = ref(0);
    expect([MQTT_GetPingreqPacketSize(size), size.value, MQTT_GetDisconnectPacketSize(size), size.value]).toEqual([MQTTSuccess, 2, MQTTSuccess, 2]);
    const p = fixed(2);
    const d = fixed(2);
    expect([MQTT_SerializePingreq(p), MQTT_SerializeDisconnect(d), MQTT_SerializePingreq(fixed(1))]).toEqual([MQTTSuccess, MQTTSuccess, MQTTNoMemory]);
    expect([hex(p.pBuffer), hex(d.pBuffer)]).toEqual(['c000', 'e000']);
  });
});

describe('deserializers', () => {
  it('CONNACK: session present, refusals, malformed', () => {
    const sp = ref(false);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [1, 0]), null, sp)).toBe(MQTTSuccess);
    expect(sp.value).toBe(true);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [0, 5]), null, sp)).toBe(MQTTServerRefused);
    expect(sp.value).toBe(false);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [0, 6]), null, sp)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [1, 4]), null, sp)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [2, 0]), null, sp)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [0, 0, 0]), null, sp)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_CONNACK, [0, 0]), null, null)).toBe(MQTTBadParameter);
  });

  it('SUBACK: a refused filter is MQTTServerRefused, a bad code MQTTBadResponse', () => {
    const id = ref(0);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_SUBACK, [0, 9, 0, 1, 2]), id, null)).toBe(MQTTSuccess);
    expect(id.value).toBe(9);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_SUBACK, [0, 9, 1, 0x80]), id, null)).toBe(MQTTServerRefused);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_SUBACK, [0, 9, 3]), id, null)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_SUBACK, [0, 9]), id, null)).toBe(MQTTBadResponse);
  });

  it('simple acks and PINGRESP', () => {
    const id = ref(0);
    for (const t of [MQTT_PACKET_TYPE_PUBACK, MQTT_PACKET_TYPE_PUBREC, MQTT_PACKET_TYPE_PUBREL, MQTT_PACKET_TYPE_PUBCOMP, MQTT_PACKET_TYPE_UNSUBACK]) {
      expect(MQTT_DeserializeAck(packet(t, [0x12, 0x34]), id, null)).toBe(MQTTSuccess);
      expect(id.value).toBe(0x1234);
      expect(MQTT_DeserializeAck(packet(t, [0, 0]), id, null)).toBe(MQTTBadResponse);
      expect(MQTT_DeserializeAck(packet(t, [0, 1, 0]), id, null)).toBe(MQTTBadResponse);
    }
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_PUBACK, [0, 1]), null, null)).toBe(MQTTBadParameter);
    expect(MQTT_DeserializeAck(packet(0x60, [0, 1]), id, null)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_PINGRESP, []), null, null)).toBe(MQTTSuccess);
    expect(MQTT_DeserializeAck(packet(MQTT_PACKET_TYPE_PINGRESP, [0]), null, null)).toBe(MQTTBadResponse);
  });

  it('PUBLISH: fields, views into the packet, malformed packets', () => {
    const wire = new Uint8Array(mqttPacket.generate({ cmd: 'publish', topic: 't/1', payload: Buffer.from('data'), qos: 2, dup: true, retain: false, messageId: 77 }));
    const p = packet(wire[0]!, [...wire.subarray(2)]);
    const id = ref(0);
    const info: MQTTPublishInfo_t = { qos: MQTTQoS0, pTopicName: null, topicNameLength: 0, pPayload: null, payloadLength: 0 };
    expect(MQTT_DeserializePublish(p, id, info)).toBe(MQTTSuccess);
    expect({ ...info, pTopicName: Buffer.from(info.pTopicName as Uint8Array).toString(), pPayload: Buffer.from(info.pPayload as Uint8Array).toString() })
      .toEqual({ qos: 2, retain: false, dup: true, pTopicName: 't/1', topicNameLength: 3, pPayload: 'data', payloadLength: 4 });
    expect(id.value).toBe(77);
    expect((info.pTopicName as Uint8Array).buffer).toBe(p.pRemainingData!.buffer);
    expect(MQTT_DeserializePublish(packet(0x36, [...wire.subarray(2)]), id, info)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializePublish(packet(0x32, [0, 3, 0x74, 0x2f, 0x31, 0, 0]), id, info)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializePublish(packet(0x30, [0, 5, 0x74]), id, info)).toBe(MQTTBadResponse);
    expect(MQTT_DeserializePublish(packet(MQTT_PACKET_TYPE_PUBACK, [0, 1]), id, info)).toBe(MQTTBadParameter);
  });
});

describe('framing an incoming packet', () => {
  /** A read function over a fixed byte sequence; after the end it returns `tail`. */
  const reader = (data: number[], tail = 0) => {
    let i = 0;
    return async (_: object, buf: Uint8Array, n: number): Promise<number> => {
      if (i >= data.length) return tail;
      const k = Math.min(n, data.length - i);
      buf.set(data.slice(i, i + k));
      i += k;
      return k;
    };
  };
  const blank = (): MQTTPacketInfo_t => ({ type: 0, pRemainingData: null, remainingLength: 0, headerLength: 0 });

  it('MQTT_GetIncomingPacketTypeAndLength reads the type and a multi-byte length', async () => {
    const p = blank();
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([0x30, 0xc1, 0x02]), {}, p)).toBe(MQTTSuccess);
    expect(p).toMatchObject({ type: MQTT_PACKET_TYPE_PUBLISH, remainingLength: 321, headerLength: 3 });
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([]), {}, p)).toBe(MQTTNoDataAvailable);
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([], -1), {}, p)).toBe(MQTTRecvFailed);
    // A client never receives CONNECT; PUBREL must carry flags 0b0010.
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([0x10, 0]), {}, p)).toBe(MQTTBadResponse);
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([0x60, 2]), {}, p)).toBe(MQTTBadResponse);
    // Lengths: a missing byte, five bytes, and a non-minimal encoding are all invalid.
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([0x30, 0x80]), {}, p)).toBe(MQTTBadResponse);
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([0x30, 0xff, 0xff, 0xff, 0xff, 1]), {}, p)).toBe(MQTTBadResponse);
    expect(await MQTT_GetIncomingPacketTypeAndLength(reader([0x30, 0x80, 0x00]), {}, p)).toBe(MQTTBadResponse);
  });

  it('MQTT_ProcessIncomingPacketTypeAndLength works from a buffer', () => {
    const p = blank();
    const buf = Uint8Array.from([0x90, 0x83, 0x01]);
    expect(MQTT_ProcessIncomingPacketTypeAndLength(buf, ref(0), p)).toBe(MQTTNoDataAvailable);
    expect(MQTT_ProcessIncomingPacketTypeAndLength(buf, ref(1), p)).toBe(MQTTNeedMoreBytes);
    expect(MQTT_ProcessIncomingPacketTypeAndLength(buf, ref(2), p)).toBe(MQTTNeedMoreBytes);
    expect(MQTT_ProcessIncomingPacketTypeAndLength(buf, ref(3), p)).toBe(MQTTSuccess);
    expect(p).toMatchObject({ type: MQTT_PACKET_TYPE_SUBACK, remainingLength: 131, headerLength: 3 });
    expect(MQTT_ProcessIncomingPacketTypeAndLength(Uint8Array.from([0xc0, 0]), ref(2), p)).toBe(MQTTBadResponse);
  });
});
