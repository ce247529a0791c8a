/**
 * The two-time-scale SDE of Entropy-SGD (paper-notes §3.8, claim T9): slow x, fast y,
 *   dx = −(1/t)(x − y) ds,
 *   dy = −(1/ε)[∇f(y) + (y − x)/t] ds + √(2/(βε)) dW.
 * For fixed x the fast process has invariant density ρ(y; x) ∝ exp(−βf(y) − β|x − y|²/(2t)), so as
 * ε → 0 the slow path tends to the gradient flow dX = −(1/t)(X − ⟨y⟩) ds = −∇f_t(X) ds on the local
 * entropy. Simulated with Leimkuhler–Matthews steps for y (invariant-measure bias O(h²) in the fast
 * step h = Δs/ε, against O(h) for Euler–Maruyama) and explicit Euler for x.
 */
import { Rng } from '../../util/random.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../../util/validate.js';
import { gradientFlow, type GradientField } from './gradient-flow.js';
import { CONFIDENCE_Z } from './statistics.js';

/** Options of {@link simulateEntropySDE}. */
export interface EntropySDEOptions {
  /** ∇f. */
  gradient: GradientField;
  /** Start x(0) = y(0) = x0. */
  x0: number[];
  /** Relaxation time t > 0 (the paper's γ). */
  t: number;
  /** Inverse temperature β > 0. */
  beta: number;
  /** Time-scale ratio ε > 0 (fast/slow). */
  epsilon: number;
  /** Final time S > 0. */
  horizon: number;
  /** Fast step h = Δs/ε; stable for h·(sup‖∇²f‖ + 1/t) < 2. @defaultValue 0.02 */
  fastStep?: number;
  /** Output intervals (outputs + 1 recorded times). @defaultValue 20 */
  outputs?: number;
  /** Independent paths. @defaultValue 200 */
  paths?: number;
  /** Seed. @defaultValue 0 */
  seed?: number;
}

/** Defaults of {@link simulateEntropySDE}. */
export const ENTROPY_SDE_DEFAULTS = { fastStep: 0.02, outputs: 20, paths: 200, seed: 0 } as const;

/** An ensemble of slow paths at the output times. */
export interface PathEnsemble {
  /** Output times s_j = j·horizon/outputs. */
  times: Float64Array;
  /** x of every path at every output time, layout [path][output][axis]. */
  samples: Float64Array;
  /** Mean over paths, layout [output][axis]. */
  mean: Float64Array;
  /** Standard error of the mean, layout [output][axis]. */
  stdErr: Float64Array;
  paths: number;
  dim: number;
  /** Time step Δs and steps per path. */
  dt: number;
  steps: number;
}

/**
 * Simulates `paths` independent copies of the Entropy-SGD SDE and records the slow variable.
 * Cost: paths × horizon/(fastStep·ε) gradient evaluations.
 * @param options - {@link EntropySDEOptions}
 * @returns a {@link PathEnsemble}
 * @throws TypeError if gradient is not a function; RangeError for bad sizes or parameters, or when a
 *   path becomes non-finite (names the step: reduce fastStep)
 * @example simulateEntropySDE({ gradient: (y, g) => { g[0] = y[0]; }, x0: [1], t: 0.5, beta: 10, epsilon: 0.05, horizon: 1, paths: 50 })
 */
export function simulateEntropySDE(options: EntropySDEOptions): PathEnsemble {
  const fn = 'simulateEntropySDE';
  const o = resolve(fn, options);
  const { gradient, t, beta, epsilon, horizon, outputs, paths } = o;
  const d = o.x0.length, h = o.fastStep, dt = h * epsilon;
  const every = Math.max(1, Math.round(horizon / outputs / dt));
  const steps = every * outputs, ds = horizon / steps, hs = ds / epsilon;
  const noise = Math.sqrt((2 * hs) / beta);
  const samples = new Float64Array(paths * (outputs + 1) * d);
  const x = new Float64Array(d), y = new Float64Array(d), g = new Float64Array(d), xi = new Float64Array(d), xiNext = new Float64Array(d);
  const root = new Rng(o.seed);
  for (let path = 0; path < paths; path++) {
    const rng = root.split(path);
    for (let k = 0; k < d; k++) { x[k] = o.x0[k]; y[k] = o.x0[k]; xi[k] = rng.normal(); }
    let base = path * (outputs + 1) * d;
    samples.set(x, base);
    for (let n = 1; n <= steps; n++) {
      gradient(y, g);
      for (let k = 0; k < d; k++) {
        xiNext[k] = rng.normal();
        const coupling = (y[k] - x[k]) / t;
        x[k] += ds * coupling; // slow: dx = −(1/t)(x − y) ds = (y − x)/t ds, explicit Euler with the old y
        // fast: Leimkuhler–Matthews, noise (ξ_n + ξ_{n+1})/2
        y[k] -= hs * (g[k] + coupling) - noise * 0.5 * (xi[k] + xiNext[k]);
        xi[k] = xiNext[k];
      }
      if (n % every === 0) {
        base += d;
        for (let k = 0; k < d; k++) if (!Number.isFinite(x[k]) || !Number.isFinite(y[k])) throw new RangeError(`${fn}: path ${path} became non-finite at step ${n} (s = ${n * ds}); reduce fastStep (${h}).`);
        samples.set(x, base);
      }
    }
  }
  return summarize(samples, paths, outputs, d, horizon, ds, steps);
}

