// Fused inner-loop updates of src/optim on float64 or float32 vectors in linear memory: one step of
// the SGLD chain of Entropy-SGD / HEAT / Parle (src/optim/local-mean.ts) per pass over the vectors
// (the HJ iterations are in optim-hj.ts).
//
// Arithmetic in the vector's own precision (lib/t-lanes.ts): float64 vectors in float64 (f64x2) with
// the operations of the plain JS loops in their order, so bit-identical to them; float32 vectors in
// float32 (f32x4, four elements per instruction, every scalar argument rounded to float32 first), as
// PyTorch computes float32 parameters: bit-identical to the same loops with Math.fround after every
// operation (test/reference/optim-previous/local-mean.ts). No fused multiply-add. Computing float32
// in float64 meant a float32 rounding of every value the loops stored and re-read: conversions on the
// dependency chain of each element, which made the fused last pass compute-bound (≈ 3× a copy of its
// bytes on one thread). Pointers are byte offsets; the Langevin noise z is a float64 block (one value
// per element, from wasm/assembly/rng.ts; rounded to float32 for a float32 vector). Each kernel
// returns 1 if some entry of the gradient it read is NaN or ±∞, else 0 (integer lanes, no
// floating-point latency chain: see flagBadT). It writes the chain's point, the running mean, the
// inner velocity and (fused last step) the outer update and velocity: where the caller put them.

import { lanes, ldT, stT, addT, subT, mulT, splatT, fromF64, flagBadT, applyMomentumT } from './lib/t-lanes';
import { normalsF64 } from './rng-simd';
import { normalsWordF32 } from './rng-word';

// ---- One SGLD step k of L, element by element (y_{k−1} read at src, the anchor x at x):
//   g = ∇f(y) + wd·y;  rest = (y − x)/t [+ s·z];  d = g + rest, or with inner momentum m
//   mode 1 ('all'):      b ← m·b + (g + rest),  d = nesterov ? (g + rest) + m·b : b
//   mode 2 ('gradient'): b ← m·b + g,           d = (nesterov ? g + m·b : b) + rest
//   y_k = y − η′·d
// The running mean μ_k = keep_k·μ_{k−1} + a_k·y_k (μ₀ = x) is written every other step only: an
// even step k reads μ_{k−2} and folds in y_{k−1} (the value it reads at src anyway) and y_k —
//   meanMode 0: no μ (odd k < L);  1: μ_k from μ_{k−1} at meanIn (keep2, a2);
//   meanMode 2: μ_k = keep2·(keep1·μ_{k−2} + a1·y_{k−1}) + a2·y_k, μ_{k−2} at meanIn,
// so the mean costs one read and one write per two steps, with the bits of the step-by-step mean.
// tail 0: y_k stored at dst, μ_k (meanMode ≠ 0) at meanOut. tail 1 + outer mode (the fused outer
// step of Entropy-SGD/HEAT, last step only): d = (x − μ_L)·scale + owd·x, then the outer momentum
// step from x into out (velocity read at velIn, written at velOut), and neither y_L nor μ_L is
// stored. saveAnchor: also store y_{k−1} (the first step's x) at anchorOut.
@inline function chainAt<T, Z>(o: usize, oz: usize, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize,
  vel: usize, noise: usize, out: usize, velIn: usize, velOut: usize, lr: v128, coupling: v128, wd: v128, keep1: v128, a1: v128, keep2: v128, a2: v128,
  m: v128, sd: v128, scale: v128, owd: v128, olr: v128, om: v128, rt: i32,
  momentum: bool, noisy: bool, meanMode: i32, tail: i32, save: i32, bad: v128, one: bool): v128 {
  const yp = ldT<T>(src + o, one), gp = ldT<T>(grad + o, one), xv = ldT<T>(x + o, one);
  if (save == 1 || (save == 2 && (rt & SAVE_ANCHOR) != 0)) stT<T>(anchorOut + o, yp, one);
  const g = addT<T>(gp, mulT<T>(wd, yp));
  let rest = mulT<T>(coupling, subT<T>(yp, xv));
  if (noisy) rest = addT<T>(rest, mulT<T>(sd, sizeof<Z>() == 8 ? fromF64<T>(noise + oz, one) : ldT<f32>(noise + oz, one)));
  let d: v128;
  if (!momentum) d = addT<T>(g, rest);
  else if ((rt & 3) == 1) {
    const dp = addT<T>(g, rest), b = addT<T>(mulT<T>(m, ldT<T>(vel + o, one)), dp);
    stT<T>(vel + o, b, one);
    d = (rt & 4) != 0 ? addT<T>(dp, mulT<T>(m, b)) : b;
  } else {
    const b = addT<T>(mulT<T>(m, ldT<T>(vel + o, one)), g);
    stT<T>(vel + o, b, one);
    d = addT<T>((rt & 4) != 0 ? addT<T>(g, mulT<T>(m, b)) : b, rest);
  }
  const yNew = subT<T>(yp, mulT<T>(lr, d));
  let mu = yNew;
  if (meanMode == 1) mu = addT<T>(mulT<T>(keep2, ldT<T>(meanIn + o, one)), mulT<T>(a2, yNew));
  else if (meanMode == 2) mu = addT<T>(mulT<T>(keep2, addT<T>(mulT<T>(keep1, ldT<T>(meanIn + o, one)), mulT<T>(a1, yp))), mulT<T>(a2, yNew));
  if (tail == 0) {
    stT<T>(dst + o, yNew, one);
    if (meanMode != 0) stT<T>(meanOut + o, mu, one);
  } else {
    const dir = addT<T>(mulT<T>(subT<T>(xv, mu), scale), mulT<T>(owd, xv));
    applyMomentumT<T>(out + o, velIn + o, velOut + o, xv, dir, olr, om, tail == 1 ? 0 : ((rt >> TAIL_SHIFT) & 3) - 1, one);
  }
  return flagBadT<T>(bad, gp);
}

