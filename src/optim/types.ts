/**
 * The contract between objectives and optimizers. Optimizers work on flat parameter vectors
 * (Float64Array for low-dimensional objectives, Float32Array for networks) and call an oracle
 * for (minibatch) gradients; a wrapper that needs several gradients per outer step calls the
 * oracle itself (STYLE.md §2), and reports how many it used.
 */

/** A flat parameter or gradient vector. */
export type Vector = Float64Array | Float32Array;

/**
 * Evaluates the loss at `x` and writes its gradient into `grad` (same length and type as x).
 * A stochastic oracle draws a fresh minibatch on each call from its own seeded stream.
 *
 * An oracle may also carry a property `gradientFinite` (see {@link gradientFiniteOf}): after each
 * call, `true` certifies that every entry of the gradient it just wrote is finite (checked while it
 * wrote them), `false` that one is not, anything else that it did not check. Optimizers that must
 * check the gradient before writing x (SGD, Adam) then skip their own pass over it. `networkOracle`
 * certifies its gradient when it is copied into an optimizer's vector in the engine's memory.
 * @returns the (minibatch) loss at x
 */
export type GradientOracle = (x: Vector, grad: Vector) => number;

/** The `gradientFinite` certificate an oracle gave for its last call (undefined: none; see {@link GradientOracle}). */
export function gradientFiniteOf(oracle: GradientOracle): boolean | undefined {
  const v = (oracle as { gradientFinite?: unknown }).gradientFinite;
  return typeof v === 'boolean' ? v : undefined;
}

/** What one outer step did. */
export interface StepResult {
  /** Loss reported by the oracle at the first evaluation of this step (at the anchor x). */
  loss: number;
  /** Oracle calls made in this step (the paper's effective-epoch accounting counts these). */
  gradEvals: number;
}

/** A stateful optimizer built by a validating factory (`sgd({...})`, `entropySGD({...})`, …). */
export interface Optimizer<S = unknown> {
  /** Short algorithm name, e.g. 'entropy-sgd'. */
  readonly name: string;
  /** One outer step: updates x in place. */
  step(x: Vector, oracle: GradientOracle): StepResult;
  /** A structuredClone-able snapshot of all internal state (buffers, counters, RNG). */
  state(): S;
  /** Restores a snapshot taken by {@link state}. */
  load(state: S): void;
}
