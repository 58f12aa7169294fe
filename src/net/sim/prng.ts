/**
 * The simulated network's one source of randomness: loss, jitter, initial sequence numbers and
 * randomized retransmission timeouts all draw from it, in event order, so one seed gives one run.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32: 128 bits of state,
 * passes PractRand far beyond what a simulation draws, and is cheap in 32-bit JavaScript arithmetic.
 */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed (0, 1, 2...) over the whole state so nearby seeds diverge at once.
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** A uniform integer in [0, n) for n <= 2^32 (n > 0). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }
}
