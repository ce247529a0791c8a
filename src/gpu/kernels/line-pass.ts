/**
 * gpu.js kernels for the separable exact solvers: one pass along one axis. The grid is viewed as
 * [outer][n][inner] (outer = product of the axes before k, inner = product of those after), so one
 * 3-D kernel serves every axis of every dimension. Thread (z, y, x) = (o, i, r) computes cell i of
 * the line; the window q ∈ [i − W, i + W] ∩ [0, n) is scanned with a loop bounded by the
 * compile-time constant `span` = 2W + 1 (gpu.js caps argument-bounded loops at 1000 silently).
 *
 * Cole–Hopf (log domain):  L'(i) = logNorm + log Σ_q exp(L(q) − c2·(q − i)²),  c2 = β h² / (2t),
 *   evaluated as m + log Σ exp(a_q − m) with m = max_q a_q over the window: float32 exp overflows
 *   past ~88, so the shift is what keeps β·f of size 10⁴ representable.
 * Hopf–Lax (min-plus):      L'(i) = min_q L(q) + c2·(q − i)²,  c2 = h² / (2t),  argmin = first q attaining it.
 */
import type { KernelThis } from './kernel-this.js';

export function logConvLine(this: KernelThis, logW: number[][][]): number {
  const o = this.thread.z;
  const i = this.thread.y;
  const r = this.thread.x;
  const n = this.constants.n;
  const half = this.constants.half;
  let m = -3.0e38;
  for (let j = 0; j < this.constants.span; j++) {
    const q = i - half + j;
    if (q >= 0 && q < n) {
      const d = q - i;
      const a = logW[o][q][r] - this.constants.c2 * d * d;
      m = Math.max(m, a);
    }
  }
  let s = 0;
  for (let j = 0; j < this.constants.span; j++) {
    const q = i - half + j;
    if (q >= 0 && q < n) {
      const d = q - i;
      s += Math.exp(logW[o][q][r] - this.constants.c2 * d * d - m);
    }
  }
  return m + Math.log(s) + this.constants.logNorm;
}

/** Σ_q w_q (q − i)·h with w_q = exp(L(q) − c2(q − i)² − (L'(i) − logNorm)): the Gibbs mean offset along the axis. */
export function gibbsOffsetLine(this: KernelThis, logW: number[][][], logNext: number[][][]): number {
  const o = this.thread.z;
  const i = this.thread.y;
  const r = this.thread.x;
  const n = this.constants.n;
  const half = this.constants.half;
  const shift = logNext[o][i][r] - this.constants.logNorm;
  let acc = 0;
  for (let j = 0; j < this.constants.span; j++) {
    const q = i - half + j;
    if (q >= 0 && q < n) {
      const d = q - i;
      acc += Math.exp(logW[o][q][r] - this.constants.c2 * d * d - shift) * d;
    }
  }
  return acc * this.constants.h;
}

/** Σ_q w_q g(q): carries an earlier axis's Gibbs mean through this axis's convolution. */
export function gibbsAverageLine(this: KernelThis, logW: number[][][], logNext: number[][][], g: number[][][]): number {
  const o = this.thread.z;
  const i = this.thread.y;
  const r = this.thread.x;
  const n = this.constants.n;
  const half = this.constants.half;
  const shift = logNext[o][i][r] - this.constants.logNorm;
  let acc = 0;
  for (let j = 0; j < this.constants.span; j++) {
    const q = i - half + j;
    if (q >= 0 && q < n) {
      const d = q - i;
      acc += Math.exp(logW[o][q][r] - this.constants.c2 * d * d - shift) * g[o][q][r];
    }
  }
  return acc;
}

export function minPlusLine(this: KernelThis, f: number[][][]): number {
  const o = this.thread.z;
  const i = this.thread.y;
  const r = this.thread.x;
  const n = this.constants.n;
  const half = this.constants.half;
  let best = 3.0e38;
  for (let j = 0; j < this.constants.span; j++) {
    const q = i - half + j;
    if (q >= 0 && q < n) {
      const d = q - i;
      best = Math.min(best, f[o][q][r] + this.constants.c2 * d * d);
    }
  }
  return best;
}

/** The first q attaining minPlusLine's minimum, as a float (exact: n < 2²⁴). */
export function argMinPlusLine(this: KernelThis, f: number[][][]): number {
  const o = this.thread.z;
  const i = this.thread.y;
  const r = this.thread.x;
  const n = this.constants.n;
  const half = this.constants.half;
  let best = 3.0e38;
  let arg = i;
  for (let j = 0; j < this.constants.span; j++) {
    const q = i - half + j;
    if (q >= 0 && q < n) {
      const d = q - i;
      const v = f[o][q][r] + this.constants.c2 * d * d;
      if (v < best) {
        best = v;
        arg = q;
      }
    }
  }
  return arg;
}

/** g(o, J(o, i, r), r): an earlier axis's argmin index, read at this axis's argmin. */
export function gatherLine(this: KernelThis, g: number[][][], arg: number[][][]): number {
  const o = this.thread.z;
  const i = this.thread.y;
  const r = this.thread.x;
  const q = Math.floor(arg[o][i][r] + 0.5);
  return g[o][q][r];
}
