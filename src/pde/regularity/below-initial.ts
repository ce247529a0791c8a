/**
 * Check: the relaxed loss lies below the loss, u(·,t) ≤ f (paper-notes §3.5 property 1, claim T6).
 * True for the Hopf–Lax solution (take y = x in the infimum), exactly on the grid too: the discrete
 * infimum over grid points includes y = x. False in general for the viscous solution (see
 * {@link checkQuadraticOffset}).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { makeResult, mustShareGrid, roundingSlack, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** Options of {@link checkBelowInitial}. */
export interface BelowInitialOptions {
  /** Only points at least this far (coordinate units) inside the box are measured. @defaultValue 0 */
  margin?: number;
}

/**
 * Measures max_x (u(x) − f(x)) and compares it with 0: the claim u ≤ f.
 * Tolerance: rounding only, 8·eps·max(1, max|f|), because the discrete Hopf–Lax infimum contains the
 * term f(x) itself.
 * @param u - relaxed loss u(·,t) on the grid of f
 * @param f - the loss samples
 * @param options - {@link BelowInitialOptions}
 * @returns a {@link CheckResult}; `worst` is the point of largest u − f
 * @throws TypeError if u or f is not a GridFunction; RangeError if they live on different grids or the margin leaves no point
 * @example checkBelowInitial(hopfLax(f, 0.5).u, f).pass // true
 */
export function checkBelowInitial(u: GridFunction, f: GridFunction, options: BelowInitialOptions = {}): CheckResult {
  const fn = 'checkBelowInitial';
  mustShareGrid(fn, { u, f });
  const points = interiorIndices(fn, f.grid, options.margin ?? 0, 0);
  let worst = points[0], worstGap = -Infinity;
  for (let c = 0; c < points.length; c++) {
    const p = points[c], gap = u.data[p] - f.data[p];
    if (gap > worstGap || Number.isNaN(gap)) { worstGap = gap; worst = p; if (Number.isNaN(gap)) break; }
  }
  const scale = Math.max(u.normInf(), f.normInf());
  return makeResult({
    name: 'below-initial',
    claim: 'u(x,t) ≤ f(x) (Hopf–Lax; T6)',
    relation: '≤',
    measured: worstGap,
    bound: 0,
    tolerance: { value: roundingSlack(scale), reason: 'rounding 8·eps·max|f|: the discrete infimum contains y = x' },
    worst: { x: pointOf(f.grid, worst), value: worstGap },
    details: { points: points.length },
  });
}
