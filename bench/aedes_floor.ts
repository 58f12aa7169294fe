/**
 * What the embedded broker alone costs for the 24 h fleet row's traffic: aedes (as `zsim fleet`
 * creates it) serving `clients` in-memory connections that each publish one QoS 1 message per
 * round and wait for its PUBACK, for `rounds` rounds (8,640 rounds of 10 s = 24 h). The clients
 * do as little as a client can: they write prebuilt bytes (only the packet id changes) and count
 * 4-byte PUBACKs, with no parser. So the wall time is a floor for any simulator that puts the same
 * traffic through aedes: what is left of a budget after it is all the boards may use.
 */
import { Duplex } from 'node:stream';
import { Aedes } from 'aedes';
import mqttPacket from 'mqtt-packet';

export interface AedesFloor {
  publishes: number;
  wallS: number;
}

export async function aedesFloor(rounds: number, clients: number): Promise<AedesFloor> {
  const broker = await Aedes.createBroker();
  const ends: { srv: Duplex; pub: Buffer; connected: boolean; acked: number }[] = [];
  let connacks = 0;
  let pending = 0;
  let round = 0;
  let t0 = 0;
  let done: (r: AedesFloor) => void = () => {};
  const finished = new Promise<AedesFloor>((r) => (done = r));

  const fire = (): void => {
    if (round === 0) t0 = performance.now();
    if (round === rounds) {
      done({ publishes: rounds * clients, wallS: (performance.now() - t0) / 1000 });
      return;
    }
    round++;
    pending = clients;
    const id = (round % 65535) + 1;
    for (const e of ends) {
      const b = Buffer.from(e.pub);
      // The packet id sits just before the payload (QoS 1, no properties).
      b.writeUInt16BE(id, b.length - PAYLOAD.length - 2);
      e.srv.push(b);
    }
  };
  const fromBroker = (e: (typeof ends)[number], chunk: Buffer): void => {
    if (!e.connected) {
      e.connected = true;
      if (++connacks === clients) fire();
      return;
    }
    e.acked += chunk.length;
    if (e.acked % 4 === 0 && --pending === 0) setImmediate(fire);
  };

  for (let i = 0; i < clients; i++) {
    const id = `zsim-${String(i).padStart(5, '0')}`;
    const e = {
      srv: null as unknown as Duplex,
      pub: mqttPacket.generate({ cmd: 'publish', topic: `tock/${id}`, payload: PAYLOAD, qos: 1, messageId: 1, dup: false, retain: false }),
      connected: false,
      acked: 0,
    };
    e.srv = new Duplex({
      read() {},
      write(chunk: Buffer, _enc, cb) {
        fromBroker(e, chunk);
        cb();
      },
      writev(chunks, cb) {
        for (const c of chunks) fromBroker(e, c.chunk as Buffer);
        cb();
      },
    });
    ends.push(e);
    broker.handle(e.srv);
    e.srv.push(mqttPacket.generate({ cmd: 'connect', protocolId: 'MQTT', protocolVersion: 4, clean: true, clientId: id, keepalive: 60 }));
  }
  const r = await finished;
  for (const e of ends) e.srv.destroy();
  await new Promise<void>((res) => broker.close(() => res()));
  return r;
}

/** A tock's payload as the tick-tock sample sends it (`<id> <uptime s>`). */
const PAYLOAD = Buffer.from('zsim-00042 86390');
