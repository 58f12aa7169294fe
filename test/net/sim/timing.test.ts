import { describe, expect, it } from 'vitest';
import type { StreamConn } from '../../../src/net/conn.ts';
import { Recorder, ep, makeNet, ms, pattern, sameBytes } from './helpers.ts';

/** Serialisation time of `bytes` on a 1 Mbit/s link, ns. */
const ser = (bytes: number): number => bytes * 8000;

describe('sim network timing', () => {
  it('connect takes one RTT and 10 kB over 1 Mbit/s links takes what store-and-forward says', async () => {
    const L = ms(10);
    const { sim, net } = makeNet({ tcp: { randomizedRto: false, sendBuffer: 65536, recvWindow: 65535, sendBufferFollowsPeerWindow: false } });
    const link = { latencyNs: L, bandwidthBps: 1_000_000 };
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'], link });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], link });
    const srv = new Recorder(sim);
    b.listen(ep('0.0.0.0', 9), 1, (c) => c.setEvents(srv));
    const cli = new Recorder(sim);
    const data = pattern(10_000);
    const c = a.connect(ep('10.0.0.2', 9), null, cli) as StreamConn;
    c.setNoDelay?.(true);
    cli.onConnectHook = () => expect(c.write(data)).toBe(10_000);
    await sim.run();

    // SYN and SYN-ACK are 40-byte packets crossing two links each way.
    const connect = 4 * L + 4 * ser(40);
    expect(cli.times.connect).toBe(connect);
    // Then the handshake's ACK and 7 segments (6 x 1460 + 1240 bytes of payload, + 40 each) leave
    // a's uplink back to back. b's downlink is busy without a break from the first segment's
    // arrival: the last byte arrives after ACK + first segment on the uplink, L, all segments on
    // the downlink, L.
    const segs = [1500, 1500, 1500, 1500, 1500, 1500, 1280];
    const done = connect + ser(40) + ser(1500) + L + segs.reduce((s, n) => s + ser(n), 0) + L;
    expect(srv.received.length).toBe(7);
    expect(srv.log.at(-1)).toBe(`${done} data`);
    expect(done).toBe(ms(155.84));
    expect(sameBytes(srv.bytes, data)).toBe(true);
  });

  it('jitter delays packets but never reorders them', async () => {
    const { sim, net } = makeNet({ seed: 5 });
    const link = { latencyNs: ms(5), jitterNs: ms(20) };
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'], link });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], link });
    const deliveries: number[] = [];
    net.setTrace((e) => {
      if (e.kind === 'deliver' && e.src.addr === '10.0.0.1' && e.len > 0) deliveries.push(e.seq);
    });
    const srv = new Recorder(sim);
    b.listen(ep('0.0.0.0', 9), 1, (c) => c.setEvents(srv));
    const cli = new Recorder(sim);
    const data = pattern(30_000);
    const c = a.connect(ep('10.0.0.2', 9), null, cli) as StreamConn;
    let off = 0;
    cli.onConnectHook = cli.onWritableHook = () => {
      off += c.write(data.subarray(off));
    };
    await sim.run();
    expect(sameBytes(srv.bytes, data)).toBe(true);
    // Sequence numbers of data as delivered never go down: the links kept the order.
    for (let i = 1; i < deliveries.length; i++) expect((deliveries[i]! - deliveries[i - 1]! + 2 ** 32) % 2 ** 32).toBeLessThan(2 ** 31);
    expect(net.stats.dropped).toBe(0);
  });

  it('resolves names after one RTT to the resolver (resolverRtt), literals at once', async () => {
    const { sim, net } = makeNet({ resolverRtt: true });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1', '2001:db8::1'], link: { latencyNs: ms(3) } });
    net.addName('broker.local', '10.0.0.9');
    net.addName('broker.local', '2001:db8::9');
    const got: [number, unknown][] = [];
    void a.resolve('broker.local', 0).then((r) => got.push([sim.clock.now(), r]));
    void a.resolve('Broker.Local.', 6).then((r) => got.push([sim.clock.now(), r]));
    void a.resolve('nope.local', 0).then((r) => got.push([sim.clock.now(), r]));
    void a.resolve('192.0.2.7', 0).then((r) => got.push([sim.clock.now(), r]));
    await sim.run();
    expect(got).toEqual([
      [0, [{ family: 4, addr: '192.0.2.7', port: 0 }]],
      [ms(6), [{ family: 4, addr: '10.0.0.9', port: 0 }, { family: 6, addr: '2001:db8::9', port: 0 }]],
      [ms(6), [{ family: 6, addr: '2001:db8::9', port: 0 }]],
      [ms(6), -2],
    ]);
  });
});

describe('sim network names', () => {
  it('answers at once by default, -ENOENT for unknown names', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'], link: { latencyNs: ms(3) } });
    net.addName('broker.local', '10.0.0.9');
    const got: [number, unknown][] = [];
    void a.resolve('broker.local', 4).then((r) => got.push([sim.clock.now(), r]));
    void a.resolve('broker.local', 6).then((r) => got.push([sim.clock.now(), r]));
    await sim.run();
    expect(got).toEqual([
      [0, [{ family: 4, addr: '10.0.0.9', port: 0 }]],
      [0, -2],
    ]);
  });
});
