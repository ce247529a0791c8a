import { afterAll, describe, it, expect } from 'vitest';
import { hj, type HJOptions } from '../../src/optim/hj.js';
import { hj as hjPrev } from '../reference/optim-previous/hj.js';
import type { GradientOracle, Optimizer, Vector } from '../../src/optim/types.js';
import { optimizerThreads, setOptimizerThreads, SPLIT_MIN } from '../../src/optim/threads.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { Workspace } from '../../src/optim/workspace.js';
import { Rng } from '../../src/util/random.js';
import { expectFailureLeavesNoTrace, expectPlacementsAgree, firstBitDifference, placed, wavyOracle } from './previous-pairs.js';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { hjFromReference } from '../../src/optim/reference.js';
import { objective } from '../../src/optim/objective.js';
import { Grid } from '../../src/grids/grid.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { diagonalQuadratic } from './helpers.js';

const half = diagonalQuadratic([1]);

describe('hj (fixed point, reference FP)', () => {
  it('f = x²/2, t = 1, α = 0.25, L = 2, lr = 1: p: 4 → 3 → 2.5, x: 4 → 1.5', () => {
    // p₀ = ∇f(4) = 4; p₁ = 0.75·4 + 0.25·∇f(4 − 4) = 3; p₂ = 0.75·3 + 0.25·∇f(4 − 3) = 2.5; x ← 4 − 2.5.
    const x = new Float64Array([4]);
    const r = hj({ lr: 1, t: 1, innerSteps: 2 }).step(x, half);
    expect(x[0]).toBe(1.5);
    expect(r).toEqual({ loss: 8, gradEvals: 3 });
  });
  it('on f = λx²/2 the error to ∇u = λx/(1 + tλ) contracts by exactly 1 − α(1 + tλ) per iteration', () => {
    const lambda = [0.5, 2, 3], t = 0.3, alpha = 0.4, x0 = [1, -2, 0.7];
    for (const L of [1, 4, 12]) {
      const x = Float64Array.from(x0);
      hj({ lr: 1, t, innerSteps: L, alpha }).step(x, diagonalQuadratic(lambda));
      const expected = lambda.map((l, k) => {
        const star = (l * x0[k]) / (1 + t * l), p0 = l * x0[k];
        return x0[k] - (star + (1 - alpha * (1 + t * l)) ** L * (p0 - star));
      });
      expect(x).toBeAllclose(expected, { atol: 1e-14 });
    }
  });
  it('against the exact grid Hopf–Lax on a non-convex 1-D f: the bias falls at least as fast as the contraction bound q^L', () => {
    // f = x²/2 + 0.3 sin 3x: f'' ∈ [−1.7, 3.7]. The damped map p ↦ 0.75p + 0.25 f'(x − tp) has
    // derivative 0.75 − 0.25·t·f'' ∈ [0.565, 0.835] at t = 0.2, so q = 0.835 bounds the contraction.
    const t = 0.2, q = 0.75 + 0.25 * t * 1.7;
    const fx = (x: number): number => x * x / 2 + 0.3 * Math.sin(3 * x);
    const grid = Grid.uniform([[-4, 4]], [8001]), h = grid.spacing[0];
    const { prox } = hopfLax(grid.sample(fx), t);
    const obj = objective({ dim: 1, f: 'x^2/2 + 0.3*sin(3*x)' });
    const gridTol = h / (2 * t); // prox is a grid point: |prox_grid − prox| ≤ h/2
    for (const x0 of [-1.3, -0.4, 0.25, 1.1, 2]) {
      const i = Math.round((x0 + 4) / h), xi = grid.axis(0)[i];
      const exact = (xi - prox[0].data[i]) / t;
      const p0 = 1 * xi + 0.9 * Math.cos(3 * xi);
      let previous = Infinity;
      for (const L of [5, 10, 20, 40]) {
        const x = new Float64Array([xi]);
        hj({ lr: 1, t, innerSteps: L }).step(x, obj.oracle);
        const err = Math.abs(xi - x[0] - exact);
        expect(err).toBeLessThanOrEqual(q ** L * (Math.abs(p0 - exact) + gridTol) + gridTol);
        expect(err).toBeLessThan(previous + gridTol);
        previous = err;
      }
    }
  });
  it('hjFromReference gives the FP settings with t_k = 1/(g0(1+g1)^(k+1))', () => {
    const o = hjFromReference({ L: 10, g0: 0.5, g1: 1, lr: 0.2 });
    expect([0, 1].map(o.t as (k: number) => number)).toEqual([1, 0.5]);
    expect([o.method, o.innerSteps, o.alpha, o.momentum, o.nesterov, o.lr]).toEqual(['fixed-point', 10, 0.25, 0.9, true, 0.2]);
  });
});

