/**
 * Constants and the buffer cursor shared by the MQTT encoder and decoder, as in Zephyr's
 * `subsys/net/lib/mqtt/mqtt_internal.h`.
 */

/** Minimum size of a fixed header: type byte plus one remaining-length byte. */
export const MQTT_FIXED_HEADER_MIN_SIZE = 2;
/** Maximum size of a fixed header: type byte plus a four-byte remaining length. */
export const MQTT_FIXED_HEADER_MAX_SIZE = 5;

/** MQTT control packet types, already shifted into the high nibble of the first byte. */
export const MQTT_PKT_TYPE_CONNECT = 0x10;
export const MQTT_PKT_TYPE_CONNACK = 0x20;
export const MQTT_PKT_TYPE_PUBLISH = 0x30;
export const MQTT_PKT_TYPE_PUBACK = 0x40;
export const MQTT_PKT_TYPE_PUBREC = 0x50;
export const MQTT_PKT_TYPE_PUBREL = 0x60;
export const MQTT_PKT_TYPE_PUBCOMP = 0x70;
export const MQTT_PKT_TYPE_SUBSCRIBE = 0x80;
export const MQTT_PKT_TYPE_SUBACK = 0x90;
export const MQTT_PKT_TYPE_UNSUBSCRIBE = 0xa0;
export const MQTT_PKT_TYPE_UNSUBACK = 0xb0;
export const MQTT_PKT_TYPE_PINGREQ = 0xc0;
export const MQTT_PKT_TYPE_PINGRSP = 0xd0;
export const MQTT_PKT_TYPE_DISCONNECT = 0xe0;
/** MQTT 5.0 only. */
export const MQTT_PKT_TYPE_AUTH = 0xf0;

/** Any of the `MQTT_PKT_TYPE_*` values. */
export type mqtt_pkt_type =
  | typeof MQTT_PKT_TYPE_CONNECT
  | typeof MQTT_PKT_TYPE_CONNACK
  | typeof MQTT_PKT_TYPE_PUBLISH
  | typeof MQTT_PKT_TYPE_PUBACK
  | typeof MQTT_PKT_TYPE_PUBREC
  | typeof MQTT_PKT_TYPE_PUBREL
  | typeof MQTT_PKT_TYPE_PUBCOMP
  | typeof MQTT_PKT_TYPE_SUBSCRIBE
  | typeof MQTT_PKT_TYPE_SUBACK
  | typeof MQTT_PKT_TYPE_UNSUBSCRIBE
  | typeof MQTT_PKT_TYPE_UNSUBACK
  | typeof MQTT_PKT_TYPE_PINGREQ
  | typeof MQTT_PKT_TYPE_PINGRSP
  | typeof MQTT_PKT_TYPE_DISCONNECT
  | typeof MQTT_PKT_TYPE_AUTH;

/** Fixed-header flag masks. */
export const MQTT_HEADER_DUP_MASK = 0x08;
export const MQTT_HEADER_QOS_MASK = 0x06;
export const MQTT_HEADER_RETAIN_MASK = 0x01;

/** CONNECT flag bits. */
export const MQTT_CONNECT_FLAG_RESERVED = 0x01;
export const MQTT_CONNECT_FLAG_CLEAN_SESSION = 0x02;
export const MQTT_CONNECT_FLAG_WILL_TOPIC = 0x04;
export const MQTT_CONNECT_FLAG_WILL_QOS_MASK = 0x18;
export const MQTT_CONNECT_FLAG_WILL_RETAIN = 0x20;
export const MQTT_CONNECT_FLAG_PASSWORD = 0x40;
export const MQTT_CONNECT_FLAG_USERNAME = 0x80;

export const MQTT_CONNACK_FLAG_SESSION_PRESENT = 0x01;

/** Largest remaining length a four-byte variable integer can carry. */
export const MQTT_MAX_PAYLOAD_SIZE = 0x0fffffff;

export const MQTT_MAX_LENGTH_BYTES = 4;
export const MQTT_LENGTH_VALUE_MASK = 0x7f;
export const MQTT_LENGTH_CONTINUATION_BIT = 0x80;
export const MQTT_LENGTH_SHIFT = 7;

/** Largest length of a two-byte-prefixed string or binary field. */
export const MQTT_MAX_STRING_LEN = 0xffff;

/** `MQTT_MESSAGES_OPTIONS`: the first byte of a packet from its type, DUP, QoS and RETAIN. */
export function MQTT_MESSAGES_OPTIONS(type: number, dup: number, qos: number, retain: number): number {
  return (type & 0xf0) | ((dup << 3) & 0x08) | ((qos << 1) & 0x06) | (retain & 0x01);
}

/**
 * Cursor over a byte buffer, Zephyr's `struct buf_ctx` with indices instead of pointers.
 *
 * Decoders read from `cur` up to (not including) `end` and advance `cur`. For packet decoders `end`
 * is the end of the packet (what the rx path has read), as in Zephyr.
 */
export interface buf_ctx {
  buf: Uint8Array;
  cur: number;
  end: number;
}

/** A cursor over `buf[cur, end)`. */
export function buf_ctx_init(buf: Uint8Array, cur = 0, end = buf.length): buf_ctx {
  return { buf, cur, end };
}

/** The two fields of a fixed header, filled by `fixed_header_decode`. */
export interface mqtt_fixed_header {
  /** First byte: packet type in the high nibble, flags in the low nibble. */
  type_and_flags: number;
  /** Remaining length: size of the variable header plus payload. */
  length: number;
}
