/**
 * Check: vanishing viscosity, ‖u_β(·,t) − u_∞(·,t)‖∞ → 0 as β → ∞ (claim T13), with the measured rate.
 *
 * Expected rate (Laplace's method on u_β = −β⁻¹ log ∫(2πt/β)^{−d/2} exp(−βφ_x(y)) dy, φ_x(y) =
 * f(y) + |x − y|²/(2t), min φ_x = u_∞(x)): if f is C² and the minimiser y* is nondegenerate
 * (I + t∇²f(y*) ≻ 0), then u_β − u_∞ = (1/2β) log det(I + t∇²f(y*)) + O(β⁻²): order 1 in 1/β.
 * If f has a kink at y* (Lipschitz only), the integral near y* scales like β^{−d} instead of
 * β^{−d/2}, and u_β − u_∞ ≈ (d/2β) log β·const: order 1 up to a log, O(log β/β).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeType } from '../../util/validate.js';
import { makeResult, mustShareGrid, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** A viscous solution at one inverse temperature. */
export interface ViscousSolution { beta: number; u: GridFunction }

/**
 * Measures ‖u_β − u_∞‖∞ for each β and the observed order p = log(e_{n−1}/e_n)/log(β_n/β_{n−1}) of the
 * last pair, and compares p with 1 (the O(1/β) rate).
 * Tolerance: log(ln β_n/ln β_{n−1})/log(β_n/β_{n−1}), the order deficit of the O(log β/β) Laplace rate
 * of non-smooth f over that pair — so the check accepts O(log β/β) and rejects anything slower.
 * Grids must resolve √(t/β) (h well below it), else the grid sum itself behaves like a kink.
 * @param series - at least two `{ beta, u }` with distinct finite β on one grid (any order)
 * @param uLimit - the Hopf–Lax solution at the same t on the same grid
 * @param options.margin - distance (coordinate units) from the box, default 0
 * @returns a {@link CheckResult}; details: betas, errors, orders, and the constants e·β and e·β/ln β
 * @throws TypeError for non-arrays or non-GridFunctions; RangeError for fewer than two β, repeated,
 *   infinite or non-positive β, or different grids
 * @example checkVanishingViscosity([10, 100].map((beta) => ({ beta, u: coleHopf(f, t, beta).u })), hopfLax(f, t).u)
 */
export function checkVanishingViscosity(series: readonly ViscousSolution[], uLimit: GridFunction, options: { margin?: number } = {}): CheckResult {
  const fn = 'checkVanishingViscosity';
  mustBeType(fn, 'series', series, Array.isArray(series), 'an array of { beta, u }');
  mustBe(fn, 'series.length', series.length, series.length >= 2, '≥ 2');
  const named: Record<string, GridFunction> = { uLimit };
  series.forEach((s, i) => {
    mustBe(fn, `series[${i}].beta`, s.beta, Number.isFinite(s.beta) && s.beta > 0, 'finite and > 0');
    named[`series[${i}].u`] = s.u;
  });
  mustShareGrid(fn, named);
  const sorted = [...series].sort((a, b) => a.beta - b.beta);
  for (let i = 1; i < sorted.length; i++) mustBe(fn, 'series', `two at beta = ${sorted[i].beta}`, sorted[i].beta > sorted[i - 1].beta, 'at distinct β');
  const grid = uLimit.grid;
  const points = interiorIndices(fn, grid, options.margin ?? 0, 0);
  const errors: number[] = [], worstPoints: number[] = [];
  for (const { u } of sorted) {
    let e = 0, at = points[0];
    for (let c = 0; c < points.length; c++) {
      const diff = Math.abs(u.data[points[c]] - uLimit.data[points[c]]);
      if (!(diff <= e)) { e = diff; at = points[c]; }
    }
    errors.push(e); worstPoints.push(at);
  }
  const betas = sorted.map((s) => s.beta);
  const orders = errors.slice(1).map((e, i) => Math.log(errors[i] / e) / Math.log(betas[i + 1] / betas[i]));
  const n = betas.length - 1;
  const logDeficit = Math.log(Math.log(betas[n]) / Math.log(betas[n - 1])) / Math.log(betas[n] / betas[n - 1]);
  return makeResult({
    name: 'vanishing-viscosity',
    claim: '‖u_β − u_∞‖∞ → 0 as β → ∞ at rate O(log β/β) (O(1/β) for C² f) (T13)',
    relation: '≥',
    measured: orders[orders.length - 1],
    bound: 1,
    tolerance: { value: Math.abs(logDeficit), reason: 'order deficit log(ln β₂/ln β₁)/log(β₂/β₁) of the O(log β/β) rate of Lipschitz f' },
    worst: { x: pointOf(grid, worstPoints[n]), value: errors[n] },
    details: {
      betas, errors, orders,
      errorTimesBeta: errors.map((e, i) => e * betas[i]),
      errorTimesBetaOverLogBeta: errors.map((e, i) => (e * betas[i]) / Math.log(betas[i])),
    },
  });
}
