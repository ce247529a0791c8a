// Fused optimizer update loops (src/optim) on float64 or float32 vectors in linear memory.
//
// Every kernel computes in float64 with exactly the operations, in exactly the order, of the
// JavaScript loops it replaces (test/reference/optim-previous/), two elements per f64x2 vector:
// float32 elements are widened on load and rounded to float32 on store, as a Float32Array does, and
// a value that the JS code stored and read back is rounded the same way here (`rnd`). There is no
// fused multiply-add. So the results are bit-identical to the JS loops on both element types.
// Pointers are byte offsets; `n` counts elements; the odd last element runs the same body on a
// splatted scalar. Kernels that read a gradient return Σ g·0, which is NaN iff some g is not finite.

import { ld, st, rnd, add, sub, mul, splat, sum } from './lib/f64-lanes';

// ---- the outer (Nesterov) momentum step, optionally on dir + wd·x ------------------------------
// mode 0: x ← x − lr·d;  1 (Nesterov): b ← m·b + d, x ← x − lr·(d + m·b);  2: b ← m·b + d, x ← x − lr·b.
// The buffer is read at pb and written at po (po = pb: in place; else double-buffered, so that a
// caller who finds a non-finite direction afterwards still holds the old buffer).
@inline function applyMomentum<T>(px: usize, pb: usize, po: usize, xv: v128, d: v128, lr: v128, m: v128, mode: i32, one: bool): void {
  if (mode == 0) { st<T>(px, sub(xv, mul(lr, d)), one); return; }
  const b = add(mul(m, ld<T>(pb, one)), d);
  st<T>(po, b, one);
  st<T>(px, sub(xv, mul(lr, mode == 1 ? add(d, mul(m, b)) : b)), one);
}

// d = dir (hasWd false) or round_T(dir + wd·x) (SGD/SAM's grad[p] += wd·x[p]), then the momentum
// step; returns Σ dir·0 (NaN iff some entry of dir is not finite: the fused gradient check).
@inline function momentumLoop<T>(n: i32, x: usize, dir: usize, buf: usize, out: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vwd = splat(wd), vlr = splat(lr), vm = splat(m);
  let bad = splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = momentumAt<T>(<usize>i << s, x, dir, buf, out, vwd, vlr, vm, mode, hasWd, bad, false);
  if (i < n) bad = momentumAt<T>(<usize>i << s, x, dir, buf, out, vwd, vlr, vm, mode, hasWd, bad, true);
  return sum(bad);
}
@inline function momentumAt<T>(o: usize, x: usize, dir: usize, buf: usize, out: usize, vwd: v128, vlr: v128, vm: v128, mode: i32, hasWd: bool, bad: v128, one: bool): v128 {
  const xv = ld<T>(x + o, one), dv = ld<T>(dir + o, one);
  const d = hasWd ? rnd<T>(add(dv, mul(vwd, xv))) : dv;
  applyMomentum<T>(x + o, buf + o, out + o, xv, d, vlr, vm, mode, one);
  return add(bad, mul(dv, splat(0)));
}
@inline function momentumAny<T>(n: i32, x: usize, dir: usize, buf: usize, out: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: i32): f64 {
  if (hasWd) {
    if (mode == 0) return momentumLoop<T>(n, x, dir, buf, out, wd, lr, m, 0, true);
    if (mode == 1) return momentumLoop<T>(n, x, dir, buf, out, wd, lr, m, 1, true);
    return momentumLoop<T>(n, x, dir, buf, out, wd, lr, m, 2, true);
  }
  if (mode == 0) return momentumLoop<T>(n, x, dir, buf, out, wd, lr, m, 0, false);
  if (mode == 1) return momentumLoop<T>(n, x, dir, buf, out, wd, lr, m, 1, false);
  return momentumLoop<T>(n, x, dir, buf, out, wd, lr, m, 2, false);
}
export function momentumF64(n: i32, x: usize, dir: usize, buf: usize, out: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: i32): f64 { return momentumAny<f64>(n, x, dir, buf, out, wd, lr, m, mode, hasWd); }
export function momentumF32(n: i32, x: usize, dir: usize, buf: usize, out: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: i32): f64 { return momentumAny<f32>(n, x, dir, buf, out, wd, lr, m, mode, hasWd); }

