/**
 * Time stepping of u_t = −½|∇u|² + (1/2β) Δu on a gpu.js backend, float32, with the state kept on
 * the device between steps (ping-pong on webasm / gpujs-cpu, one `createPipeline` plan on any mode).
 */
import { GridFunction } from '../grids/grid-function.js';
import { mustBe, mustBeBeta, mustBeInteger, mustBePositive } from '../util/validate.js';
import type { BackendName } from './backend-name.js';
import { resolveBackend, resolveBackendSync, type ResolvedBackend } from './backends.js';
import { GpuEngine, asKernelInput, flattenInto, type BuiltKernel, type KernelSpec } from './engine.js';
import { hjStep1d, hjStep2d, hjStep3d } from './kernels/hj-step.js';
import { assertFitsBuffers, axisLipschitz, extentOf, toFloat32 } from './layout.js';

/** Options of the GPU time stepper (the subset of solveHJ's options that runs on gpu.js). */
export interface GpuSolveHJOptions {
  /** Final time, finite and > 0. */
  t: number;
  /** Inverse temperature, > 0; Infinity (default) = non-viscous. */
  beta?: number;
  /** Numerical Hamiltonian; default 'godunov'. */
  scheme?: 'godunov' | 'lax-friedrichs';
  /** Fraction of the monotonicity limit used as time step, in (0, 1]; default 0.9. */
  cfl?: number;
  /** 'neumann' (default) or 'periodic'; other conditions run on backend 'cpu' only. */
  boundary?: 'neumann' | 'periodic';
  /** Number of equally spaced snapshots s = t·j/snapshots, j = 1…snapshots, read back (the last is u itself); default 1. */
  snapshots?: number;
  /** gpu.js backend; default 'gpu'. */
  backend?: BackendName;
  /** Kernels are cached on this engine across calls; default: a fresh engine, destroyed on return. */
  engine?: GpuEngine;
}

/** Result of the GPU stepper: as solveHJ's, plus the time step and the backend that ran. */
export interface GpuSolveHJResult {
  u: GridFunction;
  snapshots: { t: number; u: GridFunction }[];
  steps: number;
  dt: number;
  backend: ResolvedBackend;
}

/** Defaults of {@link gpuSolveHJ}. */
export const GPU_SOLVE_HJ_DEFAULTS = { beta: Infinity, scheme: 'godunov', cfl: 0.9, boundary: 'neumann', snapshots: 1, backend: 'gpu' } as const;

/** The validated plan: kernel spec, time step and step counts. */
export interface HJStepPlan {
  spec: KernelSpec;
  dt: number;
  /** Steps between snapshots. */
  perSnapshot: number;
  snapshots: number;
  t: number;
}

/**
 * Validates the options and derives the forward-Euler step. Monotonicity: with L = max_k max |D_k f|
 * (which the monotone scheme does not increase) and ν = 1/(2β), ∂u_new/∂u_i = 1 − dt·Σ_k (L/h_k + 2ν/h_k²)
 * for both Hamiltonians (Lax–Friedrichs with α = L), so dt ≤ cfl / Σ_k (L/h_k + 2ν/h_k²).
 * The steps are uniform: each of the `snapshots` intervals takes m = ⌈(t/snapshots)/dt_max⌉ steps.
 */
