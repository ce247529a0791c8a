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
 * @param step - outer step index; `inner`, `replica` optional (the message is built only on failure)
 * @throws RangeError `fn: loss must be finite; got NaN (step 3).` or
 *   `fn: gradient must be finite; got Infinity at index 7 (step 3, inner iteration 2).`
 */
export function requireFiniteOutput(fn: string, loss: number, grad: Vector, step: number, inner?: number, replica?: number): void {
  if (!Number.isFinite(loss)) throw new RangeError(`${fn}: loss must be finite; got ${loss} (${position(step, inner, replica)}).`);
  // Four independent accumulators: the scan runs at memory bandwidth instead of FP-add latency.
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p = 0;
  const n4 = grad.length - (grad.length % 4);
  for (; p < n4; p += 4) { s0 += grad[p] * 0; s1 += grad[p + 1] * 0; s2 += grad[p + 2] * 0; s3 += grad[p + 3] * 0; }
  for (; p < grad.length; p++) s0 += grad[p] * 0;
  if (s0 + s1 + s2 + s3 === 0) return;
  for (p = 0; p < grad.length; p++) {
    if (!Number.isFinite(grad[p])) throw new RangeError(`${fn}: gradient must be finite; got ${grad[p]} at index ${p} (${position(step, inner, replica)}).`);
  }
}

/** Formats the position for {@link requireFiniteOutput}: `step k[, replica a][, inner iteration l]`. */
function position(step: number, inner?: number, replica?: number): string {
  let s = `step ${step}`;
  if (replica !== undefined) s += `, replica ${replica}`;
  if (inner !== undefined) s += `, inner iteration ${inner}`;
  return s;
}
