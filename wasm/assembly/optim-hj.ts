// Fused inner-loop updates of HJ (src/optim/hj.ts) on float64 or float32 vectors in linear memory:
// the fixed-point and prox iterations, each one pass over the vectors.
//
// As in optim-update.ts: float64 arithmetic with the JS loops' operations in the JS loops' order,
// float32 storage widened on load and rounded on store, no fused multiply-add, so the results are
// bit-identical to the JS loops (test/reference/optim-previous/). Pointers are byte offsets. Each
// kernel returns 1 if some entry of the gradient it read is NaN or ±∞, else 0 (integer lanes: see
// flagBad); they write only scratch, so the caller checks after.

import { ld, st, rnd, add, sub, mul, splat, flagBad, anyBad } from './lib/f64-lanes';

// ---- HJ fixed point (hj.ts): p ← (1 − α)·p + α·(g + wd·w), then (if `next`) the next point
// w ← x − t·p with p as stored. `first` computes the start p = g + wd·x instead (w unread).
@inline function fixedPointAt<T>(o: usize, x: usize, grad: usize, p: usize, w: usize, keep: v128, a: v128, wd: v128, t: v128,
  first: bool, next: bool, bad: v128, one: bool): v128 {
  const g = ld<T>(grad + o, one);
  const pNew = first ? add(g, mul(wd, ld<T>(x + o, one))) : add(mul(keep, ld<T>(p + o, one)), mul(a, add(g, mul(wd, ld<T>(w + o, one)))));
  st<T>(p + o, pNew, one);
  if (next) st<T>(w + o, sub(ld<T>(x + o, one), mul(t, rnd<T>(pNew))), one);
  return flagBad(bad, g);
}
@inline function fixedPointLoop<T>(n: i32, x: usize, grad: usize, p: usize, w: usize, keep: f64, a: f64, wd: f64, t: f64, first: bool, next: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vk = splat(keep), va = splat(a), vwd = splat(wd), vt = splat(t);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = fixedPointAt<T>(<usize>i << s, x, grad, p, w, vk, va, vwd, vt, first, next, bad, false);
  if (i < n) bad = fixedPointAt<T>(<usize>i << s, x, grad, p, w, vk, va, vwd, vt, first, next, bad, true);
  return anyBad(bad);
}
@inline function fixedPointAny<T>(n: i32, x: usize, grad: usize, p: usize, w: usize, keep: f64, a: f64, wd: f64, t: f64, first: i32, next: i32): f64 {
  if (first) return fixedPointLoop<T>(n, x, grad, p, w, keep, a, wd, t, true, true);
  return next ? fixedPointLoop<T>(n, x, grad, p, w, keep, a, wd, t, false, true) : fixedPointLoop<T>(n, x, grad, p, w, keep, a, wd, t, false, false);
}
/** One fixed-point update (first ≠ 0: the start p, always followed by w); keep = 1 − α. */
export function fixedPointF64(n: i32, x: usize, grad: usize, p: usize, w: usize, keep: f64, a: f64, wd: f64, t: f64, first: i32, next: i32): f64 {
  return fixedPointAny<f64>(n, x, grad, p, w, keep, a, wd, t, first, next);
}
export function fixedPointF32(n: i32, x: usize, grad: usize, p: usize, w: usize, keep: f64, a: f64, wd: f64, t: f64, first: i32, next: i32): f64 {
  return fixedPointAny<f32>(n, x, grad, p, w, keep, a, wd, t, first, next);
}

// ---- HJ prox (hj.ts): w ← w − η′·(g + wd·w + (w − x)/t)
@inline function proxAt<T>(o: usize, x: usize, grad: usize, w: usize, lr: v128, wd: v128, coupling: v128, bad: v128, one: bool): v128 {
  const g = ld<T>(grad + o, one), wv = ld<T>(w + o, one);
  st<T>(w + o, sub(wv, mul(lr, add(add(g, mul(wd, wv)), mul(coupling, sub(wv, ld<T>(x + o, one)))))), one);
  return flagBad(bad, g);
}
@inline function proxAny<T>(n: i32, x: usize, grad: usize, w: usize, lr: f64, wd: f64, coupling: f64): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vlr = splat(lr), vwd = splat(wd), vc = splat(coupling);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = proxAt<T>(<usize>i << s, x, grad, w, vlr, vwd, vc, bad, false);
  if (i < n) bad = proxAt<T>(<usize>i << s, x, grad, w, vlr, vwd, vc, bad, true);
  return anyBad(bad);
}
export function proxF64(n: i32, x: usize, grad: usize, w: usize, lr: f64, wd: f64, coupling: f64): f64 { return proxAny<f64>(n, x, grad, w, lr, wd, coupling); }
export function proxF32(n: i32, x: usize, grad: usize, w: usize, lr: f64, wd: f64, coupling: f64): f64 { return proxAny<f32>(n, x, grad, w, lr, wd, coupling); }
