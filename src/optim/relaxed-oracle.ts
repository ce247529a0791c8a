/**
 * The adapter from a grid-backed relaxed loss (src/pde `relax()`: exact u(·, t) on a grid,
 * interpolated) to a {@link GradientOracle}: loss u(x, t), gradient ∇u(x, t).
 */
import type { GradientOracle } from './types.js';
import { mustBeType } from '../util/validate.js';

/**
 * The structural interface of src/pde's `RelaxedLoss` that optimizers need: value u(x, t),
 * gradient ∇u(x, t) = (x − prox)/t (or (x − mean)/t, viscous) and the prox/mean point.
 */
export interface RelaxedLossLike {
  value(x: number[]): number;
  gradient(x: number[]): number[];
  prox(x: number[]): number[];
}

/**
 * A {@link GradientOracle} evaluating a relaxed loss: returns u(x, t), writes ∇u(x, t).
 * Low-dimensional by nature (grid-backed), so it copies x into a small array per call.
 * @throws TypeError if `loss` lacks value/gradient methods
 * @example const oracle = relaxedLossOracle(relax(grid.sample('x^2/2'), { t: 0.5 }));
 */
export function relaxedLossOracle(loss: RelaxedLossLike): GradientOracle {
  mustBeType('relaxedLossOracle', 'loss', loss,
    loss !== null && typeof loss === 'object' && typeof loss.value === 'function' && typeof loss.gradient === 'function',
    'a RelaxedLoss (value(x), gradient(x), prox(x))');
  return (x, grad) => {
    const point = Array.from(x);
    const g = loss.gradient(point);
    for (let k = 0; k < grad.length; k++) grad[k] = g[k];
    return loss.value(point);
  };
}
