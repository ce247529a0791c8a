import { describe, it, expect } from 'vitest';
import { hj } from '../../src/optim/hj.js';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { hjFromReference } from '../../src/optim/reference.js';
import { objective } from '../../src/optim/objective.js';
import { Grid } from '../../src/grids/grid.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { diagonalQuadratic } from './helpers.js';

const half = diagonalQuadratic([1]);

describe('hj (fixed point, reference FP)', () => {
  it('f = x²/2, t = 1, α = 0.25, L = 2, lr = 1: p: 4 → 3 → 2.5, x: 4 → 1.5', () => {
    // p₀ = ∇f(4) = 4; p₁ = 0.75·4 + 0.25·∇f(4 − 4) = 3; p₂ = 0.75·3 + 0.25·∇f(4 − 3) = 2.5; x ← 4 − 2.5.
    const x = new Float64Array([4]);
    const r = hj({ lr: 1, t: 1, innerSteps: 2 }).step(x, half);
    expect(x[0]).toBe(1.5);
    expect(r).toEqual({ loss: 8, gradEvals: 3 });
  });
  it('on f = λx²/2 the error to ∇u = λx/(1 + tλ) contracts by exactly 1 − α(1 + tλ) per iteration', () => {
    const lambda = [0.5, 2, 3], t = 0.3, alpha = 0.4, x0 = [1, -2, 0.7];
    for (const L of [1, 4, 12]) {
      const x = Float64Array.from(x0);
      hj({ lr: 1, t, innerSteps: L, alpha }).step(x, diagonalQuadratic(lambda));
      const expected = lambda.map((l, k) => {
        const star = (l * x0[k]) / (1 + t * l), p0 = l * x0[k];
        return x0[k] - (star + (1 - alpha * (1 + t * l)) ** L * (p0 - star));
      });
      expect(x).toBeAllclose(expected, { atol: 1e-14 });
    }
  });
  it('against the exact grid Hopf–Lax on a non-convex 1-D f: the bias falls at least as fast as the contraction bound q^L', () => {
    // f = x²/2 + 0.3 sin 3x: f'' ∈ [−1.7, 3.7]. The damped map p ↦ 0.75p + 0.25 f'(x − tp) has
    // derivative 0.75 − 0.25·t·f'' ∈ [0.565, 0.835] at t = 0.2, so q = 0.835 bounds the contraction.
    const t = 0.2, q = 0.75 + 0.25 * t * 1.7;
    const fx = (x: number): number => x * x / 2 + 0.3 * Math.sin(3 * x);
    const grid = Grid.uniform([[-4, 4]], [8001]), h = grid.spacing[0];
    const { prox } = hopfLax(grid.sample(fx), t);
    const obj = objective({ dim: 1, f: 'x^2/2 + 0.3*sin(3*x)' });
    const gridTol = h / (2 * t); // prox is a grid point: |prox_grid − prox| ≤ h/2
    for (const x0 of [-1.3, -0.4, 0.25, 1.1, 2]) {
      const i = Math.round((x0 + 4) / h), xi = grid.axis(0)[i];
      const exact = (xi - prox[0].data[i]) / t;
      const p0 = 1 * xi + 0.9 * Math.cos(3 * xi);
      let previous = Infinity;
      for (const L of [5, 10, 20, 40]) {
        const x = new Float64Array([xi]);
        hj({ lr: 1, t, innerSteps: L }).step(x, obj.oracle);
        const err = Math.abs(xi - x[0] - exact);
        expect(err).toBeLessThanOrEqual(q ** L * (Math.abs(p0 - exact) + gridTol) + gridTol);
        expect(err).toBeLessThan(previous + gridTol);
        previous = err;
      }
    }
  });
  it('hjFromReference gives the FP settings with t_k = 1/(g0(1+g1)^(k+1))', () => {
    const o = hjFromReference({ L: 10, g0: 0.5, g1: 1, lr: 0.2 });
    expect([0, 1].map(o.t as (k: number) => number)).toEqual([1, 0.5]);
    expect([o.method, o.innerSteps, o.alpha, o.momentum, o.nesterov, o.lr]).toEqual(['fixed-point', 10, 0.25, 0.9, true, 0.2]);
  });
});

