/**
 * A TCP send buffer: bytes written but not yet acknowledged, as a list of immutable chunks.
 * `write` copies once into a chunk; segments are views of chunks (copied only when a segment
 * spans two), and receivers may keep them since chunks are never modified.
 */
export class SendQueue {
  private chunks: Uint8Array[] = [];
  /** Index of the first live chunk in `chunks`. */
  private head = 0;
  /** Bytes of the first live chunk already acknowledged. */
  private headOff = 0;
  private len = 0;

  /** Bytes held. */
  get length(): number {
    return this.len;
  }

  /** Appends a copy of `data`. */
  push(data: Uint8Array): void {
    if (data.length === 0) return;
    this.chunks.push(data.slice());
    this.len += data.length;
  }

  /** Removes `n` bytes from the front (they were acknowledged). */
  drop(n: number): void {
    if (n > this.len) n = this.len;
    this.len -= n;
    while (n > 0) {
      const c = this.chunks[this.head]!;
      const left = c.length - this.headOff;
      if (n < left) {
        this.headOff += n;
        return;
      }
      n -= left;
      this.head++;
      this.headOff = 0;
    }
    if (this.head > 64 && this.head * 2 > this.chunks.length) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }

  /** The `n` bytes starting `off` bytes after the front (a view when they lie in one chunk). */
  view(off: number, n: number): Uint8Array {
    let i = this.head;
    let pos = off + this.headOff;
    for (;;) {
      const c = this.chunks[i]!;
      if (pos < c.length) break;
      pos -= c.length;
      i++;
    }
    const first = this.chunks[i]!;
    if (pos + n <= first.length) return first.subarray(pos, pos + n);
    const out = new Uint8Array(n);
    let done = 0;
    while (done < n) {
      const c = this.chunks[i++]!;
      const take = Math.min(c.length - pos, n - done);
      out.set(c.subarray(pos, pos + take), done);
      done += take;
      pos = 0;
    }
    return out;
  }
}
