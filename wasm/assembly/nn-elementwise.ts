// Elementwise kernels of the network layers (src/nn/wasm-ops.ts), float32 arrays at byte offsets.
// Each one performs exactly the arithmetic of the layer's TypeScript loop, in the same order
// (float64 where the TypeScript computes in doubles, one float32 rounding per store), so the two
// paths give identical bits; only independent lanes are vectorised.

import { rotl4 } from './lib/xoshiro-lanes';

/** y = max(x, 0), NaN kept (x < 0 is false for NaN). */
export function relu(n: i32, x: usize, y: usize): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2, v = v128.load(x + o);
    v128.store(y + o, v128.bitselect(z, v, f32x4.lt(v, z)));
  }
  for (; i < n; i++) { const o = <usize>i << 2, v = load<f32>(x + o); store<f32>(y + o, v < 0 ? 0 : v); }
}

/** dx = ∂y where y > 0, else 0. */
export function reluBackward(n: i32, y: usize, dy: usize, dx: usize): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), z)));
  }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(dx + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0); }
}

/** out = a·b elementwise (a dropout mask applied forward or backward). */
export function mul(n: i32, a: usize, b: usize, out: usize): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) { const o = <usize>i << 2; v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o))); }
  for (; i < n; i++) { const o = <usize>i << 2; store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o)); }
}

// @ts-ignore: decorator
@inline function rotl(x: u32, k: u32): u32 { return (x << k) | (x >>> (32 - k)); }

/**
 * Dropout mask from the xoshiro128** state at `state` (4 words, advanced in place): per entry
 * u = ((w₁ >>> 5)·2²⁶ + (w₂ >>> 6))/2⁵³ from two successive words (Rng.uniform), mask = keep if
 * u ≥ p else 0; then y = x·mask.
 */
export function dropout(n: i32, state: usize, p: f64, keep: f32, mask: usize, x: usize, y: usize): void {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  const threshold = p * 9007199254740992; // u ≥ p ⟺ u·2⁵³ ≥ p·2⁵³, both exact (u·2⁵³ is the 53-bit integer)
  const keepBits = reinterpret<u32>(keep);
  for (let i = 0; i < n; i++) {
    const w1 = rotl(s1 * 5, 7) * 9;
    let t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    const w2 = rotl(s1 * 5, 7) * 9;
    t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
    // Branch-free (the draw is unpredictable): the comparison's 0 or 1 selects keep's bits or +0.
    const kept = <u32>(<f64>(w1 >>> 5) * 67108864 + <f64>(w2 >>> 6) >= threshold);
    const m = reinterpret<f32>(keepBits & (0 - kept));
    const o = <usize>i << 2;
    store<f32>(mask + o, m);
    store<f32>(y + o, load<f32>(x + o) * m);
  }
  store<u32>(state, s0); store<u32>(state, s1, 4); store<u32>(state, s2, 8); store<u32>(state, s3, 12);
}

/**
 * {@link dropout} on four stretches of the one stream at once, one per i32x4 lane: with
 * q = ⌊n/4⌋, lane L draws the masks of entries L·q … L·q + q − 1, from its own start state (the
 * stream jumped 2·L·q words ahead, by the caller); the last n − 4q entries follow lane 3 in
 * scalar code. `state`: 16 words, word w of lane L at w·4 + L (start), then 4 words written with
 * the state after all n draws. Same draws, same comparison (u ≥ p as integers: u·2⁵³ ≥ ⌈p·2⁵³⌉),
 * same products: the masks and y of {@link dropout}, bit for bit.
 */
