/**
 * Time stepping for the monotone HJ schemes: the monotonicity (CFL) condition, forward Euler, and
 * the second-order strong-stability-preserving Runge–Kutta method (SSP-RK2, Shu–Osher 1988).
 *
 * Monotonicity condition (derived in docs/schemes.md). Forward Euler for
 * u_t = −Ĥ(D⁻u, D⁺u) + (1/(2β)) Σ_k D²_k u writes u_i' = u_i − dt·Ĥ + (dt/(2β)) Σ_k (u_{i+e_k} − 2u_i
 * + u_{i−e_k})/h_k². With Ĥ non-decreasing in p⁻_k and non-increasing in p⁺_k, every neighbour
 * coefficient is ≥ 0; the coefficient of u_i is 1 − dt Σ_k (∂Ĥ/∂p⁻_k − ∂Ĥ/∂p⁺_k)/h_k − dt Σ_k 1/(β h_k²).
 * For Godunov (H = ½|p|²) and for global Lax–Friedrichs, ∂Ĥ/∂p⁻_k − ∂Ĥ/∂p⁺_k ≤ a_k, and for local
 * Lax–Friedrichs ≤ 2a_k (the derivative of the per-cell α adds up to a_k), where a_k = max over the
 * grid's faces of |D_k u| (= max |∂H/∂p_k| over the stencil; for a general H, a_k = dHBound_k). So
 * the step is monotone iff dt·(c Σ_k a_k/h_k + Σ_k 1/(β h_k²)) ≤ 1, c = 1 or 2.
 */
import type { GridFunction } from '../grids/grid-function.js';
import { resolveBoundary, type BoundaryCondition, type BoundaryName } from '../grids/boundary.js';
import { mustBe, mustBeBeta, mustBeType } from '../util/validate.js';
import { fillHalo, fromPadded, holdEdges, paddedLayout, toPadded, type PaddedLayout } from './padded-grid.js';
import {
  godunovKernel, measureSlopes,
  type Dissipation, type Hamiltonian, type HJScheme,
} from './numerical-hamiltonian.js';
import { laxFriedrichsKernel, type LaxFriedrichsKernelConfig } from './lax-friedrichs-kernel.js';
import { wasmStage, type HJWasmStages } from './hj-step-wasm.js';

/** Time integrators of {@link solveHJ}. */
export type TimeIntegrator = 'euler' | 'ssp-rk2';

/**
 * The largest monotone forward-Euler step, 1 / (c Σ_k a_k/h_k + Σ_k 1/(β h_k²)) (Infinity when the
 * denominator is 0: a flat, non-viscous state does not move).
 * @param slopeBound - a_k ≥ max |∂H/∂p_k| over the stencil, per axis (for ½|p|²: max |D_k u|)
 * @param spacing - h_k per axis
 * @param beta - inverse temperature, > 0 (Infinity: no diffusion term)
 * @param factor - c = 1 for Godunov and global Lax–Friedrichs, 2 for local Lax–Friedrichs
 * @example monotoneTimeStep([2], [0.1], Infinity) // 0.05 = h / a
 */
export function monotoneTimeStep(slopeBound: ArrayLike<number>, spacing: ArrayLike<number>, beta: number, factor = 1): number {
  let rate = 0;
  for (let k = 0; k < spacing.length; k++) {
    const ih = 1 / spacing[k];
    rate += factor * slopeBound[k] * ih + (beta === Infinity ? 0 : (ih * ih) / beta);
  }
  return rate > 0 ? 1 / rate : Infinity;
}

/** A configured HJ space discretisation on a padded layout (built once per solve). */
export interface HJOperator {
  readonly layout: PaddedLayout;
  readonly boundary: BoundaryCondition;
  readonly beta: number;
  /** Diffusion coefficient ν = 1/(2β). */
  readonly nu: number;
  readonly scheme: HJScheme;
  /** c in the monotonicity condition. */
  readonly factor: number;
  /** dHBound per 3-D view axis for a general H (fixed a_k), else null (a_k measured). */
  readonly fixedBound: Float64Array | null;
  readonly lf: LaxFriedrichsKernelConfig;
  /**
   * WebAssembly SIMD stages for H = ½|p|² (the stage buffers must be its buffers), or null: the JS
   * kernels. A general H always runs the JS kernel (it calls H per cell).
   */
  readonly wasm: HJWasmStages | null;
}

/** Options of {@link hjOperator}, already validated by the caller. */
export interface HJOperatorOptions {
  scheme: HJScheme; beta: number; boundary: BoundaryCondition; dissipation: Dissipation; hamiltonian: Hamiltonian | null;
  /** Run the stages in these WebAssembly kernels (default null: the JS kernels). */
  wasm?: HJWasmStages | null;
}

