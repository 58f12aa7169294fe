/**
 * Golden vectors of Zephyr's tests/net/lib/mqtt/v5_0/mqtt_packet. Zephyr checks client packets by
 * encoding and server packets by decoding; the codec here does both directions for all of them.
 *
 * Zephyr's CONNECT always carries Topic Alias Maximum = CONFIG_MQTT_TOPIC_ALIAS_MAX (5) and, unless
 * asked for the default, Request Problem Information = 0: here those are ordinary properties, so
 * the CONNECT parameters below list them.
 */

import { describe, expect, it } from 'vitest';
import type {
  mqtt_connect_param,
  mqtt_connect_properties,
  mqtt_packet,
  mqtt_will_properties,
} from '../../src/net/mqtt/index.ts';
import {
  MQTT_AUTH_CONTINUE_AUTHENTICATION,
  MQTT_CONNACK_UNSPECIFIED_ERROR,
  MQTT_DISCONNECT_PROTOCOL_ERROR,
  MQTT_PKT_TYPE_AUTH,
  MQTT_PKT_TYPE_CONNACK,
  MQTT_PKT_TYPE_CONNECT,
  MQTT_PKT_TYPE_DISCONNECT,
  MQTT_PKT_TYPE_PUBACK,
  MQTT_PKT_TYPE_PUBCOMP,
  MQTT_PKT_TYPE_PUBLISH,
  MQTT_PKT_TYPE_PUBREC,
  MQTT_PKT_TYPE_PUBREL,
  MQTT_PKT_TYPE_SUBACK,
  MQTT_PKT_TYPE_SUBSCRIBE,
  MQTT_PKT_TYPE_UNSUBACK,
  MQTT_PKT_TYPE_UNSUBSCRIBE,
  MQTT_UTF8_LITERAL as S,
  MQTT_VERSION_5_0,
  mqtt_packet_decode,
  mqtt_packet_encode,
} from '../../src/net/mqtt/index.ts';
import { bin } from './arbitraries.ts';

const V = MQTT_VERSION_5_0;
const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));
type part = number | string | readonly part[];
const flat = (p: part): number[] => (typeof p === 'number' ? [p] : typeof p === 'string' ? ascii(p) : p.flatMap(flat));
const bytes = (...parts: part[]): Uint8Array => Uint8Array.from(parts.flatMap(flat));

/* Encoded pieces, named as in Zephyr's test. */
const MID = [0x12, 0x34];
const P_USER_PROPERTY = [0x26, 0x00, 0x09, 'test_name', 0x00, 0x0a, 'test_value'];
const P_REASON_STRING = [0x1f, 0x00, 0x12, 'test_reason_string'];
const P_SESSION_EXPIRY_INTERVAL = [0x11, 0x00, 0x00, 0x03, 0xe8];
const P_RECEIVE_MAXIMUM = [0x21, 0x00, 0x0a];
const P_MAXIMUM_PACKET_SIZE = [0x27, 0x00, 0x00, 0x03, 0xe8];
const P_REQUEST_RESPONSE_INFORMATION = [0x19, 0x01];
const P_AUTHENTICATION_METHOD = [0x15, 0x00, 0x13, 'test_authentication'];
const P_AUTHENTICATION_DATA = [0x16, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04];
const P_WILL_DELAY_INTERVAL = [0x18, 0x00, 0x00, 0x00, 0x64];
const P_PAYLOAD_FORMAT_INDICATOR = [0x01, 0x01];
const P_MESSAGE_EXPIRY_INTERVAL = [0x02, 0x00, 0x00, 0x03, 0xe8];
const P_CONTENT_TYPE = [0x03, 0x00, 0x11, 'test_content_type'];
const P_RESPONSE_TOPIC = [0x08, 0x00, 0x13, 'test_response_topic'];
const P_CORRELATION_DATA = [0x09, 0x00, 0x06, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16];
const P_ASSIGNED_CLIENT_ID = [0x12, 0x00, 0x07, 'test_id'];
const P_TOPIC_ALIAS_MAXIMUM = [0x22, 0x00, 0x0a];
const P_SERVER_KEEP_ALIVE = [0x13, 0x00, 0x64];
const P_RESPONSE_INFORMATION = [0x1a, 0x00, 0x09, 'test_info'];
const P_SERVER_REFERENCE = [0x1c, 0x00, 0x0e, 'test_reference'];
const P_TOPIC_ALIAS = [0x23, 0x00, 0x04];
const P_SUBSCRIPTION_IDENTIFIER = [0x0b, 0xe8, 0x07];
const P_DEFAULT_TOPIC_ALIAS_MAXIMUM = [0x22, 0x00, 0x05];
const P_DEFAULT_REQUEST_PROBLEM_INFORMATION = [0x17, 0x00];

