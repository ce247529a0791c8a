/**
 * The training loop of the sampled-gradient backend: outer optimizer steps on a network's
 * minibatch oracle until a budget of effective epochs (gradient evaluations / minibatches per
 * epoch, the paper's "epochs × L") is spent, with an evaluation (BN recalibration, then test
 * error %) every `evalEvery` effective epochs, checkpoints, cancellation and divergence checks.
 */
import { performance } from 'node:perf_hooks';
import type { Optimizer } from '../optim/types.js';
import { mustBe, mustBeInteger } from '../util/validate.js';
import { saveCheckpoint, type Checkpoint, type HistoryEntry } from './checkpoint.js';
import { stratifiedIndices, subset, type Split } from './data.js';
import type { Network, Evaluation } from './network.js';
import { networkOracle, type Sampling } from './network-oracle.js';

/** Progress report: after every step ('step') and every evaluation ('eval'). */
export interface TrainProgress {
  phase: 'step' | 'eval';
  step: number;
  gradEvals: number;
  /** Effective epochs so far. */
  epoch: number;
  /** Budget in effective epochs. */
  epochs: number;
  /** Loss of the last step. */
  loss: number;
  wallMs: number;
  /** The new history entry (phase 'eval'). */
  entry?: HistoryEntry;
}

/** Options of {@link train}. */
export interface TrainOptions<S> {
  model: Network;
  optimizer: Optimizer<S>;
  /** Train and test splits (the test split is the paper's validation set). */
  data: Split;
  /** Budget in effective epochs (> 0). */
  epochs: number;
  /** Minibatch size. @defaultValue 128 */
  batchSize?: number;
  /** Seed of the minibatch stream. @defaultValue 0 */
  seed?: number;
  /** Minibatch sampling. @defaultValue 'replacement' */
  sampling?: Sampling;
  /** L2 coefficient λ ≥ 0. @defaultValue 0 */
  l2?: number;
  /** Effective epochs between evaluations (> 0). @defaultValue 1 */
  evalEvery?: number;
  /** Training samples fed in the BN recalibration pass (stratified, seed 0). @defaultValue all */
  calibrationSize?: number;
  onProgress?: (progress: TrainProgress) => void;
  /** Write a checkpoint at every evaluation (and on abort) to this file. */
  checkpointPath?: string;
  /** Continue from a checkpoint of the same model, optimizer and options. */
  resume?: Checkpoint<S>;
  /** Stop cleanly after the current step (a checkpoint is written if `checkpointPath` is set). */
  signal?: AbortSignal;
}

/** Outcome of {@link train} (plain data). */
export interface TrainResult<S> {
  history: HistoryEntry[];
  steps: number;
  gradEvals: number;
  /** Effective epochs done. */
  epochs: number;
  wallMs: number;
  stopped: 'completed' | 'aborted';
  /** Last evaluation. */
  final: Evaluation;
  /** Sizes behind every number. */
  subset: { train: number; test: number; calibration: number };
  checkpoint: Checkpoint<S>;
}

/** A run that produced a non-finite loss or parameters; carries the last good checkpoint. */
export class DivergenceError<S = unknown> extends Error {
  constructor(message: string, readonly step: number, readonly lastGood: Checkpoint<S> | null) {
    super(message);
    this.name = 'DivergenceError';
  }
}

/**
 * Trains `model` with `optimizer` on minibatches of `data.train` for `epochs` effective epochs.
 * Evaluation (every `evalEvery` effective epochs and at the end): BN recalibration on the
 * training set, then error % and loss on `data.test`.
 * @throws RangeError for bad options or data; DivergenceError (with `step` and `lastGood`) when a
 *   step returns a non-finite loss or leaves non-finite parameters
 * @example const r = await train({ model: lenet(), optimizer: sgd({ lr: 0.1 }), data: mnistSplit(), epochs: 5 });
 */
