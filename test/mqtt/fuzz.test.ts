/**
 * Decoders never throw: random bytes, random bytes behind a plausible fixed header, and valid
 * packets with bytes flipped, overwritten, inserted, deleted or cut off all give a negative errno
 * or a result, and whatever decodes re-encodes and decodes to the same packet.
 * `npm run fuzz` runs the same properties a million times.
 */

import fc from 'fast-check';
import { describe, it } from 'vitest';
import { framedRandomBytesProperty, mutatedProperty, randomBytesProperty } from './properties.ts';

describe('fuzz: decoders never throw', () => {
  it('on random bytes', () => {
    fc.assert(randomBytesProperty, { numRuns: 1000 });
  });

  it('on random bodies behind a fixed header', () => {
    fc.assert(framedRandomBytesProperty, { numRuns: 1000 });
  });

  it('on mutated valid packets, and what decodes is stable', () => {
    fc.assert(mutatedProperty, { numRuns: 1500 });
  });
});
