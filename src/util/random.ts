/**
 * Seeded, reproducible pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) for 32-bit
 * words, 53-bit uniform doubles from two words, and standard normals by the polar Box–Muller
 * method. Streams are split deterministically (per replica, per worker) by hashing the parent
 * seed with a stream id through SplitMix32, so `split(k)` never depends on how many numbers the
 * parent has drawn.
 */
import { mustBe, mustBeInteger } from './validate.js';

/** The full state of a generator, structuredClone-able, restorable with {@link Rng.fromState}. */
export interface RngState {
  /** The four 32-bit words of xoshiro128** (unsigned). */
  s: [number, number, number, number];
  /** Seed this stream was created from (kept so that {@link Rng.split} is draw-independent). */
  seed: number;
  /** Stream path of this generator below the root seed. */
  stream: number[];
  /** Cached second normal deviate of the last polar Box–Muller pair, or null. */
  spare: number | null;
}

/** SplitMix32 step: a bijective 32-bit mixer used to expand seeds into non-zero states. */
function splitMix32(x: number): number {
  let z = (x + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function stateFromSeed(seed: number, stream: readonly number[]): [number, number, number, number] {
  // Mix the seed (split into two 32-bit halves so seeds up to 2^53 are distinct) with each stream id.
  let h = splitMix32((seed >>> 0) ^ splitMix32(Math.floor(seed / 4294967296) >>> 0));
  for (const id of stream) h = splitMix32(h ^ splitMix32((id >>> 0) + 0x632be5ab));
  const s: [number, number, number, number] = [0, 0, 0, 0];
  for (let i = 0; i < 4; i++) { h = splitMix32(h + i); s[i] = h; }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point of xoshiro
  return s;
}

/**
 * A seeded random stream. Every stochastic API in deeprelax takes a seed and builds one of these.
 * @example const rng = new Rng(42); const x = rng.normal(); rng.fillNormal(buffer);
 */
export class Rng {
  private s0: number; private s1: number; private s2: number; private s3: number;
  private spare: number | null = null;
  private readonly seed: number;
  private readonly stream: number[];

  /**
   * @param seed - a non-negative integer below 2^53
   * @param stream - optional stream path (used by {@link split})
   * @throws RangeError if `seed` is not a non-negative safe integer
   */
  constructor(seed: number, stream: readonly number[] = []) {
    mustBeInteger('Rng', 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
    this.seed = seed;
    this.stream = [...stream];
    [this.s0, this.s1, this.s2, this.s3] = stateFromSeed(seed, stream);
  }

  /** Restores a generator from {@link state} output. */
  static fromState(state: RngState): Rng {
    const rng = new Rng(state.seed, state.stream);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.s;
    rng.spare = state.spare;
    return rng;
  }

  /** A snapshot of the state (plain data). */
  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], seed: this.seed, stream: [...this.stream], spare: this.spare };
  }

  /**
   * An independent child stream number `id`, derived from this stream's seed and path only, so the
   * children of one parent are the same whatever the parent has drawn.
   */
  split(id: number): Rng {
    mustBeInteger('Rng.split', 'id', id, 0, 0xffffffff);
    return new Rng(this.seed, [...this.stream, id]);
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t; this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). Uses rejection so that every value is equally likely. */
  integer(n: number): number {
    mustBeInteger('Rng.integer', 'n', n, 1, 0xffffffff);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) { const r = this.nextUint32(); if (r < limit) return r % n; }
  }

  /** Standard normal deviate (polar Box–Muller; the pair's second value is cached). */
  normal(): number {
    if (this.spare !== null) { const v = this.spare; this.spare = null; return v; }
    for (;;) {
      const a = 2 * this.uniform() - 1, b = 2 * this.uniform() - 1;
      const r2 = a * a + b * b;
      if (r2 >= 1 || r2 === 0) continue;
      const scale = Math.sqrt((-2 * Math.log(r2)) / r2);
      this.spare = b * scale;
      return a * scale;
    }
  }

  /** Fills `out` with uniforms in [lo, hi). */
  fillUniform(out: Float64Array | Float32Array, lo = 0, hi = 1): void {
    mustBe('Rng.fillUniform', 'hi', hi, hi > lo, `> lo = ${lo}`);
    const width = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + width * this.uniform();
  }

  /** Fills `out` with normals of mean `mean` and standard deviation `std`. */
  fillNormal(out: Float64Array | Float32Array, mean = 0, std = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(values: Int32Array | number[]): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = values[i]; values[i] = values[j]; values[j] = tmp;
    }
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
