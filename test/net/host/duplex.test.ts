import { describe, expect, it } from 'vitest';
import { Duplex } from 'node:stream';
import { streamFromDuplex, zephyrErrno, zephyrDnsErrno } from '../../../src/net/host/index.ts';
import * as E from '../../../src/libc/errno.ts';
import { fakeSim, Recorder, until } from './helpers.ts';

/** A duplex whose writes complete only when the test says so. */
class ManualDuplex extends Duplex {
  readonly written: Buffer[] = [];
  private readonly callbacks: Array<(err?: Error | null) => void> = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.written.push(chunk);
    this.callbacks.push(cb);
  }
  override _read(): void {}
  /** The "kernel" takes the oldest chunk in flight. */
  complete(): void {
    this.callbacks.shift()?.();
  }
}

const L = { family: 4 as const, addr: '10.0.0.1', port: 1000 };
const R = { family: 4 as const, addr: '10.0.0.2', port: 2000 };

describe('streamFromDuplex', () => {
  it('applies the send budget with partial counts and signals onWritable when a write completes', async () => {
    const d = new ManualDuplex();
    const rec = new Recorder();
    const c = streamFromDuplex(d, L, R, { sendBuffer: 100, events: rec });
    expect(c.local).toEqual(L);
    expect(c.remote).toEqual(R);
    const buf = new Uint8Array(60).fill(7);
    expect(c.write(buf)).toBe(60);
    expect(c.writable()).toBe(40);
    expect(c.write(buf)).toBe(40); // partial
    expect(c.write(buf)).toBe(0); // full
    expect(c.pending()).toBe(100);
    buf.fill(9); // the caller reuses its buffer: what was taken must not change
    expect(d.written).toHaveLength(0); // gathered until the writer yields
    await new Promise((r) => process.nextTick(r));
    // The writes of one turn reach the duplex as one write, in order.
    expect(d.written).toHaveLength(1);
    expect(d.written[0]!.length).toBe(100);
    expect(d.written[0]![0]).toBe(7);
    expect(c.pending()).toBe(100);
    expect(rec.writables).toBe(0);
    d.complete();
    await until(() => rec.writables === 1, 'onWritable');
    expect(c.writable()).toBe(100);
    expect(c.write(buf)).toBe(60);
    await new Promise((r) => process.nextTick(r));
    d.complete();
    await new Promise((r) => setImmediate(r));
    expect(rec.writables).toBe(1); // only after a short write
    expect(c.pending()).toBe(0);
  });

  it('delivers data as plain Uint8Arrays, then FIN', async () => {
    const d = new ManualDuplex();
    const rec = new Recorder();
    streamFromDuplex(d, L, R).setEvents(rec);
    d.push(Buffer.from('abc'));
    d.push(null);
    await until(() => rec.ended === 1, 'end');
    expect(rec.text()).toBe('abc');
    expect(Buffer.isBuffer(rec.chunks[0])).toBe(false);
  });

  it('reports onConnect on the connect event given, and holds a host-I/O token until then', async () => {
    const fs = fakeSim();
    const d = new ManualDuplex();
    const rec = new Recorder();
    const c = streamFromDuplex(d, L, R, {
      events: rec,
      connectEvent: 'secureConnect',
      beginHostIo: () => fs.sim.beginHostIo(),
    });
    expect(fs.pending()).toBe(1);
    d.emit('secureConnect');
    expect(rec.connected).toBe(1);
    expect(fs.pending()).toBe(1); // still reading
    c.setReceiveWindow!(0);
    expect(fs.pending()).toBe(0); // paused: nothing can arrive for the board
    c.setReceiveWindow!(4096);
    expect(fs.pending()).toBe(1);
    d.push(null);
    await until(() => rec.ended === 1, 'end');
    expect(fs.pending()).toBe(0);
  });

  it('maps TLS failures to -ECONNABORTED and reports a close without FIN as -ECONNRESET', async () => {
    const d1 = new ManualDuplex();
    const r1 = new Recorder();
    streamFromDuplex(d1, L, R, { events: r1 });
    d1.destroy(Object.assign(new Error('bad cert'), { code: 'ERR_TLS_CERT_ALTNAME_INVALID' }));
    await until(() => r1.errors.length === 1, 'error');
    expect(r1.errors).toEqual([-E.ECONNABORTED]);

    const d2 = new ManualDuplex();
    const r2 = new Recorder();
    const c2 = streamFromDuplex(d2, L, R, { events: r2 });
    d2.destroy();
    await until(() => r2.errors.length === 1, 'close');
    expect(r2.errors).toEqual([-E.ECONNRESET]);
    expect(c2.write(new Uint8Array(1))).toBe(-E.ECONNRESET);
  });

  it('destroy() on a non-socket duplex destroys it and stays silent', async () => {
    const d = new ManualDuplex();
    const rec = new Recorder();
    const c = streamFromDuplex(d, L, R, { events: rec });
    c.destroy();
    expect(d.destroyed).toBe(true);
    await new Promise((r) => setImmediate(r));
    expect(rec.errors).toEqual([]);
    expect(c.write(new Uint8Array(1))).toBe(-E.EPIPE);
  });
});

describe('errno mapping', () => {
  it('maps Node codes to Zephyr values, whatever the host OS numbers are', () => {
    const err = (code: string): Error => Object.assign(new Error(code), { code, errno: -111 });
    expect(zephyrErrno(err('ECONNREFUSED'))).toBe(-61);
    expect(zephyrErrno(err('ECONNRESET'))).toBe(-54);
    expect(zephyrErrno(err('ETIMEDOUT'))).toBe(-60);
    expect(zephyrErrno(err('EHOSTUNREACH'))).toBe(-65);
    expect(zephyrErrno(err('ENETUNREACH'))).toBe(-51);
    expect(zephyrErrno(err('EADDRINUSE'))).toBe(-48);
    expect(zephyrErrno(err('EADDRNOTAVAIL'))).toBe(-49);
    expect(zephyrErrno(err('EPIPE'))).toBe(-32);
    expect(zephyrErrno(err('ERR_STREAM_WRITE_AFTER_END'))).toBe(-E.EPIPE);
    expect(zephyrErrno(err('ERR_SSL_WRONG_VERSION_NUMBER'))).toBe(-E.ECONNABORTED);
    expect(zephyrErrno(err('SOMETHING_NEW'))).toBe(-E.EIO);
    expect(zephyrErrno(new Error('no code'))).toBe(-E.EIO);
    expect(zephyrErrno('not even an error')).toBe(-E.EIO);
  });

  it('maps resolver codes to what getaddrinfo needs', () => {
    const err = (code: string): Error => Object.assign(new Error(code), { code });
    expect(zephyrDnsErrno(err('ENOTFOUND'))).toBe(-E.ENOENT);
    expect(zephyrDnsErrno(err('ENODATA'))).toBe(-E.ENOENT);
    expect(zephyrDnsErrno(err('EAI_AGAIN'))).toBe(-E.EAGAIN);
    expect(zephyrDnsErrno(err('ESERVFAIL'))).toBe(-E.EIO);
    expect(zephyrDnsErrno(err('EMFILE'))).toBe(-E.EMFILE);
  });
});
