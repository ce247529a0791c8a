/**
 * 2-D convolution (cross-correlation, as in deep-learning libraries) by im2col + one matrix
 * product per batch: input (C, H, W), output (F, Ho, Wo) with Ho = ⌊(H + 2·padding − k)/stride⌋ + 1.
 * The patch matrix P has one row per output position of the batch (N = batch·Ho·Wo rows) and
 * K = C·k·k columns ordered (c, ky, kx); the weight W is stored (K × F), so Y_rows = P·W.
 * Backward: ∂W = Pᵀ·∂Y_rows, ∂b = Σ ∂y, ∂P = ∂Y_rows·Wᵀ scattered back by col2im.
 */
import { mustBe, mustBeInteger } from '../util/validate.js';
import type { Rng } from '../util/random.js';
import { transpose } from './engine.js';
import { emptyBuffer, ensure, type Layer, type LayerFactory, type PassContext } from './layer.js';

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /** Output channels F, an integer ≥ 1. */
  channels: number;
  /** Square kernel size k, an integer ≥ 1. */
  kernel: number;
  /** Stride, an integer ≥ 1. @defaultValue 1 */
  stride?: number;
  /** Zero padding on every side, an integer ≥ 0. @defaultValue 0 */
  padding?: number;
}

class Conv2d implements Layer {
  readonly kind: string;
  readonly outShape: readonly number[];
  readonly paramCount: number;
  readonly buffers: Float32Array[] = [];
  private readonly c: number; private readonly h: number; private readonly w: number;
  private readonly ho: number; private readonly wo: number; private readonly kk: number;
  private weight = emptyBuffer(); private bias = emptyBuffer();
  private gradWeight = emptyBuffer(); private gradBias = emptyBuffer();
  private patches = emptyBuffer(); private patchesT = emptyBuffer();
  private rows = emptyBuffer(); private y = emptyBuffer();
  private dRows = emptyBuffer(); private dPatches = emptyBuffer();
  private wT = emptyBuffer(); private dx = emptyBuffer();

  constructor(readonly inShape: readonly number[], private readonly f: number, private readonly k: number,
    private readonly stride: number, private readonly padding: number) {
    [this.c, this.h, this.w] = inShape;
    this.ho = Math.floor((this.h + 2 * padding - k) / stride) + 1;
    this.wo = Math.floor((this.w + 2 * padding - k) / stride) + 1;
    this.kk = this.c * k * k;
    this.outShape = [f, this.ho, this.wo];
    this.paramCount = this.kk * f + f;
    this.kind = `conv2d(${this.c}→${f}, ${k}×${k}, stride ${stride}, padding ${padding})`;
  }

  bind(params: Float32Array, grads: Float32Array): void {
    const nw = this.kk * this.f;
    this.weight = params.subarray(0, nw); this.bias = params.subarray(nw, nw + this.f);
    this.gradWeight = grads.subarray(0, nw); this.gradBias = grads.subarray(nw, nw + this.f);
  }

  init(rng: Rng): void {
    // PyTorch's nn.Conv2d default: U(−1/√fan_in, 1/√fan_in), fan_in = C·k·k.
    const bound = 1 / Math.sqrt(this.kk);
    rng.fillUniform(this.weight, -bound, bound);
    rng.fillUniform(this.bias, -bound, bound);
  }

