import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import { createEngine, lenet, linear, mnistfc, sequential, tsEngine, type Dataset } from '../../src/nn/index.js';
import * as ref from '../reference/nn-reference.js';

describe('the paper\'s networks', () => {
  it('mnistfc has 1,867,786 parameters: (784·1024 + 1024) + 2·1024 + (1024² + 1024) + 2·1024 + (1024·10 + 10)', () => {
    expect(mnistfc().paramCount).toBe(784 * 1024 + 1024 + 2048 + 1024 * 1024 + 1024 + 2048 + 10240 + 10);
    expect(mnistfc().paramCount).toBe(1_867_786);
  });
  it('LeNet has 131,220 parameters: conv 25·20+20, BN 40, conv 500·50+50, BN 100, 200·500+500, 500·10+10', () => {
    const net = lenet();
    expect(net.paramCount).toBe(520 + 40 + 25_050 + 100 + 100_500 + 5010);
    expect(net.paramCount).toBe(131_220);
    expect(net.layers.map((l) => l.outShape)).toEqual([[20, 24, 24], [20, 24, 24], [20, 8, 8], [20, 8, 8], [20, 8, 8],
      [50, 4, 4], [50, 4, 4], [50, 2, 2], [50, 2, 2], [50, 2, 2], [500], [500], [500], [10]]);
  });
  it('initialisation is seeded: same seed same parameters, linear weights within ±1/√fan_in', () => {
    const a = sequential([30], [linear(20), linear(3)], { seed: 3 });
    expect(sequential([30], [linear(20), linear(3)], { seed: 3 }).params).toEqual(a.params);
    expect(sequential([30], [linear(20), linear(3)], { seed: 4 }).params).not.toEqual(a.params);
    const net = sequential([100], [linear(5)], { seed: 1 });
    expect(Math.max(...net.params.map(Math.abs))).toBeLessThanOrEqual(0.1);
  });
});

/** LeNet on a batch of 6 through the float64 reference layers, with the same parameters and dropout masks. */
function lenetReference(params: Float32Array, x: Float64Array, labels: Int32Array, batch: number, seed: number): { loss: number; grad: Float64Array } {
  const P = Float64Array.from(params);
  let o = 0;
  const take = (n: number) => { const v = P.subarray(o, o + n); o += n; return v; };
  const c1w = take(500), c1b = take(20), bn1g = take(20), bn1b = take(20), c2w = take(25000), c2b = take(50), bn2g = take(50), bn2b = take(50);
  const l1w = take(100000), l1b = take(500), l2w = take(5000), l2b = take(10);
  const rng = new Rng(seed).split(1), keep = Math.fround(1 / 0.75);
  const drop = (v: Float64Array) => { const m = Float64Array.from(v, () => (rng.uniform() >= 0.25 ? keep : 0)); return { y: v.map((a, i) => a * m[i]), m }; };
  const s1: ref.ConvShape = { batch, c: 1, h: 28, w: 28, f: 20, k: 5, stride: 1, padding: 0 };
  const s2: ref.ConvShape = { batch, c: 20, h: 8, w: 8, f: 50, k: 5, stride: 1, padding: 0 };
  const a1 = ref.convForward(x, c1w, c1b, s1), r1 = ref.reluForward(a1), p1 = ref.maxPoolForward(r1, batch * 20, 24, 24, 3);
  const b1 = ref.batchNormForward(p1.y, bn1g, bn1b, batch, 20, 64), d1 = drop(b1.y);
  const a2 = ref.convForward(d1.y, c2w, c2b, s2), r2 = ref.reluForward(a2), p2 = ref.maxPoolForward(r2, batch * 50, 4, 4, 2);
  const b2 = ref.batchNormForward(p2.y, bn2g, bn2b, batch, 50, 4), d2 = drop(b2.y);
  const h = ref.linearForward(d2.y, l1w, l1b, batch, 200, 500), rh = ref.reluForward(h), d3 = drop(rh);
  const z = ref.linearForward(d3.y, l2w, l2b, batch, 500, 10);
  const { loss, dz } = ref.softmaxXent(z, labels, batch, 10);
  const gl2 = ref.linearBackward(d3.y, l2w, dz, batch, 500, 10);
  const gh = ref.reluBackward(h, gl2.dx.map((v, i) => v * d3.m[i]));
  const gl1 = ref.linearBackward(d2.y, l1w, gh, batch, 200, 500);
  const gb2 = ref.batchNormBackward(gl1.dx.map((v, i) => v * d2.m[i]), b2.xhat, b2.invStd, bn2g, batch, 50, 4);
  const gc2 = ref.convBackward(d1.y, c2w, ref.reluBackward(a2, ref.maxPoolBackward(gb2.dx, p2.arg, r2.length)), s2);
  const gb1 = ref.batchNormBackward(gc2.dx.map((v, i) => v * d1.m[i]), b1.xhat, b1.invStd, bn1g, batch, 20, 64);
  const gc1 = ref.convBackward(x, c1w, ref.reluBackward(a1, ref.maxPoolBackward(gb1.dx, p1.arg, r1.length)), s1);
  const grad = Float64Array.from([...gc1.dw, ...gc1.db, ...gb1.dgamma, ...gb1.dbeta, ...gc2.dw, ...gc2.db, ...gb2.dgamma, ...gb2.dbeta,
    ...gl1.dw, ...gl1.db, ...gl2.dw, ...gl2.db]);
  return { loss, grad };
}

