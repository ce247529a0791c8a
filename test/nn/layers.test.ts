import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import { batchNorm, conv2d, createEngine, dropout, linear, maxPool, relu, softmaxCrossEntropy, tsEngine, type MatmulEngine } from '../../src/nn/index.js';
import * as ref from '../reference/nn-reference.js';
import { U32, asF32, centralDifferences, dot, pick, randomF64, runLayer } from './helpers.js';

// FD tolerance: h = 1e-6 in float64 gives truncation ~h²·|f'''| ≲ 1e-10 and rounding ~1e-16·|f|/h ≲ 1e-8
// for the O(10–100) sums below; 1e-6·(1 + |g|) leaves a wide margin.
const fdTol = (g: number) => 1e-6 * (1 + Math.abs(g));

describe('float64 reference layers: analytic gradients equal central differences', () => {
  const rng = new Rng(11);
  it('linear: ∂x, ∂W, ∂b of Σ r·(xW + b)', () => {
    const [batch, nin, nout] = [3, 5, 4];
    const x = randomF64(batch * nin, rng), w = randomF64(nin * nout, rng), b = randomF64(nout, rng), r = randomF64(batch * nout, rng);
    const g = ref.linearBackward(x, w, r, batch, nin, nout);
    const cases: [Float64Array, Float64Array][] = [[x, g.dx], [w, g.dw], [b, g.db]];
    for (const [v, an] of cases) {
      const idx = pick(v.length, 8, rng);
      const fd = centralDifferences(() => dot(r, ref.linearForward(x, w, b, batch, nin, nout)), v, idx);
      idx.forEach((i, j) => expect(Math.abs(fd[j] - an[i])).toBeLessThanOrEqual(fdTol(an[i])));
    }
  });

  it.each([[1, 0], [2, 1], [1, 2]])('conv2d (stride %i, padding %i): ∂x, ∂W, ∂b', (stride, padding) => {
    const s: ref.ConvShape = { batch: 2, c: 2, h: 7, w: 6, f: 3, k: 3, stride, padding };
    const { ho, wo } = ref.convOut(s);
    const x = randomF64(s.batch * s.c * s.h * s.w, rng), w = randomF64(s.c * s.k * s.k * s.f, rng), b = randomF64(s.f, rng);
    const r = randomF64(s.batch * s.f * ho * wo, rng);
    const g = ref.convBackward(x, w, r, s);
    for (const [v, an] of [[x, g.dx], [w, g.dw], [b, g.db]] as [Float64Array, Float64Array][]) {
      const idx = pick(v.length, 10, rng);
      const fd = centralDifferences(() => dot(r, ref.convForward(x, w, b, s)), v, idx);
      idx.forEach((i, j) => expect(Math.abs(fd[j] - an[i])).toBeLessThanOrEqual(fdTol(an[i])));
    }
  });

  it('max-pool and ReLU: gradients route to the maxima / positive entries (no kink within h)', () => {
    const x = randomF64(2 * 6 * 6, rng);
    const { y, arg } = ref.maxPoolForward(x, 2, 6, 6, 3);
    const r = randomF64(y.length, rng), an = ref.maxPoolBackward(r, arg, x.length);
    const idx = Array.from({ length: x.length }, (_, i) => i);
    const fd = centralDifferences(() => dot(r, ref.maxPoolForward(x, 2, 6, 6, 3).y), x, idx);
    idx.forEach((i) => expect(Math.abs(fd[i] - an[i])).toBeLessThanOrEqual(fdTol(an[i])));
    const r2 = randomF64(x.length, rng), an2 = ref.reluBackward(x, r2);
    const fd2 = centralDifferences(() => dot(r2, ref.reluForward(x)), x, idx);
    idx.forEach((i) => expect(Math.abs(fd2[i] - an2[i])).toBeLessThanOrEqual(fdTol(an2[i])));
  });

  it.each([[1], [4]])('batch norm (spatial %i): ∂x, ∂γ, ∂β through the batch statistics', (spatial) => {
    const [batch, c] = [5, 3];
    const x = randomF64(batch * c * spatial, rng, 2), gamma = randomF64(c, rng), beta = randomF64(c, rng), r = randomF64(x.length, rng);
    const { xhat, invStd } = ref.batchNormForward(x, gamma, beta, batch, c, spatial);
    const g = ref.batchNormBackward(r, xhat, invStd, gamma, batch, c, spatial);
    for (const [v, an] of [[x, g.dx], [gamma, g.dgamma], [beta, g.dbeta]] as [Float64Array, Float64Array][]) {
      const idx = pick(v.length, 10, rng);
      const fd = centralDifferences(() => dot(r, ref.batchNormForward(x, gamma, beta, batch, c, spatial).y), v, idx);
      idx.forEach((i, j) => expect(Math.abs(fd[j] - an[i])).toBeLessThanOrEqual(fdTol(an[i])));
    }
  });

  it('softmax cross-entropy: ∂z = (softmax − onehot)/B', () => {
    const z = randomF64(4 * 5, rng), labels = Int32Array.from([0, 3, 4, 1]);
    const { dz } = ref.softmaxXent(z, labels, 4, 5);
    const idx = Array.from({ length: z.length }, (_, i) => i);
    const fd = centralDifferences(() => ref.softmaxXent(z, labels, 4, 5).loss, z, idx);
    idx.forEach((i) => expect(Math.abs(fd[i] - dz[i])).toBeLessThanOrEqual(1e-8));
  });
});

