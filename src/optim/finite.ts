/**
 * Non-finite detection for oracle outputs. Optimizers never continue on NaN: a non-finite loss or
 * gradient entry stops the run with an error naming the optimizer, the step, the inner iteration
 * and which value went non-finite, before x is modified by that step's update.
 */
import type { Vector } from './types.js';

/**
 * Throws a RangeError if `loss` or any entry of `grad` is NaN or ±∞.
 * The scan is one pass `s += g[p] · 0` (NaN iff some entry is non-finite), then a second pass only
 * to locate the culprit, so the common path costs one read of `grad`.
 * @param fn - optimizer name for the message
 * @param where - e.g. `step 3, inner iteration 2`
 * @throws RangeError `fn: loss must be finite; got NaN (step 3).` or
 *   `fn: gradient must be finite; got Infinity at index 7 (step 3, inner iteration 2).`
 */
export function requireFiniteOutput(fn: string, loss: number, grad: Vector, where: string): void {
  if (!Number.isFinite(loss)) throw new RangeError(`${fn}: loss must be finite; got ${loss} (${where}).`);
  let s = 0;
  for (let p = 0; p < grad.length; p++) s += grad[p] * 0;
  if (s === 0) return;
  for (let p = 0; p < grad.length; p++) {
    if (!Number.isFinite(grad[p])) throw new RangeError(`${fn}: gradient must be finite; got ${grad[p]} at index ${p} (${where}).`);
  }
}

/** Formats the position for {@link requireFiniteOutput}: `step k` or `step k, inner iteration l`. */
export function position(step: number, inner?: number, replica?: number): string {
  let s = `step ${step}`;
  if (replica !== undefined) s += `, replica ${replica}`;
  if (inner !== undefined) s += `, inner iteration ${inner}`;
  return s;
}
