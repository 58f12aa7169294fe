/**
 * fast-check arbitraries for every MQTT packet of every protocol version, in the canonical form
 * the decoder produces (so `decode(encode(p))` deep-equals `p`): 5.0 `prop` objects always
 * present, absent optional fields omitted rather than undefined, user property lists non-empty.
 * Shared by the vitest suites and `bench/fuzz.ts`.
 */

import fc from 'fast-check';
import type {
  mqtt_auth_properties,
  mqtt_binstr,
  mqtt_common_ack_properties,
  mqtt_connack_properties,
  mqtt_connect_param,
  mqtt_connect_properties,
  mqtt_disconnect_properties,
  mqtt_packet,
  mqtt_publish_param,
  mqtt_publish_properties,
  mqtt_qos,
  mqtt_subscription_properties,
  mqtt_topic,
  mqtt_utf8,
  mqtt_utf8_pair,
  mqtt_version,
  mqtt_will_properties,
} from '../../src/net/mqtt/index.ts';
import {
  MQTT_PKT_TYPE_AUTH,
  MQTT_PKT_TYPE_CONNACK,
  MQTT_PKT_TYPE_CONNECT,
  MQTT_PKT_TYPE_DISCONNECT,
  MQTT_PKT_TYPE_PINGREQ,
  MQTT_PKT_TYPE_PINGRSP,
  MQTT_PKT_TYPE_PUBACK,
  MQTT_PKT_TYPE_PUBCOMP,
  MQTT_PKT_TYPE_PUBLISH,
  MQTT_PKT_TYPE_PUBREC,
  MQTT_PKT_TYPE_PUBREL,
  MQTT_PKT_TYPE_SUBACK,
  MQTT_PKT_TYPE_SUBSCRIBE,
  MQTT_PKT_TYPE_UNSUBACK,
  MQTT_PKT_TYPE_UNSUBSCRIBE,
  MQTT_VERSION_3_1_0,
  MQTT_VERSION_5_0,
} from '../../src/net/mqtt/index.ts';

export const VERSIONS: readonly mqtt_version[] = [3, 4, 5];

const te = new TextEncoder();

/** An `mqtt_utf8` over a fresh copy of `s`'s UTF-8 bytes. */
export function u8s(s: string): mqtt_utf8 {
  const utf8 = te.encode(s);
  return { utf8, size: utf8.length };
}

/** An `mqtt_binstr` over `bytes`. */
export function bin(bytes: ArrayLike<number>): mqtt_binstr {
  const data = Uint8Array.from(bytes);
  return { data, len: data.length };
}

/** Strings MQTT accepts: any code point but U+0000 (TextEncoder turns lone surrogates into U+FFFD). */
export const strArb = (minLength = 0, maxLength = 12): fc.Arbitrary<string> =>
  fc
    .oneof(
      fc.string({ unit: 'grapheme-ascii', minLength, maxLength }),
      fc.string({ unit: 'binary', minLength, maxLength }),
    )
    .map((s) => s.replace(/\0/g, '0'));