/** Builds the space discretisation of u_t = −Ĥ + (1/(2β))Δu on `layout`. Inputs are trusted. */
export function hjOperator(layout: PaddedLayout, o: HJOperatorOptions): HJOperator {
  const first = 3 - layout.ndim;
  let fixedBound: Float64Array | null = null;
  if (o.hamiltonian) {
    fixedBound = new Float64Array(3);
    const b = o.hamiltonian.dHBound;
    for (let k = first; k < 3; k++) fixedBound[k] = typeof b === 'number' ? b : b[k - first];
  }
  const lf: LaxFriedrichsKernelConfig = {
    dissipation: o.dissipation, H: o.hamiltonian ? o.hamiltonian.H : null,
    alpha: fixedBound ? fixedBound.slice() : new Float64Array(3), centred: new Float64Array(layout.ndim),
  };
  return {
    layout, boundary: o.boundary, beta: o.beta, nu: o.beta === Infinity ? 0 : 1 / (2 * o.beta), scheme: o.scheme,
    factor: o.scheme === 'lax-friedrichs' && o.dissipation === 'local' ? 2 : 1, fixedBound, lf, wasm: o.wasm ?? null,
  };
}

/** c Σ_k a_k/h_k + Σ_k 1/(β h_k²) for slope bounds on the 3-D view axes (fixed a_k for a general H). */
export function monotoneRate(op: HJOperator, bound: Float64Array): number {
  const a = op.fixedBound ?? bound, ih = op.layout.invSpacing;
  let rate = 0;
  for (let k = 3 - op.layout.ndim; k < 3; k++) rate += op.factor * a[k] * ih[k] + (op.nu === 0 ? 0 : 2 * op.nu * ih[k] * ih[k]);
  return rate;
}

/**
 * One stage out = a·w + b·(v + dt·L(v)): fills v's halo, runs the scheme's kernel, and for Dirichlet
 * holds out's edge points at the boundary value. Global Lax–Friedrichs uses α = `bound`. Runs the
 * operator's WebAssembly stages when it has them (same values as the JS kernels), else the JS kernels.
 * Returns 0, or NaN if an output is not finite; `slopes` receives max |D_k v| per 3-D view axis.
 */
export function applyStage(
  op: HJOperator, v: Float64Array, w: Float64Array, out: Float64Array,
  a: number, b: number, dt: number, bound: Float64Array, slopes: Float64Array,
): number {
  const L = op.layout, wasm = op.lf.H === null ? op.wasm : null;
  // The WebAssembly row pass writes the row-end ghosts itself (one cache miss per row end saved).
  fillHalo(L, v, op.boundary, wasm !== null);
  let check: number;
  if (op.scheme === 'lax-friedrichs' && !op.fixedBound) op.lf.alpha.set(bound);
  if (wasm !== null) {
    check = wasmStage(wasm, L, op.scheme, op.lf.dissipation === 'local', op.lf.alpha, v, w, out, a, b, dt, op.nu, slopes, op.boundary);
  } else if (op.scheme === 'godunov') check = godunovKernel(L, v, w, out, a, b, dt, op.nu, slopes);
  else check = laxFriedrichsKernel(L, v, w, out, a, b, dt, op.nu, op.lf, slopes);
  if (op.boundary.kind === 'dirichlet') holdEdges(L, out, op.boundary.value);
  return check;
}

/**
 * Loads unpadded samples into the padded buffer `v` as a scheme state: for Dirichlet the edge points
 * are set to the boundary value (the solver holds them there), then the halo is filled and `bound`
 * receives max |D_k v| per 3-D view axis.
 */
export function loadState(op: HJOperator, data: ArrayLike<number>, v: Float64Array, bound: Float64Array): void {
  toPadded(op.layout, data, v);
  if (op.boundary.kind === 'dirichlet') holdEdges(op.layout, v, op.boundary.value);
  fillHalo(op.layout, v, op.boundary);
  measureSlopes(op.layout, v, bound);
}

/** Forward Euler u' = u + dt·L(u) on padded buffers. Returns 0, or NaN on a non-finite output. */
export function eulerStep(op: HJOperator, u: Float64Array, out: Float64Array, dt: number, bound: Float64Array, slopes: Float64Array): number {
  return applyStage(op, u, u, out, 0, 1, dt, bound, slopes);
}

