/**
 * Whole-packet encode and decode: a tagged union of every packet and one dispatcher each way, for
 * code that handles packets generically (a broker, the rx path, tests). The per-packet functions
 * of `mqtt_encoder*.ts` and `mqtt_decoder*.ts` remain the Zephyr-shaped API.
 */

import { EAGAIN, EBADMSG, EINVAL, ENOMEM } from '../../libc/errno.ts';
import {
  connect_ack_decode,
  auth_decode,
  disconnect_decode,
  publish_ack_decode,
  publish_complete_decode,
  publish_decode,
  publish_receive_decode,
  publish_release_decode,
  subscribe_ack_decode,
  unsubscribe_ack_decode,
} from './mqtt_decoder.ts';
import { connect_request_decode, subscribe_decode, unsubscribe_decode } from './mqtt_decoder_server.ts';
import {
  auth_encode,
  connect_request_encode,
  disconnect_encode,
  ping_request_encode,
  publish_ack_encode,
  publish_complete_encode,
  publish_encode,
  publish_receive_encode,
  publish_release_encode,
  subscribe_encode,
  unsubscribe_encode,
} from './mqtt_encoder.ts';
import {
  connect_ack_encode,
  ping_response_encode,
  subscribe_ack_encode,
  unsubscribe_ack_encode,
} from './mqtt_encoder_server.ts';
import type { buf_ctx, mqtt_fixed_header } from './mqtt_internal.ts';
import {
  MQTT_HEADER_QOS_MASK,
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
} from './mqtt_internal.ts';
import { int_in_range, pack_bytes } from './mqtt_pack.ts';
import { MQTT_VERSION_5_0 } from './mqtt_reason_codes.ts';
import type {
  mqtt_auth_param,
  mqtt_connack_param,
  mqtt_connect_param,
  mqtt_disconnect_param,
  mqtt_puback_param,
  mqtt_publish_param,
  mqtt_suback_param,
  mqtt_subscription_list,
  mqtt_unsuback_param,
} from './mqtt_types.ts';
import { fixed_header_decode } from './mqtt_unpack.ts';

/** Any MQTT packet, tagged with its `MQTT_PKT_TYPE_*`. */
export type mqtt_packet =
  | { type: typeof MQTT_PKT_TYPE_CONNECT; param: mqtt_connect_param }
  | { type: typeof MQTT_PKT_TYPE_CONNACK; param: mqtt_connack_param }
  | { type: typeof MQTT_PKT_TYPE_PUBLISH; param: mqtt_publish_param }
  | { type: typeof MQTT_PKT_TYPE_PUBACK; param: mqtt_puback_param }
  | { type: typeof MQTT_PKT_TYPE_PUBREC; param: mqtt_puback_param }
  | { type: typeof MQTT_PKT_TYPE_PUBREL; param: mqtt_puback_param }
  | { type: typeof MQTT_PKT_TYPE_PUBCOMP; param: mqtt_puback_param }
  | { type: typeof MQTT_PKT_TYPE_SUBSCRIBE; param: mqtt_subscription_list }
  | { type: typeof MQTT_PKT_TYPE_SUBACK; param: mqtt_suback_param }
  | { type: typeof MQTT_PKT_TYPE_UNSUBSCRIBE; param: mqtt_subscription_list }
  | { type: typeof MQTT_PKT_TYPE_UNSUBACK; param: mqtt_unsuback_param }
  | { type: typeof MQTT_PKT_TYPE_PINGREQ }
  | { type: typeof MQTT_PKT_TYPE_PINGRSP }
  | { type: typeof MQTT_PKT_TYPE_DISCONNECT; param: mqtt_disconnect_param }
  | { type: typeof MQTT_PKT_TYPE_AUTH; param: mqtt_auth_param };

/** A decoded packet and the number of bytes it took, fixed header included. */
export type mqtt_decoded_packet = mqtt_packet & { size: number };

/**
 * Checks the fixed-header flags of `type_and_flags` for `version` [MQTT-2.2.2-2]: -EBADMSG for the
 * reserved type 0, AUTH below 5.0, a PUBLISH with QoS 3, or flags other than the fixed ones
 * (0b0010 for PUBREL, SUBSCRIBE and UNSUBSCRIBE, 0 for the rest). Zephyr's rx path does not check.
 */
export function mqtt_fixed_header_check(version: number, type_and_flags: number): number {
  const flags = type_and_flags & 0x0f;
  switch (type_and_flags & 0xf0) {
    case 0:
      return -EBADMSG;
    case MQTT_PKT_TYPE_PUBLISH:
      return (flags & MQTT_HEADER_QOS_MASK) === MQTT_HEADER_QOS_MASK ? -EBADMSG : 0;
    case MQTT_PKT_TYPE_PUBREL:
    case MQTT_PKT_TYPE_SUBSCRIBE:
    case MQTT_PKT_TYPE_UNSUBSCRIBE:
      return flags === 0x02 ? 0 : -EBADMSG;
    case MQTT_PKT_TYPE_AUTH:
      return version === MQTT_VERSION_5_0 && flags === 0 ? 0 : -EBADMSG;
    default:
      return flags === 0 ? 0 : -EBADMSG;
  }
}

