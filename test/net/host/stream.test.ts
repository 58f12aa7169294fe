import { afterEach, describe, expect, it } from 'vitest';
import * as net from 'node:net';
import type { StreamConn } from '../../../src/net/conn.ts';
import { HostInterface, HostListener } from '../../../src/net/host/index.ts';
import { ECONNREFUSED, ECONNRESET, EINVAL, EAFNOSUPPORT, EPIPE } from '../../../src/libc/errno.ts';
import { closedPort, fakeSim, Recorder, tcpServer, until } from './helpers.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function connect(hif: HostInterface, port: number, rec: Recorder): StreamConn {
  const c = hif.connect({ family: 4, addr: '127.0.0.1', port }, null, rec);
  if (typeof c === 'number') throw new Error(`connect failed: ${c}`);
  cleanups.push(() => c.destroy());
  return c;
}

describe('host backend: TCP streams', () => {
  it('connects to a loopback echo server, echoes, and half-closes cleanly', async () => {
    const srv = await tcpServer((s) => s.pipe(s), { allowHalfOpen: true });
    cleanups.push(srv.close);
    const fs = fakeSim();
    const hif = new HostInterface({ sim: fs.sim });
    expect(hif.realNetwork).toBe(true);
    const rec = new Recorder();
    const c = connect(hif, srv.port, rec);
    expect(fs.pending()).toBe(1); // connecting: the simulation must wait for us
    await until(() => rec.connected === 1, 'connect');
    expect(c.remote).toEqual({ family: 4, addr: '127.0.0.1', port: srv.port });
    expect(c.local.addr).toBe('127.0.0.1');
    expect(c.local.port).toBeGreaterThan(0);
    expect(c.write(new TextEncoder().encode('hello, '))).toBe(7);
    expect(c.write(new TextEncoder().encode('world'))).toBe(5);
    await until(() => rec.bytes === 12, 'echo');
    expect(rec.text()).toBe('hello, world');
    expect(rec.chunks[0]).not.toBeInstanceOf(Buffer); // a plain Uint8Array
    c.end();
    expect(c.write(new Uint8Array(1))).toBe(-EPIPE);
    await until(() => rec.ended === 1, 'FIN from the echo server');
    expect(rec.errors).toEqual([]);
    await until(() => fs.pending() === 0, 'token release');
  });

  it('a refused connection reports -ECONNREFUSED with Zephyr\'s value (61)', async () => {
    const fs = fakeSim();
    const hif = new HostInterface({ sim: fs.sim });
    const rec = new Recorder();
    connect(hif, await closedPort(), rec);
    await until(() => rec.errors.length === 1, 'error');
    expect(rec.errors).toEqual([-ECONNREFUSED]);
    expect(-ECONNREFUSED).toBe(-61);
    expect(rec.connected).toBe(0);
    expect(fs.pending()).toBe(0);
  });

  it('a RST from the server reports -ECONNRESET', async () => {
    const srv = await tcpServer((s) => s.once('data', () => s.resetAndDestroy()));
    cleanups.push(srv.close);
    const fs = fakeSim();
    const hif = new HostInterface({ sim: fs.sim });
    const rec = new Recorder();
    const c = connect(hif, srv.port, rec);
    await until(() => rec.connected === 1, 'connect');
    c.write(new Uint8Array([1, 2, 3]));
    await until(() => rec.errors.length > 0, 'reset');
    expect(rec.errors).toEqual([-ECONNRESET]);
    expect(c.write(new Uint8Array(1))).toBe(-ECONNRESET);
    expect(fs.pending()).toBe(0);
  });

  it('destroy() aborts with a RST the server sees as ECONNRESET', async () => {
    let serverErr = '';
    const srv = await tcpServer((s) => {
      s.on('error', (e: NodeJS.ErrnoException) => (serverErr = e.code ?? ''));
      s.resume();
    });
    cleanups.push(srv.close);
    const fs = fakeSim();
    const rec = new Recorder();
    const c = connect(new HostInterface({ sim: fs.sim }), srv.port, rec);
    await until(() => rec.connected === 1, 'connect');
    c.destroy();
    expect(fs.pending()).toBe(0);
    await until(() => serverErr !== '', 'server error');
    expect(serverErr).toBe('ECONNRESET');
    expect(rec.errors).toEqual([]); // no events after destroy
  });

  it('writes are partial under a stalled reader, and onWritable fires once it reads again', async () => {
    let received = 0;
    let serverSock: net.Socket | null = null;
    let serverEnded = false;
    const srv = await tcpServer((s) => {
      serverSock = s;
      s.pause(); // stalls: the kernel buffers fill up, then Node's
      s.on('data', (d: Buffer) => (received += d.length));
      s.on('end', () => (serverEnded = true));
    });
    cleanups.push(srv.close);
    const fs = fakeSim();
    const rec = new Recorder();
    const c = connect(new HostInterface({ sim: fs.sim, sendBuffer: 8192 }), srv.port, rec);
    await until(() => rec.connected === 1 && serverSock !== null, 'connect');
    const chunk = new Uint8Array(65536).fill(0x5a);
    expect(c.write(chunk)).toBe(8192); // the budget, not the chunk
    let total = 8192;
    let zero = false;
    for (let i = 0; i < 100_000 && !zero; i++) {
      const n = c.write(chunk);
      expect(n).toBeGreaterThanOrEqual(0);
      expect(n).toBeLessThanOrEqual(8192);
      total += n;
      // The writes of one turn are gathered into one: only a write that finds no room even
      // after the board yields means the kernel stopped taking data.
      if (n === 0) {
        await new Promise((r) => setImmediate(r));
        zero = c.writable() === 0;
      } else if (i % 16 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(zero).toBe(true);
    expect(c.writable()).toBe(0);
    expect(c.pending()).toBeGreaterThan(0);
    expect(fs.pending()).toBe(1); // waiting for send space (and reading)
    // Short writes while the kernel still took data were followed by onWritable; now nothing
    // moves until the reader reads.
    await new Promise((r) => setTimeout(r, 30));
    const before = rec.writables;
    await new Promise((r) => setTimeout(r, 30));
    expect(rec.writables).toBe(before);
    expect(c.writable()).toBe(0);
    serverSock!.resume();
    await until(() => rec.writables === before + 1, 'onWritable');
    expect(c.writable()).toBeGreaterThan(0);
    c.end();
    await until(() => serverEnded, 'server end');
    expect(received).toBe(total);
  });

  it('listen() accepts connections and hands over StreamConns', async () => {
    const fs = fakeSim();
    const hif = new HostInterface({ sim: fs.sim });
    const accepted: StreamConn[] = [];
    const recs: Recorder[] = [];
    const l = hif.listen({ family: 4, addr: '127.0.0.1', port: 0 }, 4, (conn) => {
      const r = new Recorder();
      conn.setEvents(r);
      accepted.push(conn);
      recs.push(r);
    });
    if (typeof l === 'number') throw new Error(`listen: ${l}`);
    cleanups.push(() => l.close());
    expect(fs.pending()).toBe(1); // a connection may come at any time
    expect(await (l as HostListener).ready).toBe(0);
    expect(l.local.port).toBeGreaterThan(0);
    const client = net.connect(l.local.port, '127.0.0.1');
    cleanups.push(() => client.destroy());
    let echoed = '';
    client.on('data', (d) => (echoed += d.toString()));
    client.write('ping');
    await until(() => recs.length === 1 && recs[0]!.bytes === 4, 'server data');
    const conn = accepted[0]!;
    expect(conn.local.port).toBe(l.local.port);
    expect(conn.remote.port).toBe(client.localPort);
    expect(conn.write(new TextEncoder().encode('pong'))).toBe(4);
    await until(() => echoed === 'pong', 'client data');
    l.close();
    conn.destroy();
    expect(fs.pending()).toBe(0);
  });

  it('a listen on a port in use fails with -EADDRINUSE through ready', async () => {
    const srv = await tcpServer(() => {});
    cleanups.push(srv.close);
    const fs = fakeSim();
    const l = new HostInterface({ sim: fs.sim }).listen({ family: 4, addr: '127.0.0.1', port: srv.port }, 1, () => {});
    if (typeof l === 'number') throw new Error(`listen: ${l}`);
    expect(await (l as HostListener).ready).toBe(-48);
    expect(fs.pending()).toBe(0);
  });

  it('rejects invalid endpoints synchronously', () => {
    const hif = new HostInterface({ sim: fakeSim().sim });
    const rec = new Recorder();
    expect(hif.connect({ family: 4, addr: 'not-an-ip', port: 1 }, null, rec)).toBe(-EINVAL);
    expect(hif.connect({ family: 4, addr: '127.0.0.1', port: 70000 }, null, rec)).toBe(-EINVAL);
    expect(hif.connect({ family: 4, addr: '127.0.0.1', port: 1 }, { family: 6, addr: '::1', port: 0 }, rec)).toBe(
      -EAFNOSUPPORT,
    );
  });

  it('binds the local endpoint given to connect', async () => {
    const srv = await tcpServer((s) => s.resume());
    cleanups.push(srv.close);
    const rec = new Recorder();
    const c = new HostInterface({ sim: fakeSim().sim }).connect(
      { family: 4, addr: '127.0.0.1', port: srv.port },
      { family: 4, addr: '127.0.0.1', port: 0 },
      rec,
    );
    if (typeof c === 'number') throw new Error(`connect: ${c}`);
    cleanups.push(() => c.destroy());
    await until(() => rec.connected === 1, 'connect');
    expect(c.local.addr).toBe('127.0.0.1');
    expect(c.local.port).toBeGreaterThan(0);
  });
});
