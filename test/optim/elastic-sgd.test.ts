import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { elasticSGD } from '../../src/optim/elastic-sgd.js';
import { elasticSGDParallel } from '../../src/optim/elastic-parallel.js';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { sgd } from '../../src/optim/sgd.js';
import { parleFromReference } from '../../src/optim/reference.js';
import { createOracle } from './fixtures/replica-objective.js';
import { diagonalQuadratic } from './helpers.js';
import type { GradientOracle } from '../../src/optim/types.js';

const fixture = fileURLToPath(new URL('./fixtures/replica-objective.ts', import.meta.url));

describe('elasticSGD: exact special cases', () => {
  it('n = 1, ρ = 0 is Entropy-SGD with the same options and seed (noise, momentum and all), bit for bit', () => {
    const common = { lr: 0.2, t: 0.5, innerSteps: 5, innerLr: 0.05, beta: 100, alpha: 0.25, momentum: 0.5, nesterov: true, innerMomentum: 0.3, seed: 12 };
    const a = new Float64Array([1, -2, 0.5]), b = Float64Array.from(a), oracle = diagonalQuadratic([1, 3, 0.2]);
    const e = elasticSGD({ ...common, replicas: 1 }), s = entropySGD(common);
    for (let i = 0; i < 4; i++) expect(e.step(a, oracle)).toEqual(s.step(b, oracle));
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it('n = 1, ρ = 0, L = 1, α = 1, η′ = t is SGD (dyadic data: exact)', () => {
    const a = new Float64Array([4, -2]), b = Float64Array.from(a), oracle = diagonalQuadratic([1, 0.5]);
    const e = elasticSGD({ replicas: 1, lr: 0.25, t: 0.5, innerSteps: 1, innerLr: 0.5, alpha: 1 }), s = sgd({ lr: 0.25 });
    for (let i = 0; i < 4; i++) { e.step(a, oracle); s.step(b, oracle); }
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it("L = 1, α = 1, η′ = t, center 'elastic' is synchronous EASGD: xᵃ ← xᵃ − η(∇fₐ(xᵃ) + ρ(xᵃ − x̃)), x̃ ← x̃ + ηρΣ(xᵃ − x̃)", () => {
    const n = 3, lr = 0.1, rho = 0.7, t = 0.5, d = 2;
    const oracles: GradientOracle[] = [0, 1, 2].map((a) => createOracle({ sigma: 0, seed: 0 }, a));
    const opt = elasticSGD({ replicas: n, lr, t, rho, innerSteps: 1, innerLr: t, alpha: 1, center: 'elastic' });
    const x = new Float64Array([0.3, -0.4]);
    // Twin: EASGD written out.
    const center = Float64Array.from(x), xs = [0, 1, 2].map(() => Float64Array.from(x)), g = new Float64Array(d);
    for (let step = 0; step < 6; step++) {
      opt.stepReplicas(x, (a) => oracles[a]);
      const pull = new Float64Array(d);
      for (let a = 0; a < n; a++) for (let p = 0; p < d; p++) pull[p] += xs[a][p] - center[p];
      for (let a = 0; a < n; a++) {
        oracles[a](xs[a], g);
        for (let p = 0; p < d; p++) xs[a][p] -= lr * (g[p] + rho * (xs[a][p] - center[p]));
      }
      for (let p = 0; p < d; p++) center[p] += lr * rho * pull[p];
      // (xᵃ − μ)/t with μ = xᵃ − t∇f reproduces ∇f up to rounding of t∇f: a few ulps per step.
      expect(x).toBeAllclose(center, { rtol: 1e-13, atol: 1e-14 });
    }
    const st = opt.state();
    for (let a = 0; a < n; a++) expect(st.replicas[a].anchor).toBeAllclose(xs[a], { rtol: 1e-13, atol: 1e-14 });
  });
  it("center 'mean' (Parle): the reference becomes the mean of the new anchors", () => {
    const oracles = [0, 1].map((a) => createOracle({ sigma: 0, seed: 0 }, a));
    const opt = elasticSGD({ replicas: 2, lr: 0.5, t: 1, rho: 0.5, innerSteps: 2, innerLr: 0.25 });
    const x = new Float64Array([1, 1]);
    opt.stepReplicas(x, (a) => oracles[a]);
    const anchors = opt.state().replicas.map((r) => r.anchor);
    expect(x).toBeAllclose([(anchors[0][0] + anchors[1][0]) / 2, (anchors[0][1] + anchors[1][1]) / 2], { atol: 1e-15 });
  });
  it('validates', () => {
    expect(() => elasticSGD({ replicas: 0, lr: 0.1, t: 1 })).toThrow(/elasticSGD: replicas must be an integer ≥ 1; got 0\./);
    expect(() => elasticSGD({ replicas: 2, lr: 0.1, t: 1, rho: -1 })).toThrow(/elasticSGD: rho must be finite and ≥ 0; got -1\./);
    expect(() => elasticSGD({ replicas: 2, lr: 0.1, t: 1, center: 'median' as never })).toThrow(/elasticSGD: center must be 'mean' \| 'elastic'; got "median"\./);
  });
});

describe('elasticSGDParallel (worker_threads)', () => {
  const opts = { replicas: 3, lr: 0.2, t: 0.5, rho: 0.3, innerSteps: 4, innerLr: 0.1, beta: 50, momentum: 0.5, seed: 5 };
  const objective = { module: fixture, options: { sigma: 0.3, seed: 8 } };
  it('2 workers give bit-identical trajectories and states to the in-process run with the same seeds', async () => {
    const xs = [new Float64Array([1, -1, 0.5]), new Float64Array([1, -1, 0.5]), new Float64Array([1, -1, 0.5])];
    const par = await elasticSGDParallel(opts, objective, { workers: 2 });
    const seq = await elasticSGDParallel(opts, objective, { workers: 0 });
    const oracles = [0, 1, 2].map((a) => createOracle(objective.options, a));
    const direct = elasticSGD(opts);
    try {
      for (let i = 0; i < 3; i++) {
        const r0 = await par.step(xs[0]), r1 = await seq.step(xs[1]), r2 = direct.stepReplicas(xs[2], (a) => oracles[a]);
        expect(r0).toEqual(r1); expect(r1).toEqual(r2);
        expect(Array.from(xs[0])).toEqual(Array.from(xs[1]));
        expect(Array.from(xs[1])).toEqual(Array.from(xs[2]));
      }
      expect(await par.state()).toEqual(await seq.state());
    } finally { await par.close(); await seq.close(); }
  });
  it('a checkpoint of the worker run resumes in-process on the identical trajectory', async () => {
    const x = new Float64Array([1, -1]);
    const par = await elasticSGDParallel(opts, objective, { workers: 2 });
    let saved: { opt: Awaited<ReturnType<typeof par.state>>; x: number[] };
    const rest: number[][] = [];
    try {
      await par.step(x); await par.step(x);
      saved = structuredClone({ opt: await par.state(), x: Array.from(x) });
      for (let i = 0; i < 2; i++) { await par.step(x); rest.push(Array.from(x)); }
    } finally { await par.close(); }
    // The oracles' noise streams continue from where they were: rebuild and advance them identically.
    const seq = await elasticSGDParallel(opts, objective, { workers: 0 });
    await seq.step(new Float64Array([1, -1])); await seq.step(new Float64Array([1, -1]));
    await seq.load(saved.opt);
    const y = Float64Array.from(saved.x);
    for (let i = 0; i < 2; i++) { await seq.step(y); expect(Array.from(y)).toEqual(rest[i]); }
  });
  it('a non-finite gradient in a worker is re-thrown naming step, replica and inner iteration', async () => {
    const par = await elasticSGDParallel(opts, { module: fixture, options: { sigma: 0, seed: 1, nanReplica: 2 } }, { workers: 2 });
    try {
      await expect(par.step(new Float64Array([1, 2]))).rejects.toThrow(/elasticSGDParallel: gradient must be finite; got NaN at index 0 \(step 0, replica 2, inner iteration 0\)\./);
    } finally { await par.close(); }
  });
  it('validates the worker count and the objective', async () => {
    await expect(elasticSGDParallel(opts, objective, { workers: 1 })).rejects.toThrow(/elasticSGDParallel: workers must be 0 \(in-process\) or ≥ 2; got 1\./);
    await expect(elasticSGDParallel(opts, objective, { workers: 4 })).rejects.toThrow(/elasticSGDParallel: workers must be an integer in \[0, 3\]; got 4\./);
    await expect(elasticSGDParallel(opts, { module: fixture, exportName: 'nope' }, { workers: 0 })).rejects.toThrow(/ReplicaObjective: exportName must be the name of a function exported by/);
  });
});

describe('parleFromReference', () => {
  it("reproduces Parle's schedules: t_k = 1/min(γ(1+0.5/nb)^k, 1), ρ_k = min(ρLn(1+0.5/nb)^k, 10), lr/10 per epoch", () => {
    const o = parleFromReference({ n: 2, minibatchesPerEpoch: 2, lr: 0.1, L: 5, gamma: 0.25, rho: 0.25 });
    const t = o.t as (k: number) => number, rho = o.rho as (k: number) => number, lr = o.lr as (k: number) => number;
    // growth 1 + 0.5/2 = 1.25: γ_k = 0.25·1.25^k capped at 1; ρ·L·n = 2.5, capped at 10.
    expect([0, 1, 7].map(t)).toEqual([4, 1 / (0.25 * 1.25), 1]);
    expect([0, 1, 7].map(rho)).toEqual([2.5, 2.5 * 1.25, 10]);
    expect([0, 1, 2, 4].map(lr)).toBeAllclose([0.1, 0.1, 0.01, 0.001], { rtol: 1e-14 });
    expect([o.replicas, o.innerSteps, o.form, o.center, o.alpha, o.momentum, o.innerMomentum]).toEqual([2, 5, 'coupling', 'mean', 0.25, 0.9, 0.9]);
  });
});
