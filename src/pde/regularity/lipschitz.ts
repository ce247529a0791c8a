/**
 * Check: the relaxation does not increase the Lipschitz constant, sup|∇u(·,t)| ≤ sup|∇f|
 * (paper-notes §3.4: ∇u = ⟨∇f⟩ viscous, ∇u = ∇f(y*) Hopf–Lax; claim T5's companion).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { makeResult, mustShareGrid, type CheckResult } from './check-result.js';
import { gradientAt, interiorIndices, pointOf, RICHARDSON_SAFETY } from './stencil.js';

/** Options of {@link checkLipschitz}. */
export interface LipschitzOptions {
  /** u is measured only at points at least this far (coordinate units) inside the box; f everywhere. @defaultValue 0 */
  margin?: number;
}

/**
 * Measures sup_x |∇_h u(x)| (centred differences, Euclidean norm) and compares it with sup_y |∇_h f(y)|
 * over the whole grid interior.
 * Tolerance: rounding 8·eps·max|u|/h; in 1-D nothing more, since the inequality is exact on the grid
 * (u(x+h) − u(x−h) ≤ f(y+2h) − f(y) with y the minimiser, or the Gibbs weights shifted by 2h, at x − h).
 * For d ≥ 2 the Euclidean norm mixes axes measured at different minimisers, and a 2 × Richardson
 * estimate |G_h − G_2h|/3 of the O(h²) truncation error of |∇_h u| at the worst point is added.
 * @param u - u(·,t)
 * @param f - loss samples on the same grid
 * @param options - {@link LipschitzOptions}
 * @returns a {@link CheckResult}; `worst` is where |∇_h u| is largest
 * @throws TypeError if u or f is not a GridFunction; RangeError for different grids or no interior point
 * @example checkLipschitz(hopfLax(f, 0.5).u, f).pass // true
 */
export function checkLipschitz(u: GridFunction, f: GridFunction, options: LipschitzOptions = {}): CheckResult {
  const fn = 'checkLipschitz';
  mustShareGrid(fn, { u, f });
  const grid = f.grid, d = grid.ndim, reach = d === 1 ? 1 : 2;
  const all = interiorIndices(fn, grid, 0, 1);
  const points = interiorIndices(fn, grid, options.margin ?? 0, reach);
  const g = new Float64Array(d);
  let boundF = 0;
  for (let c = 0; c < all.length; c++) {
    gradientAt(grid, f.data, all[c], 1, g);
    const norm = Math.hypot(...g);
    if (!(norm <= boundF)) boundF = norm;
  }
  let worstP = points[0], worstNorm = -Infinity;
  for (let c = 0; c < points.length; c++) {
    gradientAt(grid, u.data, points[c], 1, g);
    const norm = Math.hypot(...g);
    if (!(norm <= worstNorm)) { worstNorm = norm; worstP = points[c]; if (Number.isNaN(norm)) break; }
  }
  let hMin = Infinity;
  for (const h of grid.spacing) hMin = Math.min(hMin, h);
  let tol = (8 * Number.EPSILON * Math.max(1, u.normInf(), f.normInf())) / hMin;
  if (d > 1) {
    gradientAt(grid, u.data, worstP, 2, g);
    tol += (RICHARDSON_SAFETY * Math.abs(worstNorm - Math.hypot(...g))) / 3;
  }
  return makeResult({
    name: 'lipschitz',
    claim: 'sup|∇u(·,t)| ≤ sup|∇f| (T5)',
    relation: '≤',
    measured: worstNorm,
    bound: boundF,
    tolerance: {
      value: tol,
      reason: d === 1 ? 'rounding 8·eps·max|u|/h: exact on the grid in 1-D' : 'rounding + 2 × Richardson |G_h − G_2h|/3 at the worst point (d ≥ 2)',
    },
    worst: { x: pointOf(grid, worstP), value: worstNorm },
    details: { points: points.length },
  });
}