@inline function chainLoop<T, Z>(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, rt: i32, momentum: bool, noisy: bool, meanMode: i32, tail: i32, save: i32): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2, zs: usize = sizeof<Z>() == 8 ? 3 : 2, step = lanes<T>();
  const vlr = splatT<T>(lr), vc = splatT<T>(coupling), vwd = splatT<T>(wd), vk1 = splatT<T>(keep1), va1 = splatT<T>(a1), vk2 = splatT<T>(keep2), va2 = splatT<T>(a2);
  const vm = splatT<T>(m), vs = splatT<T>(sd), vsc = splatT<T>(scale), vowd = splatT<T>(owd), volr = splatT<T>(olr), vom = splatT<T>(om);
  let bad = i64x2.splat(0), i = 0;
  for (; i + step <= n; i += step) {
    bad = chainAt<T, Z>(<usize>i << s, <usize>i << zs, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut,
      vlr, vc, vwd, vk1, va1, vk2, va2, vm, vs, vsc, vowd, volr, vom, rt, momentum, noisy, meanMode, tail, save, bad, false);
  }
  for (; i < n; i++) {
    bad = chainAt<T, Z>(<usize>i << s, <usize>i << zs, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut,
      vlr, vc, vwd, vk1, va1, vk2, va2, vm, vs, vsc, vowd, volr, vom, rt, momentum, noisy, meanMode, tail, save, bad, true);
  }
  return v128.any_true(bad) ? 1 : 0;
}

// Flags (see chainF64): inner momentum mode in bits 0–1, Nesterov bit 2, noise bit 3, meanMode bits
// 4–5, tail bits 6–7, saveAnchor bit 8.
const NOISY: i32 = 8, MEAN_SHIFT: i32 = 4, TAIL_SHIFT: i32 = 6, SAVE_ANCHOR: i32 = 256;

