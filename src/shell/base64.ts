/**
 * Base64 as Zephyr's `sys/base64.h` does it (RFC 1521, mbed TLS's decoder): line breaks and
 * trailing spaces are skipped, anything else outside the alphabet is -EINVAL, at most two `=`
 * and only at the end; an incomplete last group of characters is dropped.
 */
import { EINVAL } from '../libc/errno.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `base64_encode`: padded base64 of `data`. */
export function base64Encode(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** `base64_decode`: the bytes, or -EINVAL for malformed input. */
export function base64Decode(src: string): Uint8Array | number {
  const vals: number[] = [];
  let pad = 0;
  for (let i = 0; i < src.length; i++) {
    // Spaces before a line end (or the end) are allowed; inside a line they are an error.
    let spaces = 0;
    while (i < src.length && src[i] === ' ') {
      i++;
      spaces++;
    }
    if (i === src.length) break;
    if (src[i] === '\r' && src[i + 1] === '\n') continue;
    if (src[i] === '\n') continue;
    if (spaces !== 0) return -EINVAL;
    const c = src[i]!;
    if (c === '=') {
      if (++pad > 2) return -EINVAL;
      vals.push(0);
      continue;
    }
    const v = ALPHABET.indexOf(c);
    if (v < 0 || pad !== 0) return -EINVAL;
    vals.push(v);
  }
  const out: number[] = [];
  for (let g = 0; g + 4 <= vals.length; g += 4) {
    const n = (vals[g]! << 18) | (vals[g + 1]! << 12) | (vals[g + 2]! << 6) | vals[g + 3]!;
    out.push((n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
  }
  // Padding stands for bytes that are not there.
  const whole = Math.floor(vals.length / 4) * 4;
  const drop = vals.length === whole ? pad : 0;
  return Uint8Array.from(out.slice(0, out.length - drop));
}
