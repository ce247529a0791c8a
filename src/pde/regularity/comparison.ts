/**
 * Check: the comparison principle, f ≤ g ⇒ u_f(·,t) ≤ u_g(·,t), for both PDEs (monotonicity of the
 * solution operator: Hopf–Lax is an infimum, Cole–Hopf a log of a positive integral).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe } from '../../util/validate.js';
import { makeResult, mustShareGrid, roundingSlack, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** Inputs of {@link checkComparison}: two losses with f ≤ g and their relaxations at one (t, β). */
export interface ComparisonInput {
  f: GridFunction;
  g: GridFunction;
  /** Relaxation of f. */
  uf: GridFunction;
  /** Relaxation of g, by the same solver at the same t and β. */
  ug: GridFunction;
  /** Only points at least this far (coordinate units) inside the box are measured. @defaultValue 0 */
  margin?: number;
}

/**
 * Measures max_x (u_f − u_g) and compares it with 0. Tolerance: rounding 8·eps·max|u| (the exact grid
 * solvers are monotone maps of the samples; a monotone scheme is too, by construction).
 * @param input - {@link ComparisonInput}
 * @returns a {@link CheckResult}
 * @throws TypeError for a non-GridFunction; RangeError for different grids or if f ≤ g fails somewhere (named)
 * @example checkComparison({ f, g: f.map((v) => v + 0.1), uf, ug }).pass
 */
export function checkComparison(input: ComparisonInput): CheckResult {
  const fn = 'checkComparison';
  const { f, g, uf, ug } = input ?? ({} as ComparisonInput);
  mustShareGrid(fn, { f, g, uf, ug });
  const grid = f.grid;
  for (let p = 0; p < grid.size; p++) {
    mustBe(fn, 'f', `f = ${f.data[p]} > g = ${g.data[p]} at x = [${pointOf(grid, p).join(', ')}]`, f.data[p] <= g.data[p], '≤ g at every grid point');
  }
  const points = interiorIndices(fn, grid, input.margin ?? 0, 0);
  let worstP = points[0], worstGap = -Infinity;
  for (let c = 0; c < points.length; c++) {
    const gap = uf.data[points[c]] - ug.data[points[c]];
    if (!(gap <= worstGap)) { worstGap = gap; worstP = points[c]; }
  }
  return makeResult({
    name: 'comparison',
    claim: 'f ≤ g ⇒ u_f ≤ u_g (comparison principle)',
    relation: '≤',
    measured: worstGap,
    bound: 0,
    tolerance: { value: roundingSlack(Math.max(uf.normInf(), ug.normInf())), reason: 'rounding 8·eps·max|u|: the solvers are monotone maps' },
    worst: { x: pointOf(grid, worstP), value: worstGap },
    details: { points: points.length },
  });
}
