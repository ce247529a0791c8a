/**
 * Brute-force twin of the Cole–Hopf solver: the non-separable quadrature written from the
 * definition, O(size) work per requested point, every term in the log domain:
 *   u(x_p) = −β⁻¹ log Σ_q Π_k κ_k(p_k − q_k) e^{−βf_q},
 *   κ_k(j) = e^{−j²h_k²β/(2t)} / Σ_{i∈ℤ} e^{−i²h_k²β/(2t)},
 * with the Gibbs mean, covariance and the Gibbs mass of the boundary faces (summed over axes).
 * The lattice normaliser is summed here independently (symmetric sum over |i| ≤ 10⁴).
 */
import type { GridFunction } from '../../src/grids/grid-function.js';

export interface BruteColeHopf { u: number; mean: number[]; cov: number[][]; boundary: number }

export function coleHopfBrute(f: GridFunction, t: number, beta: number, points: number[]): BruteColeHopf[] {
  const { grid, data } = f;
  const { ndim: d, size, shape, strides, spacing } = grid;
  const c = spacing.map((h) => (h * h * beta) / (2 * t));
  const logZ = c.map((ck) => { let s = 0; for (let i = -10000; i <= 10000; i++) s += Math.exp(-ck * i * i); return Math.log(s); });
  const idx = (p: number, k: number) => Math.floor(p / strides[k]) % shape[k];
  const logTerm = new Float64Array(size);
  return points.map((p) => {
    let mx = -Infinity;
    for (let q = 0; q < size; q++) {
      let l = -beta * data[q];
      for (let k = 0; k < d; k++) { const j = idx(p, k) - idx(q, k); l += -c[k] * j * j - logZ[k]; }
      logTerm[q] = l; if (l > mx) mx = l;
    }
    let v = 0, bnd = 0;
    const m1 = new Array<number>(d).fill(0), m2 = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    const y = new Array<number>(d);
    for (let q = 0; q < size; q++) {
      const w = Math.exp(logTerm[q] - mx);
      v += w;
      grid.point(q, y);
      for (let k = 0; k < d; k++) {
        m1[k] += w * y[k];
        for (let l = 0; l < d; l++) m2[k][l] += w * y[k] * y[l];
        const i = idx(q, k);
        if (i === 0 || i === shape[k] - 1) bnd += w;
      }
    }
    const mean = m1.map((s) => s / v);
    const cov = m2.map((row, k) => row.map((s, l) => s / v - mean[k] * mean[l]));
    return { u: -(mx + Math.log(v)) / beta, mean, cov, boundary: bnd / v };
  });
}
