/**
 * Simulated network benchmark: bytes per second of wall time pushed through one simulated TCP
 * connection, against a `node:net` socket pair on the loopback interface in the same run.
 *
 * Fairness: both sides move the same total in the same 64 KiB writes, each continuing on its
 * backpressure signal (`onWritable` / 'drain'); the receivers count bytes and touch one byte of
 * every chunk. The simulated link is the loopback's equivalent (no latency, unlimited bandwidth,
 * 64 KiB MTU as Linux's `lo`), with host-sized buffers (256 KiB) and TCP_NODELAY on both sides.
 * The sides run alternately over several rounds and the pair with the median ratio is kept.
 */
import net from 'node:net';
import type { BenchRow } from './harness.ts';
import { Simulation } from '../src/kernel/sim.ts';
import type { StreamConn } from '../src/net/conn.ts';
import { SimNetwork } from '../src/net/sim/network.ts';

const CHUNK = 64 * 1024;

/** Bytes/s through a simulated connection. */
async function simStream(total: number): Promise<number> {
  const sim = new Simulation();
  const tcp = { sendBuffer: 256 * 1024, recvWindow: 256 * 1024, sendBufferFollowsPeerWindow: false, nagle: false, randomizedRto: false };
  const netw = new SimNetwork(sim, { tcp });
  const link = { latencyNs: 0, bandwidthBps: 0, mtu: 65535 };
  const a = netw.addNode({ name: 'a', addrs: ['10.0.0.1'], link });
  const b = netw.addNode({ name: 'b', addrs: ['10.0.0.2'], link });
  const chunk = new Uint8Array(CHUNK).fill(7);
  let got = 0;
  let sum = 0;
  let end = 0;
  b.listen({ family: 4, addr: '0.0.0.0', port: 9 }, 1, (c) =>
    c.setEvents({
      onConnect() {},
      onData(d) {
        got += d.length;
        sum += d[0]!;
        if (got >= total) end = performance.now();
      },
      onWritable() {},
      onEnd() {},
      onError() {},
    }),
  );
  let sent = 0;
  let off = 0;
  let conn: StreamConn | null = null;
  const pump = (): void => {
    while (sent < total) {
      const n = conn!.write(off === 0 ? chunk : chunk.subarray(off));
      sent += n;
      off = (off + n) % CHUNK;
      if (n === 0) return;
    }
    conn!.end();
  };
  let start = 0;
  conn = a.connect({ family: 4, addr: '10.0.0.2', port: 9 }, null, {
    onConnect() {
      start = performance.now();
      pump();
    },
    onData() {},
    onWritable: pump,
    onEnd() {},
    onError() {},
  }) as StreamConn;
  await sim.run();
  if (got !== total || sum === 0) throw new Error(`simnet bench: got ${got} of ${total}`);
  return (total * 1000) / (end - start);
}

/** Bytes/s through a node:net loopback socket pair. */
async function loopback(total: number): Promise<number> {
  let start = 0;
  let sum = 0;
  const server = net.createServer({ noDelay: true });
  const done = new Promise<number>((resolve) => {
    server.on('connection', (s) => {
      let got = 0;
      s.on('data', (d: Buffer) => {
        got += d.length;
        sum += d[0]!;
        if (got >= total) resolve(performance.now());
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const c = net.connect({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((r) => c.on('connect', r));
  const chunk = Buffer.alloc(CHUNK, 7);
  start = performance.now();
  let sent = 0;
  const pump = (): void => {
    while (sent < total) {
      sent += CHUNK;
      if (!c.write(chunk)) {
        c.once('drain', pump);
        return;
      }
    }
    c.end();
  };
  pump();
  const end = await done;
  c.destroy();
  await new Promise<void>((r) => server.close(() => r()));
  if (sum === 0) throw new Error('loopback bench: no data');
  return (total * 1000) / (end - start);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function run(): Promise<BenchRow[]> {
  const total = 256 * 1024 * 1024;
  await simStream(total / 4);
  await loopback(total / 4);
  const pairs: [number, number][] = [];
  for (let i = 0; i < 5; i++) {
    const ours = await simStream(total);
    const peer = await loopback(total);
    pairs.push([ours, peer]);
  }
  const mid = median(pairs.map(([o, p]) => o / p));
  const [ours, peer] = pairs.find(([o, p]) => o / p === mid)!;
  return [
    {
      name: 'sim-net stream throughput',
      unit: 'bytes/s',
      ours,
      peer,
      peerName: 'node:net loopback',
      target: 0.5,
    },
  ];
}
