/**
 * The HJB equation of controlled SGD in 1-D (paper-notes §3.10, claims T11–T12), solved backward on a
 * grid. Controlled process dx = −k·f′(x) ds − α ds + σ dW with σ² = 1/β and k ∈ {1 ('gradient'),
 * 0 ('none')}, cost E[f(x(T)) + ½∫|α|²]. The value function solves
 *   −u_s = −k f′ u_x − ½u_x² + (σ²/2) u_xx,  u(·,T) = f,
 * and the optimal feedback is α*(x,s) = u_x(x,s). In reversed time τ = T − s, w(·,τ) = u(·,T−τ):
 *   w_τ + H(x, w_x) = (σ²/2) w_xx,  H(x,p) = k f′p + ½p² = ½(p + k f′)² − ½(k f′)².
 * H is convex in p with minimum at p* = −k f′, so the Godunov flux is
 *   H_G(a, b) = ½ max(max(a − p*, 0)², min(b − p*, 0)²) − ½(k f′)²   (a = D⁻w, b = D⁺w),
 * with the centred second difference for the diffusion and forward Euler at the monotone step
 *   Δτ = cfl / (max(|a − p*|, |b − p*|)/h + σ²/h²)  (each update coefficient stays ≥ 0).
 * Neumann ghosts (edge value) at both ends. With k = 0 this is exactly the viscous HJ equation, so
 * w(·,τ) = f_τ, the local entropy at time τ, and α* = ∇f_{T−s}: scoping (T12).
 */
import { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../../util/validate.js';

/** Whether the controlled process keeps SGD's drift −f′ ('gradient') or not ('none', the scoping corollary). */
export type ControlDrift = 'gradient' | 'none';

/** Options of {@link solveControlHJB}. */
export interface ControlHJBOptions {
  /** Horizon T > 0. */
  horizon: number;
  /** Inverse temperature β > 0 (σ² = 1/β). */
  beta: number;
  /** @defaultValue 'gradient' */
  drift?: ControlDrift;
  /** Number of equal snapshot intervals in [0, T] (snapshots + 1 stored). @defaultValue 100 */
  snapshots?: number;
  /** Fraction of the monotone step, in (0, 1]. @defaultValue 0.9 */
  cfl?: number;
  /** f′ on the grid; default: centred differences of f (one-sided at the ends). */
  fPrime?: GridFunction;
}

/** Defaults of {@link solveControlHJB}. */
export const CONTROL_HJB_DEFAULTS = { drift: 'gradient', snapshots: 100, cfl: 0.9 } as const;

/** The value function on a space–time grid, with the optimal feedback control. */
export interface ControlHJBSolution {
  /** Snapshot times s_j = j·T/snapshots (forward time). */
  times: Float64Array;
  /** u(·, s_j) for each snapshot. */
  values: GridFunction[];
  /** u_x(·, s_j) = α*(·, s_j) (centred differences, zero at the Neumann ends). */
  controls: GridFunction[];
  /** Forward-Euler steps taken. */
  steps: number;
  /** u(x, s) by linear interpolation in x and s. */
  value(x: number, s: number): number;
  /** α*(x, s) = u_x(x, s) by linear interpolation in x and s (x clamped to the box). */
  control(x: number, s: number): number;
}

/**
 * Solves the HJB of controlled SGD backward from u(·,T) = f on a 1-D grid with the monotone Godunov
 * scheme above (first order in h; converges to the viscosity solution by Barles–Souganidis).
 * Cost O(N·steps) with steps ≈ T·(max|p − p*|/h + σ²/h²)/cfl.
 * @param f - terminal cost samples on a 1-D grid
 * @param options - {@link ControlHJBOptions}
 * @returns a {@link ControlHJBSolution}
 * @throws TypeError if f is not a GridFunction; RangeError for a grid that is not 1-D, missing or
 *   non-positive horizon or β, a bad cfl or snapshot count, an unknown drift, or a blow-up (step named)
 * @example solveControlHJB(Grid.uniform([[-4, 4]], [401]).sample('x^2/2'), { horizon: 1, beta: 4 }).value(0, 0)
 */
export function solveControlHJB(f: GridFunction, options: ControlHJBOptions): ControlHJBSolution {
  const fn = 'solveControlHJB';
  mustBeType(fn, 'f', f, f instanceof GridFunction, 'a GridFunction');
  mustBe(fn, 'f', f.grid.toString(), f.grid.ndim === 1, 'on a 1-D grid');
  const T = options?.horizon, beta = options?.beta;
  mustBePositive(fn, 'horizon', T);
  mustBePositive(fn, 'beta', beta);
  const drift = options.drift ?? CONTROL_HJB_DEFAULTS.drift;
  const snapshots = options.snapshots ?? CONTROL_HJB_DEFAULTS.snapshots;
  const cfl = options.cfl ?? CONTROL_HJB_DEFAULTS.cfl;
  mustBe(fn, 'drift', drift, drift === 'gradient' || drift === 'none', "'gradient' | 'none'");
  mustBeInteger(fn, 'snapshots', snapshots, 1);
  mustBe(fn, 'cfl', cfl, cfl > 0 && cfl <= 1, 'in (0, 1]');
  const grid = f.grid, n = grid.size, h = grid.spacing[0], diffusion = 0.5 / beta;
  const pStar = new Float64Array(n); // p* = −k f′
  if (drift === 'gradient') {
    const fp = options.fPrime ?? centredDerivative(f);
    mustBeType(fn, 'fPrime', fp, fp instanceof GridFunction, 'a GridFunction');
    mustBe(fn, 'fPrime', fp.grid.toString(), fp.grid.equals(grid), `on the grid of f (${grid.toString()})`);
    for (let i = 0; i < n; i++) pStar[i] = -fp.data[i];
  }
  let w = f.data.slice(), next = new Float64Array(n);
  const values: GridFunction[] = new Array(snapshots + 1), controls: GridFunction[] = new Array(snapshots + 1);
  const store = (j: number): void => { values[j] = new GridFunction(grid, w.slice()); controls[j] = new GridFunction(grid, derivativeNeumann(w, h)); };
  store(snapshots); // τ = 0 is s = T
  let tau = 0, steps = 0;
  for (let j = snapshots - 1; j >= 0; j--) {
    const tauTarget = ((snapshots - j) * T) / snapshots;
    while (tau < tauTarget) {
      let speed = 0;
      for (let i = 0; i < n; i++) {
        const a = (w[i] - w[i > 0 ? i - 1 : 0]) / h - pStar[i], b = (w[i < n - 1 ? i + 1 : n - 1] - w[i]) / h - pStar[i];
        speed = Math.max(speed, Math.abs(a), Math.abs(b));
      }
      const dtMax = cfl / (speed / h + (2 * diffusion) / (h * h));
      const dt = Math.min(dtMax, tauTarget - tau);
      for (let i = 0; i < n; i++) {
        const left = w[i > 0 ? i - 1 : 0], right = w[i < n - 1 ? i + 1 : n - 1];
        const a = (w[i] - left) / h - pStar[i], b = (right - w[i]) / h - pStar[i];
        const up = a > 0 ? a : 0, down = b < 0 ? b : 0;
        const hamiltonian = 0.5 * Math.max(up * up, down * down) - 0.5 * pStar[i] * pStar[i];
        next[i] = w[i] - dt * hamiltonian + (dt * diffusion * (left - 2 * w[i] + right)) / (h * h);
      }
      [w, next] = [next, w];
      tau = dt === tauTarget - tau ? tauTarget : tau + dt;
      steps++;
      if (!Number.isFinite(w[0]) || !Number.isFinite(w[n - 1])) throw new RangeError(`${fn}: the solution became non-finite at step ${steps} (τ = ${tau}).`);
    }
    store(j);
  }
  const times = new Float64Array(snapshots + 1);
  for (let j = 0; j <= snapshots; j++) times[j] = (j * T) / snapshots;
  const lower = grid.lower[0], upper = grid.upper[0];
  const sample = (fields: GridFunction[], x: number, s: number): number => {
    const xc = Math.min(upper, Math.max(lower, x));
    const sc = Math.min(T, Math.max(0, s)) / T * snapshots;
    const j = Math.min(snapshots - 1, Math.floor(sc)), frac = sc - j;
    const ix = Math.min(n - 2, Math.floor((xc - lower) / h)), fx = (xc - lower) / h - ix;
    const a = fields[j].data, b = fields[j + 1].data;
    const va = a[ix] + fx * (a[ix + 1] - a[ix]), vb = b[ix] + fx * (b[ix + 1] - b[ix]);
    return va + frac * (vb - va);
  };
  return {
    times, values, controls, steps,
    value: (x, s) => sample(values, x, s),
    control: (x, s) => sample(controls, x, s),
  };
}

/** Centred derivative with one-sided differences at the ends (second order inside, first at the ends). */
function centredDerivative(f: GridFunction): GridFunction {
  const d = f.data, n = d.length, h = f.grid.spacing[0], out = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) out[i] = (d[i + 1] - d[i - 1]) / (2 * h);
  out[0] = (d[1] - d[0]) / h; out[n - 1] = (d[n - 1] - d[n - 2]) / h;
  return new GridFunction(f.grid, out);
}

/** Centred derivative with Neumann ghosts (zero at the ends), matching the scheme's boundary. */
function derivativeNeumann(w: Float64Array, h: number): Float64Array {
  const n = w.length, out = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) out[i] = (w[i + 1] - w[i - 1]) / (2 * h);
  return out;
}
