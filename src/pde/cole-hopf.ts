/**
 * Exact Cole–Hopf relaxation on a grid (the discrete quadrature of the viscous HJ solution):
 * u(x, t) = −β⁻¹ log( G_{t/β} ∗ e^{−βf} )(x), with the Gibbs mean ⟨y⟩ and, on request, the Gibbs
 * covariance and the Hessian ∇²u = I/t − (β/t²)Cov(y). Separable log-domain Gaussian sweep.
 * @see docs/solvers.md and paper-notes §3.3–3.4
 */
import { GridFunction } from '../grids/grid-function.js';
import type { BackendName } from '../gpu/backend-name.js';
import { gpuColeHopfFor } from '../gpu/dispatch-cole-hopf.js';
import { mustBe, mustBePositive, describe } from '../util/validate.js';
import { gaussianMomentSweep, type MomentField, type Summation } from './gaussian-sweep.js';
import {
  checkMemory, resolveMaxBytes, requireFiniteGridFunction, interiorRange, inRange, report,
  PDE_INTERIOR_FRACTION,
} from './domain-check.js';

/** Options of {@link coleHopf}. */
export interface ColeHopfOptions {
  /** Also return the Gibbs covariance and the Hessian of u. @defaultValue false */
  hessian?: boolean;
  /** Kernel window radius in standard deviations √(t/β); widened per point when the bound asks. @defaultValue 10 */
  radius?: number;
  /** Bound on the relative neglected Gibbs mass per point (|Δu| ≤ tol/β). @defaultValue 1e-14 */
  truncationTol?: number;
  /** 'auto' (exp once per cell where the line's dynamic range allows) or 'log-sum-exp' everywhere. @defaultValue 'auto' */
  summation?: Summation;
  /** Downgrade "grid too coarse for √(t/β)" from an error to a warning (β → ∞ studies). @defaultValue false */
  allowUnresolved?: boolean;
  /** Fraction of the box width cut from each side to define the points of interest. @defaultValue 0.25 */
  interior?: number;
  /** Largest acceptable Gibbs mass on the box boundary at a point of interest. @defaultValue 1e-10 */
  boundaryTol?: number;
  /** Throw instead of warning (box boundary, resolution). @defaultValue false */
  strict?: boolean;
  /** Memory cap in bytes. @defaultValue 2³¹ */
  maxBytes?: number;
  /** Compute backend; 'webasm' / 'gpujs-cpu' run float32 gpu.js passes (no `hessian`, no `truncationTol`); 'gpu' / 'webgpu' need coleHopfAsync (src/gpu). @defaultValue 'cpu' */
  backend?: BackendName;
}

/** Defaults of {@link ColeHopfOptions}. */
export const COLE_HOPF_DEFAULTS = {
  hessian: false, radius: 10, truncationTol: 1e-14, summation: 'auto', allowUnresolved: false,
  interior: PDE_INTERIOR_FRACTION, boundaryTol: 1e-10, strict: false,
} as const;

/** What {@link coleHopf} returns. */
export interface ColeHopfResult {
  /** u(x, t) at every grid point. */
  u: GridFunction;
  /** mean[k] = ⟨y_k⟩ under ρ(y; x) ∝ exp(−βf(y) − β|x − y|²/(2t)); ∇u = (x − ⟨y⟩)/t. */
  mean: GridFunction[];
  /** Cov(y)[k][l] (with `hessian: true`). */
  covariance?: GridFunction[][];
  /** ∇²u[k][l] = δ_kl/t − (β/t²) Cov[k][l] (with `hessian: true`). */
  hessian?: GridFunction[][];
  /** Σ_k Gibbs mass on the two boundary faces of axis k, per point (the box cut-off diagnostic). */
  boundaryMass: GridFunction;
  /** Human-readable diagnostics (empty when all is well). */
  warnings: string[];
  /** Lines summed by the fast path / by log-sum-exp, points whose window was widened. */
  stats: { fastLines: number; lseLines: number; widenedPoints: number };
}

