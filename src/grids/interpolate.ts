/**
 * Multilinear interpolation of grid samples at arbitrary points. Exact for functions that are
 * affine in each coordinate; second-order accurate (error ≤ Σ_k h_k² max|∂²_k f| / 8) for smooth f.
 */
import type { Grid } from './grid.js';
import { describe } from '../util/validate.js';

/** What to do outside the grid box. */
export type OutsidePolicy = 'error' | 'clamp' | 'extrapolate';

/**
 * Multilinear interpolation of `data` (samples on `grid`) at point `x`.
 * @param outside - 'error' (default) throws for a point outside the box; 'clamp' projects x onto the
 *   box; 'extrapolate' continues the boundary cell's multilinear polynomial
 * @throws RangeError for a point of the wrong length, a non-finite coordinate or (by default) outside the box
 */
export function interpolate(grid: Grid, data: Float64Array, x: ArrayLike<number>, outside: OutsidePolicy = 'error'): number {
  const { ndim, shape, lower, upper, spacing, strides } = grid;
  if (x.length !== ndim) throw new RangeError(`interpolate: x must have ${ndim} coordinate(s); got ${describe(Array.from(x))}.`);
  let base = 0;
  const frac = new Float64Array(ndim); // one small array per call; at(x) is never a cell-loop primitive
  for (let k = 0; k < ndim; k++) {
    let xk = x[k];
    if (!Number.isFinite(xk)) {
      if (Number.isNaN(xk)) return NaN;
      throw new RangeError(`interpolate: x[${k}] must be finite; got ${xk}.`);
    }
    if (xk < lower[k] || xk > upper[k]) {
      if (outside === 'error') {
        throw new RangeError(`interpolate: x must lie in the grid box ${grid.toString()}; got x = ${describe(Array.from(x))} (axis ${k} outside [${lower[k]}, ${upper[k]}]). Pass outside: 'clamp' or 'extrapolate' to allow it.`);
      }
      if (outside === 'clamp') xk = xk < lower[k] ? lower[k] : upper[k];
    }
    let s = (xk - lower[k]) / spacing[k];
    // A grid coordinate lower + i·h can land a few ulps off the integer i after the division: snap it,
    // so that grid points return their sample exactly (the shift is below 4 ulps of s).
    const nearest = Math.round(s);
    if (Math.abs(s - nearest) <= 4 * Number.EPSILON * Math.max(1, nearest)) s = nearest;
    let i = Math.floor(s);
    if (i < 0) i = 0;
    if (i > shape[k] - 2) i = shape[k] - 2;
    frac[k] = s - i;
    base += i * strides[k];
  }
  let sum = 0;
  const corners = 1 << ndim;
  for (let c = 0; c < corners; c++) {
    let w = 1, p = base;
    for (let k = 0; k < ndim; k++) {
      if ((c >> k) & 1) { w *= frac[k]; p += strides[k]; } else w *= 1 - frac[k];
    }
    if (w !== 0) sum += w * data[p];
  }
  return sum;
}
