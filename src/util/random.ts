/**
 * Seeded, reproducible pseudo-random numbers: xoshiro128** (Blackman & Vigna 2018) for 32-bit
 * words, 53-bit uniform doubles from two words, and standard normals by the Marsaglia–Tsang
 * ziggurat (256 layers, 53-bit resolution, two words per attempt). Streams are split
 * deterministically (per replica, per worker) by hashing the parent seed and its stream path with
 * the child's id into a fresh 128-bit state, so `split(k)` never depends on how many numbers the
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

// ---------------------------------------------------------------------------------------------
// Ziggurat tables (Marsaglia & Tsang 2000, "The ziggurat method for generating random variables",
// J. Stat. Softw. 5(8)), built once at load from the exact formulas; constant afterwards.
//
// With f(x) = exp(−x²/2), the region under f on x ≥ 0 is covered by LAYERS pieces of equal area v:
// layer 0 is the base strip [0, r]×[0, f(r)] plus the tail x > r (width x₀ = v/f(r)); layer i ≥ 1 is
// the rectangle [0, xᵢ]×[f(xᵢ), f(xᵢ₊₁)] with x₁ = r, xᵢ₊₁ = f⁻¹(f(xᵢ) + v/xᵢ) and x_LAYERS = 0.
// v(r) = r f(r) + ∫_r^∞ f, and r is the root of the closure condition f(x₂₅₅) + v/x₂₅₅ = 1 (the top
// layer ends exactly at the mode), found by bisection; it agrees with the published
// r = 3.6541528853610088 to ~1e-15.
const LAYERS = 256;
const TWO_53 = 9007199254740992;

/** ∫_r^∞ exp(−t²/2) dt = f(r)·M(r), with Mills' ratio M(r) = 1/(r + 1/(r + 2/(r + 3/(r + …)))) (Laplace's continued fraction), r ≥ 3. */
function gaussTail(r: number): number {
  let fraction = r;
  for (let k = 200; k >= 1; k--) fraction = r + k / fraction; // converges to rounding for r ≥ 3 well before 200 terms
  return Math.exp(-r * r / 2) / fraction;
}

/** Layer edges x₀…x_LAYERS for base r; returns the closure residual f(x_{N−1}) + v/x_{N−1} − 1 (> 0: r too small). */
function layerEdges(r: number, x: Float64Array): number {
  const v = r * Math.exp(-r * r / 2) + gaussTail(r);
  x[0] = v / Math.exp(-r * r / 2);
  x[1] = r;
  for (let i = 1; i < LAYERS - 1; i++) {
    const next = Math.exp(-x[i] * x[i] / 2) + v / x[i];
    if (next >= 1) return 1; // the mode is reached before the last layer
    x[i + 1] = Math.sqrt(-2 * Math.log(next));
  }
  x[LAYERS] = 0;
  return Math.exp(-x[LAYERS - 1] * x[LAYERS - 1] / 2) + v / x[LAYERS - 1] - 1;
}

const zigX = new Float64Array(LAYERS + 1);
/** Base of the ziggurat: the start of the tail. */
const ZIG_R = ((): number => {
  let lo = 3, hi = 4; // closure residual > 0 at 3 (too few layers needed), < 0 at 4
  for (let it = 0; it < 100 && hi - lo > 4e-16 * hi; it++) {
    const mid = (lo + hi) / 2;
    if (layerEdges(mid, zigX) > 0) lo = mid; else hi = mid;
  }
  layerEdges(hi, zigX);
  return hi;
})();
/** zigW[i] = xᵢ/2^53: a 53-bit integer m maps to x = m·zigW[i] ∈ [0, xᵢ). */
const zigW = new Float64Array(LAYERS);
/** zigK[i] = ⌊2^53·xᵢ₊₁/xᵢ⌋: m < zigK[i] means x < xᵢ₊₁, wholly under the curve (accept at once). */
const zigK = new Float64Array(LAYERS);
/** zigF[i] = f(xᵢ) (zigF[LAYERS] = f(0) = 1), for the wedge test. */
const zigF = new Float64Array(LAYERS + 1);
for (let i = 0; i < LAYERS; i++) {
  zigW[i] = zigX[i] / TWO_53;
  zigK[i] = Math.floor(TWO_53 * (zigX[i + 1] / zigX[i]));
  zigF[i] = Math.exp(-zigX[i] * zigX[i] / 2);
}
zigK[0] = Math.floor(TWO_53 * (ZIG_R / zigX[0])); // layer 0 accepts x < r; x ≥ r goes to the tail
zigF[LAYERS] = 1;

