import { describe, it, expect } from 'vitest';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { heat } from '../../src/optim/heat.js';
import { sgd } from '../../src/optim/sgd.js';
import { LOCAL_MEAN_SLOTS, MEAN, localMean } from '../../src/optim/local-mean.js';
import { Workspace } from '../../src/optim/workspace.js';
import { fromReference } from '../../src/optim/reference.js';
import { Rng } from '../../src/util/random.js';
import { diagonalQuadratic, quadratic2 } from './helpers.js';

const half = diagonalQuadratic([1]);

describe('entropySGD: hand-traceable trajectories', () => {
  it('β = ∞, f = x²/2, t = 1, η′ = 0.5, L = 2, α = 0.5, lr = 1: x: 4 → 2.5 → 1.5625', () => {
    // Step 1 from x = 4: y₀ = μ = 4. l = 0: d = 4 + (4−4) = 4, y₁ = 2, μ = 3.
    // l = 1: d = 2 + (2−4) = 0, y₂ = 2, μ = 2.5. Outer: x ← 4 − (4 − 2.5)/1 = 2.5.
    // Each step maps x ↦ 0.625x (y reaches prox x/2 in one step since η′(1 + 1/t) = 1), so 2.5 → 1.5625.
    const x = new Float64Array([4]);
    const opt = entropySGD({ lr: 1, t: 1, innerSteps: 2, innerLr: 0.5, alpha: 0.5 });
    const r1 = opt.step(x, half);
    expect(x[0]).toBe(2.5);
    expect(r1).toEqual({ loss: 8, gradEvals: 2 });
    opt.step(x, half);
    expect(x[0]).toBe(1.5625);
  });
  it("the reference 'coupling' form x ← x − lr(x − μ) equals the gradient form with lr·t", () => {
    const a = new Float64Array([4, -1]), b = new Float64Array([4, -1]), oracle = diagonalQuadratic([1, 2]);
    const common = { t: 0.5, innerSteps: 3, innerLr: 0.25, alpha: 0.5 } as const;
    const g = entropySGD({ ...common, lr: 0.5 }), c = entropySGD({ ...common, lr: 1, form: 'coupling' });
    for (let i = 0; i < 3; i++) { g.step(a, oracle); c.step(b, oracle); }
    expect(a).toBeAllclose(b, { rtol: 1e-14 });
  });
  it('L = 1, α = 1, η′ = t reduces to SGD exactly: μ = x − t∇f(x), so (x − μ)/t = ∇f(x)', () => {
    const a = new Float64Array([4, -2]), b = new Float64Array([4, -2]), oracle = diagonalQuadratic([1, 0.5]);
    const e = entropySGD({ lr: 0.25, t: 0.5, innerSteps: 1, innerLr: 0.5, alpha: 1 }), s = sgd({ lr: 0.25 });
    for (let i = 0; i < 4; i++) { e.step(a, oracle); s.step(b, oracle); }
    expect(Array.from(a)).toEqual(Array.from(b)); // dyadic data: every operation is exact
  });
  it('γ-scoping advances once per outer step (the PyTorch port kept t at its first value)', () => {
    const seen: number[] = [];
    const opt = entropySGD({ lr: 0.1, t: (k) => { seen.push(k); return 1; }, innerSteps: 2 });
    const x = new Float64Array([1]);
    for (let i = 0; i < 4; i++) opt.step(x, half);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(opt.state().k).toBe(4);
  });
});

