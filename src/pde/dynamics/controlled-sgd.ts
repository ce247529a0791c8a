/**
 * Monte-Carlo comparison of SGD and controlled SGD in 1-D (paper-notes §3.10, claim T11):
 *   SGD:            dx = −k f′(x) ds + σ dW,
 *   controlled SGD: dx = −k f′(x) ds − α(x, s) ds + σ dW,   σ² = 1/β, k = 1 ('gradient') or 0 ('none'),
 * simulated by Euler–Maruyama with common random numbers (both processes see the same increments,
 * which makes their difference far less noisy than either). The theorem
 *   E f(x_csgd(T)) ≤ E f(x_sgd(T)) − ½ E∫₀ᵀ |α*(x_csgd(s), s)|² ds
 * says that the optimal control's total cost is at most that of α ≡ 0.
 */
import { Rng } from '../../util/random.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../../util/validate.js';
import { makeResult, type CheckResult } from '../regularity/check-result.js';
import type { ControlDrift } from './control-hjb.js';
import { CONFIDENCE_Z, meanEstimate, type MeanEstimate } from './statistics.js';

/** Options of {@link compareControlledSGD}. */
export interface ControlledSGDOptions {
  /** The loss f (terminal cost). */
  f: (x: number) => number;
  /** f′ (used when drift = 'gradient'). */
  fPrime: (x: number) => number;
  /** Feedback control α(x, s), e.g. `solveControlHJB(...).control`. */
  control: (x: number, s: number) => number;
  /** Start point. */
  x0: number;
  /** Horizon T > 0. */
  horizon: number;
  /** Inverse temperature β > 0 (σ² = 1/β). */
  beta: number;
  /** @defaultValue 'gradient' */
  drift?: ControlDrift;
  /** Euler–Maruyama steps. @defaultValue 200 */
  steps?: number;
  /** Monte-Carlo paths. @defaultValue 2000 */
  paths?: number;
  /** Seed. @defaultValue 0 */
  seed?: number;
}

/** Defaults of {@link compareControlledSGD}. */
export const CONTROLLED_SGD_DEFAULTS = { drift: 'gradient', steps: 200, paths: 2000, seed: 0 } as const;

/** Monte-Carlo estimates (mean, standard error, ±4σ interval) of the quantities in the theorem. */
export interface ControlComparison {
  /** f(x_sgd(T)). */
  sgd: MeanEstimate;
  /** f(x_csgd(T)). */
  controlled: MeanEstimate;
  /** ½∫₀ᵀ α(x_csgd(s), s)² ds (left Riemann sum on the Euler grid). */
  controlCost: MeanEstimate;
  /** f(x_csgd(T)) + ½∫α² ds: the cost of the control (= u(x0, 0) for the optimal one). */
  totalCost: MeanEstimate;
  /** f(x_sgd(T)) − f(x_csgd(T)) − ½∫α² ds per path: the theorem says its mean is ≥ 0. */
  advantage: MeanEstimate;
  /** Step Δs used. */
  dt: number;
}

/**
 * Simulates SGD and controlled SGD from x0 with common random numbers.
 * Cost: 2 × paths × steps evaluations of f′ and one of α per step.
 * @param options - {@link ControlledSGDOptions}
 * @returns a {@link ControlComparison}
 * @throws TypeError if f, fPrime or control is not a function; RangeError for bad sizes or parameters
 *   or a non-finite path (named)
 * @example compareControlledSGD({ f, fPrime, control: hjb.control, x0: 2, horizon: 1, beta: 4 }).advantage.mean
 */
