// Reference twin: src/optim/hj.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit. Changed since: a
// Float32Array is computed in float32 — Math.fround after every operation, every scalar rounded to
// float32 first, the outer step by momentumStep(..., float32) — as the kernels do (f32x4 lanes,
// wasm/assembly/optim-hj.ts); the weight-decay term is added only when wd ≠ 0 (PyTorch's
// `if weight_decay != 0`: with wd = 0 the gradient is used as it is, where g + 0·w differed for
// g = −0 and a non-finite w). A Float64Array is computed as before otherwise.
/**
 * HJ, the non-viscous Hamilton–Jacobi step (the paper's "HJ" curve, reference class `FP`,
 * paper-notes §3.5, §4.2): gradient descent on the Hopf–Lax / Moreau envelope
 * u(x, t) = min_y { f(y) + |x − y|²/(2t) }, whose gradient p = ∇u(x, t) = (x − prox)/t solves the
 * fixed point p = ∇f(x − t·p). Two estimators of p, chosen by `method`:
 *   'fixed-point' (reference FP): p₀ = ∇f(x); L damped iterations p ← (1 − α)p + α·∇f(x − t·p)
 *       (α = 0.25 in the reference). On f = λ|x|²/2 the error contracts by exactly
 *       1 − α(1 + tλ) per iteration; in general by ≤ 1 − α + α·t·Lip(∇f) (a contraction when
 *       t·Lip(∇f) < 1), L + 1 oracle calls.
 *   'prox': y₀ = x; L gradient steps y ← y − η′(∇f(y) + (y − x)/t) on f(y) + |x − y|²/(2t);
 *       p = (x − y_L)/t. On a quadratic the error contracts by 1 − η′(λ + 1/t); L oracle calls.
 * Then x ← x − lr·D(p + wd·x), D = outer (Nesterov) momentum. With lr = t this is the proximal
 * point method x ← prox_{tf}(x) (up to the inner error).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from '../../../src/optim/types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from '../../../src/optim/schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag, unitWeight, innerCount, oneOf } from '../../../src/optim/options.js';
import { requireFiniteOutput } from '../../../src/optim/finite.js';
import { adopt, snapshot } from '../../../src/optim/vectors.js';
import { momentumStep } from './momentum.js';

/** Options of {@link hj}. */
export interface HJOptions {
  /** Outer step η > 0 (number or schedule). */
  lr: ScheduleLike;
  /** Relaxation time t > 0 (number or scoping schedule); the reference's dt = 1/g. */
  t: ScheduleLike;
  /** Estimator of ∇u. @defaultValue 'fixed-point' */
  method?: 'fixed-point' | 'prox';
  /** Inner iterations L ≥ 1. @defaultValue 10 */
  innerSteps?: number;
  /** Damping α ∈ (0, 1] of the fixed-point iteration (weight on the new gradient). @defaultValue 0.25 */
  alpha?: number;
  /** Inner step η′ > 0 of the 'prox' method. @defaultValue 0.1 */
  innerLr?: ScheduleLike;
  /** Outer momentum ∈ [0, 1). @defaultValue 0 */
  momentum?: number;
  /** Outer Nesterov. @defaultValue false */
  nesterov?: boolean;
  /** L2 weight decay ≥ 0 (added to every gradient, as the reference). @defaultValue 0 */
  weightDecay?: number;
}

/** Defaults of {@link HJOptions}. */
export const HJ_DEFAULTS = { method: 'fixed-point', innerSteps: 10, alpha: 0.25, innerLr: 0.1, momentum: 0, nesterov: false, weightDecay: 0 } as const;

/** Checkpoint of {@link hj}. */
export interface HJState { k: number; velocity: Float64Array | null }

interface ResolvedHJ {
  lr: Schedule; t: Schedule; method: 'fixed-point' | 'prox'; innerSteps: number; alpha: number; innerLr: Schedule;
  momentum: number; nesterov: boolean; weightDecay: number;
}

