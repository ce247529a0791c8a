import { describe, it, expect } from 'vitest';
import { sam } from '../../src/optim/sam.js';
import { sgd } from '../../src/optim/sgd.js';
import { diagonalQuadratic } from './helpers.js';

describe('sam', () => {
  it('f = x²/2, ρ = 1, lr = 0.5: ε = sign(x), x: 4 → 4 − 0.5·5 = 1.5 → 1.5 − 0.5·2.5 = 0.25', () => {
    const x = new Float64Array([4]), opt = sam({ lr: 0.5, rho: 1 });
    expect(opt.step(x, diagonalQuadratic([1]))).toEqual({ loss: 8, gradEvals: 2 });
    expect(x[0]).toBe(1.5);
    opt.step(x, diagonalQuadratic([1]));
    expect(x[0]).toBe(0.25);
  });
  it('in 2-D the ascent step is ρ·g/|g|: f = ½(x² + 4y²) at (3, 1), g = (3, 4), ε = ρ(0.6, 0.8)', () => {
    const x = new Float64Array([3, 1]);
    sam({ lr: 0.1, rho: 0.5 }).step(x, diagonalQuadratic([1, 4]));
    expect(x).toBeAllclose([3 - 0.1 * (3 + 0.3), 1 - 0.1 * 4 * (1 + 0.4)], { atol: 1e-15 });
  });
  it('at a critical point (g = 0) the perturbation is 0, not NaN; ρ = 0 is SGD', () => {
    const x = new Float64Array([0, 0]);
    sam({ lr: 0.1 }).step(x, diagonalQuadratic([1, 1]));
    expect(Array.from(x)).toEqual([0, 0]);
    const a = new Float64Array([2]), b = new Float64Array([2]);
    sam({ lr: 0.25, rho: 0 }).step(a, diagonalQuadratic([1])); sgd({ lr: 0.25 }).step(b, diagonalQuadratic([1]));
    expect(a[0]).toBe(b[0]);
  });
  it('validates', () => {
    expect(() => sam({ lr: 0.1, rho: -1 })).toThrow(/sam: rho must be finite and ≥ 0; got -1\./);
    expect(() => sam({ lr: 0 })).toThrow(/sam: lr must be finite and > 0; got 0\./);
  });
});
