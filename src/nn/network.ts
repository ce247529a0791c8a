/**
 * A sequential network over one flat float32 parameter vector: layers hold views into `params`
 * and `grads`, so optimizers see the whole network as one vector x ∈ ℝⁿ. Loss: mean softmax
 * cross-entropy on the last layer's outputs (the logits).
 */
import { Rng, type RngState } from '../util/random.js';
import { mustBe, mustBeInteger } from '../util/validate.js';
import type { MatmulEngine } from './engine.js';
import { defaultEngine } from './wasm-engine.js';
import { emptyBuffer, ensure, shapeSize, type Layer, type LayerFactory, type Mode, type PassContext } from './layer.js';
import { softmaxCrossEntropy } from './loss.js';
import { validateDataset, type Dataset } from './data.js';

/** Options of {@link sequential} and the model factories. */
export interface NetworkOptions {
  /** Matrix-product engine. @defaultValue the process-wide 'wasm-simd' engine (see createEngine) */
  engine?: MatmulEngine;
  /** Seed of the initialisation and of the dropout stream. @defaultValue 0 */
  seed?: number;
}

/** Everything that defines a network's behaviour besides its architecture (plain, cloneable). */
export interface NetworkState {
  params: Float32Array;
  /** Batch-norm running statistics, layer by layer. */
  buffers: Float32Array[];
  /** Dropout stream. */
  rng: RngState;
}

/** Error % and mean loss on a dataset. */
export interface Evaluation { error: number; loss: number; count: number }

/** A sequential network; build with {@link sequential}, {@link mnistfc} or {@link lenet}. */
export class Network {
  /** All trainable parameters, one flat vector (layers hold views into it). */
  readonly params: Float32Array;
  /** Gradient of the last {@link lossAndGradient}, same layout as `params`. */
  readonly grads: Float32Array;
  readonly layers: readonly Layer[];
  readonly outShape: readonly number[];
  readonly classes: number;
  engine: MatmulEngine;
  private rng: Rng;
  private readonly firstTrainable: number;
  /** Layer i's parameters are params[offsets[i] … offsets[i + 1]). */
  private readonly offsets: number[];
  private dLogits = emptyBuffer();
  private batchInputs = emptyBuffer();
  private batchLabels = new Int32Array(0);
  /** The last pass's gradient copy: 0 not checked, 1 checked and finite so far, 2 a non-finite value seen. */
  private copyCheck = 0;

  /** @internal use {@link sequential}. */
  constructor(readonly inShape: readonly number[], layers: Layer[], engine: MatmulEngine, seed: number) {
    this.layers = layers;
    const n = layers.reduce((sum, l) => sum + l.paramCount, 0);
    // In the engine's own memory where it has one: its products then read W and write ∂W in place.
    this.params = engine.alloc?.(n) ?? new Float32Array(n); this.grads = engine.alloc?.(n) ?? new Float32Array(n);
    let offset = 0;
    this.offsets = [0];
    for (const l of layers) {
      l.bind(this.params.subarray(offset, offset + l.paramCount), this.grads.subarray(offset, offset + l.paramCount));
      offset += l.paramCount;
      this.offsets.push(offset);
    }
    this.firstTrainable = layers.findIndex((l) => l.paramCount > 0);
    this.outShape = layers.length ? layers[layers.length - 1].outShape : inShape;
    this.classes = shapeSize(this.outShape);
    this.engine = engine;
    const init = new Rng(seed).split(0);
    for (const l of layers) l.init(init);
    this.rng = new Rng(seed).split(1);
  }

  /** Number of trainable parameters. */
  get paramCount(): number { return this.params.length; }

  /** One line per layer with its parameter count. */
  summary(): string {
    return this.layers.map((l) => `${l.kind}: [${l.outShape.join(', ')}], ${l.paramCount} parameters`).join('\n');
  }

  /** Logits for `batch` samples (batch × classes; owned by the network, valid until the next pass). */
  forward(inputs: Float32Array, batch: number, mode: Mode): Float32Array {
    const need = batch * shapeSize(this.inShape);
    if (inputs.length < need) throw new RangeError(`Network.forward: inputs must hold batch × ${shapeSize(this.inShape)} = ${need} values; got ${inputs.length}.`);
    const ctx: PassContext = { batch, mode, engine: this.engine, rng: this.rng };
    let x = inputs;
    for (const l of this.layers) x = l.forward(x, ctx);
    return x;
  }

