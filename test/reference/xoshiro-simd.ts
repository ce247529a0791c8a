/**
 * Plain scalar twin of the 8-lane normal stream of wasm/assembly/rng-simd.ts: eight BigInt
 * xoshiro128** generators (test/reference/xoshiro128.ts), lane j seeded as `Rng(seed, [...path, j])`,
 * each making the first ziggurat attempt of one value per round (lanes in order); an attempt that is
 * not accepted at once is finished (tail or wedge, Marsaglia & Tsang, written here from their
 * description with the tables of `zigguratTables()`) with words of a ninth generator, `Rng(seed,
 * [...path, 8])`, in stream order.
 */
import { Rng, zigguratTables } from '../../src/util/random.js';
import { xoshiro128ss } from './xoshiro128.js';

const TAB = zigguratTables();
const K = TAB.subarray(0, 256), W = TAB.subarray(256, 512), F = TAB.subarray(512, 769), R = TAB[769];

/** Finishes attempt (layer i, sign, m) with words from `next`: fast accept, tail or wedge, new attempts. */
export function zigguratFinish(w1: number, w2: number, next: () => number): number {
  const uniform = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  for (;;) {
    const i = w1 & 255, negative = (w1 & 256) !== 0, m = 2 * ((w1 >>> 12) * 4294967296 + w2); // an even 53-bit integer
    if (m < K[i]) { const z = m * W[i]; return negative ? -z : z; }
    if (i === 0) {
      // Tail beyond R (Marsaglia 1964): x = −ln(u₁)/R, y = −ln(u₂), accept when 2y > x².
      let x: number, y: number;
      do { x = -Math.log(1 - uniform()) / R; y = -Math.log(1 - uniform()); } while (y + y <= x * x);
      return negative ? -(R + x) : R + x;
    }
    const z = m * W[i];
    if (F[i] + uniform() * (F[i + 1] - F[i]) < Math.exp(-z * z / 2)) return negative ? -z : z;
    w1 = next(); w2 = next();
  }
}

/** The first n values of the 8-lane stream of (seed, path). */
export function simdNormalsReference(seed: number, path: readonly number[], n: number): Float64Array {
  const words = (j: number): (() => number) => {
    const gen = xoshiro128ss(new Rng(seed, [...path, j]).state().s);
    return (): number => gen.next().value as number;
  };
  const lanes = Array.from({ length: 8 }, (_, j) => words(j)), rescue = words(8);
  const out = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    const lane = lanes[p % 8];
    const w1 = lane(), w2 = lane();
    out[p] = zigguratFinish(w1, w2, rescue);
  }
  return out;
}
