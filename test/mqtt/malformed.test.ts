/**
 * Malformed and truncated input: which errno each decoder returns, and what the encoders refuse.
 * The choices are documented in mqtt_unpack.ts, mqtt_decoder.ts and mqtt_properties.ts.
 */

import { describe, expect, it } from 'vitest';
import { EAGAIN, EBADMSG, EINVAL, EMSGSIZE, ENOMEM, ENOTSUP, EPROTONOSUPPORT } from '../../src/libc/errno.ts';
import type { buf_ctx, mqtt_fixed_header, mqtt_packet, mqtt_version } from '../../src/net/mqtt/index.ts';
import {
  MQTT_MAX_PAYLOAD_SIZE,
  MQTT_PKT_TYPE_PINGREQ,
  MQTT_PKT_TYPE_PUBLISH,
  MQTT_UTF8_LITERAL as S,
  auth_decode,
  auth_encode,
  connect_request_encode,
  fixed_header_decode,
  mqtt_packet_decode,
  mqtt_packet_encode,
  mqtt_utf8_valid,
  publish_ack_encode,
  publish_decode,
  publish_encode,
  subscribe_encode,
  unsubscribe_encode,
} from '../../src/net/mqtt/index.ts';
import { bin } from './arbitraries.ts';

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
type part = number | string | readonly part[];
const flat = (p: part): number[] => (typeof p === 'number' ? [p] : typeof p === 'string' ? ascii(p) : p.flatMap(flat));
const bytes = (...parts: part[]): Uint8Array => Uint8Array.from(parts.flatMap(flat));
/** A packet: first byte, then a one-byte remaining length computed from the body. */
const pkt = (first: number, ...body: part[]): Uint8Array => {
  const b = body.flatMap(flat);
  return Uint8Array.from([first, b.length, ...b]);
};
const dec = (v: number, b: Uint8Array) => mqtt_packet_decode(v, b);

describe('framing: fixed_header_decode and mqtt_packet_decode', () => {
  const hdr = (): mqtt_fixed_header => ({ type_and_flags: 0, length: 0 });

  it('asks for more bytes (-EAGAIN) until the remaining length is complete, without moving', () => {
    for (const b of [[], [0x30], [0x30, 0x80], [0x30, 0xff, 0xff], [0x30, 0xff, 0xff, 0xff]]) {
      const ctx: buf_ctx = { buf: Uint8Array.from(b), cur: 0, end: b.length };
      expect(fixed_header_decode(ctx, hdr())).toBe(-EAGAIN);
      expect(ctx.cur).toBe(0);
    }
  });

  it('rejects a remaining length of five bytes (-EINVAL)', () => {
    const ctx: buf_ctx = { buf: bytes(0x30, 0x80, 0x80, 0x80, 0x80, 0x00), cur: 0, end: 6 };
    expect(fixed_header_decode(ctx, hdr())).toBe(-EINVAL);
    expect(dec(4, bytes(0x30, 0x80, 0x80, 0x80, 0x80, 0x00))).toBe(-EINVAL);
  });

  it('decodes each remaining-length size boundary', () => {
    for (const [enc, len] of [
      [[0x7f], 127],
      [[0x80, 0x01], 128],
      [[0xff, 0x7f], 16383],
      [[0x80, 0x80, 0x01], 16384],
      [[0xff, 0xff, 0x7f], 2097151],
      [[0x80, 0x80, 0x80, 0x01], 2097152],
    ] as [number[], number][]) {
      const h = hdr();
      expect(fixed_header_decode({ buf: Uint8Array.from([0x30, ...enc]), cur: 0, end: 1 + enc.length }, h)).toBe(0);
      expect(h.length).toBe(len);
    }
  });

  it('accepts a non-minimal remaining length, as Zephyr does', () => {
    expect(dec(4, bytes(0xc0, 0x80, 0x00))).toEqual({ type: MQTT_PKT_TYPE_PINGREQ, size: 3 });
  });

  it('returns -EAGAIN for every proper prefix of a packet, and splits a stream', () => {
    const a = pkt(0x32, 0, 1, 't', 0, 7, 'payload');
    const b = pkt(0x40, 0, 7);
    for (let n = 0; n < a.length; n++) expect(mqtt_packet_decode(4, a, 0, n)).toBe(-EAGAIN);
    const stream = Uint8Array.from([...a, ...b]);
    const first = mqtt_packet_decode(4, stream);
    expect(typeof first === 'object' && first.size).toBe(a.length);
    expect(mqtt_packet_decode(4, stream, a.length)).toEqual({ type: 0x40, param: { message_id: 7 }, size: b.length });
  });

  it('rejects bad flags as soon as the first byte is there (-EBADMSG)', () => {
    const bad = [0x00, 0x11, 0x21, 0x36, 0x41, 0x51, 0x60, 0x63, 0x71, 0x80, 0x83, 0x91, 0xa0, 0xb1, 0xc1, 0xd8, 0xe1, 0xf1];
    for (const first of bad) expect(mqtt_packet_decode(5, Uint8Array.of(first))).toBe(-EBADMSG);
    // AUTH does not exist before 5.0.
    expect(dec(4, bytes(0xf0, 0x00))).toBe(-EBADMSG);
    expect(dec(5, bytes(0xf0, 0x00))).toEqual({ type: 0xf0, param: { reason_code: 0, prop: {} }, size: 2 });
  });

  it('rejects bytes after the last field (-EBADMSG)', () => {
    expect(dec(4, pkt(0xc0, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0xe0, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x40, 0, 1, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0xb0, 0, 1, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x20, 0, 0, 0))).toBe(-EBADMSG);
    expect(dec(5, pkt(0x40, 0, 1, 0, 0, 0))).toBe(-EBADMSG);
  });

  it('rejects fields that run past the packet (-EINVAL)', () => {
    expect(dec(4, pkt(0x40, 0))).toBe(-EINVAL);
    expect(dec(4, pkt(0x20, 0))).toBe(-EINVAL);
    expect(dec(4, pkt(0x30, 0, 5, 'ab'))).toBe(-EINVAL);
    expect(dec(4, pkt(0x82, 0, 1, 0, 1, 'a'))).toBe(-EINVAL); // options byte missing
  });
});