describe("hj ('prox': inner gradient descent on f(y) + |x − y|²/(2t))", () => {
  it('on f = λx²/2 the inner error contracts by 1 − η′(λ + 1/t): y_L = prox + r^L(x − prox)', () => {
    const lambda = 2, t = 0.5, innerLr = 0.1, x0 = 3;
    for (const L of [1, 5, 20]) {
      const x = new Float64Array([x0]);
      const r = hj({ lr: 1, t, method: 'prox', innerSteps: L, innerLr }).step(x, diagonalQuadratic([lambda]));
      const proxPoint = x0 / (1 + t * lambda), yL = proxPoint + (1 - innerLr * (lambda + 1 / t)) ** L * (x0 - proxPoint);
      expect(x[0]).toBeAllclose(x0 - (x0 - yL) / t, { atol: 1e-13 });
      expect(r.gradEvals).toBe(L);
    }
  });
  it("equals Entropy-SGD with β = ∞ and α = 1 (μ = the last iterate, the reference H-ESGD)", () => {
    const a = new Float64Array([1, -2]), b = new Float64Array([1, -2]), oracle = diagonalQuadratic([1, 4]);
    const p = hj({ lr: 0.3, t: 0.5, method: 'prox', innerSteps: 5, innerLr: 0.1 });
    const e = entropySGD({ lr: 0.3, t: 0.5, innerSteps: 5, innerLr: 0.1, alpha: 1 });
    for (let i = 0; i < 3; i++) { p.step(a, oracle); e.step(b, oracle); }
    expect(a).toBeAllclose(b, { rtol: 1e-13 });
  });
  it('with lr = t and a converged inner loop, each step is a proximal-point step: contraction 1/(1 + tλ)', () => {
    const lambda = [0.5, 3], t = 0.4, x = new Float64Array([2, -1]), x0 = Float64Array.from(x);
    // η′(λ + 1/t) = 0.5 for λ = 3 … 0.3 for λ = 0.5: 200 inner steps leave ≤ 0.7^200 ≈ 1e-31.
    const opt = hj({ lr: t, t, method: 'prox', innerSteps: 200, innerLr: 0.1 });
    for (let i = 0; i < 5; i++) opt.step(x, diagonalQuadratic(lambda));
    expect(x).toBeAllclose(lambda.map((l, k) => x0[k] / (1 + t * l) ** 5), { rtol: 1e-12 });
  });
});

describe('hj: bad input', () => {
  it('rejects invalid options and non-finite oracle output', () => {
    expect(() => hj({ lr: 0.1, t: -1 })).toThrow(/hj: t must be finite and > 0; got -1\./);
    expect(() => hj({ lr: 0.1, t: 1, innerSteps: 0.5 })).toThrow(/hj: innerSteps must be an integer ≥ 1; got 0\.5\./);
    expect(() => hj({ lr: 0.1, t: 1, alpha: 1.5 })).toThrow(/hj: alpha must be in \(0, 1\]; got 1\.5\./);
    expect(() => hj({ lr: 0.1, t: 1, method: 'newton' as never })).toThrow(/hj: method must be 'fixed-point' \| 'prox'; got "newton"\./);
    const x = new Float64Array([1]);
    expect(() => hj({ lr: 0.1, t: 1 }).step(x, (y, g) => { g[0] = y[0] > 0.5 ? 1 : Infinity; return 0; }))
      .toThrow(/hj: gradient must be finite; got Infinity at index 0 \(step 0, inner iteration 1\)\./);
    expect(x[0]).toBe(1);
  });
});
