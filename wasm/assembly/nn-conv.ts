// Layout kernels of the convolution and pooling layers (src/nn/conv2d.ts, max-pool.ts), float32
// arrays at byte offsets: im2col / col2im on Pᵀ, the (F × N) ↔ per-sample (F, positions) block
// moves with the bias, and max pooling. Each mirrors the layer's TypeScript loop in the same order
// (col2im and the sums accumulate exactly as there), so both paths give identical bits.

/** [lo, hi): output columns ox whose input column ox·stride − padding + kx lies in [0, w). */
// @ts-ignore: decorator
@inline function columnsLo(kx: i32, w: i32, wo: i32, stride: i32, padding: i32): i32 {
  const d = padding - kx;
  const lo = d <= 0 ? 0 : (d + stride - 1) / stride;
  return min(wo, lo);
}
// @ts-ignore: decorator
@inline function columnsHi(lo: i32, kx: i32, w: i32, wo: i32, stride: i32, padding: i32): i32 {
  const e = w - 1 + padding - kx; // floor(e / stride) + 1, e may be negative
  const hi = e < 0 ? 0 : e / stride + 1;
  return max(lo, min(wo, hi));
}

/**
 * Pᵀ (K × N), K = c·k·k rows (ch, ky, kx), N = batch·ho·wo columns (s, oy, ox): x[s, ch, oy·stride −
 * padding + ky, ox·stride − padding + kx], 0 outside the input. With `add` ≠ 0 the reverse (col2im):
 * x (zeroed first) accumulates Pᵀ back onto the inputs it was read from.
 */
export function im2col(batch: i32, c: i32, h: i32, w: i32, k: i32, stride: i32, padding: i32, ho: i32, wo: i32,
  x: usize, pt: usize, add: i32): void {
  const positions = ho * wo, n = batch * positions;
  if (add) memory.fill(x, 0, <usize>batch * c * h * w << 2);
  let q = 0;
  for (let ch = 0; ch < c; ch++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++, q++) {
    const lo = columnsLo(kx, w, wo, stride, padding), hi = columnsHi(lo, kx, w, wo, stride, padding);
    for (let s = 0; s < batch; s++) {
      const plane = (s * c + ch) * h * w;
      let o = q * n + s * positions;
      for (let oy = 0; oy < ho; oy++, o += wo) {
        const iy = oy * stride - padding + ky, out = pt + (<usize>o << 2);
        if (iy < 0 || iy >= h) { if (!add) memory.fill(out, 0, <usize>wo << 2); continue; }
        const src = x + (<isize>(plane + iy * w - padding + kx) << 2);
        if (add) {
          for (let ox = lo; ox < hi; ox++) {
            const at = src + (<usize>(ox * stride) << 2);
            store<f32>(at, load<f32>(at) + load<f32>(out + (<usize>ox << 2)));
          }
          continue;
        }
        if (lo > 0) memory.fill(out, 0, <usize>lo << 2);
        if (stride == 1) memory.copy(out + (<usize>lo << 2), src + (<usize>lo << 2), <usize>(hi - lo) << 2);
        else for (let ox = lo; ox < hi; ox++) store<f32>(out + (<usize>ox << 2), load<f32>(src + (<usize>(ox * stride) << 2)));
        if (hi < wo) memory.fill(out + (<usize>hi << 2), 0, <usize>(wo - hi) << 2);
      }
    }
  }
}

/** y[s, j, p] = rowsT[j, s·positions + p] + b[j] (forward output blocks with the bias). */
export function convOut(batch: i32, f: i32, positions: i32, rowsT: usize, b: usize, y: usize): void {
  const n = batch * positions;
  for (let s = 0; s < batch; s++) for (let j = 0; j < f; j++) {
    const src = rowsT + (<usize>(j * n + s * positions) << 2), dst = y + (<usize>((s * f + j) * positions) << 2);
    const bj = load<f32>(b + (<usize>j << 2));
    for (let p = 0; p < positions; p++) store<f32>(dst + (<usize>p << 2), load<f32>(src + (<usize>p << 2)) + bj);
  }
}

/**
 * ∂Y_rowsᵀ[j, s·positions + p] = ∂y[s, j, p], and ∂b[j] = Σ_s fl32(∂b[j] + Σ_p ∂y[s, j, p]) with the
 * inner sum in float64 (as the TypeScript loop).
 */
export function convGradRows(batch: i32, f: i32, positions: i32, dy: usize, gb: usize, dRowsT: usize): void {
  const n = batch * positions;
  memory.fill(gb, 0, <usize>f << 2);
  for (let s = 0; s < batch; s++) for (let j = 0; j < f; j++) {
    const row = dy + (<usize>((s * f + j) * positions) << 2);
    let sum: f64 = 0;
    for (let p = 0; p < positions; p++) sum += <f64>load<f32>(row + (<usize>p << 2));
    const g = gb + (<usize>j << 2);
    store<f32>(g, <f32>(<f64>load<f32>(g) + sum));
    memory.copy(dRowsT + (<usize>(j * n + s * positions) << 2), row, <usize>positions << 2);
  }
}

/**
 * Max pooling over k×k windows with stride k on `planes` planes of h × w: y = the window maximum
 * (a NaN wins), argmax = its flat input index (first maximal entry in row-major order).
 */
export function maxPool(planes: i32, h: i32, w: i32, k: i32, x: usize, y: usize, argmax: usize): void {
  const ho = h / k, wo = w / k;
  let q = 0;
  for (let pl = 0; pl < planes; pl++) {
    const base = pl * h * w;
    for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++, q++) {
      let best: f32 = -Infinity, bestAt = base + oy * k * w + ox * k;
      for (let ky = 0; ky < k; ky++) {
        const row = base + (oy * k + ky) * w + ox * k;
        for (let kx = 0; kx < k; kx++) {
          const v = load<f32>(x + (<usize>(row + kx) << 2));
          if (v > best || (v != v && best == best)) { best = v; bestAt = row + kx; }
        }
      }
      store<f32>(y + (<usize>q << 2), best);
      store<i32>(argmax + (<usize>q << 2), bestAt);
    }
  }
}

/** dx (inTotal entries, zeroed first) accumulates ∂y[q] at argmax[q], q in order. */
export function maxPoolBackward(outTotal: i32, inTotal: i32, dy: usize, argmax: usize, dx: usize): void {
  memory.fill(dx, 0, <usize>inTotal << 2);
  for (let q = 0; q < outTotal; q++) {
    const at = dx + (<usize>load<i32>(argmax + (<usize>q << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(dy + (<usize>q << 2)));
  }
}