const user_prop = [{ name: S('test_name'), value: S('test_value') }];
const reason_string = S('test_reason_string');
const auth_method = S('test_authentication');
const auth_data = bin([1, 2, 3, 4]);
const correlation_data = bin([0x11, 0x12, 0x13, 0x14, 0x15, 0x16]);

/** Encoding gives `expected`, and decoding `expected` gives the packet back. */
function golden(pkt: mqtt_packet, expected: Uint8Array): void {
  const buf = new Uint8Array(256);
  const n = mqtt_packet_encode(V, pkt, buf);
  expect(buf.subarray(0, Math.max(n, 0))).toEqual(expected);
  const d = mqtt_packet_decode(V, expected);
  expect(d).toEqual({ ...pkt, size: expected.length });
}

describe('Zephyr 5.0 golden vectors: CONNECT', () => {
  const HEAD = [0x00, 0x04, 'MQTT', 0x05, 0x00, 0x00, 0x3c];
  const CLIENT_ID = [0x00, 0x07, 'test_id'];
  const DEFAULTS: mqtt_connect_properties = { topic_alias_maximum: 5, request_problem_info: false };
  const connect = (prop: mqtt_connect_properties): mqtt_connect_param => ({
    protocol_version: V,
    client_id: S('test_id'),
    keepalive: 60,
    clean_session: false,
    will_retain: false,
    prop,
  });
  const cases: [string, mqtt_connect_properties, Uint8Array][] = [
    ['default', DEFAULTS, bytes(0x10, 0x19, HEAD, 0x05, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, CLIENT_ID)],
    [
      'Session Expiry Interval',
      { ...DEFAULTS, session_expiry_interval: 1000 },
      bytes(0x10, 0x1e, HEAD, 0x0a, P_SESSION_EXPIRY_INTERVAL, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, CLIENT_ID),
    ],
    [
      'Receive Maximum',
      { ...DEFAULTS, receive_maximum: 10 },
      bytes(0x10, 0x1c, HEAD, 0x08, P_RECEIVE_MAXIMUM, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, CLIENT_ID),
    ],
    [
      'Maximum Packet Size',
      { ...DEFAULTS, maximum_packet_size: 1000 },
      bytes(0x10, 0x1e, HEAD, 0x0a, P_MAXIMUM_PACKET_SIZE, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, CLIENT_ID),
    ],
    [
      'Request Response Information',
      { ...DEFAULTS, request_response_info: true },
      bytes(0x10, 0x1b, HEAD, 0x07, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_REQUEST_RESPONSE_INFORMATION, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, CLIENT_ID),
    ],
    ['Request Problem Information (default, omitted)', { topic_alias_maximum: 5 }, bytes(0x10, 0x17, HEAD, 0x03, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, CLIENT_ID)],
    [
      'User Property',
      { ...DEFAULTS, user_prop },
      bytes(0x10, 0x31, HEAD, 0x1d, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, P_USER_PROPERTY, CLIENT_ID),
    ],
    [
      'Authentication Method and Data',
      { ...DEFAULTS, auth_method, auth_data },
      bytes(0x10, 0x36, HEAD, 0x22, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION, P_AUTHENTICATION_METHOD, P_AUTHENTICATION_DATA, CLIENT_ID),
    ],
  ];
  it.each(cases)('property %s', (_name, prop, expected) => {
    golden({ type: MQTT_PKT_TYPE_CONNECT, param: connect(prop) }, expected);
  });

  const WILL_HEAD = [0x00, 0x04, 'MQTT', 0x05, 0x04, 0x00, 0x3c];
  const PROPS_DEFAULT = [0x05, P_DEFAULT_TOPIC_ALIAS_MAXIMUM, P_DEFAULT_REQUEST_PROBLEM_INFORMATION];
  const WILL_TAIL = [0x00, 0x09, 'test_will', 0x00, 0x0d, 'test_will_msg'];
  const willCases: [string, mqtt_will_properties, number, part[]][] = [
    ['default', {}, 0x34, [0x00]],
    ['Will Delay Interval', { will_delay_interval: 100 }, 0x39, [0x05, P_WILL_DELAY_INTERVAL]],
    ['Payload Format Indicator', { payload_format_indicator: 1 }, 0x36, [0x02, P_PAYLOAD_FORMAT_INDICATOR]],
    ['Message Expiry Interval', { message_expiry_interval: 1000 }, 0x39, [0x05, P_MESSAGE_EXPIRY_INTERVAL]],
    ['Content Type', { content_type: S('test_content_type') }, 0x48, [0x14, P_CONTENT_TYPE]],
    ['Response Topic', { response_topic: S('test_response_topic') }, 0x4a, [0x16, P_RESPONSE_TOPIC]],
    ['Correlation Data', { correlation_data }, 0x3d, [0x09, P_CORRELATION_DATA]],
    ['User Property', { user_prop }, 0x4c, [0x18, P_USER_PROPERTY]],
  ];
  it.each(willCases)('WILL property %s', (_name, will_prop, rl, encodedProps) => {
    const param: mqtt_connect_param = {
      ...connect(DEFAULTS),
      will_topic: { topic: S('test_will'), qos: 0 },
      will_message: S('test_will_msg'),
      will_prop,
    };
    golden({ type: MQTT_PKT_TYPE_CONNECT, param }, bytes(0x10, rl, WILL_HEAD, PROPS_DEFAULT, CLIENT_ID, encodedProps, WILL_TAIL));
  });
});

