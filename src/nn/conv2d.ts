/**
 * 2-D convolution (cross-correlation, as in deep-learning libraries) by im2col + one matrix
 * product per batch: input (C, H, W), output (F, Ho, Wo) with Ho = ⌊(H + 2·padding − k)/stride⌋ + 1.
 * The patch matrix P has one row per output position of the batch (N = batch·Ho·Wo rows) and
 * K = C·k·k columns ordered (c, ky, kx); the weight W is stored (K × F), so Y_rows = P·W.
 * Backward: ∂W = Pᵀ·∂Y_rows, ∂b = Σ ∂y, ∂Pᵀ = W·∂Y_rowsᵀ scattered back by col2im.
 * Layout work is done on transposes so that the inner loops run over contiguous output columns:
 * im2col writes Pᵀ (K × N; each row is the input shifted by one kernel offset, copied in runs of
 * Wo) and P is its blocked transpose; Pᵀ is kept for ∂W. col2im adds ∂Pᵀ back in the same runs.
 * Rows ↔ (F, Ho·Wo) per sample are blocked transposes too.
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
  private patches = emptyBuffer(); private patchesT = emptyBuffer(); private dPatchesT = emptyBuffer();
  private rows = emptyBuffer(); private y = emptyBuffer();
  private dRows = emptyBuffer(); private dRowsT = emptyBuffer(); private dx = emptyBuffer();

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
    const { batch } = ctx, { kk, f } = this;
    const positions = this.ho * this.wo, n = batch * positions;
    const patchesT = (this.patchesT = ensure(this.patchesT, kk * n, ctx.engine));
    const ops = ctx.engine.ops, shape = { batch, c: this.c, h: this.h, w: this.w, k: this.k, stride: this.stride, padding: this.padding, ho: this.ho, wo: this.wo };
    if (!ops?.im2col(x, patchesT, shape)) this.im2colT(x, batch, patchesT);
    if (ctx.engine.gemm) {
      // Y_rowsᵀ (F × N) = Wᵀ·Pᵀ: sample s's output is the (F × positions) block at column s·positions.
      const rowsT = (this.rows = ensure(this.rows, f * n, ctx.engine)), y = (this.y = ensure(this.y, n * f, ctx.engine)), b = this.bias;
      ctx.engine.gemm(true, false, this.weight, patchesT, f, kk, n, rowsT);
      if (ops?.convOut(rowsT, b, y, batch, f, positions)) return y;
      for (let s = 0; s < batch; s++) for (let j = 0; j < f; j++) {
        const src = j * n + s * positions, dst = (s * f + j) * positions, bj = b[j];
        for (let p = 0; p < positions; p++) y[dst + p] = rowsT[src + p] + bj;
      }
      return y;
    }
    const patches = (this.patches = ensure(this.patches, n * kk, ctx.engine));
    transpose(patchesT, kk, n, patches);
    const rows = (this.rows = ensure(this.rows, n * f, ctx.engine));
    ctx.engine.matmul(patches, this.weight, n, kk, f, rows);
    const y = (this.y = ensure(this.y, n * f, ctx.engine)), b = this.bias;
    for (let s = 0; s < batch; s++) {
      const o = s * positions * f;
      transpose(rows.subarray(o, o + positions * f), positions, f, y.subarray(o, o + positions * f));
      for (let j = 0; j < f; j++) {
        const bj = b[j], row = o + j * positions;
        for (let p = 0; p < positions; p++) y[row + p] += bj;
      }
    }
    return y;
  }

  /** The range [lo, hi) of output columns ox whose input column ox·stride − padding + kx lies in [0, W). */
  private columns(kx: number): [number, number] {
    const { stride, padding, w, wo } = this;
    const lo = Math.min(wo, Math.max(0, Math.ceil((padding - kx) / stride)));
    const hi = Math.max(lo, Math.min(wo, Math.floor((w - 1 + padding - kx) / stride) + 1));
    return [lo, hi];
  }

  /**
   * Pᵀ (K × N): row (c, ky, kx), column (s, oy, ox) holds x[s, c, oy·stride − padding + ky,
   * ox·stride − padding + kx] (0 outside the input).
   */
  private im2colT(x: Float32Array, batch: number, out: Float32Array): void {
    const { c, h, w, k, ho, wo, stride, padding } = this, positions = ho * wo, n = batch * positions;
    let q = 0;
    for (let ch = 0; ch < c; ch++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++, q++) {
      const [lo, hi] = this.columns(kx);
      for (let s = 0; s < batch; s++) {
        const plane = (s * c + ch) * h * w;
        let o = q * n + s * positions;
        for (let oy = 0; oy < ho; oy++, o += wo) {
          const iy = oy * stride - padding + ky;
          if (iy < 0 || iy >= h) { out.fill(0, o, o + wo); continue; }
          const src = plane + iy * w - padding + kx;
          for (let ox = 0; ox < lo; ox++) out[o + ox] = 0;
          if (stride === 1) for (let ox = lo; ox < hi; ox++) out[o + ox] = x[src + ox];
          else for (let ox = lo; ox < hi; ox++) out[o + ox] = x[src + ox * stride];
          for (let ox = hi; ox < wo; ox++) out[o + ox] = 0;
        }
      }
    }
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    const { batch } = ctx, { c, h, w, k, ho, wo, kk, f, stride, padding } = this;
    const positions = ho * wo, n = batch * positions;
    // ∂Y_rowsᵀ (F × N) is ∂y with its (sample, channel) blocks reordered; ∂Y_rows its transpose.
    const dRowsT = (this.dRowsT = ensure(this.dRowsT, f * n, ctx.engine)), gb = this.gradBias;
    const ops = ctx.engine.ops;
    if (!ops?.convGradRows(dy, gb, dRowsT, batch, f, positions)) {
      gb.fill(0);
      for (let s = 0; s < batch; s++) for (let j = 0; j < f; j++) {
        const row = (s * f + j) * positions;
        let sum = 0;
        for (let p = 0; p < positions; p++) sum += dy[row + p];
        gb[j] += sum;
        dRowsT.set(dy.subarray(row, row + positions), j * n + s * positions);
      }
    }
    if (ctx.engine.gemm) {
      ctx.engine.gemm(false, true, this.patchesT, dRowsT, kk, n, f, this.gradWeight); // ∂W = Pᵀ·(∂Y_rowsᵀ)ᵀ
    } else {
      const dRows = (this.dRows = ensure(this.dRows, n * f, ctx.engine));
      transpose(dRowsT, f, n, dRows);
      ctx.engine.matmul(this.patchesT, dRows, kk, n, f, this.gradWeight);
    }
    if (!needInput) return null;
    // ∂Pᵀ = W·∂Y_rowsᵀ (K × N): the engine packs the F × N factor, not W.
    const dPatchesT = (this.dPatchesT = ensure(this.dPatchesT, kk * n, ctx.engine));
    ctx.engine.matmul(this.weight, dRowsT, kk, f, n, dPatchesT);
    // col2im on ∂Pᵀ: row (c, ky, kx) adds back onto the input it was copied from, in runs of Wo.
    const dx = (this.dx = ensure(this.dx, batch * c * h * w, ctx.engine));
    if (ops?.col2im(dPatchesT, dx, { batch, c, h, w, k, stride, padding, ho, wo })) return dx;
    dx.fill(0, 0, batch * c * h * w);
    let q = 0;
    for (let ch = 0; ch < c; ch++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++, q++) {
      const [lo, hi] = this.columns(kx);
      for (let s = 0; s < batch; s++) {
        const plane = (s * c + ch) * h * w;
        let o = q * n + s * positions;
        for (let oy = 0; oy < ho; oy++, o += wo) {
          const iy = oy * stride - padding + ky;
          if (iy < 0 || iy >= h) continue;
          const dst = plane + iy * w - padding + kx;
          for (let ox = lo; ox < hi; ox++) dx[dst + ox * stride] += dPatchesT[o + ox];
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
