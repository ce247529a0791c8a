// The 8-lane SIMD normal generator (wasm/assembly/rng-simd.ts via src/optim/simd-normal-kernel.ts)
// and its one-word float32 stream (wasm/assembly/rng-word.ts): bit-for-bit against the BigInt twins
// (test/reference/xoshiro-simd.ts, test/reference/ziggurat-word.ts), the stream independent of how
// it is cut into calls and resumed from checkpoints, and the law N(0, 1) with independent values
// (Monte-Carlo tolerances: 4 standard errors; distribution tests at α = 1e-3), for both streams.
import { describe, expect, it } from 'vitest';
import { SimdNormalKernel, SimdNormals, SIMD_NORMAL_KERNEL_BYTES, zigguratWordEntries } from '../../src/optim/simd-normal-kernel.js';
import { Rng, zigguratTables } from '../../src/util/random.js';
import { simdNormalsReference } from '../reference/xoshiro-simd.js';
import { wordNormalsReference } from '../reference/ziggurat-word.js';

const N = 1 << 21;
const OUT = 64 + Math.ceil(SIMD_NORMAL_KERNEL_BYTES / 64) * 64;
const pages = Math.ceil((OUT + 8 * N) / 65536);
const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
const kernel = new SimdNormalKernel(memory, 64);
const R = 3.6541528853610088;

/** The next n standard normals of gen, copied out of kernel memory. */
function draw(gen: SimdNormals, n: number): Float64Array {
  kernel.normals(gen, OUT, n);
  return new Float64Array(memory.buffer, OUT, n).slice();
}
/** The next 8·⌈n/8⌉ values of gen's one-word float32 stream (the first n returned). */
function drawWord(gen: SimdNormals, n: number): Float32Array {
  kernel.wordNormals(gen, OUT, n);
  return new Float32Array(memory.buffer, OUT, n).slice();
}
const sameBits = (a: Float64Array | Float32Array, b: Float64Array | Float32Array): boolean =>
  a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('SimdNormalKernel: the stream', () => {
  it.each([[1, []], [2 ** 40 + 3, [0]]] as [number, number[]][])('seed %d path %j: 2^17 values are those of the BigInt twin, tail values included', (seed, path) => {
    const n = 1 << 17;
    const got = draw(SimdNormals.fromRng(new Rng(seed, path)), n), want = simdNormalsReference(seed, path, n);
    expect(sameBits(got, want)).toBe(true);
    // P(|Z| > r) = 2.6e-4 (≈ 34 expected): the rescue stream's tail path ran.
    expect(got.filter((z) => Math.abs(z) > R).length).toBeGreaterThan(10);
  });

  it('does not depend on how the stream is cut into calls (odd lengths, partial rounds, chunks past 2048) or on the parent draws', () => {
    const parent = new Rng(5);
    const whole = draw(SimdNormals.fromRng(parent), 20_000);
    parent.fillNormal(new Float64Array(11)); // the lanes are split from the seed, not from the state
    const gen = SimdNormals.fromRng(parent), parts: number[] = [];
    for (const len of [1, 7, 13, 8, 0, 3, 2049, 5000, 1, 6, 4095, 8817]) parts.push(...draw(gen, len));
    expect(parts.length).toBe(20_000);
    expect(sameBits(Float64Array.from(parts), whole)).toBe(true);
  });

  it('fillNormal(mean, std) is mean + std·z in float64, and that rounded to float32, for the same z', () => {
    const z = draw(SimdNormals.fromRng(new Rng(8)), 10_001);
    for (const float32 of [false, true]) {
      kernel.fillNormal(SimdNormals.fromRng(new Rng(8)), OUT, z.length, 1.5, -0.25, float32);
      const got = float32 ? new Float32Array(memory.buffer, OUT, z.length) : new Float64Array(memory.buffer, OUT, z.length);
      const want = float32 ? Float32Array.from(z, (v) => 1.5 + -0.25 * v) : Float64Array.from(z, (v) => 1.5 + -0.25 * v);
      expect(sameBits(got, want)).toBe(true);
    }
  });

  it('state() / fromState() through structuredClone resumes the stream exactly, with pending values of a partial round', () => {
    const a = SimdNormals.fromRng(new Rng(21)), b = SimdNormals.fromRng(new Rng(21));
    const head = draw(a, 1003);
    const saved = structuredClone(a.state());
    expect(saved.pending.length).toBe(5); // 1003 = 125·8 + 3: five values of the last round wait
    const tail = draw(SimdNormals.fromState(saved), 3001);
    expect(sameBits(Float64Array.from([...head, ...tail]), draw(b, 4004))).toBe(true);
    expect(SimdNormals.fromState(saved).state()).toEqual(saved);
  });

  it('rejects malformed states', () => {
    const good = SimdNormals.fromRng(new Rng(1)).state();
    expect(() => SimdNormals.fromState({ ...good, s: good.s.slice(1) })).toThrow(/SimdNormals.fromState: state.s must be 32 unsigned 32-bit integers/);
    expect(() => SimdNormals.fromState({ ...good, s: [0, 0, 0, 0, ...good.s.slice(4)] })).toThrow(/none all zero/);
    expect(() => SimdNormals.fromState({ ...good, rescue: [0, 0, 0, 0] })).toThrow(/state.rescue must be four unsigned 32-bit integers, not all zero/);
    expect(() => SimdNormals.fromState({ ...good, pending: new Array(8).fill(0) })).toThrow(/state.pending must be an array of at most 7 finite numbers/);
    expect(() => SimdNormals.fromState({ ...good, pending: [NaN] })).toThrow(/state.pending/);
  });
});

