/**
 * Packet encoders, Zephyr's `mqtt_encoder.c`: the packets a client sends, plus PUBLISH, the
 * PUBLISH acknowledgments, DISCONNECT and AUTH, which both sides send. The packets only a server
 * sends are in `mqtt_encoder_server.ts`.
 *
 * Every encoder writes one packet into the caller's `buf` at `offset` and returns the number of
 * bytes written, or a negative errno: -ENOMEM if the packet does not fit (nothing is written then),
 * -EINVAL for a parameter the protocol forbids (QoS above 2, packet identifier 0 where one is
 * required, a length field out of range, a 5.0 property value the spec calls a Protocol Error),
 * -EMSGSIZE if the remaining length would exceed 268,435,455, -ENOTSUP for AUTH below 5.0.
 * Unlike Zephyr's, the frame starts at `offset` (Zephyr reserves five bytes and moves the start).
 *
 * Like Zephyr's encoder this one does not check string contents (UTF-8, wildcards): that is the
 * caller's job. It does check lengths, so an empty topic name or filter is -EINVAL (Zephyr would
 * send it). It writes exactly the 5.0 properties that are present, in Zephyr's order, so a
 * parameter built like Zephyr's `mqtt_client` (see the tests) gives Zephyr's bytes.
 */

import { EINVAL, ENOTSUP } from '../../libc/errno.ts';
import {
  MQTT_CONNECT_FLAG_CLEAN_SESSION,
  MQTT_CONNECT_FLAG_PASSWORD,
  MQTT_CONNECT_FLAG_USERNAME,
  MQTT_CONNECT_FLAG_WILL_RETAIN,
  MQTT_CONNECT_FLAG_WILL_TOPIC,
  MQTT_MESSAGES_OPTIONS,
  MQTT_PKT_TYPE_AUTH,
  MQTT_PKT_TYPE_CONNECT,
  MQTT_PKT_TYPE_DISCONNECT,
  MQTT_PKT_TYPE_PINGREQ,
  MQTT_PKT_TYPE_PUBACK,
  MQTT_PKT_TYPE_PUBCOMP,
  MQTT_PKT_TYPE_PUBLISH,
  MQTT_PKT_TYPE_PUBREC,
  MQTT_PKT_TYPE_PUBREL,
  MQTT_PKT_TYPE_SUBSCRIBE,
  MQTT_PKT_TYPE_UNSUBSCRIBE,
} from './mqtt_internal.ts';
import {
  int_in_range,
  message_id_ok,
  pack_bytes,
  pack_fixed_header,
  pack_uint16,
  pack_uint8,
  pack_utf8_str,
  props_block_size,
  utf8_str_size,
} from './mqtt_pack.ts';
import type { prop_set } from './mqtt_properties.ts';
import {
  ACK_PROPS,
  AUTH_PROPS,
  CONNECT_PROPS,
  DISCONNECT_PROPS,
  PUBLISH_PROPS,
  SUBSCRIBE_PROPS,
  UNSUBSCRIBE_PROPS,
  WILL_PROPS,
  properties_encode,
  properties_length,
} from './mqtt_properties.ts';
import { MQTT_VERSION_3_1_0, MQTT_VERSION_5_0 } from './mqtt_reason_codes.ts';
import type {
  mqtt_auth_param,
  mqtt_connect_param,
  mqtt_disconnect_param,
  mqtt_puback_param,
  mqtt_pubcomp_param,
  mqtt_publish_param,
  mqtt_pubrec_param,
  mqtt_pubrel_param,
  mqtt_subscription_list,
} from './mqtt_types.ts';

const PROTO_MQISDP = new Uint8Array([0, 6, 0x4d, 0x51, 0x49, 0x73, 0x64, 0x70]); // "MQIsdp"
const PROTO_MQTT = new Uint8Array([0, 4, 0x4d, 0x51, 0x54, 0x54]); // "MQTT"

