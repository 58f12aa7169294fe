import { describe, expect, it } from 'vitest';
import { ECONNREFUSED, EHOSTUNREACH } from '../../../src/libc/errno.ts';
import type { StreamConn } from '../../../src/net/conn.ts';
import { Recorder, ep, makeNet, ms, pattern, sameBytes } from './helpers.ts';

describe('sim TCP basics', () => {
  it('connects in one RTT, accepts, echoes', async () => {
    const { sim, net } = makeNet({ tcp: { randomizedRto: false } });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'], link: { latencyNs: ms(5) } });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], link: { latencyNs: ms(5) } });
    const srv = new Recorder(sim, 'srv ');
    let accepted: StreamConn | null = null;
    let acceptedAt = -1;
    const l = b.listen(ep('0.0.0.0', 1883), 4, (c) => {
      accepted = c;
      acceptedAt = sim.clock.now();
      c.setEvents(srv);
      srv.onDataHook = (d) => c.write(d);
    });
    expect(typeof l).toBe('object');
    const cli = new Recorder(sim, 'cli ');
    const c = a.connect(ep('10.0.0.2', 1883), null, cli) as StreamConn;
    expect(typeof c).toBe('object');
    expect(c.local).toEqual(ep('10.0.0.1', 49152));
    cli.onConnectHook = () => c.write(new TextEncoder().encode('hello'));
    await sim.run();
    expect(cli.times.connect).toBe(ms(20));
    expect(acceptedAt).toBe(ms(30));
    expect(accepted).not.toBeNull();
    expect(new TextDecoder().decode(srv.bytes)).toBe('hello');
    expect(srv.times.data).toBe(ms(30));
    expect(new TextDecoder().decode(cli.bytes)).toBe('hello');
    expect(cli.times.data).toBe(ms(40));
  });

  it('refuses with RST when nothing listens', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const cli = new Recorder(sim);
    a.connect(ep('10.0.0.2', 80), null, cli);
    await sim.run();
    expect(cli.error).toBe(-ECONNREFUSED);
    expect(cli.times[`error ${-ECONNREFUSED}`]).toBe(ms(4));
  });

  it('gives -EHOSTUNREACH after the ARP timeout for an address no node has', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const cli = new Recorder(sim);
    a.connect(ep('10.0.0.99', 80), null, cli);
    await sim.run();
    expect(cli.error).toBe(-EHOSTUNREACH);
    expect(cli.times[`error ${-EHOSTUNREACH}`]).toBe(2e9);
  });

  it('moves 100 kB both ways with a half-close', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'] });
    const data = pattern(100_000);
    const srv = new Recorder(sim);
    b.listen(ep('0.0.0.0', 7), 1, (c) => {
      c.setEvents(srv);
      srv.onEndHook = () => {
        // Echo everything back after the client's FIN, then close.
        let off = 0;
        const all = srv.bytes;
        const pump = (): void => {
          off += c.write(all.subarray(off));
          if (off === all.length) c.end();
        };
        srv.onWritableHook = pump;
        pump();
      };
    });
    const cli = new Recorder(sim);
    const c = a.connect(ep('10.0.0.2', 7), null, cli) as StreamConn;
    let off = 0;
    const pump = (): void => {
      off += c.write(data.subarray(off));
      if (off === data.length) c.end();
    };
    cli.onConnectHook = pump;
    cli.onWritableHook = pump;
    await sim.run();
    expect(sameBytes(srv.bytes, data)).toBe(true);
    expect(sameBytes(cli.bytes, data)).toBe(true);
    expect(cli.ended).toBe(true);
    expect(srv.ended).toBe(true);
    expect(cli.error).toBe(0);
  });
});
