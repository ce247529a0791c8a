/**
 * Check: semiconcavity, ∇²u(·,t) ≤ I/t (paper-notes §3.4–3.5, claim T5), for both the Hopf–Lax and
 * the viscous solution. Measured through directional second differences along lattice vectors, which
 * satisfy the bound exactly on the grid (see {@link checkSemiconcavity}); the largest eigenvalue of
 * the centred discrete Hessian is reported beside it for information only.
 */
import type { Grid } from '../../grids/grid.js';
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeInteger, mustBePositive } from '../../util/validate.js';
import { makeResult, mustBeGridFunction, type CheckResult } from './check-result.js';
import { hessianAt, interiorIndices, pointOf, symmetricEigenvalues } from './stencil.js';

/** Options of {@link checkSemiconcavity}. */
export interface SemiconcavityOptions {
  /** Relaxation time t > 0: the bound is 1/t. */
  t: number;
  /** Only points at least this far (coordinate units) inside the box are measured. @defaultValue 0 */
  margin?: number;
  /**
   * Lattice directions z used: every primitive integer vector with |z_k| ≤ radius (one of ±z). In 2-D,
   * radius 1 gives the axes and diagonals, radius 2 adds the knight moves (1, ±2), (2, ±1); in d
   * dimensions there are at most (⁠(2·radius + 1)^d − 1)/2. Integer in [1, 8]; 1-D always uses z = 1.
   * @defaultValue 2
   */
  radius?: number;
  /**
   * A bound ε ≥ 0 on the error of the samples of u (sup norm), for a u that comes from an approximate
   * solver (e.g. a finite-difference `solveHJ`, with ε from a refinement study). Adds 4ε/|z|² to the
   * tolerance of direction z. Exact grid solutions (`hopfLax`, `coleHopf`) need none. @defaultValue 0
   */
  valueError?: number;
}

/**
 * Measures the largest directional curvature max_x max_z [u(x+z) + u(x−z) − 2u(x)]/|z|² over lattice
 * vectors z (axes, diagonals, knight moves, … up to `radius` cells per axis) and compares it with 1/t:
 * semiconcavity with constant 1/t means D²_e u ≤ 1/t for every unit direction e.
 *
 * Why no discretisation tolerance: the test is exact on the grid, in every dimension.
 * - Any semiconcave u (u − |x|²/(2t) concave) sampled on the grid: the second difference of the concave
 *   part is ≤ 0 and that of |x|²/(2t) along z is exactly |z|²/t.
 * - The discrete Hopf–Lax infimum u(x) = min_j f_j + |x − y_j|²/(2t): the minimiser y* of u(x) is a
 *   competitor for u(x ± z), and |x+z−y*|² + |x−z−y*|² = 2|x−y*|² + 2|z|².
 * - The discrete Cole–Hopf sum u = −β⁻¹ log Σ_j w_j e^{−β|x−y_j|²/(2t)}: Cauchy–Schwarz on the same identity
 *   gives S(x+z)·S(x−z) ≥ e^{−β|z|²/t} S(x)². (`coleHopf` truncates its sum at a relative mass 1e-14, far
 *   below the rounding term for the grids used.)
 * So the tolerance of direction z is rounding only, 16·eps·max(1, |u|∞)/|z|² (four rounded samples), plus
 * 4·valueError/|z|² when u is an approximation. The eigenvalue λ_max of the centred Hessian (axis second
 * differences, 4-point mixed difference) is in `details.maxEigenvalue`: it is not a test, because the
 * mixed difference is the difference of the two diagonal second differences and overshoots 1/t by O(1)
 * at the kinks of the grid Hopf–Lax solution in d ≥ 2 (in 1-D it equals the axis second difference).
 * @param u - u(·,t) on a grid (at least 2·reach + 1 points per axis inside the margin; reach = radius, 1 in 1-D)
 * @param options - {@link SemiconcavityOptions}
 * @returns a {@link CheckResult}; `measured` is the directional curvature where curvature − 1/t − tol is
 *   largest, `details.worstDirection` its lattice vector, `details.maxCurvature` the overall maximum
 * @throws TypeError if u is not a GridFunction; RangeError if t is missing or ≤ 0, radius is not an
 *   integer in [1, 8], valueError is negative, or no interior point remains
 * @example checkSemiconcavity(hopfLax(f, 0.2).u, { t: 0.2 }).pass // true
 */