describe('entropySGD: the sampled gradient (x − μ)/t against ∇u', () => {
  // 2-D quadratic f = ½yᵀAy: the Gibbs mean is m = (I + tA)⁻¹x at any β (paper-notes §3.6), and the
  // noiseless chain is y_l = m + R^l(x − m), R = I − η′(A + I/t). With μ₀ = x and weight α,
  // μ_L = (1−α)^L x + Σ_{l=1..L} α(1−α)^{L−l} y_l. The bias (x − μ_L)/t − ∇u then falls like
  // max(1 − α, ρ(R))^L, exactly.
  const A: [[number, number], [number, number]] = [[2, 0.6], [0.6, 1]];
  const t = 0.5, innerLr = 0.1, alpha = 0.25, x0 = [1.5, -0.7];
  const det = 1 + t * A[0][0] + t * A[1][1] + t * t * (A[0][0] * A[1][1] - A[0][1] * A[1][0]);
  const m = [((1 + t * A[1][1]) * x0[0] - t * A[0][1] * x0[1]) / det, (-t * A[1][0] * x0[0] + (1 + t * A[0][0]) * x0[1]) / det];
  const gradU = [(x0[0] - m[0]) / t, (x0[1] - m[1]) / t];
  function closedFormMean(L: number): number[] {
    let e = [x0[0] - m[0], x0[1] - m[1]];
    const mu = [(1 - alpha) ** L * x0[0], (1 - alpha) ** L * x0[1]];
    for (let l = 1; l <= L; l++) {
      e = [e[0] - innerLr * ((A[0][0] + 1 / t) * e[0] + A[0][1] * e[1]), e[1] - innerLr * (A[1][0] * e[0] + (A[1][1] + 1 / t) * e[1])];
      const w = alpha * (1 - alpha) ** (L - l);
      mu[0] += w * (m[0] + e[0]); mu[1] += w * (m[1] + e[1]);
    }
    return mu;
  }
  function estimate(L: number, beta: number, seed: number): number[] {
    const x = Float64Array.from(x0);
    // lr = t in the gradient form puts x at μ: x − t·(x − μ)/t.
    entropySGD({ lr: t, t, innerSteps: L, innerLr, alpha, beta, seed }).step(x, quadratic2(A));
    return [(x0[0] - x[0]) / t, (x0[1] - x[1]) / t];
  }
  it('β = ∞: the estimate equals the closed form, and its bias falls geometrically in L', () => {
    const biases = [5, 10, 20, 40].map((L) => {
      const est = estimate(L, Infinity, 0), mu = closedFormMean(L);
      expect(est).toBeAllclose([(x0[0] - mu[0]) / t, (x0[1] - mu[1]) / t], { atol: 1e-13 });
      return Math.hypot(est[0] - gradU[0], est[1] - gradU[1]);
    });
    for (let i = 1; i < biases.length; i++) expect(biases[i]).toBeLessThan(biases[i - 1]);
    // Rate: the slowest mode decays like (1 − α)^L = 0.75^L up to a factor polynomial in L; from
    // L = 20 to 40 the bias must shrink by at least 0.75^20·(40/20) ≈ 6.3e-3.
    expect(biases[3] / biases[2]).toBeLessThan(2 * 0.75 ** 20);
  });
  it('β = 50 and 200: over 400 seeds the mean estimate is the noiseless one (noise enters linearly), within 4σ/√n', () => {
    const L = 20, n = 400, noiseless = estimate(L, Infinity, 0);
    for (const beta of [50, 200]) {
      const sums = [0, 0], sq = [0, 0];
      for (let s = 0; s < n; s++) {
        const e = estimate(L, beta, s + 1);
        for (let k = 0; k < 2; k++) { sums[k] += e[k]; sq[k] += e[k] * e[k]; }
      }
      for (let k = 0; k < 2; k++) {
        const mean = sums[k] / n, sd = Math.sqrt(sq[k] / n - mean * mean);
        expect(Math.abs(mean - noiseless[k])).toBeLessThan((4 * sd) / Math.sqrt(n));
      }
    }
  });
  it('the noise amplitude scales as β^(−1/2): quadrupling β halves the spread of the estimate', () => {
    const L = 20, n = 300;
    const spread = (beta: number): number => {
      let s = 0, s2 = 0;
      for (let i = 0; i < n; i++) { const e = estimate(L, beta, 1000 + i)[0]; s += e; s2 += e * e; }
      const mean = s / n; return Math.sqrt(s2 / n - mean * mean);
    };
    const ratio = spread(50) / spread(200);
    // Sample-sd relative error ≈ 1/√(2n) ≈ 4.1% each: 4σ on the ratio ≈ ±23%.
    expect(ratio).toBeGreaterThan(2 * (1 - 0.23));
    expect(ratio).toBeLessThan(2 * (1 + 0.23));
  });
  it('SGLD bias on a non-quadratic f = y⁴/4 is first order in the step: halving η′ roughly halves it', () => {
    // 3000 independent coordinates are 3000 chains (f is separable). Exact ⟨y⟩ by quadrature.
    const d = 3000, beta = 1, t = 0.5, x0v = 1;
    let num = 0, den = 0;
    for (let y = -6; y <= 6; y += 1e-4) { const w = Math.exp(-beta * (y ** 4 / 4 + (y - x0v) ** 2 / (2 * t))); num += y * w; den += w; }
    const exact = num / den;
    const cube = (y: Float64Array | Float32Array, g: Float64Array | Float32Array): number => { for (let i = 0; i < y.length; i++) g[i] = y[i] * y[i] * y[i]; return 0; };
    const bias = (h: number): { b: number; se: number } => {
      const L = Math.round(150 / h), x = new Float64Array(d).fill(x0v);
      const ws = new Workspace(x, LOCAL_MEAN_SLOTS);
      // α = 20/L: the start's weight (1 − α)^L ≈ e^−20 is negligible; the average spans the last ≈ L/20 steps.
      localMean('test', x, cube, { innerSteps: L, innerLr: h, coupling: 1 / t, noiseScale: Math.sqrt(2 / (h * beta)), averaging: 'exponential', alpha: 20 / L, innerMomentum: 0, innerNesterov: false, momentumOn: 'all', weightDecay: 0 }, ws, new Rng(11), 0);
      let s = 0, s2 = 0; for (const v of ws.vec(MEAN)) { s += v; s2 += v * v; }
      const mean = s / d; return { b: mean - exact, se: Math.sqrt((s2 / d - mean * mean) / d) };
    };
    const coarse = bias(0.1), fine = bias(0.05);
    // Both biases are resolved (> 4 standard errors), and their ratio is ≈ 2 (first order), within the 4σ band.
    expect(Math.abs(coarse.b)).toBeGreaterThan(4 * coarse.se);
    expect(Math.abs(fine.b)).toBeGreaterThan(4 * fine.se);
    const lo = (Math.abs(coarse.b) - 4 * coarse.se) / (Math.abs(fine.b) + 4 * fine.se);
    const hi = (Math.abs(coarse.b) + 4 * coarse.se) / (Math.abs(fine.b) - 4 * fine.se);
    expect(lo).toBeLessThan(2.6); // the interval [lo, hi] must contain a first-order ratio 2 (+ O(h) correction)
    expect(hi).toBeGreaterThan(2);
  });
});

