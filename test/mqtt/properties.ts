/**
 * The codec's properties as plain checks that throw on failure, so the vitest suites (a few
 * thousand cases) and `bench/fuzz.ts` (a million) run exactly the same properties.
 */

import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import type { mqtt_fixed_header, mqtt_packet, mqtt_version } from '../../src/net/mqtt/index.ts';
import {
  auth_decode,
  connect_ack_decode,
  connect_request_decode,
  disconnect_decode,
  fixed_header_decode,
  mqtt_packet_decode,
  mqtt_packet_encode,
  publish_ack_decode,
  publish_complete_decode,
  publish_decode,
  publish_receive_decode,
  publish_release_decode,
  subscribe_ack_decode,
  subscribe_decode,
  unsubscribe_ack_decode,
  unsubscribe_decode,
} from '../../src/net/mqtt/index.ts';
import { VERSIONS, anyPacketArb } from './arbitraries.ts';

const EAGAIN = 11;

function fail(msg: string, detail?: unknown): never {
  throw new Error(detail === undefined ? msg : `${msg}: ${describe(detail)}`);
}

function describe(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? `<${Buffer.from(x).toString('hex')}>` : x));
}

const scratch = new Uint8Array(1 << 16);

/** Encodes `pkt` into a fresh array (its exact size), or throws. */
export function encodeOrThrow(version: mqtt_version, pkt: mqtt_packet): Uint8Array {
  const n = mqtt_packet_encode(version, pkt, scratch, 0);
  if (n <= 0) fail(`encode returned ${n}`, pkt);
  return scratch.slice(0, n);
}

/**
 * decode(encode(p)) deep-equals p; the decoded `size` is the encoded length; the packet decodes
 * the same at an offset inside a larger buffer followed by other bytes; re-encoding the decoded
 * packet gives the same bytes; and a truncated copy is "need more bytes" (-EAGAIN).
 */
export function checkRoundTrip(version: mqtt_version, pkt: mqtt_packet, cut = 0.5): void {
  const bytes = encodeOrThrow(version, pkt);
  const d = mqtt_packet_decode(version, bytes);
  if (typeof d === 'number') fail(`decode returned ${d}`, { pkt, bytes });
  if (d.size !== bytes.length) fail(`decoded size ${d.size} != ${bytes.length}`);
  const { size: _size, ...decoded } = d;
  if (!isDeepStrictEqual(decoded, pkt)) fail('round trip differs', { pkt, decoded });

  const again = encodeOrThrow(version, decoded);
  if (!isDeepStrictEqual(again, bytes)) fail('re-encoding differs', { bytes, again });

  const framed = new Uint8Array(bytes.length + 7);
  framed.set(bytes, 3);
  framed.set([0xff, 0xff, 0xff, 0xff], bytes.length + 3);
  const at = mqtt_packet_decode(version, framed, 3);
  if (typeof at === 'number' || at.size !== bytes.length) fail(`decode at offset gave ${describe(at)}`);
  const { size: _s2, ...decodedAt } = at;
  if (!isDeepStrictEqual(decodedAt, pkt)) fail('decode at offset differs', { pkt, decodedAt });

  const prefix = Math.min(bytes.length - 1, Math.floor(bytes.length * cut));
  const partial = mqtt_packet_decode(version, bytes, 0, prefix);
  if (partial !== -EAGAIN) fail(`prefix of ${prefix}/${bytes.length} bytes gave ${describe(partial)}, not -EAGAIN`);
}