  /**
   * Mean cross-entropy of a training-mode pass on the batch, with its gradient written to
   * `grads` (dropout and batch statistics as in training), and also to `out` when given (each
   * layer's part copied as soon as it is final, beside the worker's share of the next products
   * on a threaded engine).
   */
  lossAndGradient(inputs: Float32Array, labels: Int32Array, batch: number, out?: Float32Array): number {
    if (out && out.length < this.grads.length) throw new RangeError(`Network.lossAndGradient: out must hold ${this.grads.length} values; got ${out.length}.`);
    this.copyCheck = out && out !== this.grads ? 1 : 0;
    // A threaded engine's worker stays awake for the whole pass (products and ops back to back).
    this.engine.hold?.(true);
    try {
      return this.trainPass(inputs, labels, batch, out === this.grads ? undefined : out);
    } finally {
      try { this.engine.flush?.(); } finally { this.engine.hold?.(false); }
    }
  }

  /**
   * Whether the gradient the last {@link lossAndGradient} copied into its `out` is finite, known from
   * the copy itself (the engine's copyFinite: the check rides along the copy, which memory bounds):
   * true or false when every layer's slice was copied that way, null otherwise (no `out`, or an
   * engine or array that cannot).
   */
  get lastGradientFinite(): boolean | null {
    return this.copyCheck === 1 ? true : this.copyCheck === 2 ? false : null;
  }

  private trainPass(inputs: Float32Array, labels: Int32Array, batch: number, out: Float32Array | undefined): number {
    const logits = this.forward(inputs, batch, 'train');
    this.dLogits = ensure(this.dLogits, batch * this.classes);
    const loss = softmaxCrossEntropy(logits, labels, batch, this.classes, this.dLogits);
    const ctx: PassContext = { batch, mode: 'train', engine: this.engine, rng: this.rng };
    // Layers before the first one with parameters need no ∂x (nothing upstream to train).
    let dy: Float32Array | null = this.dLogits;
    for (let i = this.layers.length - 1; i >= 0 && dy; i--) {
      dy = this.layers[i].backward(dy, ctx, i > this.firstTrainable);
      const from = this.offsets[i], to = this.offsets[i + 1];
      if (!out || to === from) continue;
      const copy = (): void => {
        const src = this.grads.subarray(from, to), dst = out.subarray(from, to);
        const finite = this.engine.ops?.copyFinite(src, dst) ?? null;
        if (finite === null) { dst.set(src); this.copyCheck = 0; } else if (!finite && this.copyCheck === 1) this.copyCheck = 2;
      };
      if (this.engine.defer) this.engine.defer(copy); else copy();
    }
    return loss;
  }

