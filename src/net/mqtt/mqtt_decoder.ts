/**
 * Packet decoders, Zephyr's `mqtt_decoder.c`: the packets a client receives (CONNACK, PUBLISH and
 * its acknowledgments, SUBACK, UNSUBACK, DISCONNECT, AUTH). The packets only a server receives are
 * in `mqtt_decoder_server.ts`.
 *
 * Each decoder reads the variable header and payload from `ctx.cur` to `ctx.end` (the end of the
 * packet, as in Zephyr's rx path), after `fixed_header_decode`. It returns the decoded structure,
 * whose byte strings are views into `ctx.buf`, or a negative errno. It never throws, whatever the
 * bytes. Beyond Zephyr's checks (a field past the end: -EINVAL; an unsupported property: -EBADMSG)
 * these reject with -EBADMSG what the spec calls malformed or a protocol error: bytes after the last
 * field, packet identifier 0, reserved flag bits set, QoS 3, invalid UTF-8, a wildcard in a PUBLISH
 * topic, an empty PUBLISH topic without a 5.0 Topic Alias, and the property rules of
 * `mqtt_properties.ts`. Reason and return codes pass unchecked, as in Zephyr, except 3.1.1 SUBACK
 * return codes [MQTT-3.9.3-2].
 */

import { EBADMSG, EINVAL, ENOTSUP } from '../../libc/errno.ts';
import type { buf_ctx } from './mqtt_internal.ts';
import { MQTT_HEADER_DUP_MASK, MQTT_HEADER_QOS_MASK, MQTT_HEADER_RETAIN_MASK } from './mqtt_internal.ts';
import type { prop_set } from './mqtt_properties.ts';
import {
  ACK_PROPS,
  AUTH_PROPS,
  CONNACK_PROPS,
  DISCONNECT_PROPS,
  PUBLISH_PROPS,
  properties_decode,
} from './mqtt_properties.ts';
import type { mqtt_qos } from './mqtt_reason_codes.ts';
import { MQTT_VERSION_3_1_0, MQTT_VERSION_5_0 } from './mqtt_reason_codes.ts';
import type {
  mqtt_auth_param,
  mqtt_common_ack_properties,
  mqtt_connack_param,
  mqtt_disconnect_param,
  mqtt_puback_param,
  mqtt_pubcomp_param,
  mqtt_publish_param,
  mqtt_pubrec_param,
  mqtt_pubrel_param,
  mqtt_suback_param,
  mqtt_unsuback_param,
  mqtt_utf8,
} from './mqtt_types.ts';
import { unpack_raw_data, unpack_uint16, unpack_uint8 } from './mqtt_unpack.ts';
import { mqtt_utf8_valid } from './mqtt_utf8.ts';

/** A packet identifier that must be non-zero [MQTT-2.3.1-1]: the value, -EINVAL or -EBADMSG. */
export function unpack_message_id(ctx: buf_ctx): number {
  const id = unpack_uint16(ctx);
  return id === 0 ? -EBADMSG : id;
}

/** -EBADMSG unless the decoder consumed the whole packet. */
function at_end(ctx: buf_ctx): number {
  return ctx.cur === ctx.end ? 0 : -EBADMSG;
}

/** `connect_ack_decode` (CONNACK). In 3.1 the flags byte is unused and ignored, as in Zephyr. */
export function connect_ack_decode(version: number, ctx: buf_ctx): mqtt_connack_param | number {
  const flags = unpack_uint8(ctx);
  if (flags < 0) return flags;
  const return_code = unpack_uint8(ctx);
  if (return_code < 0) return return_code;
  if (version === MQTT_VERSION_3_1_0) {
    const err = at_end(ctx);
    return err < 0 ? err : { session_present_flag: false, return_code };
  }
  // Bits 7-1 are reserved [MQTT-3.2.2-1].
  if ((flags & 0xfe) !== 0) return -EBADMSG;
  const param: mqtt_connack_param = { session_present_flag: flags === 1, return_code };
  if (version === MQTT_VERSION_5_0) {
    const prop = properties_decode(CONNACK_PROPS, ctx);
    if (typeof prop === 'number') return prop;
    param.prop = prop;
  }
  const err = at_end(ctx);
  return err < 0 ? err : param;
}

