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
  checkMemory, resolveMaxBytes, requireFiniteGridFunction, interiorRange, report,
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
 *   out of range, the memory cap is exceeded, an unknown backend (others run on src/gpu), or `strict`
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
  const { grid } = f;
  for (let k = 0; k < grid.ndim; k++) {
    // The envelope divides by w_k = h_k²/(2t); it must not underflow to 0.
    mustBe(fn, 't', t, (grid.spacing[k] * grid.spacing[k]) / (2 * t) > 0, `small enough that h²/(2t) > 0 on axis ${k} (h = ${grid.spacing[k]})`);
  }
  const { lo, hi } = interiorRange(fn, grid, options.interior ?? HOPF_LAX_DEFAULTS.interior);
  const N = grid.size, d = grid.ndim;
  // One value buffer, one index buffer (the sweeps run in place through a tile), d prox outputs.
  checkMemory(fn, N * (8 + 4 + 8 * d), resolveMaxBytes(fn, options.maxBytes));

  const u = new Float64Array(N), arg = new Int32Array(N);
  sweepAll(f, t, u, arg);
  const prox: Float64Array[] = [];
  for (let k = 0; k < d; k++) prox.push(new Float64Array(N));
  const boundaryHits = proxAndBoundaryHits(grid, arg, lo, hi, prox);
  if (refinement === 'parabolic') refineProx(f, t, arg, prox);
  const warnings: string[] = [];
  if (boundaryHits > 0) {
    report(warnings, `${fn}: the minimiser lies on the box boundary for ${boundaryHits} point(s) of interest (the middle ${describe(Array.from(lo).map((l, k) => `[${grid.axis(k)[l]}, ${grid.axis(k)[hi[k]]}]`))} region); the box cuts the minimisation off there. Enlarge the box or reduce t (t = ${t}).`, strict);
  }
  return {
    u: new GridFunction(grid, u),
    prox: prox.map((data) => new GridFunction(grid, data)),
    argmin: arg, boundaryHits, warnings,
  };
}

/** Columns per tile of a strided sweep: TILE contiguous values per row read and written at once. */
const TILE = 16;

/**
 * The d envelope sweeps, last axis first, writing u and the flat argmin in place. The last axis is
 * contiguous and runs on the lines directly. A strided axis runs through a tile: TILE neighbouring
 * lines are gathered row by row (TILE contiguous entries per row, so every cache line and page is
 * touched once per tile instead of once per line), transposed into contiguous tile lines, swept,
 * and scattered back the same way; the argmin of the tile line maps through the gathered indices.
 */
function sweepAll(f: GridFunction, t: number, u: Float64Array, arg: Int32Array): void {
  const { grid } = f, { shape, strides, spacing } = grid;
  const N = grid.size, d = grid.ndim;
  let maxN = 0;
  for (let k = 0; k < d; k++) maxN = Math.max(maxN, shape[k]);
  const scratch = envelopeScratch(maxN);
  const line = { offset: 0, stride: 1, n: 0 };
  // Last axis: contiguous lines from f into u; line-local minimiser → flat index.
  const nLast = shape[d - 1], hLast = spacing[d - 1];
  line.n = nLast;
  for (let base = 0; base < N; base += nLast) {
    line.offset = base;
    lowerEnvelope1d(f.data, hLast, t, u, arg, line, scratch);
    for (let p = base, end = base + nLast; p < end; p++) arg[p] += base;
  }
  if (d === 1) return;
  const tf = new Float64Array(TILE * maxN), tu = new Float64Array(TILE * maxN);
  const ta = new Int32Array(TILE * maxN), tq = new Int32Array(TILE * maxN);
  for (let k = d - 2; k >= 0; k--) {
    const n = shape[k], stride = strides[k], h = spacing[k];
    const outer = N / (n * stride);
    line.n = n;
    for (let o = 0; o < outer; o++) {
      const block = o * n * stride;
      for (let i0 = 0; i0 < stride; i0 += TILE) {
        const bw = Math.min(TILE, stride - i0);
        // Gather: tile line b holds column i0 + b, contiguous.
        for (let j = 0, row = block + i0; j < n; j++, row += stride) {
          for (let b = 0, c = j; b < bw; b++, c += n) { tf[c] = u[row + b]; ta[c] = arg[row + b]; }
        }
        for (let b = 0; b < bw; b++) {
          line.offset = b * n;
          lowerEnvelope1d(tf, h, t, tu, tq, line, scratch);
        }
        // Scatter: value, and the flat argmin carried from the minimising entry of the tile line.
        for (let j = 0, row = block + i0; j < n; j++, row += stride) {
          for (let b = 0, c = j, lineStart = 0; b < bw; b++, c += n, lineStart += n) {
            u[row + b] = tu[c]; arg[row + b] = ta[lineStart + tq[c]];
          }
        }
      }
    }
  }
}

