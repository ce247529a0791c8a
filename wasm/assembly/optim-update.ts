// Fused optimizer update loops (src/optim) on float64 or float32 vectors in linear memory.
//
// Every kernel but momentumF32 and adamF32 (float32 arithmetic, see there) computes in float64 with
// exactly the operations, in exactly the order, of the JavaScript loops it replaces
// (test/reference/optim-previous/), two elements per f64x2 vector: float32 elements are widened on
// load and rounded to float32 on store, as a Float32Array does, and a value that the JS code stored
// and read back is rounded the same way here (`rnd`). There is no fused multiply-add. So the results
// are bit-identical to the JS loops on both element types. Pointers are byte offsets; `n` counts
// elements; the odd last element runs the same body on a splatted scalar. The update kernels do not
// check the gradient: the caller runs finiteF* on it first (one read at memory speed), because they
// may update x in place. A state buffer may be read and written at the same offset (in place) or at
// two (double-buffered).

import { ld, st, rnd, add, sub, mul, splat, applyMomentum } from './lib/f64-lanes';
import { lanes, ldT, addT, mulT, splatT, applyMomentumT } from './lib/t-lanes';

// ---- SGD's step: d = dir + wd·x (hasWd), then the (Nesterov) momentum step, buffer in place, in x's
// own arithmetic (lib/t-lanes.ts: a Float32Array in float32, four elements per instruction, as
// PyTorch; a Float64Array in float64, the JS loops' operations). The caller has checked dir
// (finiteF*) before: no check here.
@inline function momentumLoop<T>(n: i32, x: usize, xOut: usize, dir: usize, buf: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: bool): void {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, step = lanes<T>(), vwd = splatT<T>(wd), vlr = splatT<T>(lr), vm = splatT<T>(m);
  let i = 0;
  for (; i + step <= n; i += step) momentumAt<T>(<usize>i << s, x, xOut, dir, buf, vwd, vlr, vm, mode, hasWd, false);
  for (; i < n; i++) momentumAt<T>(<usize>i << s, x, xOut, dir, buf, vwd, vlr, vm, mode, hasWd, true);
}
@inline function momentumAt<T>(o: usize, x: usize, xOut: usize, dir: usize, buf: usize, vwd: v128, vlr: v128, vm: v128, mode: i32, hasWd: bool, one: bool): void {
  const xv = ldT<T>(x + o, one), dv = ldT<T>(dir + o, one);
  const d = hasWd ? addT<T>(dv, mulT<T>(vwd, xv)) : dv;
  applyMomentumT<T>(xOut + o, buf + o, buf + o, xv, d, vlr, vm, mode, one);
}
@inline function momentumAny<T>(n: i32, x: usize, xOut: usize, dir: usize, buf: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: i32): void {
  if (hasWd) {
    if (mode == 0) momentumLoop<T>(n, x, xOut, dir, buf, wd, lr, m, 0, true);
    else if (mode == 1) momentumLoop<T>(n, x, xOut, dir, buf, wd, lr, m, 1, true);
    else momentumLoop<T>(n, x, xOut, dir, buf, wd, lr, m, 2, true);
  } else if (mode == 0) momentumLoop<T>(n, x, xOut, dir, buf, wd, lr, m, 0, false);
  else if (mode == 1) momentumLoop<T>(n, x, xOut, dir, buf, wd, lr, m, 1, false);
  else momentumLoop<T>(n, x, xOut, dir, buf, wd, lr, m, 2, false);
}
export function momentumF64(n: i32, x: usize, xOut: usize, dir: usize, buf: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: i32): void { momentumAny<f64>(n, x, xOut, dir, buf, wd, lr, m, mode, hasWd); }
export function momentumF32(n: i32, x: usize, xOut: usize, dir: usize, buf: usize, wd: f64, lr: f64, m: f64, mode: i32, hasWd: i32): void { momentumAny<f32>(n, x, xOut, dir, buf, wd, lr, m, mode, hasWd); }

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
// A value is NaN or ±∞ iff its exponent bits are all set. Integer lanes (and, compare, or) keep the
// loop free of floating-point latency chains, so the pass runs at the rate memory delivers g.
@inline function finiteAny<T>(n: i32, g: usize): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2;
  const mask = sizeof<T>() == 8 ? i64x2.splat(0x7ff0000000000000) : i32x4.splat(0x7f800000);
  const per = 16 >> (<i32>s); // elements per vector
  let b0 = i32x4.splat(0), b1 = b0, b2 = b0, b3 = b0, i = 0;
  for (; i + 4 * per <= n; i += 4 * per) {
    const p = g + (<usize>i << s);
    b0 = v128.or(b0, isBad<T>(v128.load(p), mask)); b1 = v128.or(b1, isBad<T>(v128.load(p, 16), mask));
    b2 = v128.or(b2, isBad<T>(v128.load(p, 32), mask)); b3 = v128.or(b3, isBad<T>(v128.load(p, 48), mask));
  }
  for (; i + per <= n; i += per) b0 = v128.or(b0, isBad<T>(v128.load(g + (<usize>i << s)), mask));
  let bad = v128.any_true(v128.or(v128.or(b0, b1), v128.or(b2, b3)));
  for (; i < n; i++) {
    if (sizeof<T>() == 8) bad = bad || (load<u64>(g + (<usize>i << 3)) & 0x7ff0000000000000) == 0x7ff0000000000000;
    else bad = bad || (load<u32>(g + (<usize>i << 2)) & 0x7f800000) == 0x7f800000;
  }
  return bad ? 1 : 0;
}
@inline function isBad<T>(v: v128, mask: v128): v128 {
  return sizeof<T>() == 8 ? i64x2.eq(v128.and(v, mask), mask) : i32x4.eq(v128.and(v, mask), mask);
}
/** 0 when every one of the n values at g is finite, 1 otherwise. */
export function finiteF64(n: i32, g: usize): f64 { return finiteAny<f64>(n, g); }
export function finiteF32(n: i32, g: usize): f64 { return finiteAny<f32>(n, g); }