/**
 * Copies of the ziggurat tables, laid out for a kernel that reproduces {@link Rng.normal} bit for
 * bit (wasm/assembly/rng.ts): K[0…255] (accept m < K[i] at once), W[0…255] (x = m·W[i]),
 * F[0…256] (f(xᵢ), F[256] = 1) and the tail start R, concatenated: 770 float64 values.
 */
export function zigguratTables(): Float64Array {
  const out = new Float64Array(3 * LAYERS + 2);
  out.set(zigK, 0); out.set(zigW, LAYERS); out.set(zigF, 2 * LAYERS); out[3 * LAYERS + 1] = ZIG_R;
  return out;
}

/**
 * A seeded random stream. Every stochastic API in deeprelax takes a seed and builds one of these.
 *
 * Normals: `normal()` and `fillNormal` run the same ziggurat on the same words, so `fillNormal` of n
 * values equals n calls of `normal()` (then scaled), and either may be interleaved with other draws.
 * One attempt uses two 32-bit words w₁, w₂: layer i = w₁ & 255, sign = bit 8 of w₁, and the 53-bit
 * integer m = (w₁ >>> 11)·2^32 + w₂ gives x = m·xᵢ/2^53 (so every normal has 53-bit resolution in
 * its layer). 98.5% of attempts are accepted by one comparison; the rest run the wedge test or
 * Marsaglia's tail method, which draw further uniforms. The output is exactly N(0, 1) up to the
 * rounding of the tables (relative 1e-16) and the 2^-53 grid of m.
 * @example const rng = new Rng(42); const x = rng.normal(); rng.fillNormal(buffer);
 */
