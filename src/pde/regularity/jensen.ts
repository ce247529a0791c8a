/**
 * Check: local entropy lies below the heat-smoothed loss, u_β(·,t) ≤ G_{t/β} ∗ f (paper-notes §3.7,
 * claim T6, viscous half). By Jensen, −β⁻¹ log E[e^{−βf(y)}] ≤ E[f(y)] for y ~ N(x, (t/β)I).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBeBeta, mustBePositive } from '../../util/validate.js';
import { makeResult, mustShareGrid, roundingSlack, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** Options of {@link checkJensen}. */
export interface JensenOptions {
  /** Relaxation time t > 0. */
  t: number;
  /** Inverse temperature β > 0, finite (the kernel variance is t/β). */
  beta: number;
  /** Only points at least this far (coordinate units) inside the box are measured. @defaultValue 0 */
  margin?: number;
}

/**
 * Measures max_x (u(x) − (G_{t/β} ∗ f)(x)) and compares it with 0.
 * On the grid both sides are sums with the same Gaussian weights w_j = Πh·G_{t/β}(x − y_j); Jensen is
 * exact for normalised weights, so the slack is what the weight total W = Σw_j misses 1 by:
 * |log W|/β + |W − 1|·max|G∗f|, with |W − 1| ≤ 2Σ_k exp(−2π²(t/β)/h_k²) (Poisson summation of the
 * trapezoid rule) + 2Σ_k exp(−margin²/(2t/β)) (kernel mass beyond the box), plus rounding.
 * @param u - viscous solution u(·,t) (e.g. `coleHopf(f, t, beta).u`)
 * @param smoothed - G_{t/β} ∗ f on the same grid (e.g. `heatSmooth(f, t / beta)`)
 * @param options - {@link JensenOptions}
 * @returns a {@link CheckResult}
 * @throws TypeError for a non-GridFunction; RangeError for different grids, t or β missing, ≤ 0 or β infinite
 * @example checkJensen(coleHopf(f, t, beta).u, heatSmooth(f, t / beta), { t, beta, margin: 1 }).pass
 */
export function checkJensen(u: GridFunction, smoothed: GridFunction, options: JensenOptions): CheckResult {
  const fn = 'checkJensen';
  mustShareGrid(fn, { u, smoothed });
  const t = options?.t, beta = options?.beta;
  mustBePositive(fn, 't', t);
  mustBePositive(fn, 'beta', beta);
  mustBeBeta(fn, 'beta', beta);
  const margin = options.margin ?? 0, grid = u.grid, variance = t / beta;
  const points = interiorIndices(fn, grid, margin, 0);
  let worstP = points[0], worstGap = -Infinity;
  for (let c = 0; c < points.length; c++) {
    const gap = u.data[points[c]] - smoothed.data[points[c]];
    if (!(gap <= worstGap)) { worstGap = gap; worstP = points[c]; }
  }
  let massError = 0;
  for (let k = 0; k < grid.ndim; k++) {
    massError += 2 * Math.exp((-2 * Math.PI * Math.PI * variance) / grid.spacing[k] ** 2) + 2 * Math.exp(-(margin * margin) / (2 * variance));
  }
  const scale = Math.max(u.normInf(), smoothed.normInf());
  const tolerance = (massError < 0.5 ? -Math.log1p(-massError) : Infinity) / beta + massError * scale + roundingSlack(scale);
  return makeResult({
    name: 'jensen-heat-bound',
    claim: 'u_β(·,t) ≤ G_{t/β} ∗ f (viscous; Jensen; T6)',
    relation: '≤',
    measured: worstGap,
    bound: 0,
    tolerance: { value: tolerance, reason: 'kernel-mass defect |W − 1| (Poisson summation + mass beyond the margin) × (1/β + max|G∗f|) + rounding' },
    worst: { x: pointOf(grid, worstP), value: worstGap },
    details: { points: points.length, kernelMassDefect: massError },
  });
}