/** erfc by the Chebyshev fit of Numerical Recipes (erfcc, §6.2), fractional error < 1.2e-7 (as test/util/random.test.ts). */
function erfc(x: number): number {
  const z = Math.abs(x), t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);
function ksStatistic(sorted: Float64Array, cdf: (z: number) => number): number {
  let d = 0;
  for (let i = 0; i < sorted.length; i++) { const f = cdf(sorted[i]); d = Math.max(d, (i + 1) / sorted.length - f, f - i / sorted.length); }
  return d;
}
/** √n·D_n exceeds 1.9495 with probability 1e-3 (Kolmogorov's limit law). */
const KS_CRITICAL_1E3 = 1.9495;

describe('SimdNormalKernel: the one-word float32 stream', () => {
  it.each([[1, []], [2 ** 40 + 3, [0]]] as [number, number[]][])('seed %d path %j: 2^17 values are those of the BigInt twin, tail values included', (seed, path) => {
    const n = 1 << 17, gen = SimdNormals.fromRng(new Rng(seed, path));
    const want = wordNormalsReference(gen.state(), n), got = drawWord(gen, n);
    expect(sameBits(got, want)).toBe(true);
    expect(got.filter((z) => Math.abs(z) > R).length).toBeGreaterThan(10); // ≈ 34 expected: the tail ran
  });

  it('writes whole rounds: a call for n values advances the stream by 8·⌈n/8⌉; cut into calls (chunks past 2048 included) it is the same stream', () => {
    const whole = drawWord(SimdNormals.fromRng(new Rng(5)), 20_000), gen = SimdNormals.fromRng(new Rng(5)), parts: number[] = [];
    for (const len of [8, 16, 2056, 4096, 8, 0, 13816]) parts.push(...drawWord(gen, len));
    expect(sameBits(Float32Array.from(parts), whole)).toBe(true);
    const odd = SimdNormals.fromRng(new Rng(5));
    drawWord(odd, 13); // two rounds
    expect(sameBits(drawWord(odd, 8), whole.subarray(16, 24))).toBe(true);
  });

  it('its table: the bound is ⌊2^23·(next layer edge)/xᵢ⌋ (r for the base layer, 0 for the top) and the scale ±xᵢ/2^23 in float32, for all 512 entries', () => {
    // An off-by-one bound moves one grid point of a layer (probability 2^-23 per attempt): sampling
    // cannot see it, so the invariant is checked entry by entry, from the layer edges xᵢ = 2^53·W[i].
    const t = zigguratTables(), { scale, bound } = zigguratWordEntries(), x = (i: number): number => t[256 + i] * 2 ** 53;
    for (let j = 0; j < 512; j++) {
      const i = j & 255, edge = i === 0 ? R : i === 255 ? 0 : x(i + 1), ratio = 2 ** 23 * edge / x(i);
      expect(bound[j] <= ratio && ratio < bound[j] + 1).toBe(true);
      expect(scale[j]).toBe(Math.fround((j < 256 ? 1 : -1) * x(i) / 2 ** 23));
    }
    expect(bound[255]).toBe(0); // the top layer has no inner rectangle: every attempt there takes the wedge test
  });

  it('refuses a generator with pending values of the float64 stream (the two streams do not mix)', () => {
    const gen = SimdNormals.fromRng(new Rng(3));
    draw(gen, 3);
    expect(() => kernel.wordNormals(gen, OUT, 8)).toThrow(/SimdNormalKernel.wordNormals: gen.pending must be 0/);
  });
});

