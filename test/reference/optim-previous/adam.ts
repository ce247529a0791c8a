// Reference twin: src/optim/adam.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit.
/**
 * Adam (Kingma & Ba 2015) with bias correction and optional L2 weight decay:
 * g = ∇f + wd·x; m ← b1·m + (1−b1)·g; v ← b2·v + (1−b2)·g²;
 * x ← x − lr·(m / (1 − b1^k)) / (√(v / (1 − b2^k)) + eps), k = 1, 2, …
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from '../../../src/optim/types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from '../../../src/optim/schedules.js';
import { positiveSchedule, nonnegative } from '../../../src/optim/options.js';
import { requireFiniteOutput } from '../../../src/optim/finite.js';
import { adopt, snapshot } from '../../../src/optim/vectors.js';
import { mustBe } from '../../../src/util/validate.js';

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

class Adam implements Optimizer<AdamState> {
  readonly name = 'adam';
  private k = 0;
  private m: Vector | null = null;
  private v: Vector | null = null;
  private grad: Vector | null = null;
  constructor(private readonly lr: Schedule, private readonly b1: number, private readonly b2: number,
    private readonly eps: number, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const m = (this.m = adopt('adam', this.m, x)), v = (this.v = adopt('adam', this.v, x));
    const grad = (this.grad = adopt('adam', this.grad, x));
    const lr = scheduleValue('adam', 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, grad);
    requireFiniteOutput('adam', loss, grad, this.k);
    const { b1, b2, eps, weightDecay } = this;
    const c1 = 1 - Math.pow(b1, this.k + 1), c2 = 1 - Math.pow(b2, this.k + 1);
    for (let p = 0; p < x.length; p++) {
      const g = grad[p] + weightDecay * x[p];
      const mp = b1 * m[p] + (1 - b1) * g, vp = b2 * v[p] + (1 - b2) * g * g;
      m[p] = mp; v[p] = vp;
      x[p] -= (lr * (mp / c1)) / (Math.sqrt(vp / c2) + eps);
    }
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