const simd1 = createEngine('wasm-simd', { threads: 1 }), simd2 = createEngine('wasm-simd', { threads: 2 });
const engines: [string, () => Promise<MatmulEngine>][] = [['ts', async () => tsEngine], ['wasm', () => createEngine('wasm')],
  ['wasm-simd (1 thread)', () => simd1], ['wasm-simd (2 threads)', () => simd2]];

describe.each(engines)('float32 layers on the %s engine agree with the float64 reference', (_name, make) => {
  const abs = (v: Float64Array) => v.map(Math.abs);
  const maxAbs = (v: Float64Array) => v.reduce((m, a) => Math.max(m, Math.abs(a)), 0);
  // Float32 dot products of length K satisfy |error| ≤ γ_K·Σ|aᵢbᵢ|, γ_K ≈ K·u (Higham, Thm 3.5);
  // the Σ|aᵢbᵢ| bound is the reference run on |a|, |b|. Factor 2: the bias add and the final store.
  const within = (got: Float64Array | null, want: Float64Array, bound: Float64Array, terms: number) => {
    expect(got).not.toBeNull();
    for (let i = 0; i < want.length; i++) expect(Math.abs(got![i] - want[i])).toBeLessThanOrEqual(2 * (terms + 2) * U32 * bound[i] + 1e-30);
  };

  it('linear: y, ∂x, ∂W, ∂b within the γ_K float32 bound', async () => {
    const engine = await make(), rng = new Rng(3);
    const [batch, nin, nout] = [7, 33, 17];
    const x = asF32(randomF64(batch * nin, rng)), w = asF32(randomF64(nin * nout, rng)), b = asF32(randomF64(nout, rng)), dy = asF32(randomF64(batch * nout, rng));
    const got = runLayer(linear(nout), [nin], batch, x, Float64Array.from([...w, ...b]), dy, engine);
    within(got.y, ref.linearForward(x, w, b, batch, nin, nout), ref.linearForward(abs(x), abs(w), abs(b), batch, nin, nout), nin);
    const want = ref.linearBackward(x, w, dy, batch, nin, nout), bound = ref.linearBackward(abs(x), abs(w), abs(dy), batch, nin, nout);
    within(got.dx, want.dx, bound.dx, nout);
    within(got.dparams, Float64Array.from([...want.dw, ...want.db]), Float64Array.from([...bound.dw, ...bound.db]), batch);
  });

  it('linear with inputs that are 0 across the batch (skipped by the transposed wasm path): same bound; ∞ weights and NaN ∂y still propagate', async () => {
    const engine = await make(), rng = new Rng(13);
    const [batch, nin, nout] = [5, 12, 9]; // nout > batch: the wasm engine takes yᵀ = Wᵀ·xᵀ
    const x = asF32(randomF64(batch * nin, rng)), w = asF32(randomF64(nin * nout, rng)), b = asF32(randomF64(nout, rng)), dy = asF32(randomF64(batch * nout, rng));
    for (const p of [0, 4, 5, 11]) for (let s = 0; s < batch; s++) x[s * nin + p] = 0;
    const got = runLayer(linear(nout), [nin], batch, x, Float64Array.from([...w, ...b]), dy, engine);
    within(got.y, ref.linearForward(x, w, b, batch, nin, nout), ref.linearForward(abs(x), abs(w), abs(b), batch, nin, nout), nin);
    const want = ref.linearBackward(x, w, dy, batch, nin, nout), bound = ref.linearBackward(abs(x), abs(w), abs(dy), batch, nin, nout);
    within(got.dx, want.dx, bound.dx, nout);
    within(got.dparams, Float64Array.from([...want.dw, ...want.db]), Float64Array.from([...bound.dw, ...bound.db]), batch);
    if (engine.name === 'ts') return; // the ts engine skips zero factors by design (0·∞ is not formed)
    // 0·∞ = NaN: an infinite weight on a zero input makes its output column NaN, as the plain product does.
    const wInf = Float64Array.from(w); wInf[4 * nout + 2] = Infinity;
    const yInf = runLayer(linear(nout), [nin], batch, x, Float64Array.from([...wInf, ...b]), dy, engine).y;
    for (let s = 0; s < batch; s++) for (let j = 0; j < nout; j++) expect(Number.isNaN(yInf[s * nout + j])).toBe(j === 2);
    // A NaN in ∂y reaches ∂W_pj = Σ_s x_sp·∂y_sj for zero inputs p too (0·NaN = NaN).
    const dyNaN = Float64Array.from(dy); dyNaN[3 * nout + 1] = NaN;
    const gw = runLayer(linear(nout), [nin], batch, x, Float64Array.from([...w, ...b]), dyNaN, engine).dparams;
    for (let p = 0; p < nin; p++) expect(Number.isNaN(gw[p * nout + 1])).toBe(true);
  });

  it.each([[1, 0], [2, 1]])('conv2d (stride %i, padding %i): y, ∂x, ∂W, ∂b within the γ_K bound', async (stride, padding) => {
    const engine = await make(), rng = new Rng(4 + stride);
    const s: ref.ConvShape = { batch: 3, c: 2, h: 9, w: 8, f: 4, k: 3, stride, padding };
    const { ho, wo } = ref.convOut(s);
    const x = asF32(randomF64(s.batch * s.c * s.h * s.w, rng)), w = asF32(randomF64(s.c * 9 * s.f, rng)), b = asF32(randomF64(s.f, rng));
    const dy = asF32(randomF64(s.batch * s.f * ho * wo, rng));
    const got = runLayer(conv2d({ channels: s.f, kernel: 3, stride, padding }), [s.c, s.h, s.w], s.batch, x, Float64Array.from([...w, ...b]), dy, engine);
    const K = s.c * 9;
    within(got.y, ref.convForward(x, w, b, s), ref.convForward(abs(x), abs(w), abs(b), s), K);
    const want = ref.convBackward(x, w, dy, s), bound = ref.convBackward(abs(x), abs(w), abs(dy), s);
    within(got.dx, want.dx, bound.dx, s.f * 9);
    within(got.dparams, Float64Array.from([...want.dw, ...want.db]), Float64Array.from([...bound.dw, ...bound.db]), s.batch * ho * wo);
  });

  it('max-pool, ReLU: exact (selection and sign tests only)', async () => {
    const engine = await make(), rng = new Rng(5);
    const x = asF32(randomF64(2 * 3 * 8 * 8, rng)), dy = asF32(randomF64(2 * 3 * 4 * 4, rng));
    const got = runLayer(maxPool(2), [3, 8, 8], 2, x, new Float64Array(0), dy, engine);
    const { y, arg } = ref.maxPoolForward(x, 6, 8, 8, 2);
    expect(got.y).toEqual(y);
    expect(got.dx).toEqual(ref.maxPoolBackward(dy, arg, x.length));
    const dy2 = asF32(randomF64(x.length, rng));
    const gotRelu = runLayer(relu(), [3, 8, 8], 2, x, new Float64Array(0), dy2, engine);
    expect(gotRelu.y).toEqual(ref.reluForward(x));
    expect(gotRelu.dx).toEqual(ref.reluBackward(x, dy2));
  });

  it.each([[[6]], [[3, 4, 4]]])('batch norm on %j: y, ∂x, ∂γ, ∂β within 64u·max (float64 sums, ≤ 8 float32 roundings)', async (shape) => {
    const engine = await make(), rng = new Rng(6);
    const c = shape[0], spatial = shape.length === 3 ? shape[1] * shape[2] : 1, batch = 5;
    const x = asF32(randomF64(batch * c * spatial, rng, 3)), gamma = asF32(randomF64(c, rng)), beta = asF32(randomF64(c, rng)), dy = asF32(randomF64(x.length, rng));
    const got = runLayer(batchNorm(), shape, batch, x, Float64Array.from([...gamma, ...beta]), dy, engine);
    const f = ref.batchNormForward(x, gamma, beta, batch, c, spatial), g = ref.batchNormBackward(dy, f.xhat, f.invStd, gamma, batch, c, spatial);
    expect(got.y).toBeAllclose(f.y, { atol: 64 * U32 * maxAbs(f.y), rtol: 0 });
    expect(got.dx!).toBeAllclose(g.dx, { atol: 64 * U32 * maxAbs(g.dx) * batch * spatial, rtol: 0 });
    const dp = Float64Array.from([...g.dgamma, ...g.dbeta]);
    expect(got.dparams).toBeAllclose(dp, { atol: 64 * U32 * maxAbs(dp) * batch * spatial, rtol: 0 });
  });

  it('dropout: mask from successive rng.uniform() draws (kept iff u ≥ p), scaled by 1/(1 − p); identity in eval', async () => {
    const engine = await make(), rng = new Rng(7), p = 0.3;
    const x = asF32(randomF64(4 * 10, rng)), dy = asF32(randomF64(x.length, rng));
    const got = runLayer(dropout(p), [10], 4, x, new Float64Array(0), dy, engine);
    const draws = new Rng(0), keep = Math.fround(1 / (1 - p));
    const mask = Float64Array.from(x, () => (draws.uniform() >= p ? keep : 0));
    expect(got.y).toEqual(Float64Array.from(x, (v, i) => Math.fround(v * mask[i])));
    expect(got.dx).toEqual(Float64Array.from(dy, (v, i) => Math.fround(v * mask[i])));
    const evalRun = runLayer(dropout(p), [10], 4, x, new Float64Array(0), dy, engine, 'eval');
    expect(evalRun.y).toEqual(x);
    expect(evalRun.dx).toEqual(dy);
  });
});

