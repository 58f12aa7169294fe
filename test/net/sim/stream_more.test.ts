import { describe, expect, it } from 'vitest';
import { EADDRINUSE, EADDRNOTAVAIL, ECONNREFUSED, ECONNRESET } from '../../../src/libc/errno.ts';
import type { StreamConn, WireSegment } from '../../../src/net/conn.ts';
import { TCP_ACK, TCP_FIN, TCP_PSH, TCP_SYN } from '../../../src/net/sim/packet.ts';
import { Recorder, at, ep, makeNet, ms, pattern, sameBytes } from './helpers.ts';

describe('sim TCP, more', () => {
  it('destroy() resets the peer with -ECONNRESET and raises nothing more locally', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const srv = new Recorder(sim);
    let sc: StreamConn | null = null;
    b.listen(ep('10.0.0.2', 80), 1, (c) => {
      sc = c;
      c.setEvents(srv);
    });
    const cli = new Recorder(sim);
    const c = a.connect(ep('10.0.0.2', 80), null, cli) as StreamConn;
    at(sim, ms(10), () => c.destroy());
    at(sim, ms(20), () => expect(sc!.write(new Uint8Array(5))).toBe(0));
    await sim.run();
    expect(srv.error).toBe(-ECONNRESET);
    expect(srv.times[`error ${-ECONNRESET}`]).toBe(ms(12));
    expect(cli.log).toEqual([`${ms(4)} connect`]);
  });

  it('backlog: SYNs beyond the half-open limit are refused with RST', async () => {
    const { sim, net } = makeNet();
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const accepted: StreamConn[] = [];
    b.listen(ep('0.0.0.0', 80), 2, (c) => {
      accepted.push(c);
      c.setEvents(new Recorder(sim));
    });
    const recs: Recorder[] = [];
    for (let i = 0; i < 4; i++) {
      const n = net.addNode({ name: `c${i}`, addrs: [`10.0.1.${i + 1}`] });
      const r = new Recorder(sim);
      recs.push(r);
      n.connect(ep('10.0.0.2', 80), null, r);
    }
    await sim.run();
    expect(recs.map((r) => r.connected)).toEqual([true, true, false, false]);
    expect(recs.slice(2).map((r) => r.error)).toEqual([-ECONNREFUSED, -ECONNREFUSED]);
    expect(accepted.length).toBe(2);
  });

  it('events that arrive before setEvents are replayed in order', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const srv = new Recorder(sim);
    b.listen(ep('0.0.0.0', 80), 1, (c) => at(sim, ms(50), () => c.setEvents(srv)));
    const cli = new Recorder(sim);
    const c = a.connect(ep('10.0.0.2', 80), null, cli) as StreamConn;
    cli.onConnectHook = () => {
      c.write(new TextEncoder().encode('early'));
      c.end();
    };
    await sim.run();
    expect(srv.log).toEqual([`${ms(50)} data`, `${ms(50)} end`]);
    expect(new TextDecoder().decode(srv.bytes)).toBe('early');
  });

  it('works over IPv6 with MSS = MTU - 60, and to its own address without a link', async () => {
    const { sim, net } = makeNet({ tcp: { sendBuffer: 65536, recvWindow: 65535, sendBufferFollowsPeerWindow: false } });
    const a = net.addNode({ name: 'a', addrs: ['2001:db8::1'] });
    const b = net.addNode({ name: 'b', addrs: ['2001:0db8:0::2'] });
    const segs: WireSegment[] = [];
    net.setTap({ segment: (s) => segs.push(s) });
    const srv = new Recorder(sim);
    b.listen(ep('::', 80), 1, (c) => c.setEvents(srv));
    const cli = new Recorder(sim);
    const c = a.connect(ep('2001:db8::2', 80), null, cli) as StreamConn;
    const data = pattern(5000);
    cli.onConnectHook = () => c.write(data);
    const self = new Recorder(sim);
    a.listen(ep('2001:db8::1', 81), 1, (s) => s.setEvents(self));
    const loop = new Recorder(sim);
    a.connect(ep('2001:db8::1', 81), null, loop);
    await sim.run();
    expect(sameBytes(srv.bytes, data)).toBe(true);
    expect(Math.max(...segs.map((s) => s.payload.length))).toBe(1440);
    expect(loop.times.connect).toBe(0);
  });

  it('the tap sees every segment with seq, ack, flags and window', async () => {
    const { sim, net } = makeNet({ tcp: { randomizedRto: false } });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const segs: WireSegment[] = [];
    net.setTap({ segment: (s) => segs.push(s) });
    b.listen(ep('0.0.0.0', 80), 1, (c) => c.setEvents(new Recorder(sim)));
    const cli = new Recorder(sim);
    const c = a.connect(ep('10.0.0.2', 80), null, cli) as StreamConn;
    cli.onConnectHook = () => {
      c.write(new Uint8Array(10));
      c.end();
    };
    await sim.run();
    const [syn, synack, ack, data, fin] = segs;
    expect(syn!.flags).toBe(TCP_SYN);
    expect(synack!.flags).toBe(TCP_SYN | TCP_ACK);
    expect(synack!.ack).toBe((syn!.seq! + 1) % 2 ** 32);
    expect(ack!.flags).toBe(TCP_ACK);
    expect(data!.flags).toBe(TCP_ACK | TCP_PSH);
    expect(fin!.flags).toBe(TCP_ACK | TCP_FIN);
    expect(data!.payload.length).toBe(10);
    expect(data!.seq).toBe((syn!.seq! + 1) % 2 ** 32);
    expect(synack!.window).toBe(1536);
    // SYN, SYN-ACK, ACK + data + FIN at once, then b's two ACKs.
    expect(segs.map((s) => s.timeNs)).toEqual([0, ms(2), ms(4), ms(4), ms(4), ms(6), ms(6)]);
  });

  it('refuses bad binds', () => {
    const { net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    expect(typeof a.listen(ep('0.0.0.0', 80), 1, () => {})).toBe('object');
    expect(a.listen(ep('10.0.0.1', 80), 1, () => {})).toBe(-EADDRINUSE);
    expect(a.listen(ep('10.0.0.7', 81), 1, () => {})).toBe(-EADDRNOTAVAIL);
    expect(a.connect(ep('10.0.0.2', 80), ep('10.0.0.9', 0), new Recorder(null as never))).toBe(-EADDRNOTAVAIL);
  });
});
