/**
 * An oracle wrapper that counts evaluations, for effective-epoch accounting independent of what
 * the optimizers report (tests check that the two agree).
 */
import { gradientFiniteOf, type GradientOracle } from './types.js';
import { effectiveEpochs } from './epochs.js';

/** A counted oracle: `oracle` forwards to the wrapped one and increments `evaluations`. */
export interface CountedOracle {
  /** The wrapped oracle; each call counts one evaluation. */
  readonly oracle: GradientOracle;
  /** Calls made so far. */
  readonly evaluations: number;
  /** evaluations / perEpoch (see {@link effectiveEpochs}). */
  epochs(perEpoch: number): number;
  /** Sets the count back to 0. */
  reset(): void;
}

/**
 * Wraps `oracle` so that every call is counted.
 * @example const counted = countEvaluations(oracle); opt.step(x, counted.oracle); counted.evaluations // = gradEvals
 */
export function countEvaluations(oracle: GradientOracle): CountedOracle {
  let count = 0;
  const wrapped: GradientOracle = (x, grad) => { count++; return oracle(x, grad); };
  // The wrapped oracle's gradientFinite certificate passes through (GradientOracle).
  Object.defineProperty(wrapped, 'gradientFinite', { get: () => gradientFiniteOf(oracle) });
  return {
    oracle: wrapped,
    get evaluations() { return count; },
    epochs: (perEpoch) => effectiveEpochs(count, perEpoch),
    reset: () => { count = 0; },
  };
}
