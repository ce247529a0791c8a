/**
 * Exact Hopf–Lax relaxation on a grid: u(x, t) = min_y { f(y) + |x − y|²/(2t) } over the grid
 * points y, with the minimiser prox(x) = y*. Separable: |x − y|² = Σ_k (x_k − y_k)², so the N-D
 * minimum is a sweep of 1-D lower envelopes ({@link lowerEnvelope1d}), one axis at a time, carrying
 * the flat index of the minimiser through the sweeps. O(size) work in every dimension.
 * @see docs/solvers.md and paper-notes §3.5
 */
import { GridFunction } from '../grids/grid-function.js';
import type { Grid } from '../grids/grid.js';
import type { BackendName } from '../gpu/backend-name.js';
import { gpuHopfLaxFor } from '../gpu/dispatch.js';
import { mustBe, mustBePositive, describe } from '../util/validate.js';
import { lowerEnvelope1d, envelopeScratch } from './lower-envelope.js';
import {
  checkMemory, resolveMaxBytes, requireCpuBackend, requireFiniteGridFunction, interiorRange, report,
  PDE_INTERIOR_FRACTION,
} from './domain-check.js';

/** Sub-grid refinement of the prox point. */
export type ProxRefinement = 'none' | 'parabolic';

/** Options of {@link hopfLax}. */
export interface HopfLaxOptions {
  /**
   * 'none' (default): prox is the exact discrete minimiser (a grid point; error ≤ h/2 per axis for
   * smooth strongly convex prox objectives). 'parabolic': one Newton step on the local quadratic
   * model of y ↦ f(y) + |x − y|²/(2t) fitted by central differences at the discrete minimiser
   * (exact for quadratic f; O(h²) for smooth f; see docs/solvers.md for measured errors).
   * @defaultValue 'none'
   */
  proxRefinement?: ProxRefinement;
  /** Fraction of the box width cut from each side to define the points of interest. @defaultValue 0.25 */
  interior?: number;
  /** Throw instead of warning when a minimiser of a point of interest lies on the box boundary. @defaultValue false */
  strict?: boolean;
  /** Memory cap in bytes. @defaultValue 2³¹ */
  maxBytes?: number;
  /** Compute backend; 'webasm' / 'gpujs-cpu' run float32 gpu.js kernels; 'gpu' / 'webgpu' need hopfLaxAsync (src/gpu). @defaultValue 'cpu' */
  backend?: BackendName;
}

/** Defaults of {@link HopfLaxOptions}. */
export const HOPF_LAX_DEFAULTS = { proxRefinement: 'none', interior: PDE_INTERIOR_FRACTION, strict: false } as const;

/** What {@link hopfLax} returns. */
export interface HopfLaxResult {
  /** u(x, t) at every grid point. */
  u: GridFunction;
  /** prox[k] = k-th coordinate of the minimiser y*(x); ∇u = (x − prox)/t. */
  prox: GridFunction[];
  /** Flat index of the discrete minimiser per grid point. */
  argmin: Int32Array;
  /** Points of interest whose minimiser lies on the box boundary (the box may be cutting the problem off). */
  boundaryHits: number;
  /** Human-readable diagnostics (empty when all is well). */
  warnings: string[];
}

/**
 * Hopf–Lax relaxation u(x, t) = min_y { f(y) + |x − y|² / (2t) }, exact over the grid points, with
 * the minimiser prox(x). Separable: one lower-envelope sweep per axis (last axis first), O(size)
 * work. Gradient: ∇u = (x − prox)/t. The minimum runs over the grid box only (f = +∞ outside);
 * when the minimiser of a point of interest sits on the box boundary the answer may differ from
 * the problem on ℝⁿ, and a warning says so (an error with `strict`).
 *
 * Ties: the minimiser with the smallest flat (row-major) index among the minimisers of the
 * floating-point objective ((f_q + w_{d−1}d²_{d−1}) + …) + w_0 d²_0, w_k = h_k²/(2t), is returned,
 * identically to the brute-force twin.
 * @param f - loss samples on a grid (finite)
 * @param t - relaxation time, finite and > 0 (the paper's γ)
 * @param options - see {@link HopfLaxOptions}
 * @returns `u` on the same grid and `prox[k]`, the k-th coordinate of the minimiser y*
 * @throws RangeError if `t` is not finite and positive, f has a non-finite sample, an option is
 *   out of range, the memory cap is exceeded, a backend other than 'cpu' is asked for, or `strict`
 *   and a minimiser reaches the box boundary
 * @example const { u } = hopfLax(Grid.uniform([[-2, 2]], [401]).sample((x) => (x * x) / 2), 0.5); // u ≈ x²/3
 */
