import { describe, it, expect } from 'vitest';
import { constant, piecewise, exponential, scoping, cosine, every, offset, clamp, reciprocal, product } from '../../src/optim/schedules.js';
import { minibatchesPerEpoch, effectiveEpochs } from '../../src/optim/epochs.js';

describe('schedules', () => {
  it('piecewise reproduces the reference --lrs rule: first pair with k < end, else the last value', () => {
    const s = piecewise([[3, 1], [6, 0.2], [16, 0.01]]);
    expect([0, 2, 3, 5, 6, 15, 16, 100].map(s)).toEqual([1, 1, 0.2, 0.2, 0.01, 0.01, 0.01, 0.01]);
  });
  it('scoping is t_k = 1/(g0(1+g1)^k), the reciprocal of the reference coupling; offset(…,1) is the reference counter', () => {
    const g0 = 0.5, g1 = 1; // dyadic: t = 2, 1, 0.5, 0.25 exactly
    expect([0, 1, 2, 3].map(scoping(g0, g1))).toEqual([2, 1, 0.5, 0.25]);
    expect([0, 1, 2].map(offset(scoping(g0, g1), 1))).toEqual([1, 0.5, 0.25]);
    expect([0, 1, 2].map(reciprocal(scoping(g0, g1)))).toEqual([0.5, 1, 2]);
  });
  it('exponential, every, clamp and product compose (the Parle coupling min(γ(1+r)^⌊k/L⌋, 1))', () => {
    const s = clamp(every(exponential(0.25, 1), 2), { max: 1 }); // 0.25·2^⌊k/2⌋ capped at 1
    expect([0, 1, 2, 3, 4, 5, 6].map(s)).toEqual([0.25, 0.25, 0.5, 0.5, 1, 1, 1]);
    expect(product(constant(2), exponential(1, 1))(3)).toBe(16);
  });
  it('cosine goes from v0 to vEnd through the midpoint average', () => {
    const s = cosine(1, 0, 10);
    expect(s(0)).toBe(1); expect(s(10)).toBe(0); expect(s(20)).toBe(0);
    expect(s(5)).toBeAllclose(0.5, { atol: 1e-15 });
  });
  it('rejects bad arguments with clear messages', () => {
    expect(() => piecewise([])).toThrow(/piecewise: pairs must be a non-empty array/);
    expect(() => piecewise([[3, 1], [2, 0.1]])).toThrow(/piecewise: pairs\[1\]\[0\] must be finite and greater than the previous end; got 2\./);
    expect(() => scoping(0, 0)).toThrow(/scoping: g0 must be finite and > 0; got 0\./);
    expect(() => scoping(1, -0.5)).toThrow(/scoping: g1 must be finite and ≥ 0; got -0\.5\./);
    expect(() => exponential(1, -1)).toThrow(/exponential: rate must be finite and > −1; got -1\./);
    expect(() => cosine(1, 0, 0)).toThrow(/cosine: steps must be an integer ≥ 1; got 0\./);
    expect(() => every(constant(1), 0)).toThrow(/every: size must be an integer ≥ 1; got 0\./);
    expect(() => clamp(constant(1), { min: 2, max: 1 })).toThrow(/clamp: max must be ≥ min = 2; got 1\./);
    expect(() => constant(NaN)).toThrow(/constant: value must be a finite number; got NaN\./);
  });
});

describe('effective epochs', () => {
  it('counts ⌈n/b⌉ minibatches per epoch and divides gradient evaluations by it', () => {
    expect(minibatchesPerEpoch(60000, 128)).toBe(469);
    expect(minibatchesPerEpoch(128, 128)).toBe(1);
    expect(effectiveEpochs(469 * 20, 469)).toBe(20);
    expect(() => minibatchesPerEpoch(0, 1)).toThrow(/minibatchesPerEpoch: datasetSize must be an integer ≥ 1; got 0\./);
    expect(() => effectiveEpochs(-1, 1)).toThrow(/effectiveEpochs: gradEvals must be finite and ≥ 0; got -1\./);
    expect(() => effectiveEpochs(1, 0)).toThrow(/effectiveEpochs: perEpoch must be finite and > 0; got 0\./);
  });
});
