// Fused passes of HJ (src/optim/hj.ts) and SAM (src/optim/sam.ts) on float64 or float32 vectors in
// linear memory. The point where the gradient is evaluated lives in x's own buffer (`x`: the
// caller's parameters when the workspace holds them, so the oracle evaluates at x itself and loads
// nothing), the anchor in a copy `xs` that the first pass makes; the last pass writes the outer
// momentum step from the anchor into x's buffer. So a step reads and writes each vector as few times
// as the iteration allows.
//
// Arithmetic in the vector's own precision (lib/t-lanes.ts), as in optim-inner.ts: float64 vectors in
// float64 (f64x2) with the operations of the plain JS loops in their order, so bit-identical to them;
// float32 vectors in float32 (f32x4, four elements per instruction, every scalar argument rounded to
// float32 first), as PyTorch computes float32 parameters: bit-identical to the same loops with
// Math.fround after every operation (test/reference/optim-previous/hj.ts, sam.ts). No fused
// multiply-add. Weight decay as PyTorch applies it: the term wd·w is formed only when wd ≠ 0 (a
// compile-time loop of its own; with wd = 0, w is not even loaded where only that term needs it),
// so g + 0·w (which is not g for g = −0 or a non-finite w) never arises.
//
// Pointers are byte offsets. Each update kernel returns 1 if some entry of the gradient it read is
// NaN or ±∞, else 0 (integer lanes: see flagBadT). They write x's buffer and, in the last pass, the
// momentum buffer at `vo` (read at `vb`: double-buffered), so on a bad gradient the caller copies
// the anchor back into x and keeps the buffer at `vb`.

import { lanes, ldT, stT, addT, subT, mulT, splatT, flagBadT, applyMomentumT } from './lib/t-lanes';

/** Copies one element (`one`) or one vector from src to dst, bits unchanged (NaN payloads too). */
// @ts-ignore: decorator
@inline function cp<T>(dst: usize, src: usize, one: bool): void {
  if (!one) v128.store(dst, v128.load(src));
  else if (sizeof<T>() == 8) store<u64>(dst, load<u64>(src));
  else store<u32>(dst, load<u32>(src));
}

// ---- HJ fixed point, first pass (after the evaluation at x): X ← x, p ← g [+ wd·x], and the first
// inner point w = x − t·p into x's buffer. Each element is read before it is written. p may be the
// gradient itself (the caller lets the first evaluation write into p's vector): then with wd = 0
// p₀ = g is already in place and not stored (`storeP` false).
// @ts-ignore: decorator
@inline function startAt<T>(o: usize, x: usize, xs: usize, grad: usize, p: usize, wd: v128, t: v128, hasWd: bool, storeP: bool, bad: v128, one: bool): v128 {
  const xv = ldT<T>(x + o, one), g = ldT<T>(grad + o, one);
  cp<T>(xs + o, x + o, one);
  const pv = hasWd ? addT<T>(g, mulT<T>(wd, xv)) : g;
  if (storeP) stT<T>(p + o, pv, one);
  stT<T>(x + o, subT<T>(xv, mulT<T>(t, pv)), one);
  return flagBadT<T>(bad, g);
}
// @ts-ignore: decorator
@inline function startLoop<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64, hasWd: bool, storeP: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, step = lanes<T>(), vwd = splatT<T>(wd), vt = splatT<T>(t);
  let bad = i64x2.splat(0), i = 0;
  for (; i + step <= n; i += step) bad = startAt<T>(<usize>i << s, x, xs, grad, p, vwd, vt, hasWd, storeP, bad, false);
  for (; i < n; i++) bad = startAt<T>(<usize>i << s, x, xs, grad, p, vwd, vt, hasWd, storeP, bad, true);
  return v128.any_true(bad) ? 1 : 0;
}
// @ts-ignore: decorator
@inline function startAny<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64): f64 {
  if (wd != 0) return startLoop<T>(n, x, xs, grad, p, wd, t, true, true);
  return p == grad ? startLoop<T>(n, x, xs, grad, p, wd, t, false, false) : startLoop<T>(n, x, xs, grad, p, wd, t, false, true);
}
/**
 * HJ fixed point's first pass: xs ← x, p ← g + wd·x (g when wd = 0; p may be grad itself, in place),
 * x ← x − t·p. Returns 1 on a non-finite g.
 */
