/**
 * Check: the Hessian spectrum at a minimiser (claims T4, T8). Hopf–Lax, exact: each eigenvalue λ of
 * ∇²f(y*) maps to λ/(1 + tλ). Viscous: ∇²u(x) = (1/t)(I − (β/t) Cov(y)) with Cov the covariance of the
 * Gibbs density ρ(y; x) ∝ exp(−βf(y) − β|x − y|²/(2t)), computed here by quadrature over the samples of f.
 * The "widening" of a minimum along an eigendirection is √(λ_f/λ_u): the basin of a quadratic of
 * curvature λ at a fixed depth has half-width ∝ 1/√λ.
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeBeta, mustBeInteger, mustBePositive } from '../../util/validate.js';
import { makeResult, mustShareGrid, type CheckResult } from './check-result.js';
import { hessianAt, pointOf, RICHARDSON_SAFETY, symmetricEigenvalues } from './stencil.js';

/** Options of {@link checkHessianSpectrum}. */
export interface HessianSpectrumOptions {
  /** Relaxation time t > 0. */
  t: number;
  /** Inverse temperature; Infinity (default) = Hopf–Lax. @defaultValue Infinity */
  beta?: number;
  /** Point to examine (snapped to the nearest grid point). @defaultValue the grid minimiser of f */
  at?: number[];
  /** Stencil step in cells. @defaultValue 8 for Hopf–Lax (the grid infimum has O(h²) kinks), 1 viscous */
  stencil?: number;
}

/** Defaults of {@link checkHessianSpectrum}. */
export const HESSIAN_SPECTRUM_DEFAULTS = { beta: Infinity, stencilHopfLax: 8, stencilViscous: 1 } as const;

/**
 * Measures max_i |μ_i − μ̂_i| between the eigenvalues μ of the discrete Hessian of u at x and the
 * predicted ones μ̂ (Hopf–Lax: λ_i/(1 + tλ_i) from the discrete Hessian of f; viscous: eigenvalues of
 * (1/t)(I − (β/t)Cov) by quadrature), and compares it with 0.
 * Tolerance, summed: 2 × the Richardson estimate |H_s − H_2s|/3 (O(s²) truncation, s = stencil·h) for u and, propagated
 * by 1/(1+tλ)², for f; for Hopf–Lax the grid infimum exceeds the continuous one by at most
 * E = (λ_max + 1/t)Σ_k h_k²/8, which moves a second difference of step s by ≤ 2E/s² per entry, so
 * d·2E/s² on an eigenvalue; rounding 16·eps·max|u|/s².
 * @param u - u(·,t)
 * @param f - loss samples on the same grid
 * @param options - {@link HessianSpectrumOptions}
 * @returns a {@link CheckResult}; details: eigenvaluesF, eigenvaluesU, predicted, widening, covariance (viscous)
 * @throws TypeError for a non-GridFunction; RangeError for different grids, t missing or ≤ 0, β ≤ 0,
 *   a point too close to the box for a stencil of 2·stencil cells, or 1 + tλ ≤ 0 (Hopf–Lax)
 * @example checkHessianSpectrum(hopfLax(f, 0.5).u, f, { t: 0.5 }).details.predicted
 */