describe("hj ('prox': inner gradient descent on f(y) + |x − y|²/(2t))", () => {
  it('on f = λx²/2 the inner error contracts by 1 − η′(λ + 1/t): y_L = prox + r^L(x − prox)', () => {
    const lambda = 2, t = 0.5, innerLr = 0.1, x0 = 3;
    for (const L of [1, 5, 20]) {
      const x = new Float64Array([x0]);
      const r = hj({ lr: 1, t, method: 'prox', innerSteps: L, innerLr }).step(x, diagonalQuadratic([lambda]));
      const proxPoint = x0 / (1 + t * lambda), yL = proxPoint + (1 - innerLr * (lambda + 1 / t)) ** L * (x0 - proxPoint);
      expect(x[0]).toBeAllclose(x0 - (x0 - yL) / t, { atol: 1e-13 });
      expect(r.gradEvals).toBe(L);
    }
  });
  it("equals Entropy-SGD with β = ∞ and α = 1 (μ = the last iterate, the reference H-ESGD)", () => {
    const a = new Float64Array([1, -2]), b = new Float64Array([1, -2]), oracle = diagonalQuadratic([1, 4]);
    const p = hj({ lr: 0.3, t: 0.5, method: 'prox', innerSteps: 5, innerLr: 0.1 });
    const e = entropySGD({ lr: 0.3, t: 0.5, innerSteps: 5, innerLr: 0.1, alpha: 1 });
    for (let i = 0; i < 3; i++) { p.step(a, oracle); e.step(b, oracle); }
    expect(a).toBeAllclose(b, { rtol: 1e-13 });
  });
  it('with lr = t and a converged inner loop, each step is a proximal-point step: contraction 1/(1 + tλ)', () => {
    const lambda = [0.5, 3], t = 0.4, x = new Float64Array([2, -1]), x0 = Float64Array.from(x);
    // η′(λ + 1/t) = 0.5 for λ = 3 … 0.3 for λ = 0.5: 200 inner steps leave ≤ 0.7^200 ≈ 1e-31.
    const opt = hj({ lr: t, t, method: 'prox', innerSteps: 200, innerLr: 0.1 });
    for (let i = 0; i < 5; i++) opt.step(x, diagonalQuadratic(lambda));
    expect(x).toBeAllclose(lambda.map((l, k) => x0[k] / (1 + t * l) ** 5), { rtol: 1e-12 });
  });
});

describe('hj: bad input', () => {
  it('rejects invalid options and non-finite oracle output', () => {
    expect(() => hj({ lr: 0.1, t: -1 })).toThrow(/hj: t must be finite and > 0; got -1\./);
    expect(() => hj({ lr: 0.1, t: 1, innerSteps: 0.5 })).toThrow(/hj: innerSteps must be an integer ≥ 1; got 0\.5\./);
    expect(() => hj({ lr: 0.1, t: 1, alpha: 1.5 })).toThrow(/hj: alpha must be in \(0, 1\]; got 1\.5\./);
    expect(() => hj({ lr: 0.1, t: 1, method: 'newton' as never })).toThrow(/hj: method must be 'fixed-point' \| 'prox'; got "newton"\./);
    const x = new Float64Array([1]);
    expect(() => hj({ lr: 0.1, t: 1 }).step(x, (y, g) => { g[0] = y[0] > 0.5 ? 1 : Infinity; return 0; }))
      .toThrow(/hj: gradient must be finite; got Infinity at index 0 \(step 0, inner iteration 1\)\./);
    expect(x[0]).toBe(1);
  });
});

