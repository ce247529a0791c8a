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
 * x (zeroed first) accumulates Pᵀ back onto the inputs it was read from. Only input channels
 * [ch0, ch1) (rows ch0·k² … ch1·k² − 1 of Pᵀ; their planes of x): ranges split the work exactly.
 */
export function im2col(batch: i32, c: i32, h: i32, w: i32, k: i32, stride: i32, padding: i32, ho: i32, wo: i32,
  x: usize, pt: usize, add: i32, ch0: i32, ch1: i32): void {
  const positions = ho * wo, n = batch * positions;
  const plane = <usize>h * w << 2;
  if (add) for (let s = 0; s < batch; s++) memory.fill(x + <usize>(s * c + ch0) * plane, 0, <usize>(ch1 - ch0) * plane);
  let q = ch0 * k * k;
  for (let ch = ch0; ch < ch1; ch++) for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++, q++) {
    const lo = columnsLo(kx, w, wo, stride, padding), hi = columnsHi(lo, kx, w, wo, stride, padding);
    for (let s = 0; s < batch; s++) {
      const plane = (s * c + ch) * h * w;
      let o = q * n + s * positions;
      for (let oy = 0; oy < ho; oy++, o += wo) {
        const iy = oy * stride - padding + ky, out = pt + (<usize>o << 2);
        if (iy < 0 || iy >= h) { if (!add) memory.fill(out, 0, <usize>wo << 2); continue; }
        const src = x + (<isize>(plane + iy * w - padding + kx) << 2);
        if (add) {
          let ox = lo;
          // Stride 1: four distinct inputs per f32x4 add, each the same float32 sum as the scalar loop.
          if (stride == 1) for (; ox + 4 <= hi; ox += 4) {
            const at = src + (<usize>ox << 2);
            v128.store(at, f32x4.add(v128.load(at), v128.load(out + (<usize>ox << 2))));
          }
          for (; ox < hi; ox++) {
            const at = src + (<usize>(ox * stride) << 2);
            store<f32>(at, load<f32>(at) + load<f32>(out + (<usize>ox << 2)));
          }
          continue;
        }
        for (let ox = 0; ox < lo; ox++) store<f32>(out + (<usize>ox << 2), 0);
        // Rows are short (4–24 entries): inline copies, not memory.copy calls.
        if (stride == 1) copy(out + (<usize>lo << 2), src + (<usize>lo << 2), hi - lo);
        else for (let ox = lo; ox < hi; ox++) store<f32>(out + (<usize>ox << 2), load<f32>(src + (<usize>(ox * stride) << 2)));
        for (let ox = hi; ox < wo; ox++) store<f32>(out + (<usize>ox << 2), 0);
      }
    }
  }
}

/** count float32 values from src to dst (no overlap), four at a time. */
// @ts-ignore: decorator
@inline function copy(dst: usize, src: usize, count: i32): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) v128.store(dst + (<usize>i << 2), v128.load(src + (<usize>i << 2)));
  for (; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
}

/** y[s, j, p] = rowsT[j, s·positions + p] + b[j] for samples [s0, s1) (forward output blocks with the bias). */
export function convOut(batch: i32, f: i32, positions: i32, rowsT: usize, b: usize, y: usize, s0: i32, s1: i32): void {
  const n = batch * positions;
  for (let s = s0; s < s1; s++) for (let j = 0; j < f; j++) {
    const src = rowsT + (<usize>(j * n + s * positions) << 2), dst = y + (<usize>((s * f + j) * positions) << 2);
    const bj = load<f32>(b + (<usize>j << 2)), b4 = f32x4.splat(bj);
    let p = 0;
    for (; p + 4 <= positions; p += 4) v128.store(dst + (<usize>p << 2), f32x4.add(v128.load(src + (<usize>p << 2)), b4));
    for (; p < positions; p++) store<f32>(dst + (<usize>p << 2), load<f32>(src + (<usize>p << 2)) + bj);
  }
}

/**
 * ∂Y_rowsᵀ[j, s·positions + p] = ∂y[s, j, p], and ∂b[j] = Σ_s fl32(∂b[j] + Σ_p ∂y[s, j, p]) with the
 * inner sum in float64 (as the TypeScript loop), for channels [j0, j1).
 */