export function checkHessianSpectrum(u: GridFunction, f: GridFunction, options: HessianSpectrumOptions): CheckResult {
  const fn = 'checkHessianSpectrum';
  mustShareGrid(fn, { u, f });
  const t = options?.t, beta = options.beta ?? HESSIAN_SPECTRUM_DEFAULTS.beta;
  mustBePositive(fn, 't', t);
  mustBeBeta(fn, 'beta', beta);
  const viscous = Number.isFinite(beta);
  const m = options.stencil ?? (viscous ? HESSIAN_SPECTRUM_DEFAULTS.stencilViscous : HESSIAN_SPECTRUM_DEFAULTS.stencilHopfLax);
  mustBeInteger(fn, 'stencil', m, 1);
  const grid = f.grid, d = grid.ndim;
  let p = f.argmin();
  if (options.at !== undefined) {
    mustBe(fn, 'at', options.at, Array.isArray(options.at) && options.at.length === d && grid.contains(options.at), `a point of ${d} coordinates in the grid box`);
    p = 0;
    for (let k = 0; k < d; k++) p += Math.round((options.at[k] - grid.lower[k]) / grid.spacing[k]) * grid.strides[k];
  }
  const index = grid.multiIndex(p), x = pointOf(grid, p);
  for (let k = 0; k < d; k++) {
    mustBe(fn, 'at', x, index[k] >= 2 * m && index[k] <= grid.shape[k] - 1 - 2 * m, `at least ${2 * m} cells (2·stencil) inside the box`);
  }
  const hess = new Float64Array(d * d), scratch = new Float64Array(d * d);
  const eig = (data: Float64Array, step: number): Float64Array => {
    const out = new Float64Array(d);
    hessianAt(grid, data, p, step, hess);
    symmetricEigenvalues(hess, d, out, scratch);
    return out;
  };
  const lambdaF = eig(f.data, m), lambdaF2 = eig(f.data, 2 * m);
  const mu = eig(u.data, m), mu2 = eig(u.data, 2 * m);
  const predicted = new Float64Array(d);
  let covariance: number[] = [];
  let tolerance = 0, reason: string;
  let sMin = Infinity, hSquared = 0;
  for (let k = 0; k < d; k++) { sMin = Math.min(sMin, m * grid.spacing[k]); hSquared += grid.spacing[k] ** 2; }
  const rounding = (16 * Number.EPSILON * Math.max(1, u.normInf(), f.normInf())) / (sMin * sMin);
  if (!viscous) {
    for (let i = 0; i < d; i++) {
      mustBe(fn, 'f', `eigenvalue ${lambdaF[i]} of ∇²f`, 1 + t * lambdaF[i] > 0, `such that 1 + tλ > 0 at the point (t = ${t})`);
      predicted[i] = lambdaF[i] / (1 + t * lambdaF[i]);
    }
    const meshE = ((Math.max(...lambdaF) + 1 / t) * hSquared) / 8;
    let richardson = 0;
    for (let i = 0; i < d; i++) {
      richardson = Math.max(richardson, RICHARDSON_SAFETY * (Math.abs(mu[i] - mu2[i]) / 3 + Math.abs(lambdaF[i] - lambdaF2[i]) / 3 / (1 + t * lambdaF[i]) ** 2));
    }
    tolerance = richardson + (d * 2 * meshE) / (sMin * sMin) + rounding;
    reason = '2 × Richardson |H_s − H_2s|/3 for u and f + grid-infimum error d·2E/s² with E = (λ_max + 1/t)Σh²/8 + rounding';
  } else {
    const cov = gibbsCovariance(f, p, t, beta);
    covariance = Array.from(cov);
    const model = new Float64Array(d * d);
    for (let k = 0; k < d * d; k++) model[k] = (k % (d + 1) === 0 ? 1 / t : 0) - (beta / (t * t)) * cov[k];
    symmetricEigenvalues(model, d, predicted, scratch);
    let richardson = 0;
    for (let i = 0; i < d; i++) richardson = Math.max(richardson, RICHARDSON_SAFETY * Math.abs(mu[i] - mu2[i]) / 3);
    tolerance = richardson + rounding;
    reason = '2 × Richardson |H_s − H_2s|/3 (O(s²) truncation of the smooth viscous u; ×2 covers the O(s⁴) remainder) + rounding 16·eps·max|u|/s²';
  }
  let measured = 0;
  for (let i = 0; i < d; i++) measured = Math.max(measured, Math.abs(mu[i] - predicted[i]));
  const widening = Array.from(lambdaF, (l, i) => (l > 0 && mu[i] > 0 ? Math.sqrt(l / mu[i]) : NaN));
  return makeResult({
    name: viscous ? 'hessian-spectrum-viscous' : 'hessian-spectrum-hopf-lax',
    claim: viscous ? '∇²u = (1/t)(I − (β/t)Cov ρ(·;x)) at the minimiser (T8)' : 'eigenvalues λ ↦ λ/(1 + tλ) at the minimiser (T4, T8)',
    relation: '≈',
    measured,
    bound: 0,
    tolerance: { value: tolerance, reason },
    worst: { x, value: mu[d - 1] },
    details: {
      eigenvaluesF: Array.from(lambdaF), eigenvaluesU: Array.from(mu), predicted: Array.from(predicted),
      hopfLaxMap: Array.from(lambdaF, (l) => l / (1 + t * l)), widening, covariance, stencil: m,
    },
  });
}

/**
 * Covariance (d×d row-major) of ρ(y; x_p) ∝ exp(−βf(y) − β|x_p − y|²/(2t)) over the grid samples,
 * with log-domain weights shifted by their maximum.
 */
function gibbsCovariance(f: GridFunction, p: number, t: number, beta: number): Float64Array {
  const grid = f.grid, d = grid.ndim;
  const x = pointOf(grid, p), y = new Float64Array(d);
  let maxExponent = -Infinity;
  for (let q = 0; q < grid.size; q++) {
    grid.point(q, y);
    let r2 = 0;
    for (let k = 0; k < d; k++) r2 += (x[k] - y[k]) ** 2;
    maxExponent = Math.max(maxExponent, -beta * f.data[q] - (beta * r2) / (2 * t));
  }
  let mass = 0;
  const mean = new Float64Array(d), second = new Float64Array(d * d);
  for (let q = 0; q < grid.size; q++) {
    grid.point(q, y);
    let r2 = 0;
    for (let k = 0; k < d; k++) { y[k] -= x[k]; r2 += y[k] * y[k]; }
    const w = Math.exp(-beta * f.data[q] - (beta * r2) / (2 * t) - maxExponent);
    mass += w;
    for (let k = 0; k < d; k++) { mean[k] += w * y[k]; for (let l = 0; l < d; l++) second[k * d + l] += w * y[k] * y[l]; }
  }
  const cov = new Float64Array(d * d);
  for (let k = 0; k < d; k++) for (let l = 0; l < d; l++) cov[k * d + l] = second[k * d + l] / mass - (mean[k] / mass) * (mean[l] / mass);
  return cov;
}