describe('Zephyr 5.0 golden vectors: CONNACK', () => {
  const cases: [string, boolean, number, object, part[]][] = [
    ['default', true, 0, {}, [0x01, 0x00, 0x00]],
    ['error', false, MQTT_CONNACK_UNSPECIFIED_ERROR, {}, [0x00, 0x80, 0x00]],
    ['Session Expiry Interval', false, 0, { session_expiry_interval: 1000 }, [0, 0, 0x05, P_SESSION_EXPIRY_INTERVAL]],
    ['Receive Maximum', false, 0, { receive_maximum: 10 }, [0, 0, 0x03, P_RECEIVE_MAXIMUM]],
    ['Maximum QoS', false, 0, { maximum_qos: 1 }, [0, 0, 0x02, 0x24, 0x01]],
    ['Retain Available', false, 0, { retain_available: 1 }, [0, 0, 0x02, 0x25, 0x01]],
    ['Maximum Packet Size', false, 0, { maximum_packet_size: 1000 }, [0, 0, 0x05, P_MAXIMUM_PACKET_SIZE]],
    ['Assigned Client Identifier', false, 0, { assigned_client_id: S('test_id') }, [0, 0, 0x0a, P_ASSIGNED_CLIENT_ID]],
    ['Topic Alias Maximum', false, 0, { topic_alias_maximum: 10 }, [0, 0, 0x03, P_TOPIC_ALIAS_MAXIMUM]],
    ['Reason String', false, 0, { reason_string }, [0, 0, 0x15, P_REASON_STRING]],
    ['User Property', false, 0, { user_prop }, [0, 0, 0x18, P_USER_PROPERTY]],
    ['Wildcard Subscription Available', false, 0, { wildcard_sub_available: 1 }, [0, 0, 0x02, 0x28, 0x01]],
    ['Subscription Identifiers Available', false, 0, { subscription_ids_available: 1 }, [0, 0, 0x02, 0x29, 0x01]],
    ['Shared Subscription Available', false, 0, { shared_sub_available: 1 }, [0, 0, 0x02, 0x2a, 0x01]],
    ['Server Keep Alive', false, 0, { server_keep_alive: 100 }, [0, 0, 0x03, P_SERVER_KEEP_ALIVE]],
    ['Response Information', false, 0, { response_information: S('test_info') }, [0, 0, 0x0c, P_RESPONSE_INFORMATION]],
    ['Server Reference', false, 0, { server_reference: S('test_reference') }, [0, 0, 0x11, P_SERVER_REFERENCE]],
    ['Authentication Method and Data', false, 0, { auth_method, auth_data }, [0, 0, 0x1d, P_AUTHENTICATION_METHOD, P_AUTHENTICATION_DATA]],
  ];
  it.each(cases)('%s', (_name, session_present_flag, return_code, prop, body) => {
    const b = flat(body);
    golden({ type: MQTT_PKT_TYPE_CONNACK, param: { session_present_flag, return_code, prop } }, bytes(0x20, b.length, b));
  });
});

