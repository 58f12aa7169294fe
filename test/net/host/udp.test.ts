import { afterEach, describe, expect, it } from 'vitest';
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import type { DatagramEvents, Endpoint } from '../../../src/net/conn.ts';
import { HostInterface } from '../../../src/net/host/index.ts';
import { EAFNOSUPPORT, EBADF, EMSGSIZE, ENOENT } from '../../../src/libc/errno.ts';
import { fakeSim, MemoryTap, until } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A UDP echo server on 127.0.0.1 with a free port. */
async function udpEcho(): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.on('message', (msg, r) => s.send(Buffer.concat([Buffer.from('echo:'), msg]), r.port, r.address));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => s.close(() => r())));
  return (s.address() as AddressInfo).port;
}

class DgramRecorder implements DatagramEvents {
  got: Array<{ data: string; from: Endpoint }> = [];
  errors: number[] = [];
  onDatagram(data: Uint8Array, from: Endpoint): void {
    this.got.push({ data: Buffer.from(data).toString(), from });
  }
  onError(err: number): void {
    this.errors.push(err);
  }
}

describe('host backend: UDP', () => {
  it('round-trips a datagram through a loopback echo server', async () => {
    const port = await udpEcho();
    const fs = fakeSim();
    const tap = new MemoryTap();
    const hif = new HostInterface({ sim: fs.sim, tap });
    const rec = new DgramRecorder();
    const u = hif.bindUdp({ family: 4, addr: '127.0.0.1', port: 0 }, rec);
    if (typeof u === 'number') throw new Error(`bindUdp: ${u}`);
    cleanups.push(() => u.close());
    expect(fs.pending()).toBe(1); // a datagram may arrive at any time
    const to: Endpoint = { family: 4, addr: '127.0.0.1', port };
    expect(u.send(new TextEncoder().encode('hi'), to)).toBe(0); // queued by Node until bound
    await until(() => rec.got.length === 1, 'echo');
    expect(rec.got[0]).toEqual({ data: 'echo:hi', from: to });
    expect(u.local.port).toBeGreaterThan(0);
    expect(tap.segments.map((s) => [s.proto, s.src.port, s.dst.port, Buffer.from(s.payload).toString()])).toEqual([
      ['udp', u.local.port, port, 'hi'], // sent before the bind completed: recorded once it did
      ['udp', port, u.local.port, 'echo:hi'],
    ]);
    u.close();
    expect(fs.pending()).toBe(0);
    expect(u.send(new Uint8Array(1), to)).toBe(-EBADF);
  });

  it('refuses what a UDP socket cannot send', () => {
    const hif = new HostInterface({ sim: fakeSim().sim });
    const u = hif.bindUdp({ family: 4, addr: '127.0.0.1', port: 0 }, new DgramRecorder());
    if (typeof u === 'number') throw new Error(`bindUdp: ${u}`);
    cleanups.push(() => u.close());
    expect(u.send(new Uint8Array(1), { family: 6, addr: '::1', port: 9 })).toBe(-EAFNOSUPPORT);
    expect(u.send(new Uint8Array(65508), { family: 4, addr: '127.0.0.1', port: 9 })).toBe(-EMSGSIZE);
  });

  it('a bind on a port in use reports -EADDRINUSE and releases its token', async () => {
    const port = await udpEcho();
    const fs = fakeSim();
    const rec = new DgramRecorder();
    const u = new HostInterface({ sim: fs.sim }).bindUdp({ family: 4, addr: '127.0.0.1', port }, rec);
    if (typeof u === 'number') throw new Error(`bindUdp: ${u}`);
    cleanups.push(() => u.close());
    await until(() => rec.errors.length === 1, 'bind error');
    expect(rec.errors).toEqual([-48]);
    expect(fs.pending()).toBe(0);
  });
});

describe('host backend: resolve', () => {
  it('resolves localhost to loopback addresses, with the family filter', async () => {
    const fs = fakeSim();
    const hif = new HostInterface({ sim: fs.sim });
    const p = hif.resolve('localhost', 0);
    expect(fs.pending()).toBe(1); // a lookup in flight keeps the simulation waiting
    const all = await p;
    expect(fs.pending()).toBe(0);
    if (typeof all === 'number') throw new Error(`resolve: ${all}`);
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) expect(['127.0.0.1', '::1']).toContain(a.addr);
    const v4 = await hif.resolve('localhost', 4);
    expect(v4).toContainEqual({ family: 4, addr: '127.0.0.1', port: 0 });
    if (typeof v4 !== 'number') for (const a of v4) expect(a.family).toBe(4);
  });

  it('returns numeric hosts as they are, checking the family', async () => {
    const hif = new HostInterface({ sim: fakeSim().sim });
    expect(await hif.resolve('192.0.2.7', 0)).toEqual([{ family: 4, addr: '192.0.2.7', port: 0 }]);
    expect(await hif.resolve('2001:db8::1', 6)).toEqual([{ family: 6, addr: '2001:db8::1', port: 0 }]);
    expect(await hif.resolve('192.0.2.7', 6)).toBe(-ENOENT);
  });

  it('lists the board addresses IPv4 first', () => {
    const hif = new HostInterface({ sim: fakeSim().sim });
    expect(hif.addrs.length).toBeGreaterThan(0);
    const firstV6 = hif.addrs.findIndex((a) => a.family === 6);
    const lastV4 = hif.addrs.map((a) => a.family).lastIndexOf(4);
    if (firstV6 >= 0 && lastV4 >= 0) expect(lastV4).toBeLessThan(firstV6);
  });
});
