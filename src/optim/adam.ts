/**
 * Adam (Kingma & Ba 2015) with bias correction and optional L2 weight decay:
 * g = ∇f + wd·x; m ← b1·m + (1−b1)·g; v ← b2·v + (1−b2)·g²;
 * x ← x − lr·(m / (1 − b1^k)) / (√(v / (1 − b2^k)) + eps), k = 1, 2, …
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from './types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, nonnegative } from './options.js';
import { snapshot } from './vectors.js';
import { requireFiniteOutput } from './finite.js';
import { adoptInto, workspaceFor, type Workspace } from './workspace.js';
import { mustBe } from '../util/validate.js';

/** Options of {@link adam}. */
export interface AdamOptions {
  /** Step size, > 0. */
  lr: ScheduleLike;
  /** First-moment decay b1 ∈ [0, 1). @defaultValue 0.9 */
  b1?: number;
  /** Second-moment decay b2 ∈ [0, 1). @defaultValue 0.999 */
  b2?: number;
  /** Denominator guard eps > 0. @defaultValue 1e-8 */
  eps?: number;
  /** L2 weight decay ≥ 0. @defaultValue 0 */
  weightDecay?: number;
}

/** Defaults of {@link AdamOptions}. */
export const ADAM_DEFAULTS = { b1: 0.9, b2: 0.999, eps: 1e-8, weightDecay: 0 } as const;

/** Checkpoint of {@link adam}. */
export interface AdamState { k: number; m: Float64Array | null; v: Float64Array | null }

// Workspace vectors: a copy of x, the gradient, and the two moments twice (read one pair, write the
// other, so that a non-finite gradient found by the fused check leaves the old moments intact).
const X = 0, GRAD = 1, M = 2, V = 4;

class Adam implements Optimizer<AdamState> {
  readonly name = 'adam';
  private k = 0;
  private m: Vector | null = null;
  private v: Vector | null = null;
  /** Which of the two vectors of each moment holds it (0 or 1). */
  private flip = 0;
  private ws: Workspace | null = null;
  constructor(private readonly lr: Schedule, private readonly b1: number, private readonly b2: number,
    private readonly eps: number, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const ws = (this.ws = workspaceFor('adam', this.ws, x, 6));
    const from = this.flip, to = 1 - this.flip;
    this.m = adoptInto('adam', ws.vec(M + from), this.m);
    this.v = adoptInto('adam', ws.vec(V + from), this.v);
    const lr = scheduleValue('adam', 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, ws.vec(GRAD));
    if (!Number.isFinite(loss)) requireFiniteOutput('adam', loss, ws.vec(GRAD), this.k);
    ws.vec(X).set(x);
    const { b1, b2 } = this;
    const c1 = 1 - Math.pow(b1, this.k + 1), c2 = 1 - Math.pow(b2, this.k + 1);
    // One fused pass (wasm/assembly/optim-update.ts): gradient check, moments, bias correction, update.
    const bad = ws.k.adam(x.length, ws.at(X), ws.at(GRAD), ws.at(M + from), ws.at(V + from), ws.at(M + to), ws.at(V + to),
      b1, b2, c1, c2, this.eps, this.weightDecay, lr);
    if (bad !== 0) requireFiniteOutput('adam', loss, ws.vec(GRAD), this.k);
    this.flip = to; this.m = ws.vec(M + to); this.v = ws.vec(V + to);
    x.set(ws.vec(X));
    this.k++;
    return { loss, gradEvals: 1 };
  }
  state(): AdamState { return { k: this.k, m: snapshot(this.m), v: snapshot(this.v) }; }
  load(s: AdamState): void { this.k = s.k; this.m = snapshot(s.m); this.v = snapshot(s.v); }
}

/**
 * Adam. One oracle call per step.
 * @throws RangeError if lr ≤ 0, b1 or b2 ∉ [0, 1), eps ≤ 0, weightDecay < 0
 * @example const opt = adam({ lr: 1e-3 });
 */
export function adam(opts: AdamOptions): Optimizer<AdamState> {
  const fn = 'adam';
  const b1 = opts.b1 ?? ADAM_DEFAULTS.b1, b2 = opts.b2 ?? ADAM_DEFAULTS.b2, eps = opts.eps ?? ADAM_DEFAULTS.eps;
  mustBe(fn, 'b1', b1, b1 >= 0 && b1 < 1, 'in [0, 1)');
  mustBe(fn, 'b2', b2, b2 >= 0 && b2 < 1, 'in [0, 1)');
  mustBe(fn, 'eps', eps, Number.isFinite(eps) && eps > 0, 'finite and > 0');
  return new Adam(positiveSchedule(fn, 'lr', opts.lr), b1, b2, eps, nonnegative(fn, 'weightDecay', opts.weightDecay ?? ADAM_DEFAULTS.weightDecay));
}