describe('heat', () => {
  it('averages the anchor and the L samples uniformly: β = ∞, f = x²/2, t = 1, η′ = 0.5, L = 2: μ = (4 + 2 + 2)/3', () => {
    const x = new Float64Array([4]);
    heat({ lr: 1, t: 1, innerSteps: 2, innerLr: 0.5 }).step(x, half);
    expect(x[0]).toBeAllclose(8 / 3, { atol: 1e-15 });
  });
});

describe('fromReference', () => {
  it('maps (g0, g1, eps, llr, beta1) to t_k = 1/(g0(1+g1)^(k+1)), β = 1/eps², η′ = llr, α = 1 − beta1', () => {
    const o = fromReference({ L: 20, g0: 0.5, g1: 1, eps: 1e-2, llr: 0.2, beta1: 0.75, lr: 1 });
    const t = o.t as (k: number) => number;
    expect([0, 1, 2].map(t)).toEqual([1, 0.5, 0.25]);
    expect(o.beta).toBeAllclose(1e4, { rtol: 1e-15 });
    expect([o.innerLr, o.alpha, o.form, o.innerSteps, o.momentum, o.innerMomentum]).toEqual([0.2, 0.25, 'coupling', 20, 0.9, 0.9]);
    expect(() => fromReference({ L: 0 })).toThrow(/fromReference: L must be an integer ≥ 1; got 0\./);
  });
  it('entropySGD(fromReference(…)) follows a line-by-line transcription of the reference ESGD step', () => {
    // Twin of pratikac/hamilton-jacobi code/optim.py ESGD (paper-notes §4.1), same noise stream.
    const ref = { L: 3, g0: 0.5, g1: 0.1, eps: 0.05, llr: 0.1, beta1: 0.75, lr: 0.3, momentum: 0.9, nesterov: true, wd: 0.01, seed: 4 };
    const oracle = diagonalQuadratic([1, 3, 0.2]);
    const x = new Float64Array([1, -1, 2]);
    const opt = entropySGD(fromReference(ref));
    const wc = Float64Array.from(x), mdw = new Float64Array(3), mdx = new Float64Array(3), g = new Float64Array(3);
    const rng = new Rng(ref.seed).split(0);
    for (let step = 1; step <= 4; step++) {
      opt.step(x, oracle);
      const coupling = ref.g0 * (1 + ref.g1) ** step;
      const w = Float64Array.from(wc), mw = Float64Array.from(wc);
      for (let i = 0; i < ref.L; i++) {
        oracle(w, g);
        const dw = new Float64Array(3);
        for (let p = 0; p < 3; p++) dw[p] = g[p] + ref.wd * w[p] + coupling * (w[p] - wc[p]) + (ref.eps / Math.sqrt(0.5 * ref.llr)) * rng.normal();
        for (let p = 0; p < 3; p++) { mdw[p] = ref.momentum * mdw[p] + dw[p]; dw[p] += ref.momentum * mdw[p]; }
        for (let p = 0; p < 3; p++) { w[p] -= ref.llr * dw[p]; mw[p] = ref.beta1 * mw[p] + (1 - ref.beta1) * w[p]; }
      }
      for (let p = 0; p < 3; p++) {
        let grad = wc[p] - mw[p] + ref.wd * wc[p];
        mdx[p] = ref.momentum * mdx[p] + grad; grad += ref.momentum * mdx[p];
        wc[p] -= ref.lr * grad;
      }
      expect(x).toBeAllclose(wc, { rtol: 1e-12, atol: 1e-14 }); // same operations up to association order
    }
  });
});

