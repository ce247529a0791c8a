/**
 * Training checkpoints: everything needed to continue a run identically (parameters, BN
 * buffers, dropout stream, optimizer state, sampling stream, counters, history), as plain data,
 * stored with Node's structured serialisation (typed arrays kept exactly).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import type { NetworkState } from './network.js';
import type { NetworkOracleState } from './network-oracle.js';

/** One evaluation of a training run. */
export interface HistoryEntry {
  /** Effective epochs = gradient evaluations / minibatches per epoch. */
  epoch: number;
  /** Outer optimizer steps so far. */
  step: number;
  gradEvals: number;
  /** Mean minibatch loss reported by the steps since the previous evaluation. */
  trainLoss: number;
  /** Error % on the test split (after BN recalibration). */
  testError: number;
  /** Mean cross-entropy on the test split. */
  testLoss: number;
  /** Wall time since the start of the run (ms), evaluations included. */
  wallMs: number;
}

/** A resumable snapshot of a run. */
export interface Checkpoint<S = unknown> {
  version: 1;
  optimizerName: string;
  paramCount: number;
  network: NetworkState;
  optimizer: S;
  sampler: NetworkOracleState;
  steps: number;
  gradEvals: number;
  wallMs: number;
  /** Running sum and count of step losses since the last evaluation. */
  lossSum: number;
  lossCount: number;
  /** Effective epoch of the next scheduled evaluation. */
  nextEval: number;
  history: HistoryEntry[];
}

/**
 * Writes a checkpoint atomically (temporary file, then rename), creating the folder.
 * @example saveCheckpoint('runs/sgd.ckpt', result.checkpoint);
 */
export function saveCheckpoint(file: string, checkpoint: Checkpoint): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, v8.serialize(checkpoint));
  fs.renameSync(tmp, file);
}

/**
 * Reads a checkpoint written by {@link saveCheckpoint}.
 * @throws RangeError if the file is not a version-1 checkpoint
 */
export function loadCheckpoint<S = unknown>(file: string): Checkpoint<S> {
  const value = v8.deserialize(fs.readFileSync(file)) as Checkpoint<S>;
  if (typeof value !== 'object' || value === null || value.version !== 1) {
    throw new RangeError(`loadCheckpoint: ${file} must be a version-1 deeprelax checkpoint; got ${typeof value === 'object' && value ? `version ${String(value.version)}` : typeof value}.`);
  }
  return value;
}
