import { describe, expect, it } from 'vitest';
import { ETIMEDOUT } from '../../../src/libc/errno.ts';
import type { StreamConn } from '../../../src/net/conn.ts';
import type { SimNetwork } from '../../../src/net/sim/network.ts';
import type { Simulation } from '../../../src/kernel/sim.ts';
import { Recorder, at, ep, makeNet, ms, pattern, sameBytes } from './helpers.ts';

/** a streams `data` to b (and b streams `back` to a when given); returns both recorders. */
function transfer(sim: Simulation, net: SimNetwork, data: Uint8Array, back?: Uint8Array): { cli: Recorder; srv: Recorder } {
  const a = net.node('a')!;
  const b = net.node('b')!;
  const srv = new Recorder(sim, 'b ');
  b.listen(ep('0.0.0.0', 5000), 1, (c) => {
    c.setEvents(srv);
    if (back) pump(c, srv, back);
  });
  const cli = new Recorder(sim, 'a ');
  const c = a.connect(ep('10.0.0.2', 5000), null, cli) as StreamConn;
  pump(c, cli, data);
  return { cli, srv };
}

function pump(c: StreamConn, rec: Recorder, data: Uint8Array): void {
  let off = 0;
  const go = (): void => {
    off += c.write(data.subarray(off));
  };
  rec.onWritableHook = go;
  go();
}

function twoNodes(opts: Parameters<typeof makeNet>[0] = {}, link = {}): { sim: Simulation; net: SimNetwork } {
  const r = makeNet(opts);
  r.net.addNode({ name: 'a', addrs: ['10.0.0.1'], link });
  r.net.addNode({ name: 'b', addrs: ['10.0.0.2'], link });
  return r;
}

describe('sim network faults', () => {
  it('delivers everything in order through 10% loss on every link', async () => {
    const { sim, net } = twoNodes({ seed: 3 }, { loss: 0.1, latencyNs: ms(2) });
    const data = pattern(60_000);
    const back = pattern(20_000, 9);
    const { cli, srv } = transfer(sim, net, data, back);
    await sim.run();
    expect(net.stats.dropped).toBeGreaterThan(10);
    expect(sameBytes(srv.bytes, data)).toBe(true);
    expect(sameBytes(cli.bytes, back)).toBe(true);
    expect(cli.error).toBe(0);
    expect(srv.error).toBe(0);
  });

  it('keeps the stream across a 5 s link outage (retransmission recovers it)', async () => {
    const { sim, net } = twoNodes({ tcp: { randomizedRto: false } });
    const data = pattern(40_000);
    const { cli, srv } = transfer(sim, net, data);
    at(sim, ms(50), () => net.linkDown('a'));
    at(sim, ms(5050), () => net.linkUp('a'));
    await sim.run();
    expect(sameBytes(srv.bytes, data)).toBe(true);
    expect(cli.error).toBe(0);
    // Nothing arrived while the link was down.
    const during = srv.log.filter((l) => {
      const t = Number(l.split(' ')[0]);
      return t > ms(60) && t < ms(5050);
    });
    expect(during).toEqual([]);
  });

  it('gives -ETIMEDOUT on both sides when the link stays down past the retries', async () => {
    const { sim, net } = twoNodes({ tcp: { randomizedRto: false } });
    const { cli, srv } = transfer(sim, net, pattern(40_000), pattern(40_000, 3));
    at(sim, ms(50), () => net.linkDown('b'));
    await sim.run();
    expect(cli.error).toBe(-ETIMEDOUT);
    expect(srv.error).toBe(-ETIMEDOUT);
    // Zephyr's schedule with a 200 ms RTO: first timeout 200 ms after the last send, then
    // 300, 450, 675, 1012, 1518, 2277, 3415, 5122 and a last 200 ms: 15.169 s in all.
    const tA = cli.times[`error ${-ETIMEDOUT}`]!;
    const tB = srv.times[`error ${-ETIMEDOUT}`]!;
    for (const t of [tA, tB]) {
      expect(t).toBeGreaterThan(ms(50 + 15_169 - 10));
      expect(t).toBeLessThanOrEqual(ms(50 + 15_169));
    }
  });

  it('partitions cut traffic between groups only, until healed', async () => {
    const { sim, net } = makeNet({ tcp: { randomizedRto: false } });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const c = net.addNode({ name: 'c', addrs: ['10.0.0.3'] });
    for (const n of [b, c]) n.listen(ep('0.0.0.0', 80), 4, (s) => s.setEvents(new Recorder(sim)));
    net.partition(['a'], [b]);
    const toB = new Recorder(sim);
    const toC = new Recorder(sim);
    a.connect(ep('10.0.0.2', 80), null, toB);
    a.connect(ep('10.0.0.3', 80), null, toC);
    const afterHeal = new Recorder(sim);
    at(sim, ms(3000), () => {
      net.heal();
      a.connect(ep('10.0.0.2', 80), null, afterHeal);
    });
    await sim.run();
    expect(toC.times.connect).toBe(ms(4));
    // The SYN is resent every RTO (fixed, as Zephyr's send queue does) 9 times, then gives up.
    expect(toB.error).toBe(-ETIMEDOUT);
    expect(toB.times[`error ${-ETIMEDOUT}`]).toBe(ms(2000));
    expect(afterHeal.times.connect).toBe(ms(3004));
  });

  it('flow control: a small window and a slow reader give partial writes and onWritable', async () => {
    const WINDOW = 1000;
    const { sim, net } = makeNet({ tcp: { randomizedRto: false } });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    // b's stack has a 1000-byte receive buffer (its SYN-ACK already says so).
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], tcp: { recvWindow: WINDOW } });
    let buffered = 0;
    let maxBuffered = 0;
    const srv = new Recorder(sim);
    b.listen(ep('0.0.0.0', 5000), 1, (c) => {
      c.setReceiveWindow?.(WINDOW);
      c.setEvents(srv);
      srv.onDataHook = (d) => {
        buffered += d.length;
        maxBuffered = Math.max(maxBuffered, buffered);
      };
      // The reader takes 200 bytes every 50 ms and tells the stack how much room it has.
      const tick = (): void => {
        const n = Math.min(200, buffered);
        buffered -= n;
        c.setReceiveWindow?.(WINDOW - buffered);
        if (!srv.ended) at(sim, sim.clock.now() + ms(50), tick);
      };
      at(sim, sim.clock.now() + ms(50), tick);
    });
    const data = pattern(8000);
    const cli = new Recorder(sim);
    const c = a.connect(ep('10.0.0.2', 5000), null, cli) as StreamConn;
    let off = 0;
    const writes: number[] = [];
    let writables = 0;
    const go = (): void => {
      const n = c.write(data.subarray(off));
      writes.push(n);
      off += n;
      if (off === data.length) c.end();
    };
    cli.onConnectHook = go;
    cli.onWritableHook = () => {
      writables++;
      go();
    };
    await sim.run();
    expect(sameBytes(srv.bytes, data)).toBe(true);
    expect(maxBuffered).toBeLessThanOrEqual(WINDOW);
    expect(writes[0]).toBe(WINDOW);
    expect(writes.length).toBeGreaterThan(3);
    expect(writes.every((n) => n < 8000)).toBe(true);
    expect(writables).toBe(writes.length - 1);
    // About 200 bytes per 50 ms: 8000 bytes take about 2 s of virtual time.
    expect(srv.times.end).toBeGreaterThan(ms(1500));
  });
});