export function planHJSteps(fn: string, f: GridFunction, opts: GpuSolveHJOptions): HJStepPlan {
  mustBePositive(fn, 't', opts.t);
  const beta = opts.beta ?? GPU_SOLVE_HJ_DEFAULTS.beta;
  mustBeBeta(fn, 'beta', beta);
  const scheme = opts.scheme ?? GPU_SOLVE_HJ_DEFAULTS.scheme;
  mustBe(fn, 'scheme', scheme, scheme === 'godunov' || scheme === 'lax-friedrichs', "'godunov' | 'lax-friedrichs'");
  const cfl = opts.cfl ?? GPU_SOLVE_HJ_DEFAULTS.cfl;
  mustBe(fn, 'cfl', cfl, typeof cfl === 'number' && cfl > 0 && cfl <= 1, 'in (0, 1]');
  const boundary = opts.boundary ?? GPU_SOLVE_HJ_DEFAULTS.boundary;
  mustBe(fn, 'boundary', boundary, boundary === 'neumann' || boundary === 'periodic',
    "'neumann' | 'periodic' on a gpu.js backend (use backend 'cpu' for other conditions)");
  const snapshots = opts.snapshots ?? GPU_SOLVE_HJ_DEFAULTS.snapshots;
  mustBeInteger(fn, 'snapshots', snapshots, 1);
  const { grid } = f;
  mustBe(fn, 'f.grid.ndim', grid.ndim, grid.ndim >= 1 && grid.ndim <= 3, '1, 2 or 3 on a gpu.js backend');
  if (boundary === 'periodic') {
    mustBe(fn, 'f.grid.shape', `[${grid.shape.join(', ')}]`, grid.shape.every((n) => n >= 3), 'at least 3 points per axis for a periodic boundary');
  }
  const lip = Math.max(...axisLipschitz(grid, f.data));
  const nu = Number.isFinite(beta) ? 1 / (2 * beta) : 0;
  let rate = 0;
  for (const h of grid.spacing) rate += lip / h + (2 * nu) / (h * h);
  const interval = opts.t / snapshots;
  const perSnapshot = rate === 0 ? 1 : Math.max(1, Math.ceil((interval * rate) / cfl));
  const dt = interval / perSnapshot;
  const isGodunov = scheme === 'godunov' ? 1 : 0, isPeriodic = boundary === 'periodic' ? 1 : 0;
  const integers: Record<string, number> = { periodic: isPeriodic, godunov: isGodunov };
  const floats: Record<string, number> = { dt, dtNu: dt * nu, alpha: lip };
  grid.shape.forEach((n, k) => {
    integers[`n${k}`] = n;
    floats[`invH${k}`] = 1 / grid.spacing[k];
    floats[`invH${k}sq`] = 1 / (grid.spacing[k] * grid.spacing[k]);
  });
  const body = [hjStep1d, hjStep2d, hjStep3d][grid.ndim - 1];
  const name = `hjStep${grid.ndim}d[${scheme},${boundary},${nu > 0 ? 'viscous' : 'inviscid'}]`;
  return { spec: { name, body, output: extentOf(grid.shape), integers, floats }, dt, perSnapshot, snapshots, t: opts.t };
}

function assemble(f: GridFunction, plan: HJStepPlan, states: Float32Array[], backend: ResolvedBackend): GpuSolveHJResult {
  const snaps = states.map((s, j) => ({ t: (plan.t * (j + 1)) / plan.snapshots, u: new GridFunction(f.grid, Float64Array.from(s)) }));
  return { u: snaps[snaps.length - 1].u, snapshots: snaps, steps: plan.perSnapshot * plan.snapshots, dt: plan.dt, backend };
}

/**
 * Solves u_t = −½|∇u|² + (1/2β)Δu, u(·,0) = f, up to time t by forward Euler with a monotone
 * numerical Hamiltonian, in float32 on a synchronous gpu.js backend ('webasm' or 'gpujs-cpu'):
 * the state stays in gpu.js buffers between steps; snapshots are copied out only at the requested
 * times. Accuracy: the float64 scheme's plus float32 rounding, ≲ 10·n·2⁻²⁴·max|f| after n steps.
 * @param f - initial data on a 1-, 2- or 3-D grid
 * @param opts - see {@link GpuSolveHJOptions}; `backend` must be 'webasm' or 'gpujs-cpu' here
 * @returns u(·, t), the snapshots, the step count and dt, and the backend that ran
 * @throws RangeError for invalid options, 'gpu' / 'webgpu' (use {@link gpuSolveHJAsync}), or a grid over the buffer limit
 * @example const { u } = gpuSolveHJ(grid.sample((x) => x * x / 2), { t: 0.5, backend: 'webasm' });
 */