describe('PUBLISH', () => {
  it('rejects packet identifier 0 with QoS > 0', () => {
    expect(dec(4, pkt(0x32, 0, 1, 't', 0, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x30, 0, 1, 't'))).toMatchObject({ param: { message_id: 0 } });
  });

  it('rejects wildcards, an empty topic, and invalid UTF-8 in the topic', () => {
    expect(dec(4, pkt(0x30, 0, 3, 'a/+'))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x30, 0, 3, 'a/#'))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x30, 0, 0))).toBe(-EBADMSG);
    expect(dec(5, pkt(0x30, 0, 0, 0))).toBe(-EBADMSG);
    expect(dec(5, pkt(0x30, 0, 0, 3, 0x23, 0, 4))).toMatchObject({ param: { prop: { topic_alias: 4 } } });
    for (const bad of [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x00], [0xe2, 0x82], [0xf4, 0x90, 0x80, 0x80]]) {
      expect(dec(4, pkt(0x30, 0, bad.length, bad))).toBe(-EBADMSG);
    }
    expect(dec(4, pkt(0x30, 0, 4, 0xf0, 0x9f, 0x98, 0x80))).toMatchObject({ type: MQTT_PKT_TYPE_PUBLISH });
  });

  it('decodes the header of a packet whose payload is not read yet (Zephyr rx path)', () => {
    // Remaining length 1000: the header is there, the payload is still in the socket.
    const frame = bytes(0x32, 0xe8, 0x07, 0, 1, 't', 0, 9, 'abc');
    const ctx: buf_ctx = { buf: frame, cur: 0, end: frame.length };
    const h: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
    expect(fixed_header_decode(ctx, h)).toBe(0);
    const p = publish_decode(4, h.type_and_flags, h.length, ctx);
    expect(p).toMatchObject({ message_id: 9, message: { payload: { len: 995, data: bytes('abc') } } });
    expect(ctx.cur).toBe(frame.length);
  });

  it('returns views into the input, not copies', () => {
    const frame = pkt(0x30, 0, 3, 'a/b', 'hello');
    const d = dec(4, frame);
    if (typeof d === 'number' || d.type !== MQTT_PKT_TYPE_PUBLISH) throw new Error(`decode gave ${JSON.stringify(d)}`);
    const { topic } = d.param.message.topic;
    const { payload } = d.param.message;
    expect(topic.utf8.buffer).toBe(frame.buffer);
    expect(topic.utf8.byteOffset).toBe(4);
    expect(payload.data.buffer).toBe(frame.buffer);
    frame[7] = 0x4a; // 'h' -> 'J': the decoded payload sees it
    expect(payload.data[0]).toBe(0x4a);
  });

  it('does not read past the remaining length even if the buffer holds more', () => {
    const frame = bytes(0x30, 0x04, 0, 2, 'ab', 'next');
    const ctx: buf_ctx = { buf: frame, cur: 2, end: frame.length };
    expect(publish_decode(4, 0x30, 4, ctx)).toMatchObject({ message: { payload: { len: 0, data: new Uint8Array(0) } } });
    expect(ctx.cur).toBe(6);
  });
});

