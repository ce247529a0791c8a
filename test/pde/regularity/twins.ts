/**
 * Brute-force twins for the regularity tests, independent of src/pde's solvers: the discrete
 * Cole–Hopf sum and the discrete Gaussian smoothing over every pair of grid points (O(N²)).
 *   u(x_i) = −β⁻¹ log Σ_j Πh (2πt/β)^{−d/2} exp(−βf_j − β|x_i − y_j|²/(2t)),
 *   (G_s ∗ f)(x_i) = Σ_j Πh (2πs)^{−d/2} exp(−|x_i − y_j|²/(2s)) f_j.
 */
import { GridFunction } from '../../../src/grids/grid-function.js';

export function bruteColeHopf(f: GridFunction, t: number, beta: number): GridFunction {
  const grid = f.grid, d = grid.ndim, n = grid.size;
  let cell = 1;
  for (const h of grid.spacing) cell *= h;
  const logNorm = Math.log(cell) - (d / 2) * Math.log((2 * Math.PI * t) / beta);
  const points = Array.from({ length: n }, (_, p) => Array.from(grid.point(p)));
  const out = new Float64Array(n), exponents = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) r2 += (points[i][k] - points[j][k]) ** 2;
      exponents[j] = -beta * f.data[j] - (beta * r2) / (2 * t);
      if (exponents[j] > max) max = exponents[j];
    }
    let sum = 0;
    for (let j = 0; j < n; j++) sum += Math.exp(exponents[j] - max);
    out[i] = -(max + Math.log(sum) + logNorm) / beta;
  }
  return new GridFunction(grid, out);
}

export function bruteHeat(f: GridFunction, s: number): GridFunction {
  const grid = f.grid, d = grid.ndim, n = grid.size;
  let cell = 1;
  for (const h of grid.spacing) cell *= h;
  const norm = cell * (2 * Math.PI * s) ** (-d / 2);
  const points = Array.from({ length: n }, (_, p) => Array.from(grid.point(p)));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) {
      let r2 = 0;
      for (let k = 0; k < d; k++) r2 += (points[i][k] - points[j][k]) ** 2;
      sum += Math.exp(-r2 / (2 * s)) * f.data[j];
    }
    out[i] = norm * sum;
  }
  return new GridFunction(grid, out);
}
