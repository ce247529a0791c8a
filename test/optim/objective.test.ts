import { describe, it, expect } from 'vitest';
import { objective } from '../../src/optim/objective.js';
import { noisyOracle, minibatchOracle, stochasticOracle } from '../../src/optim/stochastic.js';
import { countEvaluations } from '../../src/optim/counter.js';
import { relaxedLossOracle } from '../../src/optim/relaxed-oracle.js';
import { sgd } from '../../src/optim/sgd.js';
import { diagonalQuadratic } from './helpers.js';

describe('objective', () => {
  it('a mathjs expression gets its symbolic gradient: f = x²y + sin(y) has ∇f = (2xy, x² + cos y)', () => {
    const obj = objective({ dim: 2, f: 'x^2*y + sin(y)' });
    const g = new Float64Array(2), x = [0.7, -1.3];
    const f = obj.oracle(new Float64Array(x), g);
    expect(f).toBeAllclose(x[0] ** 2 * x[1] + Math.sin(x[1]), { atol: 1e-15 });
    expect(g).toBeAllclose([2 * x[0] * x[1], x[0] ** 2 + Math.cos(x[1])], { atol: 1e-15 });
  });
  it('a TS function with a mathjs gradient source, and with a hand gradient, agree', () => {
    const a = objective({ dim: 1, f: (x) => Math.exp(x[0]), gradient: 'exp(x)' });
    const b = objective({ dim: 1, f: (x) => Math.exp(x[0]), gradient: (x, out) => { out[0] = Math.exp(x[0]); } });
    const ga = new Float64Array(1), gb = new Float64Array(1);
    expect(a.gradient([0.3], ga)).toBe(b.gradient([0.3], gb));
    expect(ga).toBeAllclose(gb, { atol: 1e-15 });
  });
  it('validates its inputs', () => {
    expect(() => objective({ dim: 0, f: 'x' })).toThrow(/objective: dim must be an integer ≥ 1; got 0\./);
    expect(() => objective({ dim: 1, f: (x) => x[0] })).toThrow(/objective: gradient must be given/);
    expect(() => objective({ dim: 1, f: 'x^2' }).oracle(new Float64Array(2), new Float64Array(2))).toThrow(/objective: x\.length must be 1; got 2\./);
  });
});

describe('stochastic oracles', () => {
  it('noisyOracle adds N(0, σ²) per coordinate: the sample mean and variance over 20000 draws match (4σ/√n)', () => {
    const sigma = 0.5, n = 20000;
    const { oracle } = noisyOracle(diagonalQuadratic([1]), { sigma, seed: 3 });
    const g = new Float64Array(1), x = new Float64Array([2]);
    let s = 0, s2 = 0;
    for (let i = 0; i < n; i++) { oracle(x, g); s += g[0] - 2; s2 += (g[0] - 2) ** 2; }
    const mean = s / n, variance = s2 / n - mean * mean;
    expect(Math.abs(mean)).toBeLessThan((4 * sigma) / Math.sqrt(n));
    // Var of the sample variance of a normal: 2σ⁴/n.
    expect(Math.abs(variance - sigma ** 2)).toBeLessThan(4 * Math.sqrt(2 / n) * sigma ** 2);
  });
  it('minibatchOracle with batch = all examples drawn with replacement is unbiased: its mean over draws is the full gradient', () => {
    const data = [1, 2, 3, 4, 10];
    const { oracle } = minibatchOracle({ size: data.length, batchSize: 2, seed: 5 }, (x, i, g) => { g[0] = x[0] - data[i]; return 0.5 * (x[0] - data[i]) ** 2; });
    const g = new Float64Array(1), x = new Float64Array([0]);
    const n = 20000; let s = 0;
    for (let i = 0; i < n; i++) { oracle(x, g); s += g[0]; }
    const full = -data.reduce((a, b) => a + b, 0) / data.length;                 // −4
    const sd = Math.sqrt(data.reduce((a, d) => a + (d - 4) ** 2, 0) / data.length / 2); // per-draw std of the mean of 2
    expect(Math.abs(s / n - full)).toBeLessThan((4 * sd) / Math.sqrt(n));
  });
  it('a seeded oracle restored from its state repeats the same draws', () => {
    const s = stochasticOracle((x, g, rng) => { g[0] = rng.normal(); return 0; }, 9);
    const g = new Float64Array(1), x = new Float64Array(1);
    s.oracle(x, g);
    const saved = s.state();
    const a = [0, 1, 2].map(() => { s.oracle(x, g); return g[0]; });
    s.load(saved);
    const b = [0, 1, 2].map(() => { s.oracle(x, g); return g[0]; });
    expect(b).toEqual(a);
  });
  it('validates', () => {
    expect(() => noisyOracle(diagonalQuadratic([1]), { sigma: -1, seed: 1 })).toThrow(/noisyOracle: sigma must be finite and ≥ 0; got -1\./);
    expect(() => minibatchOracle({ size: 3, batchSize: 0, seed: 1 }, () => 0)).toThrow(/minibatchOracle: batchSize must be an integer ≥ 1; got 0\./);
  });
});

describe('evaluation counter and relaxed-loss oracle', () => {
  it('counts exactly the evaluations an optimizer reports (effective epochs agree)', () => {
    const counted = countEvaluations(diagonalQuadratic([1]));
    const opt = sgd({ lr: 0.1 });
    const x = new Float64Array([1]);
    let reported = 0;
    for (let i = 0; i < 7; i++) reported += opt.step(x, counted.oracle).gradEvals;
    expect(counted.evaluations).toBe(reported);
    expect(counted.epochs(7)).toBe(1);
    counted.reset();
    expect(counted.evaluations).toBe(0);
  });
  it('relaxedLossOracle returns u and writes ∇u of a closed-form relaxed loss (u = x²/(2(1+t)))', () => {
    const t = 0.5;
    const loss = { value: (x: number[]) => x[0] ** 2 / (2 * (1 + t)), gradient: (x: number[]) => [x[0] / (1 + t)], prox: (x: number[]) => [x[0] / (1 + t)] };
    const oracle = relaxedLossOracle(loss), g = new Float64Array(1);
    expect(oracle(new Float64Array([3]), g)).toBe(3);
    expect(g[0]).toBe(2);
    expect(() => relaxedLossOracle({} as never)).toThrow(/relaxedLossOracle: loss must be a RelaxedLoss/);
  });
});
