/**
 * UTF-8 string helpers: building `mqtt_utf8` values and the well-formedness check MQTT requires of
 * every UTF-8 Encoded String a receiver accepts (3.1.1 section 1.5.3, 5.0 section 1.5.4).
 */

import type { mqtt_binstr, mqtt_utf8 } from './mqtt_types.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: false });

/** `MQTT_UTF8_LITERAL("...")`: an `mqtt_utf8` holding the UTF-8 bytes of `s`. Allocates. */
export function MQTT_UTF8_LITERAL(s: string): mqtt_utf8 {
  const utf8 = encoder.encode(s);
  return { utf8, size: utf8.length };
}

/** An `mqtt_binstr` over `data` (not copied). */
export function MQTT_BINSTR(data: Uint8Array): mqtt_binstr {
  return { data, len: data.length };
}

/** The JS string an `mqtt_utf8` holds; malformed sequences become U+FFFD. Allocates. */
export function mqtt_utf8_to_string(s: mqtt_utf8): string {
  return decoder.decode(s.size === s.utf8.length ? s.utf8 : s.utf8.subarray(0, s.size));
}

/**
 * Whether `b[start, end)` is well-formed UTF-8 that MQTT accepts: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, and no U+0000 [MQTT-1.5.3-1, -2].
 * Control characters and non-characters are only "SHOULD NOT" in the spec and pass.
 */
export function mqtt_utf8_valid(b: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      if (c === 0) return false;
      i++;
      continue;
    }
    if (c < 0xc2) return false; // stray continuation byte or overlong 2-byte form
    if (c < 0xe0) {
      if (i + 1 >= end || (b[i + 1] & 0xc0) !== 0x80) return false;
      i += 2;
      continue;
    }
    if (c < 0xf0) {
      if (i + 2 >= end) return false;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2] & 0xc0) !== 0x80) return false;
      if (c === 0xe0 && c1 < 0xa0) return false; // overlong
      if (c === 0xed && c1 >= 0xa0) return false; // UTF-16 surrogate
      i += 3;
      continue;
    }
    if (c < 0xf5) {
      if (i + 3 >= end) return false;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80 || (b[i + 2] & 0xc0) !== 0x80 || (b[i + 3] & 0xc0) !== 0x80) return false;
      if (c === 0xf0 && c1 < 0x90) return false; // overlong
      if (c === 0xf4 && c1 >= 0x90) return false; // above U+10FFFF
      i += 4;
      continue;
    }
    return false;
  }
  return true;
}
