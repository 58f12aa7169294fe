import { describe, expect, it } from 'vitest';
import { EADDRINUSE, EHOSTUNREACH, EMSGSIZE } from '../../../src/libc/errno.ts';
import type { DatagramConn } from '../../../src/net/conn.ts';
import { DgramRecorder, at, ep, makeNet, ms } from './helpers.ts';

describe('sim UDP', () => {
  it('delivers datagrams after the link delays, drops some on a lossy link', async () => {
    const { sim, net } = makeNet({ seed: 11 });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'], link: { latencyNs: ms(1) } });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], link: { latencyNs: ms(1), loss: 0.3 } });
    const rb = new DgramRecorder(sim);
    const ub = b.bindUdp(ep('0.0.0.0', 5683), rb) as DatagramConn;
    expect(b.bindUdp(ep('0.0.0.0', 5683), rb)).toBe(-EADDRINUSE);
    const ra = new DgramRecorder(sim);
    const ua = a.bindUdp(ep('0.0.0.0', 0), ra) as DatagramConn;
    expect(ua.local.port).toBe(49152);
    for (let i = 0; i < 200; i++) at(sim, ms(i), () => expect(ua.send(new Uint8Array([i]), ep('10.0.0.2', 5683))).toBe(0));
    await sim.run();
    expect(rb.got.length).toBeGreaterThan(110);
    expect(rb.got.length).toBeLessThan(170);
    expect(rb.got[0]!.from).toEqual(ep('10.0.0.1', 49152));
    for (const g of rb.got) expect(g.t).toBe(ms(g.data[0]! + 2));
    ub.close();
  });

  it('refuses datagrams above MTU - 28 (IPv4) and MTU - 48 (IPv6) with -EMSGSIZE', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1', '2001:db8::1'], link: { mtu: 1280 } });
    net.addNode({ name: 'b', addrs: ['10.0.0.2', '2001:db8::2'] });
    const u4 = a.bindUdp(ep('0.0.0.0', 0), new DgramRecorder(sim)) as DatagramConn;
    const u6 = a.bindUdp(ep('::', 0), new DgramRecorder(sim)) as DatagramConn;
    expect(u4.send(new Uint8Array(1252), ep('10.0.0.2', 9))).toBe(0);
    expect(u4.send(new Uint8Array(1253), ep('10.0.0.2', 9))).toBe(-EMSGSIZE);
    expect(u6.send(new Uint8Array(1232), ep('2001:db8::2', 9))).toBe(0);
    expect(u6.send(new Uint8Array(1233), ep('2001:db8::2', 9))).toBe(-EMSGSIZE);
    await sim.run();
  });

  it('drops a datagram the receiving link cannot carry', async () => {
    const { sim, net } = makeNet();
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], link: { mtu: 576 } });
    const rb = new DgramRecorder(sim);
    b.bindUdp(ep('10.0.0.2', 9), rb);
    const ua = a.bindUdp(ep('10.0.0.1', 0), new DgramRecorder(sim)) as DatagramConn;
    ua.send(new Uint8Array(548), ep('10.0.0.2', 9));
    ua.send(new Uint8Array(549), ep('10.0.0.2', 9));
    await sim.run();
    expect(rb.got.map((g) => g.data.length)).toEqual([548]);
  });

  it('reports an unreachable host after the ARP timeout', async () => {
    const { sim, net } = makeNet({ arpTimeoutNs: ms(500) });
    const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'] });
    const ra = new DgramRecorder(sim);
    const ua = a.bindUdp(ep('0.0.0.0', 0), ra) as DatagramConn;
    expect(ua.send(new Uint8Array(10), ep('10.9.9.9', 9))).toBe(0);
    await sim.run();
    expect(ra.errors).toEqual([{ err: -EHOSTUNREACH, t: ms(500) }]);
  });
});