/**
 * SSP-RK2 (Heun in Shu–Osher form): u⁽¹⁾ = u + dt·L(u), u' = ½u + ½(u⁽¹⁾ + dt·L(u⁽¹⁾)). A convex
 * combination of Euler steps, so monotone under the same dt condition. `slopes` receives the max of
 * both stages' measured slopes. Returns 0, or NaN on a non-finite output.
 */
export function sspRk2Step(
  op: HJOperator, u: Float64Array, stage: Float64Array, out: Float64Array, dt: number,
  bound: Float64Array, slopes: Float64Array, stageSlopes: Float64Array,
): number {
  const first = applyStage(op, u, u, stage, 0, 1, dt, bound, slopes);
  const second = applyStage(op, stage, u, out, 0.5, 0.5, dt, bound, stageSlopes);
  for (let k = 0; k < 3; k++) if (stageSlopes[k] > slopes[k]) slopes[k] = stageSlopes[k];
  return first + second;
}

/** Options of the single-step kernels {@link godunovStep} and {@link laxFriedrichsStep}. */
export interface HJStepOptions {
  /** Inverse temperature, > 0; Infinity (default) = non-viscous. */
  beta?: number;
  /** Boundary condition (default 'neumann'). */
  boundary?: BoundaryCondition | BoundaryName;
}

function singleStep(fn: string, u: GridFunction, out: GridFunction, dt: number, o: HJOperatorOptions): number[] {
  mustBeType(fn, 'out', out, out !== null && typeof out === 'object' && out.data instanceof Float64Array, 'a GridFunction');
  u.requireSameGrid(fn, out);
  mustBe(fn, 'dt', dt, Number.isFinite(dt) && dt > 0, 'finite and > 0');
  const L = paddedLayout(u.grid, fn), op = hjOperator(L, o);
  const v = new Float64Array(L.paddedSize), w = new Float64Array(L.paddedSize);
  const slopes = new Float64Array(3), bound = new Float64Array(3);
  loadState(op, u.data, v, bound);
  eulerStep(op, v, w, dt, bound, slopes);
  fromPadded(L, w, out.data);
  return Array.from(slopes.subarray(3 - L.ndim));
}

/**
 * One forward-Euler Godunov step for u_t = −½|∇u|² + (1/(2β))Δu, written into `out` (same grid):
 * out = u − dt·½Σ_k max(max(D⁻_k u, 0)², min(D⁺_k u, 0)²) + (dt/(2β)) Σ_k D²_k u, with ghost values
 * from `boundary`. No time-step check (the reference step for backend comparisons; see
 * {@link monotoneTimeStep}). Allocates padded scratch per call.
 * @returns max |D_k u| per axis (the slopes that bound the monotone dt)
 * @throws RangeError for a non-positive dt, a different grid, beta ≤ 0 or an unknown boundary
 * @example const out = f.grid.zeros(); godunovStep(f, out, 1e-3, { beta: 10 });
 */
export function godunovStep(u: GridFunction, out: GridFunction, dt: number, options: HJStepOptions = {}): number[] {
  const beta = options.beta ?? Infinity;
  mustBeBeta('godunovStep', 'beta', beta);
  const boundary = resolveBoundary('godunovStep', options.boundary);
  return singleStep('godunovStep', u, out, dt, { scheme: 'godunov', beta, boundary, dissipation: 'global', hamiltonian: null });
}

/**
 * One forward-Euler Lax–Friedrichs step, out = u − dt·Ĥ + (dt/(2β)) Σ_k D²_k u with
 * Ĥ = H(p̄) − Σ_k α_k (D⁺_k u − D⁻_k u)/2. H = ½|p|² with α_k = max |D_k u| ('global') or
 * max(|D⁻_k u|, |D⁺_k u|) per cell ('local'), or a general `hamiltonian` with α_k = dHBound_k.
 * @throws RangeError as {@link godunovStep}
 * @example laxFriedrichsStep(f, out, 1e-3, { dissipation: 'local' });
 */
export function laxFriedrichsStep(
  u: GridFunction, out: GridFunction, dt: number,
  options: HJStepOptions & { dissipation?: Dissipation; hamiltonian?: Hamiltonian } = {},
): number[] {
  const beta = options.beta ?? Infinity;
  mustBeBeta('laxFriedrichsStep', 'beta', beta);
  const boundary = resolveBoundary('laxFriedrichsStep', options.boundary);
  return singleStep('laxFriedrichsStep', u, out, dt, {
    scheme: 'lax-friedrichs', beta, boundary, dissipation: options.dissipation ?? 'global', hamiltonian: options.hamiltonian ?? null,
  });
}
