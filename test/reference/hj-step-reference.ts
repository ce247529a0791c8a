/**
 * Brute-force twin of one forward-Euler step of the HJ schemes: per grid point, per axis, the
 * neighbours are read through `lineValue` (src/grids/boundary.ts) from plain multi-index arithmetic,
 * and the numerical Hamiltonian is evaluated from its textbook formula. Slow and obviously correct.
 */
import type { GridFunction } from '../../src/grids/grid-function.js';
import { lineValue, type BoundaryCondition } from '../../src/grids/boundary.js';

export interface ReferenceScheme {
  scheme: 'godunov' | 'lax-friedrichs';
  beta: number;
  boundary: BoundaryCondition;
  dissipation?: 'global' | 'local';
  /** General H with per-axis α = dHBound; default H = ½|p|² with α from the data. */
  H?: (p: number[]) => number;
  alpha?: number[];
}

/** u' = u − dt·Ĥ(D⁻u, D⁺u) + dt/(2β)·Σ_k D²_k u, Dirichlet edges held at the value. */
export function referenceHJStep(input: GridFunction, dt: number, s: ReferenceScheme): Float64Array {
  const { grid } = input, d = grid.ndim, out = new Float64Array(grid.size);
  const isEdge = (p: number) => grid.multiIndex(p).some((i, k) => i === 0 || i === grid.shape[k] - 1);
  // Dirichlet: the state's edge points are the boundary value (before and after the step).
  const u = input.clone();
  if (s.boundary.kind === 'dirichlet') for (let p = 0; p < grid.size; p++) if (isEdge(p)) u.data[p] = s.boundary.value;
  const nb = (p: number, k: number, j: number): number => {
    const idx = grid.multiIndex(p), base = p - idx[k] * grid.strides[k];
    return lineValue(u.data, base, grid.strides[k], grid.shape[k], idx[k] + j, s.boundary);
  };
  // Global α_k = max over faces |D_k u| (including the ghost faces).
  const alphaGlobal = new Array<number>(d).fill(0);
  for (let p = 0; p < grid.size; p++) {
    for (let k = 0; k < d; k++) {
      const h = grid.spacing[k];
      alphaGlobal[k] = Math.max(alphaGlobal[k], Math.abs(u.data[p] - nb(p, k, -1)) / h, Math.abs(nb(p, k, 1) - u.data[p]) / h);
    }
  }
  for (let p = 0; p < grid.size; p++) {
    const c = u.data[p], pm: number[] = [], pp: number[] = [];
    let lap = 0;
    for (let k = 0; k < d; k++) {
      const h = grid.spacing[k], l = nb(p, k, -1), r = nb(p, k, 1);
      pm.push((c - l) / h); pp.push((r - c) / h);
      lap += (l - 2 * c + r) / (h * h);
    }
    let ham = 0;
    if (s.scheme === 'godunov') {
      for (let k = 0; k < d; k++) ham += 0.5 * Math.max(Math.max(pm[k], 0) ** 2, Math.min(pp[k], 0) ** 2);
    } else {
      const mean = pm.map((m, k) => (m + pp[k]) / 2);
      ham = s.H ? s.H(mean) : 0.5 * mean.reduce((acc, m) => acc + m * m, 0);
      for (let k = 0; k < d; k++) {
        const alpha = s.alpha ? s.alpha[k] : s.dissipation === 'local' ? Math.max(Math.abs(pm[k]), Math.abs(pp[k])) : alphaGlobal[k];
        ham -= (alpha * (pp[k] - pm[k])) / 2;
      }
    }
    out[p] = c - dt * ham + (s.beta === Infinity ? 0 : (dt / (2 * s.beta)) * lap);
  }
  if (s.boundary.kind === 'dirichlet') {
    for (let p = 0; p < grid.size; p++) if (isEdge(p)) out[p] = s.boundary.value;
  }
  return out;
}
