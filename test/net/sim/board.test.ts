import { describe, expect, it } from 'vitest';
import { runBoard } from '../../helpers/board.ts';
import { cpu } from '../../../src/kernel/cpu.ts';
import { K_FOREVER, k_sem, k_sem_give, k_sem_init, k_sem_take, k_uptime_get } from '../../../src/kernel/index.ts';
import type { Simulation } from '../../../src/kernel/sim.ts';
import type { StreamConn } from '../../../src/net/conn.ts';
import { SimNetwork } from '../../../src/net/sim/network.ts';
import { ep, ms } from './helpers.ts';

describe('a board on the simulated network', () => {
  it('a thread connects, sends and gets the echo, blocking in virtual time', async () => {
    const log: string[] = [];
    const r = await runBoard(async () => {
      const k = cpu.kernel!;
      // The board's simulation hosts the network; a host-side echo server sits on another node.
      const net = new SimNetwork(k.host as Simulation, { seed: 1 });
      const dev = net.addNode({ name: 'dev', addrs: ['192.0.2.10'], link: { latencyNs: ms(10) } });
      const srv = net.addNode({ name: 'srv', addrs: ['192.0.2.1'] });
      srv.listen(ep('0.0.0.0', 7), 1, (c) =>
        c.setEvents({ onConnect() {}, onData: (d) => c.write(d), onWritable() {}, onEnd: () => c.end(), onError() {} }),
      );
      // What the socket layer will do: network events run in the board's ISR context and wake the thread.
      const sem = new k_sem();
      k_sem_init(sem, 0, 10);
      let got = '';
      const wake = (): void => k.isr(() => k_sem_give(sem));
      const conn = dev.connect(ep('192.0.2.1', 7), null, {
        onConnect: wake,
        onData: (d) => {
          got += new TextDecoder().decode(d);
          wake();
        },
        onWritable: wake,
        onEnd: wake,
        onError: wake,
      }) as StreamConn;
      await k_sem_take(sem, K_FOREVER);
      log.push(`connected at ${k_uptime_get()} ms`);
      conn.write(new TextEncoder().encode('hi'));
      await k_sem_take(sem, K_FOREVER);
      log.push(`got ${got} at ${k_uptime_get()} ms`);
      conn.end();
      await k_sem_take(sem, K_FOREVER);
      log.push(`peer closed at ${k_uptime_get()} ms`);
    });
    expect(r.result.reason).toBe('finished');
    // dev <-> srv: (10 + 1) ms each way.
    expect(log).toEqual(['connected at 22 ms', 'got hi at 44 ms', 'peer closed at 66 ms']);
  });
});