export function dropout4(n: i32, state: usize, p: f64, keep: f32, mask: usize, x: usize, y: usize): void {
  const q = n >> 2, c = <u64>ceil(p * 9007199254740992);
  const th = i32x4.splat(<i32>(c >> 26)), tl = i32x4.splat(<i32>(c & 0x3ffffff)), keep4 = i32x4.splat(reinterpret<i32>(keep));
  const five = i32x4.splat(5), nine = i32x4.splat(9);
  let s0 = v128.load(state), s1 = v128.load(state, 16), s2 = v128.load(state, 32), s3 = v128.load(state, 48);
  const qb = <usize>q << 2;
  for (let i = 0; i < q; i++) {
    const w1 = i32x4.mul(rotl4(i32x4.mul(s1, five), 7), nine);
    let t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3); s2 = v128.xor(s2, t); s3 = rotl4(s3, 11);
    const w2 = i32x4.mul(rotl4(i32x4.mul(s1, five), 7), nine);
    t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3); s2 = v128.xor(s2, t); s3 = rotl4(s3, 11);
    const hi = i32x4.shr_u(w1, 5), lo = i32x4.shr_u(w2, 6); // < 2²⁷ and < 2²⁶: signed compares are exact
    const kept = v128.or(i32x4.gt_s(hi, th), v128.and(i32x4.eq(hi, th), i32x4.ge_s(lo, tl)));
    const m = v128.and(keep4, kept), o = mask + (<usize>i << 2);
    v128.store32_lane(o, m, 0); v128.store32_lane(o + qb, m, 1); v128.store32_lane(o + 2 * qb, m, 2); v128.store32_lane(o + 3 * qb, m, 3);
  }
  // The tail continues lane 3's stream.
  const out = state + 64;
  store<u32>(out, i32x4.extract_lane(s0, 3)); store<u32>(out, i32x4.extract_lane(s1, 3), 4);
  store<u32>(out, i32x4.extract_lane(s2, 3), 8); store<u32>(out, i32x4.extract_lane(s3, 3), 12);
  const done = q << 2;
  dropout(n - done, out, p, keep, mask + (<usize>done << 2), x + (<usize>done << 2), y + (<usize>done << 2));
  mul(done, x, mask, y);
}

/** y[s, j] += b[j] for rows × cols. */
export function addRows(rows: i32, cols: i32, b: usize, y: usize): void {
  for (let s = 0; s < rows; s++) {
    const row = y + (<usize>s * cols << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) { const o = <usize>j << 2; v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(b + o))); }
    for (; j < cols; j++) { const o = <usize>j << 2; store<f32>(row + o, load<f32>(row + o) + load<f32>(b + o)); }
  }
}

/** out[j] = Σ_s dy[s, j] in float32, s in order (a bias gradient); rows of dy are `ld` apart. */
export function sumRows(rows: i32, cols: i32, ld: i32, dy: usize, out: usize): void {
  memory.fill(out, 0, <usize>cols << 2);
  for (let s = 0; s < rows; s++) {
    const row = dy + (<usize>s * ld << 2);
    let j = 0;
    for (; j + 4 <= cols; j += 4) { const o = <usize>j << 2; v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(row + o))); }
    for (; j < cols; j++) { const o = <usize>j << 2; store<f32>(out + o, load<f32>(out + o) + load<f32>(row + o)); }
  }
}

/**
 * Batch-norm statistics on x (batch, c, spatial) for channels [ch0, ch1): acc[ch] = Σ x,
 * sequentially over samples then positions, in float64; with `center` ≠ 0, acc[ch] = Σ (x − mean[ch])²
 * instead. Each channel's sum is the same whatever range it is computed in.
 */
export function bnSums(batch: i32, c: i32, spatial: i32, ch0: i32, ch1: i32, x: usize, mean: usize, center: i32, acc: usize): void {
  if (spatial == 1 && ((ch0 | ch1) & 1) == 0) { bnSums1d(batch, c, ch0, ch1, x, mean, center, acc); return; }
  memory.fill(acc + (<usize>ch0 << 3), 0, <usize>(ch1 - ch0) << 3);
  for (let s = 0; s < batch; s++) for (let ch = ch0; ch < ch1; ch++) {
    const o = x + (<usize>(s * c + ch) * spatial << 2), a = acc + (<usize>ch << 3);
    let sum = load<f64>(a);
    if (center) {
      const mu = load<f64>(mean + (<usize>ch << 3));
      for (let q = 0; q < spatial; q++) { const d = <f64>load<f32>(o + (<usize>q << 2)) - mu; sum += d * d; }
    } else {
      for (let q = 0; q < spatial; q++) sum += <f64>load<f32>(o + (<usize>q << 2));
    }
    store<f64>(a, sum);
  }
}

