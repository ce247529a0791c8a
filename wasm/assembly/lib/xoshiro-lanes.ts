// xoshiro128** (Blackman & Vigna) on four independent streams in the lanes of an i32x4 vector: the
// pieces the lane generators share (rng-simd.ts, rng-word.ts, nn-elementwise.ts). The state step
// itself updates four vectors, which a function cannot return, so each loop writes it out:
//   t = s1 << 9; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11).
// A library module, compiled into the kernels that import it.

// @ts-ignore: decorator
/** Rotates each 32-bit lane left by k. */
@inline export function rotl4(x: v128, k: i32): v128 { return v128.or(i32x4.shl(x, k), i32x4.shr_u(x, 32 - k)); }

// @ts-ignore: decorator
/** The ** scrambler rotl(s1·5, 7)·9 of each lane, the multiplications as shift-and-add. */
@inline export function scramble(s1: v128): v128 {
  const x = rotl4(i32x4.add(i32x4.shl(s1, 2), s1), 7);
  return i32x4.add(i32x4.shl(x, 3), x);
}
