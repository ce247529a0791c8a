/**
 * Fokker–Planck density evolution ρ_s = ∇·(ρ∇u) + νΔρ for a fixed potential u, on a gpu.js
 * backend, float32, with ρ kept on the device between steps.
 */
import { GridFunction } from '../grids/grid-function.js';
import { mustBe, mustBeAllFinite, mustBeInteger, mustBePositive } from '../util/validate.js';
import type { BackendName } from './backend-name.js';
import { resolveBackend, resolveBackendSync, type ResolvedBackend } from './backends.js';
import { GpuEngine, asKernelInput, flattenInto, type KernelSpec } from './engine.js';
import { fokkerPlanckStep } from './kernels/fokker-planck.js';
import { assertFitsBuffers, axisLipschitz, paddedExtent, toFloat32 } from './layout.js';
import { runStepper } from './solve-hj.js';

/** Options of the GPU Fokker–Planck stepper. */
export interface GpuFokkerPlanckOptions {
  /** Final time, finite and > 0. */
  t: number;
  /** Diffusion coefficient ν ≥ 0 (ν = 1/β for the Gibbs density e^{−βu}); default 0. */
  nu?: number;
  /** Fraction of the positivity limit used as time step, in (0, 1]; default 0.9. */
  cfl?: number;
  /** 'neumann' (zero flux, default) or 'periodic'. */
  boundary?: 'neumann' | 'periodic';
  /** Number of equally spaced snapshots read back; default 1. */
  snapshots?: number;
  backend?: BackendName;
  engine?: GpuEngine;
}

/** The density at t, its snapshots, the step count and dt, and the backend that ran. */
export interface GpuFokkerPlanckResult {
  rho: GridFunction;
  snapshots: { t: number; rho: GridFunction }[];
  steps: number;
  dt: number;
  backend: ResolvedBackend;
}

interface FPPlan { spec: KernelSpec; dt: number; perSnapshot: number; snapshots: number }

/**
 * Positivity of the upwind step: the coefficient of ρ_i is 1 − dt·Σ_k (|v|/h_k + 2ν/h_k²) with
 * |v| ≤ max|D_k u|, so dt ≤ cfl / Σ_k (Lip_k(u)/h_k + 2ν/h_k²).
 */
function planFP(fn: string, rho: GridFunction, u: GridFunction, opts: GpuFokkerPlanckOptions): FPPlan {
  mustBePositive(fn, 't', opts.t);
  const nu = opts.nu ?? 0;
  mustBe(fn, 'nu', nu, typeof nu === 'number' && Number.isFinite(nu) && nu >= 0, 'finite and ≥ 0');
  const cfl = opts.cfl ?? 0.9;
  mustBe(fn, 'cfl', cfl, typeof cfl === 'number' && cfl > 0 && cfl <= 1, 'in (0, 1]');
  const boundary = opts.boundary ?? 'neumann';
  mustBe(fn, 'boundary', boundary, boundary === 'neumann' || boundary === 'periodic', "'neumann' | 'periodic'");
  const snapshots = opts.snapshots ?? 1;
  mustBeInteger(fn, 'snapshots', snapshots, 1);
  rho.requireSameGrid(fn, u);
  mustBe(fn, 'rho.grid.ndim', rho.grid.ndim, rho.grid.ndim >= 1 && rho.grid.ndim <= 3, '1, 2 or 3 on a gpu.js backend');
  mustBeAllFinite(fn, 'rho', rho.data);
  mustBeAllFinite(fn, 'u', u.data);
  const { grid } = rho;
  const lip = axisLipschitz(grid, u.data);
  let rate = 0;
  grid.spacing.forEach((h, k) => { rate += lip[k] / h + (2 * nu) / (h * h); });
  const interval = opts.t / snapshots;
  const perSnapshot = rate === 0 ? 1 : Math.max(1, Math.ceil((interval * rate) / cfl));
  const dt = interval / perSnapshot;
  const padded = [1, 1, 1, ...grid.shape].slice(-3);
  const h = [1, 1, 1, ...grid.spacing].slice(-3);
  const spec: KernelSpec = {
    name: `fokkerPlanckStep[${grid.ndim}d,${boundary}]`, body: fokkerPlanckStep, output: paddedExtent(grid.shape),
    integers: { n0: padded[0], n1: padded[1], n2: padded[2], periodic: boundary === 'periodic' ? 1 : 0 },
    floats: { invH0: 1 / h[0], invH1: 1 / h[1], invH2: 1 / h[2], nu, dt },
  };
  return { spec, dt, perSnapshot, snapshots };
}

