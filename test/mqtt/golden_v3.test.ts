/**
 * Golden vectors of Zephyr's tests/net/lib/mqtt/v3_1_1/mqtt_packet (generated there with
 * mosquitto), run through the same encode/decode steps as that test, plus 3.1 (MQIsdp) CONNECT.
 */

import { describe, expect, it } from 'vitest';
import type { buf_ctx, mqtt_connect_param, mqtt_fixed_header, mqtt_topic } from '../../src/net/mqtt/index.ts';
import {
  MQTT_MAX_PAYLOAD_SIZE,
  MQTT_PKT_TYPE_PUBLISH,
  MQTT_UTF8_LITERAL,
  MQTT_VERSION_3_1_0,
  MQTT_VERSION_3_1_1,
  connect_request_decode,
  connect_request_encode,
  disconnect_encode,
  fixed_header_decode,
  ping_request_encode,
  publish_ack_decode,
  publish_ack_encode,
  publish_complete_decode,
  publish_complete_encode,
  publish_decode,
  publish_encode,
  publish_receive_decode,
  publish_receive_encode,
  publish_release_decode,
  publish_release_encode,
  subscribe_ack_decode,
  subscribe_decode,
  subscribe_encode,
  unsubscribe_ack_decode,
  unsubscribe_encode,
} from '../../src/net/mqtt/index.ts';
import { EINVAL } from '../../src/libc/errno.ts';

const V = MQTT_VERSION_3_1_1;
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
const bytes = (...parts: (number | string)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? ascii(p) : [p])));

const CLIENTID = MQTT_UTF8_LITERAL('zephyr');
const TOPIC = MQTT_UTF8_LITERAL('sensors');
const WILL_TOPIC = MQTT_UTF8_LITERAL('quitting');
const WILL_MSG = MQTT_UTF8_LITERAL('bye');
const USERNAME = MQTT_UTF8_LITERAL('zephyr1');
const PASSWORD = MQTT_UTF8_LITERAL('password');

/** Encodes into a 128-byte tx buffer (Zephyr's BUFFER_SIZE) and returns the frame. */
function enc(f: (buf: Uint8Array) => number): Uint8Array {
  const tx = new Uint8Array(128);
  const n = f(tx);
  expect(n).toBeGreaterThan(0);
  return tx.subarray(0, n);
}

/** fixed_header_decode on a whole frame; returns the header and a cursor at the body. */
function header(frame: Uint8Array): { hdr: mqtt_fixed_header; ctx: buf_ctx } {
  const ctx: buf_ctx = { buf: frame, cur: 0, end: frame.length };
  const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
  expect(fixed_header_decode(ctx, hdr)).toBe(0);
  expect(hdr.length).toBe(frame.length - ctx.cur);
  return { hdr, ctx };
}

const base = (): mqtt_connect_param => ({
  protocol_version: V,
  client_id: CLIENTID,
  keepalive: 60,
  clean_session: true,
  will_retain: false,
});
const will = (qos: 0 | 1): mqtt_topic => ({ topic: WILL_TOPIC, qos });
const WILL_PART = ['zephyr', 0x00, 0x08, 'quitting', 0x00, 0x03, 'bye'] as const;

const connectCases: [string, mqtt_connect_param, Uint8Array][] = [
  ['new session, zeros', base(), bytes(0x10, 0x12, 0x00, 0x04, 'MQTT', 0x04, 0x02, 0x00, 0x3c, 0x00, 0x06, 'zephyr')],
  [
    'new session, will',
    { ...base(), will_topic: will(0), will_message: WILL_MSG },
    bytes(0x10, 0x21, 0x00, 0x04, 'MQTT', 0x04, 0x06, 0x00, 0x3c, 0x00, 0x06, ...WILL_PART),
  ],
  [
    'new session, will retain',
    { ...base(), will_topic: will(0), will_message: WILL_MSG, will_retain: true },
    bytes(0x10, 0x21, 0x00, 0x04, 'MQTT', 0x04, 0x26, 0x00, 0x3c, 0x00, 0x06, ...WILL_PART),
  ],
  [
    'new session, will qos = 1',
    { ...base(), will_topic: will(1), will_message: WILL_MSG },
    bytes(0x10, 0x21, 0x00, 0x04, 'MQTT', 0x04, 0x0e, 0x00, 0x3c, 0x00, 0x06, ...WILL_PART),
  ],
  [
    'new session, will qos = 1, will retain',
    { ...base(), will_topic: will(1), will_message: WILL_MSG, will_retain: true },
    bytes(0x10, 0x21, 0x00, 0x04, 'MQTT', 0x04, 0x2e, 0x00, 0x3c, 0x00, 0x06, ...WILL_PART),
  ],
  [
    'new session, username and password',
    { ...base(), will_topic: will(1), will_message: WILL_MSG, will_retain: true, user_name: USERNAME, password: PASSWORD },
    bytes(0x10, 0x34, 0x00, 0x04, 'MQTT', 0x04, 0xee, 0x00, 0x3c, 0x00, 0x06, ...WILL_PART, 0x00, 0x07, 'zephyr1', 0x00, 0x08, 'password'),
  ],
  [
    '3.1 (MQIsdp), new session',
    { ...base(), protocol_version: MQTT_VERSION_3_1_0 },
    bytes(0x10, 0x14, 0x00, 0x06, 'MQIsdp', 0x03, 0x02, 0x00, 0x3c, 0x00, 0x06, 'zephyr'),
  ],
];

