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
    const state: RngState = { s: [1, 2, 3, 4], seed: 0, stream: [] };
    const rng = Rng.fromState(state);
    // rotl(2·5, 7)·9 = 11520; the next s1 is 0 so the next word is 0; then rotl(1029·5, 7)·9 = 5927040.
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([11520, 0, 5927040]);
    const fast = Rng.fromState({ ...state, s: [0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x01234567] });
    const twin = xoshiro128ss([0x9e3779b9, 0x243f6a88, 0xb7e15162, 0x01234567]);
    for (let i = 0; i < 1000; i++) expect(fast.nextUint32()).toBe(twin.next().value);
  });

  it('uniform() uses 53 bits: (w₁ >>> 5)·2^26 + (w₂ >>> 6) over 2^53, in [0, 1)', () => {
    const a = Rng.fromState({ s: [5, 6, 7, 8], seed: 0, stream: [] });
    const b = Rng.fromState({ s: [5, 6, 7, 8], seed: 0, stream: [] });
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

  it('state() / fromState() round-trip through structuredClone, between mixed draws', () => {
    const rng = new Rng(77).split(2);
    mixedDraws(rng, 10);
    const saved = structuredClone(rng.state());
    const restored = Rng.fromState(saved);
    expect(mixedDraws(restored, 100)).toEqual(mixedDraws(rng, 100));
    expect(mixedDraws(restored.split(5), 10)).toEqual(mixedDraws(new Rng(77, [2, 5]), 10));
  });

  it('a state saved in the middle of a fill resumes it exactly (state written back, also past rare-path draws)', () => {
    // 20,000 normals cross ≈ 300 wedge/tail draws (1.5% of attempts), so the split point is in a
    // stretch where both the locals-only fast loop and the state hand-over have run.
    const whole = new Float64Array(20000), parts = new Float64Array(20000);
    new Rng(31).fillNormal(whole, 1, 2);
    const first = new Rng(31);
    first.fillNormal(parts.subarray(0, 12345), 1, 2);
    Rng.fromState(structuredClone(first.state())).fillNormal(parts.subarray(12345), 1, 2);
    expect(Array.from(parts)).toEqual(Array.from(whole));
    const uniformWhole = new Float64Array(999), uniformParts = new Float64Array(999);
    new Rng(32).fillUniform(uniformWhole);
    const u = new Rng(32);
    u.fillUniform(uniformParts.subarray(0, 500));
    Rng.fromState(u.state()).fillUniform(uniformParts.subarray(500));
    expect(Array.from(uniformParts)).toEqual(Array.from(uniformWhole));
  });

  it('fillNormal of n values is n calls of normal() scaled, and fillUniform is n calls of uniform(), interleaved with other draws', () => {
    const a = new Rng(12), b = new Rng(12);
    const z = new Float64Array(5000), z32 = new Float32Array(300), u = new Float64Array(700);
    a.fillNormal(z, -1, 0.5); a.integer(10); a.fillNormal(z32); a.fillUniform(u, 2, 5);
    expect(Array.from(z)).toEqual(Array.from(z, () => -1 + 0.5 * b.normal()));
    b.integer(10);
    expect(Array.from(z32)).toEqual(Array.from(z32, () => Math.fround(b.normal())));
    expect(Array.from(u)).toEqual(Array.from(u, () => 2 + 3 * b.uniform()));
    expect(a.nextUint32()).toBe(b.nextUint32());
  });

  it('a state saved with the pre-ziggurat `spare` field restores its words (the field is ignored)', () => {
    const legacy = { ...new Rng(8).state(), spare: 0.25 } as RngState;
    expect(mixedDraws(Rng.fromState(legacy), 20)).toEqual(mixedDraws(new Rng(8), 20));
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

/**
 * erfc(x) by the Chebyshev fit of Numerical Recipes (erfcc, §6.2): fractional error < 1.2e-7 for all
 * x, far below every tolerance it feeds here (the smallest is 1.9e-3 on a CDF).
 */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
/** Standard normal CDF Φ(z) = erfc(−z/√2)/2. */
const normalCdf = (z: number) => 0.5 * erfc(-z / Math.SQRT2);
/** Kolmogorov–Smirnov statistic sup |F_n − F| of `sorted` (ascending) against the CDF `cdf`. */
function ksStatistic(sorted: Float64Array, cdf: (z: number) => number): number {
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / sorted.length - f, f - i / sorted.length);
  }
  return d;
}
/** √n·D_n exceeds 1.9495 with probability 1e-3 (Kolmogorov's limit law: 2·Σ(−1)^{k−1}e^{−2k²λ²} = 1e-3). */
const KS_CRITICAL_1E3 = 1.9495;

describe('standard normals by the ziggurat (Monte-Carlo tolerances: 4 standard errors, tests at α = 1e-3)', () => {
  const n = 1_000_000;
  const z = new Float64Array(n);
  new Rng(2024).fillNormal(z);

  it('first value from state [1, 2, 3, 4] decodes by hand: words 11520, 0 → layer 0, negative, z = −5·x₀/2^21', () => {
    // w₁ = 11520 = 45·256: layer w₁ & 255 = 0, sign bit 8 = 1 (45 is odd); m = (w₁ >>> 11)·2^32 + w₂ = 5·2^32.
    // x₀ = v/f(r) with Marsaglia & Tsang's published r = 3.6541528853610088, v = 4.92867323399e-3 (12 digits).
    const x0 = 4.92867323399e-3 / Math.exp(-(3.6541528853610088 ** 2) / 2);
    const first = Rng.fromState({ s: [1, 2, 3, 4], seed: 0, stream: [] }).normal();
    expect(Math.abs(first - (-5 * x0) / 2 ** 21)).toBeLessThan(1e-10 * Math.abs(first)); // v has 12 digits
  });

  it('moments: E Z = 0, E Z² = 1, E Z³ = 0 (skewness), E Z⁴ = 3 (kurtosis) within 4 standard errors at n = 10^6', () => {
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (let p = 0; p < n; p++) { const v = z[p], v2 = v * v; m1 += v; m2 += v2; m3 += v2 * v; m4 += v2 * v2; }
    expect(Math.abs(m1 / n)).toBeLessThan(4 * Math.sqrt(1 / n));           // Var Z = 1
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));       // Var Z² = E Z⁴ − 1 = 2
    expect(Math.abs(m3 / n)).toBeLessThan(4 * Math.sqrt(15 / n));          // Var Z³ = E Z⁶ = 15
    expect(Math.abs(m4 / n - 3)).toBeLessThan(4 * Math.sqrt(96 / n));      // Var Z⁴ = E Z⁸ − 9 = 105 − 9
  });

  it('Kolmogorov–Smirnov against Φ on 10^6 values: D·√n below 1.9495 (α = 1e-3)', () => {
    const sorted = Float64Array.from(z).sort();
    expect(ksStatistic(sorted, normalCdf) * Math.sqrt(n)).toBeLessThan(KS_CRITICAL_1E3);
  });

  it('χ² over 162 bins of width 0.05 on [−4, 4] plus the two tails is below its 0.999 quantile (local shape of the wedges)', () => {
    const edges = [-Infinity]; for (let k = -80; k <= 80; k++) edges.push(k / 20); edges.push(Infinity);
    const bins = edges.length - 1, counts = new Float64Array(bins);
    for (let p = 0; p < n; p++) {
      const k = Math.floor(z[p] * 20) + 81; // bin of [k/20, (k+1)/20) shifted by the −∞ bin
      counts[Math.min(Math.max(k, 0), bins - 1)]++;
    }
    let chi2 = 0;
    for (let k = 0; k < bins; k++) {
      const expected = n * (normalCdf(edges[k + 1]) - normalCdf(edges[k])); // ≥ 31 in every bin (the tails)
      chi2 += (counts[k] - expected) ** 2 / expected;
    }
    // Wilson–Hilferty: χ²_{0.999}(k) ≈ k(1 − 2/(9k) + 3.0902·√(2/(9k)))³, with 3.0902 = Φ⁻¹(0.999); k = 161.
    const dof = bins - 1, quantile = dof * (1 - 2 / (9 * dof) + 3.0902 * Math.sqrt(2 / (9 * dof))) ** 3;
    expect(chi2).toBeLessThan(quantile);
  });

  it('tails: P(|Z| > 3), P(|Z| > r = 3.654) and P(|Z| > 4) within 4 binomial σ on 1.6·10^7 values; beyond r, Z follows Φ (KS at α = 1e-3, mean within 4σ)', () => {
    // The tail beyond the ziggurat base r is sampled by Marsaglia's exponential method: check its law
    // conditionally, F(z | z > r) = 1 − Q(z)/Q(r) with Q = 1 − Φ, on the ≈ 4,100 values it yields.
    // 1.6·10^7 values because the plain exponential r + Exp(r) (the method without its rejection
    // step) has a conditional mean 0.027 higher: 7σ at this count, 3.5σ at 4·10^6.
    const rng = new Rng(99), chunk = new Float64Array(100_000), total = 16_000_000, r = 3.6541528853610088;
    let over3 = 0, overR = 0, over4 = 0;
    const beyond: number[] = [];
    for (let done = 0; done < total; done += chunk.length) {
      rng.fillNormal(chunk);
      for (let p = 0; p < chunk.length; p++) {
        const a = Math.abs(chunk[p]);
        if (a > 3) over3++;
        if (a > r) { overR++; beyond.push(a); }
        if (a > 4) over4++;
      }
    }
    // Two-sided tail probabilities 2Q(x): erfc(3/√2) = 2.6997960632601866e-3, erfc(4/√2) = 6.334248366623996e-5.
    for (const [count, prob] of [[over3, 2.6997960632601866e-3], [overR, erfc(r / Math.SQRT2)], [over4, 6.334248366623996e-5]]) {
      expect(Math.abs(count - total * prob)).toBeLessThan(4 * Math.sqrt(total * prob * (1 - prob)));
    }
    const qr = erfc(r / Math.SQRT2);
    // For Z > r, with λ = φ(r)/Q(r): E Z = λ and E Z² = 1 + rλ, so Var Z = 1 + rλ − λ².
    const lambda = Math.exp(-r * r / 2) / Math.sqrt(2 * Math.PI) / (qr / 2);
    const tailMean = beyond.reduce((acc, v) => acc + v, 0) / beyond.length;
    expect(Math.abs(tailMean - lambda)).toBeLessThan(4 * Math.sqrt((1 + r * lambda - lambda * lambda) / beyond.length));
    const sorted = Float64Array.from(beyond).sort();
    expect(sorted[0]).toBeGreaterThan(r);
    expect(ksStatistic(sorted, (x) => 1 - erfc(x / Math.SQRT2) / qr) * Math.sqrt(sorted.length)).toBeLessThan(KS_CRITICAL_1E3);
  });

  it('the sign is independent of the magnitude: the positive and negative halves have equal counts and equal mean |Z| = √(2/π)', () => {
    let positive = 0, sumPos = 0, sumNeg = 0;
    for (let p = 0; p < n; p++) { if (z[p] > 0) { positive++; sumPos += z[p]; } else sumNeg -= z[p]; }
    expect(Math.abs(positive - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4));  // Binomial(n, ½)
    // Var |Z| = 1 − 2/π; each half's mean has sd √((1 − 2/π)/(n/2)).
    const sd = Math.sqrt((1 - 2 / Math.PI) / (n / 2));
    expect(Math.abs(sumPos / positive - Math.sqrt(2 / Math.PI))).toBeLessThan(4 * sd);
    expect(Math.abs(sumNeg / (n - positive) - Math.sqrt(2 / Math.PI))).toBeLessThan(4 * sd);
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
    expect(() => Rng.fromState({ ...good, seed: -3 })).toThrow(/Rng: seed must be an integer/);
  });
});