// ---- direction (x − c)·scale + wd·x (rounded to T), then momentum: Entropy-SGD/HEAT outer, HJ prox
@inline function towardLoop<T>(n: i32, x: usize, c: usize, buf: usize, scale: f64, wd: f64, lr: f64, m: f64, mode: i32): void {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vs = splat(scale), vwd = splat(wd), vlr = splat(lr), vm = splat(m);
  let i = 0;
  for (; i + 2 <= n; i += 2) towardAt<T>(<usize>i << s, x, c, buf, vs, vwd, vlr, vm, mode, false);
  if (i < n) towardAt<T>(<usize>i << s, x, c, buf, vs, vwd, vlr, vm, mode, true);
}
@inline function towardAt<T>(o: usize, x: usize, c: usize, buf: usize, vs: v128, vwd: v128, vlr: v128, vm: v128, mode: i32, one: bool): void {
  const xv = ld<T>(x + o, one);
  const d = rnd<T>(add(mul(sub(xv, ld<T>(c + o, one)), vs), mul(vwd, xv)));
  applyMomentum<T>(x + o, buf + o, buf + o, xv, d, vlr, vm, mode, one);
}
@inline function towardAny<T>(n: i32, x: usize, c: usize, buf: usize, scale: f64, wd: f64, lr: f64, m: f64, mode: i32): void {
  if (mode == 0) towardLoop<T>(n, x, c, buf, scale, wd, lr, m, 0);
  else if (mode == 1) towardLoop<T>(n, x, c, buf, scale, wd, lr, m, 1);
  else towardLoop<T>(n, x, c, buf, scale, wd, lr, m, 2);
}
export function towardF64(n: i32, x: usize, c: usize, buf: usize, scale: f64, wd: f64, lr: f64, m: f64, mode: i32): void { towardAny<f64>(n, x, c, buf, scale, wd, lr, m, mode); }
export function towardF32(n: i32, x: usize, c: usize, buf: usize, scale: f64, wd: f64, lr: f64, m: f64, mode: i32): void { towardAny<f32>(n, x, c, buf, scale, wd, lr, m, mode); }

// ---- Elastic-SGD replica (replica.ts): d = round_T((a − μ)·s + ρ·(a − c) + wd·a), then momentum on a
@inline function elasticLoop<T>(n: i32, a: usize, mu: usize, c: usize, buf: usize, scale: f64, rho: f64, wd: f64, lr: f64, m: f64, mode: i32): void {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vs = splat(scale), vrho = splat(rho), vwd = splat(wd), vlr = splat(lr), vm = splat(m);
  let i = 0;
  for (; i + 2 <= n; i += 2) elasticAt<T>(<usize>i << s, a, mu, c, buf, vs, vrho, vwd, vlr, vm, mode, false);
  if (i < n) elasticAt<T>(<usize>i << s, a, mu, c, buf, vs, vrho, vwd, vlr, vm, mode, true);
}
@inline function elasticAt<T>(o: usize, a: usize, mu: usize, c: usize, buf: usize, vs: v128, vrho: v128, vwd: v128, vlr: v128, vm: v128, mode: i32, one: bool): void {
  const av = ld<T>(a + o, one);
  const d = rnd<T>(add(add(mul(sub(av, ld<T>(mu + o, one)), vs), mul(vrho, sub(av, ld<T>(c + o, one)))), mul(vwd, av)));
  applyMomentum<T>(a + o, buf + o, buf + o, av, d, vlr, vm, mode, one);
}
@inline function elasticAny<T>(n: i32, a: usize, mu: usize, c: usize, buf: usize, scale: f64, rho: f64, wd: f64, lr: f64, m: f64, mode: i32): void {
  if (mode == 0) elasticLoop<T>(n, a, mu, c, buf, scale, rho, wd, lr, m, 0);
  else if (mode == 1) elasticLoop<T>(n, a, mu, c, buf, scale, rho, wd, lr, m, 1);
  else elasticLoop<T>(n, a, mu, c, buf, scale, rho, wd, lr, m, 2);
}
export function elasticF64(n: i32, a: usize, mu: usize, c: usize, buf: usize, scale: f64, rho: f64, wd: f64, lr: f64, m: f64, mode: i32): void { elasticAny<f64>(n, a, mu, c, buf, scale, rho, wd, lr, m, mode); }
export function elasticF32(n: i32, a: usize, mu: usize, c: usize, buf: usize, scale: f64, rho: f64, wd: f64, lr: f64, m: f64, mode: i32): void { elasticAny<f32>(n, a, mu, c, buf, scale, rho, wd, lr, m, mode); }

// ---- finite check and SAM's norm ---------------------------------------------------------------
@inline function finiteAny<T>(n: i32, g: usize): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, zero = splat(0);
  let bad = splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = add(bad, mul(ld<T>(g + (<usize>i << s), false), zero));
  if (i < n) bad = add(bad, mul(ld<T>(g + (<usize>i << s), true), zero));
  return sum(bad);
}
/** Σ g·0 over n elements: 0 when every g is finite, NaN otherwise. */
export function finiteF64(n: i32, g: usize): f64 { return finiteAny<f64>(n, g); }
export function finiteF32(n: i32, g: usize): f64 { return finiteAny<f32>(n, g); }