function decode_body(version: number, type_and_flags: number, length: number, ctx: buf_ctx): mqtt_packet | number {
  const type = type_and_flags & 0xf0;
  let param;
  switch (type) {
    case MQTT_PKT_TYPE_CONNECT:
      param = connect_request_decode(ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_CONNACK:
      param = connect_ack_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_PUBLISH:
      param = publish_decode(version, type_and_flags, length, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_PUBACK:
      param = publish_ack_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_PUBREC:
      param = publish_receive_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_PUBREL:
      param = publish_release_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_PUBCOMP:
      param = publish_complete_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_SUBSCRIBE:
      param = subscribe_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_SUBACK:
      param = subscribe_ack_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_UNSUBSCRIBE:
      param = unsubscribe_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_UNSUBACK:
      param = unsubscribe_ack_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    case MQTT_PKT_TYPE_PINGREQ:
    case MQTT_PKT_TYPE_PINGRSP:
      return length === 0 ? { type } : -EBADMSG;
    case MQTT_PKT_TYPE_DISCONNECT:
      param = disconnect_decode(version, ctx);
      return typeof param === 'number' ? param : { type, param };
    default:
      param = auth_decode(version, ctx);
      return typeof param === 'number' ? param : { type: MQTT_PKT_TYPE_AUTH, param };
  }
}

/**
 * Decodes the packet at `data[offset]`, reading no further than `end`.
 *
 * Returns the packet with its `size`, or: -EAGAIN if `data[offset, end)` holds only part of a
 * packet whose header is valid so far (read more and call again); -EINVAL for a remaining length
 * longer than four bytes or a field running past the packet; -EBADMSG for bad fixed-header flags
 * (checked as soon as the first byte is there) or any malformed content; -EPROTONOSUPPORT for a
 * CONNECT of an unknown protocol. CONNECT ignores `version` (the packet says which it is).
 * Byte strings in the result are views into `data`. Never throws.
 */
export function mqtt_packet_decode(
  version: number,
  data: Uint8Array,
  offset = 0,
  end = data.length,
): mqtt_decoded_packet | number {
  if (!int_in_range(offset, 0, data.length) || !int_in_range(end, offset, data.length)) return -EINVAL;
  if (offset === end) return -EAGAIN;
  const check = mqtt_fixed_header_check(version, data[offset]);
  if (check < 0) return check;
  const ctx: buf_ctx = { buf: data, cur: offset, end };
  const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
  const err = fixed_header_decode(ctx, hdr);
  if (err < 0) return err;
  if (end - ctx.cur < hdr.length) return -EAGAIN;
  ctx.end = ctx.cur + hdr.length;
  const pkt = decode_body(version, hdr.type_and_flags, hdr.length, ctx);
  if (typeof pkt === 'number') return pkt;
  const decoded = pkt as mqtt_decoded_packet;
  decoded.size = ctx.end - offset;
  return decoded;
}

/**
 * Encodes any packet at `buf[offset]` and returns its size, or a negative errno from the
 * per-packet encoder. Unlike `publish_encode`, a PUBLISH here includes its payload (copied from
 * `message.payload.data`, which must hold `payload.len` bytes, else -EINVAL), and the whole packet
 * must fit (-ENOMEM).
 */
export function mqtt_packet_encode(version: number, pkt: mqtt_packet, buf: Uint8Array, offset = 0): number {
  switch (pkt.type) {
    case MQTT_PKT_TYPE_CONNECT:
      return connect_request_encode(pkt.param, buf, offset);
    case MQTT_PKT_TYPE_CONNACK:
      return connect_ack_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_PUBLISH: {
      const payload = pkt.param.message.payload;
      if (!int_in_range(payload.len, 0, payload.data.length)) return -EINVAL;
      if (!int_in_range(offset, 0, buf.length)) return -EINVAL;
      if (buf.length - offset < payload.len) return -ENOMEM;
      // Encoding the header into the space the payload leaves means nothing is written on -ENOMEM.
      const head = payload.len === 0 ? buf : buf.subarray(0, buf.length - payload.len);
      const n = publish_encode(version, pkt.param, head, offset);
      if (n < 0) return n;
      pack_bytes(buf, offset + n, payload.data, payload.len);
      return n + payload.len;
    }
    case MQTT_PKT_TYPE_PUBACK:
      return publish_ack_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_PUBREC:
      return publish_receive_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_PUBREL:
      return publish_release_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_PUBCOMP:
      return publish_complete_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_SUBSCRIBE:
      return subscribe_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_SUBACK:
      return subscribe_ack_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_UNSUBSCRIBE:
      return unsubscribe_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_UNSUBACK:
      return unsubscribe_ack_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_PINGREQ:
      return ping_request_encode(buf, offset);
    case MQTT_PKT_TYPE_PINGRSP:
      return ping_response_encode(buf, offset);
    case MQTT_PKT_TYPE_DISCONNECT:
      return disconnect_encode(version, pkt.param, buf, offset);
    case MQTT_PKT_TYPE_AUTH:
      return auth_encode(version, pkt.param, buf, offset);
    default:
      return -EINVAL;
  }
}
