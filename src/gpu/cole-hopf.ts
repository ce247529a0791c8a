/**
 * Cole–Hopf relaxation on a gpu.js backend: u(x,t) = −β⁻¹ log( G_{t/β} ∗ e^{−βf} )(x) as a discrete
 * quadrature over the grid, separable by axis, in the log domain with a per-window max shift
 * (float32 exp overflows past ~88, so e^{−βf} itself is never formed), float32.
 */
import { GridFunction } from '../grids/grid-function.js';
import { mustBe, mustBeAllFinite, mustBePositive } from '../util/validate.js';
import type { BackendName } from './backend-name.js';
import { resolveBackend, resolveBackendSync, type ResolvedBackend } from './backends.js';
import { driveAsync, driveSync, type KernelPlan } from './drive.js';
import { GpuEngine, asKernelInput, flattenInto } from './engine.js';
import { gibbsAverageLine, gibbsOffsetLine, logConvLine } from './kernels/line-pass.js';
import { assertFitsBuffers, axisLipschitz, lineExtent } from './layout.js';

/** Options of the GPU Cole–Hopf pass. */
export interface GpuColeHopfOptions {
  /** Truncation T in standard deviations σ = √(t/β) beyond the Lipschitz bound of {@link coleHopfWindows}; default 8 (dropped mass ≲ e^{−32} ≈ 1e-14 of the largest term). */
  truncate?: number;
  /** gpu.js backend; default 'gpu' (async) / 'webasm' (sync). */
  backend?: BackendName;
  /** Kernels are cached on this engine across calls; default: a fresh engine, destroyed on return. */
  engine?: GpuEngine;
}

/**
 * u on the grid, mean[k] = k-th coordinate of the Gibbs mean ⟨y⟩, boundary = Σ_k Gibbs mass on the
 * two box faces of axis k (the box cut-off diagnostic), the window half-widths and the backend that ran.
 */
export interface GpuColeHopfResult { u: GridFunction; mean: GridFunction[]; boundary: GridFunction; windows: number[]; backend: ResolvedBackend }

/** Defaults of {@link gpuColeHopf}. */
export const GPU_COLE_HOPF_DEFAULTS = { truncate: 8 } as const;

/**
 * Window half-width per axis, sized so the window holds the Gibbs mass wherever it sits. Along an
 * axis where f is L-Lipschitz (discrete, from grid differences; a partial convolution over other
 * axes keeps it, log-sum-exp being 1-Lipschitz in sup norm), the exponent g(y) = −β[f(y) + (y−x)²/(2t)]
 * satisfies g(y) − max g ≤ g(y) − g(x) ≤ −(β/2t)(r² − 2tLr) at r = |y − x| (x is itself a grid point),
 * which is ≤ −T²/2 (T = truncate) once r ≥ R = tL + √(t²L² + T²σ²), σ = √(t/β). Beyond R the
 * terms fall off at least like exp(−T·(r − R)/σ), so the dropped mass is ≤ 2e^{−T²/2}(1 + σ/(hT))
 * times the largest term — the Gibbs mode may sit up to 2tL from x (t|∇f| ≫ σ), where a window of
 * T·σ around x would miss it. W = ⌈R/h_k⌉, at most n_k − 1 (then the sum is over the whole line).
 */
export function coleHopfWindows(f: GridFunction, t: number, beta: number, truncate: number): number[] {
  const sigma = Math.sqrt(t / beta);
  const lip = axisLipschitz(f.grid, f.data);
  return f.grid.shape.map((n, k) => {
    const tl = t * lip[k];
    const radius = tl + Math.sqrt(tl * tl + truncate * truncate * sigma * sigma);
    return Math.min(n - 1, Math.ceil(radius / f.grid.spacing[k]));
  });
}

interface PlanOutput { logV: Float32Array; offsets: Float32Array[]; boundary: Float32Array }

