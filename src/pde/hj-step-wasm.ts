/**
 * The WebAssembly SIMD stages of the HJ schemes (wasm/assembly/hj-step.ts): the default float64 CPU
 * kernels of {@link solveHJ}. They compute exactly what the JS kernels of
 * src/pde/numerical-hamiltonian.ts compute (the same IEEE operations in the same order, two cells per
 * f64x2 vector), on the same padded layout, so the boundary code of src/pde/padded-grid.ts keeps
 * working (the kernel writes only the row-end ghosts itself, by the same rules, saving a cache miss
 * per row end). The solver's padded buffers live in a {@link WasmArena} for the whole solve, next to
 * a small block of stage constants and the slopes the kernel measures; a stage allocates nothing.
 */
import { WasmArena } from '../wasm/kernels.js';
import { firstInterior, type PaddedLayout } from './padded-grid.js';
import type { HJScheme } from './numerical-hamiltonian.js';
import type { BoundaryCondition } from '../grids/boundary.js';

/**
 * Float64 CPU kernels of {@link solveHJ}: WebAssembly SIMD, the plain JS reference, or 'auto':
 * WebAssembly from {@link WASM_MIN_POINTS} grid points on, JS below or when the buffers would not fit
 * in {@link WASM_MAX_BYTES} of kernel memory (the same values either way).
 */
export type HJKernel = 'auto' | 'wasm' | 'js';

/**
 * Grid points from which 'auto' picks the WebAssembly kernels: below, the arena and instance set-up
 * (≈ 20–50 µs per solve) costs more than the faster steps save.
 */
export const WASM_MIN_POINTS = 1024;

/** Exports of wasm/build/hj-step.wasm (byte offsets; see the kernel source for the parameter block). */
interface HJStepExports {
  godunov(ndim: number, pParams: number): number;
  laxFriedrichs(ndim: number, local: number, pParams: number): number;
}

// Parameter block of the kernel, in float64 slots: 1/h_k, e_k = b·dt·ν/h_k, b, ½b·dt, a, α_k, ν, the
// row-end ghost rule, the Dirichlet value, then the geometry: pv, pw, pout, n_k, s0, s1, pSlopes.
const IH = 0, E = 3, B = 6, HBDT = 7, A = 8, ALPHA = 9, NU = 12, BC = 13, BCV = 14, GEOMETRY = 15, PARAMS = 24;
const BC_CODES = { neumann: 1, periodic: 2, dirichlet: 3, extrapolate: 4 } as const;

/** An arena holding a solve's padded buffers, with the stage kernels instantiated on its memory. */
export interface HJWasmStages {
  readonly arena: WasmArena;
  readonly exports: HJStepExports;
  /** The kernel's parameter block (24 float64) and the slopes it writes (3), views into the arena. */
  readonly params: Float64Array;
  readonly slopes: Float64Array;
  /** The padded buffers (length `paddedSize`) the stages may read and write. */
  readonly buffers: Float64Array[];
}

/** Bytes of kernel memory {@link hjWasmStages} needs for `count` padded buffers of `L`. */
export function hjWasmBytes(L: PaddedLayout, count: number): number {
  // Two spare values after each buffer: the last pair of a 1-D row reads one value past the halo.
  return 64 + 8 * (PARAMS + 3) + 128 + count * (8 * (L.paddedSize + 2) + 64);
}

/** The most kernel memory a WasmArena may hold (src/wasm/kernels.ts: 32768 pages of 64 KiB). */
export const WASM_MAX_BYTES = 2 ** 31;

/**
 * Makes an arena with `count` padded buffers for `L` (zero-filled) and the stage kernels on it.
 * @throws Error when the engine rejects WebAssembly SIMD (src/wasm/kernels.ts says which), RangeError
 *   when the buffers need more than {@link WASM_MAX_BYTES}
 */
export function hjWasmStages(L: PaddedLayout, count: number): HJWasmStages {
  const arena = new WasmArena(hjWasmBytes(L, count));
  const exports = arena.instantiate<HJStepExports>('hj-step');
  const params = arena.allocF64(PARAMS), slopes = arena.allocF64(3);
  const buffers = Array.from({ length: count }, () => arena.allocF64(L.paddedSize + 2).subarray(0, L.paddedSize));
  return { arena, exports, params, slopes, buffers };
}

/**
 * One stage out = a·w + b·(v + dt·(ν Σ_k D²_k v − Ĥ)) on buffers of `stages` (`out` aliases neither
 * input), for H = ½|p|²: Godunov, or Lax–Friedrichs with global α = `alpha` (3-D view axes) or local
 * dissipation. Same contract and same values as godunovKernel / laxFriedrichsKernel: returns 0, or NaN
 * if an output is not finite, and writes max |D⁻_k v| per 3-D view axis into `slopes`. The a·w term
 * is fused into the pass (the JS kernels add it in a second pass, to the same value). v's halo must be
 * filled, except the ghosts at both ends of each row (the contiguous axis) when `rowGhosts` names the
 * boundary rule: the row pass then writes those into v, the values fillHalo would write.
 * Inputs are trusted: every array must be one of `stages.buffers`, and every axis must have ≥ 2 points.
 */
export function wasmStage(
  stages: HJWasmStages, L: PaddedLayout, scheme: HJScheme, local: boolean, alpha: Float64Array,
  v: Float64Array, w: Float64Array, out: Float64Array, a: number, b: number, dt: number, nu: number, slopes: Float64Array,
  rowGhosts: BoundaryCondition | null = null,
): number {
  const P = stages.params, bdt = b * dt;
  for (let k = 0; k < 3; k++) {
    const ih = L.invSpacing[k];
    P[IH + k] = ih;
    P[E + k] = bdt * nu * ih; // the JS kernels' e_k, rounded the same way
    P[ALPHA + k] = alpha[k];
  }
  P[B] = b; P[HBDT] = 0.5 * bdt; P[A] = a; P[NU] = nu;
  P[BC] = rowGhosts === null ? 0 : BC_CODES[rowGhosts.kind];
  P[BCV] = rowGhosts?.kind === 'dirichlet' ? rowGhosts.value : 0;
  const origin = 8 * firstInterior(L), n = L.n, s = L.stride;
  P[GEOMETRY] = v.byteOffset + origin; P[GEOMETRY + 1] = w.byteOffset + origin; P[GEOMETRY + 2] = out.byteOffset + origin;
  P[GEOMETRY + 3] = n[0]; P[GEOMETRY + 4] = n[1]; P[GEOMETRY + 5] = n[2];
  P[GEOMETRY + 6] = s[0]; P[GEOMETRY + 7] = s[1]; P[GEOMETRY + 8] = stages.slopes.byteOffset;
  const check = scheme === 'godunov' ? stages.exports.godunov(L.ndim, P.byteOffset)
    : stages.exports.laxFriedrichs(L.ndim, local ? 1 : 0, P.byteOffset);
  slopes.set(stages.slopes);
  return check;
}
