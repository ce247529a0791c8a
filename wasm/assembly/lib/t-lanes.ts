// Element access and arithmetic in the element type's own precision, for kernels that compute a
// float32 vector in float32 (as PyTorch does) and a float64 vector in float64: T = f64 → f64x2 (two
// elements per vector), T = f32 → f32x4 (four). Contrast lib/f64-lanes.ts, where float32 storage is
// computed in float64. `one` handles a last element alone (splatted; lane 0 stored). A library
// module, compiled into the kernels that import it.

// @ts-ignore: decorator
/** Elements per vector. */
@inline export function lanes<T>(): i32 { return sizeof<T>() == 8 ? 2 : 4; }
// @ts-ignore: decorator
@inline export function ldT<T>(p: usize, one: bool): v128 {
  if (!one) return v128.load(p);
  return sizeof<T>() == 8 ? f64x2.splat(load<f64>(p)) : f32x4.splat(load<f32>(p));
}
// @ts-ignore: decorator
@inline export function stT<T>(p: usize, v: v128, one: bool): void {
  if (!one) v128.store(p, v);
  else if (sizeof<T>() == 8) store<f64>(p, f64x2.extract_lane(v, 0));
  else store<f32>(p, f32x4.extract_lane(v, 0));
}
// @ts-ignore: decorator
@inline export function addT<T>(a: v128, b: v128): v128 { return sizeof<T>() == 8 ? f64x2.add(a, b) : f32x4.add(a, b); }
// @ts-ignore: decorator
@inline export function subT<T>(a: v128, b: v128): v128 { return sizeof<T>() == 8 ? f64x2.sub(a, b) : f32x4.sub(a, b); }
// @ts-ignore: decorator
@inline export function mulT<T>(a: v128, b: v128): v128 { return sizeof<T>() == 8 ? f64x2.mul(a, b) : f32x4.mul(a, b); }
// @ts-ignore: decorator
/** A scalar argument in every lane, rounded to T (float32: to nearest, as Math.fround). */
@inline export function splatT<T>(a: f64): v128 { return sizeof<T>() == 8 ? f64x2.splat(a) : f32x4.splat(<f32>a); }
// @ts-ignore: decorator
/** The lanes' values of a float64 block (the noise) at pz, rounded to T. */
@inline export function fromF64<T>(pz: usize, one: bool): v128 {
  if (sizeof<T>() == 8) return one ? f64x2.splat(load<f64>(pz)) : v128.load(pz);
  if (one) return f32x4.splat(<f32>load<f64>(pz));
  const lo = f32x4.demote_f64x2_zero(v128.load(pz)), hi = f32x4.demote_f64x2_zero(v128.load(pz, 16));
  return i8x16.shuffle(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}
// @ts-ignore: decorator
/** bad with the lanes of v that are NaN or ±∞ set (all exponent bits set; integer lanes, as flagBad). */
@inline export function flagBadT<T>(bad: v128, v: v128): v128 {
  if (sizeof<T>() == 8) {
    const e = i64x2.splat(0x7ff0000000000000);
    return v128.or(bad, i64x2.eq(v128.and(v, e), e));
  }
  const e = i32x4.splat(0x7f800000);
  return v128.or(bad, i32x4.eq(v128.and(v, e), e));
}
// @ts-ignore: decorator
/** The outer momentum step of lib/f64-lanes.ts (applyMomentum) in T's arithmetic. */
@inline export function applyMomentumT<T>(pw: usize, pb: usize, po: usize, xv: v128, d: v128, lr: v128, m: v128, mode: i32, one: bool): void {
  if (mode == 0) { stT<T>(pw, subT<T>(xv, mulT<T>(lr, d)), one); return; }
  const b = addT<T>(mulT<T>(m, ldT<T>(pb, one)), d);
  stT<T>(po, b, one);
  stT<T>(pw, subT<T>(xv, mulT<T>(lr, mode == 1 ? addT<T>(d, mulT<T>(m, b)) : b)), one);
}