/** `connect_request_encode`. */
export function connect_request_encode(param: mqtt_connect_param, buf: Uint8Array, offset = 0): number {
  const version = param.protocol_version;
  if (!int_in_range(version, MQTT_VERSION_3_1_0, MQTT_VERSION_5_0)) return -EINVAL;
  if (!int_in_range(param.keepalive, 0, 0xffff)) return -EINVAL;
  const v5 = version === MQTT_VERSION_5_0;
  const proto = version === MQTT_VERSION_3_1_0 ? PROTO_MQISDP : PROTO_MQTT;
  let rl = proto.length + 4;
  let prop_len = 0;
  if (v5) {
    prop_len = properties_length(CONNECT_PROPS, param.prop);
    if (prop_len < 0) return prop_len;
    rl += props_block_size(prop_len);
  }
  const id_size = utf8_str_size(param.client_id);
  if (id_size < 0) return -EINVAL;
  rl += id_size;
  const will = param.will_topic;
  let will_prop_len = 0;
  if (will !== undefined) {
    if (!int_in_range(will.qos, 0, 2)) return -EINVAL;
    if (v5) {
      will_prop_len = properties_length(WILL_PROPS, param.will_prop);
      if (will_prop_len < 0) return will_prop_len;
      rl += props_block_size(will_prop_len);
    }
    const t = utf8_str_size(will.topic);
    const m = param.will_message === undefined ? 2 : utf8_str_size(param.will_message);
    if (t < 0 || m < 0) return -EINVAL;
    rl += t + m;
  }
  if (param.user_name !== undefined) {
    const n = utf8_str_size(param.user_name);
    if (n < 0) return -EINVAL;
    rl += n;
  }
  if (param.password !== undefined) {
    // 3.1 and 3.1.1 do not allow a password without a user name [MQTT-3.1.2-22].
    if (!v5 && param.user_name === undefined) return -EINVAL;
    const n = utf8_str_size(param.password);
    if (n < 0) return -EINVAL;
    rl += n;
  }
  let pos = pack_fixed_header(buf, offset, MQTT_PKT_TYPE_CONNECT, rl, rl);
  if (pos < 0) return pos;

  let flags = param.clean_session ? MQTT_CONNECT_FLAG_CLEAN_SESSION : 0;
  if (will !== undefined) {
    flags |= MQTT_CONNECT_FLAG_WILL_TOPIC | (will.qos << 3);
    if (param.will_retain) flags |= MQTT_CONNECT_FLAG_WILL_RETAIN;
  }
  if (param.user_name !== undefined) flags |= MQTT_CONNECT_FLAG_USERNAME;
  if (param.password !== undefined) flags |= MQTT_CONNECT_FLAG_PASSWORD;

  pos = pack_bytes(buf, pos, proto, proto.length);
  pos = pack_uint8(buf, pos, version);
  pos = pack_uint8(buf, pos, flags);
  pos = pack_uint16(buf, pos, param.keepalive);
  if (v5) pos = properties_encode(CONNECT_PROPS, param.prop, prop_len, buf, pos);
  pos = pack_utf8_str(buf, pos, param.client_id);
  if (will !== undefined) {
    if (v5) pos = properties_encode(WILL_PROPS, param.will_prop, will_prop_len, buf, pos);
    pos = pack_utf8_str(buf, pos, will.topic);
    pos = param.will_message === undefined ? pack_uint16(buf, pos, 0) : pack_utf8_str(buf, pos, param.will_message);
  }
  if (param.user_name !== undefined) pos = pack_utf8_str(buf, pos, param.user_name);
  if (param.password !== undefined) pos = pack_utf8_str(buf, pos, param.password);
  return pos - offset;
}

/**
 * `publish_encode`: writes the fixed header (whose remaining length counts the payload), the topic,
 * the packet identifier and the 5.0 properties, but not the payload, as Zephyr does, so a large
 * payload can be sent from where it already is. Returns the number of bytes written: the payload
 * belongs at `offset + result`, and the frame is `result + message.payload.len` bytes long. Only
 * the header has to fit in `buf`.
 */
export function publish_encode(version: number, param: mqtt_publish_param, buf: Uint8Array, offset = 0): number {
  const topic = param.message.topic;
  const qos = topic.qos;
  if (!int_in_range(qos, 0, 2)) return -EINVAL;
  // Message id zero is not permitted by spec.
  if (qos > 0 && !message_id_ok(param.message_id)) return -EINVAL;
  const payload_len = param.message.payload.len;
  // A length past MQTT_MAX_PAYLOAD_SIZE is -EMSGSIZE from pack_fixed_header.
  if (!int_in_range(payload_len, 0, Number.MAX_SAFE_INTEGER)) return -EINVAL;
  const topic_size = utf8_str_size(topic.topic);
  if (topic_size < 0) return -EINVAL;
  const v5 = version === MQTT_VERSION_5_0;
  // An empty topic name is only valid in 5.0 with a Topic Alias standing for it [MQTT-3.3.2-8].
  if (topic_size === 2 && (!v5 || param.prop?.topic_alias === undefined)) return -EINVAL;
  let head = topic_size + (qos > 0 ? 2 : 0);
  let prop_len = 0;
  if (v5) {
    prop_len = properties_length(PUBLISH_PROPS, param.prop);
    if (prop_len < 0) return prop_len;
    head += props_block_size(prop_len);
  }
  const type_byte = MQTT_MESSAGES_OPTIONS(
    MQTT_PKT_TYPE_PUBLISH,
    param.dup_flag ? 1 : 0,
    qos,
    param.retain_flag ? 1 : 0,
  );
  let pos = pack_fixed_header(buf, offset, type_byte, head + payload_len, head);
  if (pos < 0) return pos;
  pos = pack_utf8_str(buf, pos, topic.topic);
  if (qos > 0) pos = pack_uint16(buf, pos, param.message_id);
  if (v5) pos = properties_encode(PUBLISH_PROPS, param.prop, prop_len, buf, pos);
  return pos - offset;
}