describe('5.0 properties', () => {
  const connack = (...props: part[]) => {
    const p = props.flatMap(flat);
    return pkt(0x20, 0, 0, p.length, p);
  };

  it('rejects a property length past the packet, or a property past the property length (-EINVAL)', () => {
    expect(dec(5, pkt(0x20, 0, 0, 9, 0x24, 1))).toBe(-EINVAL);
    expect(dec(5, pkt(0x20, 0, 0, 3, 0x11, 0, 0, 0, 1))).toBe(-EINVAL);
    expect(dec(5, pkt(0x20, 0, 0, 0x80, 0x80, 0x80, 0x80, 0x01))).toBe(-EINVAL);
  });

  it('rejects unknown properties and properties the packet may not carry (-EBADMSG)', () => {
    expect(dec(5, connack(0x7f, 0))).toBe(-EBADMSG);
    expect(dec(5, connack(0x00))).toBe(-EBADMSG);
    expect(dec(5, connack(0x23, 0, 1))).toBe(-EBADMSG); // Topic Alias belongs to PUBLISH
    expect(dec(5, pkt(0xa2, 0, 1, 2, 0x0b, 1, 0, 1, 'a'))).toBe(-EBADMSG); // no Subscription Identifier in UNSUBSCRIBE
  });

  it('rejects a repeated property unless the spec allows it', () => {
    expect(dec(5, connack(0x24, 1, 0x24, 1))).toBe(-EBADMSG);
    expect(dec(5, connack(0x11, 0, 0, 0, 1, 0x11, 0, 0, 0, 1))).toBe(-EBADMSG);
    expect(dec(5, connack(0x26, 0, 1, 'a', 0, 0, 0x26, 0, 1, 'a', 0, 0))).toMatchObject({
      param: { prop: { user_prop: [{ name: S('a') }, { name: S('a') }] } },
    });
    expect(dec(5, pkt(0x30, 0, 1, 't', 4, 0x0b, 1, 0x0b, 2))).toMatchObject({
      param: { prop: { subscription_identifier: [1, 2] } },
    });
    expect(dec(5, pkt(0x82, 0, 1, 4, 0x0b, 1, 0x0b, 2, 0, 1, 'a', 0))).toBe(-EBADMSG);
  });

  it('rejects values the spec calls a Protocol Error (-EBADMSG)', () => {
    expect(dec(5, connack(0x24, 2))).toBe(-EBADMSG); // Maximum QoS 2
    expect(dec(5, connack(0x25, 7))).toBe(-EBADMSG);
    expect(dec(5, connack(0x21, 0, 0))).toBe(-EBADMSG); // Receive Maximum 0
    expect(dec(5, connack(0x27, 0, 0, 0, 0))).toBe(-EBADMSG); // Maximum Packet Size 0
    expect(dec(5, pkt(0x30, 0, 1, 't', 3, 0x23, 0, 0))).toBe(-EBADMSG); // Topic Alias 0
    expect(dec(5, pkt(0x30, 0, 1, 't', 2, 0x0b, 0))).toBe(-EBADMSG); // Subscription Identifier 0
    expect(dec(5, pkt(0x30, 0, 1, 't', 2, 0x01, 2))).toBe(-EBADMSG); // Payload Format Indicator 2
    expect(dec(5, connack(0x1f, 0, 1, 0xff))).toBe(-EBADMSG); // Reason String not UTF-8
    expect(dec(5, pkt(0x30, 0, 1, 't', 5, 0x0b, 0x80, 0x80, 0x80, 0x80))).toBe(-EINVAL); // 5-byte varint
  });
});