/** Mean and standard error per output time from the samples. */
export function summarize(samples: Float64Array, paths: number, outputs: number, d: number, horizon: number, dt: number, steps: number): PathEnsemble {
  const mean = new Float64Array((outputs + 1) * d), second = new Float64Array((outputs + 1) * d);
  for (let path = 0; path < paths; path++) {
    const base = path * (outputs + 1) * d;
    for (let i = 0; i < mean.length; i++) { const v = samples[base + i]; mean[i] += v; second[i] += v * v; }
  }
  const stdErr = new Float64Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    mean[i] /= paths;
    const variance = paths > 1 ? Math.max(0, second[i] / paths - mean[i] * mean[i]) * (paths / (paths - 1)) : NaN;
    stdErr[i] = Math.sqrt(variance / paths);
  }
  const times = new Float64Array(outputs + 1);
  for (let j = 0; j <= outputs; j++) times[j] = (j * horizon) / outputs;
  return { times, samples, mean, stdErr, paths, dim: d, dt, steps };
}

/** The gap between the simulated slow paths and the homogenized gradient flow. */
export interface HomogenizationGap {
  epsilon: number;
  /** max_s |E x_ε(s) − X(s)| (Euclidean), Monte-Carlo estimate. */
  meanGap: number;
  /** z·(standard error of |E x_ε(s) − X(s)|) at the worst time: the Monte-Carlo half-width of meanGap. */
  meanGapHalfWidth: number;
  /** max_s (E|x_ε(s) − X(s)|²)^{1/2}: pathwise deviation (fluctuations, O(√ε)). */
  rmsGap: number;
  /** Time of the worst mean gap. */
  worstTime: number;
  ensemble: PathEnsemble;
  /** X(s_j), layout [output][axis]. */
  limit: Float64Array;
}

/**
 * Runs {@link simulateEntropySDE} and the gradient flow on the local entropy from the same x0, and
 * measures the gap between them at the output times (claim T9).
 * @param options - the SDE options plus `limitGradient`, ∇f_t (e.g. `relax(f, { t, beta }).gradient` adapted,
 *   or (x − ⟨y⟩)/t from `coleHopf(...).mean`), and `flowSteps` (RK4 steps, default 100 per output)
 * @returns a {@link HomogenizationGap}
 * @throws as {@link simulateEntropySDE} and {@link gradientFlow}
 * @example homogenizationGap({ ...opts, epsilon: 0.01, limitGradient }).meanGap
 */
export function homogenizationGap(options: EntropySDEOptions & { limitGradient: GradientField; flowSteps?: number }): HomogenizationGap {
  const fn = 'homogenizationGap';
  mustBeType(fn, 'limitGradient', options?.limitGradient, typeof options?.limitGradient === 'function', 'a function (x, out) => void');
  const ensemble = simulateEntropySDE(options);
  const outputs = ensemble.times.length - 1, d = ensemble.dim;
  const limit = gradientFlow(options.limitGradient, options.x0, { horizon: options.horizon, outputs, steps: options.flowSteps ?? 100 * outputs });
  let meanGap = -1, halfWidth = 0, worstTime = 0, rmsGap = 0;
  for (let j = 0; j <= outputs; j++) {
    let gap2 = 0, err2 = 0, ms = 0;
    for (let k = 0; k < d; k++) { gap2 += (ensemble.mean[j * d + k] - limit[j * d + k]) ** 2; err2 += ensemble.stdErr[j * d + k] ** 2; }
    for (let path = 0; path < ensemble.paths; path++) {
      for (let k = 0; k < d; k++) ms += (ensemble.samples[(path * (outputs + 1) + j) * d + k] - limit[j * d + k]) ** 2;
    }
    rmsGap = Math.max(rmsGap, Math.sqrt(ms / ensemble.paths));
    if (Math.sqrt(gap2) > meanGap) { meanGap = Math.sqrt(gap2); halfWidth = CONFIDENCE_Z * Math.sqrt(err2); worstTime = ensemble.times[j]; }
  }
  return { epsilon: options.epsilon, meanGap, meanGapHalfWidth: halfWidth, rmsGap, worstTime, ensemble, limit };
}

function resolve(fn: string, options: EntropySDEOptions): Required<EntropySDEOptions> {
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an options object');
  mustBeType(fn, 'gradient', options.gradient, typeof options.gradient === 'function', 'a function (x, out) => void');
  mustBe(fn, 'x0', options.x0, Array.isArray(options.x0) && options.x0.length > 0 && options.x0.every(Number.isFinite), 'a non-empty array of finite numbers');
  mustBePositive(fn, 't', options.t);
  mustBePositive(fn, 'beta', options.beta);
  mustBePositive(fn, 'epsilon', options.epsilon);
  mustBePositive(fn, 'horizon', options.horizon);
  const r = {
    ...options,
    fastStep: options.fastStep ?? ENTROPY_SDE_DEFAULTS.fastStep,
    outputs: options.outputs ?? ENTROPY_SDE_DEFAULTS.outputs,
    paths: options.paths ?? ENTROPY_SDE_DEFAULTS.paths,
    seed: options.seed ?? ENTROPY_SDE_DEFAULTS.seed,
  };
  mustBePositive(fn, 'fastStep', r.fastStep);
  mustBeInteger(fn, 'outputs', r.outputs, 1);
  mustBeInteger(fn, 'paths', r.paths, 2);
  mustBeInteger(fn, 'seed', r.seed, 0);
  return r;
}
