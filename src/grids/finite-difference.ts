/**
 * Finite-difference operators on grid functions, each honouring a boundary condition through the
 * ghost values of boundary.ts (u[−1], u[n] one cell outside every axis line). Interior cells are
 * indexed directly; only the two end cells of each line read ghosts through {@link lineValue}.
 *
 * Orders of accuracy on smooth f (h = spacing along the axis), as measured in the tests:
 * - D⁺u_j = (u_{j+1} − u_j)/h and D⁻u_j = (u_j − u_{j−1})/h: first order;
 * - D⁰u_j = (u_{j+1} − u_{j−1})/(2h) and D²u_j = (u_{j+1} − 2u_j + u_{j−1})/h²: second order;
 * - the Hessian's mixed entries D⁰_k D⁰_l u: second order; the Laplacian Σ_k D²_k u: second order.
 * At the edge cells the order is that of the ghost: periodic keeps the interior order everywhere (on
 * a periodic f); 'extrapolate' is linear, so D⁰ is first order there and D² is inconsistent (it is
 * zero); 'neumann' replicates the edge value, so D⁰ and D² are consistent at the edge only when
 * f′ = 0 there (and even then D² → f″/2, not f″); 'dirichlet' is consistent only when f takes the
 * boundary value one cell outside.
 *
 * Every operator comes in two forms: a kernel `…Into(grid, u, …, out)` writing into caller-owned
 * Float64Arrays (no allocation, for solvers' inner loops), and a form returning fresh GridFunctions.
 */
import type { Grid } from './grid.js';
import { GridFunction } from './grid-function.js';
import { lineValue, resolveBoundary, type BoundaryCondition, type BoundaryName } from './boundary.js';
import { mustBe, mustBeType } from '../util/validate.js';

/** A boundary argument: a condition object or the name of a value-free one (default 'neumann'). */
export type BoundaryArgument = BoundaryCondition | BoundaryName;

/** Which one-axis stencil a sweep computes. */
type AxisStencil = 'forward' | 'backward' | 'central' | 'second';

function checkAxis(fn: string, grid: Grid, k: number): void {
  mustBe(fn, 'k', k, Number.isInteger(k) && k >= 0 && k < grid.ndim, `an axis in [0, ${grid.ndim - 1}]`);
}

function checkArray(fn: string, name: string, grid: Grid, a: unknown): void {
  mustBeType(fn, name, a, a instanceof Float64Array, 'a Float64Array');
  const n = (a as Float64Array).length;
  mustBe(fn, `${name}.length`, n, n === grid.size, `equal to grid.size = ${grid.size}`);
}

const checkGridFunction = (fn: string, u: unknown): void => mustBeType(fn, 'u', u, u instanceof GridFunction, 'a GridFunction');

/** The stencil at one cell from its neighbours (cold path: edge cells only). */
function stencilAt(stencil: AxisStencil, below: number, here: number, above: number, h: number): number {
  switch (stencil) {
    case 'forward': return (above - here) / h;
    case 'backward': return (here - below) / h;
    case 'central': return (above - below) / (2 * h);
    case 'second': return (above - 2 * here + below) / (h * h);
    default: throw new RangeError(`stencilAt: unknown stencil ${String(stencil satisfies never)}.`);
  }
}

/**
 * One stencil along axis k for every line: interior cells directly, end cells through ghosts.
 * With `accumulate` ('second' only), adds into `out` instead of overwriting (the Laplacian's sum
 * over axes). `out` must not alias `u`. Each stencil reads only its own points, so a NaN sample
 * spoils exactly the differences that use it (a coefficient form c₀·u_j with c₀ = 0 would not).
 */
