/**
 * Shared pieces of the host-backend tests: a simulation stand-in that counts host-I/O tokens,
 * an event recorder with awaitable conditions, and loopback servers on free ports.
 */
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { StreamEvents, WireSegment, WireTap } from '../../../src/net/conn.ts';
import type { HostSim } from '../../../src/net/host/index.ts';

/** A `HostSim` whose outstanding `beginHostIo` tokens can be counted. */
export function fakeSim(): { sim: HostSim; pending: () => number; setTime: (ns: number) => void } {
  let pending = 0;
  let t = 0;
  const sim: HostSim = {
    beginHostIo() {
      pending++;
      let done = false;
      return () => {
        if (done) return;
        done = true;
        pending--;
      };
    },
    clock: { now: () => t, realtime: true },
  };
  return { sim, pending: () => pending, setTime: (ns) => (t = ns) };
}

/** Polls `pred` on every turn of the event loop until it holds (or fails after `ms`). */
export async function until(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Records every `StreamEvents` call. */
export class Recorder implements StreamEvents {
  connected = 0;
  chunks: Uint8Array[] = [];
  writables = 0;
  ended = 0;
  errors: number[] = [];

  onConnect(): void {
    this.connected++;
  }
  onData(data: Uint8Array): void {
    this.chunks.push(data);
  }
  onWritable(): void {
    this.writables++;
  }
  onEnd(): void {
    this.ended++;
  }
  onError(err: number): void {
    this.errors.push(err);
  }
  get bytes(): number {
    return this.chunks.reduce((n, c) => n + c.length, 0);
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('latin1');
  }
}

/** A `WireTap` keeping the segments in memory. */
export class MemoryTap implements WireTap {
  readonly segments: WireSegment[] = [];
  segment(s: WireSegment): void {
    this.segments.push({ ...s, payload: s.payload.slice() });
  }
}

/** A TCP server on 127.0.0.1 with a free port; `close()` also destroys its open connections. */
export async function tcpServer(
  onConn: (s: net.Socket) => void,
  opts: net.ServerOpts = {},
): Promise<{ server: net.Server; port: number; close: () => Promise<void> }> {
  const socks = new Set<net.Socket>();
  const server = net.createServer(opts, (s) => {
    socks.add(s);
    s.on('close', () => socks.delete(s));
    s.on('error', () => {});
    onConn(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const close = (): Promise<void> =>
    new Promise<void>((r) => {
      for (const s of socks) s.destroy();
      server.close(() => r());
    });
  return { server, port, close };
}

/** A free TCP port on 127.0.0.1 that nothing listens on (for connection-refused tests). */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