/**
 * Cole–Hopf relaxation u(x, t) = −β⁻¹ log Σ_y K(x − y) e^{−βf(y)} over the grid points y, with the
 * lattice-normalised Gaussian kernel of variance t/β per axis (Σ K = 1 on the infinite lattice, so
 * constants are preserved), the Gibbs mean ⟨y⟩ and optionally Cov(y) and ∇²u. This is the quadrature
 * of the continuous convolution; it is spectrally accurate once h ≤ √(t/β) and the box holds the
 * Gibbs mass. f = +∞ outside the box. Cost O(size · d · window), window ≤ 2·radius·√(t/β)/h + 1.
 * @param f - loss samples on a grid (finite)
 * @param t - relaxation time, finite and > 0
 * @param beta - inverse temperature, finite and > 0 (for β = ∞ use {@link hopfLax})
 * @param options - see {@link ColeHopfOptions}
 * @returns u, mean[k], the boundary-mass diagnostic, warnings and (optionally) covariance and Hessian
 * @throws RangeError for t or beta not finite and > 0, a non-finite sample, a grid spacing above
 *   √(t/β) (names the spacing needed), bad options, the memory cap, an unknown backend, or
 *   (with `strict`) Gibbs mass on the box boundary at a point of interest
 * @example const { u, mean } = coleHopf(Grid.uniform([[-4, 4]], [401]).sample((x) => x * x / 2), 0.5, 10);
 */
