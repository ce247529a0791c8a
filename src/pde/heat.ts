/**
 * Heat-equation smoothing, the paper's HEAT comparison: u_t = ½Δu, u(·, 0) = f, so
 * u(x, t) = (G_t ∗ f)(x) = E_{y∼N(x, tI)} f(y), with ∇u(x, t) = E[(y − x) f(y)]/t.
 * @see paper-notes §3.7, docs/solvers.md
 */
import { GridFunction } from '../grids/grid-function.js';
import type { BackendName } from '../gpu/backend-name.js';
import { mustBe, mustBePositive, describe } from '../util/validate.js';
import { gaussianMomentSweep, type MomentField } from './gaussian-sweep.js';
import { stripUndefined } from './cole-hopf.js';
import {
  checkMemory, resolveMaxBytes, requireCpuBackend, requireFiniteGridFunction, interiorRange, inRange, report,
  PDE_INTERIOR_FRACTION,
} from './domain-check.js';

/** Options of {@link heatSmooth}. */
export interface HeatOptions {
  /** Kernel window radius in standard deviations √t (widened per point when needed). @defaultValue 10 */
  radius?: number;
  /** Bound on the relative neglected kernel mass per point. @defaultValue 1e-14 */
  truncationTol?: number;
  /** Fraction of the box width cut from each side to define the points of interest. @defaultValue 0.25 */
  interior?: number;
  /** Largest acceptable kernel mass outside the box at a point of interest. @defaultValue 1e-10 */
  boundaryTol?: number;
  /** Throw instead of warning. @defaultValue false */
  strict?: boolean;
  /** Memory cap in bytes. @defaultValue 2³¹ */
  maxBytes?: number;
  /** Compute backend; only 'cpu' for now. @defaultValue 'cpu' */
  backend?: BackendName;
}

/** Defaults of {@link HeatOptions}. */
export const HEAT_DEFAULTS = { radius: 10, truncationTol: 1e-14, interior: PDE_INTERIOR_FRACTION, boundaryTol: 1e-10, strict: false } as const;

/** What {@link heatSmooth} returns. */
export interface HeatResult {
  /** u(x, t) = (G_t ∗ f)(x). */
  u: GridFunction;
  /** gradient[k] = ∂u/∂x_k. */
  gradient: GridFunction[];
  /** Kernel mass falling outside the box, per point (the lattice sum is renormalised over the box). */
  outsideMass: GridFunction;
  /** Human-readable diagnostics (empty when all is well). */
  warnings: string[];
}

/**
 * Gaussian smoothing u(x, t) = Σ_y K(x − y) f(y) / Σ_y K(x − y) over the grid points y, K the
 * lattice-normalised Gaussian of variance t per axis (the quadrature of (G_t ∗ f)(x), renormalised
 * over the box: the conditional mean of f(y), y ∼ N(x, tI) restricted to the box), with its exact
 * gradient ∇u = (⟨(y − x) f⟩ − ⟨y − x⟩⟨f⟩)/t. Solves u_t = ½Δu.
 * @param f - samples on a grid (finite)
 * @param t - time (kernel variance), finite and > 0
 * @throws RangeError for t not finite and > 0, a non-finite sample, spacing above √t (names the
 *   spacing needed), bad options, the memory cap, a backend other than 'cpu', or (strict) kernel
 *   mass outside the box at a point of interest
 * @example const { u } = heatSmooth(Grid.uniform([[-6, 6]], [601]).sample((x) => x * x), 0.5); // u ≈ x² + 0.5
 */
export function heatSmooth(f: GridFunction, t: number, options: HeatOptions = {}): HeatResult {
  const fn = 'heatSmooth';
  mustBePositive(fn, 't', t);
  requireFiniteGridFunction(fn, f);
  const o = { ...HEAT_DEFAULTS, ...stripUndefined(options) };
  mustBe(fn, 'radius', o.radius, typeof o.radius === 'number' && o.radius >= 3 && Number.isFinite(o.radius), 'finite and ≥ 3 (standard deviations)');
  mustBe(fn, 'truncationTol', o.truncationTol, typeof o.truncationTol === 'number' && o.truncationTol > 0 && o.truncationTol < 1, 'in (0, 1)');
  requireCpuBackend(fn, o.backend);
  const { grid } = f;
  const d = grid.ndim, N = grid.size;
  const { lo, hi } = interiorRange(fn, grid, o.interior);
  checkMemory(fn, 8 * N * (2 * (2 * d + 3) + d + 2), resolveMaxBytes(fn, o.maxBytes));
  const sigma = Math.sqrt(t);
  for (let k = 0; k < d; k++) {
    if (grid.spacing[k] > sigma * (1 + 1e-12)) {
      throw new RangeError(`${fn}: grid spacing on axis ${k} must be ≤ √t = ${sigma.toPrecision(6)} to resolve the Gaussian kernel; got h = ${grid.spacing[k].toPrecision(6)}. Use at least ${Math.ceil((grid.upper[k] - grid.lower[k]) / sigma) + 1} points on axis ${k}.`);
    }
  }
  const zeros = new Array<number>(d).fill(0);
  const fields: MomentField[] = [{ init: f.data, exponents: zeros }];
  for (let k = 0; k < d; k++) {
    const e = [...zeros]; e[k] = 1;
    fields.push({ init: f.data, exponents: e }, { init: null, exponents: e });
  }
  const sweep = gaussianMomentSweep(grid, new Float64Array(N), t, fields, { radius: o.radius, truncationTol: o.truncationTol, summation: 'auto', trackBoundary: false });
  const mean = sweep.fields[0];
  const gradient = Array.from({ length: d }, (_, k) => {
    const fy = sweep.fields[1 + 2 * k], dy = sweep.fields[2 + 2 * k], out = new Float64Array(N);
    for (let p = 0; p < N; p++) out[p] = (fy[p] - dy[p] * mean[p]) / t;
    return new GridFunction(grid, out);
  });
  const outside = new Float64Array(N);
  let count = 0, worst = 0, worstP = -1;
  for (let p = 0; p < N; p++) {
    outside[p] = -Math.expm1(sweep.logMass[p]);
    if (outside[p] > o.boundaryTol && inRange(grid, p, lo, hi)) { count++; if (outside[p] > worst) { worst = outside[p]; worstP = p; } }
  }
  const warnings: string[] = [];
  if (count > 0) {
    report(warnings, `${fn}: kernel mass outside the box exceeds boundaryTol = ${o.boundaryTol} at ${count} point(s) of interest (largest ${worst.toPrecision(3)} at x = ${describe(Array.from(grid.point(worstP)))}); enlarge the box by several √t = ${sigma.toPrecision(3)}.`, o.strict);
  }
  return { u: new GridFunction(grid, mean), gradient, outsideMass: new GridFunction(grid, outside), warnings };
}
