// Fused passes of HJ (src/optim/hj.ts) on float64 or float32 vectors in linear memory. The point
// where the gradient is evaluated lives in x's own buffer (`x`: the caller's parameters when the
// workspace holds them, so the oracle evaluates at x itself and loads nothing), the anchor in a copy
// `xs` that the first pass makes; the last pass writes the outer momentum step from the anchor into
// x's buffer. So a step reads and writes each vector as few times as the iteration allows.
//
// As in optim-update.ts: float64 arithmetic with the previous JS loops' operations in their order,
// float32 storage widened on load and rounded on store (and `rnd` where the JS code stored a value
// and read it back), no fused multiply-add, so the results are bit-identical to those loops
// (test/reference/optim-previous/hj.ts). Pointers are byte offsets. Each kernel returns 1 if some
// entry of the gradient it read is NaN or ±∞, else 0 (integer lanes: see flagBad). They write x's
// buffer and, in the last pass, the momentum buffer at `vo` (read at `vb`: double-buffered), so on
// a bad gradient the caller copies the anchor back into x and keeps the buffer at `vb`.

import { ld, st, rnd, add, sub, mul, splat, flagBad, anyBad, applyMomentum } from './lib/f64-lanes';

/** Copies one element (`one`) or two from src to dst, bits unchanged (NaN payloads too). */
// @ts-ignore: decorator
@inline function cp<T>(dst: usize, src: usize, one: bool): void {
  if (one) {
    if (sizeof<T>() == 8) store<u64>(dst, load<u64>(src)); else store<u32>(dst, load<u32>(src));
  } else if (sizeof<T>() == 8) v128.store(dst, v128.load(src));
  else v128.store64_lane(dst, v128.load64_zero(src), 0);
}

// ---- HJ fixed point, first pass (after the evaluation at x): X ← x, p ← g + wd·x, and the first
// inner point w = x − t·p (p as stored) into x's buffer. Each element is read before it is written.
// @ts-ignore: decorator
@inline function startAt<T>(o: usize, x: usize, xs: usize, grad: usize, p: usize, wd: v128, t: v128, bad: v128, one: bool): v128 {
  const xv = ld<T>(x + o, one), g = ld<T>(grad + o, one);
  cp<T>(xs + o, x + o, one);
  const pv = add(g, mul(wd, xv));
  st<T>(p + o, pv, one);
  st<T>(x + o, sub(xv, mul(t, rnd<T>(pv))), one);
  return flagBad(bad, g);
}
// @ts-ignore: decorator
@inline function startAny<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vwd = splat(wd), vt = splat(t);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = startAt<T>(<usize>i << s, x, xs, grad, p, vwd, vt, bad, false);
  if (i < n) bad = startAt<T>(<usize>i << s, x, xs, grad, p, vwd, vt, bad, true);
  return anyBad(bad);
}
/** HJ fixed point's first pass: xs ← x, p ← g + wd·x, x ← x − t·p. Returns 1 on a non-finite g. */
export function hjStartF64(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64): f64 { return startAny<f64>(n, x, xs, grad, p, wd, t); }
export function hjStartF32(n: i32, x: usize, xs: usize, grad: usize, p: usize, wd: f64, t: f64): f64 { return startAny<f32>(n, x, xs, grad, p, wd, t); }

// ---- HJ fixed point, after the evaluation at w (in x's buffer): p ← (1 − α)·p + α·(g + wd·w), then
// the next point w ← X − t·p into x's buffer, or (last) the outer step x ← X − lr·D(p) (p rounded
// to T as stored before, not stored now). w is read even when wd = 0: g + 0·w is g but for g = −0
// (then ±0 by w's sign) and a non-finite w (NaN), and neither recomputing w from X and p nor
// guarding those cases per element measured cheaper than the read (these passes are bound by
// their float64 operations and conversions as much as by memory).
// @ts-ignore: decorator
@inline function stepAt<T>(o: usize, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: v128, a: v128, wd: v128,
  t: v128, lr: v128, m: v128, mode: i32, last: bool, bad: v128, one: bool): v128 {
  const g = ld<T>(grad + o, one), pv = ld<T>(p + o, one), xv = ld<T>(xs + o, one), w = ld<T>(x + o, one);
  const pn = add(mul(keep, pv), mul(a, add(g, mul(wd, w))));
  if (last) applyMomentum<T>(x + o, vb + o, vo + o, xv, rnd<T>(pn), lr, m, mode, one);
  else {
    st<T>(p + o, pn, one);
    st<T>(x + o, sub(xv, mul(t, rnd<T>(pn))), one);
  }
  return flagBad(bad, g);
}
// @ts-ignore: decorator
@inline function stepLoop<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vk = splat(keep), va = splat(a), vwd = splat(wd), vt = splat(t), vlr = splat(lr), vm = splat(m);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = stepAt<T>(<usize>i << s, x, xs, grad, p, vb, vo, vk, va, vwd, vt, vlr, vm, mode, last, bad, false);
  if (i < n) bad = stepAt<T>(<usize>i << s, x, xs, grad, p, vb, vo, vk, va, vwd, vt, vlr, vm, mode, last, bad, true);
  return anyBad(bad);
}
// @ts-ignore: decorator
@inline function stepAny<T>(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: i32): f64 {
  if (!last) return stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 0, false);
  if (mode == 0) return stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 0, true);
  return mode == 1 ? stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 1, true)
    : stepLoop<T>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, 2, true);
}
/**
 * HJ fixed point's later passes (keep = 1 − α): p and the next w (last = 0), or p's last update and
 * the outer step from xs into x, momentum buffer read at vb and written at vo (last ≠ 0; mode as
 * applyMomentum in lib/f64-lanes.ts). Returns 1 on a non-finite g.
 */