// Dispatch. The pass's shape (which vectors it reads and writes: first / odd / pair / single step,
// last single / last pair with or without outer momentum) and whether there is noise and inner
// momentum are compile-time constants of loops of their own; the momentum kinds, the outer momentum
// kind and the anchor copy of a one-step chain are run-time branches inside (every flag as a constant
// makes too many loops for the compiler, and the run-time branches cost most in the common shapes).
@inline function chainShape<T, Z>(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, rt: i32, momentum: bool, noisy: bool): f64 {
  const meanMode = (rt >> MEAN_SHIFT) & 3, tail = (rt >> TAIL_SHIFT) & 3, save = (rt & SAVE_ANCHOR) != 0;
  if (tail == 0) {
    if (meanMode == 0) {
      if (save) return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 0, 0, 1);
      return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 0, 0, 0);
    }
    if (meanMode == 1) return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 1, 0, 2);
    return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 2, 0, 0);
  }
  if (meanMode == 1) {
    if (tail == 1) return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 1, 1, 2);
    return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 1, 2, 2);
  }
  if (tail == 1) return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 2, 1, 0);
  return chainLoop<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, rt, momentum, noisy, 2, 2, 0);
}
@inline function chainAny<T, Z>(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  const momentum = (flags & 3) != 0, noisy = (flags & NOISY) != 0;
  if (noisy) {
    if (momentum) return chainShape<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags, true, true);
    return chainShape<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags, false, true);
  }
  if (momentum) return chainShape<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags, true, false);
  return chainShape<T, Z>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags, false, false);
}

/**
 * One step of the SGLD chain over n elements (see the comment above chainAt; keep = 1 − a,
 * s = √(2/(η′β)), noise read only when noisy). flags = mode | nesterov·4 | noisy·8 | meanMode·16 |
 * tail·64 | saveAnchor·256, tail = 0 (store y, μ) or 1 + outer momentum mode.
 */
export function chainF64(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  return chainAny<f64, f64>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags);
}
export function chainF32(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  return chainAny<f32, f64>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags);
}
// The noisy chainF32 with float32 noise (the block streams' one-word normals, rng-word.ts): the noisy
// shapes only, as the block-stream passes always draw.
function chainF32Z32(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  if ((flags & 3) != 0) return chainShape<f32, f32>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags, true, true);
  return chainShape<f32, f32>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags, false, true);
}

// ---- The noisy chain step with block streams (normals: 'parallel'), drawn on whichever thread runs
// the range: the noise of element e is value e mod NB of a block generator — the 8-lane xoshiro128**
// ziggurat of rng-simd.ts — seeded from (key, pass counter, block ⌊e/NB⌋) alone (seedBlock), so a
// pass split over two threads at block boundaries draws the same values as one thread, and the two
// threads draw at once. Each thread's instance has its own generator state and noise block
// (threadSlot: 0 on the calling thread, 1 on the kernel worker, set once per instance).

/** Values per block stream: 16,384 (128 KiB of float64 noise, in L2 between draw and use). */
const NB: i32 = 16384;
let threadSlot: i32 = 0;
/** Marks this instance as the kernel worker's (slot 1): its block passes use generator gen1, noise block noise1. */
export function setThreadSlot(slot: i32): void { threadSlot = slot; }

// splitmix64's output function (Steele, Lea, Flood 2014): a bijective 64-bit mixer.
@inline function mix64(z: u64): u64 {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
  return z ^ (z >> 31);
}
const GOLDEN: u64 = 0x9E3779B97F4A7C15;

/**
 * Seeds the 8-lane generator state at st (layout of rng-simd.ts: word w of lane j at st + 32w + 4j,
 * the rescue stream at st + 128, no pending values) for block `block` of pass `counter` under the
 * 128-bit key: the words are successive splitmix64 outputs from a base that mixes key, counter and
 * block (as xoshiro's authors advise seeding it); a lane that came out all zero gets word 0 = 1.
 */