describe('Zephyr 5.0 golden vectors: PUBLISH', () => {
  const TOPIC = [0x00, 0x0a, 'test_topic'];
  const PAYLOAD = 'test_payload';
  const cases: [string, object, part[]][] = [
    ['default', {}, [0x00]],
    ['Payload Format Indicator', { payload_format_indicator: 1 }, [0x02, P_PAYLOAD_FORMAT_INDICATOR]],
    ['Message Expiry Interval', { message_expiry_interval: 1000 }, [0x05, P_MESSAGE_EXPIRY_INTERVAL]],
    ['Topic Alias', { topic_alias: 4 }, [0x03, P_TOPIC_ALIAS]],
    ['Response Topic', { response_topic: S('test_response_topic') }, [0x16, P_RESPONSE_TOPIC]],
    ['Correlation Data', { correlation_data }, [0x09, P_CORRELATION_DATA]],
    ['User Property', { user_prop }, [0x18, P_USER_PROPERTY]],
    ['Subscription Identifier', { subscription_identifier: [1000] }, [0x03, P_SUBSCRIPTION_IDENTIFIER]],
    ['Content Type', { content_type: S('test_content_type') }, [0x14, P_CONTENT_TYPE]],
  ];
  it.each(cases)('property %s', (_name, prop, encodedProps) => {
    const body = flat([TOPIC, MID, encodedProps, PAYLOAD]);
    const param = {
      message: { topic: { topic: S('test_topic'), qos: 1 as const }, payload: { data: bytes(PAYLOAD), len: 12 } },
      message_id: 0x1234,
      dup_flag: false,
      retain_flag: false,
      prop,
    };
    golden({ type: MQTT_PKT_TYPE_PUBLISH, param }, bytes(0x32, body.length, body));
  });
});

describe('Zephyr 5.0 golden vectors: PUBACK, PUBREC, PUBREL, PUBCOMP', () => {
  const types = [
    ['PUBACK', MQTT_PKT_TYPE_PUBACK, 0x40],
    ['PUBREC', MQTT_PKT_TYPE_PUBREC, 0x50],
    ['PUBREL', MQTT_PKT_TYPE_PUBREL, 0x62],
    ['PUBCOMP', MQTT_PKT_TYPE_PUBCOMP, 0x70],
  ] as const;
  const cases: [string, number, object, part[]][] = [
    ['default', 0, {}, [0x02, MID]],
    ['error', 0x80, {}, [0x03, MID, 0x80]],
    ['Reason String', 0x80, { reason_string }, [0x19, MID, 0x80, 0x15, P_REASON_STRING]],
    ['User Property', 0, { user_prop }, [0x1c, MID, 0x00, 0x18, P_USER_PROPERTY]],
  ];
  for (const [name, type, first] of types) {
    it.each(cases)(`${name}, %s`, (_name, reason_code, prop, encoded) => {
      golden({ type, param: { message_id: 0x1234, reason_code, prop } }, bytes(first, encoded));
    });
  }
});

