/**
 * Padded (halo) storage for explicit stencil schemes on 1-D, 2-D and 3-D grids. A grid function of
 * shape [n0, …] is stored with one ghost layer on each side of every axis, so that a 3-point stencil
 * reads its neighbours without branches: the interior kernel is the same at edge cells, and boundary
 * conditions live only in the ghost values (src/grids/boundary.ts), refreshed once per stage at
 * O(surface) cost. Every layout is viewed as 3-D: missing leading axes have length 1 and no halo.
 */
import type { Grid } from '../grids/grid.js';
import { lineValue, type BoundaryCondition } from '../grids/boundary.js';

/** Index arithmetic of a padded 3-D view of a 1-, 2- or 3-D grid. */
export interface PaddedLayout {
  /** Number of real axes (1–3). */
  readonly ndim: number;
  /** Points per axis of the 3-D view (leading dummy axes have length 1). */
  readonly n: Int32Array;
  /** 1 on a real axis (padded), 0 on a dummy one. */
  readonly pad: Int32Array;
  /** Padded strides of the 3-D view (last axis 1). */
  readonly stride: Int32Array;
  /** 1/h on each axis of the 3-D view (0 on dummy axes). */
  readonly invSpacing: Float64Array;
  /** Length of a padded buffer. */
  readonly paddedSize: number;
  /** Number of grid points (unpadded). */
  readonly size: number;
}

/**
 * The padded layout of a 1-, 2- or 3-D grid.
 * @throws RangeError if the grid has more than 3 axes
 */
export function paddedLayout(grid: Grid, fn: string): PaddedLayout {
  if (grid.ndim > 3) throw new RangeError(`${fn}: f must live on a 1-D, 2-D or 3-D grid; got ${grid.ndim} axes.`);
  const n = new Int32Array(3).fill(1), pad = new Int32Array(3), invSpacing = new Float64Array(3);
  const shift = 3 - grid.ndim;
  for (let k = 0; k < grid.ndim; k++) {
    n[shift + k] = grid.shape[k]; pad[shift + k] = 1; invSpacing[shift + k] = 1 / grid.spacing[k];
  }
  const stride = new Int32Array(3);
  stride[2] = 1;
  stride[1] = n[2] + 2 * pad[2];
  stride[0] = stride[1] * (n[1] + 2 * pad[1]);
  const paddedSize = stride[0] * (n[0] + 2 * pad[0]);
  return { ndim: grid.ndim, n, pad, stride, invSpacing, paddedSize, size: grid.size };
}

/** Padded index of the first interior point, i.e. of grid point (0, 0, 0). */
export function firstInterior(L: PaddedLayout): number {
  return L.pad[0] * L.stride[0] + L.pad[1] * L.stride[1] + L.pad[2];
}

/** Copies unpadded row-major samples `u` into the interior of the padded buffer `out`. */
export function toPadded(L: PaddedLayout, u: ArrayLike<number>, out: Float64Array): void {
  let q = 0;
  for (let i0 = 0; i0 < L.n[0]; i0++) {
    for (let i1 = 0; i1 < L.n[1]; i1++) {
      const p = firstInterior(L) + i0 * L.stride[0] + i1 * L.stride[1];
      for (let i2 = 0; i2 < L.n[2]; i2++) out[p + i2] = u[q++];
    }
  }
}

/** Copies the interior of the padded buffer `v` into the unpadded row-major array `out`. */
export function fromPadded(L: PaddedLayout, v: Float64Array, out: Float64Array): void {
  let q = 0;
  for (let i0 = 0; i0 < L.n[0]; i0++) {
    for (let i1 = 0; i1 < L.n[1]; i1++) {
      const p = firstInterior(L) + i0 * L.stride[0] + i1 * L.stride[1];
      for (let i2 = 0; i2 < L.n[2]; i2++) out[q++] = v[p + i2];
    }
  }
}

/**
 * Calls `visit(base, stride, n)` for every line along real axis k of the 3-D view (k in 0..2),
 * with `base` the padded index of the line's first interior point. One call per line (O(surface)).
 */
export function forEachPaddedLine(L: PaddedLayout, k: number, visit: (base: number, stride: number, n: number) => void): void {
  const a = k === 0 ? 1 : 0, b = k === 2 ? 1 : 2; // the two other axes, in order
  const origin = firstInterior(L);
  for (let ia = 0; ia < L.n[a]; ia++) {
    for (let ib = 0; ib < L.n[b]; ib++) visit(origin + ia * L.stride[a] + ib * L.stride[b], L.stride[k], L.n[k]);
  }
}

/**
 * Writes the ghost values u[−1] and u[n] of every line along every real axis from the interior,
 * by the boundary rule of src/grids/boundary.ts. Only the face ghosts are written (a 3-point cross
 * stencil never reads corners), and they depend on interior values only, so the axes are independent.
 * @param skipContiguous - leave the ghosts of the contiguous axis (the row ends) to the caller
 */
export function fillHalo(L: PaddedLayout, v: Float64Array, bc: BoundaryCondition, skipContiguous = false): void {
  for (let k = 0; k < (skipContiguous ? 2 : 3); k++) {
    if (L.pad[k] === 0) continue;
    forEachPaddedLine(L, k, (base, stride, n) => {
      v[base - stride] = lineValue(v, base, stride, n, -1, bc);
      v[base + n * stride] = lineValue(v, base, stride, n, n, bc);
    });
  }
}

/** Sets every edge point of the box (first and last point of each line, on every axis) to `value`. */
export function holdEdges(L: PaddedLayout, v: Float64Array, value: number): void {
  for (let k = 0; k < 3; k++) {
    if (L.pad[k] === 0) continue;
    forEachPaddedLine(L, k, (base, stride, n) => { v[base] = value; v[base + (n - 1) * stride] = value; });
  }
}
