// The rare path of the 256-layer ziggurat of `Rng` (src/util/random.ts, Rng.normalSlow), shared by
// rng.ts (which continues Rng's own stream) and rng-simd.ts (its scalar rescue stream): the tail and
// wedge tests with the host's Math.exp / Math.log (imported, so that values agree with the JS ones to
// the last bit), then fresh attempts from the same xoshiro128** stream until one is accepted. A
// library module, not a kernel: it lives below wasm/assembly/lib/ and is compiled into the kernels
// that import it.
//
// Tables at `tab` (f64): K[256] (accept m < K[i] at once), W[256] (x = m·W[i]), F[257] (f(xᵢ)), R
// (the tail start), as built by `zigguratTables()` in src/util/random.ts.

@external("env", "exp") declare function hostExp(x: f64): f64;
@external("env", "log") declare function hostLog(x: f64): f64;

/** Byte offsets of W, F and R in the tables. */
export const OFF_W: usize = 256 << 3;
export const OFF_F: usize = 512 << 3;
export const OFF_R: usize = 769 << 3;
export const TWO_32: f64 = 4294967296.0;
export const TWO_33: f64 = 8589934592.0;

// The stream's state while the rare path runs (it draws a variable number of words).
let g0: u32 = 0;
let g1: u32 = 0;
let g2: u32 = 0;
let g3: u32 = 0;

// @ts-ignore: decorator
@inline function nextWord(): u32 {
  const result = rotl<u32>(g1 * 5, 7) * 9;
  const t = g1 << 9;
  g2 ^= g0; g3 ^= g1; g1 ^= g2; g0 ^= g3; g2 ^= t; g3 = rotl<u32>(g3, 11);
  return result;
}

// @ts-ignore: decorator
@inline function uniform(): f64 {
  const hi = nextWord() >>> 5;
  const lo = nextWord() >>> 6;
  return (<f64>hi * 67108864.0 + <f64>lo) / 9007199254740992.0;
}

/**
 * Rng.normalSlow for an attempt (layer i, mantissa m, sign bit) that missed its inner rectangle, on
 * the xoshiro state of four u32 words at `st` (read, advanced, written back). A fresh attempt's
 * mantissa is (w1 >>> 11)·2³² + w2 (Rng's stream) or, with `evenMantissa`, 2·((w1 >>> 12)·2³² + w2)
 * (the SIMD stream's). Same operations in the same order as the JS method.
 */
export function normalSlow(st: usize, tab: usize, i: u32, m: f64, sign: u32, evenMantissa: bool): f64 {
  g0 = load<u32>(st); g1 = load<u32>(st, 4); g2 = load<u32>(st, 8); g3 = load<u32>(st, 12);
  const z = attempts(tab, i, m, sign, evenMantissa);
  store<u32>(st, g0); store<u32>(st, g1, 4); store<u32>(st, g2, 8); store<u32>(st, g3, 12);
  return z;
}

// The tail beyond r (Marsaglia 1964): x = −ln(u₁)/r, y = −ln(u₂) until 2y > x²; r + x is the value.
// @ts-ignore: decorator
@inline function tailExcess(r: f64): f64 {
  let x: f64, y: f64;
  do {
    x = -hostLog(1 - uniform()) / r;
    y = -hostLog(1 - uniform());
  } while (y + y <= x * x);
  return x;
}

