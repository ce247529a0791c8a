/**
 * A linear layer's products without its inputs that are 0 across the batch, on engines with
 * transposed products and layer kernels (wasm-simd). MNIST leaves ~530 of 784 pixels nonzero in a
 * batch of 128 (the border is blank), so the first layer's forward product and ∂W shrink by a
 * third. Exact, bit for bit: each output is the fold s ← s ⊕ x_p·w_p over p in order, starting from
 * +0, and a term ±0·w (w finite) never changes a partial sum that is never −0; likewise the rows
 * of ∂W = xᵀ·∂y for those inputs are +0 when ∂y is finite. Non-finite weights (0·∞ = NaN) or a
 * non-finite ∂y fall back to the full products. Skipping pays only for a tenth of the inputs or more.
 */
import type { MatmulEngine } from './engine.js';
import { emptyBuffer, ensure } from './layer.js';

/** Skip only when at most this fraction of the inputs is nonzero. */
const WORTH = 0.9;

/** Scratch and state of the skipped products of one linear layer. */
export class ZeroInputSkip {
  /** Nonzero inputs in the current batch (k when nothing is skipped). */
  count = 0;
  private idx: Int32Array = new Int32Array(0);
  private flags: Int32Array = new Int32Array(0);
  private xc = emptyBuffer(); private wc = emptyBuffer(); private gc = emptyBuffer();

  /**
   * y = x·W (batch × k times k × n) with the zero inputs left out when it pays; returns false
   * (nothing done) when the engine cannot do it, and the caller runs the full product.
   */
  forward(engine: MatmulEngine, x: Float32Array, w: Float32Array, batch: number, k: number, n: number, y: Float32Array): boolean {
    const ops = engine.ops;
    this.count = k;
    if (!ops || !engine.gemm) return false;
    if (this.idx.length < k) { this.idx = ops.allocI32(k); this.flags = ops.allocI32(k); }
    const count = ops.activeColumns(x, batch, k, this.flags, this.idx);
    // Only the skipped inputs' weights matter (0·∞ = NaN); the others go through the product.
    if (count < 0 || count > WORTH * k || ops.skippedRowsFinite(w, k, n, this.flags) !== 1) return false;
    const xc = (this.xc = ensure(this.xc, batch * count, engine)), wc = (this.wc = ensure(this.wc, count * n, engine));
    if (!ops.gatherColumns(x, batch, k, count, this.idx, xc) || !ops.gatherRows(w, count, n, this.idx, wc)) return false;
    engine.gemm(false, false, xc, wc, batch, count, n, y);
    this.count = count;
    return true;
  }

  /**
   * ∂W = xᵀ·∂y (k × n) for the batch of the last skipping `forward`, from its nonzero inputs;
   * returns false when that forward skipped nothing or ∂y is not finite (run the full product).
   */
  gradWeight(engine: MatmulEngine, dy: Float32Array, batch: number, k: number, n: number, gw: Float32Array): boolean {
    const ops = engine.ops, count = this.count;
    if (!ops || !engine.gemm || count === k || ops.allFinite(dy, batch * n) !== 1) return false;
    const gc = (this.gc = ensure(this.gc, count * n, engine));
    engine.gemm(true, false, this.xc, dy, count, batch, n, gc);
    return ops.scatterRows(gc, count, n, this.idx, k, gw);
  }
}