describe('Zephyr 5.0 golden vectors: SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK', () => {
  const topic = { topic: S('test_topic'), qos: 1 as const, no_local: false, retain_as_published: false, retain_handling: 0 as const };
  const SUB_TOPIC = [0x00, 0x0a, 'test_topic', 0x01];
  it.each([
    ['default', {}, [0x82, 0x10, MID, 0x00, SUB_TOPIC]],
    ['Subscription Identifier', { subscription_identifier: 1000 }, [0x82, 0x13, MID, 0x03, P_SUBSCRIPTION_IDENTIFIER, SUB_TOPIC]],
    ['User Property', { user_prop }, [0x82, 0x28, MID, 0x18, P_USER_PROPERTY, SUB_TOPIC]],
  ] as [string, object, part[]][])('SUBSCRIBE, %s', (_name, prop, encoded) => {
    golden(
      { type: MQTT_PKT_TYPE_SUBSCRIBE, param: { list: [topic], list_count: 1, message_id: 0x1234, prop } },
      bytes(encoded),
    );
  });

  it.each([
    ['default', {}, [0x90, 0x05, MID, 0x00, 0x01, 0x02]],
    ['Reason String', { reason_string }, [0x90, 0x1a, MID, 0x15, P_REASON_STRING, 0x01, 0x02]],
    ['User Property', { user_prop }, [0x90, 0x1d, MID, 0x18, P_USER_PROPERTY, 0x01, 0x02]],
  ] as [string, object, part[]][])('SUBACK, %s', (_name, prop, encoded) => {
    golden({ type: MQTT_PKT_TYPE_SUBACK, param: { message_id: 0x1234, return_codes: bin([1, 2]), prop } }, bytes(encoded));
  });

  const UNSUB_TOPIC = [0x00, 0x0a, 'test_topic'];
  it.each([
    ['default', {}, [0xa2, 0x0f, MID, 0x00, UNSUB_TOPIC]],
    ['User Property', { user_prop }, [0xa2, 0x27, MID, 0x18, P_USER_PROPERTY, UNSUB_TOPIC]],
  ] as [string, object, part[]][])('UNSUBSCRIBE, %s', (_name, prop, encoded) => {
    const list = [{ topic: S('test_topic'), qos: 0 as const }];
    golden({ type: MQTT_PKT_TYPE_UNSUBSCRIBE, param: { list, list_count: 1, message_id: 0x1234, prop } }, bytes(encoded));
  });

  it.each([
    ['default', {}, [0, 0], [0xb0, 0x05, MID, 0x00, 0x00, 0x00]],
    ['Reason String', { reason_string }, [0], [0xb0, 0x19, MID, 0x15, P_REASON_STRING, 0x00]],
    ['User Property', { user_prop }, [0], [0xb0, 0x1c, MID, 0x18, P_USER_PROPERTY, 0x00]],
  ] as [string, object, number[], part[]][])('UNSUBACK, %s', (_name, prop, codes, encoded) => {
    golden({ type: MQTT_PKT_TYPE_UNSUBACK, param: { message_id: 0x1234, reason_codes: bin(codes), prop } }, bytes(encoded));
  });
});

describe('Zephyr 5.0 golden vectors: DISCONNECT, AUTH', () => {
  it.each([
    ['default', 0, {}, [0xe0, 0x00]],
    ['error', MQTT_DISCONNECT_PROTOCOL_ERROR, {}, [0xe0, 0x01, 0x82]],
    ['Session Expiry Interval', 0, { session_expiry_interval: 1000 }, [0xe0, 0x07, 0x00, 0x05, P_SESSION_EXPIRY_INTERVAL]],
    ['Reason String', MQTT_DISCONNECT_PROTOCOL_ERROR, { reason_string }, [0xe0, 0x17, 0x82, 0x15, P_REASON_STRING]],
    ['User Property', 0, { user_prop }, [0xe0, 0x1a, 0x00, 0x18, P_USER_PROPERTY]],
    ['Server Reference', 0, { server_reference: S('test_reference') }, [0xe0, 0x13, 0x00, 0x11, P_SERVER_REFERENCE]],
  ] as [string, number, object, part[]][])('DISCONNECT, %s', (_name, reason_code, prop, encoded) => {
    golden({ type: MQTT_PKT_TYPE_DISCONNECT, param: { reason_code, prop } }, bytes(encoded));
  });

  it.each([
    ['default', 0, {}, [0xf0, 0x00]],
    ['reason code', MQTT_AUTH_CONTINUE_AUTHENTICATION, {}, [0xf0, 0x01, 0x18]],
    ['Authentication Method and Data', 0, { auth_method, auth_data }, [0xf0, 0x1f, 0x00, 0x1d, P_AUTHENTICATION_METHOD, P_AUTHENTICATION_DATA]],
    ['Reason String', MQTT_AUTH_CONTINUE_AUTHENTICATION, { reason_string }, [0xf0, 0x17, 0x18, 0x15, P_REASON_STRING]],
    ['User Property', 0, { user_prop }, [0xf0, 0x1a, 0x00, 0x18, P_USER_PROPERTY]],
  ] as [string, number, object, part[]][])('AUTH, %s', (_name, reason_code, prop, encoded) => {
    golden({ type: MQTT_PKT_TYPE_AUTH, param: { reason_code, prop } }, bytes(encoded));
  });
});