/** Runs every decoder on `bytes`: each must return a negative errno or a result, never throw. */
export function checkNeverThrows(version: number, bytes: Uint8Array): void {
  const d = mqtt_packet_decode(version, bytes);
  if (typeof d === 'number') {
    if (!(d < 0)) fail(`decode returned ${d}`);
  } else if (!(d.size >= 2 && d.size <= bytes.length)) {
    fail(`decoded size ${d.size} of ${bytes.length} bytes`);
  }
  const hdr: mqtt_fixed_header = { type_and_flags: 0, length: 0 };
  const h = fixed_header_decode({ buf: bytes, cur: 0, end: bytes.length }, hdr);
  if (!(h === 0 || h < 0)) fail(`fixed_header_decode returned ${h}`);

  // Each body decoder straight on the bytes, as if they were a packet body.
  const ctx = () => ({ buf: bytes, cur: 0, end: bytes.length });
  const results: unknown[] = [
    connect_request_decode(ctx()),
    connect_ack_decode(version, ctx()),
    publish_decode(version, bytes.length > 0 ? bytes[0] : 0, bytes.length, ctx()),
    publish_decode(version, 0x02, bytes.length + 5, ctx()),
    publish_ack_decode(version, ctx()),
    publish_receive_decode(version, ctx()),
    publish_release_decode(version, ctx()),
    publish_complete_decode(version, ctx()),
    subscribe_decode(version, ctx()),
    subscribe_ack_decode(version, ctx()),
    unsubscribe_decode(version, ctx()),
    unsubscribe_ack_decode(version, ctx()),
    disconnect_decode(version, ctx()),
    auth_decode(version, ctx()),
  ];
  for (const r of results) {
    if (typeof r === 'number' ? !(r < 0) : typeof r !== 'object' || r === null) fail(`decoder returned ${describe(r)}`);
  }
}

/** A byte-level edit of an encoded packet. */
export interface mutation {
  kind: number;
  pos: number;
  val: number;
}

export const mutationsArb: fc.Arbitrary<mutation[]> = fc.array(
  fc.record({ kind: fc.integer({ min: 0, max: 4 }), pos: fc.nat(), val: fc.integer({ min: 0, max: 255 }) }),
  { minLength: 1, maxLength: 4 },
);

export function mutate(bytes: Uint8Array, muts: mutation[]): Uint8Array {
  let b = Array.from(bytes);
  for (const m of muts) {
    const pos = b.length === 0 ? 0 : m.pos % (b.length + 1);
    switch (m.kind) {
      case 0: // flip bits
        if (pos < b.length) b[pos] ^= m.val | 1;
        break;
      case 1: // overwrite
        if (pos < b.length) b[pos] = m.val;
        break;
      case 2: // truncate
        b = b.slice(0, pos);
        break;
      case 3: // insert
        b.splice(pos, 0, m.val);
        break;
      default: // delete
        b.splice(pos, 1);
    }
  }
  return Uint8Array.from(b);
}

/**
 * A mutated valid packet never makes a decoder throw, and whatever decodes is stable: encoding the
 * decoded packet and decoding that gives the same packet again.
 */
export function checkMutated(version: mqtt_version, pkt: mqtt_packet, muts: mutation[]): void {
  const bytes = mutate(encodeOrThrow(version, pkt), muts);
  checkNeverThrows(version, bytes);
  const d = mqtt_packet_decode(version, bytes);
  if (typeof d === 'number') return;
  const { size: _size, ...decoded } = d;
  // A mutated CONNECT may announce another protocol level; that is the level it re-encodes with.
  const v = decoded.type === 0x10 ? decoded.param.protocol_version : version;
  const re = encodeOrThrow(v, decoded);
  const d2 = mqtt_packet_decode(v, re);
  if (typeof d2 === 'number') fail(`re-decode returned ${d2}`, { decoded, re });
  const { size: _s2, ...decoded2 } = d2;
  if (!isDeepStrictEqual(decoded2, decoded)) fail('decode is not stable', { decoded, decoded2 });
}

/* The properties, for fc.assert with whatever numRuns the caller wants. */

export const roundTripProperty = fc.property(anyPacketArb, fc.double({ min: 0, max: 1, noNaN: true }), (p, cut) =>
  checkRoundTrip(p.version, p.pkt, cut),
);

export const randomBytesProperty = fc.property(
  fc.constantFrom(...VERSIONS),
  fc.uint8Array({ maxLength: 96 }),
  (version, bytes) => checkNeverThrows(version, bytes),
);

/** Random bytes behind a plausible fixed header, so they reach the body decoders more often. */
export const framedRandomBytesProperty = fc.property(
  fc.constantFrom(...VERSIONS),
  fc.integer({ min: 0, max: 255 }),
  fc.uint8Array({ maxLength: 96 }),
  (version, first, body) => {
    const bytes = new Uint8Array(body.length + 2);
    bytes[0] = first;
    bytes[1] = body.length;
    bytes.set(body, 2);
    checkNeverThrows(version, bytes);
  },
);

export const mutatedProperty = fc.property(anyPacketArb, mutationsArb, (p, muts) => checkMutated(p.version, p.pkt, muts));
