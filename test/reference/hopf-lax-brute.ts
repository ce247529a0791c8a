/**
 * Brute-force twins of the Hopf–Lax solver, obviously correct and slow.
 * - {@link hopfLaxBrute}: the definition, O(size²): for every grid point p, scan every grid point q
 *   in flat (row-major) order and keep the first strict minimum of the objective evaluated as
 *   ((f_q + w_{d−1}·d_{d−1}²) + w_{d−2}·d_{d−2}²) + … + w_0·d_0², w_k = (h_k·h_k)/(2t), d_k = p_k − q_k
 *   (the summation order of the separable solver, which sweeps the last axis first).
 * - {@link hopfLaxBruteSeparable}: the same minimum axis by axis with an O(n²) scan per line,
 *   O(size·n) in all: the baseline for the benchmark at sizes where the definition is out of reach.
 */
import type { GridFunction } from '../../src/grids/grid-function.js';

export function hopfLaxBrute(f: GridFunction, t: number): { u: Float64Array; argmin: Int32Array } {
  const { grid, data } = f;
  const { size, ndim, shape, strides, spacing } = grid;
  const w = spacing.map((h) => (h * h) / (2 * t));
  const idx = (p: number, k: number) => Math.floor(p / strides[k]) % shape[k];
  const u = new Float64Array(size), argmin = new Int32Array(size);
  for (let p = 0; p < size; p++) {
    let best = -1, bestVal = Infinity;
    for (let q = 0; q < size; q++) {
      let val = data[q];
      for (let k = ndim - 1; k >= 0; k--) { const dk = idx(p, k) - idx(q, k); val = val + w[k] * (dk * dk); }
      if (val < bestVal) { bestVal = val; best = q; }
    }
    u[p] = bestVal; argmin[p] = best;
  }
  return { u, argmin };
}

export function hopfLaxBruteSeparable(f: GridFunction, t: number, maxLines = Infinity): { u: Float64Array; argmin: Int32Array; lines: number } {
  const { grid } = f;
  const { size, ndim, shape, strides, spacing } = grid;
  let u = f.data.slice();
  let argmin = new Int32Array(size).map((_, p) => p);
  let lines = 0;
  for (let k = ndim - 1; k >= 0; k--) {
    const n = shape[k], stride = strides[k], w = (spacing[k] * spacing[k]) / (2 * t);
    const nu = new Float64Array(size), na = new Int32Array(size);
    for (let base = 0; base < size; base++) {
      if (Math.floor(base / stride) % n !== 0) continue; // first point of a line along axis k
      if (lines >= maxLines) break;
      lines++;
      for (let i = 0; i < n; i++) {
        let best = -1, bestVal = Infinity;
        for (let j = 0; j < n; j++) {
          const dk = i - j;
          const val = u[base + j * stride] + w * (dk * dk);
          if (val < bestVal) { bestVal = val; best = j; }
        }
        nu[base + i * stride] = bestVal; na[base + i * stride] = argmin[base + best * stride];
      }
    }
    u = nu; argmin = na;
  }
  return { u, argmin, lines };
}
