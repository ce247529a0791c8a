/**
 * Effective-epoch accounting, the paper's x-axis: effective epochs = gradient evaluations /
 * minibatches per epoch. An outer step of Entropy-SGD, HJ or HEAT uses L (or L + 1) minibatch
 * gradients, so "Epochs × L" in the authors' plots is exactly this count (paper-notes §7.2).
 */
import { mustBeInteger, mustBe } from '../util/validate.js';

/**
 * Minibatches per epoch as the reference code counts them: ⌈n / b⌉ (minibatches are drawn with
 * replacement, one epoch = ⌈n/b⌉ draws).
 * @param datasetSize - n, an integer ≥ 1
 * @param batchSize - b, an integer ≥ 1
 * @throws RangeError for non-integer or non-positive sizes
 * @example minibatchesPerEpoch(60000, 128) // 469
 */
export function minibatchesPerEpoch(datasetSize: number, batchSize: number): number {
  mustBeInteger('minibatchesPerEpoch', 'datasetSize', datasetSize, 1);
  mustBeInteger('minibatchesPerEpoch', 'batchSize', batchSize, 1);
  return Math.ceil(datasetSize / batchSize);
}

/**
 * Effective epochs = gradEvals / perEpoch.
 * @param gradEvals - gradient (minibatch) evaluations so far, ≥ 0
 * @param perEpoch - minibatches per epoch, > 0 (for a deterministic objective, 1 evaluation = 1 epoch)
 * @throws RangeError for negative counts or a non-positive perEpoch
 * @example effectiveEpochs(9380, 469) // 20
 */
export function effectiveEpochs(gradEvals: number, perEpoch: number): number {
  mustBe('effectiveEpochs', 'gradEvals', gradEvals, Number.isFinite(gradEvals) && gradEvals >= 0, 'finite and ≥ 0');
  mustBe('effectiveEpochs', 'perEpoch', perEpoch, Number.isFinite(perEpoch) && perEpoch > 0, 'finite and > 0');
  return gradEvals / perEpoch;
}
