/**
 * Check: semiconcavity, ∇²u(·,t) ≤ I/t (paper-notes §3.4–3.5, claim T5), for both the Hopf–Lax and
 * the viscous solution. Measured through the largest eigenvalue of the centred discrete Hessian.
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBePositive } from '../../util/validate.js';
import { makeResult, mustBeGridFunction, type CheckResult } from './check-result.js';
import { hessianAt, interiorIndices, pointOf, RICHARDSON_SAFETY, symmetricEigenvalues } from './stencil.js';

/** Options of {@link checkSemiconcavity}. */
export interface SemiconcavityOptions {
  /** Relaxation time t > 0: the bound is 1/t. */
  t: number;
  /** Only points at least this far (coordinate units) inside the box are measured. @defaultValue 0 */
  margin?: number;
}

/**
 * Measures max_x λ_max(D²_h u(x)) and compares it with 1/t.
 * Tolerance per point: rounding 16·eps·max|u|/h² (four rounded samples over h²), plus for d ≥ 2 a
 * 2 × Richardson estimate |λ_h − λ_{2h}|/3 of the O(h²) truncation error of the mixed differences. In 1-D
 * the discrete bound is exact: if u − x²/(2t) is concave, its second difference is ≤ 0, and the second
 * difference of x²/(2t) is exactly 1/t; the discrete Hopf–Lax and Cole–Hopf solutions (a min / soft-min
 * of parabolas of curvature 1/t) satisfy it on the grid.
 * @param u - u(·,t) on a grid (at least 5 points per axis inside the margin, for the 2h stencil in d ≥ 2)
 * @param options - {@link SemiconcavityOptions}
 * @returns a {@link CheckResult}; `worst` is where λ_max − 1/t − tol is largest
 * @throws TypeError if u is not a GridFunction; RangeError if t is missing or ≤ 0, or no interior point remains
 * @example checkSemiconcavity(hopfLax(f, 0.2).u, { t: 0.2 }).pass // true
 */
export function checkSemiconcavity(u: GridFunction, options: SemiconcavityOptions): CheckResult {
  const fn = 'checkSemiconcavity';
  mustBeGridFunction(fn, 'u', u);
  const t = options?.t;
  mustBePositive(fn, 't', t);
  const grid = u.grid, d = grid.ndim, reach = d === 1 ? 1 : 2;
  const points = interiorIndices(fn, grid, options.margin ?? 0, reach);
  const hess = new Float64Array(d * d), eig = new Float64Array(d), scratch = new Float64Array(d * d);
  let hMin = Infinity;
  for (const h of grid.spacing) hMin = Math.min(hMin, h);
  const rounding = (16 * Number.EPSILON * Math.max(1, u.normInf())) / (hMin * hMin);
  let worstP = points[0], worstExcess = -Infinity, worstLambda = -Infinity, worstTol = rounding, maxLambda = -Infinity;
  for (let c = 0; c < points.length; c++) {
    const p = points[c];
    hessianAt(grid, u.data, p, 1, hess);
    symmetricEigenvalues(hess, d, eig, scratch);
    const lambda = eig[d - 1];
    let tol = rounding;
    if (d > 1) {
      hessianAt(grid, u.data, p, 2, hess);
      symmetricEigenvalues(hess, d, eig, scratch);
      tol += (RICHARDSON_SAFETY * Math.abs(lambda - eig[d - 1])) / 3;
    }
    if (!(lambda <= maxLambda)) maxLambda = lambda;
    const excess = lambda - 1 / t - tol;
    if (excess > worstExcess || Number.isNaN(excess)) {
      worstExcess = excess; worstP = p; worstLambda = lambda; worstTol = tol;
      if (Number.isNaN(excess)) break;
    }
  }
  return makeResult({
    name: 'semiconcavity',
    claim: 'λ_max(∇²u(·,t)) ≤ 1/t (T5)',
    relation: '≤',
    measured: worstLambda,
    bound: 1 / t,
    tolerance: {
      value: worstTol,
      reason: d === 1
        ? 'rounding 16·eps·max|u|/h²: the 1-D discrete bound is exact'
        : 'rounding 16·eps·max|u|/h² + 2 × Richardson |λ_h − λ_2h|/3 (O(h²) mixed differences), at the worst point',
    },
    worst: { x: pointOf(grid, worstP), value: worstLambda },
    details: { maxEigenvalue: maxLambda, points: points.length },
  });
}
