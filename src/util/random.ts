/**
 * Seeded, reproducible pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) for 32-bit
 * words, 53-bit uniform doubles from two words, and standard normals by the polar Box–Muller
 * method. Streams are split deterministically (per replica, per worker) by hashing the parent
 * seed and its stream path with the child's id into a fresh 128-bit state, so `split(k)` never
 * depends on how many numbers the parent has drawn.
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

/** Rotates the 32-bit word x left by k bits. */
function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Expands (seed, stream path) into a 128-bit xoshiro state. A sponge over 128 bits: each 32-bit input
 * word (seed low half, seed high half, path length, path ids) is xored into one lane, then the four
 * lanes go through eight ChaCha quarter-rounds, a bijection of 128 bits. Distinct inputs therefore
 * collide only by a 128-bit coincidence. (A 32-bit intermediate hash, as in SplitMix32 chains, makes
 * colliding seeds easy to construct and streams collide after ~2^16 splits by the birthday bound.)
 */
function stateFromSeed(seed: number, stream: readonly number[]): [number, number, number, number] {
  // ChaCha's constants "expand 32-byte k": a non-symmetric start (the all-zero state is a fixed point).
  let a = 0x61707865, b = 0x3320646e, c = 0x79622d32, d = 0x6b206574;
  const absorb = (word: number): void => {
    a ^= word;
    for (let round = 0; round < 8; round++) {
      a = (a + b) | 0; d = rotl(d ^ a, 16);
      c = (c + d) | 0; b = rotl(b ^ c, 12);
      a = (a + b) | 0; d = rotl(d ^ a, 8);
      c = (c + d) | 0; b = rotl(b ^ c, 7);
    }
  };
  absorb(seed >>> 0);
  absorb(Math.floor(seed / 4294967296) >>> 0);
  absorb(stream.length);
  for (const id of stream) absorb(id >>> 0);
  const s: [number, number, number, number] = [a >>> 0, b >>> 0, c >>> 0, d >>> 0];
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
   * @throws RangeError if `seed` is not a non-negative safe integer or a stream id is not a 32-bit unsigned integer
   */
  constructor(seed: number, stream: readonly number[] = []) {
    mustBeInteger('Rng', 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
    mustBe('Rng', 'stream', stream, Array.isArray(stream)
      && stream.every((id) => Number.isInteger(id) && id >= 0 && id <= 0xffffffff), 'an array of integers in [0, 4294967295]');
    this.seed = seed;
    this.stream = [...stream];
    [this.s0, this.s1, this.s2, this.s3] = stateFromSeed(seed, stream);
  }

  /**
   * Restores a generator from {@link state} output.
   * @throws RangeError if the words are not four unsigned 32-bit integers (not all zero), `spare` is
   *   neither null nor a finite number, or the seed or stream ids are invalid (as in the constructor)
   */
  static fromState(state: RngState): Rng {
    const words = state?.s;
    mustBe('Rng.fromState', 'state.s', words, Array.isArray(words) && words.length === 4
      && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && words.some((w) => w !== 0),
      'four unsigned 32-bit integers, not all zero');
    mustBe('Rng.fromState', 'state.spare', state.spare, state.spare === null || Number.isFinite(state.spare), 'null or a finite number');
    const rng = new Rng(state.seed, state.stream);
    [rng.s0, rng.s1, rng.s2, rng.s3] = state.s;
    rng.spare = state.spare;
    return rng;
  }

  /** A snapshot of the state (plain data). */
  state(): RngState {
    // The words are kept as signed int32 by the bit operations; the snapshot stores them unsigned.
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], seed: this.seed, stream: [...this.stream], spare: this.spare };
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