describe('Zephyr 3.1.1 golden vectors', () => {
  it.each(connectCases)('CONNECT, %s', (_name, param, expected) => {
    expect(enc((b) => connect_request_encode(param, b))).toEqual(expected);
    const { ctx } = header(expected);
    expect(connect_request_decode(ctx)).toEqual(param);
  });

  it('DISCONNECT', () => {
    expect(enc((b) => disconnect_encode(V, undefined, b))).toEqual(bytes(0xe0, 0x00));
  });

  it('PINGREQ', () => {
    expect(enc((b) => ping_request_encode(b))).toEqual(bytes(0xc0, 0x00));
  });

  const OK = bytes('OK');
  const publishCases: [string, number, number, boolean, number, Uint8Array][] = [
    ['qos = 0', 0, 0, false, 0, bytes(0x30, 0x0b, 0x00, 0x07, 'sensors', 'OK')],
    ['retain = 1', 0, 0, true, 0, bytes(0x31, 0x0b, 0x00, 0x07, 'sensors', 'OK')],
    ['retain = 1, qos = 1', 1, 1, true, 1, bytes(0x33, 0x0d, 0x00, 0x07, 'sensors', 0x00, 0x01, 'OK')],
    ['qos = 2', 2, 1, false, 0, bytes(0x34, 0x0d, 0x00, 0x07, 'sensors', 0x00, 0x01, 'OK')],
  ];
  it.each(publishCases)('PUBLISH, %s', (_name, qos, message_id, retain_flag, _x, expected) => {
    const param = {
      message: { topic: { topic: TOPIC, qos: qos as 0 | 1 | 2 }, payload: { data: OK, len: 2 } },
      message_id,
      dup_flag: false,
      retain_flag,
    };
    const tx = new Uint8Array(128);
    const n = publish_encode(V, param, tx);
    // The payload is not copied: it belongs right after the header, as in Zephyr's test.
    expect(n).toBe(expected.length - 2);
    tx.set(OK, n);
    const frame = tx.subarray(0, n + 2);
    expect(frame).toEqual(expected);

    const { hdr, ctx } = header(frame);
    expect(hdr.type_and_flags & 0xf0).toBe(MQTT_PKT_TYPE_PUBLISH);
    const dec = publish_decode(V, hdr.type_and_flags, hdr.length, ctx);
    expect(dec).toEqual(param);
  });

  it('PUBLISH, corrupted message length (smaller than topic)', () => {
    const corrupted = bytes(0x30, 0x07, 0x00, 0x07, 'sensors', 0x00, 0x01, 'OK');
    const ctx: buf_ctx = { buf: corrupted, cur: 0, end: corrupted.length };
    const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
    expect(fixed_header_decode(ctx, hdr)).toBe(0);
    expect(publish_decode(V, hdr.type_and_flags, hdr.length, ctx)).toBe(-EINVAL);
  });

  it.each([0, 1, 2] as const)('SUBSCRIBE, one topic, qos = %i', (qos) => {
    const param = { message_id: 1, list_count: 1, list: [{ topic: TOPIC, qos }] };
    const expected = bytes(0x82, 0x0c, 0x00, 0x01, 0x00, 0x07, 'sensors', qos);
    expect(enc((b) => subscribe_encode(V, param, b))).toEqual(expected);
    expect(subscribe_decode(V, header(expected).ctx)).toEqual(param);
  });

  it.each([0, 1, 2] as const)('SUBACK, one topic, qos = %i', (qos) => {
    const frame = bytes(0x90, 0x03, 0x00, 0x01, qos);
    expect(subscribe_ack_decode(V, header(frame).ctx)).toEqual({
      message_id: 1,
      return_codes: { data: Uint8Array.of(qos), len: 1 },
    });
  });

  const acks = [
    ['PUBACK', 0x40, publish_ack_encode, publish_ack_decode],
    ['PUBREC', 0x50, publish_receive_encode, publish_receive_decode],
    ['PUBREL', 0x62, publish_release_encode, publish_release_decode],
    ['PUBCOMP', 0x70, publish_complete_encode, publish_complete_decode],
  ] as const;
  it.each(acks)('%s', (_name, first, encode, decode) => {
    const expected = bytes(first, 0x02, 0x00, 0x01);
    expect(enc((b) => encode(V, { message_id: 1 }, b))).toEqual(expected);
    expect(decode(V, header(expected).ctx)).toEqual({ message_id: 1 });
  });

  it('UNSUBACK', () => {
    expect(unsubscribe_ack_decode(V, header(bytes(0xb0, 0x02, 0x00, 0x01)).ctx)).toEqual({ message_id: 1 });
  });

  it('UNSUBSCRIBE (not in Zephyr: derived from the spec layout)', () => {
    const param = { message_id: 1, list_count: 1, list: [{ topic: TOPIC, qos: 0 as const }] };
    expect(enc((b) => unsubscribe_encode(V, param, b))).toEqual(bytes(0xa2, 0x0b, 0x00, 0x01, 0x00, 0x07, 'sensors'));
  });

  it('Maximum packet length', () => {
    const ctx: buf_ctx = { buf: bytes(0x30, 0xff, 0xff, 0xff, 0x7f), cur: 0, end: 5 };
    const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
    expect(fixed_header_decode(ctx, hdr)).toBe(0);
    expect(hdr.length).toBe(MQTT_MAX_PAYLOAD_SIZE);
  });

  it('Corrupted packet length', () => {
    const ctx: buf_ctx = { buf: bytes(0x30, 0xff, 0xff, 0xff, 0xff, 0x01), cur: 0, end: 6 };
    expect(fixed_header_decode(ctx, { type_and_flags: 0, length: 0 })).toBe(-EINVAL);
  });
});