/** Σ g², summed left to right in f64 (the JS loop's order, so bit-identical; not vectorised). */
export function sumSquaresF64(n: i32, g: usize): f64 { let s = 0.0; for (let i = 0; i < n; i++) { const v = load<f64>(g + (<usize>i << 3)); s += v * v; } return s; }
export function sumSquaresF32(n: i32, g: usize): f64 { let s = 0.0; for (let i = 0; i < n; i++) { const v = <f64>load<f32>(g + (<usize>i << 2)); s += v * v; } return s; }

/** SAM's shifted point: out = x + scale·g. */
@inline function shiftAny<T>(n: i32, out: usize, x: usize, g: usize, scale: f64): void {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, vs = splat(scale);
  let i = 0;
  for (; i + 2 <= n; i += 2) shiftAt<T>(<usize>i << s, out, x, g, vs, false);
  if (i < n) shiftAt<T>(<usize>i << s, out, x, g, vs, true);
}
@inline function shiftAt<T>(o: usize, out: usize, x: usize, g: usize, vs: v128, one: bool): void {
  st<T>(out + o, add(ld<T>(x + o, one), mul(vs, ld<T>(g + o, one))), one);
}
export function shiftF64(n: i32, out: usize, x: usize, g: usize, scale: f64): void { shiftAny<f64>(n, out, x, g, scale); }
export function shiftF32(n: i32, out: usize, x: usize, g: usize, scale: f64): void { shiftAny<f32>(n, out, x, g, scale); }

// ---- Adam: g = ∇f + wd·x; m ← b1·m + (1−b1)·g; v ← b2·v + (1−b2)·g·g; x ← x − lr·(m/c1)/(√(v/c2) + eps)
// m and v are read at pm, pv and written at qm, qv (double-buffered: see applyMomentum); returns Σ g·0.
@inline function adamAny<T>(n: i32, x: usize, grad: usize, pm: usize, pv: usize, qm: usize, qv: usize, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, wd: f64, lr: f64): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2;
  const vb1 = splat(b1), vb2 = splat(b2), va1 = splat(1 - b1), va2 = splat(1 - b2), vc1 = splat(c1), vc2 = splat(c2);
  const veps = splat(eps), vwd = splat(wd), vlr = splat(lr);
  let bad = splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = adamAt<T>(<usize>i << s, x, grad, pm, pv, qm, qv, vb1, vb2, va1, va2, vc1, vc2, veps, vwd, vlr, bad, false);
  if (i < n) bad = adamAt<T>(<usize>i << s, x, grad, pm, pv, qm, qv, vb1, vb2, va1, va2, vc1, vc2, veps, vwd, vlr, bad, true);
  return sum(bad);
}
@inline function adamAt<T>(o: usize, x: usize, grad: usize, pm: usize, pv: usize, qm: usize, qv: usize, vb1: v128, vb2: v128, va1: v128, va2: v128,
  vc1: v128, vc2: v128, veps: v128, vwd: v128, vlr: v128, bad: v128, one: bool): v128 {
  const xv = ld<T>(x + o, one), gv = ld<T>(grad + o, one);
  const g = add(gv, mul(vwd, xv));
  const mp = add(mul(vb1, ld<T>(pm + o, one)), mul(va1, g));
  const vp = add(mul(vb2, ld<T>(pv + o, one)), mul(mul(va2, g), g));
  st<T>(qm + o, mp, one); st<T>(qv + o, vp, one);
  st<T>(x + o, sub(xv, f64x2.div(mul(vlr, f64x2.div(mp, vc1)), add(f64x2.sqrt(f64x2.div(vp, vc2)), veps))), one);
  return add(bad, mul(gv, splat(0)));
}
export function adamF64(n: i32, x: usize, grad: usize, m: usize, v: usize, mOut: usize, vOut: usize, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, wd: f64, lr: f64): f64 { return adamAny<f64>(n, x, grad, m, v, mOut, vOut, b1, b2, c1, c2, eps, wd, lr); }
export function adamF32(n: i32, x: usize, grad: usize, m: usize, v: usize, mOut: usize, vOut: usize, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, wd: f64, lr: f64): f64 { return adamAny<f32>(n, x, grad, m, v, mOut, vOut, b1, b2, c1, c2, eps, wd, lr); }