export function hjStartF64(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64): f64 { return startAny<f64>(n, x, xs, grad, p, wd, t); }
export function hjStartF32(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64): f64 { return startAny<f32>(n, x, xs, grad, p, wd, t); }

// ---- HJ fixed point, after the evaluation at w (in x's buffer): p ← (1 − α)·p + α·(g [+ wd·w]),
// then the next point w ← X − t·p into x's buffer, or (last) the outer step x ← X − lr·D(p). w is
// read only for wd·w (wd ≠ 0): reading it measured cheaper than recomputing it from X and p, and
// the same bits.
// @ts-ignore: decorator
@inline function stepAt<T>(o: usize, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: v128, a: v128, wd: v128,
  t: v128, lr: v128, m: v128, mode: i32, last: bool, hasWd: bool, bad: v128, one: bool): v128 {
  const g = ldT<T>(grad + o, one), pv = ldT<T>(p + o, one), xv = ldT<T>(xs + o, one);
  const gw = hasWd ? addT<T>(g, mulT<T>(wd, ldT<T>(x + o, one))) : g;
  const pn = addT<T>(mulT<T>(keep, pv), mulT<T>(a, gw));
  if (last) applyMomentumT<T>(x + o, vb + o, vo + o, xv, pn, lr, m, mode, one);
  else {
    stT<T>(p + o, pn, one);
    stT<T>(x + o, subT<T>(xv, mulT<T>(t, pn)), one);
  }
  return flagBadT<T>(bad, g);
}
// @ts-ignore: decorator
@inline function stepLoop<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: bool, hasWd: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, step = lanes<T>();
  const vk = splatT<T>(keep), va = splatT<T>(a), vwd = splatT<T>(wd), vt = splatT<T>(t), vlr = splatT<T>(lr), vm = splatT<T>(m);
  let bad = i64x2.splat(0), i = 0;
  for (; i + step <= n; i += step) bad = stepAt<T>(<usize>i << s, x, xs, grad, p, vb, vo, vk, va, vwd, vt, vlr, vm, mode, last, hasWd, bad, false);
  for (; i < n; i++) bad = stepAt<T>(<usize>i << s, x, xs, grad, p, vb, vo, vk, va, vwd, vt, vlr, vm, mode, last, hasWd, bad, true);
  return v128.any_true(bad) ? 1 : 0;
}
// @ts-ignore: decorator
@inline function stepWd<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: i32, hasWd: bool): f64 {
  if (!last) return stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 0, false, hasWd);
  if (mode == 0) return stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 0, true, hasWd);
  return mode == 1 ? stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 1, true, hasWd)
    : stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 2, true, hasWd);
}
/**
 * HJ fixed point's later passes (keep = 1 − α): p and the next w (last = 0), or p's last update and
 * the outer step from xs into x, momentum buffer read at vb and written at vo (last ≠ 0; mode as
 * applyMomentumT in lib/t-lanes.ts). Returns 1 on a non-finite g.
 */
export function hjStepF64(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: i32): f64 {
  return wd != 0 ? stepWd<f64>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, mode, last, true)
    : stepWd<f64>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, mode, last, false);
}
export function hjStepF32(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: i32): f64 {
  return wd != 0 ? stepWd<f32>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, mode, last, true)
    : stepWd<f32>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, mode, last, false);
}

