/**
 * How many threads the optimizers' elementwise kernel passes use (src/optim/kernel-worker.ts): a
 * process-wide (per JavaScript thread) setting, read at every kernel call. 1 and 2 threads give
 * bit-identical results: a split pass computes every element with the arithmetic of the whole pass.
 */
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { mustBe } from '../util/validate.js';

/**
 * Passes over fewer elements than this run on the calling thread alone: below it the hand-off
 * (a wake-up of tens of µs when the worker sleeps) is a large part of the pass.
 */
export const SPLIT_MIN = 1 << 16;

// Default: 2 on the main thread of a machine with 2+ cores. In a worker thread (the replicas of
// elasticSGDParallel) the other cores already run the other replicas: 1.
let threads: 1 | 2 = isMainThread && availableParallelism() >= 2 ? 2 : 1;

/**
 * Sets the threads of the optimizers' kernel passes: 2 splits each elementwise pass over
 * ≥ {@link SPLIT_MIN} elements between the calling thread and one shared worker thread (started
 * at the first such pass); 1 runs every pass on the calling thread.
 * @throws RangeError unless n is 1 or 2
 */
export function setOptimizerThreads(n: 1 | 2): void {
  mustBe('setOptimizerThreads', 'n', n, n === 1 || n === 2, '1 or 2');
  threads = n;
}

/** The current setting of {@link setOptimizerThreads}. */
export function optimizerThreads(): 1 | 2 { return threads; }
