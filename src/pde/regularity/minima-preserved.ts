/**
 * Check: Hopf–Lax keeps the minimum value and the minimisers, inf u(·,t) = inf f and
 * argmin f ⊂ argmin u(·,t) (paper-notes §3.5 property 3; claim T6). On the grid this is exact:
 * u ≥ min f everywhere (every term of the infimum is) and u(x*) ≤ f(x*) = min f.
 * The viscous solution fails it by the offset and by a shift of the minimiser, both reported.
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { makeResult, mustShareGrid, roundingSlack, type CheckResult } from './check-result.js';
import { pointOf } from './stencil.js';

/**
 * Measures max(|min u − min f|, u(x*_f) − min f), with x*_f the grid minimiser of f, and compares it
 * with 0: both vanish exactly when the minimum value is kept and x*_f still minimises u.
 * Tolerance: rounding 8·eps·max|f|.
 * @param u - u(·,t)
 * @param f - loss samples on the same grid
 * @returns a {@link CheckResult}; `details.minimiserShift` = |argmin u − argmin f| (Euclidean),
 *   `details.valueGap` = min u − min f
 * @throws TypeError if u or f is not a GridFunction; RangeError for different grids
 * @example checkMinimaPreserved(hopfLax(f, 0.5).u, f).pass // true
 */
export function checkMinimaPreserved(u: GridFunction, f: GridFunction): CheckResult {
  const fn = 'checkMinimaPreserved';
  mustShareGrid(fn, { u, f });
  const grid = f.grid;
  const pf = f.argmin(), pu = u.argmin();
  const minF = f.data[pf], minU = u.data[pu];
  const measured = Math.max(Math.abs(minU - minF), u.data[pf] - minF);
  const xf = pointOf(grid, pf), xu = pointOf(grid, pu);
  const shift = Math.hypot(...xf.map((v, k) => v - xu[k]));
  return makeResult({
    name: 'minima-preserved',
    claim: 'inf u = inf f and argmin f ⊂ argmin u (Hopf–Lax; T6)',
    relation: '≤',
    measured,
    bound: 0,
    tolerance: { value: roundingSlack(Math.max(f.normInf(), u.normInf())), reason: 'rounding 8·eps·max|f|: exact on the grid' },
    worst: { x: xf, value: u.data[pf] },
    details: { valueGap: minU - minF, minimiserShift: shift, argminF: xf, argminU: xu },
  });
}