describe('layer factories reject bad settings', () => {
  it.each([
    [() => linear(0), /linear: out must be an integer ≥ 1; got 0\./],
    [() => conv2d({ channels: 2, kernel: 0 }), /conv2d: kernel must be an integer ≥ 1; got 0\./],
    [() => conv2d({ channels: 2, kernel: 3 })([4]), /conv2d: input shape must be a 3-D per-sample shape/],
    [() => conv2d({ channels: 2, kernel: 9 })([1, 5, 5]), /conv2d: kernel must be ≤ the padded input size 5; got 9\./],
    [() => maxPool(7)([1, 5, 5]), /maxPool: k must be ≤ the input size 5; got 7\./],
    [() => dropout(1), /dropout: p must be in \[0, 1\); got 1\./],
    [() => batchNorm()([2, 3]), /batchNorm: input shape must be \[channels\] or \[channels, height, width\]; got \[2, 3\]\./],
  ])('%#', (build, message) => {
    expect(build).toThrow(message);
  });
});

describe('NaN in gives NaN out', () => {
  it('ReLU, max-pool and softmax cross-entropy propagate a NaN input', () => {
    const x = new Float64Array(2 * 4 * 4).fill(1); x[5] = NaN;
    expect(Number.isNaN(runLayer(relu(), [2, 4, 4], 1, x, new Float64Array(0), new Float64Array(32), tsEngine).y[5])).toBe(true);
    const pooled = runLayer(maxPool(2), [2, 4, 4], 1, x, new Float64Array(0), new Float64Array(8), tsEngine).y;
    expect(Array.from(pooled, Number.isNaN)).toEqual([true, false, false, false, false, false, false, false]); // x[5] = (row 1, col 1) lies in window 0
    expect(softmaxCrossEntropy(Float32Array.from([0, NaN]), Int32Array.from([0]), 1, 2, new Float32Array(2))).toBeNaN();
  });
});
