/** Rectified linear unit y = max(x, 0) elementwise; ∂x = ∂y where y > 0 (0 at the kink). */
import { emptyBuffer, ensure, shapeSize, type Layer, type LayerFactory, type PassContext } from './layer.js';

class Relu implements Layer {
  readonly kind = 'relu';
  readonly outShape: readonly number[];
  readonly paramCount = 0;
  readonly buffers: Float32Array[] = [];
  private readonly size: number;
  private y = emptyBuffer(); private dx = emptyBuffer();

  constructor(readonly inShape: readonly number[]) { this.outShape = inShape; this.size = shapeSize(inShape); }
  bind(): void { /* no parameters */ }
  init(): void { /* no parameters */ }

  forward(x: Float32Array, ctx: PassContext): Float32Array {
    const total = ctx.batch * this.size, y = (this.y = ensure(this.y, total, ctx.engine));
    if (ctx.engine.ops?.relu(x, y, total)) return y;
    for (let p = 0; p < total; p++) { const v = x[p]; y[p] = v < 0 ? 0 : v; } // NaN in, NaN out
    return y;
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const total = ctx.batch * this.size, y = this.y, dx = (this.dx = ensure(this.dx, total, ctx.engine));
    if (ctx.engine.ops?.reluBackward(y, dy, dx, total)) return dx;
    for (let p = 0; p < total; p++) dx[p] = y[p] > 0 ? dy[p] : 0;
    return dx;
  }
}

/**
 * ReLU layer factory: y = max(x, 0); no parameters.
 * @example sequential([4], [relu()])
 */
export function relu(): LayerFactory {
  return (inShape) => new Relu(inShape);
}
