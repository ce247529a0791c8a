/**
 * Validation of fokkerPlanck's arguments, shared by the float64 solver (fokker-planck.ts) and its
 * gpu.js twin (src/gpu/dispatch-fokker-planck.ts), so both accept and refuse exactly the same input.
 */
import { GridFunction } from '../grids/grid-function.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../util/validate.js';
import type { FokkerPlanckOptions, VelocitySource } from './fokker-planck.js';

/** One potential snapshot u(·, t), sorted by t. */
export interface VelocityFrame { t: number; u: Float64Array }

/** fokkerPlanck's options after validation and defaults. */
export interface ResolvedFokkerPlanck { frames: VelocityFrame[]; nu: number; T: number; cfl: number; count: number }

/** Default CFL factor of the positivity condition dt·max_i r_i ≤ 1. */
export const FOKKER_PLANCK_CFL = 0.9;

/**
 * Checks ρ0 (finite, ≥ 0, 1-D…3-D), ν ≥ 0, T > 0, cfl ∈ (0, 1], the boundary ('zero-flux') and the
 * snapshot count, and turns `velocityFrom` into time-sorted frames on ρ0's grid.
 * @throws RangeError / TypeError with the message of the public entry `fn`
 */
export function resolveFokkerPlanck(fn: string, rho0: GridFunction, options: FokkerPlanckOptions): ResolvedFokkerPlanck {
  mustBeType(fn, 'rho0', rho0, rho0 instanceof GridFunction, 'a GridFunction');
  const { grid } = rho0;
  mustBe(fn, 'rho0', `${grid.ndim} axes`, grid.ndim <= 3, 'on a 1-D, 2-D or 3-D grid');
  for (let p = 0; p < grid.size; p++) {
    const v = rho0.data[p];
    if (!(v >= 0 && v < Infinity)) mustBe(fn, 'rho0', v, false, `finite and ≥ 0 everywhere (at grid point [${grid.multiIndex(p).join(', ')}])`);
  }
  const { nu, T } = options;
  mustBe(fn, 'nu', nu, typeof nu === 'number' && nu >= 0 && Number.isFinite(nu), 'finite and ≥ 0');
  mustBePositive(fn, 'T', T);
  const cfl = options.cfl ?? FOKKER_PLANCK_CFL;
  mustBe(fn, 'cfl', cfl, typeof cfl === 'number' && cfl > 0 && cfl <= 1, 'in (0, 1]');
  mustBe(fn, 'boundary', options.boundary, options.boundary === undefined || options.boundary === 'zero-flux', `'zero-flux'`);
  const count = options.snapshots ?? 0;
  mustBeInteger(fn, 'snapshots', count, 0);
  return { frames: velocityFrames(fn, options.velocityFrom, rho0), nu, T, cfl, count };
}

function velocityFrames(fn: string, source: VelocitySource, rho0: GridFunction): VelocityFrame[] {
  if (source instanceof GridFunction) {
    rho0.requireSameGrid(fn, source);
    return [{ t: 0, u: source.data }];
  }
  mustBeType(fn, 'velocityFrom', source, Array.isArray(source) && source.length > 0, 'a GridFunction or a non-empty array of {t, u} snapshots');
  const frames = source.map((frame, i) => {
    mustBeType(fn, `velocityFrom[${i}].u`, frame?.u, frame?.u instanceof GridFunction, 'a GridFunction');
    mustBe(fn, `velocityFrom[${i}].t`, frame.t, Number.isFinite(frame.t), 'a finite time');
    rho0.requireSameGrid(fn, frame.u);
    return { t: frame.t, u: frame.u.data };
  }).sort((a, b) => a.t - b.t);
  for (let i = 1; i < frames.length; i++) mustBe(fn, 'velocityFrom', frames[i].t, frames[i].t > frames[i - 1].t, 'snapshots with distinct times');
  return frames;
}
