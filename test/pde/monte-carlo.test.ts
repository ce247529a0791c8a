import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { monteCarloRelax } from '../../src/pde/monte-carlo.js';
import { coleHopf } from '../../src/pde/cole-hopf.js';
import { quadraticRelaxation } from '../../src/pde/exact.js';
import type { Vector } from '../../src/optim/types.js';

describe('monteCarloRelax against the grid Cole–Hopf solution', () => {
  it.each([1, 2, 3])('1-D double well: u, ⟨y⟩ and ∇u within 4 standard errors, seed %i', (seed) => {
    const g = (y: number) => (y * y - 1) ** 2 + 0.3 * y;
    const t = 0.4, beta = 3, grid = Grid.uniform([[-4, 4]], [801]);
    const ref = coleHopf(grid.sample(g), t, beta);
    const i = 460, x = grid.axis(0)[i]; // x = 0.6
    const mc = monteCarloRelax((y) => g(y[0]), [x], { t, beta, samples: 20000, seed });
    // 4σ Monte-Carlo bands (the log bias of u is ≈ se²·β/2 ≪ se here).
    expect(Math.abs(mc.u - ref.u.data[i])).toBeLessThan(4 * mc.standardError.u);
    expect(Math.abs(mc.mean[0] - ref.mean[0].data[i])).toBeLessThan(4 * mc.standardError.mean[0]);
    expect(Math.abs(mc.gradient[0] - (x - ref.mean[0].data[i]) / t)).toBeLessThan(4 * mc.standardError.gradient[0]);
    expect(mc.ess).toBeGreaterThan(1000);
    expect(mc.evaluations).toBe(20000);
  });

  it('2-D, antithetic pairs: within 4 standard errors of the grid', () => {
    const g = (a: number, b: number) => a * a + b * b + Math.sin(3 * a) * Math.cos(2 * b);
    const t = 0.3, beta = 5, grid = Grid.uniform([[-3, 3], [-3, 3]], [121, 121]);
    const ref = coleHopf(grid.sample(g), t, beta);
    const p = grid.flatIndex([70, 50]), x = Array.from(grid.point(p));
    const mc = monteCarloRelax((y) => g(y[0], y[1]), x, { t, beta, samples: 20000, seed: 9, antithetic: true });
    expect(Math.abs(mc.u - ref.u.data[p])).toBeLessThan(4 * mc.standardError.u);
    for (let k = 0; k < 2; k++) expect(Math.abs(mc.mean[k] - ref.mean[k].data[p])).toBeLessThan(4 * mc.standardError.mean[k]);
  });
});

