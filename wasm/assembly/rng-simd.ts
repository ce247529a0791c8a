// Standard normals from 8 independent xoshiro128** streams run in the lanes of two i32x4 vectors
// (two independent dependency chains, so the latency of one hides behind the other), turned into
// normals by the 256-layer ziggurat of `Rng` (src/util/random.ts):
//   value j of a round takes its first attempt from lane j: w1, w2 = the lane's next two words,
//   layer i = w1 & 255, sign = bit 8 of w1, m = 2·((w1 >>> 12)·2^32 + w2) (an even 53-bit integer:
//   52 random bits); m < K[i] accepts z = ±m·W[i] at once (≈ 98.8 %); otherwise the tail/wedge procedure of Rng.normalSlow finishes
//   that value with words from a ninth, scalar "rescue" stream, values taken in stream order.
// The stream is rounds of 8 values, lanes 0…7 in order. Every value is an exact ziggurat sample
// and the draws of different values are disjoint, so the values are independent N(0, 1).
// The fast test is vectorised and conservative: hi = w1 >>> 12 < Khi[i] = ⌊⌈K[i]/2⌉/2^32⌋ implies
// m < K[i]. All 8 lanes are finished by SIMD arithmetic; the lanes that failed the test (and every
// lane of a call's last, partial round) are listed and, after a chunk of ≤ 256 rounds, recomputed by scalar code (exact test m < K[i], then the slow
// path with the host's Math.exp / Math.log, imported) — so the hot loop makes no call. The double
// arithmetic is the same on both paths. test/reference/xoshiro-simd.ts computes the stream in plain JS.
//
// Memory layout at `st` (byte offsets, see src/optim/simd-normal-kernel.ts):
//   0…127:    the 8 lanes' state words, word-major: word w of lane j at st + 32·w + 4·j;
//   128…143:  the rescue stream's 4 words;
//   144:      i32 count of values of the last round not yet handed out (0…7);
//   152…215:  the last round's 8 values (f64 z); the unused ones are the last `count`;
//   216…279:  scratch (w1, w2 of the 8 lanes);
//   280…:     the list of values to finish, ≤ 2056 entries of 16 bytes (address, w1, w2, kind).
// Tables at `tab`: K[256], W[256], F[257], R (f64, as zigguratTables()), then WS[512] (f64,
// WS[i] = 2·W[i], WS[256 + i] = −2·W[i]) and Khi[512] (u32, the 256 values twice), both indexed by
// w1 & 511 (layer and sign).

import { normalSlow, put, OFF_W, TWO_33 } from './lib/ziggurat';
import { rotl4, scramble } from './lib/xoshiro-lanes';

const OFF_WS: usize = 770 << 3;
const OFF_KHI: usize = 1282 << 3;
const RESCUE: usize = 128;
const HAVE: usize = 144;
const BUF: usize = 152;
const SW1: usize = 216;
const SW2: usize = 248;
const LIST: usize = 280;
/** Values per chunk of full rounds: at most 2048 list entries, plus 8 of a partial round. */
const CHUNK: i32 = 2048;

// Finishes the listed values in order with the rescue stream: exact test m < K[i], else the slow path.
function finish(st: usize, tab: usize, list: usize, end: usize, mean: f64, std: f64): void {
  for (let e = list; e < end; e += 16) {
    const dst = <usize>load<u32>(e), w1 = load<u32>(e, 4), w2 = load<u32>(e, 8), kind = load<i32>(e, 12);
    const i = w1 & 255, m = <f64>(w1 >>> 12) * TWO_33 + <f64>w2 * 2;
    let z: f64;
    if (m < load<f64>(tab + (<usize>i << 3))) {
      z = m * load<f64>(tab + OFF_W + (<usize>i << 3));
      if ((w1 & 256) != 0) z = -z;
    } else z = normalSlow(st + RESCUE, tab, i, m, w1 & 256, true);
    put(dst, 0, z, mean, std, kind);
  }
}


