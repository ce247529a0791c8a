import { describe, it, expect } from 'vitest';
import { sgd } from '../../src/optim/sgd.js';
import { adam } from '../../src/optim/adam.js';
import { diagonalQuadratic } from './helpers.js';

const half = diagonalQuadratic([1]); // f = x²/2, ∇f = x

describe('sgd', () => {
  it('plain: on x²/2 with lr 0.5, x: 4 → 2 → 1 → 0.5 (x ← x − 0.5x)', () => {
    const x = new Float64Array([4]), opt = sgd({ lr: 0.5 }), seen: number[] = [];
    for (let i = 0; i < 3; i++) { opt.step(x, half); seen.push(x[0]); }
    expect(seen).toEqual([2, 1, 0.5]);
  });
  it('heavy ball m = 0.5, lr 0.5: b = 4, x = 2; b = 0.5·4 + 2 = 4, x = 0; b = 2, x = −1', () => {
    const x = new Float64Array([4]), opt = sgd({ lr: 0.5, momentum: 0.5 }), seen: number[] = [];
    for (let i = 0; i < 3; i++) { opt.step(x, half); seen.push(x[0]); }
    expect(seen).toEqual([2, 0, -1]);
  });
  it('Nesterov m = 0.5, lr 0.5: d = 4 + 0.5·4 = 6, x = 1; b = 3, d = 1 + 1.5 = 2.5, x = −0.25', () => {
    const x = new Float64Array([4]), opt = sgd({ lr: 0.5, momentum: 0.5, nesterov: true }), seen: number[] = [];
    for (let i = 0; i < 2; i++) { opt.step(x, half); seen.push(x[0]); }
    expect(seen).toEqual([1, -0.25]);
  });
  it('weight decay wd = 1 doubles the gradient of x²/2: lr 0.25 gives 4 → 2 → 1', () => {
    const x = new Float64Array([4]), opt = sgd({ lr: 0.25, weightDecay: 1 }), seen: number[] = [];
    for (let i = 0; i < 2; i++) { opt.step(x, half); seen.push(x[0]); }
    expect(seen).toEqual([2, 1]);
  });
  it('on a convex quadratic the error contracts by exactly |1 − lr·λ| per step, per eigen-direction', () => {
    const lambda = [0.3, 1, 2.5], lr = 0.37, x = new Float64Array([1, -2, 0.5]), x0 = Float64Array.from(x);
    const opt = sgd({ lr }), oracle = diagonalQuadratic(lambda);
    for (let i = 0; i < 25; i++) opt.step(x, oracle);
    // Rounding: 25 steps of one multiply-add each, relative error ≤ 25·2ε.
    expect(x).toBeAllclose(lambda.map((l, k) => x0[k] * (1 - lr * l) ** 25), { rtol: 1e-13, atol: 1e-300 });
  });
  it('a Float32Array x is updated in Float32 buffers', () => {
    const x = new Float32Array([4]), opt = sgd({ lr: 0.5 });
    opt.step(x, half);
    expect(x[0]).toBe(2);
  });
});

describe('adam', () => {
  it('the first step moves every coordinate by lr·g/(|g| + eps) (bias-corrected m̂ = g, v̂ = g²)', () => {
    const x = new Float64Array([4, -0.5]), opt = adam({ lr: 0.1, eps: 1e-300 });
    opt.step(x, diagonalQuadratic([1, 3]));
    expect(x).toBeAllclose([3.9, -0.4], { atol: 1e-15 });
  });
  it('the second step follows the bias-corrected moments written out by hand', () => {
    const b1 = 0.5, b2 = 0.75, lr = 0.5, x = new Float64Array([2]);
    const opt = adam({ lr, b1, b2, eps: 1e-300 });
    opt.step(x, half); // g = 2: m = 1, v = 1, m̂ = 2, v̂ = 4, x = 2 − 0.5·2/2 = 1.5
    expect(x[0]).toBeAllclose(1.5, { atol: 1e-15 });
    opt.step(x, half); // g = 1.5: m = 0.5 + 0.75 = 1.25, v = 0.75 + 0.5625 = 1.3125; m̂ = 1.25/0.75, v̂ = 1.3125/0.4375 = 3
    expect(x[0]).toBeAllclose(1.5 - (0.5 * (1.25 / 0.75)) / Math.sqrt(3), { atol: 1e-15 });
  });
  it('validates', () => {
    expect(() => adam({ lr: 0.1, b1: 1 })).toThrow(/adam: b1 must be in \[0, 1\); got 1\./);
    expect(() => adam({ lr: 0.1, b2: -0.1 })).toThrow(/adam: b2 must be in \[0, 1\); got -0\.1\./);
    expect(() => adam({ lr: 0.1, eps: 0 })).toThrow(/adam: eps must be finite and > 0; got 0\./);
    expect(() => adam({ lr: -1 })).toThrow(/adam: lr must be finite and > 0; got -1\./);
  });
});