export async function train<S>(options: TrainOptions<S>): Promise<TrainResult<S>> {
  const fn = 'train';
  const { model, optimizer, data, epochs, onProgress, checkpointPath, resume, signal } = options;
  mustBe(fn, 'epochs', epochs, typeof epochs === 'number' && epochs > 0 && Number.isFinite(epochs), 'finite and > 0');
  const evalEvery = options.evalEvery ?? 1;
  mustBe(fn, 'evalEvery', evalEvery, typeof evalEvery === 'number' && evalEvery > 0 && Number.isFinite(evalEvery), 'finite and > 0');
  model.checkData(fn, data.train); model.checkData(fn, data.test);
  const calibrationSize = options.calibrationSize ?? data.train.count;
  mustBeInteger(fn, 'calibrationSize', calibrationSize, 2, data.train.count);
  const calibration = calibrationSize === data.train.count ? data.train : subset(data.train, stratifiedIndices(data.train, calibrationSize, 0));
  const sampler = networkOracle(model, data.train, { batchSize: options.batchSize, seed: options.seed, sampling: options.sampling, l2: options.l2 });
  const nb = sampler.batchesPerEpoch;

  let steps = 0, gradEvals = 0, wallBefore = 0, lossSum = 0, lossCount = 0, nextEval = evalEvery;
  let history: HistoryEntry[] = [];
  if (resume) {
    mustBe(fn, 'resume', resume.optimizerName, resume.optimizerName === optimizer.name && resume.paramCount === model.paramCount,
      `a checkpoint of optimizer '${optimizer.name}' on ${model.paramCount} parameters`);
    model.load(resume.network); optimizer.load(structuredClone(resume.optimizer)); sampler.load(resume.sampler);
    ({ steps, gradEvals, lossSum, lossCount, nextEval } = resume);
    wallBefore = resume.wallMs; history = resume.history.map((e) => ({ ...e }));
  }
  const start = performance.now();
  const wall = () => wallBefore + performance.now() - start;
  const snapshot = (): Checkpoint<S> => ({
    version: 1, optimizerName: optimizer.name, paramCount: model.paramCount, network: model.state(),
    optimizer: structuredClone(optimizer.state()), sampler: sampler.state(), steps, gradEvals, wallMs: wall(),
    lossSum, lossCount, nextEval, history: history.map((e) => ({ ...e })),
  });
  let lastGood: Checkpoint<S> | null = resume ?? null;
  let final: Evaluation | null = null;

  const evaluate = (): void => {
    model.recalibrate(calibration);
    final = model.evaluate(data.test);
    const entry: HistoryEntry = {
      epoch: gradEvals / nb, step: steps, gradEvals, trainLoss: lossCount ? lossSum / lossCount : NaN,
      testError: final.error, testLoss: final.loss, wallMs: wall(),
    };
    history.push(entry);
    lossSum = 0; lossCount = 0;
    lastGood = snapshot();
    if (checkpointPath) saveCheckpoint(checkpointPath, lastGood);
    onProgress?.({ phase: 'eval', step: steps, gradEvals, epoch: entry.epoch, epochs, loss: entry.trainLoss, wallMs: entry.wallMs, entry });
  };
  const diverged = (what: string, step: number): never => {
    throw new DivergenceError(`train: ${what} at step ${step} (effective epoch ${(gradEvals / nb).toFixed(3)}); `
      + (lastGood ? `the last good checkpoint (step ${lastGood.steps}) is kept${checkpointPath ? ` in ${checkpointPath}` : ''}.` : 'no good checkpoint yet.'),
    step, lastGood);
  };

  let stopped: 'completed' | 'aborted' = 'completed';
  while (gradEvals < epochs * nb) {
    if (signal?.aborted) { stopped = 'aborted'; break; }
    let result;
    try {
      result = optimizer.step(model.params, sampler.oracle);
    } catch (error) {
      if (error instanceof RangeError && /finite|NaN/i.test(error.message)) diverged(`the optimizer stopped on a non-finite value (${error.message})`, steps + 1);
      throw error;
    }
    if (!Number.isFinite(result.loss)) diverged(`the loss is ${result.loss}`, steps + 1);
    steps++; gradEvals += result.gradEvals; lossSum += result.loss; lossCount++;
    onProgress?.({ phase: 'step', step: steps, gradEvals, epoch: gradEvals / nb, epochs, loss: result.loss, wallMs: wall() });
    if (gradEvals >= nextEval * nb - 1e-9 || gradEvals >= epochs * nb) {
      const params = model.params;
      for (let p = 0; p < params.length; p++) if (!Number.isFinite(params[p])) diverged(`parameter ${p} is ${params[p]}`, steps);
      evaluate();
      while (nextEval * nb <= gradEvals + 1e-9) nextEval += evalEvery;
    }
    // Let pending events (Ctrl-C → AbortSignal) run between steps.
    if (signal) await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (stopped === 'aborted' && checkpointPath) saveCheckpoint(checkpointPath, snapshot());
  if (final === null) { model.recalibrate(calibration); final = model.evaluate(data.test); }
  return {
    history, steps, gradEvals, epochs: gradEvals / nb, wallMs: wall(), stopped, final,
    subset: { train: data.train.count, test: data.test.count, calibration: calibration.count },
    checkpoint: snapshot(),
  };
}