// ---- Adam: g = ∇f + wd·x; m ← b1·m + (1−b1)·g; v ← b2·v + (1−b2)·g·g; x ← x − lr·(m/c1)/(√(v/c2) + eps)
// m and v are read at pm, pv and written at qm, qv (in place when equal). The caller has checked the
// gradient (finiteF*) before: no check here.
@inline function adamAny<T>(n: i32, x: usize, grad: usize, pm: usize, pv: usize, qm: usize, qv: usize, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, wd: f64, lr: f64): void {
  const s: usize = sizeof<T>() == 8 ? 3 : 2;
  const vb1 = splat(b1), vb2 = splat(b2), va1 = splat(1 - b1), va2 = splat(1 - b2), vc1 = splat(c1), vc2 = splat(c2);
  const veps = splat(eps), vwd = splat(wd), vlr = splat(lr);
  let i = 0;
  for (; i + 2 <= n; i += 2) adamAt<T>(<usize>i << s, x, grad, pm, pv, qm, qv, vb1, vb2, va1, va2, vc1, vc2, veps, vwd, vlr, false);
  if (i < n) adamAt<T>(<usize>i << s, x, grad, pm, pv, qm, qv, vb1, vb2, va1, va2, vc1, vc2, veps, vwd, vlr, true);
}
@inline function adamAt<T>(o: usize, x: usize, grad: usize, pm: usize, pv: usize, qm: usize, qv: usize, vb1: v128, vb2: v128, va1: v128, va2: v128,
  vc1: v128, vc2: v128, veps: v128, vwd: v128, vlr: v128, one: bool): void {
  const xv = ld<T>(x + o, one), gv = ld<T>(grad + o, one);
  const g = add(gv, mul(vwd, xv));
  const mp = add(mul(vb1, ld<T>(pm + o, one)), mul(va1, g));
  const vp = add(mul(vb2, ld<T>(pv + o, one)), mul(mul(va2, g), g));
  st<T>(qm + o, mp, one); st<T>(qv + o, vp, one);
  st<T>(x + o, sub(xv, f64x2.div(mul(vlr, f64x2.div(mp, vc1)), add(f64x2.sqrt(f64x2.div(vp, vc2)), veps))), one);
}
export function adamF64(n: i32, x: usize, grad: usize, m: usize, v: usize, mOut: usize, vOut: usize, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, wd: f64, lr: f64): void { adamAny<f64>(n, x, grad, m, v, mOut, vOut, b1, b2, c1, c2, eps, wd, lr); }
// Float32Array parameters: Adam in float32 arithmetic, four elements per f32x4 vector (as PyTorch
// steps float32 parameters), in PyTorch's order:
//   g = ∇f + wd·x;  m ← b1·m + (1−b1)·g;  v ← b2·v + (1−b2)·g·g;  x ← x − s·m/(√v·r + eps),
// s = lr/c1 and r = 1/√c2 computed once in float64 by the caller and rounded to float32 here.
// Every operation is one float32 rounding (no fused multiply-add); the odd last elements run the
// same body on a splatted scalar. The caller has checked the gradient before: no check here.
@inline function adam32At(o: usize, x: usize, grad: usize, pm: usize, pv: usize, qm: usize, qv: usize, b1: v128, b2: v128, a1: v128, a2: v128,
  s: v128, r: v128, eps: v128, wd: v128, one: bool): void {
  const xv = one ? f32x4.splat(load<f32>(x + o)) : v128.load(x + o), gv = one ? f32x4.splat(load<f32>(grad + o)) : v128.load(grad + o);
  const mv = one ? f32x4.splat(load<f32>(pm + o)) : v128.load(pm + o), vv = one ? f32x4.splat(load<f32>(pv + o)) : v128.load(pv + o);
  const g = f32x4.add(gv, f32x4.mul(wd, xv));
  const mp = f32x4.add(f32x4.mul(b1, mv), f32x4.mul(a1, g));
  const vp = f32x4.add(f32x4.mul(b2, vv), f32x4.mul(f32x4.mul(a2, g), g));
  const xp = f32x4.sub(xv, f32x4.div(f32x4.mul(s, mp), f32x4.add(f32x4.mul(f32x4.sqrt(vp), r), eps)));
  if (one) {
    store<f32>(qm + o, f32x4.extract_lane(mp, 0)); store<f32>(qv + o, f32x4.extract_lane(vp, 0)); store<f32>(x + o, f32x4.extract_lane(xp, 0));
  } else {
    v128.store(qm + o, mp); v128.store(qv + o, vp); v128.store(x + o, xp);
  }
}
export function adamF32(n: i32, x: usize, grad: usize, m: usize, v: usize, mOut: usize, vOut: usize, b1: f64, b2: f64, c1: f64, c2: f64, eps: f64, wd: f64, lr: f64): void {
  const vb1 = f32x4.splat(<f32>b1), vb2 = f32x4.splat(<f32>b2), va1 = f32x4.splat(<f32>(1 - b1)), va2 = f32x4.splat(<f32>(1 - b2));
  const vs = f32x4.splat(<f32>(lr / c1)), vr = f32x4.splat(<f32>(1 / Math.sqrt(c2))), veps = f32x4.splat(<f32>eps), vwd = f32x4.splat(<f32>wd);
  let i = 0;
  for (; i + 4 <= n; i += 4) adam32At(<usize>i << 2, x, grad, m, v, mOut, vOut, vb1, vb2, va1, va2, vs, vr, veps, vwd, false);
  for (; i < n; i++) adam32At(<usize>i << 2, x, grad, m, v, mOut, vOut, vb1, vb2, va1, va2, vs, vr, veps, vwd, true);
}
