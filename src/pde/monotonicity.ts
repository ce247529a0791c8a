/**
 * Empirical check of the discrete comparison principle f ≤ g ⇒ S(f) ≤ S(g) for one time step S of
 * an explicit scheme: the property that makes a consistent scheme converge to the viscosity
 * solution (Barles–Souganidis). Random non-negative perturbations g = f + δ·w with sparse support
 * (each point perturbed with probability ½) expose a negative diagonal coefficient, the usual
 * failure when dt exceeds the monotonicity limit.
 */
import { GridFunction } from '../grids/grid-function.js';
import { resolveBoundary, type BoundaryCondition, type BoundaryName } from '../grids/boundary.js';
import { Rng } from '../util/random.js';
import { mustBe, mustBeBeta, mustBeInteger, mustBePositive, mustBeType } from '../util/validate.js';
import { fromPadded, paddedLayout } from './padded-grid.js';
import { type Dissipation, type Hamiltonian, type HJScheme } from './numerical-hamiltonian.js';
import { eulerStep, hjOperator, loadState, monotoneRate, sspRk2Step, type TimeIntegrator } from './time-step.js';

/** A one-step map S: writes S(u) with time step dt into `out` (same grid). */
export type StepFunction = (u: GridFunction, out: GridFunction, dt: number) => void;

/** A scheme of {@link solveHJ}, described by its options. */
export interface SchemeSpec {
  scheme?: HJScheme; beta?: number; boundary?: BoundaryCondition | BoundaryName; dissipation?: Dissipation;
  hamiltonian?: Hamiltonian; timeIntegrator?: TimeIntegrator;
  /** Fraction of the monotone limit used for the default dt (default 0.9, as solveHJ). */
  cfl?: number;
}

/** Options of {@link checkMonotone}. */
export interface CheckMonotoneOptions {
  /** Time step; default (scheme spec only) cfl × the monotone limit at f. Required with a step function. */
  dt?: number;
  /** Number of random perturbations (default 8). */
  trials?: number;
  /** Seed of the perturbations (default 0). */
  seed?: number;
  /** Perturbation size δ (default 1e-6·(1 + max|f|), small enough to keep the slope bound of f). */
  amplitude?: number;
}

/** Result of {@link checkMonotone}. */
export interface CheckMonotoneResult {
  /** Whether S(f) ≤ S(g) + tolerance held at every point in every trial. */
  monotone: boolean;
  /** The time step tested. */
  dt: number;
  /** Largest S(f) − S(g) seen (> tolerance means a violation). */
  worstDecrease: number;
  /** Round-off allowance 64·ε·(1 + max|S(f)|). */
  tolerance: number;
  /** First violation (trial and grid multi-index), or null. */
  violation: { trial: number; index: number[] } | null;
}

/** Builds S for a scheme spec; global Lax–Friedrichs takes α fixed per trial (it is a parameter of S). */
function schemeStep(f: GridFunction, spec: SchemeSpec): { step: (u: Float64Array, out: Float64Array, dt: number, alphaFrom: Float64Array[]) => void; dtLimit: number } {
  const fn = 'checkMonotone';
  const beta = spec.beta ?? Infinity;
  mustBeBeta(fn, 'beta', beta);
  const hamiltonian = spec.hamiltonian ?? null;
  const scheme = spec.scheme ?? (hamiltonian ? 'lax-friedrichs' : 'godunov');
  mustBe(fn, 'scheme', scheme, scheme === 'godunov' || scheme === 'lax-friedrichs', `'godunov' | 'lax-friedrichs'`);
  const integrator = spec.timeIntegrator ?? 'euler';
  mustBe(fn, 'timeIntegrator', integrator, integrator === 'euler' || integrator === 'ssp-rk2', `'euler' | 'ssp-rk2'`);
  const dissipation = spec.dissipation ?? 'global';
  mustBe(fn, 'dissipation', dissipation, dissipation === 'global' || dissipation === 'local', `'global' | 'local'`);
  const cfl = spec.cfl ?? 0.9;
  mustBe(fn, 'cfl', cfl, typeof cfl === 'number' && cfl > 0 && cfl <= 1, 'in (0, 1]');
  const L = paddedLayout(f.grid, fn);
  const op = hjOperator(L, { scheme, beta, boundary: resolveBoundary(fn, spec.boundary), dissipation, hamiltonian });
  const v = new Float64Array(L.paddedSize), stage = new Float64Array(L.paddedSize), w = new Float64Array(L.paddedSize);
  const bound = new Float64Array(3), slopes = new Float64Array(3), stageSlopes = new Float64Array(3);
  loadState(op, f.data, v, bound);
  const dtLimit = cfl / monotoneRate(op, bound);
  const step = (u: Float64Array, out: Float64Array, dt: number, alphaFrom: Float64Array[]) => {
    bound.fill(0);
    for (const a of alphaFrom) {
      loadState(op, a, v, slopes);
      for (let k = 0; k < 3; k++) if (slopes[k] > bound[k]) bound[k] = slopes[k];
    }
    loadState(op, u, v, slopes);
    if (integrator === 'euler') eulerStep(op, v, w, dt, bound, slopes);
    else sspRk2Step(op, v, stage, w, dt, bound, slopes, stageSlopes);
    fromPadded(L, w, out);
  };
  return { step, dtLimit };
}

