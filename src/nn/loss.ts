/** Losses of the network backend: mean softmax cross-entropy and the L2 penalty. */

/**
 * Mean softmax cross-entropy L = (1/B) Σ_s [log Σ_j exp(z_sj) − z_s,y_s] and its gradient
 * ∂L/∂z_sj = (softmax(z_s)_j − [j = y_s])/B, stabilised by shifting each row by its maximum.
 * Labels must already be validated to lie in [0, classes).
 * @param logits - B × classes, row-major
 * @param labels - B class indices
 * @param outGrad - receives ∂L/∂z (B × classes)
 * @returns the mean loss (NaN if a logit is NaN)
 * @example softmaxCrossEntropy(new Float32Array([0, 0]), new Int32Array([1]), 1, 2, grad) // log 2
 */
export function softmaxCrossEntropy(logits: Float32Array, labels: Int32Array, batch: number, classes: number,
  outGrad: Float32Array): number {
  let total = 0;
  for (let s = 0; s < batch; s++) {
    const row = s * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) if (logits[row + j] > max) max = logits[row + j];
    if (!Number.isFinite(max)) max = 0; // NaN or ±∞ logits propagate to a NaN loss below
    let sum = 0;
    for (let j = 0; j < classes; j++) { const e = Math.exp(logits[row + j] - max); outGrad[row + j] = e; sum += e; }
    const label = labels[s];
    total += Math.log(sum) + max - logits[row + label];
    for (let j = 0; j < classes; j++) outGrad[row + j] = (outGrad[row + j] / sum - (j === label ? 1 : 0)) / batch;
  }
  return total / batch;
}

/**
 * L2 penalty (λ/2)·|x|², adding λ·x to `grad`.
 * @param l2 - λ ≥ 0 (0 adds nothing)
 * @returns the penalty value
 * @example l2Penalty(new Float32Array([3, 4]), 0.1, grad) // 1.25, grad += [0.3, 0.4]
 */
export function l2Penalty(x: Float32Array | Float64Array, l2: number, grad: Float32Array | Float64Array): number {
  if (l2 === 0) return 0;
  let sq = 0;
  for (let p = 0; p < x.length; p++) { const v = x[p]; sq += v * v; grad[p] += l2 * v; }
  return 0.5 * l2 * sq;
}