class HJ implements Optimizer<HJState> {
  readonly name = 'hj';
  private k = 0;
  private velocity: Vector | null = null;
  private p: Vector | null = null;
  private w: Vector | null = null;
  private grad: Vector | null = null;
  constructor(private readonly r: ResolvedHJ) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const r = this.r, fn = 'hj', n = x.length, wd = r.weightDecay;
    const velocity = (this.velocity = adopt(fn, this.velocity, x));
    const p = (this.p = adopt(fn, this.p, x)), w = (this.w = adopt(fn, this.w, x)), grad = (this.grad = adopt(fn, this.grad, x));
    const t = scheduleValue(fn, 't', r.t, this.k, 'positive');
    const lr = scheduleValue(fn, 'lr', r.lr, this.k, 'positive');
    let loss: number, evals: number;
    // R: the rounding after every operation — Math.fround on a Float32Array, none on a Float64Array.
    const float32 = x instanceof Float32Array, R = float32 ? Math.fround : (v: number): number => v;
    const hasWd = wd !== 0, w32 = R(wd), tR = R(t);
    if (r.method === 'fixed-point') {
      loss = oracle(x, grad);
      requireFiniteOutput(fn, loss, grad, this.k, 0);
      for (let i = 0; i < n; i++) p[i] = hasWd ? R(grad[i] + R(w32 * x[i])) : grad[i];
      const a = R(r.alpha), keep = R(1 - r.alpha);
      for (let l = 1; l <= r.innerSteps; l++) {
        for (let i = 0; i < n; i++) w[i] = R(x[i] - R(tR * p[i]));
        const inner = oracle(w, grad);
        if (!Number.isFinite(inner)) requireFiniteOutput(fn, inner, grad, this.k, l);
        // Check fused into the update of the scratch p (x untouched): bad is NaN iff some g is not finite.
        let bad = 0;
        for (let i = 0; i < n; i++) {
          const g = grad[i]; bad += g * 0;
          p[i] = R(R(keep * p[i]) + R(a * (hasWd ? R(g + R(w32 * w[i])) : g)));
        }
        if (bad !== 0) requireFiniteOutput(fn, inner, grad, this.k, l);
      }
      evals = r.innerSteps + 1;
    } else {
      const innerLr = R(scheduleValue(fn, 'innerLr', r.innerLr, this.k, 'positive'));
      const coupling = R(1 / t);
      w.set(x);
      loss = NaN;
      for (let l = 0; l < r.innerSteps; l++) {
        const inner = oracle(w, grad);
        if (!Number.isFinite(inner)) requireFiniteOutput(fn, inner, grad, this.k, l);
        if (l === 0) loss = inner;
        let bad = 0;
        for (let i = 0; i < n; i++) {
          const g = grad[i], wi = w[i]; bad += g * 0;
          w[i] = R(wi - R(innerLr * R((hasWd ? R(g + R(w32 * wi)) : g) + R(coupling * R(wi - x[i])))));
        }
        if (bad !== 0) requireFiniteOutput(fn, inner, grad, this.k, l);
      }
      for (let i = 0; i < n; i++) { const d = R(R(x[i] - w[i]) * coupling); p[i] = hasWd ? R(d + R(w32 * x[i])) : d; }
      evals = r.innerSteps;
    }
    momentumStep(x, p, velocity, lr, r.momentum, r.nesterov, float32);
    this.k++;
    return { loss, gradEvals: evals };
  }
  state(): HJState { return { k: this.k, velocity: snapshot(this.velocity) }; }
  load(s: HJState): void { this.k = s.k; this.velocity = snapshot(s.velocity); }
}

/**
 * HJ: x ← x − lr·∇u(x, t), ∇u estimated by the damped fixed point p = ∇f(x − t·p) (reference FP)
 * or by inner gradient descent on the prox objective. The loss reported is f at the anchor x.
 * @throws RangeError if lr or t ≤ 0, innerSteps < 1, alpha ∉ (0, 1], innerLr ≤ 0, momentum ∉ [0, 1),
 *   weightDecay < 0, an unknown method; at a step, on a schedule out of range or a non-finite oracle output
 * @example const opt = hj({ lr: 0.5, t: 0.5, innerSteps: 10 }); // HJ fixed point, α = 0.25
 */
export function hj(opts: HJOptions): Optimizer<HJState> {
  const fn = 'hj', d = HJ_DEFAULTS;
  return new HJ({
    lr: positiveSchedule(fn, 'lr', opts.lr),
    t: positiveSchedule(fn, 't', opts.t),
    method: oneOf(fn, 'method', opts.method ?? d.method, ['fixed-point', 'prox']),
    innerSteps: innerCount(fn, 'innerSteps', opts.innerSteps ?? d.innerSteps),
    alpha: unitWeight(fn, 'alpha', opts.alpha ?? d.alpha),
    innerLr: positiveSchedule(fn, 'innerLr', opts.innerLr ?? d.innerLr),
    momentum: momentumValue(fn, 'momentum', opts.momentum ?? d.momentum),
    nesterov: flag(fn, 'nesterov', opts.nesterov ?? d.nesterov),
    weightDecay: nonnegative(fn, 'weightDecay', opts.weightDecay ?? d.weightDecay),
  });
}
