/**
 * Point stencils used by the checks: which grid points are far enough from the box to be
 * measured, and the centred gradient and Hessian at one point with a step of m cells (m = 1 is the
 * usual stencil of src/grids/finite-difference.ts; m = 2 gives the coarse twin used for the
 * Richardson estimate of the truncation error). Interior points only, so no ghost values enter.
 */
import type { Grid } from '../../grids/grid.js';
import { mustBe } from '../../util/validate.js';

/**
 * Factor on a Richardson estimate |Q_h − Q_2h|/3 of an O(h²) truncation error when it is used as a
 * tolerance: the estimate is asymptotically exact, and the factor 2 covers the O(h⁴) remainder for as
 * long as that remainder is smaller than the O(h²) term (on the viscous 1-D Hessian test the estimate
 * is 0.9999× the true error).
 */
export const RICHARDSON_SAFETY = 2;

/**
 * Flat indices of the points at least `margin` (coordinate units) inside the box on every axis and at
 * least `reach` cells from each end, so that a stencil of half-width `reach` stays on the grid.
 * @throws RangeError if no point qualifies
 */
export function interiorIndices(fn: string, grid: Grid, margin: number, reach: number): Int32Array {
  mustBe(fn, 'margin', margin, Number.isFinite(margin) && margin >= 0, 'finite and ≥ 0');
  const lo: number[] = [], hi: number[] = [];
  let count = 1;
  for (let k = 0; k < grid.ndim; k++) {
    const cells = Math.max(reach, Math.ceil(margin / grid.spacing[k] - 1e-9));
    lo.push(cells); hi.push(grid.shape[k] - 1 - cells);
    count *= Math.max(0, hi[k] - lo[k] + 1);
  }
  mustBe(fn, 'margin', margin, count > 0,
    `small enough to leave interior points on ${grid.toString()} (stencil reach ${reach} cells)`);
  const out = new Int32Array(count);
  const index = lo.slice();
  for (let c = 0; c < count; c++) {
    let p = 0;
    for (let k = 0; k < grid.ndim; k++) p += index[k] * grid.strides[k];
    out[c] = p;
    for (let k = grid.ndim - 1; k >= 0; k--) { if (++index[k] <= hi[k]) break; index[k] = lo[k]; }
  }
  return out;
}

/**
 * Centred Hessian at flat index p with step m cells: (u(x+mh e_k) − 2u + u(x−mh e_k))/(mh_k)² on the
 * diagonal, the 4-point mixed difference off it. Exact for quadratics; O((mh)²) for smooth u.
 * Writes the d×d row-major matrix into `out`. The caller guarantees p is ≥ m cells from every end.
 */
export function hessianAt(grid: Grid, u: Float64Array, p: number, m: number, out: Float64Array): void {
  const d = grid.ndim;
  for (let k = 0; k < d; k++) {
    const sk = m * grid.strides[k], hk = m * grid.spacing[k];
    out[k * d + k] = (u[p + sk] - 2 * u[p] + u[p - sk]) / (hk * hk);
    for (let l = k + 1; l < d; l++) {
      const sl = m * grid.strides[l], hl = m * grid.spacing[l];
      const v = (u[p + sk + sl] - u[p + sk - sl] - u[p - sk + sl] + u[p - sk - sl]) / (4 * hk * hl);
      out[k * d + l] = v; out[l * d + k] = v;
    }
  }
}

/** Centred gradient at flat index p with step m cells into `out` (length d); O((mh)²) for smooth u. */
export function gradientAt(grid: Grid, u: Float64Array, p: number, m: number, out: Float64Array): void {
  for (let k = 0; k < grid.ndim; k++) {
    const sk = m * grid.strides[k];
    out[k] = (u[p + sk] - u[p - sk]) / (2 * m * grid.spacing[k]);
  }
}

/**
 * Eigenvalues of the symmetric d×d row-major matrix `a`, ascending, into `out` (cyclic Jacobi;
 * closed forms for d ≤ 2). `scratch` holds d² values; `a` is not modified.
 */
export function symmetricEigenvalues(a: Float64Array, d: number, out: Float64Array, scratch: Float64Array): void {
  if (d === 1) { out[0] = a[0]; return; }
  if (d === 2) {
    const mid = 0.5 * (a[0] + a[3]), rad = Math.hypot(0.5 * (a[0] - a[3]), a[1]);
    out[0] = mid - rad; out[1] = mid + rad; return;
  }
  scratch.set(a.subarray(0, d * d));
  for (let sweep = 0; sweep < 50; sweep++) {
    let off = 0;
    for (let i = 0; i < d; i++) for (let j = i + 1; j < d; j++) off += scratch[i * d + j] ** 2;
    if (off === 0 || !(off > 1e-30 * frobeniusSquared(scratch, d))) break;
    for (let i = 0; i < d; i++) {
      for (let j = i + 1; j < d; j++) {
        const aij = scratch[i * d + j];
        if (aij === 0) continue;
        // Rotation angle that zeroes a_ij (Golub–Van Loan, Alg. 8.4.1).
        const theta = (scratch[j * d + j] - scratch[i * d + i]) / (2 * aij);
        const tan = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cos = 1 / Math.sqrt(tan * tan + 1), sin = tan * cos;
        for (let k = 0; k < d; k++) {
          const aki = scratch[k * d + i], akj = scratch[k * d + j];
          scratch[k * d + i] = cos * aki - sin * akj; scratch[k * d + j] = sin * aki + cos * akj;
        }
        for (let k = 0; k < d; k++) {
          const aik = scratch[i * d + k], ajk = scratch[j * d + k];
          scratch[i * d + k] = cos * aik - sin * ajk; scratch[j * d + k] = sin * aik + cos * ajk;
        }
      }
    }
  }
  for (let i = 0; i < d; i++) out[i] = scratch[i * d + i];
  out.subarray(0, d).sort();
}

function frobeniusSquared(a: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d * d; i++) s += a[i] * a[i];
  return s;
}

/** Coordinates of flat index p as a plain array (for `worst.x`). */
export function pointOf(grid: Grid, p: number): number[] {
  return Array.from(grid.point(p));
}
