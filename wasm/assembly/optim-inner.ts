// Fused inner-loop updates of src/optim on float64 or float32 vectors in linear memory: one step of
// the SGLD chain of Entropy-SGD / HEAT / Parle (src/optim/local-mean.ts) per pass over the vectors
// (the HJ iterations are in optim-hj.ts).
//
// As in optim-update.ts: float64 arithmetic with the JS loops' operations in the JS loops' order,
// float32 storage widened on load and rounded on store, no fused multiply-add, so the results are
// bit-identical to the JS loops (test/reference/optim-previous/). Pointers are byte offsets; the
// Langevin noise z is a float64 block (one value per element, from wasm/assembly/rng.ts). Each
// kernel returns 1 if some entry of the gradient it read is NaN or ±∞, else 0 (integer lanes, no
// floating-point latency chain: see flagBad). It writes the chain's point, the running mean, the
// inner velocity and (fused last step) the outer update and velocity: where the caller put them.

import { ld, st, rnd, add, sub, mul, splat, flagBad, anyBad, applyMomentum } from './lib/f64-lanes';

// ---- One SGLD step k of L, element by element (y_{k−1} read at src, the anchor x at x):
//   g = ∇f(y) + wd·y;  rest = (y − x)/t [+ s·z];  d = g + rest, or with inner momentum m
//   mode 1 ('all'):      b ← m·b + (g + rest),  d = nesterov ? (g + rest) + m·b : b
//   mode 2 ('gradient'): b ← m·b + g,           d = (nesterov ? g + m·b : b) + rest
//   y_k = y − η′·d
// The running mean μ_k = keep_k·μ_{k−1} + a_k·y_k (μ₀ = x; y_k as stored, i.e. rounded to T) is
// written every other step only: an even step k reads μ_{k−2} and folds in y_{k−1} (the value it
// reads at src anyway) and y_k, with μ_{k−1} rounded to T as if it had been stored —
//   meanMode 0: no μ (odd k < L);  1: μ_k from μ_{k−1} at meanIn (keep2, a2);
//   meanMode 2: μ_k = keep2·round_T(keep1·μ_{k−2} + a1·y_{k−1}) + a2·y_k, μ_{k−2} at meanIn,
// so the mean costs one read and one write per two steps, with the bits of the step-by-step mean.
// tail 0: y_k stored at dst, μ_k (meanMode ≠ 0) at meanOut. tail 1 + outer mode (the fused outer
// step of Entropy-SGD/HEAT, last step only): c = round_T(μ_L), d = round_T((x − c)·scale + owd·x),
// then the outer momentum step from x into out (velocity read at velIn, written at velOut), and
// neither y_L nor μ_L is stored. saveAnchor: also store y_{k−1} (the first step's x) at anchorOut.
@inline function chainAt<T>(o: usize, oz: usize, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize,
  vel: usize, noise: usize, out: usize, velIn: usize, velOut: usize, lr: v128, coupling: v128, wd: v128, keep1: v128, a1: v128, keep2: v128, a2: v128,
  m: v128, sd: v128, scale: v128, owd: v128, olr: v128, om: v128, mode: i32, nesterov: bool, noisy: bool, meanMode: i32, tail: i32, saveAnchor: bool,
  bad: v128, one: bool): v128 {
  const yp = ld<T>(src + o, one), gp = ld<T>(grad + o, one), xv = ld<T>(x + o, one);
  if (saveAnchor) st<T>(anchorOut + o, yp, one);
  const g = add(gp, mul(wd, yp));
  let rest = mul(coupling, sub(yp, xv));
  if (noisy) rest = add(rest, mul(sd, one ? f64x2.splat(load<f64>(noise + oz)) : v128.load(noise + oz)));
  let d: v128;
  if (mode == 0) d = add(g, rest);
  else if (mode == 1) {
    const dp = add(g, rest), b = add(mul(m, ld<T>(vel + o, one)), dp);
    st<T>(vel + o, b, one);
    d = nesterov ? add(dp, mul(m, b)) : b;
  } else {
    const b = add(mul(m, ld<T>(vel + o, one)), g);
    st<T>(vel + o, b, one);
    d = add(nesterov ? add(g, mul(m, b)) : b, rest);
  }
  const yNew = sub(yp, mul(lr, d));
  let mu = yNew;
  if (meanMode == 1) mu = add(mul(keep2, ld<T>(meanIn + o, one)), mul(a2, rnd<T>(yNew)));
  else if (meanMode == 2) mu = add(mul(keep2, rnd<T>(add(mul(keep1, ld<T>(meanIn + o, one)), mul(a1, yp)))), mul(a2, rnd<T>(yNew)));
  if (tail == 0) {
    st<T>(dst + o, yNew, one);
    if (meanMode != 0) st<T>(meanOut + o, mu, one);
  } else {
    const dir = rnd<T>(add(mul(sub(xv, rnd<T>(mu)), scale), mul(owd, xv)));
    applyMomentum<T>(out + o, velIn + o, velOut + o, xv, dir, olr, om, tail - 1, one);
  }
  return flagBad(bad, gp);
}