  /** Copies samples `indices` of `data` into the internal batch buffers; returns them. */
  gather(data: Dataset, indices: ArrayLike<number>, from = 0, count = indices.length): { inputs: Float32Array; labels: Int32Array } {
    const size = shapeSize(data.shape);
    this.batchInputs = ensure(this.batchInputs, count * size, this.engine);
    if (this.batchLabels.length < count) this.batchLabels = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const s = indices[from + i];
      this.batchInputs.set(data.images.subarray(s * size, (s + 1) * size), i * size);
      this.batchLabels[i] = data.labels[s];
    }
    return { inputs: this.batchInputs, labels: this.batchLabels };
  }

  /**
   * The paper's batch-norm recalibration: with dropout off, feed `data` in order through the
   * network with batch statistics and set each BN layer's running statistics to the average over
   * the pass. Then 'eval' mode uses statistics of the current parameters.
   * @param batchSize - an integer ≥ 2 @defaultValue 500
   */
  recalibrate(data: Dataset, batchSize = 500): void {
    this.checkData('Network.recalibrate', data, false);
    mustBeInteger('Network.recalibrate', 'batchSize', batchSize, 2);
    if (!this.layers.some((l) => l.resetStatistics)) return;
    for (const l of this.layers) l.resetStatistics?.();
    const order = identity(data.count);
    for (let from = 0; from < data.count; from += batchSize) {
      let count = Math.min(batchSize, data.count - from);
      if (count < 2) { from -= 1; count = 2; } // a batch of one has no variance; re-use the previous sample
      const { inputs } = this.gather(data, order, from, count);
      this.forward(inputs, count, 'calibrate');
    }
  }

  /**
   * Error % (argmax ≠ label) and mean cross-entropy on `data` in 'eval' mode (running BN
   * statistics; call {@link recalibrate} first to follow the paper).
   */
  evaluate(data: Dataset, batchSize = 500): Evaluation {
    this.checkData('Network.evaluate', data);
    mustBeInteger('Network.evaluate', 'batchSize', batchSize, 1);
    const order = identity(data.count), k = this.classes;
    let wrong = 0, loss = 0;
    this.dLogits = ensure(this.dLogits, batchSize * k);
    for (let from = 0; from < data.count; from += batchSize) {
      const count = Math.min(batchSize, data.count - from);
      const { inputs, labels } = this.gather(data, order, from, count);
      const logits = this.forward(inputs, count, 'eval');
      loss += count * softmaxCrossEntropy(logits, labels, count, k, this.dLogits);
      for (let s = 0; s < count; s++) {
        let best = 0;
        for (let j = 1; j < k; j++) if (logits[s * k + j] > logits[s * k + best]) best = j;
        if (best !== labels[s]) wrong++;
      }
    }
    return { error: (100 * wrong) / data.count, loss: loss / data.count, count: data.count };
  }

  /** A copy of parameters, BN buffers and the dropout stream. */
  state(): NetworkState {
    return { params: this.params.slice(), buffers: this.layers.flatMap((l) => l.buffers.map((b) => b.slice())), rng: this.rng.state() };
  }

  /**
   * Restores {@link state} output.
   * @throws RangeError if the sizes do not match this architecture
   */
  load(state: NetworkState): void {
    const buffers = this.layers.flatMap((l) => l.buffers);
    mustBe('Network.load', 'params.length', state.params.length, state.params.length === this.params.length, `${this.params.length}`);
    mustBe('Network.load', 'buffers', state.buffers.length, state.buffers.length === buffers.length && buffers.every((b, i) => b.length === state.buffers[i].length),
      `${buffers.length} buffers of lengths [${buffers.map((b) => b.length).join(', ')}]`);
    this.params.set(state.params);
    buffers.forEach((b, i) => b.set(state.buffers[i]));
    this.rng = Rng.fromState(state.rng);
  }

  /**
   * @param labelled - also require `data.classes` to equal the network's outputs (not needed to recalibrate)
   * @throws RangeError if the data's shape (or classes) do not fit this network
   */
  checkData(fn: string, data: Dataset, labelled = true): void {
    validateDataset(fn, data);
    mustBe(fn, 'data.shape', data.shape, shapeSize(data.shape) === shapeSize(this.inShape), `of size ${shapeSize(this.inShape)} (network input [${this.inShape.join(', ')}])`);
    if (labelled) mustBe(fn, 'data.classes', data.classes, data.classes === this.classes, `${this.classes} (network outputs)`);
  }
}

function identity(n: number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/**
 * A sequential network: each factory receives the previous layer's output shape.
 * Parameters are initialised from `seed` (stream 0) and dropout draws from stream 1.
 * @param inShape - per-sample input shape, positive integers
 * @param factories - layer factories (`linear`, `conv2d`, `maxPool`, `relu`, `dropout`, `batchNorm`)
 * @throws RangeError for a bad shape or seed, or an incompatible layer
 * @example const net = sequential([784], [linear(10)], { seed: 1 }); net.paramCount // 7850
 */
export function sequential(inShape: readonly number[], factories: readonly LayerFactory[], options: NetworkOptions = {}): Network {
  mustBe('sequential', 'inShape', inShape, Array.isArray(inShape) && inShape.length > 0 && inShape.every((d) => Number.isInteger(d) && d > 0), 'a non-empty array of positive integers');
  const seed = options.seed ?? 0;
  mustBeInteger('sequential', 'seed', seed, 0, Number.MAX_SAFE_INTEGER);
  const layers: Layer[] = [];
  let shape = inShape;
  for (const f of factories) { const l = f(shape); layers.push(l); shape = l.outShape; }
  return new Network([...inShape], layers, options.engine ?? defaultEngine(), seed);
}