describe.each([
  ['float64 stream', (gen: SimdNormals, n: number): Float64Array => { kernel.normals(gen, OUT, n); return new Float64Array(memory.buffer, OUT, n); }],
  ['one-word float32 stream', (gen: SimdNormals, n: number): Float64Array => Float64Array.from(drawWord(gen, n))],
] as [string, (gen: SimdNormals, n: number) => Float64Array][])('SimdNormalKernel: the law of the %s (n = 2^21)', (_name, fill) => {
  const z = fill(SimdNormals.fromRng(new Rng(2024)), N).slice();

  it('moments: E Z = 0, E Z² = 1, E Z³ = 0, E Z⁴ = 3 within 4 standard errors', () => {
    let m1 = 0, m2 = 0, m3 = 0, m4 = 0;
    for (let p = 0; p < N; p++) { const v = z[p], v2 = v * v; m1 += v; m2 += v2; m3 += v2 * v; m4 += v2 * v2; }
    expect(Math.abs(m1 / N)).toBeLessThan(4 * Math.sqrt(1 / N));
    expect(Math.abs(m2 / N - 1)).toBeLessThan(4 * Math.sqrt(2 / N));
    expect(Math.abs(m3 / N)).toBeLessThan(4 * Math.sqrt(15 / N));
    expect(Math.abs(m4 / N - 3)).toBeLessThan(4 * Math.sqrt(96 / N));
  });

  it('Kolmogorov–Smirnov against Φ: D·√n below 1.9495 (α = 1e-3), overall and for each lane', () => {
    expect(ksStatistic(Float64Array.from(z).sort(), normalCdf) * Math.sqrt(N)).toBeLessThan(KS_CRITICAL_1E3);
    // Per lane at α = 1e-3 each: a lane with a broken path (e.g. a wrong sign or table) fails here.
    for (let j = 0; j < 8; j++) {
      const lane = Float64Array.from({ length: N / 8 }, (_, r) => z[8 * r + j]).sort();
      expect(ksStatistic(lane, normalCdf) * Math.sqrt(N / 8)).toBeLessThan(KS_CRITICAL_1E3 + 0.3); // 8 tests: α ≈ 1e-4 each at 2.25
    }
  });

  it('χ² over 162 bins of width 0.05 on [−4, 4] plus the two tails is below its 0.999 quantile', () => {
    const edges = [-Infinity]; for (let k = -80; k <= 80; k++) edges.push(k / 20); edges.push(Infinity);
    const bins = edges.length - 1, counts = new Float64Array(bins);
    for (let p = 0; p < N; p++) counts[Math.min(Math.max(Math.floor(z[p] * 20) + 81, 0), bins - 1)]++;
    let chi2 = 0;
    for (let k = 0; k < bins; k++) { const e = N * (normalCdf(edges[k + 1]) - normalCdf(edges[k])); chi2 += (counts[k] - e) ** 2 / e; }
    const dof = bins - 1, quantile = dof * (1 - 2 / (9 * dof) + 3.0902 * Math.sqrt(2 / (9 * dof))) ** 3; // Wilson–Hilferty
    expect(chi2).toBeLessThan(quantile);
  });

  it('tails: P(|Z| > 3), P(|Z| > r), P(|Z| > 4) within 4 binomial σ on 1.6·10^7 values; beyond r, Z follows Φ (KS, mean)', () => {
    const gen = SimdNormals.fromRng(new Rng(99)), total = 16 * N / 2;
    let over3 = 0, overR = 0, over4 = 0;
    const beyond: number[] = [];
    for (let done = 0; done < total; done += N / 2) {
      const chunk = fill(gen, N / 2);
      for (let p = 0; p < chunk.length; p++) {
        const a = Math.abs(chunk[p]);
        if (a > 3) over3++;
        if (a > R) { overR++; beyond.push(a); }
        if (a > 4) over4++;
      }
    }
    for (const [count, prob] of [[over3, 2.6997960632601866e-3], [overR, erfc(R / Math.SQRT2)], [over4, 6.334248366623996e-5]]) {
      expect(Math.abs(count - total * prob)).toBeLessThan(4 * Math.sqrt(total * prob * (1 - prob)));
    }
    const qr = erfc(R / Math.SQRT2), lambda = Math.exp(-R * R / 2) / Math.sqrt(2 * Math.PI) / (qr / 2);
    const mean = beyond.reduce((s, v) => s + v, 0) / beyond.length;
    expect(Math.abs(mean - lambda)).toBeLessThan(4 * Math.sqrt((1 + R * lambda - lambda * lambda) / beyond.length));
    const sorted = Float64Array.from(beyond).sort();
    expect(sorted[0]).toBeGreaterThan(R * (1 - 2 ** -23)); // float32 rounding may bring r + x down to fround(r)
    expect(ksStatistic(sorted, (x) => 1 - erfc(x / Math.SQRT2) / qr) * Math.sqrt(sorted.length)).toBeLessThan(KS_CRITICAL_1E3);
  });

  it('independence: lag-k correlations (k = 1…16) of z and of z², and every cross-lane correlation within a round, below 4/√n', () => {
    const corr = (f: (v: number) => number, pairs: (emit: (a: number, b: number) => void) => void, m: number): number => {
      let s = 0; pairs((a, b) => { s += f(a) * f(b); }); return s / m;
    };
    // E Z = 0, Var Z = 1: the mean of z_p·z_{p+k} has sd 1/√n; for z² − 1 (Var 2), (z²−1)(z'²−1)/2 likewise.
    for (let k = 1; k <= 16; k++) {
      const m = N - k;
      const pairs = (emit: (a: number, b: number) => void): void => { for (let p = 0; p + k < N; p++) emit(z[p], z[p + k]); };
      expect(Math.abs(corr((v) => v, pairs, m))).toBeLessThan(4 / Math.sqrt(m));
      expect(Math.abs(corr((v) => (v * v - 1) / Math.SQRT2, pairs, m))).toBeLessThan(4 / Math.sqrt(m));
    }
    const rounds = N / 8;
    for (let i = 0; i < 8; i++) for (let j = i + 1; j < 8; j++) {
      let s = 0, sign = 0;
      for (let r = 0; r < rounds; r++) { const a = z[8 * r + i], b = z[8 * r + j]; s += a * b; sign += Math.sign(a) * Math.sign(b); }
      expect(Math.abs(s / rounds)).toBeLessThan(4 / Math.sqrt(rounds));
      expect(Math.abs(sign / rounds)).toBeLessThan(4 / Math.sqrt(rounds)); // sign agreement, Bernoulli(½) under independence
    }
  });
});
