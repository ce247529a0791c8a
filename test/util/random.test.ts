import { describe, it, expect } from 'vitest';
import { Rng, type RngState } from '../../src/util/random.js';
import { xoshiro128ss } from '../reference/xoshiro128.js';

/** Draws a mixed sequence (uniforms, normals, integers) so that every method's stream is compared. */
function mixedDraws(rng: Rng, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.uniform(), rng.normal(), rng.integer(97), rng.nextUint32());
  return out;
}

describe('xoshiro128** core', () => {
  it('follows the reference algorithm: hand values from state [1, 2, 3, 4], then 1000 words against a BigInt twin', () => {
    const state: RngState = { s: [1, 2, 3, 4], seed: 0, stream: [], spare: null };
    const rng = Rng.fromState(state);
    // rotl(2·5, 7)·9 = 11520; the next s1 is 0 so the next word is 0; then rotl(1029·5, 7)·9 = 5927040.
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040]);
    const fast = Rng.fromState({ ...state, s: [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x01234567] });
    const twin = xoshiro128ss([0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x01234567]);
    for (let i = 0; i < 1000; i++) expect(fast.nextUint32()).toBe(twin.next().value);
  });

  it('uniform() uses 53 bits: (w₁ >>> 5)·2^26 + (w₂ >>> 6) over 2^53, in [0, 1)', () => {
    const a = Rng.fromState({ s: [5, 6, 7, 8], seed: 0, stream: [], spare: null });
    const b = Rng.fromState({ s: [5, 6, 7, 8], seed: 0, stream: [], spare: null });
    for (let i = 0; i < 100; i++) {
      const hi = b.nextUint32() >>> 5, lo = b.nextUint32() >>> 6;
      expect(a.uniform()).toBe((hi * 2 ** 26 + lo) / 2 ** 53);
    }
  });
});

describe('reproducible, distinct and splittable streams', () => {
  it('the same seed gives the same stream; different seeds differ', () => {
    expect(mixedDraws(new Rng(42), 200)).toEqual(mixedDraws(new Rng(42), 200));
    expect(mixedDraws(new Rng(42), 5)).not.toEqual(mixedDraws(new Rng(43), 5));
  });

  it('seeds differing only above bit 32 give different streams, including a pair built to collide through a 32-bit hash', () => {
    // 4369077861 = 2^32 + (SplitMix32(0) xor SplitMix32(1)) collided with seed 0 under a 32-bit seed hash.
    for (const [s, t] of [[0, 4369077861], [7, 7 + 2 ** 32], [2 ** 53 - 1, 2 ** 53 - 1 - 2 ** 40]]) {
      expect(mixedDraws(new Rng(s), 3)).not.toEqual(mixedDraws(new Rng(t), 3));
    }
  });

  it('10,000 seeds and 10,000 children of one parent start with distinct 64-bit prefixes', () => {
    const prefixes = new Set<string>();
    const root = new Rng(1);
    for (let i = 0; i < 10000; i++) {
      for (const rng of [new Rng(i * 2 ** 32 + 5), root.split(i)]) prefixes.add(`${rng.nextUint32()}:${rng.nextUint32()}`);
    }
    // 20,000 prefixes of 64 bits: the chance of a collision among random ones is n²/2^65 ≈ 1e-11.
    expect(prefixes.size).toBe(20000);
  });

  it('split(k) depends only on the parent seed and path, never on the parent draws', () => {
    const parent = new Rng(9);
    const before = mixedDraws(parent.split(3), 50);
    mixedDraws(parent, 123);
    expect(mixedDraws(parent.split(3), 50)).toEqual(before);
    expect(mixedDraws(new Rng(9).split(3).split(1), 20)).toEqual(mixedDraws(new Rng(9, [3, 1]), 20));
    expect(mixedDraws(parent.split(4), 5)).not.toEqual(mixedDraws(parent.split(3), 5));
    expect(mixedDraws(new Rng(9).split(0), 5)).not.toEqual(mixedDraws(new Rng(9), 5));
  });

  it('sibling streams are uncorrelated: sample correlation of 10^5 uniform pairs within 4/√n', () => {
    const n = 100000, a = new Rng(2).split(0), b = new Rng(2).split(1);
    let sab = 0, sa = 0, sb = 0, saa = 0, sbb = 0;
    for (let i = 0; i < n; i++) { const x = a.uniform(), y = b.uniform(); sab += x * y; sa += x; sb += y; saa += x * x; sbb += y * y; }
    const cov = sab / n - (sa / n) * (sb / n);
    const corr = cov / Math.sqrt((saa / n - (sa / n) ** 2) * (sbb / n - (sb / n) ** 2));
    expect(Math.abs(corr)).toBeLessThan(4 / Math.sqrt(n)); // the sample correlation of independent pairs has sd 1/√n
  });

  it('state() / fromState() round-trip, also with a cached Box–Muller spare, through structuredClone', () => {
    const rng = new Rng(77).split(2);
    mixedDraws(rng, 10);
    rng.normal(); // leaves the pair's second value cached
    const saved = structuredClone(rng.state());
    expect(saved.spare).not.toBeNull();
    const restored = Rng.fromState(saved);
    expect(mixedDraws(restored, 100)).toEqual(mixedDraws(rng, 100));
    expect(mixedDraws(restored.split(5), 10)).toEqual(mixedDraws(new Rng(77, [2, 5]), 10));
  });
});

