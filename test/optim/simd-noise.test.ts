// Option normals: 'simd' on the Langevin optimizers: validated, reproducible for a seed, a different
// stream from the sequential default (which stays the committed one), the same law of the inner
// chain, checkpoint mismatches rejected, and Elastic-SGD's n = 1, ρ = 0 case still Entropy-SGD.
import { describe, expect, it } from 'vitest';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { heat } from '../../src/optim/heat.js';
import { elasticSGD } from '../../src/optim/elastic-sgd.js';
import { elasticSGDParallel } from '../../src/optim/elastic-parallel.js';
import type { Optimizer, Vector } from '../../src/optim/types.js';
import { fileURLToPath } from 'node:url';
import { createOracle } from './fixtures/replica-objective.js';
import { diagonalQuadratic } from './helpers.js';
import { expectFailureLeavesNoTrace } from './previous-pairs.js';

const run = (opt: Optimizer<unknown>, x: Vector, steps: number): Vector => {
  const f = diagonalQuadratic(Array.from({ length: x.length }, (_, k) => 0.5 + (k % 3)));
  for (let s = 0; s < steps; s++) opt.step(x, f);
  return x;
};
const start = (n: number, Type: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array): Vector => {
  const x = new Type(n);
  for (let k = 0; k < n; k++) x[k] = Math.sin(k + 1);
  return x;
};

describe("normals: 'simd'", () => {
  it('is validated', () => {
    expect(() => entropySGD({ lr: 1, t: 1, normals: 'fast' as 'simd' })).toThrow(/entropySGD: normals must be 'sequential' \| 'simd' \| 'parallel'; got/);
    expect(() => heat({ lr: 1, t: 1, normals: 1 as unknown as 'simd' })).toThrow(/heat: normals must be/);
    expect(() => elasticSGD({ replicas: 2, lr: 1, t: 1, normals: 'x' as 'simd' })).toThrow(/elasticSGD: normals must be/);
  });

  it.each([Float64Array, Float32Array])('is reproducible for a seed, differs from the sequential stream, and is ignored without noise (%o)', (Type) => {
    const o = { lr: 0.5, t: 1, innerSteps: 5, beta: 50, seed: 4 };
    const a = run(entropySGD({ ...o, normals: 'simd' }) as Optimizer<unknown>, start(37, Type), 3);
    const b = run(entropySGD({ ...o, normals: 'simd' }) as Optimizer<unknown>, start(37, Type), 3);
    const c = run(entropySGD(o) as Optimizer<unknown>, start(37, Type), 3);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
    const quiet = { ...o, beta: Infinity };
    expect(Array.from(run(entropySGD({ ...quiet, normals: 'simd' }) as Optimizer<unknown>, start(37, Type), 3)))
      .toEqual(Array.from(run(entropySGD(quiet) as Optimizer<unknown>, start(37, Type), 3)));
  });

  it('draws the Langevin noise N(0, 1): on f = 0, one inner step from y = x moves by −√(2η′/β)·ξ (mean and variance of ξ within 4σ)', () => {
    // innerSteps = 1: μ = (1 − α)x + α·y₁ with y₁ = x − η′·((y − x)/t + s·ξ) = x − η′·s·ξ at y₀ = x; outer lr·(x − μ)/t.
    const n = 200_000, beta = 2, innerLr = 0.5, alpha = 1, t = 1, lr = 1;
    const x = new Float64Array(n);
    entropySGD({ lr, t, innerSteps: 1, innerLr, beta, alpha, normals: 'simd', seed: 12 }).step(x, (_y, g) => { g.fill(0); return 0; });
    // x ← x − lr·(x − y₁)/t = y₁ = −η′·s·ξ with s = √(2/(η′β)): x/√(2η′/β) = −ξ.
    const scale = Math.sqrt(2 * innerLr / beta);
    let m1 = 0, m2 = 0;
    for (const v of x) { const xi = v / scale; m1 += xi; m2 += xi * xi; }
    expect(Math.abs(m1 / n)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(m2 / n - 1)).toBeLessThan(4 * Math.sqrt(2 / n));
  });

  it('a checkpoint must match the option: simd state into a sequential optimizer and back is rejected', () => {
    const o = { lr: 0.5, t: 1, innerSteps: 2, beta: 50, seed: 4 };
    const simd = entropySGD({ ...o, normals: 'simd' }), seq = entropySGD(o);
    run(simd as Optimizer<unknown>, start(5), 1); run(seq as Optimizer<unknown>, start(5), 1);
    expect(() => seq.load(simd.state())).toThrow(/entropySGD: state.simd must be absent/);
    expect(() => simd.load(seq.state())).toThrow(/entropySGD: state.simd must be present/);
    const e1 = elasticSGD({ replicas: 2, ...o, normals: 'simd' }), e2 = elasticSGD({ replicas: 2, ...o });
    run(e1 as Optimizer<unknown>, start(5), 1);
    expect(() => e2.load(e1.state())).toThrow(/elasticSGD.load: replicas\[\].simd must be absent/);
  });

  it('a failed step (NaN gradient or throwing oracle, at every inner call) puts the SIMD generator back: state as before, the run then goes on as a twin', () => {
    const make = () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 200, seed: 2, normals: 'simd' }) as Optimizer<unknown>;
    for (let failOn = 0; failOn < 3; failOn++) {
      const message = new RegExp(`entropySGD: gradient must be finite; got NaN at index 5 \\(step 2, inner iteration ${failOn}\\)\\.`);
      expectFailureLeavesNoTrace(make, failOn, message, new Float32Array(9), new Float32Array(9));
      expectFailureLeavesNoTrace(make, failOn, 'throw', new Float64Array(9), new Float64Array(9));
    }
  });

  it('Elastic-SGD with n = 1, ρ = 0 is Entropy-SGD with the same seed, also with the SIMD stream', () => {
    const o = { lr: 0.5, t: 0.7, innerSteps: 4, beta: 30, seed: 6, normals: 'simd' } as const;
    const a = run(elasticSGD({ replicas: 1, rho: 0, ...o }) as Optimizer<unknown>, start(29), 3);
    const b = run(entropySGD(o) as Optimizer<unknown>, start(29), 3);
    expect(Array.from(a)).toEqual(Array.from(b));
  });

  // Also for normals: 'parallel' (test/optim/block-normals.test.ts): the replicas' block streams.
  it.each(['simd', 'parallel'] as const)('elasticSGDParallel with normals %s: 2 workers equal the in-process run, states (with the generators) included', async (normals) => {
    const opts = { replicas: 3, lr: 0.2, t: 0.5, rho: 0.3, innerSteps: 4, innerLr: 0.1, beta: 50, momentum: 0.5, seed: 5, normals };
    const objective = { module: fileURLToPath(new URL('./fixtures/replica-objective.ts', import.meta.url)), options: { sigma: 0.3, seed: 8 } };
    const par = await elasticSGDParallel(opts, objective, { workers: 2 });
    const direct = elasticSGD(opts), oracles = [0, 1, 2].map((a) => createOracle(objective.options, a));
    const x0 = new Float64Array([1, -1, 0.5, 2, 0.1]), x1 = Float64Array.from(x0);
    try {
      for (let i = 0; i < 3; i++) {
        await par.step(x0); direct.stepReplicas(x1, (a) => oracles[a]);
        expect(Array.from(x0)).toEqual(Array.from(x1));
      }
      const state = await par.state();
      expect(state).toEqual(direct.state());
      expect(state.replicas.every((r) => (normals === 'simd' ? r.simd : r.blocks) !== undefined)).toBe(true);
    } finally { await par.close(); }
  });
});