/** UTF-8 check plus the Topic Name rule: no wildcard characters [MQTT-3.3.2-2]. */
function topic_name_valid(t: mqtt_utf8): boolean {
  const b = t.utf8;
  let ascii = true;
  for (let i = 0; i < t.size; i++) {
    const c = b[i];
    if (c === 0x23 || c === 0x2b || c === 0) return false; // '#', '+', U+0000
    if (c >= 0x80) ascii = false;
  }
  return ascii || mqtt_utf8_valid(b, 0, t.size);
}

/**
 * `publish_decode` (PUBLISH), given the fixed-header `flags` byte and remaining length `var_length`.
 *
 * `ctx` may end before the packet does, as in Zephyr's rx path, which reads only the variable
 * header and leaves the payload in the socket: `message.payload.len` is always the full payload
 * length and `message.payload.data` views the payload bytes that `ctx` holds (all of them when
 * `ctx` holds the whole packet). `ctx.cur` ends after those bytes. Bytes in `ctx` beyond the packet
 * are not read. Topic aliases are not resolved: that needs connection state.
 */
export function publish_decode(
  version: number,
  flags: number,
  var_length: number,
  ctx: buf_ctx,
): mqtt_publish_param | number {
  const qos = (flags & MQTT_HEADER_QOS_MASK) >> 1;
  if (qos === 3) return -EBADMSG;
  const start = ctx.cur;
  const pkt_end = start + var_length;
  const avail_end = ctx.end;
  // Fields past the remaining length are corrupt even if the buffer holds more bytes.
  if (pkt_end < avail_end) ctx.end = pkt_end;
  const result = publish_var_header_decode(version, qos as mqtt_qos, flags, ctx);
  const data_end = ctx.end;
  ctx.end = avail_end;
  if (typeof result === 'number') return result;
  const payload_start = ctx.cur;
  result.message.payload.len = pkt_end - payload_start;
  result.message.payload.data = ctx.buf.subarray(payload_start, data_end);
  ctx.cur = data_end;
  return result;
}

const EMPTY = new Uint8Array(0);

function publish_var_header_decode(
  version: number,
  qos: mqtt_qos,
  flags: number,
  ctx: buf_ctx,
): mqtt_publish_param | number {
  const b = ctx.buf;
  const cur = ctx.cur;
  if (ctx.end - cur < 2) return -EINVAL;
  const size = (b[cur] << 8) | b[cur + 1];
  const start = cur + 2;
  if (ctx.end - start < size) return -EINVAL;
  ctx.cur = start + size;
  const topic: mqtt_utf8 = { utf8: b.subarray(start, start + size), size };
  if (!topic_name_valid(topic)) return -EBADMSG;
  let message_id = 0;
  if (qos > 0) {
    message_id = unpack_message_id(ctx);
    if (message_id < 0) return message_id;
  }
  const param: mqtt_publish_param = {
    message: { topic: { topic, qos }, payload: { data: EMPTY, len: 0 } },
    message_id,
    dup_flag: (flags & MQTT_HEADER_DUP_MASK) !== 0,
    retain_flag: (flags & MQTT_HEADER_RETAIN_MASK) !== 0,
  };
  if (version === MQTT_VERSION_5_0) {
    const prop = properties_decode(PUBLISH_PROPS, ctx);
    if (typeof prop === 'number') return prop;
    param.prop = prop;
    // An empty topic is only allowed when a Topic Alias stands for it [MQTT-3.3.2-8].
    if (size === 0 && prop.topic_alias === undefined) return -EBADMSG;
  } else if (size === 0) {
    return -EBADMSG; // [MQTT-4.7.3-1]
  }
  return param;
}

/** PUBACK, PUBREC, PUBREL and PUBCOMP share one layout, with 5.0 short forms. */
function common_pub_ack_decode(version: number, ctx: buf_ctx): mqtt_puback_param | number {
  const message_id = unpack_message_id(ctx);
  if (message_id < 0) return message_id;
  if (version !== MQTT_VERSION_5_0) {
    const err = at_end(ctx);
    return err < 0 ? err : { message_id };
  }
  const remaining = ctx.end - ctx.cur;
  let reason_code = 0;
  let prop: mqtt_common_ack_properties = {};
  if (remaining > 0) reason_code = ctx.buf[ctx.cur++];
  if (remaining > 1) {
    const p = properties_decode(ACK_PROPS, ctx);
    if (typeof p === 'number') return p;
    prop = p;
  }
  const err = at_end(ctx);
  return err < 0 ? err : { message_id, reason_code, prop };
}