function axisSweep(grid: Grid, u: Float64Array, k: number, bc: BoundaryCondition, stencil: AxisStencil, out: Float64Array, accumulate: boolean): void {
  const n = grid.shape[k], s = grid.strides[k], h = grid.spacing[k];
  const block = n * s, blocks = grid.size / block;
  const inv = 1 / h, invTwo = 0.5 / h, invSquare = 1 / (h * h);
  for (let b = 0; b < blocks; b++) {
    const start = b * block;
    // Interior j = 1…n−2: direct indexing; the inner loop runs over contiguous memory (q).
    for (let j = 1; j < n - 1; j++) {
      const row = start + j * s, rowEnd = row + s;
      switch (stencil) {
        case 'forward': for (let p = row; p < rowEnd; p++) out[p] = (u[p + s] - u[p]) * inv; break;
        case 'backward': for (let p = row; p < rowEnd; p++) out[p] = (u[p] - u[p - s]) * inv; break;
        case 'central': for (let p = row; p < rowEnd; p++) out[p] = (u[p + s] - u[p - s]) * invTwo; break;
        case 'second':
          if (accumulate) for (let p = row; p < rowEnd; p++) out[p] += (u[p + s] - 2 * u[p] + u[p - s]) * invSquare;
          else for (let p = row; p < rowEnd; p++) out[p] = (u[p + s] - 2 * u[p] + u[p - s]) * invSquare;
          break;
        default: throw new RangeError(`axisSweep: unknown stencil ${String(stencil satisfies never)}.`);
      }
    }
    // End cells j = 0 and j = n−1 read one ghost each (for n = 2 their other neighbour is the other end).
    for (let q = 0; q < s; q++) {
      const first = start + q, last = first + (n - 1) * s;
      const atFirst = stencilAt(stencil, lineValue(u, first, s, n, -1, bc), u[first], u[first + s], h);
      const atLast = stencilAt(stencil, u[last - s], u[last], lineValue(u, first, s, n, n, bc), h);
      if (accumulate) { out[first] += atFirst; out[last] += atLast; } else { out[first] = atFirst; out[last] = atLast; }
    }
  }
}

function checkedAxisKernel(fn: string, grid: Grid, u: Float64Array, k: number, bc: BoundaryArgument, out: Float64Array, stencil: AxisStencil): void {
  checkArray(fn, 'u', grid, u);
  checkArray(fn, 'out', grid, out);
  checkAxis(fn, grid, k);
  mustBe(fn, 'out', 'the array u', out !== u, 'distinct from u (no in-place update)');
  axisSweep(grid, u, k, resolveBoundary(fn, bc), stencil, out, false);
}

function axisOperator(fn: string, u: GridFunction, k: number, bc: BoundaryArgument | undefined, stencil: AxisStencil): GridFunction {
  checkGridFunction(fn, u);
  checkAxis(fn, u.grid, k);
  const out = new Float64Array(u.grid.size);
  axisSweep(u.grid, u.data, k, resolveBoundary(fn, bc), stencil, out, false);
  return new GridFunction(u.grid, out);
}

/**
 * Forward difference D⁺_k u_j = (u_{j+1} − u_j)/h_k along axis k, into `out`; the last cell of each
 * line reads the ghost u_n of `bc`. First-order accurate. No allocation.
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size (row-major)
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition (default 'neumann')
 * @param out - result, length grid.size, not aliasing `u`
 * @throws RangeError for a bad axis, wrong lengths, `out === u` or an unknown boundary
 * @example forwardDifferenceInto(grid, f.data, 0, 'periodic', scratch);
 */
export function forwardDifferenceInto(grid: Grid, u: Float64Array, k: number, bc: BoundaryArgument, out: Float64Array): void {
  checkedAxisKernel('forwardDifferenceInto', grid, u, k, bc, out, 'forward');
}

/**
 * Backward difference D⁻_k u_j = (u_j − u_{j−1})/h_k along axis k, into `out`; the first cell of
 * each line reads the ghost u_{−1} of `bc`. First-order accurate. No allocation.
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition
 * @param out - result, length grid.size, not aliasing `u`
 * @throws RangeError for a bad axis, wrong lengths, `out === u` or an unknown boundary
 * @example backwardDifferenceInto(grid, f.data, 1, 'neumann', scratch);
 */