describe('entropySGD: bad input', () => {
  it('rejects invalid options with clear messages', () => {
    expect(() => entropySGD({ lr: 0.1, t: 0 })).toThrow(/entropySGD: t must be finite and > 0; got 0\./);
    expect(() => entropySGD({ lr: -0.1, t: 1 })).toThrow(/entropySGD: lr must be finite and > 0; got -0\.1\./);
    expect(() => entropySGD({ lr: 0.1, t: 1, innerSteps: 0 })).toThrow(/entropySGD: innerSteps must be an integer ≥ 1; got 0\./);
    expect(() => entropySGD({ lr: 0.1, t: 1, beta: 0 })).toThrow(/entropySGD: beta must be > 0 \(Infinity for no noise\); got 0\./);
    expect(() => entropySGD({ lr: 0.1, t: 1, alpha: 0 })).toThrow(/entropySGD: alpha must be in \(0, 1\]; got 0\./);
    expect(() => entropySGD({ lr: 0.1, t: 1, momentum: 1 })).toThrow(/entropySGD: momentum must be in \[0, 1\); got 1\./);
    expect(() => entropySGD({ lr: 0.1, t: 1, weightDecay: -1 })).toThrow(/entropySGD: weightDecay must be finite and ≥ 0; got -1\./);
    expect(() => entropySGD({ lr: 0.1, t: 1, form: 'x' as never })).toThrow(/entropySGD: form must be 'gradient' \| 'coupling'; got "x"\./);
  });
  it('a scoping schedule that leaves (0, ∞) stops at that step', () => {
    const opt = entropySGD({ lr: 0.1, t: (k) => 1 - k, innerSteps: 1 });
    const x = new Float64Array([1]);
    opt.step(x, half);
    expect(() => opt.step(x, half)).toThrow(/entropySGD: t must be finite and > 0; got 0 \(schedule at step 1\)\./);
  });
  it('a NaN gradient at an inner iteration stops the step, naming it, with x untouched', () => {
    let calls = 0;
    const bad = (x: Float64Array | Float32Array, g: Float64Array | Float32Array): number => { calls++; g[0] = x[0]; g[1] = calls === 2 ? NaN : x[1]; return 0; };
    const x = new Float64Array([1, 2]);
    expect(() => entropySGD({ lr: 0.1, t: 1, innerSteps: 3 }).step(x, bad)).toThrow(/entropySGD: gradient must be finite; got NaN at index 1 \(step 0, inner iteration 1\)\./);
    expect(Array.from(x)).toEqual([1, 2]);
    expect(() => entropySGD({ lr: 0.1, t: 1 }).step(x, () => Infinity)).toThrow(/entropySGD: loss must be finite; got Infinity \(step 0, inner iteration 0\)\./);
  });
});
