/**
 * Check: local entropy is the viscous HJ solution (claim T1). The finite-difference solution of
 * u_t = −½|∇u|² + (1/2β)Δu (monotone Godunov scheme, `solveHJ`) and the Cole–Hopf formula
 * u = −β⁻¹ log(G_{t/β} ∗ e^{−βf}) (`coleHopf`) must agree in the limit h → 0.
 */
import { Grid } from '../../grids/grid.js';
import { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../../util/validate.js';
import { coleHopf } from '../cole-hopf.js';
import { solveHJ } from '../solve-hj.js';
import { makeResult, mustBeGridFunction, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** Options of {@link checkLocalEntropyPDE}. */
export interface LocalEntropyPDEOptions {
  /** Relaxation time t > 0. */
  t: number;
  /** Inverse temperature β > 0, finite. */
  beta: number;
  /** Grid levels: f's grid and its 2×, 4×, … coarser subsamplings. @defaultValue 3 */
  levels?: number;
  /** Distance (coordinate units) from the box where errors are measured. @defaultValue a quarter of the smallest box width */
  margin?: number;
  /** The finite-difference solver under test, f ↦ u(·,t). @defaultValue `(g) => solveHJ(g, { t, beta }).u` (Godunov, Neumann) */
  solver?: (f: GridFunction) => GridFunction;
}

/**
 * Measures the observed orders p_ℓ = log₂(e_ℓ/e_{ℓ+1}) of e = max|u_FD − u_CH| on the interior over
 * successively halved h (subsamplings of f's grid, so the samples of f are the same on every level),
 * and compares the smallest with ½: the Crandall–Lions rate every monotone scheme attains for
 * Lipschitz data (order 1 is typical for smooth solutions). Tolerance 0: the bound is already the
 * guaranteed worst case.
 * @param f - loss samples; every (shape[k] − 1) must be divisible by 2^(levels − 1)
 * @param options - {@link LocalEntropyPDEOptions}
 * @returns a {@link CheckResult}; details: spacings, errors, orders
 * @throws TypeError if f is not a GridFunction; RangeError for t or β missing or non-positive, β infinite,
 *   levels < 2, a shape that cannot be subsampled, or a solver's own error (e.g. a grid too coarse for √(t/β))
 * @example checkLocalEntropyPDE(Grid.uniform([[-3, 3]], [401]).sample('x^2 + 1.5*sin(2*pi*x)'), { t: 0.2, beta: 1 })
 */
export function checkLocalEntropyPDE(f: GridFunction, options: LocalEntropyPDEOptions): CheckResult {
  const fn = 'checkLocalEntropyPDE';
  mustBeGridFunction(fn, 'f', f);
  const t = options?.t, beta = options?.beta, levels = options?.levels ?? 3;
  mustBePositive(fn, 't', t);
  mustBePositive(fn, 'beta', beta);
  mustBeInteger(fn, 'levels', levels, 2, 8);
  mustBeType(fn, 'solver', options.solver, options.solver === undefined || typeof options.solver === 'function', 'a function f ↦ u');
  const grid = f.grid, factor = 2 ** (levels - 1);
  for (let k = 0; k < grid.ndim; k++) {
    mustBe(fn, `f.grid.shape[${k}]`, grid.shape[k], (grid.shape[k] - 1) % factor === 0 && (grid.shape[k] - 1) / factor >= 4,
      `such that shape − 1 is a multiple of 2^(levels − 1) = ${factor} with ≥ 4 cells on the coarsest level`);
  }
  let width = Infinity;
  for (let k = 0; k < grid.ndim; k++) width = Math.min(width, grid.upper[k] - grid.lower[k]);
  const margin = options.margin ?? width / 4;
  const errors: number[] = [], spacings: number[] = [];
  let worst = { x: [] as number[], value: 0 };
  for (let level = levels - 1; level >= 0; level--) {
    const fl = subsample(f, 2 ** level);
    const uFD = options.solver ? options.solver(fl) : solveHJ(fl, { t, beta }).u, uCH = coleHopf(fl, t, beta).u;
    const points = interiorIndices(fn, fl.grid, margin, 0);
    let e = 0, at = points[0];
    for (let c = 0; c < points.length; c++) {
      const diff = Math.abs(uFD.data[points[c]] - uCH.data[points[c]]);
      if (!(diff <= e)) { e = diff; at = points[c]; }
    }
    errors.push(e); spacings.push(fl.grid.spacing[0]);
    if (level === 0) worst = { x: pointOf(fl.grid, at), value: e };
  }
  const orders = errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
  return makeResult({
    name: 'local-entropy-pde',
    claim: 'finite-difference viscous HJ → Cole–Hopf local entropy under refinement (T1)',
    relation: '≥',
    measured: Math.min(...orders),
    bound: 0.5,
    tolerance: { value: 0, reason: 'bound ½ is the Crandall–Lions guaranteed order of monotone schemes' },
    worst,
    details: { spacings, errors, orders, margin },
  });
}

/** Every `step`-th point of f's grid on each axis (same box, exact samples). */
function subsample(f: GridFunction, step: number): GridFunction {
  if (step === 1) return f;
  const grid = f.grid, d = grid.ndim;
  const shape = grid.shape.map((n) => (n - 1) / step + 1);
  const coarse = Grid.uniform(grid.lower.map((l, k) => [l, grid.upper[k]] as [number, number]), shape);
  const data = new Float64Array(coarse.size);
  for (let p = 0; p < coarse.size; p++) {
    let q = 0, rest = p;
    for (let k = d - 1; k >= 0; k--) { const i = rest % shape[k]; rest = (rest - i) / shape[k]; q += i * step * grid.strides[k]; }
    data[p] = f.data[q];
  }
  return new GridFunction(coarse, data);
}