describe.each([['ts'], ['wasm'], ['wasm-simd']] as const)('whole LeNet on the %s engine', (engineName) => {
  it('loss and gradient agree with the float64 reference chain (same parameters, same dropout draws)', async () => {
    const engine = engineName === 'ts' ? tsEngine : await createEngine(engineName);
    const net = lenet({ engine, seed: 9 }), batch = 6, rng = new Rng(2);
    const x = new Float32Array(batch * 784);
    rng.fillUniform(x);
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const loss = net.lossAndGradient(x, labels, batch);
    const want = lenetReference(net.params, Float64Array.from(x), labels, batch, 9);
    // Float32 rounding (u = 6e-8) through 14 layers with dot products of ≤ 500 terms: relative error
    // ≲ 500·u per product, amplified by BN's 1/σ on batches of 6; 1e-3 of the largest entry bounds it.
    expect(Math.abs(loss - want.loss)).toBeLessThanOrEqual(1e-4 * Math.abs(want.loss));
    const scale = want.grad.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(Float64Array.from(net.grads)).toBeAllclose(want.grad, { atol: 1e-3 * scale, rtol: 0 });
  });
});

describe('batch-norm recalibration and evaluation', () => {
  const data = (n: number, seed: number): Dataset => {
    const rng = new Rng(seed), images = new Float32Array(n * 4), labels = new Int32Array(n);
    for (let s = 0; s < n; s++) { labels[s] = s % 2; for (let j = 0; j < 4; j++) images[s * 4 + j] = 3 + 2 * rng.normal() + labels[s]; }
    return { images, labels, count: n, shape: [4], classes: 2, sourceIndex: Int32Array.from({ length: n }, (_, i) => i) };
  };
  it('recalibration sets the running mean to the data mean, so eval-mode BN output has mean ≈ β = 0 over the data', async () => {
    const { batchNorm } = await import('../../src/nn/index.js');
    const net = sequential([4], [batchNorm(), linear(2)], { seed: 1 });
    const d = data(1000, 5);
    net.recalibrate(d, 100);
    // BN output for feature j: γ(x − μ_run)/σ_run; with μ_run the average of 10 equal-size batch means = the
    // data mean, the eval-mode mean over the data is 0 up to float32 rounding (≈ 1e-6 of the spread).
    const bnOnly = sequential([4], [batchNorm()], { seed: 1 });
    bnOnly.recalibrate(d, 100);
    const y = bnOnly.forward(d.images, d.count, 'eval');
    for (let j = 0; j < 4; j++) {
      let m = 0;
      for (let s = 0; s < d.count; s++) m += y[s * 4 + j];
      expect(Math.abs(m / d.count)).toBeLessThan(1e-5);
    }
    const ev = net.evaluate(d);
    expect(ev.count).toBe(1000);
    expect(ev.error).toBeGreaterThanOrEqual(0);
  });
  it('rejects data that does not fit the network', () => {
    const net = sequential([4], [linear(2)]);
    const d = data(10, 1);
    expect(() => net.evaluate({ ...d, shape: [5], images: new Float32Array(50) })).toThrow(/Network.evaluate: data.shape must be of size 4 \(network input \[4\]\); got \[5\]\./);
    expect(() => net.evaluate({ ...d, labels: Int32Array.from({ length: 10 }, (_, i) => (i === 3 ? 7 : 0)) })).toThrow(/Network.evaluate: labels must lie in \[0, 2\); got 7 at sample 3\./);
    expect(() => net.evaluate({ ...d, images: new Float32Array(39) })).toThrow(/data.images.length must be count × size = 10 × 4 = 40; got 39\./);
    expect(() => net.forward(new Float32Array(3), 1, 'eval')).toThrow(/Network.forward: inputs must hold batch × 4 = 4 values; got 3\./);
  });
});
