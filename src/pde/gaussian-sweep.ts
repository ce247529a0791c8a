/**
 * The separable engine behind Cole–Hopf and heat smoothing: for log-weights ℓ(y) on the grid and a
 * Gaussian lattice kernel of variance s per axis,
 *
 *   mass(x_p)  = Σ_q K(p − q) e^{ℓ(y_q)},        K(j) = Π_k κ_k(j_k),
 *   κ_k(j)     = e^{−j² h_k²/(2s)} / Σ_{i∈ℤ} e^{−i² h_k²/(2s)}   (lattice-normalised: Σ_j κ(j) = 1),
 *   ratio_F(p) = Σ_q K(p − q) e^{ℓ(y_q)} F₀(y_q) Π_k (y_qk − x_pk)^{e_k} / mass(x_p),
 *
 * all computed one axis at a time (last axis first), in the log domain for the mass (so e^{ℓ} never
 * under- or overflows) and as ratios (conditional moments) for the fields, which stay O(1).
 *
 * Per line: when the spread of ℓ along the line is ≤ {@link FAST_RANGE}, each cell is exponentiated
 * once (shifted by the line max) and every window is a weighted sum (the fast path); otherwise each
 * window is shifted by its own max and exponentiated term by term (log-sum-exp).
 *
 * Truncation: the window is |q − q*| ≤ J = ⌈R·σ/h⌉ around the line's mode
 * q* = argmax_q ℓ_q − (q − p)²h²/(2s) (a lower-envelope pass per line, O(n)), where the Gibbs mass
 * concentrates even when it sits many σ from x (t|∇f| ≫ σ). On each side, the neglected mass is
 * ≤ κ(distance from p to the nearest excluded cell) × (line mass beyond the window), from log prefix
 * sums; while the two bounds exceed `truncationTol` times the window sum, the window grows by one
 * cell on the side with the larger bound. So the relative error of every mass is ≤ truncationTol,
 * whatever f does (several modes included).
 */
import type { Grid } from '../grids/grid.js';
import { lowerEnvelope1d, envelopeScratch } from './lower-envelope.js';

/**
 * Largest spread max ℓ − min ℓ along a line for the fast path: every e^{ℓ − max} ≥ e^{−600} ≈ 1e-261
 * stays a normal double, so underflow of window terms (≤ 5e-324 each) is ≥ 1e-50 below any sum.
 */
export const FAST_RANGE = 600;

/** A moment field: F₀ (null = 1) and the exponent e_k ∈ {0, 1, 2} of (y_k − x_k) per axis. */
export interface MomentField { init: Float64Array | null; exponents: readonly number[] }

/** Summation strategy: 'auto' uses the fast path on lines whose dynamic range allows it. */
export type Summation = 'auto' | 'log-sum-exp';

/** Settings of {@link gaussianMomentSweep}. */
export interface SweepSettings {
  /** Window radius in standard deviations (R). */
  radius: number;
  /** Relative bound on the neglected mass per point. */
  truncationTol: number;
  summation: Summation;
  /** Also return Σ_k (Gibbs mass on the two boundary faces of axis k) / mass. */
  trackBoundary: boolean;
}

/** Output of {@link gaussianMomentSweep}. */
export interface SweepResult {
  logMass: Float64Array;
  fields: Float64Array[];
  boundary: Float64Array | null;
  /** Lines done by the fast path / by log-sum-exp, and points whose window had to be widened. */
  stats: { fastLines: number; lseLines: number; widenedPoints: number };
}

/** log Σ_{i∈ℤ} e^{−c i²} (c > 0), summed until the terms are below 1e-20 of the total. */
export function logLatticeNorm(c: number): number {
  let sum = 1;
  for (let i = 1; ; i++) {
    const term = 2 * Math.exp(-c * i * i);
    sum += term;
    if (term < 1e-20 * sum) break;
  }
  return Math.log(sum);
}

/**
 * Runs the separable sweep (see the module comment). Inputs are trusted; callers validate.
 * @param grid - the grid
 * @param logWeight - ℓ at every grid point (finite)
 * @param variance - kernel variance s per axis (> 0)
 * @param fields - moment fields to carry
 */
