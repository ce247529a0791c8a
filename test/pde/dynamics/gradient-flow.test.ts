import { describe, expect, it } from 'vitest';
import { gradientFlow } from '../../../src/pde/dynamics/gradient-flow.js';
import { meanEstimate, powerLawSlope } from '../../../src/pde/dynamics/statistics.js';

describe('gradientFlow (RK4)', () => {
  it('solves dX/ds = −AX for A = diag(1, 3) to RK4 accuracy: X(s) = e^{−As}x0', () => {
    const out = gradientFlow((x, g) => { g[0] = x[0]; g[1] = 3 * x[1]; }, [1, -2], { horizon: 1, steps: 100, outputs: 4 });
    for (let j = 0; j <= 4; j++) {
      const s = j / 4;
      // Local error (λΔs)⁵/120 per step for λ = 3, Δs = 0.01: global ≤ 100·(0.03)⁵/120·2 ≈ 4e-8.
      expect(out[2 * j]).toBeAllclose(Math.exp(-s), { atol: 1e-8 });
      expect(out[2 * j + 1]).toBeAllclose(-2 * Math.exp(-3 * s), { atol: 1e-7 });
    }
  });

  it('rejects bad input', () => {
    expect(() => gradientFlow(() => 0, [1], { horizon: 1, steps: 10, outputs: 3 })).toThrow(/gradientFlow: steps must be a multiple of outputs = 3; got 10\./);
    expect(() => gradientFlow(() => 0, [], { horizon: 1 })).toThrow(/x0 must be a non-empty array/);
    expect(() => gradientFlow(null as never, [1], { horizon: 1 })).toThrow(TypeError);
    expect(() => gradientFlow((x, g) => { g[0] = -1e300 * x[0] * x[0]; }, [10], { horizon: 1 })).toThrow(/became non-finite/);
  });
});

describe('statistics', () => {
  it('meanEstimate gives mean, standard error s/√n and the ±4σ interval', () => {
    const e = meanEstimate([1, 2, 3, 4]);
    const s = Math.sqrt(((1.5 ** 2) * 2 + (0.5 ** 2) * 2) / 3);
    expect(e.mean).toBe(2.5);
    expect(e.stdErr).toBeAllclose(s / 2, { atol: 1e-15 });
    expect(e.upper - e.lower).toBeAllclose(8 * e.stdErr, { atol: 1e-15 });
  });
  it('powerLawSlope recovers the exponent of C·x^p', () => {
    expect(powerLawSlope([1, 2, 4, 8], [3, 3 / Math.SQRT2, 1.5, 3 / (2 * Math.SQRT2)])).toBeAllclose(-0.5, { atol: 1e-14 });
  });
});