describe('monteCarloRelax against the quadratic closed form in high dimension', () => {
  const quad = (a: Float64Array) => ({
    f: (y: Float64Array) => { let s = 0; for (let k = 0; k < y.length; k++) s += 0.5 * a[k] * y[k] * y[k]; return s; },
    grad: (y: Vector, g: Vector) => { let s = 0; for (let k = 0; k < y.length; k++) { g[k] = a[k] * y[k]; s += 0.5 * a[k] * y[k] * y[k]; } return s; },
  });
  const diag = (d: number) => Float64Array.from({ length: d }, (_, k) => 0.5 + (k % 5) * 0.5);

  it('d = 10, kernel proposal: u and ⟨y⟩ within 4 standard errors at β = 1; at β = 10 the ESS exposes weight collapse', () => {
    const d = 10, a = diag(d), t = 0.2, beta = 1, x = Array.from({ length: d }, (_, k) => Math.cos(k));
    const exact = quadraticRelaxation({ A: Array.from(a, (ak, i) => Array.from(a, (_, j) => (i === j ? ak : 0))) }, { t, beta });
    const { f } = quad(a);
    const mc = monteCarloRelax(f, x, { t, beta, samples: 20000, seed: 4 });
    expect(Math.abs(mc.u - exact.value(x))).toBeLessThan(4 * mc.standardError.u);
    const m = exact.prox(x);
    for (let k = 0; k < d; k++) expect(Math.abs(mc.mean[k] - m[k])).toBeLessThan(4 * mc.standardError.mean[k] + 1e-12);
    // β = 10: log-weights −βf(y) have variance ≈ β²σ²|∇f|² ≈ 20, so the weights collapse onto a few samples.
    expect(monteCarloRelax(f, x, { t, beta: 10, samples: 20000, seed: 4 }).ess).toBeLessThan(200);
  });

  it.each([100, 1000])('d = %i, Laplace proposal: exact for a diagonal quadratic (all log-weights equal, zero variance)', (d) => {
    const a = diag(d), t = 0.2, beta = 10, x = Array.from({ length: d }, (_, k) => Math.sin(k + 1));
    const { f, grad } = quad(a);
    const mc = monteCarloRelax(f, x, { t, beta, samples: 64, seed: 5, proposal: 'laplace', gradient: grad });
    // Closed form per coordinate: u = Σ a_k x_k²/(2(1+ta_k)) + Σ log(1+ta_k)/(2β), ⟨y⟩_k = x_k/(1+ta_k).
    let u = 0;
    for (let k = 0; k < d; k++) u += (a[k] * x[k] * x[k]) / (2 * (1 + t * a[k])) + Math.log(1 + t * a[k]) / (2 * beta);
    // The Gaussian proposal matches the Gibbs measure up to the mode search (≈ 1e-12) and the finite-difference curvature
    // (exact for a quadratic up to rounding ≈ 1e-11 relative): the weights agree to ≈ 1e-8·d.
    expect(Math.abs(mc.u - u)).toBeLessThan(1e-8 * d);
    expect(mc.ess).toBeGreaterThan(63.9);
    // ⟨y⟩ is still a sample average of 64 draws from the (exact) Gibbs Gaussian: 4 standard errors.
    for (let k = 0; k < d; k += 37) expect(Math.abs(mc.mean[k] - x[k] / (1 + t * a[k]))).toBeLessThan(4 * mc.standardError.mean[k]);
  });

  it('is reproducible from its seed', () => {
    const run = () => monteCarloRelax((y) => y[0] ** 4, [0.3], { t: 0.5, beta: 2, samples: 100, seed: 77 }).u;
    expect(run()).toBe(run());
  });
});

describe('monteCarloRelax validation', () => {
  const f = (y: Float64Array) => y[0] * y[0];
  it.each([
    [{ t: 0, beta: 1, samples: 10, seed: 1 }, /monteCarloRelax: t must be finite and > 0; got 0\./],
    [{ t: 1, beta: Infinity, samples: 10, seed: 1 }, /monteCarloRelax: beta must be finite and > 0; got Infinity\./],
    [{ t: 1, beta: NaN, samples: 10, seed: 1 }, /monteCarloRelax: beta must be finite and > 0; got NaN\./],
    [{ t: 1, beta: 1, samples: 1, seed: 1 }, /monteCarloRelax: samples must be an integer ≥ 2; got 1\./],
    [{ t: 1, beta: 1, samples: 11, seed: 1, antithetic: true }, /monteCarloRelax: samples must be even with antithetic pairs; got 11\./],
    [{ t: 1, beta: 1, samples: 10, seed: 1, proposal: 'laplace' }, /monteCarloRelax: gradient must be a gradient oracle \(required by proposal 'laplace'\)/],
    [{ t: 1, beta: 1, samples: 10, seed: 1, proposal: { mean: [0], std: 0 } }, /monteCarloRelax: proposal.std must be finite and > 0/],
    [{ t: 1, beta: 1, samples: 10, seed: 1, proposal: 'magic' }, /monteCarloRelax: proposal must be 'kernel' \| 'laplace' \| \{ mean, std \}; got "magic"\./],
    [{ t: 1, beta: 1, samples: 10, seed: -1 }, /Rng: seed must be an integer/],
  ])('%j', (options, message) => {
    expect(() => monteCarloRelax(f, [0.5], options as never)).toThrow(message);
  });
  it('rejects a non-finite x and an f that is not finite at a sample', () => {
    expect(() => monteCarloRelax(f, [NaN], { t: 1, beta: 1, samples: 10, seed: 1 })).toThrow(/monteCarloRelax: x must be a non-empty finite vector/);
    expect(() => monteCarloRelax(() => NaN, [0], { t: 1, beta: 1, samples: 10, seed: 1 })).toThrow(/monteCarloRelax: f must be finite at every sample; got NaN at y = \[/);
  });
});