export function hjStepF64(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: i32): f64 { return stepAny<f64>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, mode, last); }
export function hjStepF32(n: i32, x: usize, xs: usize, grad: usize, p: usize, vb: usize, vo: usize, keep: f64, a: f64, wd: f64, t: f64,
  lr: f64, m: f64, mode: i32, last: i32): f64 { return stepAny<f32>(n, x, xs, grad, p, vb, vo, keep, a, wd, t, lr, m, mode, last); }

// ---- HJ prox, after the evaluation at w (x's buffer): w ← w − η′·(g + wd·w + (w − X)/t) in place;
// `first`: w is x itself, X ← x is made in the same pass; `last`: the new w (rounded to T as stored
// before) is not stored but gives the outer direction d = round_T((X − w)/t + wd·X) and the step
// x ← X − lr·D(d) into x's buffer.
// @ts-ignore: decorator
@inline function proxAt<T>(o: usize, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: v128, wd: v128, c: v128,
  lr: v128, m: v128, mode: i32, first: bool, last: bool, bad: v128, one: bool): v128 {
  const g = ld<T>(grad + o, one), wv = ld<T>(x + o, one);
  const xv = first ? wv : ld<T>(xs + o, one);
  if (first) cp<T>(xs + o, x + o, one);
  const wn = sub(wv, mul(ilr, add(add(g, mul(wd, wv)), mul(c, sub(wv, xv)))));
  if (last) applyMomentum<T>(x + o, vb + o, vo + o, xv, rnd<T>(add(mul(sub(xv, rnd<T>(wn)), c), mul(wd, xv))), lr, m, mode, one);
  else st<T>(x + o, wn, one);
  return flagBad(bad, g);
}
// @ts-ignore: decorator
@inline function proxLoop<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: bool, last: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vi = splat(ilr), vwd = splat(wd), vc = splat(c), vlr = splat(lr), vm = splat(m);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = proxAt<T>(<usize>i << s, x, xs, grad, vb, vo, vi, vwd, vc, vlr, vm, mode, first, last, bad, false);
  if (i < n) bad = proxAt<T>(<usize>i << s, x, xs, grad, vb, vo, vi, vwd, vc, vlr, vm, mode, first, last, bad, true);
  return anyBad(bad);
}
// @ts-ignore: decorator
@inline function proxLast<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: bool): f64 {
  if (mode == 0) return proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 0, first, true);
  return mode == 1 ? proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 1, first, true)
    : proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 2, first, true);
}
// @ts-ignore: decorator
@inline function proxAny<T>(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: i32, last: i32): f64 {
  if (last) return first ? proxLast<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, true) : proxLast<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, false);
  return first ? proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 0, true, false) : proxLoop<T>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, 0, false, false);
}
/** One HJ prox pass (c = 1/t; first, last, mode as above). Returns 1 on a non-finite g. */
export function hjProxF64(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: i32, last: i32): f64 { return proxAny<f64>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, first, last); }
export function hjProxF32(n: i32, x: usize, xs: usize, grad: usize, vb: usize, vo: usize, ilr: f64, wd: f64, c: f64,
  lr: f64, m: f64, mode: i32, first: i32, last: i32): f64 { return proxAny<f32>(n, x, xs, grad, vb, vo, ilr, wd, c, lr, m, mode, first, last); }
