import { describe, it, expect } from 'vitest';
import { sam, type SAMOptions } from '../../src/optim/sam.js';
import { sam as samPrev, sumOfSquares } from '../reference/optim-previous/sam.js';
import type { GradientOracle, Optimizer, Vector } from '../../src/optim/types.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { Workspace } from '../../src/optim/workspace.js';
import { Rng } from '../../src/util/random.js';
import { expectFailureLeavesNoTrace, expectPlacementsAgree, firstBitDifference, placed, wavyOracle } from './previous-pairs.js';
import { sgd } from '../../src/optim/sgd.js';
import { diagonalQuadratic } from './helpers.js';

describe('sam', () => {
  it('f = x²/2, ρ = 1, lr = 0.5: ε = sign(x), x: 4 → 4 − 0.5·5 = 1.5 → 1.5 − 0.5·2.5 = 0.25', () => {
    const x = new Float64Array([4]), opt = sam({ lr: 0.5, rho: 1 });
    expect(opt.step(x, diagonalQuadratic([1]))).toEqual({ loss: 8, gradEvals: 2 });
    expect(x[0]).toBe(1.5);
    opt.step(x, diagonalQuadratic([1]));
    expect(x[0]).toBe(0.25);
  });
  it('in 2-D the ascent step is ρ·g/|g|: f = ½(x² + 4y²) at (3, 1), g = (3, 4), ε = ρ(0.6, 0.8)', () => {
    const x = new Float64Array([3, 1]);
    sam({ lr: 0.1, rho: 0.5 }).step(x, diagonalQuadratic([1, 4]));
    expect(x).toBeAllclose([3 - 0.1 * (3 + 0.3), 1 - 0.1 * 4 * (1 + 0.4)], { atol: 1e-15 });
  });
  it('at a critical point (g = 0) the perturbation is 0, not NaN; ρ = 0 is SGD', () => {
    const x = new Float64Array([0, 0]);
    sam({ lr: 0.1 }).step(x, diagonalQuadratic([1, 1]));
    expect(Array.from(x)).toEqual([0, 0]);
    const a = new Float64Array([2]), b = new Float64Array([2]);
    sam({ lr: 0.25, rho: 0 }).step(a, diagonalQuadratic([1])); sgd({ lr: 0.25 }).step(b, diagonalQuadratic([1]));
    expect(a[0]).toBe(b[0]);
  });
  it('validates', () => {
    expect(() => sam({ lr: 0.1, rho: -1 })).toThrow(/sam: rho must be finite and ≥ 0; got -1\./);
    expect(() => sam({ lr: 0 })).toThrow(/sam: lr must be finite and > 0; got 0\./);
  });
});

// x in a WasmArena (as net.params in the 'wasm-simd' engine): the shifted point is written into x's
// own buffer and the oracle evaluates at x itself; the anchor is a workspace copy, put back into x
// if the evaluation fails. The same bits as x in an ordinary array and as the previous JS loops.


const configs: SAMOptions[] = [0, 1e-3].flatMap((weightDecay) => [[0, false], [0.9, true], [0.5, false]].map(([momentum, nesterov]) =>
  ({ lr: 0.1, rho: 0.05, weightDecay, momentum: momentum as number, nesterov: nesterov as boolean })));
const label = (o: SAMOptions): string => `wd = ${o.weightDecay}, momentum ${o.momentum}${o.nesterov ? ' (Nesterov)' : ''}`;

