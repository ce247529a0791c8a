/**
 * Plain scalar twin of the one-word float32 normal stream of wasm/assembly/rng-word.ts: eight BigInt
 * xoshiro128** generators (test/reference/xoshiro128.ts) from a SimdNormals state, lane j making the
 * first ziggurat attempt of value j of each round with one word w — layer i = w & 255, sign = bit 8,
 * m = w >>> 9 — accepted when m < ⌊2^23·xᵢ₊₁/xᵢ⌋ with fround(m·fround(±xᵢ/2^23)); otherwise the tail
 * (Marsaglia 1964) or wedge test (Marsaglia & Tsang 2000) with 53-bit uniforms and fresh one-word
 * attempts from the ninth (rescue) generator, in stream order. Written from that description with
 * the tables of `zigguratTables()`.
 */
import { zigguratTables } from '../../src/util/random.js';
import type { SimdNormalsState } from '../../src/optim/simd-normal-kernel.js';
import { xoshiro128ss } from './xoshiro128.js';

const TAB = zigguratTables();
const K = TAB.subarray(0, 256), W = TAB.subarray(256, 512), F = TAB.subarray(512, 769), R = TAB[769];
const TWO_30 = 2 ** 30;

/** Finishes the one-word attempt w with words from `next`. */
function finishWord(w: number, next: () => number): number {
  const uniform = (): number => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
  for (;;) {
    const i = w & 255, negative = (w & 256) !== 0, m = w >>> 9;
    const xi = W[i] * TWO_30; // xᵢ/2^23, exact (a power-of-two scaling)
    const value = Math.fround(m * Math.fround(negative ? -xi : xi));
    if (m < Math.floor(K[i] / TWO_30)) return value; // K[i] = ⌊2^53·xᵢ₊₁/xᵢ⌋
    if (i === 0) {
      let x: number, y: number;
      do { x = -Math.log(1 - uniform()) / R; y = -Math.log(1 - uniform()); } while (y + y <= x * x);
      return Math.fround(negative ? -(R + x) : R + x);
    }
    const z = m * xi;
    if (F[i] + uniform() * (F[i + 1] - F[i]) < Math.exp(-z * z / 2)) return value;
    w = next();
  }
}

/** The first n values of the one-word stream of a generator state (no pending values). */
export function wordNormalsReference(state: SimdNormalsState, n: number): Float32Array {
  const gen = (s: number[]): (() => number) => { const g = xoshiro128ss(s); return (): number => g.next().value as number; };
  const lanes = Array.from({ length: 8 }, (_, j) => gen(state.s.slice(4 * j, 4 * j + 4))), rescue = gen(state.rescue);
  const out = new Float32Array(n);
  for (let p = 0; p < n; p++) out[p] = finishWord(lanes[p % 8](), rescue);
  return out;
}
