import { describe, expect, it } from 'vitest';
import { homogenizationGap, simulateEntropySDE } from '../../../src/pde/dynamics/entropy-sde.js';
import { powerLawSlope } from '../../../src/pde/dynamics/statistics.js';
import { localEntropyGradient } from '../../../src/pde/dynamics/gradient-flow.js';
import { Grid } from '../../../src/grids/grid.js';

// f(y) = y²/2 + 0.3 cos(3πy): three basins near the origin, sup|f″| = 1 + 2.7π² ≈ 27.6.
const amp = 0.3, freq = 3 * Math.PI;
const f = (y: number): number => (y * y) / 2 + amp * Math.cos(freq * y);
const fPrime = (y: number): number => y - amp * freq * Math.sin(freq * y);

/** ∇f_t(x) = (x − ⟨y⟩)/t by a plain Riemann sum of the Gibbs density over x ± 8 (brute-force twin). */
function localEntropyGradient0(t: number, beta: number) {
  return (x: Float64Array, out: Float64Array): void => {
    const n = 1601, half = 8, h = (2 * half) / (n - 1);
    let maxExponent = -Infinity;
    for (let i = 0; i < n; i++) { const y = x[0] - half + i * h; maxExponent = Math.max(maxExponent, -beta * f(y) - (beta * (x[0] - y) ** 2) / (2 * t)); }
    let mass = 0, first = 0;
    for (let i = 0; i < n; i++) {
      const y = x[0] - half + i * h, w = Math.exp(-beta * f(y) - (beta * (x[0] - y) ** 2) / (2 * t) - maxExponent);
      mass += w; first += w * y;
    }
    out[0] = (x[0] - first / mass) / t;
  };
}

describe('Entropy-SGD two-time-scale SDE (T9)', () => {
  const t = 0.5, beta = 4;
  const base = { gradient: (y: Float64Array, g: Float64Array) => { g[0] = fPrime(y[0]); }, x0: [1.6], t, beta, horizon: 1.5, paths: 400, outputs: 15, seed: 11 };

  it('seed 11: the slow path approaches gradient flow on the local entropy as ε → 0 (mean gap O(ε), RMS gap O(√ε))', () => {
    const limitGradient = localEntropyGradient0(t, beta);
    const epsilons = [0.1, 0.05, 0.025];
    const gaps = epsilons.map((epsilon) => homogenizationGap({ ...base, epsilon, limitGradient, flowSteps: 150 }));
    // The mean gap shrinks beyond Monte-Carlo doubt between the largest and the smallest ε.
    const [large, , small] = gaps;
    expect(small.meanGap + small.meanGapHalfWidth).toBeLessThan(large.meanGap - large.meanGapHalfWidth);
    // Pathwise fluctuations of x are O(√ε) (x averages a fast process of correlation time ~ε):
    // slope ½ of log RMS against log ε; 400 paths give ~5% per RMS, ±0.15 covers it and the pre-asymptotics.
    const slope = powerLawSlope(epsilons, gaps.map((g) => g.rmsGap));
    expect(Math.abs(slope - 0.5)).toBeLessThan(0.15);
  });

  it('seed 3: 2-D quadratic f = ½xᵀAx homogenizes to dX = −A(I + tA)⁻¹X (T4 gradient, closed form)', () => {
    const A = [[2, 0.5], [0.5, 1]];
    const gradient = (y: Float64Array, g: Float64Array): void => { g[0] = A[0][0] * y[0] + A[0][1] * y[1]; g[1] = A[1][0] * y[0] + A[1][1] * y[1]; };
    // (I + tA)⁻¹ for the 2×2 case by the adjugate.
    const m = [[1 + t * A[0][0], t * A[0][1]], [t * A[1][0], 1 + t * A[1][1]]], det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    const inv = [[m[1][1] / det, -m[0][1] / det], [-m[1][0] / det, m[0][0] / det]];
    const limitGradient = (x: Float64Array, out: Float64Array): void => {
      const z0 = inv[0][0] * x[0] + inv[0][1] * x[1], z1 = inv[1][0] * x[0] + inv[1][1] * x[1];
      out[0] = A[0][0] * z0 + A[0][1] * z1; out[1] = A[1][0] * z0 + A[1][1] * z1;
    };
    const opts = { gradient, x0: [1.5, -1], t, beta, horizon: 1, paths: 300, outputs: 10, seed: 3, limitGradient };
    const coarse = homogenizationGap({ ...opts, epsilon: 0.1 }), fine = homogenizationGap({ ...opts, epsilon: 0.02 });
    expect(fine.meanGap).toBeLessThan(coarse.meanGap);
    // For linear drift the averaged mean equation is exact up to the O(ε) lag of y behind its
    // equilibrium: gap(0.02) ≈ gap(0.1)/5, within the Monte-Carlo half-widths.
    expect(fine.meanGap).toBeLessThan(coarse.meanGap / 5 + fine.meanGapHalfWidth + coarse.meanGapHalfWidth / 5);
  });

  it('localEntropyGradient (Cole–Hopf mean, interpolated) matches the brute-force Gibbs quadrature to O(h²)', () => {
    const grid = Grid.uniform([[-4, 4]], [801]), field = localEntropyGradient(grid.sample(f), t, beta), twin = localEntropyGradient0(t, beta);
    const a = new Float64Array(1), b = new Float64Array(1);
    for (const x of [-1.234, 0.05, 0.777, 1.6]) {
      field(Float64Array.of(x), a); twin(Float64Array.of(x), b);
      // ⟨y⟩ = x − t·u′, so linear interpolation of ⟨y⟩ errs by h²/8·t·sup|u‴| and the field by h²/8·sup|u‴|:
      // 1e-3 at h = 0.01 allows sup|u‴| ≤ 80 (u″ ∈ [−β/t·Var-ish, 1/t] varies on the scale √(t/β) = 0.35). Quadrature: spectral.
      expect(Math.abs(a[0] - b[0])).toBeLessThan(1e-3);
    }
  });

  it('is reproducible for a seed and records x(0) = x0 on every path', () => {
    const a = simulateEntropySDE({ ...base, epsilon: 0.1, paths: 5, horizon: 0.2, outputs: 2 });
    const b = simulateEntropySDE({ ...base, epsilon: 0.1, paths: 5, horizon: 0.2, outputs: 2 });
    expect(a.samples).toEqual(b.samples);
    for (let path = 0; path < 5; path++) expect(a.samples[path * 3]).toBe(1.6);
  });

  it('rejects bad input with clear messages', () => {
    expect(() => simulateEntropySDE({ ...base, epsilon: 0 })).toThrow(/simulateEntropySDE: epsilon must be finite and > 0; got 0\./);
    expect(() => simulateEntropySDE({ ...base, epsilon: 0.1, t: undefined as unknown as number })).toThrow(/simulateEntropySDE: t must be finite and > 0; got undefined\./);
    expect(() => simulateEntropySDE({ ...base, epsilon: 0.1, paths: 1 })).toThrow(/paths must be an integer ≥ 2/);
    expect(() => simulateEntropySDE({ ...base, epsilon: 0.1, gradient: 3 as never })).toThrow(TypeError);
    expect(() => homogenizationGap({ ...base, epsilon: 0.1, limitGradient: undefined as never })).toThrow(/limitGradient must be a function/);
    // Unstable fast step: h·(sup|f″| + 1/t) ≫ 2 blows up, and the step is named.
    expect(() => simulateEntropySDE({ ...base, epsilon: 0.001, fastStep: 5 })).toThrow(/became non-finite at step \d+ .*reduce fastStep/);
  });
});
