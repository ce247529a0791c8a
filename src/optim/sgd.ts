/**
 * SGD with heavy-ball or Nesterov momentum and L2 weight decay (PyTorch's convention, as in the
 * reference code's baseline, paper-notes §4.4): d = ∇f(x) + wd·x;  b ← m·b + d;
 * x ← x − lr·(nesterov ? d + m·b : b).
 */
import { gradientFiniteOf, type GradientOracle, type Optimizer, type StepResult, type Vector } from './types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag } from './options.js';
import { snapshot } from './vectors.js';
import { adoptInto, momentumMode, workspaceFor, type Workspace } from './workspace.js';

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

// Workspace vectors: a copy of x (used only when x is not in the workspace's memory), the gradient,
// the momentum buffer.
const X = 0, GRAD = 1, VELOCITY = 2;

class SGD implements Optimizer<SGDState> {
  readonly name = 'sgd';
  private k = 0;
  private velocity: Vector | null = null;
  private ws: Workspace | null = null;
  constructor(private readonly lr: Schedule, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const ws = (this.ws = workspaceFor('sgd', this.ws, x, 3));
    this.velocity = adoptInto('sgd', ws.vec(VELOCITY), this.velocity);
    const lr = scheduleValue('sgd', 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, ws.vec(GRAD));
    // The whole gradient is checked before anything is written (x may be updated in place), unless
    // the oracle certified it while writing it (GradientOracle: gradientFinite).
    if (!(Number.isFinite(loss) && gradientFiniteOf(oracle) === true)) ws.requireFinite('sgd', loss, GRAD, this.k);
    const xp = ws.place(x, X), wd = this.weightDecay, mode = momentumMode(this.momentum, this.nesterov);
    // d = ∇f + wd·x, then the (Nesterov) momentum step on x and the buffer, in place: one fused
    // pass (wasm/assembly/optim-update.ts).
    const at = ws.at(VELOCITY);
    ws.k.momentum(x.length, xp, xp, ws.at(GRAD), at, wd, lr, this.momentum, mode, wd !== 0 ? 1 : 0);
    ws.restore(x, X);
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