export class Rng {
  private s0: number; private s1: number; private s2: number; private s3: number;
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
   * Restores a generator from {@link state} output. (Fields other than `s`, `seed` and `stream`,
   * such as the `spare` of states saved before the ziggurat, are ignored.)
   * @throws RangeError if the words are not four unsigned 32-bit integers (not all zero), or the
   *   seed or stream ids are invalid (as in the constructor)
   */
  static fromState(state: RngState): Rng {
    const words = state?.s;
    mustBe('Rng.fromState', 'state.s', words, Array.isArray(words) && words.length === 4
      && words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff) && words.some((w) => w !== 0),
      'four unsigned 32-bit integers, not all zero');
    const rng = new Rng(state.seed, state.stream);
    [rng.s0, rng.s1, rng.s2, rng.s3] = words;
    return rng;
  }

  /** A snapshot of the state (plain data). */
  state(): RngState {
    // The words are kept as signed int32 by the bit operations; the snapshot stores them unsigned.
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], seed: this.seed, stream: [...this.stream] };
  }

  /**
   * An independent child stream number `id`, derived from this stream's seed and path only, so the
   * children of one parent are the same whatever the parent has drawn.
   */
  split(id: number): Rng {
    mustBeInteger('Rng.split', 'id', id, 0, 0xffffffff);
    return new Rng(this.seed, [...this.stream, id]);
  }

  /**
   * Writes the four xoshiro128** words (unsigned) to `words[offset … offset + 3]`, so that a kernel
   * running the same algorithm (the WebAssembly ziggurat of src/optim/normal-kernel.ts) can continue
   * this stream; {@link setWords} takes the advanced words back. Draws nothing.
   */
  getWords(words: Uint32Array, offset = 0): void {
    words[offset] = this.s0; words[offset + 1] = this.s1; words[offset + 2] = this.s2; words[offset + 3] = this.s3;
  }

  /**
   * Sets the four xoshiro128** words from `words[offset … offset + 3]` (the inverse of
   * {@link getWords}); seed and stream path are kept, so {@link split} is unaffected.
   */
  setWords(words: Uint32Array, offset = 0): void {
    // Kept as int32, the representation the bit operations produce.
    this.s0 = words[offset] | 0; this.s1 = words[offset + 1] | 0; this.s2 = words[offset + 2] | 0; this.s3 = words[offset + 3] | 0;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0; this.s3 ^= this.s1; this.s1 ^= this.s2; this.s0 ^= this.s3;
    this.s2 ^= t; this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits: ((w₁ >>> 5)·2^26 + (w₂ >>> 6)) / 2^53. */
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

  /**
   * Standard normal deviate Z ~ N(0, 1) by the ziggurat (see the class notes); the same stream as
   * {@link fillNormal}. About 2.05 words per value on average; no cached state.
   */
  normal(): number {
    // The two xoshiro steps inlined with int32 words, as in fillNormal (same words, same order).
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    const w1 = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    let t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    const w2 = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
    const i = w1 & 255, m = (w1 >>> 11) * 4294967296 + (w2 >>> 0);
    if (m < zigK[i]) return (1 - ((w1 >>> 7) & 2)) * m * zigW[i];
    return this.normalSlow(i, m, w1 & 256);
  }

  /**
   * The ziggurat's rare path (≈1.5% of attempts), shared by {@link normal} and {@link fillNormal}:
   * attempt (i, m, sign) missed the inner rectangle, so run the tail (i = 0) or the wedge test, and
   * on rejection draw fresh attempts until one is accepted. Reads and writes the state fields.
   */
  private normalSlow(i: number, m: number, sign: number): number {
    for (;;) {
      let z: number;
      if (i === 0) {
        // Marsaglia (1964): for x = −ln(u₁)/r, y = −ln(u₂), accept r + x iff 2y > x²; u ∈ (0, 1].
        let x: number, y: number;
        do { x = -Math.log(1 - this.uniform()) / ZIG_R; y = -Math.log(1 - this.uniform()); } while (y + y <= x * x);
        return sign === 0 ? ZIG_R + x : -(ZIG_R + x);
      }
      z = m * zigW[i];
      // Wedge: (z, h) with h uniform in [f(xᵢ), f(xᵢ₊₁)) lies under the curve iff h < exp(−z²/2).
      if (zigF[i] + this.uniform() * (zigF[i + 1] - zigF[i]) < Math.exp(-z * z / 2)) return sign === 0 ? z : -z;
      const w1 = this.nextUint32(), w2 = this.nextUint32();
      i = w1 & 255; m = (w1 >>> 11) * 4294967296 + w2; sign = w1 & 256;
      if (m < zigK[i]) { z = m * zigW[i]; return sign === 0 ? z : -z; }
    }
  }

  /**
   * Fills `out` with lo + (hi − lo)·U, U uniform in [0, 1) as {@link uniform} (the same stream as
   * `out.length` calls of it). Float32 rounding may produce `hi` itself.
   * @param lo - lower end, finite
   * @param hi - upper end, > lo
   * @throws RangeError if `hi` is not > `lo`
   */
  fillUniform(out: Float64Array | Float32Array, lo = 0, hi = 1): void {
    mustBe('Rng.fillUniform', 'hi', hi, hi > lo, `> lo = ${lo}`);
    const width = hi - lo;
    // The generator state lives in locals for the loop (V8 keeps them in registers) and is written back.
    let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
    for (let p = 0; p < out.length; p++) {
      const hiWord = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 5;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      const loWord = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 6;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
      out[p] = lo + width * ((hiWord * 67108864 + loWord) / 9007199254740992);
    }
    this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
  }

  /**
   * Fills `out` with mean + std·Z, Z ~ N(0, 1) by the ziggurat: the same stream as `out.length` calls
   * of {@link normal}. About 5× faster than the polar Box–Muller method it replaced (bench/rng.bench.ts).
   * NaN `mean` or `std` gives NaN values.
   * @param mean - mean of the values (any number)
   * @param std - standard deviation (a negative value flips the sign of every deviate: the same law)
   */
  fillNormal(out: Float64Array | Float32Array, mean = 0, std = 1): void {
    const n = out.length;
    let p = 0;
    // The fast path runs with the generator state in locals (V8 keeps them in registers) and leaves
    // the loop on the rare path, which writes the state back, calls normalSlow, and resumes: keeping
    // the call out of the hot loop measured ~1.3× faster than calling it in place.
    while (p < n) {
      let s0 = this.s0, s1 = this.s1, s2 = this.s2, s3 = this.s3;
      let i = 0, m = 0, w1 = 0;
      for (; p < n; p++) {
        w1 = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
        let t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
        const w2 = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
        t = s1 << 9;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = (s3 << 11) | (s3 >>> 21);
        i = w1 & 255; m = (w1 >>> 11) * 4294967296 + (w2 >>> 0);
        if (m >= zigK[i]) break;
        // Bit 8 of w₁ is the sign, applied as a factor 1 − 2·bit: a data-dependent branch would be
        // mispredicted half the time.
        out[p] = mean + std * ((1 - ((w1 >>> 7) & 2)) * m * zigW[i]);
      }
      this.s0 = s0; this.s1 = s1; this.s2 = s2; this.s3 = s3;
      if (p < n) { out[p] = mean + std * this.normalSlow(i, m, w1 & 256); p++; }
    }
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(values: Int32Array | number[]): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.integer(i + 1);
      const tmp = values[i]; values[i] = values[j]; values[j] = tmp;
    }
  }
}
