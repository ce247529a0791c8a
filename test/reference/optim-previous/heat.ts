// Reference twin: src/optim/heat.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit.
/**
 * HEAT, the heat-smoothing comparison of the DR paper (reference class `HEAT`, paper-notes §4.3):
 * Entropy-SGD's inner chain with uniform instead of exponential averaging,
 *   μ = (x + y₁ + … + y_L)/(L + 1),   x ← x − lr·(x − μ)/t.
 */
import type { Optimizer } from '../../../src/optim/types.js';
import { LocalEntropyDescent, resolveLocalEntropy, type EntropySGDOptions, type EntropySGDState } from './entropy-sgd.js';

/** Options of {@link heat}: those of Entropy-SGD except `alpha` (the averaging is uniform). */
export type HeatOptimizerOptions = Omit<EntropySGDOptions, 'alpha'>;

/**
 * HEAT: Entropy-SGD with the uniform average of the anchor and the L inner samples.
 * L oracle calls per step.
 * @throws RangeError as {@link entropySGD}
 * @example const opt = heat({ lr: 1, t: 0.5, innerSteps: 20 });
 */
export function heat(opts: HeatOptimizerOptions): Optimizer<EntropySGDState> {
  return new LocalEntropyDescent('heat', 'heat', resolveLocalEntropy('heat', opts, 'uniform'));
}