@inline function chainLoop<T>(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, mode: i32, nesterov: bool, noisy: bool, meanMode: i32, tail: i32, saveAnchor: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2;
  const vlr = splat(lr), vc = splat(coupling), vwd = splat(wd), vk1 = splat(keep1), va1 = splat(a1), vk2 = splat(keep2), va2 = splat(a2);
  const vm = splat(m), vs = splat(sd), vsc = splat(scale), vowd = splat(owd), volr = splat(olr), vom = splat(om);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) {
    bad = chainAt<T>(<usize>i << s, <usize>i << 3, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut,
      vlr, vc, vwd, vk1, va1, vk2, va2, vm, vs, vsc, vowd, volr, vom, mode, nesterov, noisy, meanMode, tail, saveAnchor, bad, false);
  }
  if (i < n) {
    bad = chainAt<T>(<usize>i << s, <usize>i << 3, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut,
      vlr, vc, vwd, vk1, va1, vk2, va2, vm, vs, vsc, vowd, volr, vom, mode, nesterov, noisy, meanMode, tail, saveAnchor, bad, true);
  }
  return anyBad(bad);
}

// Dispatch: the Langevin noise and the inner momentum mode become compile-time constants of loops of
// their own; meanMode, tail and saveAnchor stay run-time flags (loop-invariant branches) — every
// combination as a constant made the compiler give up.
@inline function chainMode<T>(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, mode: i32, nesterov: bool, noisy: bool, meanMode: i32, tail: i32, saveAnchor: bool): f64 {
  if (mode == 0) return chainLoop<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, 0, false, noisy, meanMode, tail, saveAnchor);
  if (mode == 1) {
    return nesterov ? chainLoop<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, 1, true, noisy, meanMode, tail, saveAnchor)
      : chainLoop<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, 1, false, noisy, meanMode, tail, saveAnchor);
  }
  return nesterov ? chainLoop<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, 2, true, noisy, meanMode, tail, saveAnchor)
    : chainLoop<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, 2, false, noisy, meanMode, tail, saveAnchor);
}
@inline function chainAny<T>(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  const mode = flags & 3, nesterov = (flags & 4) != 0, noisy = (flags & 8) != 0, meanMode = (flags >> 4) & 3, tail = (flags >> 6) & 3, saveAnchor = (flags & 256) != 0;
  if (noisy) return chainMode<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, mode, nesterov, true, meanMode, tail, saveAnchor);
  return chainMode<T>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, mode, nesterov, false, meanMode, tail, saveAnchor);
}

/**
 * One step of the SGLD chain over n elements (see the comment above chainAt; keep = 1 − a,
 * s = √(2/(η′β)), noise read only when noisy). flags = mode | nesterov·4 | noisy·8 | meanMode·16 |
 * tail·64 | saveAnchor·256, tail = 0 (store y, μ) or 1 + outer momentum mode.
 */
export function chainF64(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  return chainAny<f64>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags);
}
export function chainF32(n: i32, x: usize, src: usize, dst: usize, anchorOut: usize, grad: usize, meanIn: usize, meanOut: usize, vel: usize, noise: usize,
  out: usize, velIn: usize, velOut: usize, lr: f64, coupling: f64, wd: f64, keep1: f64, a1: f64, keep2: f64, a2: f64, m: f64, sd: f64,
  scale: f64, owd: f64, olr: f64, om: f64, flags: i32): f64 {
  return chainAny<f32>(n, x, src, dst, anchorOut, grad, meanIn, meanOut, vel, noise, out, velIn, velOut, lr, coupling, wd, keep1, a1, keep2, a2, m, sd, scale, owd, olr, om, flags);
}
