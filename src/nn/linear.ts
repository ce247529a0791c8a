/**
 * Fully connected layer y = x·W + b, W stored (in × out) row-major; backward: ∂W = xᵀ·∂y,
 * ∂b = Σ_batch ∂y, ∂x = ∂y·Wᵀ = (W·∂yᵀ)ᵀ. The forward pass is x·W, or yᵀ = Wᵀ·xᵀ when the engine
 * re-packs its right operand and W is the larger matrix (out > batch): packing W costs more than
 * a JS transpose of it (bench/nn.bench.ts), and xᵀ is needed by the backward pass anyway.
 */
import { mustBeInteger } from '../util/validate.js';
import type { Rng } from '../util/random.js';
import { transpose } from './engine.js';
import { emptyBuffer, ensure, shapeSize, type Layer, type LayerFactory, type PassContext } from './layer.js';
import { ZeroInputSkip } from './linear-skip.js';

/**
 * Backward products over the nonzero entries of ∂y alone when at most this fraction of them is
 * nonzero (ReLU and dropout zeros; mnistfc's hidden layer: 40 %). Measured on 128 × 1024 × 1024,
 * 1 thread (docs/networks.md): at 40 %, ∂x 1.1–1.7× faster, ∂W from 0.95× (best times) to 1.25×
 * (medians on a loaded host); at 20–30 %, 1.5–2.5×.
 */
const SPARSE_DY = 0.45;

class Linear implements Layer {
  readonly kind: string;
  readonly outShape: readonly number[];
  readonly paramCount: number;
  readonly buffers: Float32Array[] = [];
  private weight = emptyBuffer(); private bias = emptyBuffer();
  private gradWeight = emptyBuffer(); private gradBias = emptyBuffer();
  private x = emptyBuffer(); private y = emptyBuffer(); private dx = emptyBuffer();
  private xT = emptyBuffer(); private dyT = emptyBuffer(); private dxT = emptyBuffer();
  private wT = emptyBuffer(); private yT = emptyBuffer();
  /** Whether `xT` holds the transpose of the current `x` (set by the transposed forward). */
  private haveXT = false;
  /**
   * Inputs (rows of xᵀ) not identically 0 over the batch, in order, and their count; `xT` then
   * holds only those rows. MNIST pixels: ~530 of 784 in a batch of 128 (the border is blank), so
   * the first layer's two products shrink by a third.
   */
  private active = new Int32Array(0); private activeCount = 0;
  private wRows = emptyBuffer(); private gRows = emptyBuffer();
  /** The same skip on engines with transposed products (linear-skip.ts). */
  private readonly skip = new ZeroInputSkip();
  private readonly fanIn: number;

  constructor(readonly inShape: readonly number[], private readonly out: number) {
    this.fanIn = shapeSize(inShape);
    this.outShape = [out];
    this.paramCount = this.fanIn * out + out;
    this.kind = `linear(${this.fanIn}→${out})`;
  }

  bind(params: Float32Array, grads: Float32Array): void {
    const nw = this.fanIn * this.out;
    this.weight = params.subarray(0, nw); this.bias = params.subarray(nw, nw + this.out);
    this.gradWeight = grads.subarray(0, nw); this.gradBias = grads.subarray(nw, nw + this.out);
  }

  init(rng: Rng): void {
    // PyTorch's default: kaiming_uniform(a = √5) gives U(−1/√fan_in, 1/√fan_in) for W, same for b.
    const bound = 1 / Math.sqrt(this.fanIn);
    rng.fillUniform(this.weight, -bound, bound);
    rng.fillUniform(this.bias, -bound, bound);
  }

  forward(x: Float32Array, ctx: PassContext): Float32Array {
    const { batch } = ctx, n = this.out;
    const k = this.fanIn, b = this.bias;
    this.x = x;
    const y = (this.y = ensure(this.y, batch * n, ctx.engine));
    this.haveXT = ctx.engine.packsRight && n > batch;
    if (!this.haveXT) {
      if (!this.skip.forward(ctx.engine, x, this.weight, batch, k, n, y)) ctx.engine.matmul(x, this.weight, batch, k, n, y);
      if (ctx.engine.ops?.addRows(b, y, batch, n)) return y;
      for (let s = 0; s < batch; s++) {
        const row = s * n;
        for (let j = 0; j < n; j++) y[row + j] += b[j];
      }
      return y;
    }
    // yᵀ = Wᵀ·xᵀ: the engine packs xᵀ (batch·k entries) instead of W (k·n).
    const xT = (this.xT = ensure(this.xT, k * batch)), wT = (this.wT = ensure(this.wT, n * k));
    const yT = (this.yT = ensure(this.yT, n * batch));
    transpose(x, batch, k, xT);
    const ka = (this.activeCount = this.compactInputs(xT, batch));
    if (ka === k) {
      transpose(this.weight, k, n, wT);
    } else {
      const rows = (this.wRows = ensure(this.wRows, ka * n)), active = this.active, w = this.weight;
      for (let i = 0; i < ka; i++) rows.set(w.subarray(active[i] * n, (active[i] + 1) * n), i * n);
      transpose(rows, ka, n, wT);
    }
    ctx.engine.matmul(wT, xT, n, ka, batch, yT);
    transpose(yT, n, batch, y);
    for (let s = 0; s < batch; s++) {
      const row = s * n;
      for (let j = 0; j < n; j++) y[row + j] += b[j];
    }
    return y;
  }

