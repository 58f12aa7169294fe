import { describe, expect, it } from 'vitest';
import mqtt from 'mqtt-packet';
import type { Packet } from 'mqtt-packet';
import { startSimBroker } from '../../../src/net/sim/broker.ts';
import { connectDuplex, type SimDuplex } from '../../../src/net/sim/duplex.ts';
import { ep, makeNet, ms } from './helpers.ts';
import type { Simulation } from '../../../src/kernel/sim.ts';

/** A minimal MQTT 3.1.1 client over a simulated connection: logs every packet with its virtual time. */
function client(sim: Simulation, d: SimDuplex, id: string, log: string[], onPacket: (p: Packet) => void): void {
  const parser = mqtt.parser({ protocolVersion: 4 });
  parser.on('packet', (p: Packet) => {
    log.push(`${sim.clock.now()} ${id} ${p.cmd}${p.cmd === 'publish' ? ` ${p.topic}=${String(p.payload)}` : ''}`);
    onPacket(p);
  });
  d.on('data', (b: Buffer) => parser.parse(b));
  d.on('connect', () => {
    log.push(`${sim.clock.now()} ${id} tcp-connected`);
    d.write(mqtt.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: id, keepalive: 60 }));
  });
}

async function scenario(seed: number): Promise<{ log: string[]; gate: { maxQuietGap: number; maxBusyTurns: number; holds: number; turns: number } }> {
  const { sim, net } = makeNet({ seed });
  const broker = await startSimBroker(net, { addr: '10.0.0.100' });
  const dev = net.addNode({ name: 'dev', addrs: ['10.0.0.1'], link: { latencyNs: ms(5) } });
  const app = net.addNode({ name: 'app', addrs: ['10.0.0.2'], link: { latencyNs: ms(20), jitterNs: ms(10) } });
  const log: string[] = [];
  const d1 = connectDuplex(dev, ep('10.0.0.100', 1883)) as SimDuplex;
  let d2: SimDuplex | null = null;
  client(sim, d1, 'dev', log, (p) => {
    if (p.cmd === 'connack') d1.write(mqtt.generate({ cmd: 'subscribe', messageId: 1, subscriptions: [{ topic: 'dev/cmd', qos: 0 }] }));
    else if (p.cmd === 'suback') {
      // Only now does the application connect and publish.
      d2 = connectDuplex(app, ep('10.0.0.100', 1883)) as SimDuplex;
      client(sim, d2, 'app', log, (q) => {
        if (q.cmd === 'connack') {
          d2!.write(mqtt.generate({ cmd: 'publish', topic: 'dev/cmd', payload: Buffer.from('on'), qos: 0, retain: false, dup: false }));
          d2!.end(mqtt.generate({ cmd: 'disconnect' }));
        }
      });
    } else if (p.cmd === 'publish') d1.end(mqtt.generate({ cmd: 'disconnect' }));
  });
  await sim.run();
  await broker.close();
  return { log, gate: { ...net.gate.stats } };
}

describe('aedes over the simulated network', () => {
  it('a client connects, subscribes and receives a publish, with identical times in two runs', async () => {
    const one = await scenario(7);
    const two = await scenario(7);
    // dev <-> broker: 5 ms + 1 ms each way, so a round trip is 12 ms.
    expect(one.log.slice(0, 3)).toEqual([`${ms(12)} dev tcp-connected`, `${ms(24)} dev connack`, `${ms(36)} dev suback`]);
    expect(one.log.at(-1)).toMatch(/ dev publish dev\/cmd=on$/);
    expect(two.log).toEqual(one.log);
    // The broker's answers came within the gate's quiet window, every time.
    expect(one.gate.maxQuietGap).toBeLessThan(2);
  });
});