describe('sam evaluates the shifted point in x\'s own buffer when x lives in a wasm arena', () => {
  it.each(configs.map((o) => [label(o), o] as const))('%s: x in an arena, x in an ordinary array and the previous JS loops agree bit for bit (f64, f32, d = 1, 7, 8, 19)', (_name, o) => {
    for (const float64 of [true, false]) {
      for (const d of [1, 7, 8, 19]) {
        const x0 = float64 ? new Float64Array(d) : new Float32Array(d);
        new Rng(d + 2).fillNormal(x0);
        expectPlacementsAgree(() => sam(o) as Optimizer<unknown>, () => samPrev(o) as Optimizer<unknown>, x0, float64);
      }
    }
  });

  it('the oracle receives x itself at both evaluations when x is in an arena; an ordinary x only at the first', () => {
    for (const inArena of [true, false]) {
      const x = placed(new Float32Array(5).fill(0.4), inArena ? new WasmArena() : null, false);
      const seen: boolean[] = [], inner = wavyOracle();
      const oracle: GradientOracle = (xv, g) => { seen.push(xv === x); return inner(xv, g); };
      sam({ lr: 0.1, rho: 0.5 }).step(x, oracle);
      expect(seen).toEqual([true, inArena]);
    }
  });

  it('a NaN gradient or a throwing oracle at either evaluation leaves x and the state as they were', () => {
    const make = (): Optimizer<unknown> => sam({ lr: 0.1, rho: 0.05, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>;
    for (const float64 of [true, false]) {
      for (const inArena of [true, false]) {
        for (const failOn of [0, 1]) {
          const mk = (): Vector => placed(new Float64Array(9), inArena ? new WasmArena() : null, float64);
          const twin = (): Vector => (float64 ? new Float64Array(9) : new Float32Array(9));
          expectFailureLeavesNoTrace(make, failOn, new RegExp(`sam: gradient must be finite; got NaN at index 5 \\(step 2, inner iteration ${failOn}\\)\\.`), mk(), twin());
          // The same with an oracle that throws (after writing its gradient) instead.
          const x = mk(), twinX = twin();
          x.fill(0.7); twinX.fill(0.7);
          const opt = make(), other = make(), good = wavyOracle(), twinGood = wavyOracle();
          for (let s = 0; s < 2; s++) { opt.step(x, good); other.step(twinX, twinGood); }
          const before = structuredClone(opt.state()), xBefore = x.slice();
          let call = 0;
          const throwing: GradientOracle = (xv, g) => { const f = good(xv, g); if (call++ === failOn) throw new Error('oracle failed'); return f; };
          expect(() => opt.step(x, throwing)).toThrow('oracle failed');
          expect(firstBitDifference(x, xBefore)).toBe(-1);
          expect(opt.state()).toEqual(before);
          const resume = wavyOracle(), twinResume = wavyOracle();
          for (let s = 0; s < 2; s++) expect(opt.step(x, resume)).toEqual(other.step(twinX, twinResume));
          expect(firstBitDifference(x, twinX)).toBe(-1);
        }
      }
    }
  });
});

describe('sam: |g|² in a fixed order', () => {
  /** Σ g² exactly (BigInt over the binary expansions of the float64 squares), rounded once. */
  function exactSum(g: ArrayLike<number>): number {
    const scale = 2n ** 1100n;
    let acc = 0n;
    for (let i = 0; i < g.length; i++) {
      const v = Number(g[i]) * Number(g[i]);
      // v = m·2^e with m an integer < 2^53: add m·2^(e + 1100), exact.
      const e = Math.max(Math.floor(Math.log2(v)) - 52, -1074), m = BigInt(Math.round(v / 2 ** e));
      acc += e >= 0 ? m * 2n ** BigInt(e) * scale : (m * scale) / 2n ** BigInt(-e);
    }
    return Number(acc / 2n ** 600n) / 2 ** 500;
  }

  it('the kernel sums in the documented order: the same bits as sumOfSquares, on every length 0…40 and 70,001 (f64, f32)', () => {
    for (const float64 of [true, false]) {
      const N = 70001, ws = new Workspace(float64 ? new Float64Array(N) : new Float32Array(N), 1), g = ws.vec(0), rng = new Rng(9);
      // Magnitudes over 2⁻²⁰…2²⁰, so that any other order of the additions rounds differently somewhere.
      for (let i = 0; i < N; i++) g[i] = rng.normal() * 2 ** Math.round(40 * rng.uniform() - 20);
      for (const n of [...Array.from({ length: 41 }, (_, i) => i), N]) {
        expect(ws.k.samNorm(n, ws.at(0))).toBe(sumOfSquares(g.subarray(0, n)));
      }
    }
  });

  it('is |g|² within the rounding of n − 1 float64 additions and n products: |Σ − exact| ≤ (n + 1)·2⁻⁵³·exact', () => {
    for (const n of [1, 8, 9, 1000, 4099]) {
      const g = new Float64Array(n), rng = new Rng(n);
      for (let i = 0; i < n; i++) g[i] = rng.normal() * 2 ** Math.round(30 * rng.uniform() - 15);
      const exact = exactSum(g), sum = sumOfSquares(g);
      // Recursive summation of non-negative terms: relative error ≤ (n − 1)·u + u for the products, u = 2⁻⁵³ (first order).
      expect(Math.abs(sum - exact)).toBeLessThanOrEqual((n + 1) * 2 ** -53 * exact);
    }
  });

  it('a |g|² that overflows with every g finite: ε = 0 (x + 0·g), as the previous loops; an infinite g is named (f64)', () => {
    // 1e200² = 1e400 > the largest float64: |g|² = ∞, the scan finds every g finite, ε = ρ/∞ = 0.
    const big: GradientOracle = (_x, g) => { g.fill(1e200); return 1; };
    for (const inArena of [true, false]) {
      const x0 = Float64Array.from([0.5, -1, 2, 3, 0.25, 1, -2, 0.5, 7]);
      const x = placed(x0, inArena ? new WasmArena() : null, true), twin = x0.slice();
      sam({ lr: 1e-210, rho: 0.5 }).step(x, big); samPrev({ lr: 1e-210, rho: 0.5 }).step(twin, big);
      expect(firstBitDifference(x, twin)).toBe(-1);
      expect(x).toBeAllclose(Array.from(x0, (v) => v - 1e-10), { rtol: 1e-15 });
      const inf: GradientOracle = (_x, g) => { g.fill(1); g[6] = -Infinity; return 1; };
      expect(() => sam({ lr: 0.1 }).step(x, inf)).toThrow(/sam: gradient must be finite; got -Infinity at index 6 \(step 0, inner iteration 0\)\./);
    }
  });
});