export function gpuSolveHJ(f: GridFunction, opts: GpuSolveHJOptions): GpuSolveHJResult {
  const fn = 'solveHJ';
  const backend = resolveBackendSync(fn, opts.backend ?? 'webasm', 'solveHJAsync');
  const plan = planHJSteps(fn, f, opts);
  assertFitsBuffers(fn, f.grid.size, backend.mode, null);
  const engine = opts.engine ?? new GpuEngine(backend.mode);
  try {
    const kernel = engine.kernel(plan.spec);
    let state: unknown = asKernelInput(toFloat32(f.data), plan.spec.output);
    const states: Float32Array[] = [];
    for (let s = 0; s < plan.snapshots; s++) {
      for (let n = 0; n < plan.perSnapshot; n++) state = engine.runSync(kernel, state);
      const copy = new Float32Array(f.grid.size);
      flattenInto(state, copy);
      states.push(copy);
    }
    return assemble(f, plan, states, backend);
  } finally {
    if (!opts.engine) engine.destroy();
  }
}

/** Longest chain of steps recorded into one pipeline plan (the plan unrolls its loop at trace time). */
const MAX_UNROLL = 2048;

/**
 * As {@link gpuSolveHJ}, on any gpu.js backend including WebGPU ('gpu' = hardware WebGPU, else
 * webasm with `backend.notice` saying so). The whole run is one `createPipeline` plan (chunks of
 * at most 2048 steps): no readback between steps, one readback per snapshot.
 * @throws RangeError as gpuSolveHJ, or when the backend is not available (naming those that are)
 * @example const { u } = await gpuSolveHJAsync(f, { t: 0.5, backend: 'gpu' });
 */
export async function gpuSolveHJAsync(f: GridFunction, opts: GpuSolveHJOptions): Promise<GpuSolveHJResult> {
  const fn = 'solveHJAsync';
  const plan = planHJSteps(fn, f, opts);
  const backend = await resolveBackend(fn, opts.backend ?? GPU_SOLVE_HJ_DEFAULTS.backend);
  assertFitsBuffers(fn, f.grid.size, backend.mode, backend.adapter);
  const engine = opts.engine?.mode === backend.mode ? opts.engine : new GpuEngine(backend.mode);
  try {
    const states = await runStepper(engine, engine.kernel(plan.spec), toFloat32(f.data), plan.spec.output, plan.perSnapshot, plan.snapshots);
    return assemble(f, plan, states, backend);
  } finally {
    if (engine !== opts.engine) engine.destroy();
  }
}

/**
 * Applies `kernel` perSnapshot × snapshots times through pipeline plans and returns the state after
 * each group of perSnapshot steps. `fixed` (optional) is a second argument passed to every step.
 */
export async function runStepper(engine: GpuEngine, kernel: BuiltKernel, initial: Float32Array, extent: number[],
  perSnapshot: number, snapshots: number, fixed?: Float32Array): Promise<Float32Array[]> {
  const extra = fixed ? [asKernelInput(fixed, extent)] : [];
  const read = (r: unknown): Float32Array => { const out = new Float32Array(initial.length); flattenInto(r, out); return out; };
  const total = perSnapshot * snapshots;
  if (total <= MAX_UNROLL) {
    const plan = engine.stepper(kernel, total, perSnapshot, fixed ? 1 : 0);
    return (await plan(asKernelInput(initial, extent), ...extra)).map(read);
  }
  const states: Float32Array[] = [];
  let state = initial;
  for (let s = 0; s < snapshots; s++) {
    let left = perSnapshot;
    while (left > 0) {
      const chunk = Math.min(left, MAX_UNROLL);
      const plan = engine.stepper(kernel, chunk, chunk, fixed ? 1 : 0);
      state = read((await plan(asKernelInput(state, extent), ...extra))[0]);
      left -= chunk;
    }
    states.push(state);
  }
  return states;
}
