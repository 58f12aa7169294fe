/**
 * Decoding primitives and the fixed-header (framing) decoder.
 *
 * Error numbers follow Zephyr's `mqtt_decoder.c`: a field that runs past the end of the packet is
 * -EINVAL, a Variable Byte Integer longer than four bytes is -EINVAL, and a remaining length that
 * is not complete yet is -EAGAIN (the rx path reads more and retries). Content the packet may not
 * carry (bad UTF-8 here; bad flags, properties or values in the decoders) is -EBADMSG, the code
 * Zephyr uses for unsupported properties and bad topic aliases.
 *
 * Reads return the value (always >= 0) or a negative errno, so no result object is allocated.
 */

import { EAGAIN, EBADMSG, EINVAL } from '../../libc/errno.ts';
import type { buf_ctx, mqtt_fixed_header } from './mqtt_internal.ts';
import { MQTT_MAX_LENGTH_BYTES } from './mqtt_internal.ts';
import type { mqtt_binstr, mqtt_utf8 } from './mqtt_types.ts';
import { mqtt_utf8_valid } from './mqtt_utf8.ts';

export function unpack_uint8(ctx: buf_ctx): number {
  const cur = ctx.cur;
  if (cur >= ctx.end) return -EINVAL;
  ctx.cur = cur + 1;
  return ctx.buf[cur];
}

export function unpack_uint16(ctx: buf_ctx): number {
  const cur = ctx.cur;
  if (ctx.end - cur < 2) return -EINVAL;
  ctx.cur = cur + 2;
  const b = ctx.buf;
  return (b[cur] << 8) | b[cur + 1];
}

export function unpack_uint32(ctx: buf_ctx): number {
  const cur = ctx.cur;
  if (ctx.end - cur < 4) return -EINVAL;
  ctx.cur = cur + 4;
  const b = ctx.buf;
  return ((b[cur] << 24) | (b[cur + 1] << 16) | (b[cur + 2] << 8) | b[cur + 3]) >>> 0;
}

/**
 * `unpack_variable_int`: a Variable Byte Integer. Returns its value (Zephyr's returns the number of
 * bytes; `ctx.cur` tells that here), -EAGAIN if the bytes end before the last byte of the integer,
 * or -EINVAL if it would need a fifth byte. Non-minimal encodings are accepted, as in Zephyr.
 * `ctx.cur` only moves on success.
 */
export function unpack_variable_int(ctx: buf_ctx): number {
  const b = ctx.buf;
  const end = ctx.end;
  let cur = ctx.cur;
  let value = 0;
  let mul = 1;
  for (let n = 0; n < MQTT_MAX_LENGTH_BYTES; n++) {
    if (cur >= end) return -EAGAIN;
    const byte = b[cur++];
    value += (byte & 0x7f) * mul;
    if ((byte & 0x80) === 0) {
      ctx.cur = cur;
      return value;
    }
    mul *= 128;
  }
  return -EINVAL;
}

/**
 * A two-byte-length-prefixed UTF-8 string, as a view into the buffer. With `validate`, the
 * contents must pass `mqtt_utf8_valid` (-EBADMSG otherwise).
 */
export function unpack_utf8_str(ctx: buf_ctx, validate: boolean): mqtt_utf8 | number {
  const cur = ctx.cur;
  if (ctx.end - cur < 2) return -EINVAL;
  const b = ctx.buf;
  const size = (b[cur] << 8) | b[cur + 1];
  const start = cur + 2;
  if (ctx.end - start < size) return -EINVAL;
  if (validate && !mqtt_utf8_valid(b, start, start + size)) return -EBADMSG;
  ctx.cur = start + size;
  return { utf8: b.subarray(start, start + size), size };
}

/** A two-byte-length-prefixed binary string, as a view into the buffer. */
export function unpack_binary_data(ctx: buf_ctx): mqtt_binstr | number {
  const cur = ctx.cur;
  if (ctx.end - cur < 2) return -EINVAL;
  const b = ctx.buf;
  const len = (b[cur] << 8) | b[cur + 1];
  const start = cur + 2;
  if (ctx.end - start < len) return -EINVAL;
  ctx.cur = start + len;
  return { data: b.subarray(start, start + len), len };
}

/** `unpack_raw_data`: the next `len` bytes as a view. */
export function unpack_raw_data(ctx: buf_ctx, len: number): mqtt_binstr | number {
  const start = ctx.cur;
  if (ctx.end - start < len) return -EINVAL;
  ctx.cur = start + len;
  return { data: ctx.buf.subarray(start, start + len), len };
}

/**
 * `fixed_header_decode`: the packet type and flags byte and the remaining length.
 *
 * This is the framing step of the rx path: it returns -EAGAIN while `ctx` does not yet hold the
 * whole fixed header (read more and call again), -EINVAL if the remaining length needs more than
 * four bytes (the stream is corrupt), and 0 on success with `ctx.cur` at the variable header. On
 * failure `ctx.cur` does not move. It checks neither the flags nor that the rest of the packet is
 * there; `mqtt_packet_decode` does both.
 *
 * Zephyr returns -EINVAL for an empty buffer (its rx path always reads two bytes first); this
 * returns -EAGAIN, which is what "no bytes yet" means to a caller framing a stream.
 */
export function fixed_header_decode(ctx: buf_ctx, hdr: mqtt_fixed_header): number {
  const start = ctx.cur;
  if (start >= ctx.end) return -EAGAIN;
  ctx.cur = start + 1;
  const length = unpack_variable_int(ctx);
  if (length < 0) {
    ctx.cur = start;
    return length;
  }
  hdr.type_and_flags = ctx.buf[start];
  hdr.length = length;
  return 0;
}
