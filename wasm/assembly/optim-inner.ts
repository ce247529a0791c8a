// Fused inner-loop updates of src/optim on float64 or float32 vectors in linear memory: the SGLD
// step of Entropy-SGD / HEAT / Parle (src/optim/local-mean.ts), one pass over the vectors (the HJ
// iterations are in optim-hj.ts).
//
// As in optim-update.ts: float64 arithmetic with the JS loops' operations in the JS loops' order,
// float32 storage widened on load and rounded on store, no fused multiply-add, so the results are
// bit-identical to the JS loops (test/reference/optim-previous/). Pointers are byte offsets; the
// Langevin noise z is a float64 block (one value per element, from wasm/assembly/rng.ts). Each
// kernel returns 1 if some entry of the gradient it read is NaN or ±∞, else 0 (integer lanes, no
// floating-point latency chain: see flagBad); they write only scratch, so the caller checks after.

import { ld, st, add, sub, mul, splat, flagBad, anyBad } from './lib/f64-lanes';

// ---- SGLD step (local-mean.ts), element by element:
//   g = ∇f(y) + wd·y;  rest = (y − x)/t [+ s·z];  d = g + rest, or with inner momentum m
//   mode 1 ('all'):      b ← m·b + (g + rest),  d = nesterov ? (g + rest) + m·b : b
//   mode 2 ('gradient'): b ← m·b + g,           d = (nesterov ? g + m·b : b) + rest
//   y ← y − η′·d;  μ ← (1 − a)·μ + a·y

@inline function sgldAt<T>(o: usize, oz: usize, x: usize, yIn: usize, y: usize, grad: usize, meanIn: usize, mean: usize, vel: usize, noise: usize,
  lr: v128, coupling: v128, wd: v128, keep: v128, a: v128, m: v128, sd: v128, mode: i32, nesterov: bool, noisy: bool, bad: v128, one: bool): v128 {
  const yp = ld<T>(yIn + o, one), gp = ld<T>(grad + o, one);
  const g = add(gp, mul(wd, yp));
  let rest = mul(coupling, sub(yp, ld<T>(x + o, one)));
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
  st<T>(y + o, yNew, one);
  st<T>(mean + o, add(mul(keep, ld<T>(meanIn + o, one)), mul(a, yNew)), one);
  return flagBad(bad, gp);
}

@inline function sgldLoop<T>(n: i32, x: usize, yIn: usize, y: usize, grad: usize, meanIn: usize, mean: usize, vel: usize, noise: usize,
  lr: f64, coupling: f64, wd: f64, keep: f64, a: f64, m: f64, sd: f64, mode: i32, nesterov: bool, noisy: bool): f64 {
  const s: usize = sizeof<T>() == 8 ? 3 : 2;
  const vlr = splat(lr), vc = splat(coupling), vwd = splat(wd), vk = splat(keep), va = splat(a), vm = splat(m), vs = splat(sd);
  let bad = i64x2.splat(0), i = 0;
  for (; i + 2 <= n; i += 2) bad = sgldAt<T>(<usize>i << s, <usize>i << 3, x, yIn, y, grad, meanIn, mean, vel, noise, vlr, vc, vwd, vk, va, vm, vs, mode, nesterov, noisy, bad, false);
  if (i < n) bad = sgldAt<T>(<usize>i << s, <usize>i << 3, x, yIn, y, grad, meanIn, mean, vel, noise, vlr, vc, vwd, vk, va, vm, vs, mode, nesterov, noisy, bad, true);
  return anyBad(bad);
}

@inline function sgldAny<T>(n: i32, x: usize, yIn: usize, y: usize, grad: usize, meanIn: usize, mean: usize, vel: usize, noise: usize,
  lr: f64, coupling: f64, wd: f64, keep: f64, a: f64, m: f64, s: f64, mode: i32, nesterov: i32, noisy: i32): f64 {
  if (noisy) {
    if (mode == 0) return sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 0, false, true);
    if (mode == 1) return nesterov ? sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 1, true, true) : sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 1, false, true);
    return nesterov ? sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 2, true, true) : sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 2, false, true);
  }
  if (mode == 0) return sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 0, false, false);
  if (mode == 1) return nesterov ? sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 1, true, false) : sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 1, false, false);
  return nesterov ? sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 2, true, false) : sgldLoop<T>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, 2, false, false);
}
/**
 * One SGLD step over n elements (keep = 1 − a, s = √(2/(η′β)); noise read only when noisy ≠ 0).
 * y and μ are read at yIn, meanIn and written at y, mean: the first step reads both at x (y₀ = μ₀ = x)
 * instead of copies of it.
 */
export function sgldF64(n: i32, x: usize, yIn: usize, y: usize, grad: usize, meanIn: usize, mean: usize, vel: usize, noise: usize,
  lr: f64, coupling: f64, wd: f64, keep: f64, a: f64, m: f64, s: f64, mode: i32, nesterov: i32, noisy: i32): f64 {
  return sgldAny<f64>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, mode, nesterov, noisy);
}
export function sgldF32(n: i32, x: usize, yIn: usize, y: usize, grad: usize, meanIn: usize, mean: usize, vel: usize, noise: usize,
  lr: f64, coupling: f64, wd: f64, keep: f64, a: f64, m: f64, s: f64, mode: i32, nesterov: i32, noisy: i32): f64 {
  return sgldAny<f32>(n, x, yIn, y, grad, meanIn, mean, vel, noise, lr, coupling, wd, keep, a, m, s, mode, nesterov, noisy);
}
