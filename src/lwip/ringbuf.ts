/**
 * The MQTT client's output ring buffer (`struct mqtt_ringbuf_t` and the `mqtt_ringbuf_*` helpers
 * of lwIP's `mqtt.c`): outgoing packets are appended whole, and the tcpip thread sends from the
 * read side as the socket accepts bytes.
 *
 * lwIP derives the length from `put - get` alone, so a ring filled to exactly its size reads as
 * empty; this one counts its bytes, so it can hold `size` bytes.
 */
export class mqtt_ringbuf_t {
  readonly buf: Uint8Array;
  /** Write index. */
  put = 0;
  /** Read index. */
  get = 0;
  private used = 0;

  constructor(readonly size: number) {
    this.buf = new Uint8Array(size);
  }

  /** `mqtt_ringbuf_len`: bytes waiting to be sent. */
  len(): number {
    return this.used;
  }

  /** `mqtt_ringbuf_free`: bytes that can still be appended. */
  free(): number {
    return this.size - this.used;
  }

  /** Appends `data` (the caller checked `free()`); false, appending nothing, when it does not fit. */
  append(data: Uint8Array): boolean {
    if (data.length > this.free()) return false;
    const first = Math.min(data.length, this.size - this.put);
    this.buf.set(data.subarray(0, first), this.put);
    if (first < data.length) this.buf.set(data.subarray(first), 0);
    this.put = (this.put + data.length) % this.size;
    this.used += data.length;
    return true;
  }

  /**
   * `mqtt_ringbuf_get_ptr` + `mqtt_ringbuf_linear_read_length`: a view of the bytes that can be
   * read without wrapping around.
   */
  linear(): Uint8Array {
    const n = Math.min(this.used, this.size - this.get);
    return this.buf.subarray(this.get, this.get + n);
  }

  /** `mqtt_ringbuf_advance_get_idx`: drops `n` sent bytes. */
  advance(n: number): void {
    const k = Math.min(n, this.used);
    this.get = (this.get + k) % this.size;
    this.used -= k;
  }

  /** Takes every waiting byte out, in order (for a connection that is being closed). */
  drain(): Uint8Array {
    const out = new Uint8Array(this.used);
    let o = 0;
    while (this.used > 0) {
      const part = this.linear();
      out.set(part, o);
      o += part.length;
      this.advance(part.length);
    }
    return out;
  }

  /** Empties the ring (a new connection starts from nothing). */
  reset(): void {
    this.put = this.get = this.used = 0;
  }
}