// Four lanes' values stored at out (element offset p) in the output kind: z = (m/2)·WS[w1 & 511],
// with m/2 = (w1 >>> 12)·2^32 + w2 < 2^52 made a double exactly by the exponent trick (the bits
// 0x433… | m/2, minus 2^52) and WS = ±2·W[i] carrying the sign: the same double as ±m·W[i].
@inline function emit(w1: v128, w2: v128, tab: usize, out: usize, p: usize, mean: f64, std: f64, kind: i32): void {
  const base = tab + OFF_WS;
  const j0 = <usize>(i32x4.extract_lane(w1, 0) & 511), j1 = <usize>(i32x4.extract_lane(w1, 1) & 511);
  const j2 = <usize>(i32x4.extract_lane(w1, 2) & 511), j3 = <usize>(i32x4.extract_lane(w1, 3) & 511);
  const hi = v128.or(i32x4.shr_u(w1, 12), i32x4.splat(0x43300000));
  const two52 = f64x2.splat(4503599627370496.0);
  const m01 = f64x2.sub(i32x4.shuffle(w2, hi, 0, 4, 1, 5), two52), m23 = f64x2.sub(i32x4.shuffle(w2, hi, 2, 6, 3, 7), two52);
  const z01 = f64x2.mul(m01, v128.load64_lane(base + (j1 << 3), v128.load64_splat(base + (j0 << 3)), 1));
  const z23 = f64x2.mul(m23, v128.load64_lane(base + (j3 << 3), v128.load64_splat(base + (j2 << 3)), 1));
  if (kind == 0) {
    v128.store(out + (p << 3), z01); v128.store(out + (p << 3), z23, 16);
  } else {
    const a = f64x2.splat(mean), s = f64x2.splat(std);
    const y01 = f64x2.add(a, f64x2.mul(s, z01)), y23 = f64x2.add(a, f64x2.mul(s, z23));
    if (kind == 1) { v128.store(out + (p << 3), y01); v128.store(out + (p << 3), y23, 16); }
    else v128.store(out + (p << 2), i64x2.shuffle(f32x4.demote_f64x2_zero(y01), f32x4.demote_f64x2_zero(y23), 0, 2));
  }
}

// Khi[w1 & 511] of the four lanes.
@inline function khi(w1: v128, tab: usize): v128 {
  const base = tab + OFF_KHI;
  let k = v128.load32_splat(base + (<usize>(i32x4.extract_lane(w1, 0) & 511) << 2));
  k = v128.load32_lane(base + (<usize>(i32x4.extract_lane(w1, 1) & 511) << 2), k, 1);
  k = v128.load32_lane(base + (<usize>(i32x4.extract_lane(w1, 2) & 511) << 2), k, 2);
  return v128.load32_lane(base + (<usize>(i32x4.extract_lane(w1, 3) & 511) << 2), k, 3);
}

// Bit j set for each lane j of four that failed the fast test (Khi > hi is signed-safe: both < 2^20).
@inline function misses(w1: v128, tab: usize): i32 {
  return i32x4.bitmask(i32x4.gt_s(khi(w1, tab), i32x4.shr_u(w1, 12))) ^ 15;
}

// Appends list entries (destination address, w1, w2, kind) for the lanes set in `missed`; lane j of
// the four at scratch offset `lane0` writes to dst + j·size. Returns the new end of the list.
@inline function append(st: usize, e: usize, missed: i32, lane0: usize, dst: usize, shift: usize, kind: i32): usize {
  do {
    const j = <usize>ctz<i32>(missed);
    missed &= missed - 1;
    store<u32>(e, <u32>(dst + (j << shift)));
    store<u32>(e, load<u32>(st + SW1 + ((lane0 + j) << 2)), 4);
    store<u32>(e, load<u32>(st + SW2 + ((lane0 + j) << 2)), 8);
    store<i32>(e, kind, 12);
    e += 16;
  } while (missed != 0);
  return e;
}


// The call's last, partial round (state in memory): its 8 words pairs are listed in lane order for
// the scalar finish (which writes z into the round buffer); returns the new end of the list.
function partialRound(st: usize, e: usize): usize {
  for (let h: usize = 0; h < 32; h += 16) {
    let s0 = v128.load(st + h), s1 = v128.load(st + h, 32), s2 = v128.load(st + h, 64), s3 = v128.load(st + h, 96);
    const w1 = scramble(s1);
    let t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3); s2 = v128.xor(s2, t); s3 = rotl4(s3, 11);
    const w2 = scramble(s1);
    t = i32x4.shl(s1, 9);
    s2 = v128.xor(s2, s0); s3 = v128.xor(s3, s1); s1 = v128.xor(s1, s2); s0 = v128.xor(s0, s3); s2 = v128.xor(s2, t); s3 = rotl4(s3, 11);
    v128.store(st + h, s0); v128.store(st + h, s1, 32); v128.store(st + h, s2, 64); v128.store(st + h, s3, 96);
    v128.store(st + SW1 + h, w1); v128.store(st + SW2 + h, w2);
  }
  e = append(st, e, 15, 0, st + BUF, 3, 0);
  return append(st, e, 15, 4, st + BUF + 32, 3, 0);
}

