/**
 * A linear layer's products without the zero entries of its input, on engines with transposed
 * products and layer kernels (wasm-simd). MNIST digits after the input dropout have ~120 of 784
 * pixels nonzero per sample (16 %): the first layer's forward product and ∂W then run over the
 * nonzero entries alone (`sparseGemm`). Otherwise, inputs that are 0 across the whole batch are
 * left out (the border of the digits: ~530 of 784 stay in a batch of 128). Exact, bit for bit:
 * each output is the fold s ← s ⊕ x_p·w_p over p in order, starting from +0, and a term ±0·w
 * (w finite) never changes a partial sum that is never −0; likewise the rows of ∂W = xᵀ·∂y for
 * those inputs are +0 when ∂y is finite. Non-finite weights (0·∞ = NaN) or a non-finite ∂y fall
 * back to the full products. Skipping inputs pays only for a tenth of them or more.
 */
import type { MatmulEngine } from './engine.js';
import { emptyBuffer, ensure } from './layer.js';

/** Skip only when at most this fraction of the inputs is nonzero. */
const WORTH = 0.9;
/**
 * Products over the nonzero entries of x alone when at most this fraction of them is nonzero (the
 * sparse product runs at ~60 % of the dense one's speed per multiply-add, bench/nn.bench.ts).
 */
const SPARSE = 0.3;

/** Scratch and state of the skipped products of one linear layer. */
export class ZeroInputSkip {
  /** Nonzero inputs in the current batch (k when nothing is skipped). */
  count = 0;
  /** The input of the last forward when it ran over x's nonzero entries (then ∂W does too), else null. */
  private sparseX: Float32Array | null = null;
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
    this.sparseX = null;
    if (!ops || !engine.gemm) return false;
    // (False too when a weight is not finite: a skipped entry would turn 0·∞ into NaN; then y is
    // recomputed below.)
    if (engine.sparseGemm?.(false, false, x, w, batch, k, n, y, SPARSE)) {
      this.sparseX = x;
      return true;
    }
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
   * ∂W = xᵀ·∂y (k × n) for the batch of the last skipping `forward`, from its nonzero entries or
   * inputs; returns false when that forward skipped nothing or ∂y is not finite (run the full product).
   */
  gradWeight(engine: MatmulEngine, dy: Float32Array, batch: number, k: number, n: number, gw: Float32Array): boolean {
    const ops = engine.ops, count = this.count, x = this.sparseX;
    if (x !== null) return engine.sparseGemm!(true, false, x, dy, k, batch, n, gw, 1); // (false if ∂y is not finite)
    if (!ops || !engine.gemm || count === k || ops.allFinite(dy, batch * n) !== 1) return false;
    const gc = (this.gc = ensure(this.gc, count * n, engine));
    engine.gemm(true, false, this.xc, dy, count, batch, n, gc);
    return ops.scatterRows(gc, count, n, this.idx, k, gw);
  }
}