describe('distributions (Monte-Carlo tolerances: 4 standard errors)', () => {
  const n = 200000;

  it('uniform: mean 1/2 and variance 1/12 within 4σ/√n; every value in [0, 1)', () => {
    const rng = new Rng(3);
    let sum = 0, sumSq = 0, lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      sum += u; sumSq += (u - 0.5) ** 2;
      if (u < lo) lo = u;
      if (u > hi) hi = u;
    }
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    // Var((U − ½)²) = E(U − ½)⁴ − (1/12)² = 1/80 − 1/144 = 1/180.
    expect(Math.abs(sumSq / n - 1 / 12)).toBeLessThan(4 * Math.sqrt(1 / 180 / n));
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
  });

  it('normal: mean 0, variance 1 and fourth moment 3 within 4 standard errors', () => {
    const out = new Float64Array(n);
    new Rng(4).fillNormal(out);
    let m1 = 0, m2 = 0, m4 = 0;
    for (const z of out) { m1 += z; m2 += z * z; m4 += z ** 4; }
    expect(Math.abs(m1 / n)).toBeLessThan(4 * Math.sqrt(1 / n));            // Var Z = 1
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));        // Var Z² = E Z⁴ − 1 = 2
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));       // Var Z⁴ = E Z⁸ − 9 = 105 − 9
  });

  it('fillNormal(mean, std) and fillUniform(lo, hi) shift and scale', () => {
    const out = new Float64Array(n);
    new Rng(5).fillNormal(out, 3, 0.5);
    const mean = out.reduce((a, b) => a + b, 0) / n;
    const variance = out.reduce((a, b) => a + (b - 3) ** 2, 0) / n;
    expect(Math.abs(mean - 3)).toBeLessThan(4 * 0.5 / Math.sqrt(n));
    expect(Math.abs(variance - 0.25)).toBeLessThan(4 * 0.25 * Math.sqrt(2 / n));
    const f32 = new Float32Array(1000);
    new Rng(5).fillUniform(f32, -2, -1);
    expect(f32.every((v) => v >= -2 && v <= -1)).toBe(true); // ≤: float32 rounding may reach hi
  });

  /** Pearson's χ² of observed counts against equal expected counts. */
  const chiSquare = (counts: number[], total: number) => counts.reduce((s, c) => s + (c - total / counts.length) ** 2 / (total / counts.length), 0);

  it('integer(10): χ² over 10 bins of 10^5 draws is below 27.88, the 0.999 quantile of χ²(9)', () => {
    const rng = new Rng(6), counts = new Array<number>(10).fill(0), draws = 100000;
    for (let i = 0; i < draws; i++) counts[rng.integer(10)]++;
    expect(chiSquare(counts, draws)).toBeLessThan(27.88);
  });

  it('integer(3·2^30) is unbiased where a plain modulo would put half the mass in the first third (χ²(2) < 13.82, its 0.999 quantile)', () => {
    const rng = new Rng(7), n3 = 3 * 2 ** 30, counts = [0, 0, 0], draws = 30000;
    for (let i = 0; i < draws; i++) counts[Math.floor(rng.integer(n3) / 2 ** 30)]++;
    expect(chiSquare(counts, draws)).toBeLessThan(13.82);
  });

  it('shuffle returns a permutation, and all 6 orders of 3 items are equally likely (χ²(5) < 20.52, the 0.999 quantile)', () => {
    const rng = new Rng(8);
    const values = Int32Array.from({ length: 50 }, (_, i) => i);
    rng.shuffle(values);
    expect(Array.from(values).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    const orders = new Map<string, number>(), draws = 60000;
    for (let i = 0; i < draws; i++) {
      const v = [0, 1, 2];
      rng.shuffle(v);
      orders.set(v.join(''), (orders.get(v.join('')) ?? 0) + 1);
    }
    expect(orders.size).toBe(6);
    expect(chiSquare([...orders.values()], draws)).toBeLessThan(20.52);
  });
});

describe('bad input', () => {
  it.each([
    [-1, /Rng: seed must be an integer in \[0, 9007199254740991\]; got -1\./],
    [1.5, /got 1.5/],
    [NaN, /got NaN/],
    [2 ** 53, /got 9007199254740992/],
    ['3', /got "3"/],
  ])('rejects seed %j', (seed, message) => {
    expect(() => new Rng(seed as number)).toThrow(RangeError);
    expect(() => new Rng(seed as number)).toThrow(message);
  });

  it('rejects bad stream ids, split ids, integer ranges, uniform bounds and states', () => {
    expect(() => new Rng(1, [1, -2])).toThrow(/Rng: stream must be an array of integers in \[0, 4294967295\]; got \[1, -2\]/);
    expect(() => new Rng(1).split(2 ** 32)).toThrow(/Rng.split: id must be an integer in \[0, 4294967295\]; got 4294967296/);
    expect(() => new Rng(1).integer(0)).toThrow(/Rng.integer: n must be an integer in \[1, 4294967295\]; got 0/);
    expect(() => new Rng(1).integer(2.5)).toThrow(/got 2.5/);
    expect(() => new Rng(1).fillUniform(new Float64Array(2), 1, 1)).toThrow(/Rng.fillUniform: hi must be > lo = 1; got 1/);
    const good = new Rng(1).state();
    expect(() => Rng.fromState({ ...good, s: [0, 0, 0, 0] })).toThrow(/Rng.fromState: state.s must be four unsigned 32-bit integers, not all zero; got \[0, 0, 0, 0\]/);
    expect(() => Rng.fromState({ ...good, s: [1, 2, 3] as unknown as RngState['s'] })).toThrow(/state.s must be four/);
    expect(() => Rng.fromState({ ...good, s: [1, 2, 3, -4] })).toThrow(/state.s must be four/);
    expect(() => Rng.fromState({ ...good, spare: NaN })).toThrow(/Rng.fromState: state.spare must be null or a finite number; got NaN/);
    expect(() => Rng.fromState({ ...good, seed: -3 })).toThrow(/Rng: seed must be an integer/);
  });
});