export function hopfLax(f: GridFunction, t: number, options: HopfLaxOptions = {}): HopfLaxResult {
  const fn = 'hopfLax';
  mustBePositive(fn, 't', t);
  requireFiniteGridFunction(fn, f);
  const refinement = options.proxRefinement ?? HOPF_LAX_DEFAULTS.proxRefinement;
  mustBe(fn, 'proxRefinement', refinement, refinement === 'none' || refinement === 'parabolic', "'none' | 'parabolic'");
  const strict = options.strict ?? HOPF_LAX_DEFAULTS.strict;
  if ((options.backend ?? 'cpu') !== 'cpu') return gpuHopfLaxFor(f, t, options); // float32 on gpu.js (src/gpu/dispatch.ts)
  requireCpuBackend(fn, options.backend);
  const { grid } = f;
  for (let k = 0; k < grid.ndim; k++) {
    // The envelope divides by w_k = h_k²/(2t); it must not underflow to 0.
    mustBe(fn, 't', t, (grid.spacing[k] * grid.spacing[k]) / (2 * t) > 0, `small enough that h²/(2t) > 0 on axis ${k} (h = ${grid.spacing[k]})`);
  }
  const { lo, hi } = interiorRange(fn, grid, options.interior ?? HOPF_LAX_DEFAULTS.interior);
  const N = grid.size, d = grid.ndim;
  // Two value buffers, two index buffers, d prox outputs.
  checkMemory(fn, N * (8 * 2 + 4 * 2 + 8 * d), resolveMaxBytes(fn, options.maxBytes));

  let u = new Float64Array(N), arg = new Int32Array(N);
  let nextU = new Float64Array(N), nextArg = new Int32Array(N);
  let maxN = 0;
  for (const n of grid.shape) maxN = Math.max(maxN, n);
  const scratch = envelopeScratch(maxN);
  const line = { offset: 0, stride: 1, n: 0 };
  for (let k = d - 1; k >= 0; k--) {
    const n = grid.shape[k], stride = grid.strides[k], h = grid.spacing[k];
    const src = k === d - 1 ? f.data : u;
    const outer = N / (n * stride);
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < stride; i++) {
        const base = o * n * stride + i;
        line.offset = base; line.stride = stride; line.n = n;
        lowerEnvelope1d(src, h, t, nextU, nextArg, line, scratch);
        // Line-local minimiser → flat index of the original grid point it came from.
        if (k === d - 1) {
          for (let j = 0, p = base; j < n; j++, p += stride) nextArg[p] = base + nextArg[p] * stride;
        } else {
          for (let j = 0, p = base; j < n; j++, p += stride) nextArg[p] = arg[base + nextArg[p] * stride];
        }
      }
    }
    const tu = u; u = nextU; nextU = tu;
    const ta = arg; arg = nextArg; nextArg = ta;
  }

  const prox = proxFromArgmin(grid, arg);
  if (refinement === 'parabolic') refineProx(f, t, arg, prox);
  const warnings: string[] = [];
  const boundaryHits = countBoundaryHits(grid, arg, lo, hi);
  if (boundaryHits > 0) {
    report(warnings, `${fn}: the minimiser lies on the box boundary for ${boundaryHits} point(s) of interest (the middle ${describe(Array.from(lo).map((l, k) => `[${grid.axis(k)[l]}, ${grid.axis(k)[hi[k]]}]`))} region); the box cuts the minimisation off there. Enlarge the box or reduce t (t = ${t}).`, strict);
  }
  return {
    u: new GridFunction(grid, u),
    prox: prox.map((data) => new GridFunction(grid, data)),
    argmin: arg, boundaryHits, warnings,
  };
}

function proxFromArgmin(grid: Grid, arg: Int32Array): Float64Array[] {
  const prox: Float64Array[] = [];
  for (let k = 0; k < grid.ndim; k++) {
    const axis = grid.axis(k), stride = grid.strides[k], n = grid.shape[k];
    const out = new Float64Array(grid.size);
    // Integer division and modulo (flat indices are < 2^31): the k-th index of the minimiser.
    for (let p = 0; p < out.length; p++) out[p] = axis[((arg[p] / stride) | 0) % n];
    prox.push(out);
  }
  return prox;
}

