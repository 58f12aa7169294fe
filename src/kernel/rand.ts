/**
 * The seeded random generator behind `sys_rand32_get`: one per board, so runs with the same seed
 * are reproducible and the boards of a fleet draw unrelated streams.
 *
 * Pure arithmetic with no kernel state (the app-facing calls are in `time_api.ts`).
 */

/** xoshiro128**: small, fast, and good enough for a simulator's `sys_rand32_get`. */
export class Xoshiro128 {
  private readonly s: Uint32Array;

  /** A stream for board `index` of a run seeded with `seed`. */
  constructor(seed: number, index: number) {
    this.s = seedState(seed, index);
  }

  /** The next 32-bit value. */
  next(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function seedState(seed: number, index: number): Uint32Array {
  // splitmix32 spreads (seed, index) over the 128-bit state, so neighbouring boards are unrelated.
  let x = (Math.imul(seed >>> 0, 0x9e3779b9) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0;
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    s[i] = (z ^ (z >>> 16)) >>> 0;
  }
  // An all-zero state would only ever yield zeros.
  if (s.every((v) => v === 0)) s[0] = 1;
  return s;
}
