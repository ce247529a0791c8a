// Reference twin: src/optim/sgd.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit. Changed since: a Float32Array is computed
// in float32 (Math.fround after every operation), as the momentum kernel does (f32x4, wasm/assembly/optim-update.ts).
/**
 * SGD with heavy-ball or Nesterov momentum and L2 weight decay (PyTorch's convention, as in the
 * reference code's baseline, paper-notes §4.4): d = ∇f(x) + wd·x;  b ← m·b + d;
 * x ← x − lr·(nesterov ? d + m·b : b).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from '../../../src/optim/types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from '../../../src/optim/schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag } from '../../../src/optim/options.js';
import { requireFiniteOutput } from '../../../src/optim/finite.js';
import { adopt, snapshot } from '../../../src/optim/vectors.js';
import { momentumStep } from './momentum.js';

/** Options of {@link sgd}. */
export interface SGDOptions {
  /** Step size η (number or schedule of the step index), > 0. */
  lr: ScheduleLike;
  /** Momentum m ∈ [0, 1). @defaultValue 0 */
  momentum?: number;
  /** Nesterov's variant (d + m·b). @defaultValue false */
  nesterov?: boolean;
  /** L2 weight decay wd ≥ 0 added to the gradient. @defaultValue 0 */
  weightDecay?: number;
}

/** Defaults of {@link SGDOptions}. */
export const SGD_DEFAULTS = { momentum: 0, nesterov: false, weightDecay: 0 } as const;

/** Checkpoint of {@link sgd}: step counter and momentum buffer (null before the first step). */
export interface SGDState { k: number; velocity: Float64Array | null }

class SGD implements Optimizer<SGDState> {
  readonly name = 'sgd';
  private k = 0;
  private velocity: Vector | null = null;
  private grad: Vector | null = null;
  constructor(private readonly lr: Schedule, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    this.velocity = adopt('sgd', this.velocity, x);
    const grad = (this.grad = adopt('sgd', this.grad, x));
    const lr = scheduleValue('sgd', 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, grad);
    requireFiniteOutput('sgd', loss, grad, this.k);
    // A Float32Array in float32 (Math.fround after every operation, scalars rounded first), as the kernel computes it.
    const float32 = x instanceof Float32Array, R = float32 ? Math.fround : (v: number): number => v, wd = R(this.weightDecay);
    if (this.weightDecay !== 0) for (let p = 0; p < x.length; p++) grad[p] = R(grad[p] + R(wd * x[p]));
    momentumStep(x, grad, this.velocity, lr, this.momentum, this.nesterov, float32);
    this.k++;
    return { loss, gradEvals: 1 };
  }
  state(): SGDState { return { k: this.k, velocity: snapshot(this.velocity) }; }
  load(s: SGDState): void { this.k = s.k; this.velocity = snapshot(s.velocity); }
}

/**
 * Stochastic gradient descent with optional (Nesterov) momentum and weight decay.
 * One oracle call per step.
 * @throws RangeError if lr ≤ 0 or not finite, momentum ∉ [0, 1), weightDecay < 0
 * @example const opt = sgd({ lr: 0.5 }); opt.step(x, objective({ dim: 1, f: 'x^2/2' }).oracle); // x ← x/2
 */
export function sgd(opts: SGDOptions): Optimizer<SGDState> {
  const fn = 'sgd';
  return new SGD(positiveSchedule(fn, 'lr', opts.lr),
    momentumValue(fn, 'momentum', opts.momentum ?? SGD_DEFAULTS.momentum),
    flag(fn, 'nesterov', opts.nesterov ?? SGD_DEFAULTS.nesterov),
    nonnegative(fn, 'weightDecay', opts.weightDecay ?? SGD_DEFAULTS.weightDecay));
}
