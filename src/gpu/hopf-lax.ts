/**
 * Hopf–Lax relaxation on a gpu.js backend: u(x, t) = min_y { f(y) + |x − y|²/(2t) } over the grid
 * points, separable by axis, one windowed min-plus pass (with argmin) per axis, float32.
 */
import { GridFunction } from '../grids/grid-function.js';
import { mustBeAllFinite, mustBe, mustBePositive } from '../util/validate.js';
import type { BackendName } from './backend-name.js';
import { resolveBackend, resolveBackendSync, type ResolvedBackend } from './backends.js';
import { driveAsync, driveSync, type KernelPlan } from './drive.js';
import { GpuEngine, asKernelInput, flattenInto } from './engine.js';
import { argMinPlusLine, gatherLine, minPlusLine } from './kernels/line-pass.js';
import { assertFitsBuffers, axisLipschitz, lineExtent, toFloat32 } from './layout.js';

/** Options of the GPU Hopf–Lax pass. */
export interface GpuHopfLaxOptions {
  /** gpu.js backend; default 'gpu' (async) / 'webasm' (sync). */
  backend?: BackendName;
  /** Kernels are cached on this engine across calls; default: a fresh engine, destroyed on return. */
  engine?: GpuEngine;
}

/** u on the grid, prox[k] = k-th coordinate of the grid minimiser, and the backend that ran. */
export interface GpuHopfLaxResult { u: GridFunction; prox: GridFunction[]; backend: ResolvedBackend }

/**
 * Window half-width per axis: a minimiser y* of f(y) + |x − y|²/(2t) along an axis where f is
 * L-Lipschitz satisfies |x − y*| ≤ 2tL (else f(y) + |x−y|²/2t > f(x)), so W = ⌈2tL/h⌉ + 1 scans
 * every candidate; the bound holds for later axes because a min-plus pass keeps the other axes' L.
 */
export function hopfLaxWindows(f: GridFunction, t: number): number[] {
  const lip = axisLipschitz(f.grid, f.data);
  return f.grid.shape.map((n, k) => Math.min(n - 1, Math.ceil((2 * t * lip[k]) / f.grid.spacing[k]) + 1));
}

function* hopfLaxPlan(engine: GpuEngine, f: GridFunction, t: number): KernelPlan<{ u: Float32Array; index: Float32Array[] }> {
  const { shape, spacing } = f.grid;
  const windows = hopfLaxWindows(f, t);
  let values = toFloat32(f.data);
  const index: Float32Array[] = [];
  for (let k = 0; k < shape.length; k++) {
    const extent = lineExtent(shape, k);
    const integers = { n: shape[k], half: windows[k], span: 2 * windows[k] + 1 };
    const floats = { c2: (spacing[k] * spacing[k]) / (2 * t) };
    const minPlus = engine.kernel({ name: `minPlusLine[axis ${k}]`, body: minPlusLine, output: extent, integers, floats });
    const argMin = engine.kernel({ name: `argMinPlusLine[axis ${k}]`, body: argMinPlusLine, output: extent, integers, floats });
    const gather = engine.kernel({ name: `gatherLine[axis ${k}]`, body: gatherLine, output: extent });
    const current = asKernelInput(values, extent);
    const next = read(yield [minPlus, [current]], values.length);
    const arg = read(yield [argMin, [current]], values.length);
    const argInput = asKernelInput(arg, extent);
    for (let m = 0; m < k; m++) index[m] = read(yield [gather, [asKernelInput(index[m], extent), argInput]], values.length);
    index[k] = arg;
    values = next;
  }
  return { u: values, index };
}

function read(result: unknown, size: number): Float32Array {
  const out = new Float32Array(size);
  flattenInto(result, out);
  return out;
}

function validate(fn: string, f: GridFunction, t: number): void {
  mustBePositive(fn, 't', t);
  mustBe(fn, 'f.grid.ndim', f.grid.ndim, f.grid.ndim >= 1 && f.grid.ndim <= 3, '1, 2 or 3 on a gpu.js backend');
  mustBeAllFinite(fn, 'f', f.data);
}

function assemble(f: GridFunction, out: { u: Float32Array; index: Float32Array[] }, backend: ResolvedBackend): GpuHopfLaxResult {
  const { grid } = f;
  const prox = out.index.map((idx, k) => {
    const coords = new Float64Array(idx.length);
    for (let p = 0; p < idx.length; p++) coords[p] = grid.lower[k] + idx[p] * grid.spacing[k];
    return new GridFunction(grid, coords);
  });
  return { u: new GridFunction(grid, Float64Array.from(out.u)), prox, backend };
}

/**
 * Hopf–Lax relaxation u(x,t) = min_y { f(y) + |x − y|²/(2t) } over the grid points, with the
 * minimiser's coordinates, in float32 on a synchronous gpu.js backend ('webasm' or 'gpujs-cpu').
 * Exact over the grid up to float32 rounding of the values (≲ 4·d·2⁻²⁴·(max|f| + max|x−y*|²/2t));
 * a near-tie may pick another minimiser than the float64 solver, of objective equal within that.
 * Cost O(size · Σ_k W_k) with W_k = ⌈2t·Lip_k(f)/h_k⌉ + 1.
 * @param f - loss samples on a 1-, 2- or 3-D grid, finite
 * @param t - relaxation time, finite and > 0
 * @throws RangeError for t ≤ 0, non-finite f, 'gpu' / 'webgpu' (use {@link gpuHopfLaxAsync}), a grid over the buffer limit
 * @example const { u, prox } = gpuHopfLax(grid.sample((x) => x * x / 2), 0.5, { backend: 'webasm' });
 */
export function gpuHopfLax(f: GridFunction, t: number, opts: GpuHopfLaxOptions = {}): GpuHopfLaxResult {
  const fn = 'hopfLax';
  validate(fn, f, t);
  const backend = resolveBackendSync(fn, opts.backend ?? 'webasm', 'hopfLaxAsync');
  assertFitsBuffers(fn, f.grid.size, backend.mode, null);
  const engine = opts.engine ?? new GpuEngine(backend.mode);
  try {
    return assemble(f, driveSync(engine, hopfLaxPlan(engine, f, t)), backend);
  } finally {
    if (!opts.engine) engine.destroy();
  }
}

/**
 * As {@link gpuHopfLax}, on any gpu.js backend including WebGPU ('gpu' = hardware WebGPU, else
 * webasm with `backend.notice`). Each axis pass reads its result back (d passes in all).
 * @throws RangeError as gpuHopfLax, or when the backend is not available (naming those that are)
 * @example const { u } = await gpuHopfLaxAsync(f, 0.5, { backend: 'gpu' });
 */
export async function gpuHopfLaxAsync(f: GridFunction, t: number, opts: GpuHopfLaxOptions = {}): Promise<GpuHopfLaxResult> {
  const fn = 'hopfLaxAsync';
  validate(fn, f, t);
  const backend = await resolveBackend(fn, opts.backend ?? 'gpu');
  assertFitsBuffers(fn, f.grid.size, backend.mode, backend.adapter);
  const engine = opts.engine?.mode === backend.mode ? opts.engine : new GpuEngine(backend.mode);
  try {
    return assemble(f, await driveAsync(engine, hopfLaxPlan(engine, f, t)), backend);
  } finally {
    if (engine !== opts.engine) engine.destroy();
  }
}
