// Adam on Float32Array parameters computes in float32 (f32x4, wasm/assembly/optim-update.ts adamF32),
// as PyTorch steps float32 parameters. One step is checked against the same step in float64 from
// the same float32 inputs, within a forward error bound derived from float32 rounding; then the
// closed-form behaviour and checkpoints.
import { describe, expect, it } from 'vitest';
import { adam, type GradientOracle } from '../../src/optim/index.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { Rng } from '../../src/util/random.js';
import { diagonalQuadratic } from './helpers.js';
import { firstBitDifference, wavyOracle } from './previous-pairs.js';

/** Unit roundoff of float32. */
const U = 2 ** -24;
/** γ_k = k·u/(1 − k·u): the bound on k accumulated relative roundings (Higham, §3.1). */
const gamma = (k: number): number => (k * U) / (1 - k * U);

describe('adam on Float32Array: one float32 step against the float64 step from the same inputs', () => {
  it('x, m and v are within their forward error bounds, element by element (odd n, tail included)', () => {
    const n = 1001, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 1e-2, lr = 1e-3, k = 3; // this is step k + 1
    const rng = new Rng(11);
    const x = new Float32Array(n), g = new Float32Array(n), m = new Float32Array(n), v = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = rng.normal();
      // Gradients over many scales, some tiny (v then ≈ eps² and the denominator ≈ eps).
      g[i] = rng.normal() * 10 ** Math.floor(rng.uniform() * 12 - 9);
      m[i] = 0.1 * rng.normal();
      v[i] = 0.01 * rng.normal() ** 2 * 10 ** Math.floor(rng.uniform() * 8 - 6);
    }
    const opt = adam({ lr, b1, b2, eps, weightDecay: wd });
    opt.load({ k, m: Float64Array.from(m), v: Float64Array.from(v) });
    const xs = Float32Array.from(x);
    const oracle: GradientOracle = (_p, out) => { out.set(g); return 0; };
    opt.step(xs, oracle);
    const { m: m32, v: v32 } = opt.state();
    const c1 = 1 - b1 ** (k + 1), c2 = 1 - b2 ** (k + 1), a1 = 1 - b1, a2 = 1 - b2, s = lr / c1, r = 1 / Math.sqrt(c2);
    let worstX = 0, inexact = 0;
    for (let i = 0; i < n; i++) {
      // The float64 step (rounding ~1e-16: exact at float32's scale).
      const gi = g[i] + wd * x[i], mi = b1 * m[i] + a1 * gi, vi = b2 * v[i] + a2 * gi * gi;
      const den = Math.sqrt(vi) * r + eps, step = (s * mi) / den, xi = x[i] - step;
      // Forward error bounds of the float32 evaluation, each operation one rounding (|δ| ≤ u) and
      // each float64 constant rounded to float32 once (wd, b1, 1 − b1, b2, 1 − b2, s, r, eps):
      //   g: wd·x, +                              |Δg| ≤ γ₃·G,            G = |∇f| + wd·|x|
      //   m: b1·m, (1−b1)·g, +, and Δg            |Δm| ≤ γ₆·(b1|m| + a1·G)
      //   v: b2·v, (1−b2)·g, ·g, +, and 2|g|Δg    |Δv| ≤ γ₁₀·(b2·v + a2·G²)
      //   denominator √v·r + eps: √ halves v's relative error, then √, r, ·, eps, +:
      //                                           |ΔD| ≤ (|Δv|/(2v)·√v·r) + γ₅·D
      //   step s·m/D: s, ·, /:                    |Δstep| ≤ s·(|Δm| + |m|·γ₃)/D + |step|·|ΔD|/D
      //   x − step: one rounding of the result.   |Δx| ≤ |Δstep| + u·|x − step|
      // (First order; the test allows twice the bound for the second-order terms.)
      const G = Math.abs(g[i]) + wd * Math.abs(x[i]);
      const dm = gamma(6) * (b1 * Math.abs(m[i]) + a1 * G);
      const dv = gamma(10) * (b2 * v[i] + a2 * G * G);
      const dD = (vi > 0 ? (dv / (2 * vi)) * Math.sqrt(vi) * r : Math.sqrt(dv) * r) + gamma(5) * den;
      const dStep = (s * (dm + Math.abs(mi) * gamma(3))) / den + (Math.abs(step) * dD) / den;
      const dx = dStep + U * Math.abs(xi);
      expect(Math.abs(m32![i] - mi)).toBeLessThanOrEqual(2 * dm);
      expect(Math.abs(v32![i] - vi)).toBeLessThanOrEqual(2 * dv);
      expect(Math.abs(xs[i] - xi)).toBeLessThanOrEqual(2 * dx);
      worstX = Math.max(worstX, Math.abs(xs[i] - xi) / dx);
      if (xs[i] !== Math.fround(xi)) inexact++;
    }
    // The bound is not vacuous (errors reach a fair share of it), and the arithmetic is float32:
    // the result is not simply the float64 step rounded once.
    expect(worstX).toBeGreaterThan(0.05);
    expect(inexact).toBeGreaterThan(0);
  });
});