export function backwardDifferenceInto(grid: Grid, u: Float64Array, k: number, bc: BoundaryArgument, out: Float64Array): void {
  checkedAxisKernel('backwardDifferenceInto', grid, u, k, bc, out, 'backward');
}

/**
 * Centred difference D⁰_k u_j = (u_{j+1} − u_{j−1})/(2h_k) along axis k, into `out`. Second-order
 * accurate in the interior; at the ends, as accurate as the ghost (see the module notes).
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition
 * @param out - result, length grid.size, not aliasing `u`
 * @throws RangeError for a bad axis, wrong lengths, `out === u` or an unknown boundary
 * @example centralDifferenceInto(grid, f.data, 0, 'periodic', scratch);
 */
export function centralDifferenceInto(grid: Grid, u: Float64Array, k: number, bc: BoundaryArgument, out: Float64Array): void {
  checkedAxisKernel('centralDifferenceInto', grid, u, k, bc, out, 'central');
}

/**
 * Second difference D⁺_kD⁻_k u_j = (u_{j+1} − 2u_j + u_{j−1})/h_k² along axis k, into `out`.
 * Second-order accurate in the interior; at the ends, see the module notes.
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition
 * @param out - result, length grid.size, not aliasing `u`
 * @throws RangeError for a bad axis, wrong lengths, `out === u` or an unknown boundary
 * @example secondDifferenceInto(grid, f.data, 0, 'periodic', scratch);
 */
export function secondDifferenceInto(grid: Grid, u: Float64Array, k: number, bc: BoundaryArgument, out: Float64Array): void {
  checkedAxisKernel('secondDifferenceInto', grid, u, k, bc, out, 'second');
}

/**
 * Forward difference D⁺_k u = (u(x + h_k e_k) − u(x))/h_k on a fresh GridFunction (first order).
 * @param u - samples on a grid
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition, default 'neumann' (D⁺ = 0 on the upper edge)
 * @throws RangeError for a bad axis or unknown boundary; TypeError if `u` is not a GridFunction
 * @example forwardDifference(Grid.uniform([[0, 1]], [11]).sample((x) => x * x), 0) // ≈ 2x + h
 */
export function forwardDifference(u: GridFunction, k: number, bc?: BoundaryArgument): GridFunction {
  return axisOperator('forwardDifference', u, k, bc, 'forward');
}

/**
 * Backward difference D⁻_k u = (u(x) − u(x − h_k e_k))/h_k on a fresh GridFunction (first order).
 * @param u - samples on a grid
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition, default 'neumann' (D⁻ = 0 on the lower edge)
 * @throws RangeError for a bad axis or unknown boundary; TypeError if `u` is not a GridFunction
 * @example backwardDifference(Grid.uniform([[0, 1]], [11]).sample((x) => x * x), 0) // ≈ 2x − h
 */
export function backwardDifference(u: GridFunction, k: number, bc?: BoundaryArgument): GridFunction {
  return axisOperator('backwardDifference', u, k, bc, 'backward');
}

/**
 * Centred difference D⁰_k u = (u(x + h_k e_k) − u(x − h_k e_k))/(2h_k) on a fresh GridFunction
 * (second order in the interior).
 * @param u - samples on a grid
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition, default 'neumann'
 * @throws RangeError for a bad axis or unknown boundary; TypeError if `u` is not a GridFunction
 * @example centralDifference(Grid.uniform([[0, 1]], [11]).sample((x) => x * x), 0) // = 2x in the interior
 */
export function centralDifference(u: GridFunction, k: number, bc?: BoundaryArgument): GridFunction {
  return axisOperator('centralDifference', u, k, bc, 'central');
}