export function convGradRows(batch: i32, f: i32, positions: i32, dy: usize, gb: usize, dRowsT: usize, j0: i32, j1: i32): void {
  const n = batch * positions;
  memory.fill(gb + (<usize>j0 << 2), 0, <usize>(j1 - j0) << 2);
  for (let s = 0; s < batch; s++) {
    let j = j0;
    // Four channels' sums side by side: four independent float64 chains, each in order over p.
    for (; j + 4 <= j1; j += 4) {
      const row = dy + (<usize>((s * f + j) * positions) << 2), r = <usize>positions << 2;
      let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
      for (let p = 0; p < positions; p++) {
        const o = row + (<usize>p << 2);
        s0 += <f64>load<f32>(o); s1 += <f64>load<f32>(o + r); s2 += <f64>load<f32>(o + 2 * r); s3 += <f64>load<f32>(o + 3 * r);
      }
      addGrad(gb, j, s0); addGrad(gb, j + 1, s1); addGrad(gb, j + 2, s2); addGrad(gb, j + 3, s3);
    }
    for (; j < j1; j++) {
      const row = dy + (<usize>((s * f + j) * positions) << 2);
      let sum: f64 = 0;
      for (let p = 0; p < positions; p++) sum += <f64>load<f32>(row + (<usize>p << 2));
      addGrad(gb, j, sum);
    }
    for (j = j0; j < j1; j++) memory.copy(dRowsT + (<usize>(j * n + s * positions) << 2), dy + (<usize>((s * f + j) * positions) << 2), <usize>positions << 2);
  }
}

/** gb[j] = fl32(gb[j] + sum). */
// @ts-ignore: decorator
@inline function addGrad(gb: usize, j: i32, sum: f64): void {
  const g = gb + (<usize>j << 2);
  store<f32>(g, <f32>(<f64>load<f32>(g) + sum));
}

/**
 * Max pooling over k×k windows with stride k on planes [pl0, pl1) of h × w: y = the window maximum
 * (a NaN wins), argmax = its flat input index (first maximal entry in row-major order). Four
 * output columns at a time, one per lane, each lane making the scalar loop's comparisons in its
 * order (selects, not branches: which entry wins is unpredictable).
 */
export function maxPool(pl0: i32, pl1: i32, h: i32, w: i32, k: i32, x: usize, y: usize, argmax: usize): void {
  const ho = h / k, wo = w / k, kb = <usize>k << 2, lanes = i32x4(0, k, 2 * k, 3 * k);
  let q = pl0 * ho * wo;
  for (let pl = pl0; pl < pl1; pl++) {
    const base = pl * h * w;
    for (let oy = 0; oy < ho; oy++) {
      let ox = 0;
      for (; ox + 4 <= wo; ox += 4, q += 4) {
        let best = f32x4.splat(-Infinity), bestAt = i32x4.add(i32x4.splat(base + oy * k * w + ox * k), lanes);
        for (let ky = 0; ky < k; ky++) {
          const row = base + (oy * k + ky) * w + ox * k;
          for (let kx = 0; kx < k; kx++) {
            const at = x + (<usize>(row + kx) << 2);
            let v = f32x4.splat(load<f32>(at));
            v = f32x4.replace_lane(v, 1, load<f32>(at + kb));
            v = f32x4.replace_lane(v, 2, load<f32>(at + 2 * kb));
            v = f32x4.replace_lane(v, 3, load<f32>(at + 3 * kb));
            const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
            best = v128.bitselect(v, best, take);
            bestAt = v128.bitselect(i32x4.add(i32x4.splat(row + kx), lanes), bestAt, take);
          }
        }
        v128.store(y + (<usize>q << 2), best);
        v128.store(argmax + (<usize>q << 2), bestAt);
      }
      for (; ox < wo; ox++, q++) {
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
}

/**
 * dx[i0 … i1) zeroed, then dx accumulates ∂y[q] at argmax[q] for q in [q0, q1), in order (the
 * outputs of whole planes and their inputs: windows do not overlap, so plane ranges split it exactly).
 */
export function maxPoolBackward(q0: i32, q1: i32, i0: i32, i1: i32, dy: usize, argmax: usize, dx: usize): void {
  memory.fill(dx + (<usize>i0 << 2), 0, <usize>(i1 - i0) << 2);
  for (let q = q0; q < q1; q++) {
    const at = dx + (<usize>load<i32>(argmax + (<usize>q << 2)) << 2);
    store<f32>(at, load<f32>(at) + load<f32>(dy + (<usize>q << 2)));
  }
}
