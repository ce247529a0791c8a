// Standard normals by the same xoshiro128** + 256-layer ziggurat as `Rng` (src/util/random.ts), so
// that a stream continued here is bit-identical to the JS one: same words in the same order, the
// same double arithmetic, and the rare tail/wedge path calls the host's Math.exp / Math.log
// (imported) so that even those values agree to the last bit.
//
// Memory layout (byte offsets handed in by the caller):
//   st:  four u32 words s0..s3 of the xoshiro state, read at entry and written back at exit;
//   tab: K[256] f64 (accept m < K[i] at once), W[256] f64 (x = m·W[i]), F[257] f64 (f(xᵢ)), R f64
//        (the tail start), as built by `zigguratTables()` in src/util/random.ts.
// The rare tail/wedge path is lib/ziggurat.ts's, shared with rng-simd.ts.

import { normalSlow, put, OFF_W, TWO_32 } from './lib/ziggurat';

// The shared fill: kind 0 writes z as f64 (n calls of Rng.normal()); kind 1 writes mean + std·z as
// f64 and kind 2 as f32 (Rng.fillNormal into a Float64Array / Float32Array).
@inline function fill(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64, kind: i32): void {
  let s0 = load<u32>(st), s1 = load<u32>(st, 4), s2 = load<u32>(st, 8), s3 = load<u32>(st, 12);
  let p = 0;
  while (p < n) {
    let i: u32 = 0, m: f64 = 0, w1: u32 = 0;
    for (; p < n; p++) {
      w1 = rotl<u32>(s1 * 5, 7) * 9;
      let t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
      const w2 = rotl<u32>(s1 * 5, 7) * 9;
      t = s1 << 9;
      s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl<u32>(s3, 11);
      i = w1 & 255; m = <f64>(w1 >>> 11) * TWO_32 + <f64>w2;
      if (m >= load<f64>(tab + (<usize>i << 3))) break;
      // (1 − 2·bit8)·m·W[i], associated as in the JS expression.
      const z = <f64>(<i32>1 - <i32>((w1 >>> 7) & 2)) * m * load<f64>(tab + OFF_W + (<usize>i << 3));
      put(out, <usize>p, z, mean, std, kind);
    }
    if (p < n) {
      store<u32>(st, s0); store<u32>(st, s1, 4); store<u32>(st, s2, 8); store<u32>(st, s3, 12);
      const z = normalSlow(st, tab, i, m, w1 & 256, false);
      s0 = load<u32>(st); s1 = load<u32>(st, 4); s2 = load<u32>(st, 8); s3 = load<u32>(st, 12);
      put(out, <usize>p, z, mean, std, kind);
      p++;
    }
  }
  store<u32>(st, s0); store<u32>(st, s1, 4); store<u32>(st, s2, 8); store<u32>(st, s3, 12);
}

/** n standard normals z into f64 out: the values of n calls of Rng.normal(). */
export function normalsF64(st: usize, tab: usize, out: usize, n: i32): void { fill(st, tab, out, n, 0, 1, 0); }

/** mean + std·z into f64 out: Rng.fillNormal on a Float64Array. */
export function fillNormalF64(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64): void { fill(st, tab, out, n, mean, std, 1); }

/** mean + std·z rounded to f32 into out: Rng.fillNormal on a Float32Array. */
export function fillNormalF32(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64): void { fill(st, tab, out, n, mean, std, 2); }