/**
 * Second difference D⁺_kD⁻_k u = (u(x + h e_k) − 2u(x) + u(x − h e_k))/h² on a fresh GridFunction
 * (second order in the interior, ≈ ∂²u/∂x_k²).
 * @param u - samples on a grid
 * @param k - axis in [0, ndim − 1]
 * @param bc - boundary condition, default 'neumann'
 * @throws RangeError for a bad axis or unknown boundary; TypeError if `u` is not a GridFunction
 * @example secondDifference(Grid.uniform([[0, 1]], [11]).sample((x) => x * x), 0) // = 2 in the interior
 */
export function secondDifference(u: GridFunction, k: number, bc?: BoundaryArgument): GridFunction {
  return axisOperator('secondDifference', u, k, bc, 'second');
}

/**
 * Discrete Laplacian Δ_h u = Σ_k D⁺_kD⁻_k u into `out` (second order in the interior). No allocation.
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size
 * @param bc - boundary condition
 * @param out - result, length grid.size, not aliasing `u`
 * @throws RangeError for wrong lengths, `out === u` or an unknown boundary
 * @example laplacianInto(grid, f.data, 'periodic', scratch);
 */
export function laplacianInto(grid: Grid, u: Float64Array, bc: BoundaryArgument, out: Float64Array): void {
  const fn = 'laplacianInto';
  checkArray(fn, 'u', grid, u);
  checkArray(fn, 'out', grid, out);
  mustBe(fn, 'out', 'the array u', out !== u, 'distinct from u (no in-place update)');
  const b = resolveBoundary(fn, bc);
  for (let k = 0; k < grid.ndim; k++) axisSweep(grid, u, k, b, 'second', out, k > 0);
}

/**
 * Discrete Laplacian Δ_h u = Σ_k D⁺_kD⁻_k u ≈ Σ_k ∂²u/∂x_k² on a fresh GridFunction (second order
 * in the interior).
 * @param u - samples on a grid
 * @param bc - boundary condition, default 'neumann'
 * @throws RangeError for an unknown boundary; TypeError if `u` is not a GridFunction
 * @example laplacian(Grid.uniform([[-1, 1], [-1, 1]], [21, 21]).sample((x, y) => x * x + y * y)) // = 4 inside
 */
export function laplacian(u: GridFunction, bc?: BoundaryArgument): GridFunction {
  checkGridFunction('laplacian', u);
  const out = new Float64Array(u.grid.size);
  laplacianInto(u.grid, u.data, bc ?? 'neumann', out);
  return new GridFunction(u.grid, out);
}

/**
 * Centred gradient (D⁰_0 u, …, D⁰_{d−1} u) into `out[k]` (second order in the interior). No allocation.
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size
 * @param bc - boundary condition
 * @param out - ndim arrays of length grid.size, none aliasing `u`
 * @throws RangeError for wrong lengths or count, aliasing, or an unknown boundary
 * @example gradientInto(grid, f.data, 'neumann', [gx, gy]);
 */
export function gradientInto(grid: Grid, u: Float64Array, bc: BoundaryArgument, out: readonly Float64Array[]): void {
  const fn = 'gradientInto';
  checkArray(fn, 'u', grid, u);
  mustBeType(fn, 'out', out, Array.isArray(out), 'an array of Float64Arrays');
  mustBe(fn, 'out.length', out.length, out.length === grid.ndim, `equal to grid.ndim = ${grid.ndim}`);
  const b = resolveBoundary(fn, bc);
  for (let k = 0; k < grid.ndim; k++) {
    checkArray(fn, `out[${k}]`, grid, out[k]);
    mustBe(fn, `out[${k}]`, 'the array u', out[k] !== u, 'distinct from u (no in-place update)');
  }
  for (let k = 0; k < grid.ndim; k++) axisSweep(grid, u, k, b, 'central', out[k], false);
}

