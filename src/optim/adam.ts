/**
 * Adam (Kingma & Ba 2015) with bias correction and optional L2 weight decay:
 * g = ∇f + wd·x; m ← b1·m + (1−b1)·g; v ← b2·v + (1−b2)·g²;
 * x ← x − lr·(m / (1 − b1^k)) / (√(v / (1 − b2^k)) + eps), k = 1, 2, …
 */
import { gradientFiniteOf, type GradientOracle, type Optimizer, type StepResult, type Vector } from './types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, nonnegative } from './options.js';
import { snapshot } from './vectors.js';
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

// Workspace vectors: a copy of x (used only when x is not in the workspace's memory), the gradient,
// the two moments.
const X = 0, GRAD = 1, M = 2, V = 3;

class Adam implements Optimizer<AdamState> {
  readonly name = 'adam';
  private k = 0;
  private m: Vector | null = null;
  private v: Vector | null = null;
  private ws: Workspace | null = null;
  constructor(private readonly lr: Schedule, private readonly b1: number, private readonly b2: number,
    private readonly eps: number, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const ws = (this.ws = workspaceFor('adam', this.ws, x, 4));
    this.m = adoptInto('adam', ws.vec(M), this.m);
    this.v = adoptInto('adam', ws.vec(V), this.v);
    const lr = scheduleValue('adam', 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, ws.vec(GRAD));
    // The whole gradient is checked before anything is written (x may be updated in place), unless
    // the oracle certified it while writing it (GradientOracle: gradientFinite).
    if (!(Number.isFinite(loss) && gradientFiniteOf(oracle) === true)) ws.requireFinite('adam', loss, GRAD, this.k);
    const xp = ws.place(x, X);
    const { b1, b2 } = this;
    const c1 = 1 - Math.pow(b1, this.k + 1), c2 = 1 - Math.pow(b2, this.k + 1);
    // One fused pass (wasm/assembly/optim-update.ts): moments, bias correction, update, in place;
    // float64 arithmetic for Float64Array x, float32 (f32x4) for Float32Array x.
    const m = ws.at(M), v = ws.at(V);
    ws.k.adam(x.length, xp, ws.at(GRAD), m, v, m, v, b1, b2, c1, c2, this.eps, this.weightDecay, lr);
    ws.restore(x, X);
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
