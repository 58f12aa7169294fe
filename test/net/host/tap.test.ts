import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import type { StreamConn, WireSegment } from '../../../src/net/conn.ts';
import { HostInterface, SyntheticTcp } from '../../../src/net/host/index.ts';
import { closedPort, fakeSim, MemoryTap, Recorder, tcpServer, until } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const PSH = 0x08;
const ACK = 0x10;

/** [direction, flags, relative seq, relative ack, payload length], relative to each side's ISN. */
function summary(segs: WireSegment[], localPort: number): Array<[string, number, number, number, number]> {
  // Each side's first segment is its SYN: its seq is that side's ISN.
  const isnL = segs.find((s) => s.src.port === localPort)?.seq ?? 0;
  const isnR = segs.find((s) => s.src.port !== localPort)?.seq ?? 0;
  return segs.map((s) => {
    const fromLocal = s.src.port === localPort;
    const rel = (v: number, base: number): number => (v - base) >>> 0;
    return [
      fromLocal ? '>' : '<',
      s.flags!,
      rel(s.seq!, fromLocal ? isnL : isnR),
      s.flags! & ACK ? rel(s.ack!, fromLocal ? isnR : isnL) : 0,
      s.payload.length,
    ];
  });
}

describe('host backend: synthetic TCP segments for captures', () => {
  it('records handshake, data with running seq/ack, and both FINs of a connection', async () => {
    const srv = await tcpServer((s) => s.pipe(s), { allowHalfOpen: true });
    cleanups.push(srv.close);
    const fs = fakeSim();
    const tap = new MemoryTap();
    const rec = new Recorder();
    const c = new HostInterface({ sim: fs.sim, tap }).connect({ family: 4, addr: '127.0.0.1', port: srv.port }, null, rec);
    if (typeof c === 'number') throw new Error(`connect: ${c}`);
    cleanups.push(() => c.destroy());
    expect(c.write(new TextEncoder().encode('hello'))).toBe(5); // before the connection is up
    fs.setTime(1_000_000);
    await until(() => rec.bytes === 5, 'echo');
    fs.setTime(2_000_000);
    c.end();
    await until(() => rec.ended === 1, 'FIN');
    const segs = tap.segments;
    for (const s of segs) expect(s.proto).toBe('tcp');
    expect(segs[0]!.src).toEqual(c.local);
    expect(segs[0]!.dst).toEqual({ family: 4, addr: '127.0.0.1', port: srv.port });
    expect(summary(segs, c.local.port)).toEqual([
      ['>', SYN, 0, 0, 0],
      ['<', SYN | ACK, 0, 1, 0],
      ['>', ACK, 1, 1, 0],
      ['>', PSH | ACK, 1, 1, 5],
      ['<', PSH | ACK, 1, 6, 5],
      ['>', FIN | ACK, 6, 6, 0],
      ['<', ACK, 6, 7, 0],
      ['<', FIN | ACK, 6, 7, 0],
      ['>', ACK, 7, 7, 0],
    ]);
    expect(segs[5]!.timeNs).toBe(2_000_000);
  });

  it('records an accepted connection as opened by the peer, and an abort as RST', async () => {
    const fs = fakeSim();
    const tap = new MemoryTap();
    const accepted: StreamConn[] = [];
    const l = new HostInterface({ sim: fs.sim, tap }).listen({ family: 4, addr: '127.0.0.1', port: 0 }, 1, (conn) => {
      conn.setEvents(new Recorder());
      accepted.push(conn);
    });
    if (typeof l === 'number') throw new Error(`listen: ${l}`);
    cleanups.push(() => l.close());
    await until(() => l.local.port !== 0, 'listening');
    const client = net.connect(l.local.port, '127.0.0.1');
    client.on('error', () => {});
    cleanups.push(() => client.destroy());
    await until(() => accepted.length === 1, 'accept');
    accepted[0]!.write(new Uint8Array(3000));
    accepted[0]!.destroy();
    const port = l.local.port;
    expect(summary(tap.segments, port)).toEqual([
      ['<', SYN, 0, 0, 0],
      ['>', SYN | ACK, 0, 1, 0],
      ['<', ACK, 1, 1, 0],
      ['>', ACK, 1, 1, 1460],
      ['>', ACK, 1461, 1, 1460],
      ['>', PSH | ACK, 2921, 1, 80],
      ['>', RST | ACK, 3001, 1, 0],
    ]);
  });

  it('records a refused connection as SYN answered by RST-ACK', async () => {
    const tap = new MemoryTap();
    const rec = new Recorder();
    const port = await closedPort();
    new HostInterface({ sim: fakeSim().sim, tap }).connect({ family: 4, addr: '127.0.0.1', port }, null, rec);
    await until(() => rec.errors.length === 1, 'refused');
    expect(tap.segments.map((s) => s.flags)).toEqual([SYN, RST | ACK]);
    expect(tap.segments[1]!.ack).toBe((tap.segments[0]!.seq! + 1) >>> 0);
    expect(tap.segments[1]!.src.port).toBe(port);
  });

  it('derives the same initial sequence numbers for the same 4-tuple', () => {
    const mk = (): WireSegment[] => {
      const tap = new MemoryTap();
      const t = new SyntheticTcp(tap, () => ({ family: 4, addr: '10.0.0.1', port: 4000 }),
        () => ({ family: 4, addr: '10.0.0.2', port: 1883 }), { now: () => 0 });
      t.handshake('local');
      return tap.segments;
    };
    expect(mk().map((s) => s.seq)).toEqual(mk().map((s) => s.seq));
  });
});
