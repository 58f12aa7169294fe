import { describe, expect, it } from 'vitest';
import type { StreamConn } from '../../../src/net/conn.ts';
import { flagText } from '../../../src/net/sim/packet.ts';
import { Recorder, at, ep, makeNet, ms, pattern } from './helpers.ts';

/** A lossy, jittery exchange; returns the network's event log. */
async function scenario(seed: number): Promise<string[]> {
  const { sim, net } = makeNet({ seed });
  const link = { latencyNs: ms(3), jitterNs: ms(4), loss: 0.05, bandwidthBps: 2_000_000 };
  const a = net.addNode({ name: 'a', addrs: ['10.0.0.1'], link });
  const b = net.addNode({ name: 'b', addrs: ['10.0.0.2'], link });
  const c = net.addNode({ name: 'c', addrs: ['10.0.0.3'], link });
  const log: string[] = [];
  net.setTrace((e) =>
    log.push(`${e.timeNs} ${e.kind} ${e.src.addr}:${e.src.port}>${e.dst.addr}:${e.dst.port} ${flagText(e.flags)} ${e.seq} ${e.ack} ${e.len} ${e.reason ?? ''}`),
  );
  const data = pattern(20_000, seed);
  const srv = new Recorder(sim);
  b.listen(ep('0.0.0.0', 80), 4, (s) => {
    s.setEvents(srv);
    srv.onDataHook = (d) => s.write(d.subarray(0, Math.min(d.length, s.writable())));
  });
  for (const n of [a, c]) {
    const rec = new Recorder(sim);
    const conn = n.connect(ep('10.0.0.2', 80), null, rec) as StreamConn;
    let off = 0;
    rec.onConnectHook = rec.onWritableHook = () => {
      off += conn.write(data.subarray(off));
      if (off === data.length) conn.end();
    };
  }
  at(sim, ms(300), () => net.linkDown('c'));
  at(sim, ms(900), () => net.linkUp('c'));
  await sim.run();
  // Both clients' streams arrived whole despite loss and c's outage.
  expect(srv.bytes.length).toBe(2 * data.length);
  return log;
}

describe('sim network determinism', () => {
  it('the same seed gives the same event log; another seed other drops', async () => {
    const one = await scenario(42);
    const two = await scenario(42);
    const other = await scenario(43);
    expect(one.length).toBeGreaterThan(100);
    expect(two).toEqual(one);
    const drops = (l: string[]): string[] => l.filter((x) => x.includes(' drop '));
    expect(drops(one).length).toBeGreaterThan(0);
    expect(drops(other)).not.toEqual(drops(one));
  });
});