  /**
   * Drops the rows of xᵀ (k × batch) that are 0 for every sample, moving the others up in order;
   * returns their count. Exact: a dropped input adds 0·W_pj = 0 to every output — unless W_pj is
   * not finite (0·∞ = NaN), so any non-finite weight in a dropped row keeps all rows.
   */
  private compactInputs(xT: Float32Array, batch: number): number {
    const k = this.fanIn, n = this.out, w = this.weight;
    if (this.active.length < k) this.active = new Int32Array(k);
    const active = this.active;
    let ka = 0;
    for (let p = 0; p < k; p++) {
      const row = p * batch;
      let used = false;
      for (let s = 0; s < batch; s++) if (xT[row + s] !== 0) { used = true; break; } // NaN ≠ 0: kept
      if (used) active[ka++] = p;
      else if (!allFinite(w.subarray(p * n, (p + 1) * n), n)) { for (let q = 0; q < k; q++) active[q] = q; return k; }
    }
    for (let i = 0; i < ka; i++) if (active[i] !== i) xT.copyWithin(i * batch, active[i] * batch, (active[i] + 1) * batch);
    return ka;
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    const { batch } = ctx, n = this.out, k = this.fanIn;
    if (ctx.engine.gemm) return this.backwardTransposed(dy, ctx, needInput);
    if (!this.haveXT || (this.activeCount < k && !allFinite(dy, batch * n))) {
      // (A non-finite ∂y must reach the rows of ∂W of the skipped inputs too: 0·NaN = NaN.)
      this.xT = ensure(this.xT, k * batch);
      transpose(this.x, batch, k, this.xT);
      this.activeCount = k;
    }
    const ka = this.activeCount;
    if (ka === k) {
      ctx.engine.matmul(this.xT, dy, k, batch, n, this.gradWeight);
    } else {
      // Rows of ∂W = xᵀ·∂y for inputs that are 0 across the batch are exactly 0.
      const gRows = (this.gRows = ensure(this.gRows, ka * n)), gw = this.gradWeight, active = this.active;
      ctx.engine.matmul(this.xT, dy, ka, batch, n, gRows);
      gw.fill(0);
      for (let i = 0; i < ka; i++) gw.set(gRows.subarray(i * n, (i + 1) * n), active[i] * n);
    }
    sumRows(dy, batch, n, this.gradBias);
    if (!needInput) return null;
    // ∂x = ∂y·Wᵀ computed as (W·∂yᵀ)ᵀ: two batch-sized transposes instead of one of W (in × out),
    // which costs as much as the product itself for the 1024 × 1024 layer (bench/nn.bench.ts).
    this.dyT = ensure(this.dyT, n * batch);
    transpose(dy, batch, n, this.dyT);
    this.dxT = ensure(this.dxT, k * batch);
    ctx.engine.matmul(this.weight, this.dyT, k, n, batch, this.dxT);
    this.dx = ensure(this.dx, batch * k);
    transpose(this.dxT, k, batch, this.dx);
    return this.dx;
  }

  /**
   * Backward on an engine with transposed products: ∂W = xᵀ·∂y and ∂x = ∂y·Wᵀ, no transposes here.
   * When ∂y is mostly zeros (a ReLU before the next layer, dropout), both run over its nonzero
   * entries alone: ∂Wᵀ = ∂yᵀ·x written transposed, and ∂y·Wᵀ (same bits, see sparseGemm).
   */
  private backwardTransposed(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    const { batch } = ctx, n = this.out, k = this.fanIn, engine = ctx.engine, gemm = engine.gemm!.bind(engine);
    if (!this.skip.gradWeight(engine, dy, batch, k, n, this.gradWeight)
      && !engine.sparseGemm?.(true, false, dy, this.x, n, batch, k, this.gradWeight, SPARSE_DY, true)) {
      gemm(true, false, this.x, dy, k, batch, n, this.gradWeight);
    }
    if (!engine.ops?.sumRows(dy, this.gradBias, batch, n)) sumRows(dy, batch, n, this.gradBias);
    if (!needInput) return null;
    const dx = (this.dx = ensure(this.dx, batch * k, engine));
    if (!engine.sparseGemm?.(false, true, dy, this.weight, batch, n, k, dx, SPARSE_DY)) gemm(false, true, dy, this.weight, batch, n, k, dx);
    return dx;
  }
}

/** Bias gradient ∂b_j = Σ_s ∂y_sj (overwrites gb). */
function sumRows(dy: Float32Array, batch: number, n: number, gb: Float32Array): void {
  gb.fill(0);
  for (let s = 0; s < batch; s++) {
    const row = s * n;
    for (let j = 0; j < n; j++) gb[j] += dy[row + j];
  }
}

function allFinite(v: Float32Array, count: number): boolean {
  for (let p = 0; p < count; p++) if (!Number.isFinite(v[p])) return false;
  return true;
}

/**
 * Fully connected layer factory: y = x·W + b on the flattened input (in = product of the input
 * shape), W (in × out), initialised U(−1/√in, 1/√in) like PyTorch's nn.Linear.
 * Parameters: in·out + out.
 * @param out - output features, an integer ≥ 1
 * @throws RangeError if `out` is not a positive integer
 * @example sequential([784], [linear(10)]) // 7,850 parameters
 */
export function linear(out: number): LayerFactory {
  mustBeInteger('linear', 'out', out, 1);
  return (inShape) => new Linear(inShape, out);
}