export const utf8Arb = (minLength = 0, maxLength = 12): fc.Arbitrary<mqtt_utf8> => strArb(minLength, maxLength).map(u8s);
/** A topic name: at least one character, no wildcards. */
export const topicNameArb: fc.Arbitrary<mqtt_utf8> = strArb(1, 16).map((s) => u8s(s.replace(/[+#]/g, '/')));
/** A topic filter: at least one character. */
export const topicFilterArb: fc.Arbitrary<mqtt_utf8> = fc
  .oneof(strArb(1, 16), fc.constantFrom('#', '+', 'a/+/b', 'a/#', '$share/g/t'))
  .map(u8s);
export const binArb = (maxLength = 16): fc.Arbitrary<mqtt_binstr> => fc.uint8Array({ maxLength }).map(bin);
/** Binary data in an `mqtt_utf8`, as Zephyr types the will message and the password. */
const binAsUtf8Arb: fc.Arbitrary<mqtt_utf8> = fc.uint8Array({ maxLength: 16 }).map((utf8) => ({ utf8, size: utf8.length }));

export const qosArb: fc.Arbitrary<mqtt_qos> = fc.constantFrom(0, 1, 2);
export const msgIdArb = fc.integer({ min: 1, max: 0xffff });
const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u16nz = fc.integer({ min: 1, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const u32nz = fc.integer({ min: 1, max: 0xffffffff });
const varnz = fc.integer({ min: 1, max: 0x0fffffff });
const bit = fc.constantFrom(0, 1);
export const userPropsArb: fc.Arbitrary<mqtt_utf8_pair[]> = fc.array(
  fc.record({ name: utf8Arb(), value: utf8Arb() }, { noNullPrototype: true }),
  { minLength: 1, maxLength: 3 },
);

/** A record whose keys are all optional. */
function opt<T extends object>(model: { [K in keyof T]-?: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> {
  return fc.record(model, { requiredKeys: [], noNullPrototype: true }) as unknown as fc.Arbitrary<T>;
}

export const connectPropsArb = opt<mqtt_connect_properties>({
  session_expiry_interval: u32,
  receive_maximum: u16nz,
  maximum_packet_size: u32nz,
  topic_alias_maximum: u16,
  request_response_info: fc.boolean(),
  request_problem_info: fc.boolean(),
  user_prop: userPropsArb,
  auth_method: utf8Arb(),
  auth_data: binArb(),
});
export const willPropsArb = opt<mqtt_will_properties>({
  will_delay_interval: u32,
  payload_format_indicator: bit,
  message_expiry_interval: u32,
  content_type: utf8Arb(),
  response_topic: topicNameArb,
  correlation_data: binArb(),
  user_prop: userPropsArb,
});
export const connackPropsArb = opt<mqtt_connack_properties>({
  session_expiry_interval: u32,
  receive_maximum: u16nz,
  maximum_qos: bit,
  retain_available: bit,
  maximum_packet_size: u32nz,
  assigned_client_id: utf8Arb(),
  topic_alias_maximum: u16,
  reason_string: utf8Arb(),
  user_prop: userPropsArb,
  wildcard_sub_available: bit,
  subscription_ids_available: bit,
  shared_sub_available: bit,
  server_keep_alive: u16,
  response_information: utf8Arb(),
  server_reference: utf8Arb(),
  auth_method: utf8Arb(),
  auth_data: binArb(),
});
export const publishPropsArb = opt<mqtt_publish_properties>({
  payload_format_indicator: bit,
  message_expiry_interval: u32,
  topic_alias: u16nz,
  response_topic: topicNameArb,
  correlation_data: binArb(),
  user_prop: userPropsArb,
  subscription_identifier: fc.array(varnz, { minLength: 1, maxLength: 3 }),
  content_type: utf8Arb(),
});
export const ackPropsArb = opt<mqtt_common_ack_properties>({ user_prop: userPropsArb, reason_string: utf8Arb() });
const subscribePropsArb = opt<mqtt_subscription_properties>({ subscription_identifier: varnz, user_prop: userPropsArb });
const unsubscribePropsArb = opt<Pick<mqtt_subscription_properties, 'user_prop'>>({ user_prop: userPropsArb });
const disconnectPropsArb = opt<mqtt_disconnect_properties>({
  session_expiry_interval: u32,
  reason_string: utf8Arb(),
  user_prop: userPropsArb,
  server_reference: utf8Arb(),
});
const authPropsArb = opt<mqtt_auth_properties>({
  auth_method: utf8Arb(),
  auth_data: binArb(),
  reason_string: utf8Arb(),
  user_prop: userPropsArb,
});

export function connectArb(v: mqtt_version): fc.Arbitrary<mqtt_connect_param> {
  const v5 = v === MQTT_VERSION_5_0;
  return fc
    .record({
      client_id: utf8Arb(0, 23),
      keepalive: u16,
      clean_session: fc.boolean(),
      will: fc.option(
        fc.record({ topic: topicNameArb, qos: qosArb, message: binAsUtf8Arb, retain: fc.boolean(), prop: willPropsArb }),
      ),
      user_name: fc.option(utf8Arb()),
      password: fc.option(binAsUtf8Arb),
      prop: connectPropsArb,
    })
    .map((r) => {
      const p: mqtt_connect_param = {
        protocol_version: v,
        client_id: r.client_id,
        keepalive: r.keepalive,
        clean_session: r.clean_session,
        will_retain: r.will !== null && r.will.retain,
      };
      if (v5) p.prop = r.prop;
      if (r.will !== null) {
        p.will_topic = { topic: r.will.topic, qos: r.will.qos };
        p.will_message = r.will.message;
        if (v5) p.will_prop = r.will.prop;
      }
      if (r.user_name !== null) p.user_name = r.user_name;
      // 3.1 and 3.1.1 forbid a password without a user name.
      if (r.password !== null && (v5 || r.user_name !== null)) p.password = r.password;
      return p;
    });
}

export function publishArb(v: mqtt_version, maxPayload = 64): fc.Arbitrary<mqtt_publish_param> {
  return fc
    .record({
      qos: qosArb,
      topic: topicNameArb,
      aliasOnly: fc.boolean(),
      message_id: msgIdArb,
      dup_flag: fc.boolean(),
      retain_flag: fc.boolean(),
      payload: fc.oneof({ weight: 4, arbitrary: binArb(maxPayload) }, { weight: 1, arbitrary: binArb(400) }),
      prop: publishPropsArb,
    })
    .map((r) => {
      const p: mqtt_publish_param = {
        message: { topic: { topic: r.topic, qos: r.qos }, payload: r.payload },
        message_id: r.qos > 0 ? r.message_id : 0,
        dup_flag: r.dup_flag,
        retain_flag: r.retain_flag,
      };
      if (v === MQTT_VERSION_5_0) {
        p.prop = r.prop;
        // A 5.0 PUBLISH may replace its topic by a Topic Alias.
        if (r.aliasOnly && r.prop.topic_alias !== undefined) p.message.topic.topic = u8s('');
      }
      return p;
    });
}

type ack_type =
  | typeof MQTT_PKT_TYPE_PUBACK
  | typeof MQTT_PKT_TYPE_PUBREC
  | typeof MQTT_PKT_TYPE_PUBREL
  | typeof MQTT_PKT_TYPE_PUBCOMP;

function ackArb(type: ack_type, v: mqtt_version): fc.Arbitrary<mqtt_packet> {
  if (v !== MQTT_VERSION_5_0) return msgIdArb.map((message_id) => ({ type, param: { message_id } }));
  return fc
    .record({ message_id: msgIdArb, reason_code: u8, prop: ackPropsArb }, { noNullPrototype: true })
    .map((param) => ({ type, param }));
}

const subTopicArb = (v: mqtt_version): fc.Arbitrary<mqtt_topic> =>
  v === MQTT_VERSION_5_0
    ? fc.record(
        {
          topic: topicFilterArb,
          qos: qosArb,
          no_local: fc.boolean(),
          retain_as_published: fc.boolean(),
          retain_handling: fc.constantFrom(0, 1, 2),
        },
        { noNullPrototype: true },
      )
    : fc.record({ topic: topicFilterArb, qos: qosArb }, { noNullPrototype: true });

function listPacketArb(subscribe: boolean, v: mqtt_version): fc.Arbitrary<mqtt_packet> {
  const topic = subscribe ? subTopicArb(v) : topicFilterArb.map((t): mqtt_topic => ({ topic: t, qos: 0 }));
  return fc
    .record({
      message_id: msgIdArb,
      list: fc.array(topic, { minLength: 1, maxLength: 4 }),
      prop: subscribe ? subscribePropsArb : unsubscribePropsArb,
    })
    .map((r) => {
      const param = { list: r.list, list_count: r.list.length, message_id: r.message_id };
      const full = v === MQTT_VERSION_5_0 ? { ...param, prop: r.prop } : param;
      return subscribe
        ? { type: MQTT_PKT_TYPE_SUBSCRIBE, param: full }
        : { type: MQTT_PKT_TYPE_UNSUBSCRIBE, param: full };
    });
}

function subackArb(v: mqtt_version): fc.Arbitrary<mqtt_packet> {
  const codes =
    v === MQTT_VERSION_5_0
      ? fc.uint8Array({ maxLength: 4 })
      : fc.array(fc.constantFrom(0, 1, 2, 0x80), { maxLength: 4 }).map((a) => Uint8Array.from(a));
  return fc.record({ message_id: msgIdArb, codes, prop: ackPropsArb }).map((r) => ({
    type: MQTT_PKT_TYPE_SUBACK,
    param:
      v === MQTT_VERSION_5_0
        ? { message_id: r.message_id, return_codes: bin(r.codes), prop: r.prop }
        : { message_id: r.message_id, return_codes: bin(r.codes) },
  }));
}

function unsubackArb(v: mqtt_version): fc.Arbitrary<mqtt_packet> {
  if (v !== MQTT_VERSION_5_0) return msgIdArb.map((message_id) => ({ type: MQTT_PKT_TYPE_UNSUBACK, param: { message_id } }));
  return fc.record({ message_id: msgIdArb, codes: binArb(4), prop: ackPropsArb }).map((r) => ({
    type: MQTT_PKT_TYPE_UNSUBACK,
    param: { message_id: r.message_id, reason_codes: r.codes, prop: r.prop },
  }));
}

function connackArb(v: mqtt_version): fc.Arbitrary<mqtt_packet> {
  return fc.record({ present: fc.boolean(), return_code: u8, prop: connackPropsArb }).map((r) => ({
    type: MQTT_PKT_TYPE_CONNACK,
    param:
      v === MQTT_VERSION_5_0
        ? { session_present_flag: r.present, return_code: r.return_code, prop: r.prop }
        : { session_present_flag: v !== MQTT_VERSION_3_1_0 && r.present, return_code: r.return_code },
  }));
}

function disconnectArb(v: mqtt_version): fc.Arbitrary<mqtt_packet> {
  if (v !== MQTT_VERSION_5_0) return fc.constant({ type: MQTT_PKT_TYPE_DISCONNECT, param: {} });
  return fc
    .record({ reason_code: u8, prop: disconnectPropsArb }, { noNullPrototype: true })
    .map((param) => ({ type: MQTT_PKT_TYPE_DISCONNECT, param }));
}

const authArb: fc.Arbitrary<mqtt_packet> = fc
  .record({ reason_code: u8, prop: authPropsArb }, { noNullPrototype: true })
  .map((param) => ({ type: MQTT_PKT_TYPE_AUTH, param }));

/** Arbitraries for every packet type that exists in version `v`, keyed by packet name. */
export function packetArbs(v: mqtt_version): Record<string, fc.Arbitrary<mqtt_packet>> {
  const arbs: Record<string, fc.Arbitrary<mqtt_packet>> = {
    CONNECT: connectArb(v).map((param) => ({ type: MQTT_PKT_TYPE_CONNECT, param })),
    CONNACK: connackArb(v),
    PUBLISH: publishArb(v).map((param) => ({ type: MQTT_PKT_TYPE_PUBLISH, param })),
    PUBACK: ackArb(MQTT_PKT_TYPE_PUBACK, v),
    PUBREC: ackArb(MQTT_PKT_TYPE_PUBREC, v),
    PUBREL: ackArb(MQTT_PKT_TYPE_PUBREL, v),
    PUBCOMP: ackArb(MQTT_PKT_TYPE_PUBCOMP, v),
    SUBSCRIBE: listPacketArb(true, v),
    SUBACK: subackArb(v),
    UNSUBSCRIBE: listPacketArb(false, v),
    UNSUBACK: unsubackArb(v),
    PINGREQ: fc.constant({ type: MQTT_PKT_TYPE_PINGREQ }),
    PINGRESP: fc.constant({ type: MQTT_PKT_TYPE_PINGRSP }),
    DISCONNECT: disconnectArb(v),
  };
  if (v === MQTT_VERSION_5_0) arbs.AUTH = authArb;
  return arbs;
}

/** Any packet of any version, with its version. */
export const anyPacketArb: fc.Arbitrary<{ version: mqtt_version; pkt: mqtt_packet }> = fc.oneof(
  ...VERSIONS.map((version) =>
    fc.oneof(...Object.values(packetArbs(version))).map((pkt) => ({ version, pkt })),
  ),
);