export function seedBlock(st: usize, k0: u32, k1: u32, k2: u32, k3: u32, counter: f64, block: i32): void {
  const lo = (<u64>k1 << 32) | <u64>k0, hi = (<u64>k3 << 32) | <u64>k2;
  let s = mix64(mix64(lo ^ (<u64>counter * GOLDEN)) ^ hi ^ (<u64>block * 0xD1B54A32D192ED03));
  for (let i = 0; i < 18; i++) {
    s += GOLDEN;
    const z = mix64(s);
    // words 2i and 2i + 1: lanes' words 0…31 (word-major), then the rescue stream's 4
    const w0 = 2 * i, w1 = w0 + 1;
    store<u32>(st + (w0 < 32 ? (<usize>(w0 & 3) << 5) + (<usize>(w0 >> 2) << 2) : 128 + (<usize>(w0 - 32) << 2)), <u32>z);
    store<u32>(st + (w1 < 32 ? (<usize>(w1 & 3) << 5) + (<usize>(w1 >> 2) << 2) : 128 + (<usize>(w1 - 32) << 2)), <u32>(z >> 32));
  }
  for (let j = 0; j < 8; j++) {
    const o = st + (<usize>j << 2);
    if ((load<u32>(o) | load<u32>(o + 32) | load<u32>(o + 64) | load<u32>(o + 96)) == 0) store<u32>(o, 1);
  }
  if ((load<u32>(st + 128) | load<u32>(st + 132) | load<u32>(st + 136) | load<u32>(st + 140)) == 0) store<u32>(st + 128, 1);
  store<i32>(st + 144, 0);
}

@inline function chainBlocksAny<T>(n: i32, first: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize,
  out: usize, velIn: usize, velOut: usize, gen0: usize, gen1: usize, tab: usize, noise0: usize, noise1: usize,
  k0: u32, k1: u32, k2: u32, k3: u32, counter: f64, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  const st = threadSlot == 0 ? gen0 : gen1, z = threadSlot == 0 ? noise0 : noise1, size: usize = sizeof<T>();
  let bad: f64 = 0;
  for (let p = 0; p < n;) {
    // The block of element first + p, and this range's part of it (ranges start on block boundaries).
    const e = first + p, block = e / NB, len = min(NB - (e - block * NB), n - p);
    seedBlock(st, k0, k1, k2, k3, counter, block);
    const head = e - block * NB, o = <usize>p * size;
    let r: f64;
    // A call of the step function (not inlined: its loops are compiled once).
    if (sizeof<T>() == 8) {
      if (head != 0) normalsF64(st, tab, z, head); // a range that starts inside a block: skip its head
      normalsF64(st, tab, z, len);
      r = chainF64(len, x + o, src + o, dst + o, anchorOut + o, grad + o, meanIn + o, meanOut + o, vel + o, z, out + o, velIn + o, velOut + o,
        lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags | NOISY);
    } else {
      // float32: the block's one-word normals from its start (whole rounds), the range's from head on
      normalsWordF32(st, tab, z, head + len);
      r = chainF32Z32(len, x + o, src + o, dst + o, anchorOut + o, grad + o, meanIn + o, meanOut + o, vel + o, z + (<usize>head << 2), out + o, velIn + o, velOut + o,
        lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags | NOISY);
    }
    if (r != 0) bad = 1;
    p += len;
  }
  return bad;
}

/**
 * One noisy step of the SGLD chain (as chainF*) over elements first … first + n − 1 of the pass,
 * the noise drawn here from the block streams (see above): gen0/gen1 are the two threads' generator
 * states (rng-simd.ts layout), tab its tables, noise0/noise1 their noise blocks (NB values: float64
 * normals for float64 vectors, one-word float32 normals, rng-word.ts, for float32 ones).
 */
export function chainBlocksF64(n: i32, first: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize,
  out: usize, velIn: usize, velOut: usize, gen0: usize, gen1: usize, tab: usize, noise0: usize, noise1: usize,
  k0: u32, k1: u32, k2: u32, k3: u32, counter: f64, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  return chainBlocksAny<f64>(n, first, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, out, velIn, velOut, gen0, gen1, tab, noise0, noise1,
    k0, k1, k2, k3, counter, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags);
}
export function chainBlocksF32(n: i32, first: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize,
  out: usize, velIn: usize, velOut: usize, gen0: usize, gen1: usize, tab: usize, noise0: usize, noise1: usize,
  k0: u32, k1: u32, k2: u32, k3: u32, counter: f64, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  return chainBlocksAny<f32>(n, first, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, out, velIn, velOut, gen0, gen1, tab, noise0, noise1,
    k0, k1, k2, k3, counter, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags);
}
