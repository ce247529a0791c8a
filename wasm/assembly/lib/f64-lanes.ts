// Element access shared by the optimizer kernels (optim-update.ts, optim-inner.ts, optim-hj.ts): T = f64 or f32
// storage, f64x2 arithmetic. float32 elements are widened on load and rounded on store, as a
// Float32Array does; `one` handles the odd last element as a splatted scalar. A library module, not
// a kernel: it lives below wasm/assembly/lib/ and is compiled into the kernels that import it.

// @ts-ignore: decorator
@inline export function ld<T>(p: usize, one: bool): v128 {
  if (one) return f64x2.splat(sizeof<T>() == 8 ? load<f64>(p) : <f64>load<f32>(p));
  if (sizeof<T>() == 8) return v128.load(p);
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}
// @ts-ignore: decorator
@inline export function st<T>(p: usize, v: v128, one: bool): void {
  if (one) {
    if (sizeof<T>() == 8) store<f64>(p, f64x2.extract_lane(v, 0)); else store<f32>(p, <f32>f64x2.extract_lane(v, 0));
  } else if (sizeof<T>() == 8) v128.store(p, v);
  else v128.store64_lane(p, f32x4.demote_f64x2_zero(v), 0);
}
// @ts-ignore: decorator
/** The value after storing v into T and reading it back. */
@inline export function rnd<T>(v: v128): v128 {
  if (sizeof<T>() == 8) return v;
  return f64x2.promote_low_f32x4(f32x4.demote_f64x2_zero(v));
}
// @ts-ignore: decorator
@inline export function add(a: v128, b: v128): v128 { return f64x2.add(a, b); }
// @ts-ignore: decorator
@inline export function sub(a: v128, b: v128): v128 { return f64x2.sub(a, b); }
// @ts-ignore: decorator
@inline export function mul(a: v128, b: v128): v128 { return f64x2.mul(a, b); }
// @ts-ignore: decorator
@inline export function splat(a: f64): v128 { return f64x2.splat(a); }
// @ts-ignore: decorator
@inline export function sum(v: v128): f64 { return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1); }
// @ts-ignore: decorator
/**
 * bad with the lanes of v that are NaN or ±∞ set (all exponent bits set): integer lanes, one-cycle
 * `or` on the accumulator, so a fused check adds no floating-point latency chain to a loop.
 */
@inline export function flagBad(bad: v128, v: v128): v128 {
  const e = i64x2.splat(0x7ff0000000000000);
  return v128.or(bad, i64x2.eq(v128.and(v, e), e));
}
// @ts-ignore: decorator
/** 1 if flagBad set some lane of bad, else 0. */
@inline export function anyBad(bad: v128): f64 { return v128.any_true(bad) ? 1 : 0; }

// The outer (Nesterov) momentum step of the optimizer kernels (optim-update.ts, optim-inner.ts, optim-hj.ts):
// mode 0: x ← x − lr·d;  1 (Nesterov): b ← m·b + d, x ← x − lr·(d + m·b);  2: b ← m·b + d, x ← x − lr·b.
// x is read at px and its update written at pw (the same offset: in place; or from a saved copy of
// x into the caller's x); the buffer is read at pb and written at po (in place when equal).
// @ts-ignore: decorator
@inline export function applyMomentum<T>(pw: usize, pb: usize, po: usize, xv: v128, d: v128, lr: v128, m: v128, mode: i32, one: bool): void {
  if (mode == 0) { st<T>(pw, sub(xv, mul(lr, d)), one); return; }
  const b = add(mul(m, ld<T>(pb, one)), d);
  st<T>(po, b, one);
  st<T>(pw, sub(xv, mul(lr, mode == 1 ? add(d, mul(m, b)) : b)), one);
}