/** x̂ = (x − mean)·invStd and y = γ·x̂ + β per channel (x̂ rounded to float32 only when stored). */
export function bnNormalize(batch: i32, c: i32, spatial: i32, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize,
  xhat: usize, y: usize): void {
  if (spatial == 1 && (c & 1) == 0) { bnNormalize1d(batch, c, x, mean, invStd, gamma, beta, xhat, y); return; }
  for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
    const off = <usize>(s * c + ch) * spatial << 2;
    const mu = load<f64>(mean + (<usize>ch << 3)), is = load<f64>(invStd + (<usize>ch << 3));
    const g = <f64>load<f32>(gamma + (<usize>ch << 2)), b = <f64>load<f32>(beta + (<usize>ch << 2));
    for (let q = 0; q < spatial; q++) {
      const o = off + (<usize>q << 2), h = (<f64>load<f32>(x + o) - mu) * is;
      store<f32>(xhat + o, <f32>h);
      store<f32>(y + o, <f32>(g * h + b));
    }
  }
}

/** Σ ∂y and Σ ∂y·x̂ per channel for channels [ch0, ch1) (float64, samples then positions). */
export function bnBackwardSums(batch: i32, c: i32, spatial: i32, ch0: i32, ch1: i32, dy: usize, xhat: usize, sumDy: usize, sumDyXhat: usize): void {
  if (spatial == 1 && ((ch0 | ch1) & 1) == 0) { bnBackwardSums1d(batch, c, ch0, ch1, dy, xhat, sumDy, sumDyXhat); return; }
  memory.fill(sumDy + (<usize>ch0 << 3), 0, <usize>(ch1 - ch0) << 3);
  memory.fill(sumDyXhat + (<usize>ch0 << 3), 0, <usize>(ch1 - ch0) << 3);
  for (let s = 0; s < batch; s++) for (let ch = ch0; ch < ch1; ch++) {
    const off = <usize>(s * c + ch) * spatial << 2, a = <usize>ch << 3;
    let sd = load<f64>(sumDy + a), sdx = load<f64>(sumDyXhat + a);
    for (let q = 0; q < spatial; q++) {
      const o = off + (<usize>q << 2), d = <f64>load<f32>(dy + o);
      sd += d; sdx += d * <f64>load<f32>(xhat + o);
    }
    store<f64>(sumDy + a, sd); store<f64>(sumDyXhat + a, sdx);
  }
}

/**
 * ∂x = scale·(∂y − meanDy − x̂·meanDyXhat) per channel (batch statistics), or scale·∂y when
 * `constant` ≠ 0 (running statistics).
 */
export function bnBackwardDx(batch: i32, c: i32, spatial: i32, dy: usize, xhat: usize, scale: usize, meanDy: usize, meanDyXhat: usize,
  constant: i32, dx: usize): void {
  if (spatial == 1 && (c & 1) == 0) { bnBackwardDx1d(batch, c, dy, xhat, scale, meanDy, meanDyXhat, constant, dx); return; }
  for (let s = 0; s < batch; s++) for (let ch = 0; ch < c; ch++) {
    const off = <usize>(s * c + ch) * spatial << 2, a = <usize>ch << 3;
    const sc = load<f64>(scale + a), md = load<f64>(meanDy + a), mdx = load<f64>(meanDyXhat + a);
    if (constant) {
      for (let q = 0; q < spatial; q++) { const o = off + (<usize>q << 2); store<f32>(dx + o, <f32>(sc * <f64>load<f32>(dy + o))); }
    } else {
      for (let q = 0; q < spatial; q++) {
        const o = off + (<usize>q << 2);
        store<f32>(dx + o, <f32>(sc * (<f64>load<f32>(dy + o) - md - <f64>load<f32>(xhat + o) * mdx)));
      }
    }
  }
}

// The batch-norm kernels on 1-D inputs (spatial = 1) with even channel bounds: two channels per
// f64x2 lane pair, the same float64 operations per channel in the same order as the scalar loops.

// @ts-ignore: decorator
@inline function ld2(p: usize): v128 { return f64x2.promote_low_f32x4(v128.load64_zero(p)); }
// @ts-ignore: decorator
@inline function st2(p: usize, v: v128): void { v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0); }

