/**
 * `npm run fuzz`: the MQTT codec's never-throw and round-trip properties (the ones the vitest suite
 * runs a few thousand times) with 1,000,000 cases in total. Prints the count per property and
 * exits non-zero on the first failure, with fast-check's counterexample and seed.
 *
 * `FUZZ_CASES=n` scales the total; `FUZZ_SEED=s` replays a run.
 */

import fc from 'fast-check';
import {
  framedRandomBytesProperty,
  mutatedProperty,
  randomBytesProperty,
  roundTripProperty,
} from '../test/mqtt/properties.ts';

const TOTAL = Number(process.env.FUZZ_CASES ?? 1_000_000);
const SEED = process.env.FUZZ_SEED === undefined ? Date.now() : Number(process.env.FUZZ_SEED);
const CHUNK = 50_000;

console.log(`MQTT codec fuzz: ${TOTAL.toLocaleString()} cases, seed ${SEED}`);
const started = performance.now();
let total = 0;

/** Runs `property` for `share` of the total in chunks; exits the process on failure. */
function runProperty<Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IProperty<Ts>, share: number): void {
  const cases = Math.round(TOTAL * share);
  const t0 = performance.now();
  let done = 0;
  for (let chunk = 0; done < cases; chunk++) {
    const numRuns = Math.min(CHUNK, cases - done);
    // Each chunk has its own seed so a failure report replays just that chunk.
    const seed = (SEED + chunk * 7919) | 0;
    const details = fc.check(property, { numRuns, seed });
    if (details.failed) {
      console.error(`FAIL ${name} after ${(done + details.numRuns).toLocaleString()} cases`);
      console.error(fc.defaultReportMessage(details) ?? 'no report');
      process.exit(1);
    }
    done += numRuns;
  }
  total += done;
  const secs = (performance.now() - t0) / 1000;
  console.log(`  ok  ${name.padEnd(50)} ${done.toLocaleString().padStart(10)} cases  ${secs.toFixed(1)} s`);
}

runProperty('round trip (every packet, every version)', roundTripProperty, 0.4);
runProperty('never throws: random bytes', randomBytesProperty, 0.2);
runProperty('never throws: random body behind a fixed header', framedRandomBytesProperty, 0.15);
runProperty('never throws + stable: mutated valid packets', mutatedProperty, 0.25);
console.log(`passed: ${total.toLocaleString()} cases in ${((performance.now() - started) / 1000).toFixed(1)} s`);
