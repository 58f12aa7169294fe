/**
 * Round trip of every packet type in every protocol version: decode(encode(p)) equals p, the
 * decoded packet re-encodes to the same bytes, and a truncated packet asks for more bytes.
 */

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { VERSIONS, packetArbs } from './arbitraries.ts';
import { checkRoundTrip } from './properties.ts';

/** 43 (version, packet type) pairs x 100 cases. */
const RUNS_PER_TYPE = 100;

describe.each(VERSIONS)('round trip, protocol level %i', (version) => {
  const arbs = packetArbs(version);
  it.each(Object.keys(arbs))('%s', (name) => {
    fc.assert(
      fc.property(arbs[name], fc.double({ min: 0, max: 1, noNaN: true }), (pkt, cut) => checkRoundTrip(version, pkt, cut)),
      { numRuns: RUNS_PER_TYPE },
    );
  });
});