function* coleHopfPlan(engine: GpuEngine, f: GridFunction, t: number, beta: number, windows: number[]): KernelPlan<PlanOutput> {
  const { shape, spacing } = f.grid;
  let logW: Float32Array = new Float32Array(f.data.length);
  for (let p = 0; p < logW.length; p++) logW[p] = -beta * f.data[p];
  const offsets: Float32Array[] = [];
  let boundary: Float32Array = new Float32Array(f.data.length);
  for (let k = 0; k < shape.length; k++) {
    const extent = lineExtent(shape, k);
    const h = spacing[k];
    const integers = { n: shape[k], half: windows[k], span: 2 * windows[k] + 1 };
    // Quadrature of the 1-D heat kernel of variance t/β: weight h·(2πt/β)^(−1/2)·exp(−β d²/(2t)).
    const floats = { c2: (beta * h * h) / (2 * t), logNorm: Math.log(h) - 0.5 * Math.log((2 * Math.PI * t) / beta), h };
    const logConv = engine.kernel({ name: `logConvLine[axis ${k}]`, body: logConvLine, output: extent, integers, floats });
    const offset = engine.kernel({ name: `gibbsOffsetLine[axis ${k}]`, body: gibbsOffsetLine, output: extent, integers, floats });
    const average = engine.kernel({ name: `gibbsAverageLine[axis ${k}]`, body: gibbsAverageLine, output: extent, integers, floats });
    const current = asKernelInput(logW, extent);
    const next = read(yield [logConv, [current]], logW.length);
    const nextInput = asKernelInput(next, extent);
    for (let m = 0; m < k; m++) offsets[m] = read(yield [average, [current, nextInput, asKernelInput(offsets[m], extent)]], logW.length);
    offsets[k] = read(yield [offset, [current, nextInput]], logW.length);
    // Face mass: average (mass on earlier axes' faces + [q on a face of axis k]) through this axis.
    addFaceIndicator(boundary, shape, k);
    boundary = read(yield [average, [current, nextInput, asKernelInput(boundary, extent)]], logW.length);
    logW = next;
  }
  return { logV: logW, offsets, boundary };
}

/** b[p] += [i_k(p) = 0] + [i_k(p) = n_k − 1] (both for n_k = 1, as the float64 sweep counts). */
function addFaceIndicator(b: Float32Array, shape: readonly number[], k: number): void {
  let inner = 1;
  for (let a = k + 1; a < shape.length; a++) inner *= shape[a];
  const n = shape[k], outer = b.length / (n * inner);
  for (let o = 0; o < outer; o++) {
    const first = o * n * inner, last = first + (n - 1) * inner;
    for (let r = 0; r < inner; r++) { b[first + r] += 1; b[last + r] += 1; }
  }
}

function read(result: unknown, size: number): Float32Array {
  const out = new Float32Array(size);
  flattenInto(result, out);
  return out;
}

function validate(fn: string, f: GridFunction, t: number, beta: number, truncate: number): void {
  mustBePositive(fn, 't', t);
  mustBePositive(fn, 'beta', beta);
  mustBePositive(fn, 'truncate', truncate);
  mustBe(fn, 'f.grid.ndim', f.grid.ndim, f.grid.ndim >= 1 && f.grid.ndim <= 3, '1, 2 or 3 on a gpu.js backend');
  mustBeAllFinite(fn, 'f', f.data);
}

function assemble(f: GridFunction, beta: number, out: PlanOutput, windows: number[], backend: ResolvedBackend): GpuColeHopfResult {
  const { grid } = f;
  const u = new Float64Array(grid.size);
  for (let p = 0; p < u.length; p++) u[p] = -out.logV[p] / beta;
  const mean = out.offsets.map((off, k) => {
    const axis = grid.axis(k);
    let stride = 1;
    for (let a = k + 1; a < grid.ndim; a++) stride *= grid.shape[a];
    const n = grid.shape[k];
    const coords = new Float64Array(off.length);
    for (let p = 0; p < off.length; p++) coords[p] = axis[Math.floor(p / stride) % n] + off[p];
    return new GridFunction(grid, coords);
  });
  return { u: new GridFunction(grid, u), mean, boundary: new GridFunction(grid, Float64Array.from(out.boundary)), windows, backend };
}