// x in a WasmArena (as net.params in the 'wasm-simd' engine): the inner points live in x's own
// buffer, the oracle gets x itself, the anchor is a workspace copy; x in an ordinary array runs the
// same passes on a workspace vector. Both must give the bits of the previous JS loops
// (test/reference/optim-previous/hj.ts) in every specialisation of the passes.
const float64s = [true, false] as const;


/** Every specialisation: method × L ∈ {1, 3} × wd ∈ {0, 1e-3} × outer momentum none / Nesterov / heavy ball. */
const configs: HJOptions[] = (['fixed-point', 'prox'] as const).flatMap((method) => [1, 3].flatMap((innerSteps) => [0, 1e-3].flatMap((weightDecay) =>
  [[0, false], [0.9, true], [0.5, false]].map(([momentum, nesterov]) => ({
    method, innerSteps, weightDecay, momentum: momentum as number, nesterov: nesterov as boolean, lr: 0.2, t: 0.3, alpha: 0.3, innerLr: 0.05,
  })))));
const label = (o: HJOptions): string => `${o.method}, L = ${o.innerSteps}, wd = ${o.weightDecay}, momentum ${o.momentum}${o.nesterov ? ' (Nesterov)' : ''}`;

describe('hj evaluates in x\'s own buffer when x lives in a wasm arena', () => {
  it.each(configs.map((o) => [label(o), o] as const))('%s: x in an arena, x in an ordinary array and the previous JS loops agree bit for bit (f64, f32, d = 1, 7, 19)', (_name, o) => {
    for (const float64 of float64s) {
      for (const d of [1, 7, 19]) {
        const x0 = float64 ? new Float64Array(d) : new Float32Array(d);
        new Rng(d + 1).fillNormal(x0);
        const { a, c, xa, xc } = expectPlacementsAgree(() => hj(o) as Optimizer<unknown>, () => hjPrev(o) as Optimizer<unknown>, x0, float64);
        const oa = wavyOracle(), oc = wavyOracle();
        // A checkpoint taken after an odd number of steps resumes onto a fresh optimizer (the double-buffered velocity is the current one).
        const a2 = hj(o) as Optimizer<unknown>, c2 = hjPrev(o) as Optimizer<unknown>;
        a2.load(structuredClone(a.state())); c2.load(structuredClone(c.state()));
        for (let s = 0; s < 2; s++) expect(a2.step(xa, oa)).toEqual(c2.step(xc, oc));
        expect(firstBitDifference(xa, xc)).toBe(-1);
        expect(a2.state()).toEqual(c2.state());
      }
    }
  });

  it('the oracle receives x itself at every evaluation when x is in an arena; an ordinary x only where the previous loops passed x', () => {
    for (const method of ['fixed-point', 'prox'] as const) {
      for (const inArena of [true, false]) {
        const x = placed(new Float32Array(5).fill(0.4), inArena ? new WasmArena() : null, false);
        const seen: boolean[] = [], inner = wavyOracle();
        const oracle: GradientOracle = (xv, g) => { seen.push(xv === x); return inner(xv, g); };
        hj({ method, lr: 0.1, t: 0.3, innerSteps: 3, momentum: 0.5 }).step(x, oracle);
        // Fixed point: at x, then 3 inner points; prox: 3 inner points, the first being x.
        const expected = inArena ? [true, true, true, true].slice(0, method === 'prox' ? 3 : 4)
          : method === 'prox' ? [false, false, false] : [true, false, false, false];
        expect(seen).toEqual(expected);
      }
    }
  });

  /** x₀: `x00` at even entries, 0.5 at odd; the oracle's gradient: 1 at odd entries, g0 at the first call and g1 after at even ones. */
  function edgeCase(float64: boolean, x00: number, g0: number, g1: number): { x0: Vector; edge: () => GradientOracle } {
    const d = 9, x0 = float64 ? new Float64Array(d) : new Float32Array(d);
    for (let i = 0; i < d; i++) x0[i] = i % 2 === 0 ? x00 : 0.5;
    const edge = (): GradientOracle => {
      let c = 0;
      return (_xv, g) => { for (let i = 0; i < g.length; i++) g[i] = i % 2 === 1 ? 1 : c === 0 ? g0 : g1; c++; return 1; };
    };
    return { x0, edge };
  }

  it('signed zeros, an overflowing inner point, wd ≠ 0: the same bits as the previous loops (w enters g + wd·w)', () => {
    // Signed zeros, even entries: x = −0 and gradients −0, α = 1: p₀ = −0 + wd·(−0) = −0, w = −0 − t·(−0) = +0,
    // p₁ = 0·(−0) + (−0 + wd·(+0)) = +0, w = −0, p₂ = +0 + (−0 + wd·(−0)) = +0, x = −0 − lr·(+0) = −0;
    // g alone would give p₂ = −0 and x = +0. Overflow, even entries: p₀ ≈ −big pushes w = x − t·p past
    // the largest finite value, wd·w = ∞, then 0·∞ = NaN. Odd entries: an ordinary gradient. Each case in
    // a vector of its own (a pass that stores a non-finite w makes the next pass read every w).
    for (const float64 of float64s) {
      const big = float64 ? 1.7e308 : 3e38;
      const cases: [string, number, number, number, (x: number) => boolean][] = [
        ['signed zero', -0, -0, -0, (x) => Object.is(x, -0)], ['overflow', big, -big, 1, Number.isNaN]];
      for (const [, x00, g0, g1, happens] of cases) {
        const { x0, edge } = edgeCase(float64, x00, g0, g1);
        for (const inArena of [true, false]) {
          for (const method of ['fixed-point', 'prox'] as const) {
            const o: HJOptions = { method, lr: 0.5, t: 0.5, alpha: 1, innerSteps: 2, innerLr: 0.1, weightDecay: 1e-3 };
            const xa = placed(x0, inArena ? new WasmArena() : null, float64), xc = placed(x0, null, float64);
            hj(o).step(xa, edge()); hjPrev(o).step(xc, edge());
            expect(firstBitDifference(xa, xc)).toBe(-1);
            if (method === 'fixed-point') expect(happens(xc[0])).toBe(true); // the case arises
          }
        }
      }
    }
  });

  it('wd = 0 uses the gradient as it is (PyTorch): with α = 1, x ← X − lr·g at the last inner point, bit for bit, for g = −0 and an overflowing w', () => {
    // α = 1: p_L = 0·p_{L−1} + g_L = g_L exactly (p_{L−1} finite), so x = X − lr·g_L; g + 0·w would give
    // +0 for g = −0 (x = −0 − lr·(+0) = −0 instead of +0) and NaN for w = ∞.
    for (const float64 of float64s) {
      const big = float64 ? 1.7e308 : 3e38, R = float64 ? (v: number): number => v : Math.fround;
      for (const [x00, g0, g1] of [[-0, -0, -0], [big, -big, 1]]) {
        const { x0, edge } = edgeCase(float64, x00, g0, g1);
        const expected = Array.from(x0, (v, i) => R(v - R(0.5 * (i % 2 === 1 ? 1 : g1))));
        for (const inArena of [true, false]) {
          const x = placed(x0, inArena ? new WasmArena() : null, float64);
          hj({ lr: 0.5, t: 0.5, alpha: 1, innerSteps: 2 }).step(x, edge());
          for (let i = 0; i < x.length; i++) expect(Object.is(x[i], expected[i])).toBe(true);
        }
      }
    }
  });
});