describe('acknowledgments, SUBSCRIBE, CONNACK and the rest', () => {
  it('rejects packet identifier 0 everywhere it must be non-zero', () => {
    for (const first of [0x40, 0x50, 0x62, 0x70, 0xb0]) expect(dec(4, pkt(first, 0, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x90, 0, 0, 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x82, 0, 0, 0, 1, 'a', 0))).toBe(-EBADMSG);
    expect(dec(4, pkt(0xa2, 0, 0, 0, 1, 'a'))).toBe(-EBADMSG);
  });

  it('decodes the 5.0 short forms of acknowledgments', () => {
    expect(dec(5, pkt(0x40, 0, 1))).toMatchObject({ param: { message_id: 1, reason_code: 0, prop: {} } });
    expect(dec(5, pkt(0x40, 0, 1, 0x10))).toMatchObject({ param: { reason_code: 0x10, prop: {} } });
    expect(dec(5, pkt(0xe0, 0x8e))).toMatchObject({ param: { reason_code: 0x8e, prop: {} } });
  });

  it('checks SUBSCRIBE topic filters and options', () => {
    expect(dec(4, pkt(0x82, 0, 1))).toBe(-EBADMSG); // no topic filter
    expect(dec(4, pkt(0xa2, 0, 1))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x82, 0, 1, 0, 0, 0))).toBe(-EBADMSG); // empty filter
    expect(dec(4, pkt(0x82, 0, 1, 0, 1, 'a', 3))).toBe(-EBADMSG); // QoS 3
    expect(dec(4, pkt(0x82, 0, 1, 0, 1, 'a', 0x04))).toBe(-EBADMSG); // 3.1.1 reserved bits
    expect(dec(5, pkt(0x82, 0, 1, 0, 0, 1, 'a', 0x40))).toBe(-EBADMSG); // 5.0 reserved bits
    expect(dec(5, pkt(0x82, 0, 1, 0, 0, 1, 'a', 0x30))).toBe(-EBADMSG); // Retain Handling 3
    expect(dec(5, pkt(0x82, 0, 1, 0, 0, 1, 'a', 0x2e))).toMatchObject({
      param: { list: [{ qos: 2, no_local: true, retain_as_published: true, retain_handling: 2 }] },
    });
  });

  it('checks 3.1.1 SUBACK return codes but passes 5.0 reason codes', () => {
    expect(dec(4, pkt(0x90, 0, 1, 3))).toBe(-EBADMSG);
    expect(dec(4, pkt(0x90, 0, 1, 0x80, 2))).toMatchObject({ param: { return_codes: bin([0x80, 2]) } });
    expect(dec(5, pkt(0x90, 0, 1, 0, 0x97))).toMatchObject({ param: { return_codes: bin([0x97]) } });
  });

  it('checks CONNACK flags from 3.1.1 on; 3.1 ignores them', () => {
    expect(dec(4, pkt(0x20, 0x02, 0))).toBe(-EBADMSG);
    expect(dec(3, pkt(0x20, 0x02, 0))).toEqual({
      type: 0x20,
      param: { session_present_flag: false, return_code: 0 },
      size: 4,
    });
  });

  it('AUTH is -ENOTSUP below 5.0, as in Zephyr', () => {
    expect(auth_decode(4, { buf: new Uint8Array(0), cur: 0, end: 0 })).toBe(-ENOTSUP);
    expect(auth_encode(4, { reason_code: 0 }, new Uint8Array(8))).toBe(-ENOTSUP);
  });
});

