/**
 * The incoming byte stream cut into messages the way lwIP's `mqtt_parse_incoming` does: each
 * message goes through one receive buffer of `MQTT_VAR_HEADER_BUFFER_LEN` bytes, and a message
 * that does not fit is handed on in pieces, each time the buffer is full, then for the rest.
 *
 * The buffer holds the fixed header, then (first piece) the variable header and the start of the
 * payload, or (later pieces) the next payload bytes. Where the pieces are cut depends only on the
 * buffer size, never on how the bytes arrived from the network. The fixed header is decoded with
 * zsim's codec.
 */
import { EAGAIN } from '../libc/errno.ts';
import { buf_ctx_init, fixed_header_decode, type mqtt_fixed_header } from '../net/mqtt/index.ts';
import { MQTT_CONNECT_ACCEPTED, MQTT_CONNECT_DISCONNECTED, type mqtt_connection_status_t } from './mqtt_defs.ts';

/**
 * One piece of a message in the receive buffer: `buf[0, hdr_len)` is the fixed header,
 * `buf[hdr_len, hdr_len + length)` the bytes of this piece, `remaining` the bytes of the message
 * still to come (0 for the last piece), `first` whether this is the first piece. Returns
 * `MQTT_CONNECT_ACCEPTED` to go on, anything else to stop with that status.
 */
export type mqtt_message_handler = (
  buf: Uint8Array,
  hdr: mqtt_fixed_header,
  hdr_len: number,
  length: number,
  remaining: number,
  first: boolean,
) => mqtt_connection_status_t;

export class mqtt_rx_framer {
  private hdr_len = 0;
  private hdr: mqtt_fixed_header | null = null;
  /** Bytes of the current message not yet received. */
  private msg_rem = 0;
  /** Write position in the buffer. */
  private fill = 0;
  private first = true;

  /** @param buf the receive buffer (`rx_buffer[MQTT_VAR_HEADER_BUFFER_LEN]`). */
  constructor(readonly buf: Uint8Array) {}

  /** Forgets any partial message (a new connection). */
  reset(): void {
    this.hdr_len = 0;
    this.hdr = null;
    this.msg_rem = 0;
    this.fill = 0;
    this.first = true;
  }

  /**
   * Feeds received bytes. Calls `handler` for each complete message or full buffer; stops at the
   * first status other than `MQTT_CONNECT_ACCEPTED` and returns it, or when `alive()` turns false
   * (a callback closed or reconnected the client) and returns `MQTT_CONNECT_ACCEPTED`.
   */
  input(data: Uint8Array, handler: mqtt_message_handler, alive: () => boolean): mqtt_connection_status_t {
    let off = 0;
    while (off < data.length) {
      if (this.hdr === null) {
        // A fixed header is 2 to 5 bytes; keep them at the start of the buffer, as lwIP does.
        if (this.hdr_len >= this.buf.length) return MQTT_CONNECT_DISCONNECTED;
        this.buf[this.hdr_len++] = data[off++]!;
        if (this.hdr_len < 2) continue;
        const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
        const rc = fixed_header_decode(buf_ctx_init(this.buf, 0, this.hdr_len), hdr);
        if (rc === -EAGAIN) continue;
        if (rc < 0) return MQTT_CONNECT_DISCONNECTED;
        this.hdr = hdr;
        this.msg_rem = hdr.length;
        this.fill = this.hdr_len;
        this.first = true;
        if (hdr.length === 0) {
          const res = handler(this.buf, hdr, this.hdr_len, 0, 0, true);
          if (res !== MQTT_CONNECT_ACCEPTED) return res;
          this.reset();
          if (!alive()) return MQTT_CONNECT_ACCEPTED;
        }
        continue;
      }
      const space = this.buf.length - this.fill;
      if (space <= 0) return MQTT_CONNECT_DISCONNECTED;
      const n = Math.min(data.length - off, this.msg_rem, space);
      this.buf.set(data.subarray(off, off + n), this.fill);
      this.fill += n;
      off += n;
      this.msg_rem -= n;
      if (this.msg_rem === 0 || this.fill === this.buf.length) {
        const res = handler(this.buf, this.hdr, this.hdr_len, this.fill - this.hdr_len, this.msg_rem, this.first);
        if (res !== MQTT_CONNECT_ACCEPTED) return res;
        if (!alive()) return MQTT_CONNECT_ACCEPTED;
        this.first = false;
        if (this.msg_rem === 0) this.reset();
        else this.fill = this.hdr_len;
      }
    }
    return MQTT_CONNECT_ACCEPTED;
  }
}
