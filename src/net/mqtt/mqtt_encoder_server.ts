/**
 * Encoders for the packets only a server sends (CONNACK, SUBACK, UNSUBACK, PINGRESP), which
 * Zephyr's client library never encodes; a simulated broker and the tests need them. Same
 * conventions as `mqtt_encoder.ts`: bytes written at `buf[offset]`, or -ENOMEM / -EINVAL / -EMSGSIZE.
 */

import { EINVAL } from '../../libc/errno.ts';
import {
  MQTT_CONNACK_FLAG_SESSION_PRESENT,
  MQTT_PKT_TYPE_CONNACK,
  MQTT_PKT_TYPE_PINGRSP,
  MQTT_PKT_TYPE_SUBACK,
  MQTT_PKT_TYPE_UNSUBACK,
} from './mqtt_internal.ts';
import { empty_encode } from './mqtt_encoder.ts';
import {
  bin_data_size,
  int_in_range,
  message_id_ok,
  pack_bytes,
  pack_fixed_header,
  pack_uint16,
  pack_uint8,
  props_block_size,
} from './mqtt_pack.ts';
import { ACK_PROPS, CONNACK_PROPS, properties_encode, properties_length } from './mqtt_properties.ts';
import { MQTT_VERSION_3_1_0, MQTT_VERSION_5_0 } from './mqtt_reason_codes.ts';
import type { mqtt_connack_param, mqtt_suback_param, mqtt_unsuback_param } from './mqtt_types.ts';

/** PINGRESP. */
export function ping_response_encode(buf: Uint8Array, offset = 0): number {
  return empty_encode(MQTT_PKT_TYPE_PINGRSP, buf, offset);
}

/** CONNACK (server side). 3.1 has no Session Present flag: the byte is written as 0. */
export function connect_ack_encode(version: number, param: mqtt_connack_param, buf: Uint8Array, offset = 0): number {
  if (!int_in_range(param.return_code, 0, 0xff)) return -EINVAL;
  let rl = 2;
  let prop_len = 0;
  const v5 = version === MQTT_VERSION_5_0;
  if (v5) {
    prop_len = properties_length(CONNACK_PROPS, param.prop);
    if (prop_len < 0) return prop_len;
    rl += props_block_size(prop_len);
  }
  let pos = pack_fixed_header(buf, offset, MQTT_PKT_TYPE_CONNACK, rl, rl);
  if (pos < 0) return pos;
  const present = version !== MQTT_VERSION_3_1_0 && param.session_present_flag;
  pos = pack_uint8(buf, pos, present ? MQTT_CONNACK_FLAG_SESSION_PRESENT : 0);
  pos = pack_uint8(buf, pos, param.return_code);
  if (v5) pos = properties_encode(CONNACK_PROPS, param.prop, prop_len, buf, pos);
  return pos - offset;
}

/** SUBACK (server side). Below 5.0 each return code must be 0, 1, 2 or 0x80 [MQTT-3.9.3-2]. */
export function subscribe_ack_encode(version: number, param: mqtt_suback_param, buf: Uint8Array, offset = 0): number {
  if (!message_id_ok(param.message_id)) return -EINVAL;
  const codes = param.return_codes;
  if (bin_data_size(codes) < 0) return -EINVAL;
  const v5 = version === MQTT_VERSION_5_0;
  let rl = 2 + codes.len;
  let prop_len = 0;
  if (v5) {
    prop_len = properties_length(ACK_PROPS, param.prop);
    if (prop_len < 0) return prop_len;
    rl += props_block_size(prop_len);
  } else {
    for (let i = 0; i < codes.len; i++) {
      const c = codes.data[i];
      if (c > 2 && c !== 0x80) return -EINVAL;
    }
  }
  let pos = pack_fixed_header(buf, offset, MQTT_PKT_TYPE_SUBACK, rl, rl);
  if (pos < 0) return pos;
  pos = pack_uint16(buf, pos, param.message_id);
  if (v5) pos = properties_encode(ACK_PROPS, param.prop, prop_len, buf, pos);
  pos = pack_bytes(buf, pos, codes.data, codes.len);
  return pos - offset;
}

/** UNSUBACK (server side). Reason codes and properties are 5.0 only. */
export function unsubscribe_ack_encode(
  version: number,
  param: mqtt_unsuback_param,
  buf: Uint8Array,
  offset = 0,
): number {
  if (!message_id_ok(param.message_id)) return -EINVAL;
  const v5 = version === MQTT_VERSION_5_0;
  let rl = 2;
  let prop_len = 0;
  const codes = param.reason_codes;
  if (v5) {
    prop_len = properties_length(ACK_PROPS, param.prop);
    if (prop_len < 0) return prop_len;
    rl += props_block_size(prop_len);
    if (codes !== undefined) {
      if (bin_data_size(codes) < 0) return -EINVAL;
      rl += codes.len;
    }
  }
  let pos = pack_fixed_header(buf, offset, MQTT_PKT_TYPE_UNSUBACK, rl, rl);
  if (pos < 0) return pos;
  pos = pack_uint16(buf, pos, param.message_id);
  if (v5) {
    pos = properties_encode(ACK_PROPS, param.prop, prop_len, buf, pos);
    if (codes !== undefined) pos = pack_bytes(buf, pos, codes.data, codes.len);
  }
  return pos - offset;
}