function bnSums1d(batch: i32, c: i32, ch0: i32, ch1: i32, x: usize, mean: usize, center: i32, acc: usize): void {
  memory.fill(acc + (<usize>ch0 << 3), 0, <usize>(ch1 - ch0) << 3);
  for (let s = 0; s < batch; s++) {
    const row = x + (<usize>s * c << 2);
    for (let ch = ch0; ch < ch1; ch += 2) {
      const a = acc + (<usize>ch << 3), v = ld2(row + (<usize>ch << 2));
      if (center) { const d = f64x2.sub(v, v128.load(mean + (<usize>ch << 3))); v128.store(a, f64x2.add(v128.load(a), f64x2.mul(d, d))); }
      else v128.store(a, f64x2.add(v128.load(a), v));
    }
  }
}

function bnNormalize1d(batch: i32, c: i32, x: usize, mean: usize, invStd: usize, gamma: usize, beta: usize, xhat: usize, y: usize): void {
  for (let s = 0; s < batch; s++) {
    const off = <usize>s * c << 2;
    for (let ch = 0; ch < c; ch += 2) {
      const o = off + (<usize>ch << 2), q = <usize>ch << 3, r = <usize>ch << 2;
      const h = f64x2.mul(f64x2.sub(ld2(x + o), v128.load(mean + q)), v128.load(invStd + q));
      st2(xhat + o, h);
      st2(y + o, f64x2.add(f64x2.mul(ld2(gamma + r), h), ld2(beta + r)));
    }
  }
}

function bnBackwardSums1d(batch: i32, c: i32, ch0: i32, ch1: i32, dy: usize, xhat: usize, sumDy: usize, sumDyXhat: usize): void {
  memory.fill(sumDy + (<usize>ch0 << 3), 0, <usize>(ch1 - ch0) << 3);
  memory.fill(sumDyXhat + (<usize>ch0 << 3), 0, <usize>(ch1 - ch0) << 3);
  for (let s = 0; s < batch; s++) {
    const off = <usize>s * c << 2;
    for (let ch = ch0; ch < ch1; ch += 2) {
      const o = off + (<usize>ch << 2), q = <usize>ch << 3, d = ld2(dy + o);
      v128.store(sumDy + q, f64x2.add(v128.load(sumDy + q), d));
      v128.store(sumDyXhat + q, f64x2.add(v128.load(sumDyXhat + q), f64x2.mul(d, ld2(xhat + o))));
    }
  }
}

function bnBackwardDx1d(batch: i32, c: i32, dy: usize, xhat: usize, scale: usize, meanDy: usize, meanDyXhat: usize, constant: i32, dx: usize): void {
  for (let s = 0; s < batch; s++) {
    const off = <usize>s * c << 2;
    for (let ch = 0; ch < c; ch += 2) {
      const o = off + (<usize>ch << 2), q = <usize>ch << 3, d = ld2(dy + o), sc = v128.load(scale + q);
      if (constant) st2(dx + o, f64x2.mul(sc, d));
      else st2(dx + o, f64x2.mul(sc, f64x2.sub(f64x2.sub(d, v128.load(meanDy + q)), f64x2.mul(ld2(xhat + o), v128.load(meanDyXhat + q)))));
    }
  }
}

/**
 * Copies n float32 values from src to dst and returns 1 if one of them is NaN or ±∞, else 0: the
 * exponent bits tested on integer lanes beside the copy, which memory bounds (the network's gradient
 * copy into an optimizer's vector, which then needs no separate check: src/nn/network.ts).
 */
export function copyFinite(n: i32, src: usize, dst: usize): i32 {
  const e = i32x4.splat(0x7f800000);
  let bad = i32x4.splat(0), i = 0;
  for (; i + 8 <= n; i += 8) {
    const o = <usize>i << 2, v0 = v128.load(src + o), v1 = v128.load(src + o, 16);
    v128.store(dst + o, v0); v128.store(dst + o, v1, 16);
    bad = v128.or(bad, v128.or(i32x4.eq(v128.and(v0, e), e), i32x4.eq(v128.and(v1, e), e)));
  }
  let b: i32 = v128.any_true(bad) ? 1 : 0;
  for (; i < n; i++) {
    const w = load<u32>(src + (<usize>i << 2));
    store<u32>(dst + (<usize>i << 2), w);
    if ((w & 0x7f800000) == 0x7f800000) b = 1;
  }
  return b;
}
