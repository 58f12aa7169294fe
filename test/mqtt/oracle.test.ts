/**
 * mqtt-packet as an independent oracle for 3.1.1 and 5.0: what we encode, mqtt-packet parses to
 * the same fields, and what mqtt-packet generates, we decode to the same fields.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { mqtt_packet, mqtt_version } from '../../src/net/mqtt/index.ts';
import { mqtt_packet_decode } from '../../src/net/mqtt/index.ts';
import { packetArbs } from './arbitraries.ts';
import { fromTheirs, oracleSafe, theirGenerate, theirParse, toTheirs } from './oracle.ts';
import { encodeOrThrow } from './properties.ts';

/** 2 versions x 2 directions x 550 cases. */
const RUNS = 550;

const safePacketArb = (v: mqtt_version): fc.Arbitrary<mqtt_packet> =>
  fc.oneof(...Object.values(packetArbs(v))).map((p) => oracleSafe(v, p));

describe.each([4, 5] as const)('mqtt-packet oracle, protocol level %i', (v) => {
  it('mqtt-packet parses our encoding to the same fields', () => {
    fc.assert(
      fc.property(safePacketArb(v), (pkt) => {
        expect(fromTheirs(v, theirParse(v, encodeOrThrow(v, pkt)))).toEqual(pkt);
      }),
      { numRuns: RUNS },
    );
  });

  it('we decode what mqtt-packet generates to the same fields', () => {
    fc.assert(
      fc.property(safePacketArb(v), (pkt) => {
        const bytes = theirGenerate(v, toTheirs(v, pkt));
        const d = mqtt_packet_decode(v, bytes);
        expect(d).toEqual({ ...pkt, size: bytes.length });
      }),
      { numRuns: RUNS },
    );
  });
});
