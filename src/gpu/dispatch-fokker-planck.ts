/**
 * fokkerPlanck (src/pde) on a gpu.js backend. The float64 solver's step sequence is replayed on the
 * host exactly (its dt = cfl / max_i r_i from the current u, its end-of-interval splitting, u from
 * the snapshots interpolated linearly in time, visited from the largest t back to the smallest), and
 * each step runs as one float32 kernel that interpolates between the two bracketing snapshots on the
 * device (θ and dt passed at run time). So the two agree up to float32 rounding. Host work per step
 * is O(size) when u changes (the rate bound, as in the float64 solver) — with a fixed u, only once.
 */
import { GridFunction } from '../grids/grid-function.js';
import type { FokkerPlanckOptions, FokkerPlanckResult } from '../pde/fokker-planck.js';
import { resolveFokkerPlanck, type ResolvedFokkerPlanck, type VelocityFrame } from '../pde/fokker-planck-options.js';
import { resolveBackend, resolveBackendSync, type ResolvedBackend } from './backends.js';
import { driveAsync, driveSync, type KernelPlan } from './drive.js';
import { GpuEngine, asKernelInput, flattenInto } from './engine.js';
import { fokkerPlanckMixStep } from './kernels/fokker-planck.js';
import { assertFitsBuffers, paddedExtent } from './layout.js';

/**
 * The float64 solver's positivity rate max_i r_i for the potential u (same loop order, so the same
 * dt bit for bit): r_i = Σ_k [2ν/h_k² + (v⁺ on i's upper face + (−v⁻) on its lower face)/h_k].
 */
function maxRate(u: Float64Array, n: number[], stride: number[], invH: number[], d: number, nu: number, rate: Float64Array): number {
  rate.fill(0);
  const N = u.length;
  for (let k = 3 - d; k < 3; k++) {
    const s = stride[k], ih = invH[k], diffusion = 2 * nu * ih * ih;
    for (let p = 0; p < N; p++) {
      rate[p] += diffusion;
      if (Math.floor(p / s) % n[k] === n[k] - 1) continue;
      const face = -(u[p + s] - u[p]) * ih;
      if (face > 0) rate[p] += face * ih; else rate[p + s] -= face * ih;
    }
  }
  let m = 0;
  for (let p = 0; p < N; p++) if (rate[p] > m) m = rate[p];
  return m;
}

/** The bracketing frames and weight of the float64 solver's linear interpolation at tau (clamped). */
function bracket(frames: VelocityFrame[], tau: number): { i: number; theta: number } {
  if (frames.length === 1) return { i: 0, theta: 0 };
  let i = 0;
  while (i < frames.length - 2 && frames[i + 1].t < tau) i++;
  return { i, theta: Math.min(1, Math.max(0, (tau - frames[i].t) / (frames[i + 1].t - frames[i].t))) };
}

interface PlanOutput { rho: Float32Array; snapshots: { s: number; rho: Float32Array }[]; steps: number }

function* fokkerPlanckPlan(engine: GpuEngine, rho0: GridFunction, c: ResolvedFokkerPlanck): KernelPlan<PlanOutput> {
  const { grid } = rho0;
  const N = grid.size, d = grid.ndim, { frames, T, cfl, nu } = c;
  const n = [1, 1, 1], stride = [0, 0, 1], invH = [0, 0, 0];
  for (let k = 0; k < d; k++) { n[3 - d + k] = grid.shape[k]; invH[3 - d + k] = 1 / grid.spacing[k]; }
  stride[1] = n[2]; stride[0] = n[1] * n[2];
  const extent = paddedExtent(grid.shape);
  const kernel = engine.kernel({
    name: `fokkerPlanckMixStep[${d}d]`, body: fokkerPlanckMixStep, output: extent,
    integers: { n0: n[0], n1: n[1], n2: n[2] }, floats: { invH0: invH[0], invH1: invH[1], invH2: invH[2], nu },
  });
  // Each frame shifted by its own minimum before rounding to float32: the velocity sees only
  // differences, the shifts interpolate to a constant, and |u| ≤ osc(u) keeps the rounding of v small.
  const device = frames.map((frame) => {
    let lo = Infinity;
    for (let p = 0; p < N; p++) if (frame.u[p] < lo) lo = frame.u[p];
    const out = new Float32Array(N);
    for (let p = 0; p < N; p++) out[p] = frame.u[p] - lo;
    return asKernelInput(out, extent);
  });
  const u = new Float64Array(N), rate = new Float64Array(N), params = new Float32Array(2);
  let rho = Float32Array.from(rho0.data);
  const targets = Array.from({ length: c.count }, (_, j) => (j === c.count - 1 ? T : (T * (j + 1)) / c.count));
  if (targets.length === 0 || targets[targets.length - 1] !== T) targets.push(T);
  const snapshots: { s: number; rho: Float32Array }[] = [];
  let s = 0, steps = 0, rateMax = 0, frameAt = NaN, at = { i: 0, theta: 0 };
  for (const target of targets) {
    while (s < target) {
      const last = frames[frames.length - 1];
      const tau = frames.length === 1 ? frames[0].t : last.t - ((last.t - frames[0].t) * s) / T;
      if (tau !== frameAt) {
        at = bracket(frames, tau);
        if (frames.length === 1) u.set(frames[0].u);
        else { const a = frames[at.i].u, b = frames[at.i + 1].u; for (let p = 0; p < N; p++) u[p] = (1 - at.theta) * a[p] + at.theta * b[p]; }
        rateMax = maxRate(u, n, stride, invH, d, nu, rate);
        frameAt = tau;
      }
      const remaining = target - s, dtStep = rateMax > 0 ? cfl / rateMax : remaining;
      const dt = remaining <= dtStep ? remaining : remaining < 2 * dtStep ? remaining / 2 : dtStep;
      params[0] = at.theta; params[1] = dt;
      const next = new Float32Array(N);
      flattenInto(yield [kernel, [asKernelInput(rho, extent), device[at.i], device[Math.min(at.i + 1, frames.length - 1)], asKernelInput(params.slice(), [2])]], next);
      rho = next;
      s = dt === remaining ? target : s + dt;
      steps++;
    }
    if (c.count > 0) snapshots.push({ s: target, rho });
  }
  return { rho, snapshots, steps };
}