/**
 * Centred gradient ∇_h u = (D⁰_0 u, …, D⁰_{d−1} u) ≈ ∇u, one fresh GridFunction per axis (second
 * order in the interior).
 * @param u - samples on a grid
 * @param bc - boundary condition, default 'neumann'
 * @throws RangeError for an unknown boundary; TypeError if `u` is not a GridFunction
 * @example const [gx, gy] = gradient(Grid.uniform([[0, 1], [0, 1]], [11, 11]).sample((x, y) => x * y)); // gx = y inside
 */
export function gradient(u: GridFunction, bc?: BoundaryArgument): GridFunction[] {
  checkGridFunction('gradient', u);
  const out = Array.from({ length: u.grid.ndim }, () => new Float64Array(u.grid.size));
  gradientInto(u.grid, u.data, bc ?? 'neumann', out);
  return out.map((d) => new GridFunction(u.grid, d));
}

/**
 * Value at offsets (i, j) of the (k, l) plane whose (0, 0) point is flat index `base`, with
 * i ∈ [−1, nk] and j ∈ [−1, nl]: ghosts along l through {@link lineValue}, then ghosts along k of
 * those. The ghost rules are linear maps acting on different indices, so the order does not matter.
 * Used only at the boundary cells of a mixed stencil.
 */
function planeValue(u: Float64Array, base: number, sk: number, nk: number, i: number, sl: number, nl: number, j: number, bc: BoundaryCondition): number {
  if (i >= 0 && i < nk) return lineValue(u, base + i * sk, sl, nl, j, bc);
  switch (bc.kind) {
    case 'dirichlet': return bc.value;
    case 'neumann': return lineValue(u, base + (i < 0 ? 0 : nk - 1) * sk, sl, nl, j, bc);
    case 'periodic': return lineValue(u, base + (i < 0 ? nk - 1 + i : i - nk + 1) * sk, sl, nl, j, bc);
    case 'extrapolate': {
      const edge = i < 0 ? 0 : nk - 1, inner = i < 0 ? 1 : nk - 2;
      return 2 * lineValue(u, base + edge * sk, sl, nl, j, bc) - lineValue(u, base + inner * sk, sl, nl, j, bc);
    }
    default: throw new RangeError(`planeValue: unknown boundary ${String(bc satisfies never)}.`);
  }
}

/**
 * Mixed centred difference D⁰_kD⁰_l u = (u_{i+1,j+1} − u_{i+1,j−1} − u_{i−1,j+1} + u_{i−1,j−1})/(4h_k h_l)
 * for axes k < l, into `out`.
 */
function mixedSweep(grid: Grid, u: Float64Array, k: number, l: number, bc: BoundaryCondition, out: Float64Array): void {
  const nk = grid.shape[k], sk = grid.strides[k], nl = grid.shape[l], sl = grid.strides[l];
  const scale = 1 / (4 * grid.spacing[k] * grid.spacing[l]);
  const outerBlock = nk * sk, outer = grid.size / outerBlock; // axes before k
  const middleBlock = nl * sl, middle = sk / middleBlock;     // axes strictly between k and l
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < nk; i++) {
      const isEdgeI = i === 0 || i === nk - 1;
      for (let m = 0; m < middle; m++) {
        for (let j = 0; j < nl; j++) {
          const row = o * outerBlock + i * sk + m * middleBlock + j * sl;
          if (isEdgeI || j === 0 || j === nl - 1) {
            for (let q = 0; q < sl; q++) {
              const base = o * outerBlock + m * middleBlock + q;
              out[row + q] = scale * (planeValue(u, base, sk, nk, i + 1, sl, nl, j + 1, bc)
                - planeValue(u, base, sk, nk, i + 1, sl, nl, j - 1, bc)
                - planeValue(u, base, sk, nk, i - 1, sl, nl, j + 1, bc)
                + planeValue(u, base, sk, nk, i - 1, sl, nl, j - 1, bc));
            }
          } else {
            for (let q = 0; q < sl; q++) {
              const p = row + q;
              out[p] = scale * (u[p + sk + sl] - u[p + sk - sl] - u[p - sk + sl] + u[p - sk - sl]);
            }
          }
        }
      }
    }
  }
}