  forward(x: Float32Array, ctx: PassContext): Float32Array {
    const { batch } = ctx, { c, h, w, k, ho, wo, kk, f, stride, padding } = this;
    const positions = ho * wo, n = batch * positions;
    const patches = (this.patches = ensure(this.patches, n * kk));
    for (let s = 0; s < batch; s++) {
      for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) {
        let q = ((s * ho + oy) * wo + ox) * kk;
        for (let ch = 0; ch < c; ch++) {
          const plane = (s * c + ch) * h * w;
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * stride - padding + ky;
            const inRow = iy >= 0 && iy < h;
            for (let kx = 0; kx < k; kx++) {
              const ix = ox * stride - padding + kx;
              patches[q++] = inRow && ix >= 0 && ix < w ? x[plane + iy * w + ix] : 0;
            }
          }
        }
      }
    }
    this.rows = ensure(this.rows, n * f);
    ctx.engine.matmul(patches, this.weight, n, kk, f, this.rows);
    const rows = this.rows, y = (this.y = ensure(this.y, n * f)), b = this.bias;
    for (let s = 0; s < batch; s++) for (let p = 0; p < positions; p++) {
      const src = (s * positions + p) * f;
      for (let j = 0; j < f; j++) y[(s * f + j) * positions + p] = rows[src + j] + b[j];
    }
    return y;
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    const { batch } = ctx, { c, h, w, k, ho, wo, kk, f, stride, padding } = this;
    const positions = ho * wo, n = batch * positions;
    const dRows = (this.dRows = ensure(this.dRows, n * f)), gb = this.gradBias;
    gb.fill(0);
    for (let s = 0; s < batch; s++) for (let j = 0; j < f; j++) {
      const src = (s * f + j) * positions;
      let sum = 0;
      for (let p = 0; p < positions; p++) { const v = dy[src + p]; dRows[(s * positions + p) * f + j] = v; sum += v; }
      gb[j] += sum;
    }
    this.patchesT = ensure(this.patchesT, kk * n);
    transpose(this.patches, n, kk, this.patchesT);
    ctx.engine.matmul(this.patchesT, dRows, kk, n, f, this.gradWeight);
    if (!needInput) return null;
    this.wT = ensure(this.wT, f * kk);
    transpose(this.weight, kk, f, this.wT);
    const dPatches = (this.dPatches = ensure(this.dPatches, n * kk));
    ctx.engine.matmul(dRows, this.wT, n, f, kk, dPatches);
    const dx = (this.dx = ensure(this.dx, batch * c * h * w));
    dx.fill(0, 0, batch * c * h * w);
    for (let s = 0; s < batch; s++) {
      for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) {
        let q = ((s * ho + oy) * wo + ox) * kk;
        for (let ch = 0; ch < c; ch++) {
          const plane = (s * c + ch) * h * w;
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * stride - padding + ky;
            const inRow = iy >= 0 && iy < h;
            for (let kx = 0; kx < k; kx++, q++) {
              const ix = ox * stride - padding + kx;
              if (inRow && ix >= 0 && ix < w) dx[plane + iy * w + ix] += dPatches[q];
            }
          }
        }
      }
    }
    return dx;
  }
}

/**
 * 2-D convolution layer factory on (C, H, W) inputs; weights (C·k·k × F) and biases initialised
 * U(−1/√(C·k·k), 1/√(C·k·k)) like PyTorch's nn.Conv2d. Parameters: C·k·k·F + F.
 * @param options - channels F, kernel k, stride (default 1), padding (default 0)
 * @throws RangeError for non-integer sizes, a 3-D input shape missing, or a kernel larger than the padded input
 * @example sequential([1, 28, 28], [conv2d({ channels: 20, kernel: 5 })]) // output (20, 24, 24)
 */
export function conv2d(options: Conv2dOptions): LayerFactory {
  const { channels, kernel, stride = 1, padding = 0 } = options;
  mustBeInteger('conv2d', 'channels', channels, 1);
  mustBeInteger('conv2d', 'kernel', kernel, 1);
  mustBeInteger('conv2d', 'stride', stride, 1);
  mustBeInteger('conv2d', 'padding', padding, 0);
  return (inShape) => {
    mustBe('conv2d', 'input shape', inShape, inShape.length === 3, 'a 3-D per-sample shape [channels, height, width]');
    mustBe('conv2d', 'kernel', kernel, kernel <= Math.min(inShape[1], inShape[2]) + 2 * padding,
      `≤ the padded input size ${Math.min(inShape[1], inShape[2]) + 2 * padding}`);
    return new Conv2d(inShape, channels, kernel, stride, padding);
  };
}
