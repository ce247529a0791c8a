// Shared test fixtures for the optimizer suites: closed-form quadratics and Wilson intervals.
import type { GradientOracle } from '../../src/optim/types.js';

/** f = ½ Σ λ_k x_k² (diagonal quadratic) as an oracle. */
export function diagonalQuadratic(lambda: readonly number[]): GradientOracle {
  return (x, grad) => {
    let f = 0;
    for (let k = 0; k < x.length; k++) { grad[k] = lambda[k] * x[k]; f += 0.5 * lambda[k] * x[k] * x[k]; }
    return f;
  };
}

/** f = ½ xᵀAx for a symmetric 2×2 A. */
export function quadratic2(A: [[number, number], [number, number]]): GradientOracle {
  return (x, grad) => {
    const g0 = A[0][0] * x[0] + A[0][1] * x[1], g1 = A[1][0] * x[0] + A[1][1] * x[1];
    grad[0] = g0; grad[1] = g1;
    return 0.5 * (x[0] * g0 + x[1] * g1);
  };
}

/** Wilson score interval for k successes in n trials at normal quantile z. */
export function wilson(k: number, n: number, z = 2.576): { lo: number; hi: number; p: number } {
  const p = k / n, z2 = z * z, denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  return { lo: centre - half, hi: centre + half, p };
}