/**
 * Tests the discrete comparison principle for one step: for `trials` random g = f + δ·w (w ≥ 0,
 * sparse), checks S(f) ≤ S(g) at every grid point up to round-off. A pass is evidence, not proof;
 * a failure is a proof (with its witness) that S is not monotone at this dt.
 * @param step - a {@link StepFunction}, or a scheme spec (the options of solveHJ that pick the scheme)
 * @param f - the state at which S is tested, finite
 * @param options - dt, trials (default 8), seed (default 0), amplitude
 * @returns whether the principle held, the dt, the worst decrease and the first violation
 * @throws RangeError for a missing dt with a step function, bad trials / seed / amplitude / dt, or bad spec options
 * @example checkMonotone({ scheme: 'godunov', beta: 10 }, f).monotone // true at the CFL dt
 */
export function checkMonotone(step: StepFunction | SchemeSpec, f: GridFunction, options: CheckMonotoneOptions = {}): CheckMonotoneResult {
  const fn = 'checkMonotone';
  mustBeType(fn, 'f', f, f instanceof GridFunction, 'a GridFunction');
  mustBeType(fn, 'step', step, typeof step === 'function' || (step !== null && typeof step === 'object'), 'a step function or a scheme spec');
  const trials = options.trials ?? 8, seed = options.seed ?? 0;
  mustBeInteger(fn, 'trials', trials, 1);
  const fMax = f.normInf();
  mustBe(fn, 'f', fMax, Number.isFinite(fMax), 'finite everywhere');
  const amplitude = options.amplitude ?? 1e-6 * (1 + fMax);
  mustBePositive(fn, 'amplitude', amplitude);
  let apply: (u: Float64Array, out: Float64Array, dt: number, alphaFrom: Float64Array[]) => void;
  let dt: number;
  if (typeof step === 'function') {
    mustBe(fn, 'dt', options.dt, options.dt !== undefined, 'given when step is a function');
    const fIn = new GridFunction(f.grid, new Float64Array(f.grid.size)), fOut = new GridFunction(f.grid, new Float64Array(f.grid.size));
    apply = (u, out, dtStep) => { fIn.data.set(u); step(fIn, fOut, dtStep); out.set(fOut.data); };
    dt = options.dt!;
  } else {
    const built = schemeStep(f, step);
    apply = built.step;
    dt = options.dt ?? built.dtLimit;
  }
  mustBePositive(fn, 'dt', dt);
  const rng = new Rng(seed);
  const n = f.grid.size, g = new Float64Array(n), sf = new Float64Array(n), sg = new Float64Array(n);
  let worstDecrease = -Infinity, tolerance = 0, violation: CheckMonotoneResult['violation'] = null;
  for (let trial = 0; trial < trials; trial++) {
    for (let p = 0; p < n; p++) g[p] = f.data[p] + (rng.uniform() < 0.5 ? amplitude * rng.uniform() : 0);
    apply(f.data, sf, dt, [f.data, g]);
    apply(g, sg, dt, [f.data, g]);
    let scale = 0;
    for (let p = 0; p < n; p++) scale = Math.max(scale, Math.abs(sf[p]));
    // Each output is a sum of O(1)-weighted terms of size ≤ max|S(f)|: 64 ε of that bounds its rounding.
    tolerance = 64 * Number.EPSILON * (1 + scale);
    for (let p = 0; p < n; p++) {
      const decrease = sf[p] - sg[p];
      if (!(decrease <= worstDecrease)) worstDecrease = decrease;
      if (!(decrease <= tolerance) && violation === null) violation = { trial, index: f.grid.multiIndex(p) };
    }
  }
  return { monotone: violation === null, dt, worstDecrease, tolerance, violation };
}
