/**
 * SGD with heavy-ball or Nesterov momentum and L2 weight decay (PyTorch's convention, as in the
 * reference code's baseline, paper-notes §4.4): d = ∇f(x) + wd·x;  b ← m·b + d;
 * x ← x − lr·(nesterov ? d + m·b : b).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from './types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag } from './options.js';
import { snapshot } from './vectors.js';
import { requireFiniteOutput } from './finite.js';
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

// Workspace vectors: a copy of x, the gradient, and the momentum buffer twice (read one, write the
// other, so that a non-finite gradient found by the fused check leaves the old buffer intact).
const X = 0, GRAD = 1, VELOCITY = 2;

class SGD implements Optimizer<SGDState> {
  readonly name = 'sgd';
  private k = 0;
  private velocity: Vector | null = null;
  /** Which of the two buffer vectors holds the velocity (0 or 1). */
  private flip = 0;
  private ws: Workspace | null = null;
  constructor(private readonly lr: Schedule, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const ws = (this.ws = workspaceFor('sgd', this.ws, x, 4));
    const from = VELOCITY + this.flip, to = VELOCITY + 1 - this.flip;
    this.velocity = adoptInto('sgd', ws.vec(from), this.velocity);
    const lr = scheduleValue('sgd', 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, ws.vec(GRAD));
    if (!Number.isFinite(loss)) requireFiniteOutput('sgd', loss, ws.vec(GRAD), this.k);
    ws.vec(X).set(x);
    const wd = this.weightDecay, mode = momentumMode(this.momentum, this.nesterov);
    // d = ∇f + wd·x, then the (Nesterov) momentum step, one fused pass (wasm/assembly/optim-update.ts)
    // that also checks ∇f; it writes only the copy of x and the other buffer, so on failure x and
    // the state are untouched.
    const bad = ws.k.momentum(x.length, ws.at(X), ws.at(GRAD), ws.at(from), ws.at(to), wd, lr, this.momentum, mode, wd !== 0 ? 1 : 0);
    if (bad !== 0) requireFiniteOutput('sgd', loss, ws.vec(GRAD), this.k);
    if (mode !== 0) { this.flip = 1 - this.flip; this.velocity = ws.vec(to); }
    x.set(ws.vec(X));
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
