/**
 * Check: the viscous relaxation of a quadratic is NOT below the loss. For f = ½xᵀAx with I + tA ≻ 0,
 * u(x,t) = ½xᵀA(I+tA)⁻¹x + (1/2β) log det(I + tA) (paper-notes §3.6), so
 * max_x (u − f) = (1/2β) log det(I + tA) > 0 at x = 0 whenever A ≻ 0: u ≤ f fails, by exactly this
 * offset (claim T6, viscous half).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeBeta, mustBePositive, mustBeType } from '../../util/validate.js';
import { makeResult, mustBeGridFunction, roundingSlack, type CheckResult } from './check-result.js';
import { pointOf, symmetricEigenvalues } from './stencil.js';

/** Options of {@link checkQuadraticOffset}. */
export interface QuadraticOffsetOptions {
  /** Symmetric d×d matrix A of f = ½xᵀAx (rows), with I + tA positive definite. */
  A: number[][];
  /** Relaxation time t > 0. */
  t: number;
  /** Inverse temperature β > 0 (finite: the offset vanishes as β → ∞). */
  beta: number;
}

/**
 * Measures max_x (u(x) − ½xᵀAx) over the grid and compares it with (1/2β) log det(I + tA).
 * Tolerance, summed: (a) mesh: the grid may miss x = 0, and u − f = −½xᵀtA²(I+tA)⁻¹x + c loses at most
 * ½‖tA²(I+tA)⁻¹‖·Σ_k (h_k/2)²; (b) quadrature: the trapezoid sum of the Gaussian Gibbs density
 * N(0, (t/β)(I+tA)⁻¹) on spacing h has relative error ≤ 2Σ_k exp(−2π²σ_k²/h_k²) (Poisson summation),
 * plus the Gibbs mass outside the box ≤ 2Σ_k exp(−R_k²/(2σ_k²)), both times 1/β in u;
 * (c) rounding 8·eps·max|u|.
 * @param u - viscous solution u(·,t) of f = ½xᵀAx on a grid containing a neighbourhood of 0
 * @param options - {@link QuadraticOffsetOptions}
 * @returns a {@link CheckResult} with relation `≈`; `details.offset` is the exact offset
 * @throws TypeError if u is not a GridFunction or A is not an array of rows; RangeError if A is not
 *   d×d symmetric, I + tA is not positive definite, t ≤ 0 or β ≤ 0
 * @example checkQuadraticOffset(coleHopf(grid.sample('x^2/2'), 1, 2).u, { A: [[1]], t: 1, beta: 2 }) // offset log(2)/4
 */
export function checkQuadraticOffset(u: GridFunction, options: QuadraticOffsetOptions): CheckResult {
  const fn = 'checkQuadraticOffset';
  mustBeGridFunction(fn, 'u', u);
  const { A, t, beta } = options ?? ({} as QuadraticOffsetOptions);
  mustBePositive(fn, 't', t);
  mustBeBeta(fn, 'beta', beta);
  const grid = u.grid, d = grid.ndim;
  mustBeType(fn, 'A', A, Array.isArray(A) && A.every((row) => Array.isArray(row)), 'an array of rows');
  mustBe(fn, 'A', A, A.length === d && A.every((row) => row.length === d), `a ${d}×${d} matrix (the grid has ${d} axes)`);
  for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) mustBe(fn, `A[${k}][${l}]`, A[k][l], A[k][l] === A[l][k] && Number.isFinite(A[k][l]), `finite and equal to A[${l}][${k}]`);
  // Spectral data of A: I + tA ≻ 0, log det, and ‖tA²(I+tA)⁻¹‖ = max |tλ²/(1+tλ)|.
  const flat = new Float64Array(d * d), eig = new Float64Array(d), scratch = new Float64Array(d * d);
  for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) flat[k * d + l] = A[k][l];
  symmetricEigenvalues(flat, d, eig, scratch);
  let logDet = 0, curvatureLoss = 0;
  for (let i = 0; i < d; i++) {
    mustBe(fn, 'A', `eigenvalue ${eig[i]}`, 1 + t * eig[i] > 0, `such that I + tA is positive definite (1 + tλ > 0 for t = ${t})`);
    logDet += Math.log1p(t * eig[i]);
    curvatureLoss = Math.max(curvatureLoss, Math.abs((t * eig[i] * eig[i]) / (1 + t * eig[i])));
  }
  const offset = logDet / (2 * beta);
  // Marginal Gibbs variances σ_k² = (t/β)[(I + tA)⁻¹]_kk, from the inverse of the small matrix.
  const inverse = invertSymmetric(flat.map((v, i) => t * v + (i % (d + 1) === 0 ? 1 : 0)), d);
  mustBe(fn, 'u', grid.toString(), grid.contains(new Array<number>(d).fill(0)), 'on a grid whose box contains x = 0');
  let meshLoss = 0, quadrature = 0;
  const x = new Float64Array(d);
  let worst = 0, worstGap = -Infinity;
  for (let p = 0; p < grid.size; p++) {
    grid.point(p, x);
    let quad = 0;
    for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) quad += x[k] * A[k][l] * x[l];
    const gap = u.data[p] - 0.5 * quad;
    if (gap > worstGap || Number.isNaN(gap)) { worstGap = gap; worst = p; if (Number.isNaN(gap)) break; }
  }
  for (let k = 0; k < d; k++) {
    const h = grid.spacing[k], variance = (t / beta) * inverse[k * d + k];
    const reach = Math.min(-grid.lower[k], grid.upper[k]);
    meshLoss += (h / 2) ** 2;
    quadrature += 2 * Math.exp((-2 * Math.PI * Math.PI * variance) / (h * h)) + 2 * Math.exp(-(reach * reach) / (2 * Math.max(variance, 1e-300)));
  }
  const tolerance = 0.5 * curvatureLoss * meshLoss + (quadrature < 0.5 ? -Math.log1p(-quadrature) : Infinity) / beta + roundingSlack(u.normInf());
  return makeResult({
    name: 'viscous-quadratic-offset',
    claim: 'viscous u − f peaks at (1/2β) log det(I + tA) > 0 for f = ½xᵀAx: u ≤ f fails (T6)',
    relation: '≈',
    measured: worstGap,
    bound: offset,
    tolerance: {
      value: tolerance,
      reason: 'mesh ½‖tA²(I+tA)⁻¹‖Σ(h/2)² + Poisson-summation and box-truncation error of the Gibbs quadrature /β + rounding',
    },
    worst: { x: pointOf(grid, worst), value: worstGap },
    details: { offset, logDet, violatesBelowInitial: offset > 0 ? 'yes' : 'no' },
  });
}

/** Inverse of a small symmetric positive-definite matrix by Gauss–Jordan (d ≤ a few). */
function invertSymmetric(m: Float64Array, d: number): Float64Array {
  const a = Float64Array.from(m), inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1;
  for (let col = 0; col < d; col++) {
    const pivot = a[col * d + col];
    for (let j = 0; j < d; j++) { a[col * d + j] /= pivot; inv[col * d + j] /= pivot; }
    for (let row = 0; row < d; row++) {
      if (row === col) continue;
      const factor = a[row * d + col];
      for (let j = 0; j < d; j++) { a[row * d + j] -= factor * a[col * d + j]; inv[row * d + j] -= factor * inv[col * d + j]; }
    }
  }
  return inv;
}
