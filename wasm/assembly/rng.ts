// Standard normals by the same xoshiro128** + 256-layer ziggurat as `Rng` (src/util/random.ts), so
// that a stream continued here is bit-identical to the JS one: same words in the same order, the
// same double arithmetic, and the rare tail/wedge path calls the host's Math.exp / Math.log
// (imported) so that even those values agree to the last bit.
//
// Memory layout (byte offsets handed in by the caller):
//   st:  four u32 words s0..s3 of the xoshiro state, read at entry and written back at exit;
//   tab: K[256] f64 (accept m < K[i] at once), W[256] f64 (x = m·W[i]), F[257] f64 (f(xᵢ)), R f64
//        (the tail start), as built by `zigguratTables()` in src/util/random.ts.

@external("env", "exp") declare function hostExp(x: f64): f64;
@external("env", "log") declare function hostLog(x: f64): f64;

const OFF_W: usize = 256 << 3;
const OFF_F: usize = 512 << 3;
const OFF_R: usize = 769 << 3;
const TWO_32: f64 = 4294967296.0;

// The state while the rare path runs (it draws a variable number of words); the fast loop keeps it
// in locals and syncs these globals around each rare call.
let g0: u32 = 0;
let g1: u32 = 0;
let g2: u32 = 0;
let g3: u32 = 0;

@inline function nextWord(): u32 {
  const result = rotl<u32>(g1 * 5, 7) * 9;
  const t = g1 << 9;
  g2 ^= g0; g3 ^= g1; g1 ^= g2; g0 ^= g3; g2 ^= t; g3 = rotl<u32>(g3, 11);
  return result;
}

@inline function uniform(): f64 {
  const hi = nextWord() >>> 5;
  const lo = nextWord() >>> 6;
  return (<f64>hi * 67108864.0 + <f64>lo) / 9007199254740992.0;
}

// Rng.normalSlow: attempt (i, m, sign) missed its inner rectangle; tail (i = 0) or wedge test, then
// fresh attempts until one is accepted. Same operations in the same order as the JS method.
function normalSlow(tab: usize, i: u32, m: f64, sign: u32): f64 {
  const r = load<f64>(tab + OFF_R);
  while (true) {
    let z: f64;
    if (i == 0) {
      let x: f64, y: f64;
      do {
        x = -hostLog(1 - uniform()) / r;
        y = -hostLog(1 - uniform());
      } while (y + y <= x * x);
      return sign == 0 ? r + x : -(r + x);
    }
    z = m * load<f64>(tab + OFF_W + (<usize>i << 3));
    const fi = load<f64>(tab + OFF_F + (<usize>i << 3)), fNext = load<f64>(tab + OFF_F + (<usize>(i + 1) << 3));
    if (fi + uniform() * (fNext - fi) < hostExp(-z * z / 2)) return sign == 0 ? z : -z;
    const w1 = nextWord(), w2 = nextWord();
    i = w1 & 255; m = <f64>(w1 >>> 11) * TWO_32 + <f64>w2; sign = w1 & 256;
    if (m < load<f64>(tab + (<usize>i << 3))) { z = m * load<f64>(tab + OFF_W + (<usize>i << 3)); return sign == 0 ? z : -z; }
  }
  return 0; // unreachable: the loop only exits by returning
}

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
      put(out, p, z, mean, std, kind);
    }
    if (p < n) {
      g0 = s0; g1 = s1; g2 = s2; g3 = s3;
      const z = normalSlow(tab, i, m, w1 & 256);
      s0 = g0; s1 = g1; s2 = g2; s3 = g3;
      put(out, p, z, mean, std, kind);
      p++;
    }
  }
  store<u32>(st, s0); store<u32>(st, s1, 4); store<u32>(st, s2, 8); store<u32>(st, s3, 12);
}

@inline function put(out: usize, p: i32, z: f64, mean: f64, std: f64, kind: i32): void {
  if (kind == 0) store<f64>(out + (<usize>p << 3), z);
  else if (kind == 1) store<f64>(out + (<usize>p << 3), mean + std * z);
  else store<f32>(out + (<usize>p << 2), <f32>(mean + std * z));
}

/** n standard normals z into f64 out: the values of n calls of Rng.normal(). */
export function normalsF64(st: usize, tab: usize, out: usize, n: i32): void { fill(st, tab, out, n, 0, 1, 0); }

/** mean + std·z into f64 out: Rng.fillNormal on a Float64Array. */
export function fillNormalF64(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64): void { fill(st, tab, out, n, mean, std, 1); }

/** mean + std·z rounded to f32 into out: Rng.fillNormal on a Float32Array. */
export function fillNormalF32(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64): void { fill(st, tab, out, n, mean, std, 2); }
