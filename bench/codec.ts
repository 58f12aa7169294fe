/**
 * MQTT codec throughput against mqtt-packet: generate and parse of PUBLISH, CONNECT and SUBSCRIBE
 * (MQTT 3.1.1).
 *
 * Fairness: both sides get the same packets (checked to encode to the same bytes), each call
 * handles the same batch of packets, each side is warmed up by `opsPerSecond`, the two sides are
 * measured alternately over several rounds (median kept) so neither always runs first, and every
 * result feeds a checksum so no work can be optimised away. Each library is used through its
 * normal API: ours encodes into a caller-owned buffer and decodes to views, mqtt-packet's
 * `generate` returns a new Buffer and its parser emits objects with JS strings.
 */

import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqttPacket from 'mqtt-packet';
import type { Packet, Parser } from 'mqtt-packet';
import type { BenchRow } from './harness.ts';
import { opsPerSecond } from './harness.ts';
import type { mqtt_packet } from '../src/net/mqtt/index.ts';
import {
  MQTT_PKT_TYPE_CONNECT,
  MQTT_PKT_TYPE_PUBLISH,
  MQTT_PKT_TYPE_SUBSCRIBE,
  MQTT_UTF8_LITERAL as S,
  MQTT_VERSION_3_1_1,
  mqtt_packet_decode,
  mqtt_packet_encode,
} from '../src/net/mqtt/index.ts';

const V = MQTT_VERSION_3_1_1;
const BATCH = 200;
const ROUNDS = 3;
const TARGET = 2;

interface bench_case {
  name: string;
  ours: mqtt_packet;
  theirs: Packet;
}

const payload = Uint8Array.from({ length: 64 }, (_, i) => (i * 7) & 0xff);

const CASES: bench_case[] = [
  {
    name: 'PUBLISH',
    ours: {
      type: MQTT_PKT_TYPE_PUBLISH,
      param: {
        message: { topic: { topic: S('sensors/temperature/room1'), qos: 1 }, payload: { data: payload, len: payload.length } },
        message_id: 42,
        dup_flag: false,
        retain_flag: false,
      },
    },
    theirs: {
      cmd: 'publish',
      topic: 'sensors/temperature/room1',
      payload: Buffer.from(payload),
      qos: 1,
      messageId: 42,
      dup: false,
      retain: false,
    },
  },
  {
    name: 'CONNECT',
    ours: {
      type: MQTT_PKT_TYPE_CONNECT,
      param: {
        protocol_version: V,
        client_id: S('zsim-client-0001'),
        keepalive: 60,
        clean_session: true,
        will_topic: { topic: S('clients/zsim-client-0001/status'), qos: 1 },
        will_message: S('offline'),
        will_retain: true,
        user_name: S('zephyr'),
        password: S('secret-password'),
      },
    },
    theirs: {
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'zsim-client-0001',
      keepalive: 60,
      clean: true,
      will: { topic: 'clients/zsim-client-0001/status', payload: Buffer.from('offline'), qos: 1, retain: true },
      username: 'zephyr',
      password: Buffer.from('secret-password'),
    },
  },
  {
    name: 'SUBSCRIBE',
    ours: {
      type: MQTT_PKT_TYPE_SUBSCRIBE,
      param: {
        message_id: 7,
        list_count: 3,
        list: [
          { topic: S('sensors/+/room1'), qos: 0 },
          { topic: S('actuators/#'), qos: 1 },
          { topic: S('config/zsim-client-0001'), qos: 2 },
        ],
      },
    },
    theirs: {
      cmd: 'subscribe',
      messageId: 7,
      subscriptions: [
        { topic: 'sensors/+/room1', qos: 0 },
        { topic: 'actuators/#', qos: 1 },
        { topic: 'config/zsim-client-0001', qos: 2 },
      ],
    },
  },
];

let sink = 0;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

async function compare(name: string, ours: () => void, theirs: () => void, ms: number): Promise<BenchRow> {
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which side goes first so JIT and GC state favour neither.
    if (r % 2 === 0) {
      a.push(await opsPerSecond(ours, BATCH, ms));
      b.push(await opsPerSecond(theirs, BATCH, ms));
    } else {
      b.push(await opsPerSecond(theirs, BATCH, ms));
      a.push(await opsPerSecond(ours, BATCH, ms));
    }
  }
  return { name, unit: 'ops/s', ours: median(a), peer: median(b), peerName: 'mqtt-packet 9', target: TARGET };
}

/** Benchmark rows: generate and parse of each packet, ours vs mqtt-packet. */
export async function run(ms = 300): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const out = new Uint8Array(4096);
  for (const c of CASES) {
    const n = mqtt_packet_encode(V, c.ours, out);
    const ourBytes = out.slice(0, n);
    const theirBytes = mqttPacket.generate(c.theirs, { protocolVersion: V });
    if (n <= 0 || !theirBytes.equals(Buffer.from(ourBytes))) throw new Error(`${c.name}: the two encodings differ`);

    rows.push(
      await compare(
        `mqtt ${c.name} generate`,
        () => {
          for (let i = 0; i < BATCH; i++) sink += mqtt_packet_encode(V, c.ours, out);
        },
        () => {
          for (let i = 0; i < BATCH; i++) sink += mqttPacket.generate(c.theirs, { protocolVersion: V }).length;
        },
        ms,
      ),
    );

    const parser: Parser = mqttPacket.parser({ protocolVersion: V });
    parser.on('packet', (p: Packet) => {
      sink += p.length ?? 0;
    });
    rows.push(
      await compare(
        `mqtt ${c.name} parse`,
        () => {
          for (let i = 0; i < BATCH; i++) {
            const d = mqtt_packet_decode(V, ourBytes);
            sink += typeof d === 'number' ? d : d.size;
          }
        },
        () => {
          for (let i = 0; i < BATCH; i++) parser.parse(theirBytes);
        },
        ms,
      ),
    );
  }
  if (sink === 0) throw new Error('benchmark did no work');
  return rows;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const r of await run()) {
    const ratio = r.ours / r.peer;
    console.log(
      `${r.name.padEnd(24)} ours ${Math.round(r.ours).toLocaleString().padStart(12)}  ` +
        `${r.peerName} ${Math.round(r.peer).toLocaleString().padStart(12)}  ratio ${ratio.toFixed(2)}x ` +
        `(target ${r.target}x) ${ratio >= r.target ? 'ok' : 'BELOW TARGET'}`,
    );
  }
}
