// Reference twin: src/optim/sam.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit.
/**
 * Sharpness-aware minimisation (Foret et al. 2021), the modern flat-minimum peer:
 *   g = ∇f(x);  ε = ρ·g/|g| (ε = 0 when |g| = 0);  x ← x − lr·D(∇f(x + ε) + wd·x),
 * D = (Nesterov) momentum. Two oracle calls per step; the loss reported is f(x).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from '../../../src/optim/types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from '../../../src/optim/schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag } from '../../../src/optim/options.js';
import { requireFiniteOutput } from '../../../src/optim/finite.js';
import { adopt, snapshot } from '../../../src/optim/vectors.js';
import { momentumStep } from './momentum.js';

/** Options of {@link sam}. */
export interface SAMOptions {
  /** Step size > 0. */
  lr: ScheduleLike;
  /** Neighbourhood radius ρ ≥ 0 (ρ = 0 is SGD). @defaultValue 0.05 */
  rho?: number;
  /** Momentum ∈ [0, 1). @defaultValue 0 */
  momentum?: number;
  /** Nesterov. @defaultValue false */
  nesterov?: boolean;
  /** L2 weight decay ≥ 0. @defaultValue 0 */
  weightDecay?: number;
}

/** Defaults of {@link SAMOptions}. */
export const SAM_DEFAULTS = { rho: 0.05, momentum: 0, nesterov: false, weightDecay: 0 } as const;

/** Checkpoint of {@link sam}. */
export interface SAMState { k: number; velocity: Float64Array | null }

class SAM implements Optimizer<SAMState> {
  readonly name = 'sam';
  private k = 0;
  private velocity: Vector | null = null;
  private grad: Vector | null = null;
  private shifted: Vector | null = null;
  constructor(private readonly lr: Schedule, private readonly rho: number, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const fn = 'sam', n = x.length;
    const velocity = (this.velocity = adopt(fn, this.velocity, x));
    const grad = (this.grad = adopt(fn, this.grad, x)), shifted = (this.shifted = adopt(fn, this.shifted, x));
    const lr = scheduleValue(fn, 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, grad);
    requireFiniteOutput(fn, loss, grad, this.k, 0);
    let norm2 = 0;
    for (let p = 0; p < n; p++) norm2 += grad[p] * grad[p];
    // |g| = 0 (a critical point): no ascent direction, ε = 0 (STYLE.md §7: guarded division).
    const scale = norm2 > 0 ? this.rho / Math.sqrt(norm2) : 0;
    for (let p = 0; p < n; p++) shifted[p] = x[p] + scale * grad[p];
    const lossShifted = oracle(shifted, grad);
    requireFiniteOutput(fn, lossShifted, grad, this.k, 1);
    if (this.weightDecay !== 0) for (let p = 0; p < n; p++) grad[p] += this.weightDecay * x[p];
    momentumStep(x, grad, velocity, lr, this.momentum, this.nesterov);
    this.k++;
    return { loss, gradEvals: 2 };
  }
  state(): SAMState { return { k: this.k, velocity: snapshot(this.velocity) }; }
  load(s: SAMState): void { this.k = s.k; this.velocity = snapshot(s.velocity); }
}

/**
 * SAM: descend the gradient taken at the worst-case point x + ρ·∇f/|∇f| of the ρ-ball.
 * @throws RangeError if lr ≤ 0, rho < 0, momentum ∉ [0, 1), weightDecay < 0
 * @example const opt = sam({ lr: 0.1, rho: 0.05 });
 */
export function sam(opts: SAMOptions): Optimizer<SAMState> {
  const fn = 'sam', d = SAM_DEFAULTS;
  return new SAM(positiveSchedule(fn, 'lr', opts.lr), nonnegative(fn, 'rho', opts.rho ?? d.rho),
    momentumValue(fn, 'momentum', opts.momentum ?? d.momentum), flag(fn, 'nesterov', opts.nesterov ?? d.nesterov),
    nonnegative(fn, 'weightDecay', opts.weightDecay ?? d.weightDecay));
}
