/**
 * Gradient descent on a grid-backed relaxed loss with the exact ∇u (src/pde `relax()`), the clean
 * low-dimensional demonstration of the paper's claim: x ← x − lr_k·∇u(x, t_k), with t_k a scoping
 * schedule. With lr = t ('proximal') the step is x ← x − t∇u(x, t) = prox_{tf}(x): the proximal
 * point method (paper-notes §3.5), which on f = λ|x|²/2 contracts by exactly 1/(1 + tλ).
 */
import type { StepResult } from './types.js';
import type { RelaxedLossLike } from './relaxed-oracle.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule } from './options.js';
import { mustBe, mustBeType } from '../util/validate.js';

/** Options of {@link relaxedDescent}. */
export interface RelaxedDescentOptions {
  /** Relaxation time t_k > 0 (number or scoping schedule). */
  t: ScheduleLike;
  /** Step size (number or schedule), or 'proximal' for lr_k = t_k. @defaultValue 'proximal' */
  lr?: ScheduleLike | 'proximal';
}

/** What one step of {@link relaxedDescent} did. */
export interface RelaxedStepResult extends StepResult {
  /** The relaxation time used. */
  t: number;
}

/** Checkpoint of {@link relaxedDescent}: the step counter (the relaxed losses are rebuilt on demand). */
export interface RelaxedDescentState { k: number }

/** A descent bound to a family of relaxed losses (not an oracle-driven {@link Optimizer}: it owns its objective). */
export interface RelaxedDescent {
  readonly name: 'relaxed-descent';
  /** One step: x ← x − lr_k·∇u(x, t_k), in place. gradEvals counts ∇u evaluations (1). */
  step(x: Float64Array | number[]): RelaxedStepResult;
  /** Relaxations built so far (one per distinct t_k). */
  readonly relaxations: number;
  state(): RelaxedDescentState;
  load(state: RelaxedDescentState): void;
}

class RelaxedDescentImpl implements RelaxedDescent {
  readonly name = 'relaxed-descent';
  private k = 0;
  private cachedT = NaN;
  private cached: RelaxedLossLike | null = null;
  relaxations = 0;
  constructor(private readonly relaxAt: (t: number) => RelaxedLossLike, private readonly t: Schedule, private readonly lr: Schedule | null) {}

  step(x: Float64Array | number[]): RelaxedStepResult {
    const fn = 'relaxedDescent';
    const t = scheduleValue(fn, 't', this.t, this.k, 'positive');
    const lr = this.lr === null ? t : scheduleValue(fn, 'lr', this.lr, this.k, 'positive');
    if (this.cached === null || t !== this.cachedT) {
      this.cached = this.relaxAt(t); this.cachedT = t; this.relaxations++;
    }
    const point = Array.from(x);
    const loss = this.cached.value(point), grad = this.cached.gradient(point);
    if (!Number.isFinite(loss)) throw new RangeError(`${fn}: loss must be finite; got ${loss} (step ${this.k}).`);
    for (let i = 0; i < grad.length; i++) {
      if (!Number.isFinite(grad[i])) throw new RangeError(`${fn}: gradient must be finite; got ${grad[i]} at index ${i} (step ${this.k}).`);
    }
    for (let i = 0; i < x.length; i++) x[i] -= lr * grad[i];
    this.k++;
    return { loss, gradEvals: 1, t };
  }
  state(): RelaxedDescentState { return { k: this.k }; }
  load(s: RelaxedDescentState): void {
    mustBe('relaxedDescent.load', 'k', s.k, Number.isInteger(s.k) && s.k >= 0, 'an integer ≥ 0');
    this.k = s.k;
  }
}

/**
 * Descent on u(·, t_k) given a builder of relaxed losses (e.g. `(t) => relax(f, { t })`), called
 * once per distinct t_k (a constant t relaxes once).
 * @param relaxAt - t ↦ RelaxedLoss (value, gradient, prox)
 * @throws TypeError if relaxAt is not a function; RangeError if t or lr ≤ 0; at a step, if a
 *   schedule leaves its range or u or ∇u is non-finite (e.g. x outside the grid)
 * @example const opt = relaxedDescent((t) => relax(grid.sample('x^2/2'), { t }), { t: 1 }); opt.step(x); // x ← x/2
 */
export function relaxedDescent(relaxAt: (t: number) => RelaxedLossLike, opts: RelaxedDescentOptions): RelaxedDescent {
  const fn = 'relaxedDescent';
  mustBeType(fn, 'relaxAt', relaxAt, typeof relaxAt === 'function', 'a function t => RelaxedLoss');
  const lrOpt = opts.lr ?? 'proximal';
  const lr = lrOpt === 'proximal' ? null : positiveSchedule(fn, 'lr', lrOpt);
  return new RelaxedDescentImpl(relaxAt, positiveSchedule(fn, 't', opts.t), lr);
}
