/**
 * Max pooling over non-overlapping k×k windows with stride k (as the paper's LeNet uses):
 * input (C, H, W) → (C, ⌊H/k⌋, ⌊W/k⌋). The gradient flows to the first maximal entry of each
 * window (row-major order), as in PyTorch.
 */
import { mustBe, mustBeInteger } from '../util/validate.js';
import { emptyBuffer, ensure, type Layer, type LayerFactory, type PassContext } from './layer.js';

class MaxPool implements Layer {
  readonly kind: string;
  readonly outShape: readonly number[];
  readonly paramCount = 0;
  readonly buffers: Float32Array[] = [];
  private readonly c: number; private readonly h: number; private readonly w: number;
  private readonly ho: number; private readonly wo: number;
  private y = emptyBuffer(); private dx = emptyBuffer();
  private argmax: Int32Array = new Int32Array(0);

  constructor(readonly inShape: readonly number[], private readonly k: number) {
    [this.c, this.h, this.w] = inShape;
    this.ho = Math.floor(this.h / k); this.wo = Math.floor(this.w / k);
    this.outShape = [this.c, this.ho, this.wo];
    this.kind = `maxPool(${k})`;
  }
  bind(): void { /* no parameters */ }
  init(): void { /* no parameters */ }

  forward(x: Float32Array, ctx: PassContext): Float32Array {
    const { c, h, w, ho, wo, k } = this, planes = ctx.batch * c, total = planes * ho * wo;
    const y = (this.y = ensure(this.y, total, ctx.engine));
    const ops = ctx.engine.ops;
    if (this.argmax.length < total) this.argmax = ops ? ops.allocI32(total) : new Int32Array(total);
    const argmax = this.argmax;
    if (ops?.maxPool(x, y, argmax, planes, h, w, k)) return y;
    let q = 0;
    for (let pl = 0; pl < planes; pl++) {
      const base = pl * h * w;
      for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++, q++) {
        let best = -Infinity, bestAt = base + oy * k * w + ox * k;
        for (let ky = 0; ky < k; ky++) {
          const row = base + (oy * k + ky) * w + ox * k;
          for (let kx = 0; kx < k; kx++) { const v = x[row + kx]; if (v > best || (v !== v && best === best)) { best = v; bestAt = row + kx; } } // a NaN wins: NaN in, NaN out
        }
        y[q] = best; argmax[q] = bestAt;
      }
    }
    return y;
  }

  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null {
    if (!needInput) return null;
    const inTotal = ctx.batch * this.c * this.h * this.w, outTotal = ctx.batch * this.c * this.ho * this.wo;
    const dx = (this.dx = ensure(this.dx, inTotal, ctx.engine)), argmax = this.argmax;
    if (ctx.engine.ops?.maxPoolBackward(dy, argmax, dx, outTotal, inTotal, ctx.batch * this.c)) return dx;
    dx.fill(0, 0, inTotal);
    for (let q = 0; q < outTotal; q++) dx[argmax[q]] += dy[q];
    return dx;
  }
}

/**
 * Max-pooling layer factory over k×k windows with stride k on (C, H, W) inputs; no parameters.
 * @param k - window size and stride, an integer ≥ 1
 * @throws RangeError if `k` is not a positive integer, the input is not 3-D, or k exceeds H or W
 * @example sequential([20, 24, 24], [maxPool(3)]) // output (20, 8, 8)
 */
export function maxPool(k: number): LayerFactory {
  mustBeInteger('maxPool', 'k', k, 1);
  return (inShape) => {
    mustBe('maxPool', 'input shape', inShape, inShape.length === 3, 'a 3-D per-sample shape [channels, height, width]');
    mustBe('maxPool', 'k', k, k <= Math.min(inShape[1], inShape[2]), `≤ the input size ${Math.min(inShape[1], inShape[2])}`);
    return new MaxPool(inShape, k);
  };
}