@inline function fill(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64, kind: i32): void {
  const shift: usize = kind == 2 ? 2 : 3;
  let p: i32 = 0;
  let have = load<i32>(st + HAVE);
  // Values left from the previous call's last round first.
  while (have > 0 && p < n) { put(out, <usize>p, load<f64>(st + BUF + (<usize>(8 - have) << 3)), mean, std, kind); have--; p++; }
  if (p == n) { store<i32>(st + HAVE, have); return; }
  let a0 = v128.load(st), a1 = v128.load(st, 32), a2 = v128.load(st, 64), a3 = v128.load(st, 96);
  let b0 = v128.load(st, 16), b1 = v128.load(st, 48), b2 = v128.load(st, 80), b3 = v128.load(st, 112);
  let take: i32 = 0;
  while (p < n) {
    let e: usize = st + LIST;
    // Full rounds of this chunk: lanes 0…3 (state a) then 4…7 (state b), each two xoshiro steps,
    // the values, and the fast test; out-of-order execution overlaps the two halves.
    const stop = min(n - 8, p + CHUNK - 8);
    while (p <= stop) {
      const wa1 = scramble(a1);
      let t = i32x4.shl(a1, 9);
      a2 = v128.xor(a2, a0); a3 = v128.xor(a3, a1); a1 = v128.xor(a1, a2); a0 = v128.xor(a0, a3); a2 = v128.xor(a2, t); a3 = rotl4(a3, 11);
      const wa2 = scramble(a1);
      t = i32x4.shl(a1, 9);
      a2 = v128.xor(a2, a0); a3 = v128.xor(a3, a1); a1 = v128.xor(a1, a2); a0 = v128.xor(a0, a3); a2 = v128.xor(a2, t); a3 = rotl4(a3, 11);
      emit(wa1, wa2, tab, out, <usize>p, mean, std, kind);
      const missA = misses(wa1, tab);
      if (missA != 0) {
        v128.store(st + SW1, wa1); v128.store(st + SW2, wa2);
        e = append(st, e, missA, 0, out + (<usize>p << shift), shift, kind);
      }
      const wb1 = scramble(b1);
      t = i32x4.shl(b1, 9);
      b2 = v128.xor(b2, b0); b3 = v128.xor(b3, b1); b1 = v128.xor(b1, b2); b0 = v128.xor(b0, b3); b2 = v128.xor(b2, t); b3 = rotl4(b3, 11);
      const wb2 = scramble(b1);
      t = i32x4.shl(b1, 9);
      b2 = v128.xor(b2, b0); b3 = v128.xor(b3, b1); b1 = v128.xor(b1, b2); b0 = v128.xor(b0, b3); b2 = v128.xor(b2, t); b3 = rotl4(b3, 11);
      emit(wb1, wb2, tab, out, <usize>(p + 4), mean, std, kind);
      const missB = misses(wb1, tab);
      if (missB != 0) {
        v128.store(st + SW1, wb1, 16); v128.store(st + SW2, wb2, 16);
        e = append(st, e, missB, 4, out + (<usize>(p + 4) << shift), shift, kind);
      }
      p += 8;
    }
    if (p < n && p + 8 > n) {
      // The last, partial round goes to the round buffer (as z), every lane through the scalar finish.
      v128.store(st, a0); v128.store(st, a1, 32); v128.store(st, a2, 64); v128.store(st, a3, 96);
      v128.store(st, b0, 16); v128.store(st, b1, 48); v128.store(st, b2, 80); v128.store(st, b3, 112);
      e = partialRound(st, e);
      a0 = v128.load(st); a1 = v128.load(st, 32); a2 = v128.load(st, 64); a3 = v128.load(st, 96);
      b0 = v128.load(st, 16); b1 = v128.load(st, 48); b2 = v128.load(st, 80); b3 = v128.load(st, 112);
      take = n - p; p = n;
    }
    if (e != st + LIST) finish(st, tab, st + LIST, e, mean, std);
  }
  if (take > 0) {
    for (let j = 0; j < take; j++) put(out, <usize>(n - take + j), load<f64>(st + BUF + (<usize>j << 3)), mean, std, kind);
    have = 8 - take;
  }
  v128.store(st, a0); v128.store(st, a1, 32); v128.store(st, a2, 64); v128.store(st, a3, 96);
  v128.store(st, b0, 16); v128.store(st, b1, 48); v128.store(st, b2, 80); v128.store(st, b3, 112);
  store<i32>(st + HAVE, have);
}

/** n standard normals z into f64 out (the next n values of the 8-lane stream). */
export function normalsF64(st: usize, tab: usize, out: usize, n: i32): void { fill(st, tab, out, n, 0, 1, 0); }

/** mean + std·z into f64 out. */
export function fillNormalF64(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64): void { fill(st, tab, out, n, mean, std, 1); }

/** mean + std·z rounded to f32 into out. */
export function fillNormalF32(st: usize, tab: usize, out: usize, n: i32, mean: f64, std: f64): void { fill(st, tab, out, n, mean, std, 2); }