export function coleHopf(f: GridFunction, t: number, beta: number, options: ColeHopfOptions = {}): ColeHopfResult {
  const fn = 'coleHopf';
  if ((options.backend ?? 'cpu') !== 'cpu') return gpuColeHopfFor(f, t, beta, options); // float32 on gpu.js (src/gpu/dispatch-cole-hopf.ts)
  mustBePositive(fn, 't', t);
  mustBe(fn, 'beta', beta, typeof beta === 'number' && Number.isFinite(beta) && beta > 0, 'finite and > 0 (use hopfLax for beta = Infinity)');
  requireFiniteGridFunction(fn, f);
  const o = { ...COLE_HOPF_DEFAULTS, ...stripUndefined(options) };
  mustBe(fn, 'radius', o.radius, typeof o.radius === 'number' && o.radius >= 3 && Number.isFinite(o.radius), 'finite and ≥ 3 (standard deviations)');
  mustBe(fn, 'truncationTol', o.truncationTol, typeof o.truncationTol === 'number' && o.truncationTol > 0 && o.truncationTol < 1, 'in (0, 1)');
  mustBe(fn, 'summation', o.summation, o.summation === 'auto' || o.summation === 'log-sum-exp', "'auto' | 'log-sum-exp'");
  mustBe(fn, 'boundaryTol', o.boundaryTol, typeof o.boundaryTol === 'number' && o.boundaryTol > 0, '> 0');
  const { grid } = f;
  const { lo, hi } = interiorRange(fn, grid, o.interior);
  const d = grid.ndim, N = grid.size;
  const nFields = d + (o.hessian ? (d * (d + 1)) / 2 : 0);
  // Sweep: mass + fields + boundary, each twice (current and next), plus outputs (u, mean, cov, hess).
  checkMemory(fn, 8 * N * (2 * (nFields + 2) + 1 + d + (o.hessian ? d * d : 0)), resolveMaxBytes(fn, o.maxBytes));

  const warnings: string[] = [];
  mustBe(fn, 't/beta', t / beta, t / beta > 0, '> 0 (the kernel variance underflows)');
  const sigma = Math.sqrt(t / beta);
  for (let k = 0; k < d; k++) {
    if (grid.spacing[k] > sigma * (1 + 1e-12)) {
      const need = Math.ceil((grid.upper[k] - grid.lower[k]) / sigma) + 1;
      const msg = `${fn}: grid spacing on axis ${k} must be ≤ √(t/β) = ${sigma.toPrecision(6)} to resolve the Gaussian kernel; got h = ${grid.spacing[k].toPrecision(6)}. Use at least ${need} points on axis ${k} (or a larger t / smaller beta).`;
      if (!o.allowUnresolved) throw new RangeError(msg);
      warnings.push(msg);
    }
  }

  const logWeight = new Float64Array(N);
  for (let p = 0; p < N; p++) logWeight[p] = -beta * f.data[p];
  const fields: MomentField[] = [];
  for (let k = 0; k < d; k++) fields.push({ init: null, exponents: unit(d, k, 1) });
  const pairs: [number, number][] = [];
  if (o.hessian) {
    for (let k = 0; k < d; k++) for (let l = k; l < d; l++) {
      const e = new Array<number>(d).fill(0);
      e[k] += 1; e[l] += 1;
      fields.push({ init: null, exponents: e });
      pairs.push([k, l]);
    }
  }
  const sweep = gaussianMomentSweep(grid, logWeight, t / beta, fields, {
    radius: o.radius, truncationTol: o.truncationTol, summation: o.summation, trackBoundary: true,
  });

  const u = new Float64Array(N);
  for (let p = 0; p < N; p++) u[p] = -sweep.logMass[p] / beta;
  const mean = sweep.fields.slice(0, d).map((offset, k) => {
    const axis = grid.axis(k), stride = grid.strides[k], n = grid.shape[k];
    const out = new Float64Array(N);
    for (let p = 0; p < N; p++) out[p] = axis[Math.floor(p / stride) % n] + offset[p];
    return new GridFunction(grid, out);
  });
  const result: ColeHopfResult = {
    u: new GridFunction(grid, u), mean, boundaryMass: new GridFunction(grid, sweep.boundary!), warnings, stats: sweep.stats,
  };
  if (o.hessian) {
    const cov: GridFunction[][] = Array.from({ length: d }, () => new Array<GridFunction>(d));
    const hess: GridFunction[][] = Array.from({ length: d }, () => new Array<GridFunction>(d));
    pairs.forEach(([k, l], i) => {
      const second = sweep.fields[d + i], dk = sweep.fields[k], dl = sweep.fields[l];
      const c = new Float64Array(N), hs = new Float64Array(N);
      // Cov = ⟨(y−x)_k (y−x)_l⟩ − ⟨(y−x)_k⟩⟨(y−x)_l⟩: centred at x, so cancellation is relative to |⟨y⟩ − x|², not to |x|².
      for (let p = 0; p < N; p++) { c[p] = second[p] - dk[p] * dl[p]; hs[p] = (k === l ? 1 / t : 0) - (beta / (t * t)) * c[p]; }
      cov[k][l] = cov[l][k] = new GridFunction(grid, c);
      hess[k][l] = hess[l][k] = new GridFunction(grid, hs);
    });
    result.covariance = cov; result.hessian = hess;
  }

  let count = 0, worst = 0, worstP = -1;
  const B = sweep.boundary!;
  for (let p = 0; p < N; p++) {
    if (B[p] > o.boundaryTol && inRange(grid, p, lo, hi)) { count++; if (B[p] > worst) { worst = B[p]; worstP = p; } }
  }
  if (count > 0) {
    report(warnings, `${fn}: Gibbs mass on the box boundary exceeds boundaryTol = ${o.boundaryTol} at ${count} point(s) of interest (largest ${worst.toPrecision(3)} at x = ${describe(Array.from(grid.point(worstP)))}); the box cuts the integral off. Enlarge the box (the Gibbs measure sits near prox(x) ± several √(t/β) = ${sigma.toPrecision(3)}) or reduce t.`, o.strict);
  }
  return result;
}

function unit(d: number, k: number, e: number): number[] {
  const out = new Array<number>(d).fill(0);
  out[k] = e;
  return out;
}

/** Drops keys whose value is undefined so that spreading over defaults keeps the defaults. */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(o) as (keyof T)[]) if (o[key] !== undefined) out[key] = o[key];
  return out;
}
