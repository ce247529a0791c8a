import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import type { GradientOracle, Optimizer, Vector } from '../../src/optim/types.js';
import { DivergenceError, linear, networkOracle, relu, sequential, train, type Dataset, type Split } from '../../src/nn/index.js';
import { blobs } from './helpers.js';

const data: Split = { train: blobs(256, 1), test: blobs(128, 2) };
const model = (seed = 1) => sequential([2], [linear(8), relu(), linear(2)], { seed });

/** A tiny local SGD (x ← x − lr·∇f) with a step counter, for testing train() apart from src/optim. */
function tinySGD(lr: number): Optimizer<{ k: number }> {
  let k = 0, grad: Float32Array | null = null;
  return {
    name: 'tiny-sgd',
    step(x: Vector, oracle: GradientOracle) {
      grad ??= new Float32Array(x.length);
      const loss = oracle(x, grad);
      for (let p = 0; p < x.length; p++) x[p] -= lr * grad[p];
      k++;
      return { loss, gradEvals: 1 };
    },
    state: () => ({ k }),
    load: (s) => { k = s.k; },
  };
}

describe('train()', () => {
  it('decreases the loss on a separable problem, deterministically for a seed; effective epochs = gradEvals / ⌈n/B⌉', async () => {
    const run = () => train({ model: model(), optimizer: tinySGD(0.2), data, epochs: 6, batchSize: 32, seed: 5 });
    const a = await run(), b = await run();
    expect(a.history.map((e) => [e.trainLoss, e.testError])).toEqual(b.history.map((e) => [e.trainLoss, e.testError]));
    expect(a.history.length).toBe(6);
    expect(a.history[5].trainLoss).toBeLessThan(0.5 * a.history[0].trainLoss);
    expect(a.gradEvals).toBe(6 * 8); // 256 samples / 32 per batch = 8 minibatches per epoch
    expect(a.epochs).toBe(6);
    expect(a.final.error).toBeLessThan(10); // means ±(1, 1), σ = 0.7 per axis: Bayes error Φ(−√2/0.7) ≈ 2.2 %
    expect(a.subset).toEqual({ train: 256, test: 128, calibration: 256 });
  });

  it('resuming from a mid-run checkpoint gives the same parameters and history as an uninterrupted run', async () => {
    const straight = await train({ model: model(), optimizer: tinySGD(0.2), data, epochs: 4, batchSize: 32, seed: 5 });
    const half = await train({ model: model(), optimizer: tinySGD(0.2), data, epochs: 2, batchSize: 32, seed: 5 });
    const resumedModel = model(99); // different initialisation: the checkpoint must restore everything
    const resumed = await train({ model: resumedModel, optimizer: tinySGD(0.2), data, epochs: 4, batchSize: 32, seed: 5, resume: half.checkpoint });
    expect(resumedModel.params).toEqual(straight.checkpoint.network.params);
    const strip = (h: typeof straight.history) => h.map(({ wallMs: _w, ...rest }) => rest);
    expect(strip(resumed.history)).toEqual(strip(straight.history));
    expect(resumed.checkpoint.optimizer).toEqual({ k: 32 });
  });

  it('a NaN loss stops the run with an error naming the step and keeps the last good checkpoint', async () => {
    const breaking: Optimizer<{ k: number }> = { ...tinySGD(0.2) };
    const inner = tinySGD(0.2);
    let k = 0;
    breaking.step = (x, oracle) => { k++; if (k === 20) x[0] = NaN; return inner.step(x, oracle); };
    const err = await train({ model: model(), optimizer: breaking, data, epochs: 6, batchSize: 32, seed: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DivergenceError);
    // step 20 writes NaN into x before its oracle call, so its loss is NaN; evaluations happened after steps 8 and 16
    expect((err as DivergenceError).message).toMatch(/train: the loss is NaN at step 20 \(effective epoch 2\.375\); the last good checkpoint \(step 16\) is kept\./);
    expect((err as DivergenceError).step).toBe(20);
    expect((err as DivergenceError).lastGood?.steps).toBe(16);
  });

  it('an AbortSignal stops after the current step', async () => {
    const controller = new AbortController();
    const r = await train({
      model: model(), optimizer: tinySGD(0.2), data, epochs: 6, batchSize: 32, seed: 5, signal: controller.signal,
      onProgress: (p) => { if (p.phase === 'step' && p.step === 3) controller.abort(); },
    });
    expect([r.stopped, r.steps]).toEqual(['aborted', 3]);
  });

  it('epoch sampling visits every sample once per epoch', () => {
    const net = model();
    const d = blobs(64, 3);
    const { oracle } = networkOracle(net, d, { batchSize: 16, sampling: 'epoch', seed: 1 });
    const g = new Float32Array(net.paramCount);
    let total = 0;
    for (let i = 0; i < 4; i++) total += oracle(net.params, g);
    // The mean of the 4 batch losses is the full-data loss when the batches partition the data.
    const { oracle: one } = networkOracle(net, d, { batchSize: 64, sampling: 'epoch', seed: 1 });
    const full = one(net.params, g);
    // No dropout or BN, so per-sample losses do not depend on the batch: the mean of the 4 batch means
    // over a partition equals the full-data mean up to float32 rounding of the logits (~1e-7 relative).
    expect(Math.abs(total / 4 - full)).toBeLessThanOrEqual(1e-5 * full);
  });

  it('rejects bad input with clear errors', async () => {
    const net = model();
    await expect(train({ model: net, optimizer: tinySGD(0.1), data, epochs: 0 })).rejects.toThrow(/train: epochs must be finite and > 0; got 0\./);
    const badLabels = { ...data.train, labels: Int32Array.from(data.train.labels).fill(2, 7, 8) };
    await expect(train({ model: net, optimizer: tinySGD(0.1), data: { ...data, train: badLabels }, epochs: 1 })).rejects.toThrow(/train: labels must lie in \[0, 2\); got 2 at sample 7\./);
    const { oracle } = networkOracle(net, data.train);
    expect(() => oracle(new Float32Array(3), new Float32Array(3))).toThrow(/networkOracle: x and grad must have 42 entries \(the network's parameters\); got 3 and 3\./);
    expect(() => networkOracle(net, data.train, { sampling: 'bogus' as 'epoch' })).toThrow(/networkOracle: sampling must be 'replacement' \| 'epoch'; got "bogus"\./);
  });
});

describe('train() with the optimizers of src/optim', () => {
  it('SGD with Nesterov momentum and Entropy-SGD both lower the loss of the blobs problem', async () => {
    const { sgd, entropySGD } = await import('../../src/optim/index.js');
    for (const optimizer of [sgd({ lr: 0.05, momentum: 0.9, nesterov: true }), entropySGD({ lr: 1, t: 10, innerSteps: 3, innerLr: 0.1, form: 'coupling' })]) {
      const r = await train({ model: model(), optimizer: optimizer as Optimizer<unknown>, data, epochs: 4, batchSize: 32, seed: 5 });
      expect(r.history[r.history.length - 1].trainLoss).toBeLessThan(r.history[0].trainLoss);
    }
  });
});
