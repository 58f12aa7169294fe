/**
 * The wire tap's reader of MQTT over WebSocket (RFC 6455): one direction of a connection, from
 * its first byte. It skips the HTTP upgrade (the client's request or the server's response, up
 * to the blank line), then takes frames apart and hands on the payload of data frames (binary,
 * text, continuation): the MQTT byte stream. Client frames are masked, server frames are not;
 * the mask bit of each frame says which. Control frames (close, ping, pong) carry no MQTT.
 *
 * Any split is fine: a frame header or the end of the HTTP head across segments, several frames
 * in one segment. Payload is handed on as it arrives, not held until its frame is complete.
 */

/** End of the HTTP head. */
const CRLFCRLF = [13, 10, 13, 10] as const;

/** Frame header: 2 bytes, 2 or 8 of extended length (126, 127), 4 of mask key when masked. */
const MAX_HEADER = 14;

export class WsDeframer {
  /** Bytes of CRLFCRLF matched so far; 4 once the HTTP head is over. */
  private httpEnd = 0;
  private readonly hdr = new Uint8Array(MAX_HEADER);
  private have = 0;
  /** Payload bytes of the current frame still to come (0: a header comes next). */
  private remaining = 0;
  /** Whether the current frame's payload is MQTT (a data frame). */
  private data = false;
  private masked = false;
  private readonly mask = new Uint8Array(4);
  /** Position in the mask of the next payload byte. */
  private maskAt = 0;

  /**
   * `onPayload` receives MQTT bytes (a view or a copy it may keep only for the call);
   * `http` false starts at the frames (no upgrade to skip).
   */
  constructor(
    private readonly onPayload: (bytes: Uint8Array) => void,
    http = true,
  ) {
    if (!http) this.httpEnd = 4;
  }

  feed(d: Uint8Array): void {
    let pos = 0;
    while (this.httpEnd < 4 && pos < d.length) {
      const b = d[pos++]!;
      this.httpEnd = b === CRLFCRLF[this.httpEnd] ? this.httpEnd + 1 : b === 13 ? 1 : 0;
    }
    while (pos < d.length) {
      if (this.remaining === 0) {
        pos = this.header(d, pos);
        continue;
      }
      const n = Math.min(this.remaining, d.length - pos);
      if (this.data) this.onPayload(this.masked ? this.unmask(d, pos, n) : d.subarray(pos, pos + n));
      this.remaining -= n;
      pos += n;
    }
  }

  /** Takes header bytes from `d` at `pos`; returns where it stopped. */
  private header(d: Uint8Array, pos: number): number {
    const h = this.hdr;
    while (pos < d.length) {
      h[this.have++] = d[pos++]!;
      const need = this.have >= 2 ? headerLength(h[1]!) : 2;
      if (this.have < need) continue;
      this.have = 0;
      const len7 = h[1]! & 0x7f;
      let at = 2;
      let len = len7;
      if (len7 === 126) {
        len = (h[2]! << 8) | h[3]!;
        at = 4;
      } else if (len7 === 127) {
        // 64 bits; lengths beyond 2^53 do not occur.
        const hi = ((h[2]! << 24) | (h[3]! << 16) | (h[4]! << 8) | h[5]!) >>> 0;
        const lo = ((h[6]! << 24) | (h[7]! << 16) | (h[8]! << 8) | h[9]!) >>> 0;
        len = hi * 2 ** 32 + lo;
        at = 10;
      }
      this.masked = (h[1]! & 0x80) !== 0;
      if (this.masked) {
        this.mask.set(h.subarray(at, at + 4));
        this.maskAt = 0;
      }
      // Opcodes 0 (continuation), 1 (text), 2 (binary) carry data; 8 and up are control frames.
      this.data = (h[0]! & 0x0f) < 8;
      this.remaining = len;
      return pos;
    }
    return pos;
  }

  private unmask(d: Uint8Array, pos: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    const m = this.mask;
    let k = this.maskAt;
    for (let i = 0; i < n; i++) {
      out[i] = d[pos + i]! ^ m[k]!;
      k = (k + 1) & 3;
    }
    this.maskAt = k;
    return out;
  }
}

/** Header length from its second byte (mask bit and 7-bit length). */
function headerLength(b1: number): number {
  const len7 = b1 & 0x7f;
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + ((b1 & 0x80) !== 0 ? 4 : 0);
}