function common_ack_encode(
  type_byte: number,
  version: number,
  param: mqtt_puback_param,
  buf: Uint8Array,
  offset: number,
): number {
  // Message id zero is not permitted by spec.
  if (!message_id_ok(param.message_id)) return -EINVAL;
  let rl = 2;
  let prop_len = 0;
  const reason = param.reason_code ?? 0;
  if (version === MQTT_VERSION_5_0) {
    if (!int_in_range(reason, 0, 0xff)) return -EINVAL;
    prop_len = properties_length(ACK_PROPS, param.prop);
    if (prop_len < 0) return prop_len;
    // Reason Code and Property Length may be omitted for Success with no properties, and the
    // Property Length alone when there are no properties (3.4.2.1).
    if (prop_len > 0) rl += 1 + props_block_size(prop_len);
    else if (reason !== 0) rl += 1;
  }
  let pos = pack_fixed_header(buf, offset, type_byte, rl, rl);
  if (pos < 0) return pos;
  pos = pack_uint16(buf, pos, param.message_id);
  if (rl > 2) {
    pos = pack_uint8(buf, pos, reason);
    if (prop_len > 0) pos = properties_encode(ACK_PROPS, param.prop, prop_len, buf, pos);
  }
  return pos - offset;
}

/** `publish_ack_encode` (PUBACK). */
export function publish_ack_encode(version: number, param: mqtt_puback_param, buf: Uint8Array, offset = 0): number {
  return common_ack_encode(MQTT_PKT_TYPE_PUBACK, version, param, buf, offset);
}

/** `publish_receive_encode` (PUBREC). */
export function publish_receive_encode(version: number, param: mqtt_pubrec_param, buf: Uint8Array, offset = 0): number {
  return common_ack_encode(MQTT_PKT_TYPE_PUBREC, version, param, buf, offset);
}

/** `publish_release_encode` (PUBREL, fixed-header flags 0b0010). */
export function publish_release_encode(version: number, param: mqtt_pubrel_param, buf: Uint8Array, offset = 0): number {
  return common_ack_encode(MQTT_PKT_TYPE_PUBREL | 0x02, version, param, buf, offset);
}

/** `publish_complete_encode` (PUBCOMP). */
export function publish_complete_encode(
  version: number,
  param: mqtt_pubcomp_param,
  buf: Uint8Array,
  offset = 0,
): number {
  return common_ack_encode(MQTT_PKT_TYPE_PUBCOMP, version, param, buf, offset);
}