export function gaussianMomentSweep(grid: Grid, logWeight: Float64Array, variance: number, fields: readonly MomentField[], settings: SweepSettings): SweepResult {
  const { ndim: d, size: N, shape, strides, spacing } = grid;
  const sigma = Math.sqrt(variance);
  const logTol = Math.log(settings.truncationTol);
  let logMass = logWeight;
  let cur: (Float64Array | null)[] = fields.map((fd) => fd.init);
  let boundary: Float64Array | null = null;
  const stats = { fastLines: 0, lseLines: 0, widenedPoints: 0 };
  let maxN = 0;
  for (const n of shape) maxN = Math.max(maxN, n);
  const lineL = new Float64Array(maxN), lineE = new Float64Array(maxN), wq = new Float64Array(maxN);
  const lineSrc = fields.map(() => new Float64Array(maxN));
  const lineB = new Float64Array(maxN);
  const logPre = new Float64Array(maxN + 1), logSuf = new Float64Array(maxN + 1);
  const negL = new Float64Array(maxN), modeVal = new Float64Array(maxN), lineMode = new Int32Array(maxN);
  const envScratch = envelopeScratch(maxN);
  const spec = { offset: 0, stride: 1, n: 0 };
  const lineSpec = (n: number) => { spec.n = n; return spec; };

  for (let k = d - 1; k >= 0; k--) {
    const n = shape[k], stride = strides[k], h = spacing[k];
    const c = (h * h) / (2 * variance), logZ = logLatticeNorm(c);
    const J = Math.min(n - 1, Math.ceil((settings.radius * sigma) / h));
    // Kernel tables for every offset on the line (the window is centred on the mode, not on p).
    const D = n - 1;
    const K0 = new Float64Array(2 * D + 1), logK0 = new Float64Array(2 * D + 1);
    for (let j = -D; j <= D; j++) { logK0[j + D] = -c * j * j - logZ; K0[j + D] = Math.exp(logK0[j + D]); }
    const nextMass = new Float64Array(N);
    const next: (Float64Array | null)[] = fields.map((fd, i) => (cur[i] === null && fd.exponents[k] === 0 ? null : new Float64Array(N)));
    const nextB = settings.trackBoundary ? new Float64Array(N) : null;
    const outer = N / (n * stride);
    for (let o = 0; o < outer; o++) {
      for (let i0 = 0; i0 < stride; i0++) {
        const base = o * n * stride + i0;
        let M = -Infinity, m = Infinity;
        for (let j = 0, p = base; j < n; j++, p += stride) {
          const v = logMass[p]; lineL[j] = v; if (v > M) M = v; if (v < m) m = v;
        }
        for (let i = 0; i < fields.length; i++) {
          const src = cur[i];
          if (src !== null) { const line = lineSrc[i]; for (let j = 0, p = base; j < n; j++, p += stride) line[j] = src[p]; }
        }
        if (boundary !== null) for (let j = 0, p = base; j < n; j++, p += stride) lineB[j] = boundary[p];
        // Log prefix / suffix masses of the line: Σ_{q<j} e^{ℓ_q} and Σ_{q≥j} e^{ℓ_q}, for the truncation bounds.
        logPre[0] = -Infinity; logSuf[n] = -Infinity;
        for (let j = 0; j < n; j++) logPre[j + 1] = logAddExp(logPre[j], lineL[j]);
        for (let j = n - 1; j >= 0; j--) logSuf[j] = logAddExp(logSuf[j + 1], lineL[j]);
        for (let j = 0; j < n; j++) negL[j] = -lineL[j];
        lowerEnvelope1d(negL, h, variance, modeVal, lineMode, lineSpec(n), envScratch);
        const fast = settings.summation === 'auto' && M - m <= FAST_RANGE;
        if (fast) { stats.fastLines++; for (let j = 0; j < n; j++) lineE[j] = Math.exp(lineL[j] - M); } else stats.lseLines++;
        for (let p = 0; p < n; p++) {
          // Centre the window on the mode of ℓ_q − c(q − p)² (the line's Hopf–Lax argmin), where the
          // Gibbs mass concentrates: it may sit many σ away from p when t|∇f| ≫ σ.
          const centre = lineMode[p];
          let lo = centre - J < 0 ? 0 : centre - J, hi = centre + J > n - 1 ? n - 1 : centre + J;
          let scale: number, s0 = 0, logMax: number;
          if (fast) {
            scale = M;
            let mxw = 0;
            for (let q = lo; q <= hi; q++) { const w = lineE[q] * K0[q - p + D]; wq[q - lo] = w; s0 += w; if (w > mxw) mxw = w; }
            logMax = M + Math.log(mxw);
          } else {
            let mx = -Infinity;
            for (let q = lo; q <= hi; q++) { const l = lineL[q] + logK0[q - p + D]; wq[q - lo] = l; if (l > mx) mx = l; }
            scale = mx; logMax = mx;
            for (let q = lo; q <= hi; q++) { const w = Math.exp(wq[q - lo] - mx); wq[q - lo] = w; s0 += w; }
          }
          // Neglected mass on each side ≤ κ(nearest excluded offset) · (line mass beyond the window); the
          // window sum S is known. Extend the side with the larger bound, one cell at a time (updating S),
          // until both bounds together are ≤ truncationTol · S.
          let widened = false, logS = scale + Math.log(s0);
          for (;;) {
            // Distance from p to the nearest excluded cell on each side (0 when p itself is excluded).
            const dl = p - lo + 1 > 0 ? p - lo + 1 : 0, dr = hi + 1 - p > 0 ? hi + 1 - p : 0;
            const lb = lo > 0 ? logPre[lo] - c * dl * dl - logZ : -Infinity;
            const rb = hi < n - 1 ? logSuf[hi + 1] - c * dr * dr - logZ : -Infinity;
            if ((lb > rb ? lb : rb) + Math.LN2 <= logTol + logS) break;
            widened = true;
            let q: number, dq: number;
            if (lb >= rb) { q = --lo; dq = q - p; } else { q = ++hi; dq = q - p; }
            const l = lineL[q] - c * dq * dq - logZ;
            if (l > logMax) logMax = l;
            logS = logAddExp(logS, l);
          }
          if (widened) {
            stats.widenedPoints++;
            scale = logMax; s0 = 0;
            for (let q = lo; q <= hi; q++) { const dq = q - p; const w = Math.exp(lineL[q] - c * dq * dq - logZ - logMax); wq[q - lo] = w; s0 += w; }
          }
          const out = base + p * stride;
          nextMass[out] = scale + Math.log(s0);
          const inv = 1 / s0;
          for (let i = 0; i < fields.length; i++) {
            const dst = next[i];
            if (dst === null) continue;
            const e = fields[i].exponents[k], src = cur[i] === null ? null : lineSrc[i];
            let s = 0;
            if (e === 0) {
              for (let q = lo; q <= hi; q++) s += wq[q - lo] * src![q];
            } else if (e === 1) {
              if (src === null) for (let q = lo; q <= hi; q++) s += wq[q - lo] * ((q - p) * h);
              else for (let q = lo; q <= hi; q++) s += wq[q - lo] * ((q - p) * h) * src[q];
            } else {
              if (src === null) for (let q = lo; q <= hi; q++) { const dy = (q - p) * h; s += wq[q - lo] * dy * dy; }
              else for (let q = lo; q <= hi; q++) { const dy = (q - p) * h; s += wq[q - lo] * dy * dy * src[q]; }
            }
            dst[out] = s * inv;
          }
          if (nextB !== null) {
            let s = 0;
            if (boundary !== null) for (let q = lo; q <= hi; q++) s += wq[q - lo] * lineB[q];
            if (lo === 0) s += wq[0];
            if (hi === n - 1) s += wq[hi - lo];
            nextB[out] = s * inv;
          }
        }
      }
    }
    logMass = nextMass;
    cur = next;
    boundary = nextB;
  }
  return { logMass, fields: cur.map((a) => a ?? new Float64Array(N).fill(1)), boundary, stats };
}

/** log(e^a + e^b), with −∞ handled. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}