function assemble(rho: GridFunction, plan: FPPlan, t: number, states: Float32Array[], backend: ResolvedBackend): GpuFokkerPlanckResult {
  const snaps = states.map((s, j) => ({ t: (t * (j + 1)) / plan.snapshots, rho: new GridFunction(rho.grid, Float64Array.from(s)) }));
  return { rho: snaps[snaps.length - 1].rho, snapshots: snaps, steps: plan.perSnapshot * plan.snapshots, dt: plan.dt, backend };
}

/**
 * Evolves a density by ρ_s = ∇·(ρ∇u) + νΔρ (drift −∇u, the paper's controlled process) for a fixed
 * potential u up to time t, with a conservative upwind flux (mass conserved to float32 round-off,
 * ρ ≥ 0 kept by the step bound), in float32 on 'webasm' or 'gpujs-cpu'.
 * @param rho - initial density on a 1-, 2- or 3-D grid, finite
 * @param u - potential on the same grid, finite
 * @throws RangeError for invalid options, different grids, 'gpu' / 'webgpu' (use {@link gpuFokkerPlanckAsync})
 * @example const { rho: r } = gpuFokkerPlanck(rho, u, { t: 0.1, nu: 0.5, backend: 'webasm' });
 */
export function gpuFokkerPlanck(rho: GridFunction, u: GridFunction, opts: GpuFokkerPlanckOptions): GpuFokkerPlanckResult {
  const fn = 'fokkerPlanck';
  const backend = resolveBackendSync(fn, opts.backend ?? 'webasm', 'fokkerPlanckAsync');
  const plan = planFP(fn, rho, u, opts);
  assertFitsBuffers(fn, rho.grid.size, backend.mode, null);
  const engine = opts.engine ?? new GpuEngine(backend.mode);
  try {
    const kernel = engine.kernel(plan.spec);
    const extent = plan.spec.output;
    const potential = asKernelInput(toFloat32(u.data), extent);
    let state: unknown = asKernelInput(toFloat32(rho.data), extent);
    const states: Float32Array[] = [];
    for (let s = 0; s < plan.snapshots; s++) {
      for (let n = 0; n < plan.perSnapshot; n++) state = engine.runSync(kernel, state, potential);
      const copy = new Float32Array(rho.grid.size);
      flattenInto(state, copy);
      states.push(copy);
    }
    return assemble(rho, plan, opts.t, states, backend);
  } finally {
    if (!opts.engine) engine.destroy();
  }
}

/**
 * As {@link gpuFokkerPlanck}, on any gpu.js backend including WebGPU, as one pipeline plan.
 * @throws RangeError as gpuFokkerPlanck, or when the backend is not available (naming those that are)
 * @example const { rho: r } = await gpuFokkerPlanckAsync(rho, u, { t: 0.1, nu: 0.5, backend: 'gpu' });
 */
export async function gpuFokkerPlanckAsync(rho: GridFunction, u: GridFunction, opts: GpuFokkerPlanckOptions): Promise<GpuFokkerPlanckResult> {
  const fn = 'fokkerPlanckAsync';
  const plan = planFP(fn, rho, u, opts);
  const backend = await resolveBackend(fn, opts.backend ?? 'gpu');
  assertFitsBuffers(fn, rho.grid.size, backend.mode, backend.adapter);
  const engine = opts.engine?.mode === backend.mode ? opts.engine : new GpuEngine(backend.mode);
  try {
    const states = await runStepper(engine, engine.kernel(plan.spec), toFloat32(rho.data), plan.spec.output, plan.perSnapshot, plan.snapshots, toFloat32(u.data));
    return assemble(rho, plan, opts.t, states, backend);
  } finally {
    if (engine !== opts.engine) engine.destroy();
  }
}