function subscription_list_encode(
  subscribe: boolean,
  version: number,
  param: mqtt_subscription_list,
  buf: Uint8Array,
  offset: number,
): number {
  if (!message_id_ok(param.message_id)) return -EINVAL;
  const count = param.list_count;
  const list = param.list;
  // A SUBSCRIBE or UNSUBSCRIBE without a topic filter is a Protocol Error [MQTT-3.8.3-3].
  if (!int_in_range(count, 1, list.length)) return -EINVAL;
  const v5 = version === MQTT_VERSION_5_0;
  const props = subscribe ? SUBSCRIBE_PROPS : UNSUBSCRIBE_PROPS;
  let rl = 2;
  let prop_len = 0;
  if (v5) {
    prop_len = properties_length(props, param.prop);
    if (prop_len < 0) return prop_len;
    rl += props_block_size(prop_len);
  }
  for (let i = 0; i < count; i++) {
    const t = list[i];
    const n = utf8_str_size(t.topic);
    // A topic filter has at least one character [MQTT-4.7.3-1].
    if (n < 3) return -EINVAL;
    rl += n;
    if (subscribe) {
      if (!int_in_range(t.qos, 0, 2)) return -EINVAL;
      if (v5 && t.retain_handling !== undefined && !int_in_range(t.retain_handling, 0, 2)) return -EINVAL;
      rl += 1;
    }
  }
  const type_byte = (subscribe ? MQTT_PKT_TYPE_SUBSCRIBE : MQTT_PKT_TYPE_UNSUBSCRIBE) | 0x02;
  let pos = pack_fixed_header(buf, offset, type_byte, rl, rl);
  if (pos < 0) return pos;
  pos = pack_uint16(buf, pos, param.message_id);
  if (v5) pos = properties_encode(props, param.prop, prop_len, buf, pos);
  for (let i = 0; i < count; i++) {
    const t = list[i];
    pos = pack_utf8_str(buf, pos, t.topic);
    if (subscribe) {
      let options: number = t.qos;
      if (v5) {
        if (t.no_local) options |= 0x04;
        if (t.retain_as_published) options |= 0x08;
        options |= (t.retain_handling ?? 0) << 4;
      }
      pos = pack_uint8(buf, pos, options);
    }
  }
  return pos - offset;
}

/** `subscribe_encode` (SUBSCRIBE). 5.0 subscription options come from each `mqtt_topic`. */
export function subscribe_encode(version: number, param: mqtt_subscription_list, buf: Uint8Array, offset = 0): number {
  return subscription_list_encode(true, version, param, buf, offset);
}

/**
 * `unsubscribe_encode` (UNSUBSCRIBE). Unlike Zephyr's, it rejects packet identifier 0 (-EINVAL),
 * which the spec forbids as for SUBSCRIBE.
 */
export function unsubscribe_encode(
  version: number,
  param: mqtt_subscription_list,
  buf: Uint8Array,
  offset = 0,
): number {
  return subscription_list_encode(false, version, param, buf, offset);
}

/** A packet with no variable header (PINGREQ, PINGRESP, short DISCONNECT). */
export function empty_encode(type_byte: number, buf: Uint8Array, offset: number): number {
  const pos = pack_fixed_header(buf, offset, type_byte, 0, 0);
  return pos < 0 ? pos : 2;
}

/** `ping_request_encode` (PINGREQ). */
export function ping_request_encode(buf: Uint8Array, offset = 0): number {
  return empty_encode(MQTT_PKT_TYPE_PINGREQ, buf, offset);
}

/** DISCONNECT and AUTH share their layout: optional reason code, optional properties. */
function reason_and_props_encode<T extends object>(
  type_byte: number,
  reason: number,
  props: prop_set<T>,
  prop: T | undefined,
  buf: Uint8Array,
  offset: number,
): number {
  if (!int_in_range(reason, 0, 0xff)) return -EINVAL;
  const prop_len = properties_length(props, prop);
  if (prop_len < 0) return prop_len;
  // Both fields may be omitted for reason 0 without properties; the property length alone when
  // there are no properties (3.14.2.1, 3.15.2.1).
  const rl = prop_len > 0 ? 1 + props_block_size(prop_len) : reason !== 0 ? 1 : 0;
  let pos = pack_fixed_header(buf, offset, type_byte, rl, rl);
  if (pos < 0) return pos;
  if (rl > 0) pos = pack_uint8(buf, pos, reason);
  if (prop_len > 0) pos = properties_encode(props, prop, prop_len, buf, pos);
  return pos - offset;
}

/** `disconnect_encode` (DISCONNECT). Below 5.0, or without `param`, this is `e0 00`. */
export function disconnect_encode(
  version: number,
  param: mqtt_disconnect_param | undefined,
  buf: Uint8Array,
  offset = 0,
): number {
  if (version !== MQTT_VERSION_5_0 || param === undefined) {
    return empty_encode(MQTT_PKT_TYPE_DISCONNECT, buf, offset);
  }
  return reason_and_props_encode(
    MQTT_PKT_TYPE_DISCONNECT,
    param.reason_code ?? 0,
    DISCONNECT_PROPS,
    param.prop,
    buf,
    offset,
  );
}

/** `auth_encode` (AUTH). -ENOTSUP below 5.0, which has no AUTH packet. */
export function auth_encode(version: number, param: mqtt_auth_param, buf: Uint8Array, offset = 0): number {
  if (version !== MQTT_VERSION_5_0) return -ENOTSUP;
  return reason_and_props_encode(MQTT_PKT_TYPE_AUTH, param.reason_code, AUTH_PROPS, param.prop, buf, offset);
}