/**
 * One pass over the argmin: prox[k][p] = k-th coordinate of the grid point arg[p], and the number
 * of points of interest (index box [lo, hi]) whose minimiser lies on a face of the grid box.
 */
function proxAndBoundaryHits(grid: Grid, arg: Int32Array, lo: Int32Array, hi: Int32Array, prox: Float64Array[]): number {
  if (grid.ndim === 2) return proxAndBoundaryHits2d(grid, arg, lo, hi, prox[0], prox[1]);
  const { shape, ndim: d } = grid;
  const axes: Float64Array[] = [];
  for (let k = 0; k < d; k++) axes.push(grid.axis(k));
  const last = d - 1, nLast = shape[last], axisLast = axes[last], proxLast = prox[last];
  // index: the multi-index of the row start p (odometer over the axes before the last).
  const index = new Int32Array(d);
  let hits = 0;
  for (let p = 0; p < arg.length; p += nLast) {
    let rowOfInterest = true;
    for (let k = 0; k < last; k++) if (index[k] < lo[k] || index[k] > hi[k]) { rowOfInterest = false; break; }
    for (let i = 0; i < nLast; i++) {
      // Integer division and modulo (flat indices are < 2^31), last axis first.
      let q = arg[p + i], rest = (q / nLast) | 0;
      const iq = q - rest * nLast;
      proxLast[p + i] = axisLast[iq];
      let face = iq === 0 || iq === nLast - 1;
      for (let k = last - 1; k >= 0; k--) {
        const n = shape[k];
        q = rest; rest = (q / n) | 0;
        const ik = q - rest * n;
        prox[k][p + i] = axes[k][ik];
        if (ik === 0 || ik === n - 1) face = true;
      }
      if (face && rowOfInterest && i >= lo[last] && i <= hi[last]) hits++;
    }
    for (let k = last - 1; k >= 0; k--) { if (++index[k] < shape[k]) break; index[k] = 0; }
  }
  return hits;
}

/** {@link proxAndBoundaryHits} for d = 2 (the common case): one division per point, no inner axis loop. */
function proxAndBoundaryHits2d(grid: Grid, arg: Int32Array, lo: Int32Array, hi: Int32Array, prox0: Float64Array, prox1: Float64Array): number {
  const n0 = grid.shape[0], n1 = grid.shape[1];
  const axis0 = grid.axis(0), axis1 = grid.axis(1);
  const lo0 = lo[0], hi0 = hi[0], lo1 = lo[1], hi1 = hi[1];
  let hits = 0;
  for (let i = 0, p = 0; i < n0; i++) {
    const rowOfInterest = i >= lo0 && i <= hi0;
    for (let j = 0; j < n1; j++, p++) {
      const q = arg[p], r = (q / n1) | 0, c = q - r * n1; // row and column of the minimiser
      prox0[p] = axis0[r]; prox1[p] = axis1[c];
      if ((r === 0 || r === n0 - 1 || c === 0 || c === n1 - 1) && rowOfInterest && j >= lo1 && j <= hi1) hits++;
    }
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
  const axes: Float64Array[] = [];
  for (let k = 0; k < d; k++) axes.push(grid.axis(k));
  // index: multi-index of p (odometer, no divisions); x = its coordinates.
  const index = new Int32Array(d);
  for (let k = 0; k < d; k++) x[k] = axes[k][0];
  for (let p = 0; p < arg.length; p++) {
    if (p > 0) {
      for (let k = d - 1; k >= 0; k--) {
        if (++index[k] < shape[k]) { x[k] = axes[k][index[k]]; break; }
        index[k] = 0; x[k] = axes[k][0];
      }
    }
    const q = arg[p];
    // prox[k][p] is still the grid coordinate of q here: q is on a face iff it equals an end of an axis.
    let interior = true;
    for (let k = 0; k < d; k++) {
      const yk = prox[k][p];
      if (yk === axes[k][0] || yk === axes[k][shape[k] - 1]) { interior = false; break; }
    }
    if (!interior) continue;
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
