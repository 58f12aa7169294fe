/**
 * Encoding primitives.
 *
 * Unlike Zephyr's `pack_*`, these do not bounds-check each field: every encoder first computes the
 * exact packet size (it needs it for the remaining length anyway), checks once that it fits, and
 * then writes without further checks.
 */

import { EINVAL, EMSGSIZE, ENOMEM } from '../../libc/errno.ts';
import type { mqtt_binstr, mqtt_utf8 } from './mqtt_types.ts';
import { MQTT_MAX_PAYLOAD_SIZE, MQTT_MAX_STRING_LEN } from './mqtt_internal.ts';

/** Size of `v` as a Variable Byte Integer (1 to 4 bytes); `v` must be in range. */
export function variable_int_size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : 4;
}

/** Whether `v` is an integer in `[min, max]`. */
export function int_in_range(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Encoded size (length prefix included) of `s`, or -1 if `size` is not a valid length for `utf8`. */
export function utf8_str_size(s: mqtt_utf8): number {
  const n = s.size;
  return int_in_range(n, 0, MQTT_MAX_STRING_LEN) && n <= s.utf8.length ? n + 2 : -1;
}

/** Encoded size (length prefix included) of `s`, or -1 if `len` is not a valid length for `data`. */
export function bin_data_size(s: mqtt_binstr): number {
  const n = s.len;
  return int_in_range(n, 0, MQTT_MAX_STRING_LEN) && n <= s.data.length ? n + 2 : -1;
}

/** Whether `v` fits a remaining length / Variable Byte Integer. */
export function variable_int_ok(v: number): boolean {
  return v <= MQTT_MAX_PAYLOAD_SIZE;
}

export function pack_uint8(b: Uint8Array, pos: number, v: number): number {
  b[pos] = v;
  return pos + 1;
}

export function pack_uint16(b: Uint8Array, pos: number, v: number): number {
  b[pos] = v >>> 8;
  b[pos + 1] = v;
  return pos + 2;
}

export function pack_uint32(b: Uint8Array, pos: number, v: number): number {
  b[pos] = v >>> 24;
  b[pos + 1] = v >>> 16;
  b[pos + 2] = v >>> 8;
  b[pos + 3] = v;
  return pos + 4;
}

export function pack_variable_int(b: Uint8Array, pos: number, v: number): number {
  while (v >= 0x80) {
    b[pos++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  b[pos] = v;
  return pos + 1;
}

/** Copies `src[0, len)` to `b[pos]`. */
export function pack_bytes(b: Uint8Array, pos: number, src: Uint8Array, len: number): number {
  // For the short strings that dominate MQTT (topics, ids), a loop beats creating a subarray view.
  if (len <= 32) {
    for (let i = 0; i < len; i++) b[pos + i] = src[i];
  } else {
    b.set(len === src.length ? src : src.subarray(0, len), pos);
  }
  return pos + len;
}

export function pack_utf8_str(b: Uint8Array, pos: number, s: mqtt_utf8): number {
  return pack_bytes(b, pack_uint16(b, pos, s.size), s.utf8, s.size);
}

export function pack_bin_data(b: Uint8Array, pos: number, s: mqtt_binstr): number {
  return pack_bytes(b, pack_uint16(b, pos, s.len), s.data, s.len);
}

/** Size of a 5.0 properties block (length prefix included) for a content length of `len`. */
export function props_block_size(len: number): number {
  return variable_int_size(len) + len;
}

/** Whether `id` is a usable packet identifier: non-zero [MQTT-2.3.1-1] and 16 bits. */
export function message_id_ok(id: number): boolean {
  return int_in_range(id, 1, 0xffff);
}

/**
 * Checks that a packet with remaining length `rl`, of which `body` bytes are written now, fits at
 * `buf[offset]`, and writes its fixed header. Returns the position after the header, or -EMSGSIZE,
 * -EINVAL (bad offset) or -ENOMEM.
 */
export function pack_fixed_header(buf: Uint8Array, offset: number, type_byte: number, rl: number, body: number): number {
  if (rl > MQTT_MAX_PAYLOAD_SIZE) return -EMSGSIZE;
  if (!int_in_range(offset, 0, buf.length)) return -EINVAL;
  if (buf.length - offset < 1 + variable_int_size(rl) + body) return -ENOMEM;
  buf[offset] = type_byte;
  return pack_variable_int(buf, offset + 1, rl);
}