// ---- HJ prox, after the evaluation at w (x's buffer): w ← w − η′·(g [+ wd·w] + (w − X)/t) in place;
// `first`: w is x itself, X ← x is made in the same pass; `last`: the new w is not stored but gives
// the outer direction d = (X − w)/t [+ wd·X] and the step x ← X − lr·D(d) into x's buffer.
// @ts-ignore: decorator
@inline function proxAt<T>(o: usize, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: v128, wd: v128, c: v128,
  lr: v128, m: v128, mode: i32, first: bool, last: bool, hasWd: bool, bad: v128, one: bool): v128 {
  const g = ldT<T>(grad + o, one), wv = ldT<T>(x + o, one);
  const xv = first ? wv : ldT<T>(xs + o, one);
  if (first) cp<T>(xs + o, x + o, one);
  const gw = hasWd ? addT<T>(g, mulT<T>(wd, wv)) : g;
  const wn = subT<T>(wv, mulT<T>(ilr, addT<T>(gw, mulT<T>(c, subT<T>(wv, xv)))));
  if (last) {
    const d = mulT<T>(subT<T>(xv, wn), c);
    applyMomentumT<T>(x + o, vb + o, vo + o, xv, hasWd ? addT<T>(d, mulT<T>(wd, xv)) : d, lr, m, mode, one);
  } else stT<T>(x + o, wn, one);
  return flagBadT<T>(bad, g);
}
// @ts-ignore: decorator
@inline function proxLoop<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: bool, last: bool, hasWd: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, step = lanes<T>();
  const vi = splatT<T>(ilr), vwd = splatT<T>(wd), vc = splatT<T>(c), vlr = splatT<T>(lr), vm = splatT<T>(m);
  let bad = i64x2.splat(0), i = 0;
  for (; i + step <= n; i += step) bad = proxAt<T>(<usize>i << s, x, xs, grad, vb, vo, vi, vwd, vc, vlr, vm, mode, first, last, hasWd, bad, false);
  for (; i < n; i++) bad = proxAt<T>(<usize>i << s, x, xs, grad, vb, vo, vi, vwd, vc, vlr, vm, mode, first, last, hasWd, bad, true);
  return v128.any_true(bad) ? 1 : 0;
}
// @ts-ignore: decorator
@inline function proxLast<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: bool, hasWd: bool): f64 {
  if (mode == 0) return proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 0, first, true, hasWd);
  return mode == 1 ? proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 1, first, true, hasWd)
    : proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 2, first, true, hasWd);
}
// @ts-ignore: decorator
@inline function proxWd<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: i32, last: i32, hasWd: bool): f64 {
  if (last) {
    return first ? proxLast<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, true, hasWd)
      : proxLast<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, false, hasWd);
  }
  return first ? proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 0, true, false, hasWd)
    : proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 0, false, false, hasWd);
}
/** One HJ prox pass (c = 1/t; first, last, mode as above). Returns 1 on a non-finite g. */
export function hjProxF64(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: i32, last: i32): f64 {
  return wd != 0 ? proxWd<f64>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, first, last, true)
    : proxWd<f64>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, first, last, false);
}
export function hjProxF32(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: i32, last: i32): f64 {
  return wd != 0 ? proxWd<f32>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, first, last, true)
    : proxWd<f32>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, first, last, false);
}

// ---- SAM: Σ g² in float64 in a fixed order. Eight running sums s₀…s₇ (four f64x2 accumulators):
// element i of the first n − n mod 8 goes into s_{i mod 8}, each sum left to right; then
// Σ = ((s₀ + s₂) + (s₄ + s₆)) + ((s₁ + s₃) + (s₅ + s₇)), and the last n mod 8 squares are added to Σ
// left to right. Four independent chains instead of one: the pass runs at the rate memory delivers
// g instead of at one float64 addition's latency per element. (float32 g is widened exactly; its
// squares and sums are float64, as before.)
// @ts-ignore: decorator
@inline function sq(v: v128): v128 { return f64x2.mul(v, v); }
// @ts-ignore: decorator
/** Elements j, j + 1 at p (byte offset of element j) as float64 lanes. */
@inline function pair<T>(p: usize): v128 {
  return sizeof<T>() == 8 ? v128.load(p) : f64x2.promote_low_f32x4(v128.load64_zero(p));
}
// @ts-ignore: decorator
@inline function normAny<T>(n: i32, g: usize): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, w: usize = 2 << s; // bytes per pair
  let a0 = f64x2.splat(0), a1 = a0, a2 = a0, a3 = a0, i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = g + (<usize>i << s);
    a0 = f64x2.add(a0, sq(pair<T>(p))); a1 = f64x2.add(a1, sq(pair<T>(p + w)));
    a2 = f64x2.add(a2, sq(pair<T>(p + 2 * w))); a3 = f64x2.add(a3, sq(pair<T>(p + 3 * w)));
  }
  const v = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let sum = f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
  for (; i < n; i++) {
    const e = sizeof<T>() == 8 ? load<f64>(g + (<usize>i << 3)) : <f64>load<f32>(g + (<usize>i << 2));
    sum += e * e;
  }
  return sum;
}
/** Σ g² over the n values at g, in the order described above (not split between threads: a sum). */
export function samNormF64(n: i32, g: usize): f64 { return normAny<f64>(n, g); }
export function samNormF32(n: i32, g: usize): f64 { return normAny<f32>(n, g); }