/**
 * Discrete Hessian into `out[k][l]`: D⁺_kD⁻_k u on the diagonal and the centred mixed difference
 * D⁰_kD⁰_l u off it (second order in the interior). Entry (k, l) with k > l is copied from (l, k)
 * unless `out[k][l] === out[l][k]` (one shared array per symmetric pair is allowed). No allocation.
 * @param grid - the grid `u` is sampled on
 * @param u - samples, length grid.size
 * @param bc - boundary condition (mixed stencils at corners read ghosts of ghosts)
 * @param out - ndim × ndim arrays of length grid.size, none aliasing `u`
 * @throws RangeError for wrong lengths or counts, aliasing, or an unknown boundary
 * @example hessianInto(grid, f.data, 'periodic', [[hxx, hxy], [hxy, hyy]]);
 */
export function hessianInto(grid: Grid, u: Float64Array, bc: BoundaryArgument, out: readonly (readonly Float64Array[])[]): void {
  const fn = 'hessianInto', d = grid.ndim;
  checkArray(fn, 'u', grid, u);
  mustBeType(fn, 'out', out, Array.isArray(out), 'an ndim × ndim array of Float64Arrays');
  mustBe(fn, 'out.length', out.length, out.length === d, `equal to grid.ndim = ${d}`);
  for (let k = 0; k < d; k++) {
    mustBeType(fn, `out[${k}]`, out[k], Array.isArray(out[k]), 'an array of Float64Arrays');
    mustBe(fn, `out[${k}].length`, out[k].length, out[k].length === d, `equal to grid.ndim = ${d}`);
    for (let l = 0; l < d; l++) {
      checkArray(fn, `out[${k}][${l}]`, grid, out[k][l]);
      mustBe(fn, `out[${k}][${l}]`, 'the array u', out[k][l] !== u, 'distinct from u (no in-place update)');
    }
  }
  const b = resolveBoundary(fn, bc);
  for (let k = 0; k < d; k++) {
    axisSweep(grid, u, k, b, 'second', out[k][k], false);
    for (let l = k + 1; l < d; l++) {
      mixedSweep(grid, u, k, l, b, out[k][l]);
      if (out[l][k] !== out[k][l]) out[l][k].set(out[k][l]);
    }
  }
}

/**
 * Discrete Hessian H_kl ≈ ∂²u/∂x_k∂x_l: D⁺_kD⁻_k u on the diagonal, centred mixed differences
 * D⁰_kD⁰_l u off it; second order in the interior, exact (up to rounding) for quadratics there.
 * The result is symmetric: `H[l][k]` is the same GridFunction object as `H[k][l]`.
 * @param u - samples on a grid
 * @param bc - boundary condition, default 'neumann'
 * @returns an ndim × ndim array of GridFunctions
 * @throws RangeError for an unknown boundary; TypeError if `u` is not a GridFunction
 * @example const H = hessian(Grid.uniform([[-1, 1], [-1, 1]], [21, 21]).sample((x, y) => x * y)); // H[0][1] = 1 inside
 */
export function hessian(u: GridFunction, bc?: BoundaryArgument): GridFunction[][] {
  checkGridFunction('hessian', u);
  const d = u.grid.ndim;
  const arrays: Float64Array[][] = [];
  for (let k = 0; k < d; k++) {
    arrays.push([]);
    for (let l = 0; l < d; l++) arrays[k].push(l < k ? arrays[l][k] : new Float64Array(u.grid.size));
  }
  hessianInto(u.grid, u.data, bc ?? 'neumann', arrays);
  const fns: GridFunction[][] = [];
  for (let k = 0; k < d; k++) {
    fns.push([]);
    for (let l = 0; l < d; l++) fns[k].push(l < k ? fns[l][k] : new GridFunction(u.grid, arrays[k][l]));
  }
  return fns;
}