/** Points of interest (index box [lo, hi]) whose minimiser lies on a face of the grid box. */
function countBoundaryHits(grid: Grid, arg: Int32Array, lo: Int32Array, hi: Int32Array): number {
  const { shape, strides, size, ndim } = grid;
  // Mark every grid point on a face: the first and last point of every axis line (no divisions).
  const onFace = new Uint8Array(size);
  for (let k = 0; k < ndim; k++) {
    const n = shape[k], stride = strides[k], outer = size / (n * stride);
    for (let o = 0; o < outer; o++) {
      const base = o * n * stride;
      for (let i = 0; i < stride; i++) { onFace[base + i] = 1; onFace[base + i + (n - 1) * stride] = 1; }
    }
  }
  // Odometer over the index box of the points of interest.
  const index = Int32Array.from(lo);
  let hits = 0;
  for (let k = 0; k < ndim; k++) if (lo[k] > hi[k]) return 0;
  for (;;) {
    let p = 0;
    for (let k = 0; k < ndim; k++) p += index[k] * strides[k];
    const last = ndim - 1, rowStart = p;
    for (let i = lo[last]; i <= hi[last]; i++) hits += onFace[arg[rowStart + (i - lo[last]) * strides[last]]];
    let k = last - 1;
    while (k >= 0) { if (++index[k] <= hi[k]) break; index[k] = lo[k]; k--; }
    if (k < 0) break;
  }
  return hits;
}

/**
 * Newton step on the quadratic model of φ(y) = f(y) + |x − y|²/(2t) at the discrete minimiser q:
 * gradient and Hessian of f by central differences (mixed ones from the four diagonal neighbours),
 * those of |x − y|²/(2t) exactly. Skipped where q touches the boundary (no neighbours) or the
 * model is not positive definite; the step is clipped to one cell per axis.
 */
function refineProx(f: GridFunction, t: number, arg: Int32Array, prox: Float64Array[]): void {
  const { grid, data } = f;
  const d = grid.ndim, { shape, strides, spacing } = grid;
  const g = new Float64Array(d), H = new Float64Array(d * d), x = new Float64Array(d);
  for (let p = 0; p < arg.length; p++) {
    const q = arg[p];
    let interior = true;
    for (let k = 0; k < d; k++) {
      const i = Math.floor(q / strides[k]) % shape[k];
      if (i === 0 || i === shape[k] - 1) { interior = false; break; }
    }
    if (!interior) continue;
    grid.point(p, x);
    const fq = data[q];
    for (let k = 0; k < d; k++) {
      const sk = strides[k], hk = spacing[k];
      const fp = data[q + sk], fm = data[q - sk];
      g[k] = (fp - fm) / (2 * hk) + (prox[k][p] - x[k]) / t;
      H[k * d + k] = (fp - 2 * fq + fm) / (hk * hk) + 1 / t;
      for (let l = 0; l < k; l++) {
        const sl = strides[l];
        const mixed = (data[q + sk + sl] - data[q + sk - sl] - data[q - sk + sl] + data[q - sk - sl]) / (4 * hk * spacing[l]);
        H[k * d + l] = mixed; H[l * d + k] = mixed;
      }
    }
    if (!solveSpdInPlace(H, g, d)) continue;
    for (let k = 0; k < d; k++) {
      const hk = spacing[k];
      const step = Math.max(-hk, Math.min(hk, -g[k]));
      prox[k][p] += step;
    }
  }
}

/** Solves H s = g for symmetric positive definite H (Cholesky, in place: g ← s). False if not SPD. */
function solveSpdInPlace(H: Float64Array, g: Float64Array, d: number): boolean {
  for (let j = 0; j < d; j++) {
    let s = H[j * d + j];
    for (let m = 0; m < j; m++) s -= H[j * d + m] * H[j * d + m];
    if (!(s > 0)) return false;
    const ljj = Math.sqrt(s);
    H[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let r = H[i * d + j];
      for (let m = 0; m < j; m++) r -= H[i * d + m] * H[j * d + m];
      H[i * d + j] = r / ljj;
    }
  }
  for (let i = 0; i < d; i++) {
    let s = g[i];
    for (let m = 0; m < i; m++) s -= H[i * d + m] * g[m];
    g[i] = s / H[i * d + i];
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = g[i];
    for (let m = i + 1; m < d; m++) s -= H[m * d + i] * g[m];
    g[i] = s / H[i * d + i];
  }
  return true;
}
