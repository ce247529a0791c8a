/**
 * Stochastic oracles with their own seeded stream (src/util/random.ts), checkpointable so that a
 * resumed run draws the same minibatches: additive Gaussian gradient noise, a closure given the
 * stream, and minibatches drawn with replacement from a finite sum f = (1/n) Σ f_i (the reference
 * code samples with replacement, `torch.multinomial`).
 */
import type { GradientOracle, Vector } from './types.js';
import { Rng, type RngState } from '../util/random.js';
import { mustBe, mustBeInteger, mustBeType } from '../util/validate.js';
import { vectorLike } from './vectors.js';

/** An oracle whose randomness is a seeded stream, with that stream's state for checkpoints. */
export interface SeededOracle {
  /** Draws fresh randomness on each call. */
  readonly oracle: GradientOracle;
  /** Snapshot of the stream. */
  state(): RngState;
  /** Restores a {@link SeededOracle.state} snapshot. */
  load(state: RngState): void;
}

/**
 * A stochastic oracle from a closure given the point, the gradient buffer and the seeded stream.
 * @param fn - returns the (minibatch) loss and writes its gradient, drawing randomness only from `rng`
 * @param seed - non-negative integer
 * @example const s = stochasticOracle((x, g, rng) => { g[0] = x[0] + 0.1 * rng.normal(); return x[0] ** 2 / 2; }, 7);
 */
export function stochasticOracle(fn: (x: Vector, grad: Vector, rng: Rng) => number, seed: number): SeededOracle {
  mustBeType('stochasticOracle', 'fn', fn, typeof fn === 'function', 'a function (x, grad, rng) => loss');
  let rng = new Rng(seed);
  return {
    oracle: (x, grad) => fn(x, grad, rng),
    state: () => rng.state(),
    load: (s) => { rng = Rng.fromState(s); },
  };
}

/**
 * ∇f + σ·ξ, ξ ~ N(0, I) drawn fresh per call (the loss is f, exact): an unbiased gradient with
 * covariance σ²I, the simplest model of minibatch noise.
 * @param base - exact oracle
 * @param opts.sigma - noise standard deviation per coordinate, finite and ≥ 0
 * @param opts.seed - non-negative integer
 * @throws RangeError if sigma < 0 or the seed is invalid
 */
export function noisyOracle(base: GradientOracle, opts: { sigma: number; seed: number }): SeededOracle {
  const { sigma, seed } = opts;
  mustBe('noisyOracle', 'sigma', sigma, Number.isFinite(sigma) && sigma >= 0, 'finite and ≥ 0');
  return stochasticOracle((x, grad, rng) => {
    const loss = base(x, grad);
    if (sigma > 0) for (let p = 0; p < grad.length; p++) grad[p] += sigma * rng.normal();
    return loss;
  }, seed);
}

/** How minibatches are drawn in {@link minibatchOracle}. */
export interface MinibatchOptions {
  /** n, the number of examples (an integer ≥ 1). */
  size: number;
  /** b, examples per minibatch (an integer ≥ 1), drawn uniformly with replacement. */
  batchSize: number;
  /** Seed of the sampling stream. */
  seed: number;
}

/**
 * The minibatch estimate (1/b) Σ_{i ∈ B} f_i(x) and its gradient, B drawn with replacement.
 * @param example - f_i: returns the loss of example i and writes its gradient into `grad`
 *   (overwriting it); called b times per evaluation
 * @throws RangeError for invalid sizes or seed
 * @example minibatchOracle({ size: 100, batchSize: 10, seed: 1 }, (x, i, g) => { g[0] = x[0] - data[i]; return (x[0] - data[i]) ** 2 / 2; })
 */
export function minibatchOracle(opts: MinibatchOptions, example: (x: Vector, index: number, grad: Vector) => number): SeededOracle {
  const { size, batchSize } = opts;
  mustBeInteger('minibatchOracle', 'size', size, 1);
  mustBeInteger('minibatchOracle', 'batchSize', batchSize, 1);
  mustBeType('minibatchOracle', 'example', example, typeof example === 'function', 'a function (x, index, grad) => loss');
  let scratch: Vector | null = null;
  return stochasticOracle((x, grad, rng) => {
    if (scratch === null || scratch.length !== x.length) scratch = vectorLike(x);
    grad.fill(0);
    let loss = 0;
    for (let j = 0; j < batchSize; j++) {
      loss += example(x, rng.integer(size), scratch);
      for (let p = 0; p < grad.length; p++) grad[p] += scratch[p];
    }
    const inv = 1 / batchSize;
    for (let p = 0; p < grad.length; p++) grad[p] *= inv;
    return loss * inv;
  }, opts.seed);
}
