// Float32 standard normals, one 32-bit word per attempt, from the 8 xoshiro128** lanes of
// rng-simd.ts (same state layout) — the Langevin noise of float32 parameters under normals:
// 'parallel' (optim-inner.ts chainBlocksF32). Value j of a round takes lane j's next word w:
// layer i = w & 255, sign = bit 8, m = w >>> 9 (23 bits, all disjoint from the layer and sign bits);
// m < K23[i] = ⌊2^23·xᵢ₊₁/xᵢ⌋ accepts z = fround(m·fround(±xᵢ/2^23)) at once (≈ 98.5 %), the rest
// finish the tail/wedge procedure of lib/ziggurat.ts (normalSlowWord) with words of the rescue
// stream, in stream order. Each value is an exact ziggurat sample on the 2^-23 grid of its layer,
// rounded to float32, and no two values share a draw: independent N(0, 1) to float32 resolution.
// Half the words of rng-simd.ts's float64 values, and one table gather for both the value and the
// test (an 8-byte entry): 1.93 against 2.80 ns/value on one thread (bench/rng.bench.ts; the fast
// path is ≈ 2.5× faster, the scalar rare path of the ≈ 1.5 % misses costs as before, ≈ 0.6 ns/value);
// float32 output is all a float32 parameter keeps of a float64 normal anyway. test/reference/ziggurat-word.ts recomputes it in JS.
//
// Layout: the generator state at `st` as rng-simd.ts (lane words at 0…127, rescue stream at 128…143;
// the pending-values count and buffer are not used: a call writes whole rounds), the list of values
// to finish at st + LIST (8-byte entries: address, w). Tables at `tab`: the f64 tables of rng-simd.ts
// (K, W, F, R, WS, Khi), then at tab + OFF_E the 512 word entries (f32 ±xᵢ/2^23, i32 K23[i]) indexed
// by w & 511 (src/optim/simd-normal-kernel.ts writes them).

import { normalSlowWord } from './lib/ziggurat';
import { rotl4, scramble } from './lib/xoshiro-lanes';

/** Byte offset of the word entries from the tables' base: after 770 + 512 f64 and 512 u32. */
export const OFF_E: usize = (770 + 512) * 8 + 512 * 4;
const RESCUE: usize = 128;
const LIST: usize = 280;
/** Values per chunk of rounds whose misses are listed before they are finished: at most 2048 entries. */
const CHUNK: i32 = 2048;


// Four lanes' values stored at out: one 8-byte gather per lane brings the signed scale and the
// bound; returns the bit mask of the lanes whose m ≥ K23 (to be finished by scalar code).
@inline function emit(w: v128, tabE: usize, out: usize): i32 {
  const j0 = <usize>(i32x4.extract_lane(w, 0) & 511), j1 = <usize>(i32x4.extract_lane(w, 1) & 511);
  const j2 = <usize>(i32x4.extract_lane(w, 2) & 511), j3 = <usize>(i32x4.extract_lane(w, 3) & 511);
  const e01 = v128.load64_lane(tabE + (j1 << 3), v128.load64_splat(tabE + (j0 << 3)), 1);
  const e23 = v128.load64_lane(tabE + (j3 << 3), v128.load64_splat(tabE + (j2 << 3)), 1);
  const scale = i32x4.shuffle(e01, e23, 0, 2, 4, 6), bound = i32x4.shuffle(e01, e23, 1, 3, 5, 7);
  const m = i32x4.shr_u(w, 9);
  v128.store(out, f32x4.mul(f32x4.convert_i32x4_s(m), scale));
  return i32x4.bitmask(i32x4.ge_s(m, bound));
}

// Appends (address, word) for the lanes set in `missed` of the four words w written at out.
@inline function append(e: usize, missed: i32, w: v128, out: usize): usize {
  do {
    const j = ctz<i32>(missed);
    missed &= missed - 1;
    store<u32>(e, <u32>(out + (<usize>j << 2)));
    // j is 0…3: a lane of w by a run-time index
    store<u32>(e, j == 0 ? i32x4.extract_lane(w, 0) : j == 1 ? i32x4.extract_lane(w, 1) : j == 2 ? i32x4.extract_lane(w, 2) : i32x4.extract_lane(w, 3), 4);
    e += 8;
  } while (missed != 0);
  return e;
}

/**
 * ⌈n/8⌉ whole rounds (8·⌈n/8⌉ float32 standard normals) into out, the next values of the 8-lane
 * stream at st; out must have room for them. Advances the state.
 */
export function normalsWordF32(st: usize, tab: usize, out: usize, n: i32): void {
  const tabE = tab + OFF_E;
  let a0 = v128.load(st), a1 = v128.load(st, 32), a2 = v128.load(st, 64), a3 = v128.load(st, 96);
  let b0 = v128.load(st, 16), b1 = v128.load(st, 48), b2 = v128.load(st, 80), b3 = v128.load(st, 112);
  for (let p = 0; p < n;) {
    let e: usize = st + LIST;
    const stop = min(n, p + CHUNK);
    for (; p < stop; p += 8) {
      // Lanes 0…3 (state a) and 4…7 (state b): one xoshiro step each, two independent chains.
      const wa = scramble(a1);
      let t = i32x4.shl(a1, 9);
      a2 = v128.xor(a2, a0); a3 = v128.xor(a3, a1); a1 = v128.xor(a1, a2); a0 = v128.xor(a0, a3); a2 = v128.xor(a2, t); a3 = rotl4(a3, 11);
      const wb = scramble(b1);
      t = i32x4.shl(b1, 9);
      b2 = v128.xor(b2, b0); b3 = v128.xor(b3, b1); b1 = v128.xor(b1, b2); b0 = v128.xor(b0, b3); b2 = v128.xor(b2, t); b3 = rotl4(b3, 11);
      const q = out + (<usize>p << 2);
      const ma = emit(wa, tabE, q), mb = emit(wb, tabE, q + 16);
      if ((ma | mb) != 0) {
        if (ma != 0) e = append(e, ma, wa, q);
        if (mb != 0) e = append(e, mb, wb, q + 16);
      }
    }
    // The chunk's misses in stream order, each finished with the rescue stream.
    for (let f = st + LIST; f < e; f += 8) store<f32>(<usize>load<u32>(f), normalSlowWord(st + RESCUE, tab, tabE, load<u32>(f, 4)));
  }
  v128.store(st, a0); v128.store(st, a1, 32); v128.store(st, a2, 64); v128.store(st, a3, 96);
  v128.store(st, b0, 16); v128.store(st, b1, 48); v128.store(st, b2, 80); v128.store(st, b3, 112);
}
