/**
 * Brute-force twin of src/grids/finite-difference.ts: one point at a time, multi-indices, and ghost
 * values resolved by the boundary rules written out independently of boundary.ts (recursive per
 * axis). Obviously correct and slow; used only to check the fast kernels on random data.
 */
import type { Grid } from '../../src/grids/grid.js';
import type { BoundaryCondition } from '../../src/grids/boundary.js';

/** u at a multi-index whose entries may lie one cell outside [0, n−1] on any axes. */
export function ghostValue(grid: Grid, u: Float64Array, index: number[], bc: BoundaryCondition): number {
  for (let k = 0; k < grid.ndim; k++) {
    const n = grid.shape[k], i = index[k];
    if (i >= 0 && i < n) continue;
    const at = (j: number) => { const moved = [...index]; moved[k] = j; return ghostValue(grid, u, moved, bc); };
    if (bc.kind === 'dirichlet') return bc.value;
    if (bc.kind === 'neumann') return at(i < 0 ? 0 : n - 1);
    // Ends included: point 0 and point n−1 are one point, so the period is n − 1 cells.
    if (bc.kind === 'periodic') return at(i < 0 ? i + (n - 1) : i - (n - 1));
    return i < 0 ? 2 * at(0) - at(1) : 2 * at(n - 1) - at(n - 2); // linear extrapolation
  }
  return u[grid.flatIndex(index)];
}

export type BruteOperator = 'forward' | 'backward' | 'central' | 'second';

/** One-axis difference at every point, by the textbook formula. */
export function bruteAxisDifference(grid: Grid, u: Float64Array, k: number, bc: BoundaryCondition, op: BruteOperator): Float64Array {
  const out = new Float64Array(grid.size), h = grid.spacing[k];
  for (let p = 0; p < grid.size; p++) {
    const idx = grid.multiIndex(p);
    const shifted = (d: number) => { const m = [...idx]; m[k] += d; return ghostValue(grid, u, m, bc); };
    const here = u[p], plus = shifted(1), minus = shifted(-1);
    out[p] = op === 'forward' ? (plus - here) / h
      : op === 'backward' ? (here - minus) / h
        : op === 'central' ? (plus - minus) / (2 * h)
          : (plus - 2 * here + minus) / (h * h);
  }
  return out;
}

/** Mixed centred difference D⁰_kD⁰_l u at every point (k ≠ l). */
export function bruteMixedDifference(grid: Grid, u: Float64Array, k: number, l: number, bc: BoundaryCondition): Float64Array {
  const out = new Float64Array(grid.size), hk = grid.spacing[k], hl = grid.spacing[l];
  for (let p = 0; p < grid.size; p++) {
    const idx = grid.multiIndex(p);
    const at = (a: number, b: number) => { const m = [...idx]; m[k] += a; m[l] += b; return ghostValue(grid, u, m, bc); };
    out[p] = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * hk * hl);
  }
  return out;
}