describe('CONNECT', () => {
  const head = (name: string, level: number, flags: number): part[] => [0, name.length, name, level, flags, 0, 60];

  it('rejects unknown protocols with -EPROTONOSUPPORT', () => {
    expect(dec(4, pkt(0x10, head('MQTX', 4, 2), 0, 1, 'c'))).toBe(-EPROTONOSUPPORT);
    expect(dec(4, pkt(0x10, head('MQTT', 3, 2), 0, 1, 'c'))).toBe(-EPROTONOSUPPORT);
    expect(dec(4, pkt(0x10, head('MQTT', 6, 2), 0, 1, 'c'))).toBe(-EPROTONOSUPPORT);
    expect(dec(4, pkt(0x10, head('MQIsdp', 4, 2), 0, 1, 'c'))).toBe(-EPROTONOSUPPORT);
  });

  it('takes the version from the packet', () => {
    expect(dec(4, pkt(0x10, head('MQTT', 5, 2), 0, 0, 1, 'c'))).toMatchObject({ param: { protocol_version: 5, prop: {} } });
    expect(dec(5, pkt(0x10, head('MQIsdp', 3, 2), 0, 1, 'c'))).toMatchObject({ param: { protocol_version: 3 } });
  });

  it('checks the connect flags', () => {
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x03), 0, 1, 'c'))).toBe(-EBADMSG); // reserved bit
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x1e), 0, 1, 'c', 0, 1, 't', 0, 0))).toBe(-EBADMSG); // will QoS 3
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x0a), 0, 1, 'c'))).toBe(-EBADMSG); // will QoS without will
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x22), 0, 1, 'c'))).toBe(-EBADMSG); // will retain without will
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x42), 0, 1, 'c', 0, 1, 'p'))).toBe(-EBADMSG); // password, no user
    expect(dec(5, pkt(0x10, head('MQTT', 5, 0x42), 0, 0, 1, 'c', 0, 1, 'p'))).toMatchObject({
      param: { password: S('p') },
    });
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x02), 0, 1, 'c', 0))).toBe(-EBADMSG); // trailing byte
    expect(dec(4, pkt(0x10, head('MQTT', 4, 0x02), 0, 2, 'c'))).toBe(-EINVAL); // truncated client id
  });
});