/** `publish_ack_decode` (PUBACK). */
export function publish_ack_decode(version: number, ctx: buf_ctx): mqtt_puback_param | number {
  return common_pub_ack_decode(version, ctx);
}

/** `publish_receive_decode` (PUBREC). */
export function publish_receive_decode(version: number, ctx: buf_ctx): mqtt_pubrec_param | number {
  return common_pub_ack_decode(version, ctx);
}

/** `publish_release_decode` (PUBREL). */
export function publish_release_decode(version: number, ctx: buf_ctx): mqtt_pubrel_param | number {
  return common_pub_ack_decode(version, ctx);
}

/** `publish_complete_decode` (PUBCOMP). */
export function publish_complete_decode(version: number, ctx: buf_ctx): mqtt_pubcomp_param | number {
  return common_pub_ack_decode(version, ctx);
}

/** `subscribe_ack_decode` (SUBACK): one return code per remaining byte. */
export function subscribe_ack_decode(version: number, ctx: buf_ctx): mqtt_suback_param | number {
  const message_id = unpack_message_id(ctx);
  if (message_id < 0) return message_id;
  let prop: mqtt_common_ack_properties | undefined;
  if (version === MQTT_VERSION_5_0) {
    const p = properties_decode(ACK_PROPS, ctx);
    if (typeof p === 'number') return p;
    prop = p;
  }
  const codes = unpack_raw_data(ctx, ctx.end - ctx.cur);
  if (typeof codes === 'number') return codes;
  if (prop !== undefined) return { message_id, return_codes: codes, prop };
  for (let i = 0; i < codes.len; i++) {
    const c = codes.data[i];
    if (c > 2 && c !== 0x80) return -EBADMSG;
  }
  return { message_id, return_codes: codes };
}

/**
 * `unsubscribe_ack_decode` (UNSUBACK). Zephyr's returns 0 when the packet identifier is missing;
 * this returns -EINVAL.
 */
export function unsubscribe_ack_decode(version: number, ctx: buf_ctx): mqtt_unsuback_param | number {
  const message_id = unpack_message_id(ctx);
  if (message_id < 0) return message_id;
  if (version !== MQTT_VERSION_5_0) {
    const err = at_end(ctx);
    return err < 0 ? err : { message_id };
  }
  const prop = properties_decode(ACK_PROPS, ctx);
  if (typeof prop === 'number') return prop;
  const codes = unpack_raw_data(ctx, ctx.end - ctx.cur);
  if (typeof codes === 'number') return codes;
  return { message_id, reason_codes: codes, prop };
}

/** DISCONNECT and AUTH: optional reason code, then optional properties. */
function reason_and_props_decode<T extends object>(
  s: prop_set<T>,
  ctx: buf_ctx,
): { reason_code: number; prop: T } | number {
  const remaining = ctx.end - ctx.cur;
  let reason_code = 0;
  let prop = {} as T;
  if (remaining > 0) reason_code = ctx.buf[ctx.cur++];
  if (remaining > 1) {
    const p = properties_decode(s, ctx);
    if (typeof p === 'number') return p;
    prop = p;
  }
  const err = at_end(ctx);
  return err < 0 ? err : { reason_code, prop };
}

/**
 * `disconnect_decode` (DISCONNECT). Zephyr's returns -ENOTSUP below 5.0; this one decodes the
 * (empty) 3.1.x packet too, as `{}`, so one decoder serves every version.
 */
export function disconnect_decode(version: number, ctx: buf_ctx): mqtt_disconnect_param | number {
  if (version !== MQTT_VERSION_5_0) {
    const err = at_end(ctx);
    return err < 0 ? err : {};
  }
  return reason_and_props_decode(DISCONNECT_PROPS, ctx);
}

/** `auth_decode` (AUTH). -ENOTSUP below 5.0, as in Zephyr. */
export function auth_decode(version: number, ctx: buf_ctx): mqtt_auth_param | number {
  if (version !== MQTT_VERSION_5_0) return -ENOTSUP;
  return reason_and_props_decode(AUTH_PROPS, ctx);
}
