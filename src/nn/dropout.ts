/**
 * Inverted dropout: in 'train' mode y_p = x_p·m_p/(1 − p) with m_p = 1 iff u_p ≥ p, where u_p are
 * successive `rng.uniform()` draws in row-major order over the batch; identity otherwise.
 */
import { mustBe } from '../util/validate.js';
import { emptyBuffer, ensure, shapeSize, type Layer, type LayerFactory, type PassContext } from './layer.js';

class Dropout implements Layer {
  readonly kind: string;
  readonly outShape: readonly number[];
  readonly paramCount = 0;
  readonly buffers: Float32Array[] = [];
  private readonly size: number;
  private y = emptyBuffer(); private dx = emptyBuffer(); private mask = emptyBuffer();
  private active = false;

  constructor(readonly inShape: readonly number[], private readonly p: number) {
    this.outShape = inShape; this.size = shapeSize(inShape); this.kind = `dropout(${p})`;
  }
  bind(): void { /* no parameters */ }
  init(): void { /* no parameters */ }

  forward(x: Float32Array, ctx: PassContext): Float32Array {
    this.active = ctx.mode === 'train' && this.p > 0;
    if (!this.active) return x;
    const total = ctx.batch * this.size, keep = Math.fround(1 / (1 - this.p)), p = this.p, rng = ctx.rng;
    const y = (this.y = ensure(this.y, total, ctx.engine)), mask = (this.mask = ensure(this.mask, total, ctx.engine));
    if (ctx.engine.ops?.dropout(rng, p, keep, x, mask, y, total)) return y;
    for (let q = 0; q < total; q++) { const m = rng.uniform() >= p ? keep : 0; mask[q] = m; y[q] = x[q] * m; }
    return y;
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    if (!this.active) return dy;
    const total = ctx.batch * this.size, mask = this.mask, dx = (this.dx = ensure(this.dx, total, ctx.engine));
    if (ctx.engine.ops?.mul(dy, mask, dx, total)) return dx;
    for (let q = 0; q < total; q++) dx[q] = dy[q] * mask[q];
    return dx;
  }
}

/**
 * Dropout layer factory (seeded through the network's Rng); no parameters.
 * @param p - drop probability in [0, 1)
 * @throws RangeError if `p` is outside [0, 1)
 * @example sequential([784], [dropout(0.2), linear(10)])
 */
export function dropout(p: number): LayerFactory {
  mustBe('dropout', 'p', p, typeof p === 'number' && p >= 0 && p < 1, 'in [0, 1)');
  return (inShape) => new Dropout(inShape, p);
}
