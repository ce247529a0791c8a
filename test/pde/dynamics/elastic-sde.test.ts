import { describe, expect, it } from 'vitest';
import { elasticDrift } from '../../../src/pde/dynamics/elastic-sde.js';
import { powerLawSlope } from '../../../src/pde/dynamics/statistics.js';

describe('Elastic-SGD replica drift (T10)', () => {
  // Quadratic f = a y²/2: the Gibbs density ρ(·; x) is N(x/(1 + ta), (t/β)/(1 + ta)), so the exact
  // drift is −∇f_t(x) = −a x/(1 + ta) and one replica's drift estimate has variance 1/(β t (1 + ta)).
  const a = 1, t = 0.5, beta = 4, x = [0.8];
  const gradient = (y: Float64Array, g: Float64Array): void => { g[0] = a * y[0]; };
  const exact = -(a * x[0]) / (1 + t * a);

  it('seed 2: the replica-average drift is an unbiased estimate of −∇f_t(x) (within 4σ)', () => {
    const r = elasticDrift({ gradient, x, t, beta, replicas: 8, trials: 200, seed: 2 }, [exact]);
    expect(Math.abs(r.drift[0].mean - exact)).toBeLessThan(4 * r.drift[0].stdErr);
  });

  it('seed 4: the drift error falls like n^{−1/2} in the number of replicas (ensemble average replaces time average)', () => {
    const ns = [1, 4, 16, 64];
    const rms = ns.map((replicas) => elasticDrift({ gradient, x, t, beta, replicas, trials: 200, seed: 4 }, [exact]).rmsError);
    // Slope −½; each RMS from 200 trials has relative error ≈ 1/√400 = 5%, so over a factor 64 the
    // fitted slope has σ ≈ 0.05·√2/ln 64 ≈ 0.017: ±0.07 is 4σ.
    expect(Math.abs(powerLawSlope(ns, rms) + 0.5)).toBeLessThan(0.07);
    // Level: RMS² = 1/(β t (1 + ta) n) (Leimkuhler–Matthews is exact in the mean for linear drift, O(h²) in the variance).
    const predicted = ns.map((n) => Math.sqrt(1 / (beta * t * (1 + t * a) * n)));
    rms.forEach((r, i) => expect(Math.abs(r / predicted[i] - 1)).toBeLessThan(4 * 0.05 + 0.01));
  });

  it('rejects bad input', () => {
    expect(() => elasticDrift({ gradient, x, t, beta, replicas: 0 })).toThrow(/elasticDrift: replicas must be an integer ≥ 1; got 0\./);
    expect(() => elasticDrift({ gradient, x, t: 0, beta, replicas: 2 })).toThrow(/elasticDrift: t must be finite and > 0; got 0\./);
    expect(() => elasticDrift({ gradient, x, t, beta, replicas: 2 }, [1, 2])).toThrow(/reference must be 1 finite numbers/);
    expect(() => elasticDrift({ gradient, x, t, beta, replicas: 2, step: 5, burnIn: 2000, trials: 2 })).toThrow(/became non-finite; reduce the step/);
  });
});