function toResult(rho0: GridFunction, out: PlanOutput, backend: ResolvedBackend): FokkerPlanckResult & { backend: ResolvedBackend } {
  const { grid } = rho0;
  let cell = 1;
  for (const h of grid.spacing) cell *= h;
  const massOf = (r: ArrayLike<number>) => { let m = 0; for (let p = 0; p < r.length; p++) m += r[p]; return m * cell; };
  const rho = new GridFunction(grid, Float64Array.from(out.rho));
  return {
    rho, snapshots: out.snapshots.map((sn) => ({ s: sn.s, rho: new GridFunction(grid, Float64Array.from(sn.rho)) })),
    steps: out.steps, massInitial: massOf(rho0.data), massFinal: massOf(rho.data), backend,
  };
}

/**
 * fokkerPlanck on a synchronous gpu.js backend ('webasm', 'gpujs-cpu'): ρ_s = ∇·(ρ∇u) + νΔρ with
 * the float64 solver's donor-cell scheme, zero-flux faces and step sequence, u fixed or from HJ
 * snapshots interpolated linearly in time, in float32 (mass conserved and ρ ≥ 0 up to rounding).
 * @throws RangeError as fokkerPlanck, or for 'gpu' / 'webgpu' (naming fokkerPlanckAsync)
 * @example const { rho } = gpuFokkerPlanckFor(rho0, { velocityFrom: u, nu: 0.1, T: 1, backend: 'webasm' });
 */
export function gpuFokkerPlanckFor(rho0: GridFunction, options: FokkerPlanckOptions): FokkerPlanckResult & { backend: ResolvedBackend } {
  const fn = 'fokkerPlanck';
  const c = resolveFokkerPlanck(fn, rho0, options);
  const backend = resolveBackendSync(fn, options.backend, 'fokkerPlanckAsync');
  assertFitsBuffers(fn, rho0.grid.size, backend.mode, null);
  const engine = new GpuEngine(backend.mode);
  try {
    return toResult(rho0, driveSync(engine, fokkerPlanckPlan(engine, rho0, c)), backend);
  } finally {
    engine.destroy();
  }
}

/**
 * fokkerPlanck on any gpu.js backend, WebGPU included ('gpu' = hardware WebGPU, else webasm with
 * `backend.notice`). Same scheme as {@link gpuFokkerPlanckFor}; each step reads ρ back (the host
 * replays the float64 step sequence), so for long device-resident runs with a fixed u and a uniform
 * step use gpuFokkerPlanckAsync.
 * @example const { rho } = await fokkerPlanckAsync(rho0, { velocityFrom: snaps, nu: 0.1, T: 1, backend: 'gpu' });
 */
export async function fokkerPlanckAsync(rho0: GridFunction, options: FokkerPlanckOptions): Promise<FokkerPlanckResult & { backend: ResolvedBackend }> {
  const fn = 'fokkerPlanckAsync';
  const c = resolveFokkerPlanck(fn, rho0, options);
  const backend = await resolveBackend(fn, options.backend ?? 'gpu');
  assertFitsBuffers(fn, rho0.grid.size, backend.mode, backend.adapter);
  const engine = new GpuEngine(backend.mode);
  try {
    return toResult(rho0, await driveAsync(engine, fokkerPlanckPlan(engine, rho0, c)), backend);
  } finally {
    engine.destroy();
  }
}
