/**
 * Batch normalisation per channel (Ioffe & Szegedy 2015), on inputs (C) or (C, H, W):
 * y = γ·(x − μ)/√(σ² + ε) + β with μ, σ² (biased) over the batch and spatial positions in 'train'
 * and 'calibrate' modes, and the running statistics in 'eval'. Training updates the running
 * statistics like PyTorch (momentum 0.1, unbiased variance); a calibration pass (the paper's BN
 * "dry feed" before validation) replaces them by the sample-weighted average of the batch means
 * and unbiased variances over the pass. Backward (batch statistics, m = batch·H·W values):
 * ∂x = γ/(m·√(σ²+ε)) · (m·∂y − Σ∂y − x̂·Σ(∂y·x̂)), ∂γ = Σ ∂y·x̂, ∂β = Σ ∂y.
 */
import type { Rng } from '../util/random.js';
import { emptyBuffer, ensure, type Layer, type LayerFactory, type PassContext } from './layer.js';

/** ε added to the variance, and the running-statistics momentum (PyTorch's defaults). */
export const BATCH_NORM_DEFAULTS = { eps: 1e-5, momentum: 0.1 } as const;

class BatchNorm implements Layer {
  readonly kind: string;
  readonly outShape: readonly number[];
  readonly paramCount: number;
  readonly buffers: Float32Array[];
  private readonly c: number; private readonly spatial: number;
  private gamma = emptyBuffer(); private beta = emptyBuffer();
  private gradGamma = emptyBuffer(); private gradBeta = emptyBuffer();
  private readonly runningMean: Float32Array; private readonly runningVar: Float32Array;
  private readonly mean: Float64Array; private readonly invStd: Float64Array;
  /** Per-channel float64 scratch (sums in forward and backward). */
  private readonly acc: Float64Array; private readonly acc2: Float64Array; private readonly scale: Float64Array;
  private calibrationCount = 0;
  private usedBatchStats = false;
  private xhat = emptyBuffer(); private y = emptyBuffer(); private dx = emptyBuffer();

  constructor(readonly inShape: readonly number[]) {
    this.c = inShape[0];
    this.spatial = inShape.length === 3 ? inShape[1] * inShape[2] : 1;
    this.outShape = inShape;
    this.paramCount = 2 * this.c;
    this.runningMean = new Float32Array(this.c); this.runningVar = new Float32Array(this.c).fill(1);
    this.buffers = [this.runningMean, this.runningVar];
    this.mean = new Float64Array(this.c); this.invStd = new Float64Array(this.c);
    this.acc = new Float64Array(this.c); this.acc2 = new Float64Array(this.c); this.scale = new Float64Array(this.c);
    this.kind = `batchNorm(${this.c})`;
  }

  bind(params: Float32Array, grads: Float32Array): void {
    const c = this.c;
    this.gamma = params.subarray(0, c); this.beta = params.subarray(c, 2 * c);
    this.gradGamma = grads.subarray(0, c); this.gradBeta = grads.subarray(c, 2 * c);
  }

  init(_rng: Rng): void {
    this.gamma.fill(1); this.beta.fill(0);
    this.runningMean.fill(0); this.runningVar.fill(1);
  }

  /** Starts a calibration pass: the next 'calibrate' batches define the running statistics. */
  resetStatistics(): void {
    this.calibrationCount = 0;
    this.runningMean.fill(0); this.runningVar.fill(0);
  }

