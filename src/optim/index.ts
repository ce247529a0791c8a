// Public API of the optimizer layer (re-exports only).
export type { Vector, GradientOracle, StepResult, Optimizer } from './types.js';
export { gradientFiniteOf } from './types.js';
export {
  constant, piecewise, exponential, scoping, cosine, every, offset, clamp, reciprocal, product,
  type Schedule, type ScheduleLike,
} from './schedules.js';
export { minibatchesPerEpoch, effectiveEpochs } from './epochs.js';
export { countEvaluations, type CountedOracle } from './counter.js';
export { objective, type Objective, type ObjectiveSpec } from './objective.js';
export { stochasticOracle, noisyOracle, minibatchOracle, type SeededOracle, type MinibatchOptions } from './stochastic.js';
export { relaxedLossOracle, type RelaxedLossLike } from './relaxed-oracle.js';
export { sgd, SGD_DEFAULTS, type SGDOptions, type SGDState } from './sgd.js';
export { adam, ADAM_DEFAULTS, type AdamOptions, type AdamState } from './adam.js';
export { entropySGD, ENTROPY_SGD_DEFAULTS, type EntropySGDOptions, type EntropySGDState } from './entropy-sgd.js';
export { heat, type HeatOptimizerOptions } from './heat.js';
export { hj, HJ_DEFAULTS, type HJOptions, type HJState } from './hj.js';
export { sam, SAM_DEFAULTS, type SAMOptions, type SAMState } from './sam.js';
export { elasticSGD, ELASTIC_SGD_DEFAULTS, type ElasticSGD, type ElasticSGDOptions, type ElasticSGDState } from './elastic-sgd.js';
export { elasticSGDParallel, type ElasticSGDParallel } from './elastic-parallel.js';
export type { ReplicaObjective } from './replica-objective.js';
export type { ReplicaState } from './replica.js';
export { relaxedDescent, type RelaxedDescent, type RelaxedDescentOptions, type RelaxedDescentState, type RelaxedStepResult } from './relaxed-descent.js';
export { fromReference, hjFromReference, parleFromReference, referenceScoping, REFERENCE_DEFAULTS, type ReferenceSettings, type ParleReferenceSettings } from './reference.js';
export { setOptimizerThreads, optimizerThreads, SPLIT_MIN } from './threads.js';
