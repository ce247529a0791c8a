/**
 * The sampled-gradient oracle of a network: each call draws a seeded minibatch and returns the
 * minibatch loss f_Ξ(x) = (1/|Ξ|) Σ_{s∈Ξ} ℓ(x; s) (+ (λ/2)|x|²) with its gradient — the
 * `GradientOracle` that every optimizer in src/optim consumes.
 */
import type { GradientOracle, Vector } from '../optim/types.js';
import { Rng, type RngState } from '../util/random.js';
import { mustBe, mustBeInteger } from '../util/validate.js';
import type { Dataset } from './data.js';
import { l2Penalty } from './loss.js';
import type { Network } from './network.js';

/** How minibatches are drawn. */
export type Sampling = 'replacement' | 'epoch';

/** Options of {@link networkOracle}. */
export interface NetworkOracleOptions {
  /** Samples per minibatch, an integer in [1, data.count] for 'epoch'. @defaultValue 128 */
  batchSize?: number;
  /** Seed of the sampling stream. @defaultValue 0 */
  seed?: number;
  /**
   * 'replacement': each sample uniform over the data, independently (the authors' protocol,
   * torch.multinomial); 'epoch': a fresh permutation per epoch, consumed in order (the last
   * partial batch is dropped). @defaultValue 'replacement'
   */
  sampling?: Sampling;
  /** L2 coefficient λ ≥ 0 added as (λ/2)|x|². @defaultValue 0 */
  l2?: number;
}

/** Defaults of {@link NetworkOracleOptions}. */
export const NETWORK_ORACLE_DEFAULTS = { batchSize: 128, seed: 0, sampling: 'replacement', l2: 0 } as const;

/** Checkpoint of a {@link NetworkOracle}. */
export interface NetworkOracleState { calls: number; rng: RngState; permutation: Int32Array; cursor: number }

/** A network's minibatch oracle with its sampling state. */
export interface NetworkOracle {
  /** (x, grad) ↦ loss: copies x into the network (unless x is `network.params`), writes ∇f_Ξ(x) into grad. */
  readonly oracle: GradientOracle;
  /** Minibatches per epoch, ⌈n / batchSize⌉ (the effective-epoch unit). */
  readonly batchesPerEpoch: number;
  /** Oracle calls so far. */
  readonly calls: number;
  state(): NetworkOracleState;
  load(state: NetworkOracleState): void;
}

/**
 * Builds the sampled-gradient oracle of `network` on `data`.
 * @throws RangeError for a dataset that does not fit the network, bad labels, or bad options;
 *   the oracle itself throws if x or grad does not have `network.paramCount` entries
 * @example const { oracle } = networkOracle(net, train, { seed: 1 }); sgd({ lr: 0.1 }).step(net.params, oracle);
 */
export function networkOracle(network: Network, data: Dataset, options: NetworkOracleOptions = {}): NetworkOracle {
  const fn = 'networkOracle';
  network.checkData(fn, data);
  const batchSize = options.batchSize ?? NETWORK_ORACLE_DEFAULTS.batchSize;
  const seed = options.seed ?? NETWORK_ORACLE_DEFAULTS.seed;
  const sampling = options.sampling ?? NETWORK_ORACLE_DEFAULTS.sampling;
  const l2 = options.l2 ?? NETWORK_ORACLE_DEFAULTS.l2;
  mustBeInteger(fn, 'batchSize', batchSize, 1, sampling === 'epoch' ? data.count : Number.MAX_SAFE_INTEGER);
  mustBeInteger(fn, 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
  mustBe(fn, 'sampling', sampling, sampling === 'replacement' || sampling === 'epoch', "'replacement' | 'epoch'");
  mustBe(fn, 'l2', l2, typeof l2 === 'number' && l2 >= 0 && Number.isFinite(l2), 'finite and ≥ 0');

  let rng = new Rng(seed);
  let calls = 0, cursor = data.count; // cursor at the end: the first 'epoch' call draws a permutation
  const permutation = new Int32Array(data.count);
  for (let i = 0; i < data.count; i++) permutation[i] = i;
  const indices = new Int32Array(batchSize);
  const n = network.paramCount;

  const oracle: GradientOracle = (x: Vector, grad: Vector): number => {
    if (x.length !== n || grad.length !== n) {
      throw new RangeError(`networkOracle: x and grad must have ${n} entries (the network's parameters); got ${x.length} and ${grad.length}.`);
    }
    if (sampling === 'replacement') {
      for (let i = 0; i < batchSize; i++) indices[i] = rng.integer(data.count);
    } else {
      if (cursor + batchSize > data.count) { rng.shuffle(permutation); cursor = 0; }
      indices.set(permutation.subarray(cursor, cursor + batchSize)); cursor += batchSize;
    }
    if (x !== network.params) network.params.set(x);
    const { inputs, labels } = network.gather(data, indices);
    // grad filled layer by layer during the backward pass (beside the worker's products), not copied after.
    const out = grad instanceof Float32Array ? grad : undefined;
    let loss = network.lossAndGradient(inputs, labels, batchSize, out);
    if (!out) grad.set(network.grads);
    loss += l2Penalty(x, l2, grad);
    // The copy into grad checked every value (engine memory on both sides); λx added after it is not.
    certificate = l2 === 0 ? network.lastGradientFinite ?? undefined : undefined;
    calls++;
    return loss;
  };
  let certificate: boolean | undefined;
  // The gradientFinite certificate of the last call (GradientOracle): optimizers then skip their own check.
  Object.defineProperty(oracle, 'gradientFinite', { get: () => certificate });

  return {
    oracle,
    batchesPerEpoch: Math.ceil(data.count / batchSize),
    get calls() { return calls; },
    state: () => ({ calls, rng: rng.state(), permutation: permutation.slice(), cursor }),
    load(state: NetworkOracleState) {
      mustBe('NetworkOracle.load', 'permutation.length', state.permutation.length, state.permutation.length === data.count, `${data.count}`);
      calls = state.calls; rng = Rng.fromState(state.rng); permutation.set(state.permutation); cursor = state.cursor;
    },
  };
}