describe('adam on Float32Array: closed forms (float32 tolerance)', () => {
  it('the first step moves every coordinate by lr·g/(|g| + eps) (bias-corrected m̂ = g, v̂ = g²)', () => {
    const x = new Float32Array([4, -0.5]), opt = adam({ lr: 0.1, eps: 1e-30 });
    opt.step(x, diagonalQuadratic([1, 3]));
    // |Δ| ≤ a few float32 ulps of x (ulp(4) = 2⁻²¹).
    expect(Array.from(x)).toBeAllclose([3.9, -0.4], { atol: 4 * 2 ** -21 });
  });
  it('the second step follows the bias-corrected moments written out by hand', () => {
    const b1 = 0.5, b2 = 0.75, lr = 0.5, x = new Float32Array([2]);
    const opt = adam({ lr, b1, b2, eps: 1e-30 });
    opt.step(x, diagonalQuadratic([1])); // g = 2: m = 1, v = 1, m̂ = 2, v̂ = 4, x = 2 − 0.5·2/2 = 1.5 (exact in float32)
    expect(x[0]).toBe(1.5);
    opt.step(x, diagonalQuadratic([1])); // g = 1.5: m = 1.25, v = 1.3125; m̂ = 1.25/0.75, v̂ = 3
    expect(x[0]).toBeAllclose(1.5 - (0.5 * (1.25 / 0.75)) / Math.sqrt(3), { atol: 8 * 2 ** -24 });
  });
  it('a checkpoint (float64 snapshots of the float32 moments) resumes the same bits, in an arena or not', () => {
    for (const inArena of [false, true]) {
      const x = inArena ? new WasmArena().allocF32(9) : new Float32Array(9), twin = new Float32Array(9);
      new Rng(2).fillNormal(x); twin.set(x);
      const a = adam({ lr: 0.01, weightDecay: 1e-3 }), b = adam({ lr: 0.01, weightDecay: 1e-3 }), oa = wavyOracle(), ob = wavyOracle();
      for (let s = 0; s < 3; s++) { a.step(x, oa); b.step(twin, ob); }
      const resumed = adam({ lr: 0.01, weightDecay: 1e-3 });
      resumed.load(structuredClone(a.state()));
      for (let s = 0; s < 3; s++) expect(resumed.step(x, oa)).toEqual(b.step(twin, ob));
      expect(firstBitDifference(x, twin)).toBe(-1);
      expect(resumed.state()).toEqual(b.state());
    }
  });
  it('Float64Array x keeps the float64 kernel: the first step is lr·sign(g) to float64 accuracy', () => {
    const x = new Float64Array([4, -0.5]), opt = adam({ lr: 0.1, eps: 1e-300 });
    opt.step(x, diagonalQuadratic([1, 3]));
    expect(x).toBeAllclose([3.9, -0.4], { atol: 1e-15 });
  });
});
