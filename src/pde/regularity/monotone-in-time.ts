/**
 * Check: t ↦ u(x,t) is non-increasing (Hopf–Lax, paper-notes §3.5 property 2; claim T6 family).
 * The viscous solution is not monotone in general: for a quadratic the offset (1/2β) log det(I + tA)
 * grows with t at x = 0, where ∇u = 0.
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeType } from '../../util/validate.js';
import { makeResult, mustShareGrid, roundingSlack, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** A solution at one time. */
export interface TimedSolution { t: number; u: GridFunction }

/** Options of {@link checkMonotoneInTime}. */
export interface MonotoneInTimeOptions {
  /** Only points at least this far (coordinate units) inside the box are measured. @defaultValue 0 */
  margin?: number;
}

/**
 * Measures max over consecutive snapshots and points of u(x, t_{i+1}) − u(x, t_i) (times sorted
 * increasing) and compares it with 0. Tolerance: rounding 8·eps·max|u| — the grid Hopf–Lax infimum is
 * of the same terms, each non-increasing in t, and a monotone explicit step for u_t = −½|∇u|² only
 * subtracts a square.
 * @param snapshots - at least two solutions `{ t, u }` on one grid, distinct times (any order)
 * @param options - {@link MonotoneInTimeOptions}
 * @returns a {@link CheckResult}; `details.fromT`, `details.toT` name the worst pair
 * @throws TypeError if snapshots is not an array; RangeError for fewer than two, repeated or non-positive times, or different grids
 * @example checkMonotoneInTime([0.1, 0.2, 0.4].map((t) => ({ t, u: hopfLax(f, t).u }))).pass // true
 */
export function checkMonotoneInTime(snapshots: readonly TimedSolution[], options: MonotoneInTimeOptions = {}): CheckResult {
  const fn = 'checkMonotoneInTime';
  mustBeType(fn, 'snapshots', snapshots, Array.isArray(snapshots), 'an array of { t, u }');
  mustBe(fn, 'snapshots.length', snapshots.length, snapshots.length >= 2, '≥ 2');
  const named: Record<string, GridFunction> = {};
  snapshots.forEach((s, i) => {
    mustBe(fn, `snapshots[${i}].t`, s.t, Number.isFinite(s.t) && s.t >= 0, 'finite and ≥ 0');
    named[`snapshots[${i}].u`] = s.u;
  });
  mustShareGrid(fn, named);
  const sorted = [...snapshots].sort((a, b) => a.t - b.t);
  for (let i = 1; i < sorted.length; i++) mustBe(fn, 'snapshots', `two at t = ${sorted[i].t}`, sorted[i].t > sorted[i - 1].t, 'at distinct times');
  const grid = sorted[0].u.grid;
  const points = interiorIndices(fn, grid, options.margin ?? 0, 0);
  let worst = { p: points[0], gap: -Infinity, from: sorted[0].t, to: sorted[1].t };
  let scale = 0;
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i].u.data, b = sorted[i + 1].u.data;
    scale = Math.max(scale, sorted[i].u.normInf(), sorted[i + 1].u.normInf());
    for (let c = 0; c < points.length; c++) {
      const gap = b[points[c]] - a[points[c]];
      if (!(gap <= worst.gap)) worst = { p: points[c], gap, from: sorted[i].t, to: sorted[i + 1].t };
    }
  }
  return makeResult({
    name: 'monotone-in-time',
    claim: 't ↦ u(x,t) non-increasing (Hopf–Lax; T6)',
    relation: '≤',
    measured: worst.gap,
    bound: 0,
    tolerance: { value: roundingSlack(scale), reason: 'rounding 8·eps·max|u|: every term of the grid infimum decreases in t' },
    worst: { x: pointOf(grid, worst.p), value: worst.gap },
    details: { fromT: worst.from, toT: worst.to, snapshots: sorted.length },
  });
}
