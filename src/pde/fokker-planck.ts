/**
 * Fokker–Planck density evolution ρ_s = ∇·(ρ∇u) + νΔρ on a 1-, 2- or 3-D grid: particles drift
 * along −∇u with diffusivity ν. With u from HJ snapshots (interpolated linearly in time, visited from
 * u(·,T) back to u(·,0)) this is the controlled process of the paper's stochastic-control section
 * (paper-notes §3.10, Figure 1 step 5).
 *
 * Finite volumes: each grid point owns a cell of volume Π h_k; the flux through the face between
 * neighbours i and i+1 on axis k is F = v⁺ρ_i + v⁻ρ_{i+1} − ν(ρ_{i+1} − ρ_i)/h_k with face velocity
 * v = −(u_{i+1} − u_i)/h_k, v± its positive/negative part (donor cell), and F = 0 on the box faces.
 * Each face flux leaves one cell and enters its neighbour, so mass Σ ρ Π h_k is conserved to
 * round-off. The update ρ_i' = ρ_i − (dt/h_k)(F_out − F_in) equals (1 − dt·r_i)ρ_i + (non-negative
 * neighbour terms) with r_i = Σ_k [(v⁺ on i's upper face) + (−v⁻ on its lower face)]/h_k + Σ_k 2ν/h_k²
 * (boundary faces excluded), so ρ stays ≥ 0 whenever dt·max_i r_i ≤ 1 (no renormalisation).
 */
import { GridFunction } from '../grids/grid-function.js';
import type { BackendName } from '../gpu/backend-name.js';
import { resolveFokkerPlanck } from './fokker-planck-options.js';
import { gpuFokkerPlanckFor } from '../gpu/dispatch-fokker-planck.js';

/** A velocity source: a fixed potential u, or HJ snapshots {t, u} (any order, distinct times). */
export type VelocitySource = GridFunction | readonly { t: number; u: GridFunction }[];

/** Options of {@link fokkerPlanck}. */
export interface FokkerPlanckOptions {
  /** u: fixed, or snapshots interpolated linearly in t, visited from the largest t to the smallest over [0, T]. */
  velocityFrom: VelocitySource;
  /** Diffusivity ν ≥ 0 (the paper's fp; the Gibbs density is ∝ e^{−u/ν}). */
  nu: number;
  /** Duration of the density evolution, finite and > 0. */
  T: number;
  /** Only 'zero-flux' (no mass crosses the box faces). @defaultValue 'zero-flux' */
  boundary?: 'zero-flux';
  /** Fraction of the positivity limit used as time step, in (0, 1]. @defaultValue 0.9 */
  cfl?: number;
  /** Number of evenly spaced outputs s = T·j/n, j = 1…n. @defaultValue 0 */
  snapshots?: number;
  /** Compute backend; 'webasm' / 'gpujs-cpu' replay this step sequence in float32 gpu.js kernels; 'gpu' / 'webgpu' need fokkerPlanckAsync (src/gpu). @defaultValue 'cpu' */
  backend?: BackendName;
}

/** Result of {@link fokkerPlanck}. */
export interface FokkerPlanckResult {
  /** ρ(·, T). */
  rho: GridFunction;
  /** ρ at s = T·j/n, hit exactly. */
  snapshots: { s: number; rho: GridFunction }[];
  steps: number;
  /** Σ ρ Π h_k at s = 0 and at s = T. */
  massInitial: number;
  massFinal: number;
}

/**
 * Evolves ρ_s = ∇·(ρ∇u) + νΔρ from ρ0 over s ∈ [0, T] with the conservative donor-cell scheme above
 * and zero-flux box faces. dt = cfl / max_i r_i, recomputed whenever u changes. Mass is conserved to
 * round-off and ρ ≥ 0 exactly; the stationary state for a fixed u approximates e^{−u/ν} at first
 * order in h (the donor cell replaces e^{−Δu/ν} by 1/(1 + Δu/ν) on each face).
 * @param rho0 - initial density, finite and ≥ 0, on a 1-, 2- or 3-D grid
 * @param options - see {@link FokkerPlanckOptions}
 * @throws RangeError for a negative or non-finite ρ0, ν < 0, T ≤ 0, cfl ∉ (0, 1], snapshots of u
 *   on another grid, repeated snapshot times, or an unknown boundary
 * @example const { rho } = fokkerPlanck(rho0, { velocityFrom: u, nu: 0.1, T: 10 });
 */
