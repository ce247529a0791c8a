import { describe, it, expect } from 'vitest';
import { relaxedDescent } from '../../src/optim/relaxed-descent.js';
import type { RelaxedLossLike } from '../../src/optim/relaxed-oracle.js';
import { scoping } from '../../src/optim/schedules.js';

/** Closed-form Hopf–Lax relaxation of f = ½ Σ λ_k x_k²: u = ½ Σ λ_k x_k²/(1 + tλ_k), prox = x/(1 + tλ). */
function quadraticRelaxation(lambda: number[], t: number): RelaxedLossLike {
  return {
    value: (x) => x.reduce((s, v, k) => s + (0.5 * lambda[k] * v * v) / (1 + t * lambda[k]), 0),
    gradient: (x) => x.map((v, k) => (lambda[k] * v) / (1 + t * lambda[k])),
    prox: (x) => x.map((v, k) => v / (1 + t * lambda[k])),
  };
}

describe('relaxedDescent', () => {
  it("with lr = t (proximal point) on f = λ|x|²/2 the contraction is exactly 1/(1 + tλ) per step", () => {
    const lambda = [1, 3], t = 1, x = new Float64Array([4, 8]);
    const opt = relaxedDescent((s) => quadraticRelaxation(lambda, s), { t });
    // x ← x − t·λx/(1 + tλ) = x/(1 + tλ): (4, 8) → (2, 2) → (1, 0.5)
    opt.step(x); expect(Array.from(x)).toEqual([2, 2]);
    opt.step(x); expect(Array.from(x)).toEqual([1, 0.5]);
    expect(opt.relaxations).toBe(1); // constant t: relaxed once
  });
  it('scoping t_k = 1/(g0(1+g1)^k) rebuilds the relaxation per distinct t and contracts by Π 1/(1 + t_kλ)', () => {
    const lambda = 2, g0 = 0.5, g1 = 1, x = new Float64Array([3]);
    const opt = relaxedDescent((s) => quadraticRelaxation([lambda], s), { t: scoping(g0, g1) });
    let expected = 3;
    for (let k = 0; k < 4; k++) {
      const r = opt.step(x);
      const tk = 1 / (g0 * (1 + g1) ** k);
      expect(r.t).toBe(tk);
      expect(r.gradEvals).toBe(1);
      expected /= 1 + tk * lambda;
      expect(x[0]).toBeAllclose(expected, { rtol: 1e-15 * (k + 1) * 4 });
    }
    expect(opt.relaxations).toBe(4);
  });
  it('a fixed lr gives the rate 1 − lr·λ/(1 + tλ) of gradient descent on u', () => {
    const lambda = 4, t = 0.25, lr = 0.3, x = new Float64Array([1]);
    const opt = relaxedDescent((s) => quadraticRelaxation([lambda], s), { t, lr });
    for (let k = 0; k < 10; k++) opt.step(x);
    expect(x[0]).toBeAllclose((1 - (lr * lambda) / (1 + t * lambda)) ** 10, { rtol: 1e-14 });
  });
  it('stops on a non-finite ∇u (e.g. x outside the grid) and validates options', () => {
    const outside: RelaxedLossLike = { value: () => 0, gradient: () => [NaN], prox: () => [NaN] };
    expect(() => relaxedDescent(() => outside, { t: 1 }).step(new Float64Array([9]))).toThrow(/relaxedDescent: gradient must be finite; got NaN at index 0 \(step 0\)\./);
    expect(() => relaxedDescent(() => outside, { t: 0 })).toThrow(/relaxedDescent: t must be finite and > 0; got 0\./);
    expect(() => relaxedDescent(null as never, { t: 1 })).toThrow(/relaxedDescent: relaxAt must be a function/);
  });
});
