/**
 * The layer contract of the sampled-gradient backend. A layer maps a batch of per-sample tensors
 * (row-major, sample index slowest, float32) to another, and back-propagates: `backward` receives
 * ∂L/∂y for the batch of its last `forward`, writes ∂L/∂θ into its gradient view and returns
 * ∂L/∂x. Parameters live in one flat Float32Array per network; a layer sees views into it.
 */
import type { Rng } from '../util/random.js';
import type { MatmulEngine } from './engine.js';

/**
 * 'train': dropout active, batch-norm with batch statistics (running statistics updated);
 * 'calibrate': dropout off, batch-norm with batch statistics, running statistics re-estimated as
 * the average over the calibration pass (the paper's BN recalibration before evaluation);
 * 'eval': dropout off, batch-norm with running statistics.
 */
export type Mode = 'train' | 'eval' | 'calibrate';

/** What a forward or backward pass needs besides the data. */
export interface PassContext {
  /** Number of samples in the batch. */
  batch: number;
  mode: Mode;
  engine: MatmulEngine;
  /** Stream for dropout masks (drawn in forward, in layer order). */
  rng: Rng;
}

/** One layer. Shapes are per sample (the batch dimension is implicit). */
export interface Layer {
  /** Short description, e.g. 'linear(784→1024)'. */
  readonly kind: string;
  readonly inShape: readonly number[];
  readonly outShape: readonly number[];
  /** Trainable parameters (weights, biases, BN scale/shift). */
  readonly paramCount: number;
  /** Non-trained state saved in checkpoints (BN running mean and variance), possibly empty. */
  readonly buffers: Float32Array[];
  /** Binds this layer's views into the network's flat parameter and gradient vectors. */
  bind(params: Float32Array, grads: Float32Array): void;
  /** Seeded initialisation of the bound parameters (and reset of buffers). */
  init(rng: Rng): void;
  /** y for the batch; the returned array is owned by the layer (valid until the next forward). */
  forward(x: Float32Array, ctx: PassContext): Float32Array;
  /**
   * Writes ∂L/∂θ (overwriting) and returns ∂L/∂x, or null when `needInput` is false (first layer).
   * Must follow the `forward` of the same batch.
   */
  backward(dy: Float32Array, ctx: PassContext, needInput: boolean): Float32Array | null;
  /** Starts a calibration pass (batch-norm only): running statistics are re-estimated from scratch. */
  resetStatistics?(): void;
}

/** Builds a layer once the input shape is known (used by {@link sequential}). */
export type LayerFactory = (inShape: readonly number[]) => Layer;

/** Product of a shape's entries. */
export function shapeSize(shape: readonly number[]): number {
  let s = 1;
  for (const d of shape) s *= d;
  return s;
}

/**
 * A float32 scratch buffer of at least `size` entries, reallocated only when it must grow (in the
 * engine's own memory when it has one, so its kernels work in place).
 */
export function ensure(buffer: Float32Array, size: number, engine?: MatmulEngine): Float32Array {
  if (buffer.length >= size) return buffer;
  return engine?.alloc ? engine.alloc(size) : new Float32Array(size);
}

/** An empty float32 scratch buffer typed over any ArrayBuffer (so views and fresh arrays mix). */
export function emptyBuffer(): Float32Array {
  return new Float32Array(0);
}