describe('hj kernels', () => {
  it('the first pass, wd = 0: p₀ = g (stored when p is another vector than g, left in place when it is g), X = x, w = x − t·g (f64, f32, d = 1, 7, 19)', () => {
    for (const float64 of float64s) {
      const R = float64 ? (v: number): number => v : Math.fround, t = 0.3;
      for (const d of [1, 7, 19]) {
        const ws = new Workspace(float64 ? new Float64Array(d) : new Float32Array(d), 4), rng = new Rng(d);
        const [x, xs, g, p] = [0, 1, 2, 3].map((i) => ws.vec(i));
        rng.fillNormal(x); rng.fillNormal(g);
        const x0 = x.slice(), g0 = g.slice();
        for (const inPlace of [false, true]) {
          x.set(x0); g.set(g0); p.fill(7);
          const pAt = inPlace ? ws.at(2) : ws.at(3);
          expect(ws.k.hjStart(d, ws.at(0), ws.at(1), ws.at(2), pAt, 0, t)).toBe(0);
          expect(firstBitDifference(xs, x0)).toBe(-1);
          expect(firstBitDifference(inPlace ? g : p, g0)).toBe(-1);
          if (inPlace) expect(Array.from(p)).toEqual(new Array(d).fill(7));
          for (let i = 0; i < d; i++) expect(Object.is(x[i], R(x0[i] - R(R(t) * g0[i])))).toBe(true);
        }
      }
    }
  });
});