export function fokkerPlanck(rho0: GridFunction, options: FokkerPlanckOptions): FokkerPlanckResult {
  const fn = 'fokkerPlanck';
  if (options?.backend !== undefined && options.backend !== 'cpu') return gpuFokkerPlanckFor(rho0, options); // float32 on gpu.js (src/gpu/dispatch-fokker-planck.ts)
  const { frames, nu, T, cfl, count } = resolveFokkerPlanck(fn, rho0, options);
  const { grid } = rho0;

  const N = grid.size, d = grid.ndim;
  const n = [1, 1, 1], stride = [0, 0, 1], invH = [0, 0, 0];
  for (let k = 0; k < d; k++) { n[3 - d + k] = grid.shape[k]; invH[3 - d + k] = 1 / grid.spacing[k]; }
  stride[1] = n[2]; stride[0] = n[1] * n[2];
  let cell = 1;
  for (const h of grid.spacing) cell *= h;
  const velocity = [new Float64Array(N), new Float64Array(N), new Float64Array(N)]; // face i+½ at index i
  const u = new Float64Array(N), rate = new Float64Array(N), delta = new Float64Array(N);
  const rho = rho0.data.slice();
  const massOf = (r: Float64Array) => { let s = 0; for (let p = 0; p < N; p++) s += r[p]; return s * cell; };

  /** Face velocities from u and the positivity rate max_i r_i. */
  const prepare = (): number => {
    rate.fill(0);
    for (let k = 3 - d; k < 3; k++) {
      const s = stride[k], ih = invH[k], v = velocity[k], diffusion = 2 * nu * ih * ih;
      for (let p = 0; p < N; p++) {
        rate[p] += diffusion;
        const i = Math.floor(p / s) % n[k];
        if (i === n[k] - 1) { v[p] = 0; continue; }
        const face = -(u[p + s] - u[p]) * ih;
        v[p] = face;
        if (face > 0) rate[p] += face * ih; else rate[p + s] -= face * ih;
      }
    }
    let m = 0;
    for (let p = 0; p < N; p++) if (rate[p] > m) m = rate[p];
    return m;
  };

  const targets = Array.from({ length: count }, (_, j) => (j === count - 1 ? T : (T * (j + 1)) / count));
  if (targets.length === 0 || targets[targets.length - 1] !== T) targets.push(T);
  const snapshots: { s: number; rho: GridFunction }[] = [];
  const massInitial = massOf(rho);
  let s = 0, steps = 0, maxRate = 0, frameAt = NaN;
  for (const target of targets) {
    while (s < target) {
      const tau = frames.length === 1 ? frames[0].t : frames[frames.length - 1].t - ((frames[frames.length - 1].t - frames[0].t) * s) / T;
      if (tau !== frameAt) { interpolateFrames(frames, tau, u); maxRate = prepare(); frameAt = tau; }
      const remaining = target - s, dtStep = maxRate > 0 ? cfl / maxRate : remaining;
      const dt = remaining <= dtStep ? remaining : remaining < 2 * dtStep ? remaining / 2 : dtStep;
      delta.fill(0);
      for (let k = 3 - d; k < 3; k++) {
        const st = stride[k], ih = invH[k], v = velocity[k], diff = nu * ih;
        for (let p = 0; p < N; p++) {
          if (Math.floor(p / st) % n[k] === n[k] - 1) continue;
          const face = v[p], left = rho[p], right = rho[p + st];
          const flux = ((face > 0 ? face * left : face * right) - diff * (right - left)) * ih;
          delta[p] -= flux;
          delta[p + st] += flux;
        }
      }
      for (let p = 0; p < N; p++) rho[p] += dt * delta[p];
      s = dt === remaining ? target : s + dt;
      steps++;
    }
    if (count > 0) snapshots.push({ s: target, rho: new GridFunction(grid, rho.slice()) });
  }
  const result = new GridFunction(grid, rho);
  return { rho: result, snapshots, steps, massInitial, massFinal: massOf(result.data) };
}

/** u = linear interpolation in t of the sorted frames at time tau (clamped to the frame range). */
function interpolateFrames(frames: { t: number; u: Float64Array }[], tau: number, out: Float64Array): void {
  let i = 0;
  while (i < frames.length - 2 && frames[i + 1].t < tau) i++;
  if (frames.length === 1) { out.set(frames[0].u); return; }
  const a = frames[i], b = frames[i + 1];
  const theta = Math.min(1, Math.max(0, (tau - a.t) / (b.t - a.t)));
  for (let p = 0; p < out.length; p++) out[p] = (1 - theta) * a.u[p] + theta * b.u[p];
}