function attempts(tab: usize, i: u32, m: f64, sign: u32, evenMantissa: bool): f64 {
  const r = load<f64>(tab + OFF_R);
  while (true) {
    let z: f64;
    if (i == 0) {
      const x = tailExcess(r);
      return sign == 0 ? r + x : -(r + x);
    }
    z = m * load<f64>(tab + OFF_W + (<usize>i << 3));
    const fi = load<f64>(tab + OFF_F + (<usize>i << 3)), fNext = load<f64>(tab + OFF_F + (<usize>(i + 1) << 3));
    if (fi + uniform() * (fNext - fi) < hostExp(-z * z / 2)) return sign == 0 ? z : -z;
    const w1 = nextWord(), w2 = nextWord();
    i = w1 & 255; sign = w1 & 256;
    m = evenMantissa ? <f64>(w1 >>> 12) * TWO_33 + <f64>w2 * 2 : <f64>(w1 >>> 11) * TWO_32 + <f64>w2;
    if (m < load<f64>(tab + (<usize>i << 3))) { z = m * load<f64>(tab + OFF_W + (<usize>i << 3)); return sign == 0 ? z : -z; }
  }
  return 0; // unreachable: the loop only exits by returning
}

/** Stores value p of a fill: kind 0 z as f64; 1 mean + std·z as f64; 2 mean + std·z rounded to f32. */
// @ts-ignore: decorator
@inline export function put(out: usize, p: usize, z: f64, mean: f64, std: f64, kind: i32): void {
  if (kind == 0) store<f64>(out + (p << 3), z);
  else if (kind == 1) store<f64>(out + (p << 3), mean + std * z);
  else store<f32>(out + (p << 2), <f32>(mean + std * z));
}

// ---- The one-word float32 ziggurat (rng-word.ts): an attempt is one 32-bit word w — layer
// i = w & 255, sign = bit 8, m = w >>> 9 (23 bits) — on the same 256 layers, accepted at once when
// m < K23[i] = ⌊2^23·xᵢ₊₁/xᵢ⌋ with the value fround(m·fround(±xᵢ/2^23)). Word tables at `tabE`:
// 512 entries of 8 bytes, indexed by w & 511 (layer and sign): f32 ±xᵢ/2^23, i32 K23[i].

/** The one-word ziggurat's value of an accepted attempt: fround(m·E[w & 511].W) in float32 arithmetic. */
// @ts-ignore: decorator
@inline export function wordValue(tabE: usize, w: u32): f32 {
  return <f32>(w >>> 9) * load<f32>(tabE + (<usize>(w & 511) << 3));
}

/**
 * Finishes the one-word attempt w on the rescue stream of four u32 words at `st` (read, advanced,
 * written back): the fast test, the tail (i = 0, Marsaglia's method) or the wedge test at
 * z = m·xᵢ/2^23 in float64 (xᵢ/2^23 = 2^30·W[i] of the f64 tables at `tab`, exact), then fresh
 * attempts of one word each. The result is rounded to float32 (the tail's r + x) or is wordValue.
 */
export function normalSlowWord(st: usize, tab: usize, tabE: usize, w: u32): f32 {
  g0 = load<u32>(st); g1 = load<u32>(st, 4); g2 = load<u32>(st, 8); g3 = load<u32>(st, 12);
  const z = attemptsWord(tab, tabE, w);
  store<u32>(st, g0); store<u32>(st, g1, 4); store<u32>(st, g2, 8); store<u32>(st, g3, 12);
  return z;
}

function attemptsWord(tab: usize, tabE: usize, w: u32): f32 {
  const r = load<f64>(tab + OFF_R);
  while (true) {
    const i = w & 255, m = w >>> 9;
    if (m < load<u32>(tabE + (<usize>(w & 511) << 3), 4)) return wordValue(tabE, w);
    if (i == 0) {
      const x = tailExcess(r);
      return <f32>((w & 256) == 0 ? r + x : -(r + x));
    }
    const z = <f64>m * (load<f64>(tab + OFF_W + (<usize>i << 3)) * 1073741824.0);
    const fi = load<f64>(tab + OFF_F + (<usize>i << 3)), fNext = load<f64>(tab + OFF_F + (<usize>(i + 1) << 3));
    if (fi + uniform() * (fNext - fi) < hostExp(-z * z / 2)) return wordValue(tabE, w);
    w = nextWord();
  }
  return 0; // unreachable: the loop only exits by returning
}