export function checkSemiconcavity(u: GridFunction, options: SemiconcavityOptions): CheckResult {
  const fn = 'checkSemiconcavity';
  mustBeGridFunction(fn, 'u', u);
  const t = options?.t;
  mustBePositive(fn, 't', t);
  const radius = options.radius ?? 2;
  mustBeInteger(fn, 'radius', radius, 1, 8);
  const valueError = options.valueError ?? 0;
  mustBe(fn, 'valueError', valueError, Number.isFinite(valueError) && valueError >= 0, 'finite and ≥ 0');
  const grid = u.grid, d = grid.ndim, data = u.data;
  const dirs = latticeDirections(grid, d === 1 ? 1 : radius);
  const points = interiorIndices(fn, grid, options.margin ?? 0, dirs.reach);
  const nDir = dirs.offset.length;
  const roundingNumerator = 16 * Number.EPSILON * Math.max(1, u.normInf()) + 4 * valueError;
  const tolOf = new Float64Array(nDir);
  for (let k = 0; k < nDir; k++) tolOf[k] = roundingNumerator / dirs.norm2[k];
  const hess = new Float64Array(d * d), eig = new Float64Array(d), scratch = new Float64Array(d * d);
  let worstP = points[0], worstDir = 0, worstExcess = -Infinity, worstCurv = -Infinity;
  let maxCurv = -Infinity, maxLambda = -Infinity;
  outer: for (let c = 0; c < points.length; c++) {
    const p = points[c], twice = 2 * data[p];
    for (let k = 0; k < nDir; k++) {
      const s = dirs.offset[k];
      const curv = (data[p + s] + data[p - s] - twice) / dirs.norm2[k];
      if (!(curv <= maxCurv)) maxCurv = curv;
      const excess = curv - 1 / t - tolOf[k];
      if (excess > worstExcess || Number.isNaN(excess)) {
        worstExcess = excess; worstP = p; worstDir = k; worstCurv = curv;
        if (Number.isNaN(excess)) break outer;
      }
    }
    hessianAt(grid, data, p, 1, hess);
    symmetricEigenvalues(hess, d, eig, scratch);
    if (!(eig[d - 1] <= maxLambda)) maxLambda = eig[d - 1];
  }
  return makeResult({
    name: 'semiconcavity',
    claim: 'max over lattice directions z of Δ²_z u/|z|² ≤ 1/t, i.e. ∇²u(·,t) ≤ I/t (T5)',
    relation: '≤',
    measured: worstCurv,
    bound: 1 / t,
    tolerance: {
      value: tolOf[worstDir],
      reason: `rounding 16·eps·max|u|/|z|²${valueError > 0 ? ' + 4·valueError/|z|²' : ''}: the directional second-difference bound is exact on the grid (semiconcave samples, grid Hopf–Lax, grid Cole–Hopf)`,
    },
    worst: { x: pointOf(grid, worstP), value: worstCurv },
    details: {
      maxCurvature: maxCurv, maxEigenvalue: maxLambda, worstDirection: dirs.vectors[worstDir],
      directions: nDir, points: points.length,
    },
  });
}

/**
 * The primitive integer vectors z (gcd of the entries 1) with |z_k| ≤ radius and first nonzero entry
 * > 0, as flat-index offsets with their physical squared lengths Σ(z_k h_k)². A non-primitive z = m·z′
 * is left out: its second difference is an average of those along z′ and adds nothing.
 */
function latticeDirections(grid: Grid, radius: number): { offset: Int32Array; norm2: Float64Array; vectors: number[][]; reach: number } {
  const d = grid.ndim, vectors: number[][] = [];
  const z = new Array<number>(d).fill(-radius);
  for (;;) {
    const first = z.find((v) => v !== 0);
    if (first !== undefined && first > 0 && z.reduce((g, v) => gcd(g, Math.abs(v)), 0) === 1) vectors.push(z.slice());
    let k = d - 1;
    for (; k >= 0; k--) { if (++z[k] <= radius) break; z[k] = -radius; }
    if (k < 0) break;
  }
  const offset = new Int32Array(vectors.length), norm2 = new Float64Array(vectors.length);
  vectors.forEach((v, i) => {
    for (let k = 0; k < d; k++) { offset[i] += v[k] * grid.strides[k]; norm2[i] += (v[k] * grid.spacing[k]) ** 2; }
  });
  return { offset, norm2, vectors, reach: radius };
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