describe('encoders refuse what the protocol forbids', () => {
  const buf = new Uint8Array(64);
  const topic = S('t');
  const publish = (qos: 0 | 1 | 2, message_id: number, len = 0) => ({
    message: { topic: { topic, qos }, payload: { data: new Uint8Array(len), len } },
    message_id,
    dup_flag: false,
    retain_flag: false,
  });

  it('returns -ENOMEM without writing when the packet does not fit', () => {
    const cases: [mqtt_version, mqtt_packet][] = [
      [4, { type: 0x30, param: publish(1, 1, 4) }],
      [5, { type: 0x40, param: { message_id: 1, reason_code: 0x80, prop: { reason_string: S('why') } } }],
      [4, { type: 0xc0 }],
      [5, { type: 0xe0, param: { reason_code: 4 } }],
    ];
    for (const [v, p] of cases) {
      const n = mqtt_packet_encode(v, p, buf);
      expect(n).toBeGreaterThan(0);
      const small = new Uint8Array(n - 1).fill(0xaa);
      expect(mqtt_packet_encode(v, p, small)).toBe(-ENOMEM);
      expect(small.every((x) => x === 0xaa)).toBe(true);
      expect(mqtt_packet_encode(v, p, new Uint8Array(n + 3), 3)).toBe(n);
    }
  });

  it('needs room only for the PUBLISH header, and reports where the payload goes', () => {
    const len = 3_000_000;
    const p = { ...publish(0, 0), message: { topic: { topic, qos: 0 as const }, payload: { data: new Uint8Array(0), len } } };
    const head = new Uint8Array(8);
    expect(publish_encode(4, p, head)).toBe(8); // 1 + 4-byte remaining length + 3 bytes of topic
    const h: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
    expect(fixed_header_decode({ buf: head, cur: 0, end: 8 }, h)).toBe(0);
    expect(h).toEqual({ type_and_flags: 0x30, length: len + 3 });
    expect(publish_encode(4, p, new Uint8Array(7))).toBe(-ENOMEM);
    expect(mqtt_packet_encode(4, { type: 0x30, param: p }, buf)).toBe(-EINVAL); // payload bytes missing
  });

  it('returns -EINVAL for invalid parameters', () => {
    expect(publish_encode(4, publish(1, 0), buf)).toBe(-EINVAL);
    expect(publish_encode(4, publish(3 as 0, 1), buf)).toBe(-EINVAL);
    expect(publish_encode(4, publish(1, 0x10000), buf)).toBe(-EINVAL);
    expect(publish_encode(4, publish(0, 0), buf, -1)).toBe(-EINVAL);
    const noTopic = { ...publish(0, 0), message: { topic: { topic: S(''), qos: 0 as const }, payload: bin([]) } };
    expect(publish_encode(4, noTopic, buf)).toBe(-EINVAL);
    expect(publish_encode(5, { ...noTopic, prop: {} }, buf)).toBe(-EINVAL);
    expect(publish_encode(5, { ...noTopic, prop: { topic_alias: 3 } }, buf)).toBe(8);
    expect(publish_ack_encode(4, { message_id: 0 }, buf)).toBe(-EINVAL);
    expect(publish_ack_encode(5, { message_id: 1, reason_code: 256 }, buf)).toBe(-EINVAL);
    const list = { message_id: 1, list_count: 1, list: [{ topic, qos: 1 as const }] };
    expect(subscribe_encode(4, { ...list, message_id: 0 }, buf)).toBe(-EINVAL);
    expect(unsubscribe_encode(4, { ...list, message_id: 0 }, buf)).toBe(-EINVAL);
    expect(subscribe_encode(4, { ...list, list_count: 0 }, buf)).toBe(-EINVAL);
    expect(subscribe_encode(4, { ...list, list_count: 2 }, buf)).toBe(-EINVAL);
    expect(subscribe_encode(4, { ...list, list: [{ topic: S(''), qos: 0 }] }, buf)).toBe(-EINVAL);
    expect(subscribe_encode(5, { ...list, list: [{ topic, qos: 0, retain_handling: 3 as 0 }] }, buf)).toBe(-EINVAL);
    const conn = { protocol_version: 4 as const, client_id: S('c'), keepalive: 60, clean_session: true, will_retain: false };
    expect(connect_request_encode({ ...conn, keepalive: 70000 }, buf)).toBe(-EINVAL);
    expect(connect_request_encode({ ...conn, protocol_version: 6 as 5 }, buf)).toBe(-EINVAL);
    expect(connect_request_encode({ ...conn, password: S('p') }, buf)).toBe(-EINVAL);
    expect(connect_request_encode({ ...conn, client_id: { utf8: new Uint8Array(1), size: 2 } }, buf)).toBe(-EINVAL);
    expect(connect_request_encode({ ...conn, client_id: { utf8: new Uint8Array(70000), size: 70000 } }, buf)).toBe(-EINVAL);
    const v5 = { ...conn, protocol_version: 5 as const };
    for (const prop of [
      { receive_maximum: 0 },
      { maximum_packet_size: 0 },
      { session_expiry_interval: 2 ** 32 },
      { topic_alias_maximum: -1 },
      { session_expiry_interval: 1.5 },
    ]) {
      expect(connect_request_encode({ ...v5, prop }, buf)).toBe(-EINVAL);
    }
    for (const prop of [{ topic_alias: 0 }, { payload_format_indicator: 2 }, { subscription_identifier: [0] }, { subscription_identifier: [2 ** 28] }]) {
      expect(publish_encode(5, { ...publish(0, 0), prop }, buf)).toBe(-EINVAL);
    }
  });

  it('returns -EMSGSIZE past the largest remaining length', () => {
    expect(publish_encode(4, publish(0, 0, 0), buf)).toBe(5);
    const huge = { ...publish(0, 0), message: { topic: { topic, qos: 0 as const }, payload: { data: new Uint8Array(0), len: MQTT_MAX_PAYLOAD_SIZE } } };
    expect(publish_encode(4, huge, buf)).toBe(-EMSGSIZE);
  });
});

describe('mqtt_utf8_valid', () => {
  const ok = (b: number[]) => mqtt_utf8_valid(Uint8Array.from(b), 0, b.length);
  it('accepts well-formed UTF-8 up to U+10FFFF', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', '\u{10FFFF}', '\uFFFF']) expect(ok(Array.from(new TextEncoder().encode(s)))).toBe(true);
  });
  it('rejects overlong forms, surrogates, code points above U+10FFFF, truncation and U+0000', () => {
    for (const b of [[0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xed, 0xa0, 0x80], [0xf0, 0x80, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0x80], [0xe2, 0x82], [0x00], [0x61, 0xe2, 0x28, 0xa1]]) {
      expect(ok(b)).toBe(false);
    }
  });
});
