/**
 * Elastic-SGD as the ensemble version of Entropy-SGD (paper-notes §3.9, claim T10). n replicas y^a are
 * coupled to the reference x:
 *   dy^a = −(1/ε)[∇f(y^a) + (y^a − x)/t] ds + √(2/(βε)) dW^a,   dx = −(1/t)(x − ȳ) ds,
 * ȳ = (1/n)Σ_a y^a (ε = 1 is the plain EASGD SDE). When the replicas have equilibrated around x, each
 * samples ρ(·; x) and the x-drift −(x − ȳ)/t is an n-sample estimate of −∇f_t(x): the ensemble average
 * replaces Entropy-SGD's time average, with error O(n^{−1/2}) plus the sampler bias.
 */
import { Rng } from '../../util/random.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../../util/validate.js';
import type { GradientField } from './gradient-flow.js';
import { meanEstimate, type MeanEstimate } from './statistics.js';

/** Options of {@link elasticDrift}. */
export interface ElasticDriftOptions {
  /** ∇f. */
  gradient: GradientField;
  /** The reference point x, held fixed while the replicas equilibrate. */
  x: number[];
  /** Relaxation time t > 0 (coupling ρ = 1/t). */
  t: number;
  /** Inverse temperature β > 0. */
  beta: number;
  /** Number of replicas n ≥ 1. */
  replicas: number;
  /** Langevin step h (Leimkuhler–Matthews); stable for h·(sup‖∇²f‖ + 1/t) < 2. @defaultValue 0.01 */
  step?: number;
  /** Langevin steps before the replicas are read. @defaultValue 500 */
  burnIn?: number;
  /** Independent repetitions (each one x-drift estimate). @defaultValue 100 */
  trials?: number;
  /** Seed. @defaultValue 0 */
  seed?: number;
}

/** Defaults of {@link elasticDrift}. */
export const ELASTIC_DRIFT_DEFAULTS = { step: 0.01, burnIn: 500, trials: 100, seed: 0 } as const;

/** The replica-average x-drift estimates. */
export interface ElasticDrift {
  /** Per axis: mean over trials of −(x − ȳ)/t with its standard error. */
  drift: MeanEstimate[];
  /** All estimates, layout [trial][axis]. */
  samples: Float64Array;
  /** (E_trials |d̂ − reference|²)^{1/2} when a reference drift is given, else NaN. */
  rmsError: number;
}

/**
 * Estimates the Elastic-SGD x-drift at a fixed x from `replicas` equilibrated replicas, `trials`
 * times; with `reference` (e.g. −∇f_t(x) from the grid), also its RMS error.
 * Cost: trials × replicas × burnIn gradient evaluations.
 * @param options - {@link ElasticDriftOptions}
 * @param reference - the exact drift −∇f_t(x), optional
 * @returns an {@link ElasticDrift}
 * @throws TypeError if gradient is not a function; RangeError for bad sizes or parameters, a reference
 *   of the wrong length, or a non-finite replica
 * @example elasticDrift({ gradient, x: [0.5], t: 0.5, beta: 4, replicas: 16 }).drift[0].mean
 */
export function elasticDrift(options: ElasticDriftOptions, reference?: readonly number[]): ElasticDrift {
  const fn = 'elasticDrift';
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an options object');
  mustBeType(fn, 'gradient', options.gradient, typeof options.gradient === 'function', 'a function (x, out) => void');
  mustBe(fn, 'x', options.x, Array.isArray(options.x) && options.x.length > 0 && options.x.every(Number.isFinite), 'a non-empty array of finite numbers');
  mustBePositive(fn, 't', options.t);
  mustBePositive(fn, 'beta', options.beta);
  mustBeInteger(fn, 'replicas', options.replicas, 1);
  const step = options.step ?? ELASTIC_DRIFT_DEFAULTS.step, burnIn = options.burnIn ?? ELASTIC_DRIFT_DEFAULTS.burnIn;
  const trials = options.trials ?? ELASTIC_DRIFT_DEFAULTS.trials, seed = options.seed ?? ELASTIC_DRIFT_DEFAULTS.seed;
  mustBePositive(fn, 'step', step);
  mustBeInteger(fn, 'burnIn', burnIn, 1);
  mustBeInteger(fn, 'trials', trials, 2);
  mustBeInteger(fn, 'seed', seed, 0);
  const d = options.x.length;
  if (reference !== undefined) mustBe(fn, 'reference', reference, reference.length === d && reference.every(Number.isFinite), `${d} finite numbers`);
  const { gradient, x, t, beta, replicas } = options;
  const noise = Math.sqrt((2 * step) / beta);
  const y = new Float64Array(d), g = new Float64Array(d), xi = new Float64Array(d), xiNext = new Float64Array(d), sum = new Float64Array(d);
  const samples = new Float64Array(trials * d);
  const root = new Rng(seed);
  for (let trial = 0; trial < trials; trial++) {
    sum.fill(0);
    for (let a = 0; a < replicas; a++) {
      const rng = root.split(trial).split(a);
      for (let k = 0; k < d; k++) { y[k] = x[k]; xi[k] = rng.normal(); }
      for (let n = 0; n < burnIn; n++) {
        gradient(y, g);
        for (let k = 0; k < d; k++) {
          xiNext[k] = rng.normal();
          y[k] -= step * (g[k] + (y[k] - x[k]) / t) - noise * 0.5 * (xi[k] + xiNext[k]);
          xi[k] = xiNext[k];
        }
      }
      for (let k = 0; k < d; k++) {
        if (!Number.isFinite(y[k])) throw new RangeError(`${fn}: replica ${a} of trial ${trial} became non-finite; reduce the step (${step}).`);
        sum[k] += y[k];
      }
    }
    for (let k = 0; k < d; k++) samples[trial * d + k] = -(x[k] - sum[k] / replicas) / t;
  }
  const drift: MeanEstimate[] = [];
  for (let k = 0; k < d; k++) {
    const column = new Float64Array(trials);
    for (let trial = 0; trial < trials; trial++) column[trial] = samples[trial * d + k];
    drift.push(meanEstimate(column));
  }
  let rmsError = NaN;
  if (reference !== undefined) {
    let ms = 0;
    for (let trial = 0; trial < trials; trial++) for (let k = 0; k < d; k++) ms += (samples[trial * d + k] - reference[k]) ** 2;
    rmsError = Math.sqrt(ms / trials);
  }
  return { drift, samples, rmsError };
}