// ---- SAM's ascent: X ← x and x ← x + scale·g in one pass (x's buffer holds the shifted point).
// @ts-ignore: decorator
@inline function shiftAt<T>(o: usize, x: usize, xs: usize, grad: usize, scale: v128, one: bool): void {
  const xv = ldT<T>(x + o, one);
  cp<T>(xs + o, x + o, one);
  stT<T>(x + o, addT<T>(xv, mulT<T>(scale, ldT<T>(grad + o, one))), one);
}
// @ts-ignore: decorator
@inline function shiftAny<T>(n: i32, x: usize, xs: usize, grad: usize, scale: f64): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, step = lanes<T>(), vs = splatT<T>(scale);
  let i = 0;
  for (; i + step <= n; i += step) shiftAt<T>(<usize>i << s, x, xs, grad, vs, false);
  for (; i < n; i++) shiftAt<T>(<usize>i << s, x, xs, grad, vs, true);
  return 0;
}
/** SAM's shifted point: xs ← x, x ← x + scale·g (g checked before, by the norm). Returns 0. */
export function samShiftF64(n: i32, x: usize, xs: usize, grad: usize, scale: f64): f64 { return shiftAny<f64>(n, x, xs, grad, scale); }
export function samShiftF32(n: i32, x: usize, xs: usize, grad: usize, scale: f64): f64 { return shiftAny<f32>(n, x, xs, grad, scale); }

// ---- SAM's update, with the check of the gradient at the shifted point fused in: d = g [+ wd·X],
// x ← X − lr·D(d) into x's buffer, the momentum buffer read at vb and written at vo.
// @ts-ignore: decorator
@inline function updateAt<T>(o: usize, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, wd: v128, lr: v128, m: v128, mode: i32,
  hasWd: bool, bad: v128, one: bool): v128 {
  const g = ldT<T>(grad + o, one), xv = ldT<T>(xs + o, one);
  applyMomentumT<T>(x + o, vb + o, vo + o, xv, hasWd ? addT<T>(g, mulT<T>(wd, xv)) : g, lr, m, mode, one);
  return flagBadT<T>(bad, g);
}
// @ts-ignore: decorator
@inline function updateLoop<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, step = lanes<T>(), vwd = splatT<T>(wd), vlr = splatT<T>(lr), vm = splatT<T>(m);
  let bad = i64x2.splat(0), i = 0;
  for (; i + step <= n; i += step) bad = updateAt<T>(<usize>i << s, x, xs, grad, vb, vo, vwd, vlr, vm, mode, hasWd, bad, false);
  for (; i < n; i++) bad = updateAt<T>(<usize>i << s, x, xs, grad, vb, vo, vwd, vlr, vm, mode, hasWd, bad, true);
  return v128.any_true(bad) ? 1 : 0;
}
// @ts-ignore: decorator
@inline function updateWd<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: bool): f64 {
  if (mode == 0) return updateLoop<T>(n, x, xs, grad, vb, vo, wd, lr, m, 0, hasWd);
  return mode == 1 ? updateLoop<T>(n, x, xs, grad, vb, vo, wd, lr, m, 1, hasWd) : updateLoop<T>(n, x, xs, grad, vb, vo, wd, lr, m, 2, hasWd);
}
/** SAM's update x ← xs − lr·D(g + wd·xs) (g when wd = 0; mode as applyMomentumT). Returns 1 on a non-finite g. */
export function samUpdateF64(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, wd: f64, lr: f64, m: f64, mode: i32): f64 {
  return wd != 0 ? updateWd<f64>(n, x, xs, grad, vb, vo, wd, lr, m, mode, true) : updateWd<f64>(n, x, xs, grad, vb, vo, wd, lr, m, mode, false);
}
export function samUpdateF32(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, wd: f64, lr: f64, m: f64, mode: i32): f64 {
  return wd != 0 ? updateWd<f32>(n, x, xs, grad, vb, vo, wd, lr, m, mode, true) : updateWd<f32>(n, x, xs, grad, vb, vo, wd, lr, m, mode, false);
}