export function compareControlledSGD(options: ControlledSGDOptions): ControlComparison {
  const fn = 'compareControlledSGD';
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an options object');
  for (const name of ['f', 'fPrime', 'control'] as const) mustBeType(fn, name, options[name], typeof options[name] === 'function', 'a function');
  mustBe(fn, 'x0', options.x0, Number.isFinite(options.x0), 'a finite number');
  mustBePositive(fn, 'horizon', options.horizon);
  mustBePositive(fn, 'beta', options.beta);
  const drift = options.drift ?? CONTROLLED_SGD_DEFAULTS.drift;
  mustBe(fn, 'drift', drift, drift === 'gradient' || drift === 'none', "'gradient' | 'none'");
  const steps = options.steps ?? CONTROLLED_SGD_DEFAULTS.steps, paths = options.paths ?? CONTROLLED_SGD_DEFAULTS.paths;
  mustBeInteger(fn, 'steps', steps, 1);
  mustBeInteger(fn, 'paths', paths, 2);
  const seed = options.seed ?? CONTROLLED_SGD_DEFAULTS.seed;
  mustBeInteger(fn, 'seed', seed, 0);
  const { f, fPrime, control, x0, horizon, beta } = options;
  const k = drift === 'gradient' ? 1 : 0, dt = horizon / steps, noise = Math.sqrt(dt / beta);
  const fSgd = new Float64Array(paths), fCtl = new Float64Array(paths), cost = new Float64Array(paths);
  const total = new Float64Array(paths), advantage = new Float64Array(paths);
  const root = new Rng(seed);
  for (let path = 0; path < paths; path++) {
    const rng = root.split(path);
    let xs = x0, xc = x0, running = 0;
    for (let n = 0; n < steps; n++) {
      const s = n * dt, dw = noise * rng.normal();
      const alpha = control(xc, s);
      running += 0.5 * alpha * alpha * dt;
      const driftS = k === 1 ? fPrime(xs) : 0, driftC = k === 1 ? fPrime(xc) : 0;
      xs += -dt * driftS + dw;
      xc += -dt * (driftC + alpha) + dw;
    }
    if (!Number.isFinite(xs) || !Number.isFinite(xc) || !Number.isFinite(running)) throw new RangeError(`${fn}: path ${path} became non-finite; reduce the step (steps = ${steps}).`);
    fSgd[path] = f(xs); fCtl[path] = f(xc); cost[path] = running;
    total[path] = fCtl[path] + running;
    advantage[path] = fSgd[path] - total[path];
  }
  return {
    sgd: meanEstimate(fSgd), controlled: meanEstimate(fCtl), controlCost: meanEstimate(cost),
    totalCost: meanEstimate(total), advantage: meanEstimate(advantage), dt,
  };
}

/**
 * The control theorem as a check: measures the mean advantage E[f(x_sgd(T)) − f(x_csgd(T)) − ½∫α²]
 * and compares it with 0 (claim T11). Tolerance z·stdErr (Monte-Carlo, common random numbers); the
 * Euler–Maruyama weak error O(Δs) is not included, so choose Δs so that it is small against the gap.
 * @param comparison - output of {@link compareControlledSGD}
 * @param z - standard errors allowed, default 4
 * @returns a {@link CheckResult} (no `worst` point); details carry every estimate
 * @throws TypeError if comparison is missing its estimates
 * @example checkControlTheorem(compareControlledSGD({ ... })).pass
 */
export function checkControlTheorem(comparison: ControlComparison, z = CONFIDENCE_Z): CheckResult {
  mustBeType('checkControlTheorem', 'comparison', comparison, typeof comparison?.advantage?.mean === 'number', 'the result of compareControlledSGD');
  const a = comparison.advantage;
  return makeResult({
    name: 'controlled-sgd-beats-sgd',
    claim: 'E f(x_csgd(T)) ≤ E f(x_sgd(T)) − ½E∫|α*|² ds (T11)',
    relation: '≥',
    measured: a.mean,
    bound: 0,
    tolerance: { value: z * a.stdErr, reason: `Monte-Carlo ${z}σ/√n with common random numbers (n = ${a.n}); Euler–Maruyama bias O(Δs) not included` },
    worst: null,
    details: {
      sgd: comparison.sgd.mean, controlled: comparison.controlled.mean, controlCost: comparison.controlCost.mean,
      totalCost: comparison.totalCost.mean, totalCostStdErr: comparison.totalCost.stdErr, dt: comparison.dt,
    },
  });
}