/**
 * Cole–Hopf relaxation u(x,t) = −β⁻¹ log Σ_y hᵈ (2πt/β)^(−d/2) exp(−βf(y) − β|x − y|²/(2t)) over
 * the grid points y (the quadrature of the heat-kernel convolution, truncated per axis by
 * {@link coleHopfWindows}: the window holds the Gibbs mass even where it sits ~2t·Lip(f) ≫ √(t/β)
 * from x; cost O(size · Σ_k W_k)), with the Gibbs mean ⟨y⟩ and the box-face mass, in float32 on a synchronous gpu.js
 * backend ('webasm' or 'gpujs-cpu'). Stable for any β: each window is shifted by its max exponent.
 * Rounding: |Δu| ≲ 2⁻²⁴·[(d+1)·4·(max|f| + R²/(2t)) + (2W+1)/β] with R = W·h the window radius.
 * @param f - loss samples on a 1-, 2- or 3-D grid, finite
 * @param t - relaxation time, finite and > 0
 * @param beta - inverse temperature, finite and > 0
 * @throws RangeError for invalid t, beta, truncate or f, 'gpu' / 'webgpu' (use {@link gpuColeHopfAsync}), a grid over the buffer limit
 * @example const { u, mean } = gpuColeHopf(grid.sample((x) => x * x / 2), 0.5, 10, { backend: 'webasm' });
 */
export function gpuColeHopf(f: GridFunction, t: number, beta: number, opts: GpuColeHopfOptions = {}): GpuColeHopfResult {
  const fn = 'coleHopf';
  const truncate = opts.truncate ?? GPU_COLE_HOPF_DEFAULTS.truncate;
  validate(fn, f, t, beta, truncate);
  const backend = resolveBackendSync(fn, opts.backend ?? 'webasm', 'coleHopfAsync');
  assertFitsBuffers(fn, f.grid.size, backend.mode, null);
  const engine = opts.engine ?? new GpuEngine(backend.mode);
  try {
    const windows = coleHopfWindows(f, t, beta, truncate);
    return assemble(f, beta, driveSync(engine, coleHopfPlan(engine, f, t, beta, windows)), windows, backend);
  } finally {
    if (!opts.engine) engine.destroy();
  }
}

/**
 * As {@link gpuColeHopf}, on any gpu.js backend including WebGPU ('gpu' = hardware WebGPU, else
 * webasm with `backend.notice`). Each axis pass reads its result back.
 * @throws RangeError as gpuColeHopf, or when the backend is not available (naming those that are)
 * @example const { u } = await gpuColeHopfAsync(f, 0.5, 10, { backend: 'gpu' });
 */
export async function gpuColeHopfAsync(f: GridFunction, t: number, beta: number, opts: GpuColeHopfOptions = {}): Promise<GpuColeHopfResult> {
  const fn = 'coleHopfAsync';
  const truncate = opts.truncate ?? GPU_COLE_HOPF_DEFAULTS.truncate;
  validate(fn, f, t, beta, truncate);
  const backend = await resolveBackend(fn, opts.backend ?? 'gpu');
  assertFitsBuffers(fn, f.grid.size, backend.mode, backend.adapter);
  const engine = opts.engine?.mode === backend.mode ? opts.engine : new GpuEngine(backend.mode);
  try {
    const windows = coleHopfWindows(f, t, beta, truncate);
    return assemble(f, beta, await driveAsync(engine, coleHopfPlan(engine, f, t, beta, windows)), windows, backend);
  } finally {
    if (engine !== opts.engine) engine.destroy();
  }
}