  forward(x: Float32Array, ctx: PassContext): Float32Array {
    const { batch, mode } = ctx, { c, spatial } = this, eps = BATCH_NORM_DEFAULTS.eps;
    const m = batch * spatial, total = batch * c * spatial;
    const y = (this.y = ensure(this.y, total, ctx.engine)), xhat = (this.xhat = ensure(this.xhat, total, ctx.engine));
    const ops = ctx.engine.ops; // kernels with the same arithmetic as the loops below (or none)
    this.usedBatchStats = mode !== 'eval';
    // Loops run sample → channel → position so that every pass reads x in memory order (for 1-D
    // inputs a channel-outer loop strides by C floats); per-channel float64 accumulators keep the
    // summation order of each channel (samples, then positions) unchanged.
    const mean = this.mean, invStd = this.invStd, acc = this.acc;
    if (this.usedBatchStats) {
      acc.fill(0);
      if (!ops?.bnSums(x, batch, c, spatial, null, acc)) for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
        const o = (s * c + ch) * spatial;
        let sum = acc[ch];
        for (let q = 0; q < spatial; q++) sum += x[o + q];
        acc[ch] = sum;
      }
      for (let ch = 0; ch < c; ch++) { mean[ch] = acc[ch] / m; acc[ch] = 0; }
      if (!ops?.bnSums(x, batch, c, spatial, mean, acc)) for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
        const o = (s * c + ch) * spatial, mu = mean[ch];
        let sq = acc[ch];
        for (let q = 0; q < spatial; q++) { const d = x[o + q] - mu; sq += d * d; }
        acc[ch] = sq;
      }
      for (let ch = 0; ch < c; ch++) {
        const sq = acc[ch], variance = sq / m, unbiased = m > 1 ? sq / (m - 1) : variance;
        if (mode === 'train') {
          const mo = BATCH_NORM_DEFAULTS.momentum;
          this.runningMean[ch] = (1 - mo) * this.runningMean[ch] + mo * mean[ch];
          this.runningVar[ch] = (1 - mo) * this.runningVar[ch] + mo * unbiased;
        } else {
          const w = batch / (this.calibrationCount + batch);
          this.runningMean[ch] += w * (mean[ch] - this.runningMean[ch]);
          this.runningVar[ch] += w * (unbiased - this.runningVar[ch]);
        }
        invStd[ch] = 1 / Math.sqrt(variance + eps);
      }
    } else {
      for (let ch = 0; ch < c; ch++) { mean[ch] = this.runningMean[ch]; invStd[ch] = 1 / Math.sqrt(this.runningVar[ch] + eps); }
    }
    const gamma = this.gamma, beta = this.beta;
    if (!ops?.bnNormalize(x, batch, c, spatial, mean, invStd, gamma, beta, xhat, y)) for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
      const o = (s * c + ch) * spatial, mu = mean[ch], is = invStd[ch], g = gamma[ch], b = beta[ch];
      for (let q = 0; q < spatial; q++) { const h = (x[o + q] - mu) * is; xhat[o + q] = h; y[o + q] = g * h + b; }
    }
    if (mode === 'calibrate') this.calibrationCount += batch;
    return y;
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    const { batch } = ctx, { c, spatial } = this, m = batch * spatial, xhat = this.xhat;
    const dx = (this.dx = ensure(this.dx, batch * c * spatial, ctx.engine)), ops = ctx.engine.ops;
    // Memory-order loops with per-channel float64 accumulators, as in forward.
    const sumDy = this.acc, sumDyXhat = this.acc2;
    sumDy.fill(0); sumDyXhat.fill(0);
    if (!ops?.bnBackwardSums(dy, xhat, batch, c, spatial, sumDy, sumDyXhat)) for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
      const o = (s * c + ch) * spatial;
      let sd = sumDy[ch], sdx = sumDyXhat[ch];
      for (let q = 0; q < spatial; q++) { const d = dy[o + q]; sd += d; sdx += d * xhat[o + q]; }
      sumDy[ch] = sd; sumDyXhat[ch] = sdx;
    }
    for (let ch = 0; ch < c; ch++) { this.gradGamma[ch] = sumDyXhat[ch]; this.gradBeta[ch] = sumDy[ch]; }
    if (!needInput) return null;
    const scale = this.scale, gamma = this.gamma, invStd = this.invStd;
    for (let ch = 0; ch < c; ch++) {
      scale[ch] = gamma[ch] * invStd[ch];
      sumDy[ch] /= m; sumDyXhat[ch] /= m;
    }
    if (!this.usedBatchStats) {
      // Running statistics are constants: ∂x = γ/σ·∂y.
      if (ops?.bnBackwardDx(dy, xhat, batch, c, spatial, scale, sumDy, sumDyXhat, true, dx)) return dx;
      for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
        const o = (s * c + ch) * spatial, sc = scale[ch];
        for (let q = 0; q < spatial; q++) dx[o + q] = sc * dy[o + q];
      }
      return dx;
    }
    if (ops?.bnBackwardDx(dy, xhat, batch, c, spatial, scale, sumDy, sumDyXhat, false, dx)) return dx;
    for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
      const o = (s * c + ch) * spatial, sc = scale[ch], meanDy = sumDy[ch], meanDyXhat = sumDyXhat[ch];
      for (let q = 0; q < spatial; q++) dx[o + q] = sc * (dy[o + q] - meanDy - xhat[o + q] * meanDyXhat);
    }
    return dx;
  }
}

/**
 * Batch-normalisation layer factory on (C) or (C, H, W) inputs: 2·C parameters (γ = 1, β = 0
 * initially) and 2·C buffers (running mean 0 and variance 1).
 * @throws RangeError if the input shape is neither 1-D nor 3-D
 * @example sequential([1024], [batchNorm()])
 */
export function batchNorm(): LayerFactory {
  return (inShape) => {
    if (inShape.length !== 1 && inShape.length !== 3) {
      throw new RangeError(`batchNorm: input shape must be [channels] or [channels, height, width]; got [${inShape.join(', ')}].`);
    }
    return new BatchNorm(inShape);
  };
}