describe('hj: a failure mid-step leaves x and the state as they were (x in an arena and not)', () => {
  const cases: [string, HJOptions][] = [
    ['fixed point, L = 3, Nesterov, wd', { lr: 0.2, t: 0.3, innerSteps: 3, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }],
    ['fixed point, L = 1, heavy ball', { lr: 0.2, t: 0.3, innerSteps: 1, momentum: 0.5 }],
    ['prox, L = 3, heavy ball, wd', { method: 'prox', lr: 0.2, t: 0.3, innerSteps: 3, innerLr: 0.05, momentum: 0.5, weightDecay: 1e-3 }],
    ['prox, L = 1, Nesterov', { method: 'prox', lr: 0.2, t: 0.3, innerSteps: 1, innerLr: 0.05, momentum: 0.9, nesterov: true }],
  ];
  it.each(cases)('%s: a NaN gradient and a throwing oracle at every call, the last one included', (_name, o) => {
    const calls = o.method === 'prox' ? o.innerSteps! : o.innerSteps! + 1;
    for (const float64 of float64s) {
      for (const inArena of [true, false]) {
        for (let failOn = 0; failOn < calls; failOn++) {
          const mk = (): Vector => placed(new Float64Array(9), inArena ? new WasmArena() : null, float64);
          const twin = (): Vector => (float64 ? new Float64Array(9) : new Float32Array(9));
          // The previous loops counted the prox iterations from 0 and the fixed-point evaluations at the inner points from 1.
          const message = new RegExp(`hj: gradient must be finite; got NaN at index 5 \\(step 2, inner iteration ${failOn}\\)\\.`);
          expectFailureLeavesNoTrace(() => hj(o) as Optimizer<unknown>, failOn, message, mk(), twin());
          expectFailureLeavesNoTrace(() => hj(o) as Optimizer<unknown>, failOn, 'throw', mk(), twin());
        }
      }
    }
  });

  const initial = optimizerThreads();
  afterAll(() => setOptimizerThreads(initial));
  it('on two threads (d ≥ SPLIT_MIN, split passes): a NaN at the last pass leaves x and the double-buffered velocity untouched', () => {
    const d = SPLIT_MIN + 5;
    for (const threads of [1, 2] as const) {
      setOptimizerThreads(threads);
      for (const o of [cases[0][1], cases[2][1]]) {
        const L = o.innerSteps!, failOn = o.method === 'prox' ? L - 1 : L;
        const message = new RegExp(`hj: gradient must be finite; got NaN at index 5 \\(step 2, inner iteration ${failOn}\\)\\.`);
        expectFailureLeavesNoTrace(() => hj(o) as Optimizer<unknown>, failOn, message, new WasmArena().allocF32(d), new Float32Array(d));
      }
    }
  });
});
