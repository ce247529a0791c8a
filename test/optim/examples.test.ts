// The @example lines of the optim TSDoc, run (STYLE.md §10).
import { describe, it, expect } from 'vitest';
import { constant, piecewise, exponential, scoping, cosine, every } from '../../src/optim/schedules.js';
import { minibatchesPerEpoch, effectiveEpochs } from '../../src/optim/epochs.js';
import { sgd } from '../../src/optim/sgd.js';
import { objective } from '../../src/optim/objective.js';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { hj } from '../../src/optim/hj.js';
import { fromReference } from '../../src/optim/reference.js';
import { elasticSGD } from '../../src/optim/elastic-sgd.js';

describe('TSDoc examples', () => {
  it('schedules and epochs', () => {
    expect(constant(0.1)(7)).toBe(0.1);
    expect(piecewise([[3, 1], [6, 0.2], [16, 0.01]])(4)).toBe(0.2);
    expect(exponential(1e-4, 1e-3)(1000)).toBeAllclose(1e-4 * 1.001 ** 1000, { rtol: 1e-12 });
    expect(scoping(1e-2, 1e-3)(0)).toBeAllclose(100, { rtol: 1e-15 });
    expect(cosine(1, 0, 10)(5)).toBeAllclose(0.5, { atol: 1e-15 });
    expect(every(piecewise([[1, 1], [2, 0.1]]), 100)(150)).toBe(0.1);
    expect(minibatchesPerEpoch(60000, 128)).toBe(469);
    expect(effectiveEpochs(9380, 469)).toBe(20);
  });
  it('optimizers', () => {
    const x = new Float64Array([3]);
    sgd({ lr: 0.5 }).step(x, objective({ dim: 1, f: 'x^2/2' }).oracle); // x ← x/2
    expect(x[0]).toBe(1.5);
    const f = objective({ dim: 2, f: 'x^2/2 + y^2' }).oracle, y = new Float64Array([1, 1]);
    entropySGD({ lr: 1, t: 0.5, innerSteps: 20, innerLr: 0.1, beta: 1e4, seed: 7 }).step(y, f);
    hj({ lr: 0.5, t: 0.5, innerSteps: 10 }).step(y, f);
    entropySGD(fromReference({ L: 20, g0: 0.03, g1: 1e-3, lr: 1 })).step(y, f);
    elasticSGD({ replicas: 4, lr: 0.1, t: 0.5, rho: 0.1, innerSteps: 10 }).step(y, f);
    expect(Math.hypot(y[0], y[1])).toBeLessThan(Math.SQRT2); // each is a descent method on this convex f
  });
});
