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
import type { GradientOracle, Optimizer, StepResult, Vector } from './types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag, unitWeight, innerCount, oneOf } from './options.js';
import { requireFiniteOutput } from './finite.js';
import { snapshot } from './vectors.js';
import { adoptInto, momentumMode, workspaceFor, type Workspace } from './workspace.js';

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

// Workspace vectors: a copy of x, the gradient, the estimate p of ∇u, the inner point w, the momentum buffer.
const X = 0, GRAD = 1, P = 2, W = 3, VELOCITY = 4;

class HJ implements Optimizer<HJState> {
  readonly name = 'hj';
  private k = 0;
  private velocity: Vector | null = null;
  private ws: Workspace | null = null;
  constructor(private readonly r: ResolvedHJ) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const r = this.r, fn = 'hj', n = x.length, wd = r.weightDecay;
    const ws = (this.ws = workspaceFor(fn, this.ws, x, 5));
    this.velocity = adoptInto(fn, ws.vec(VELOCITY), this.velocity);
    const t = scheduleValue(fn, 't', r.t, this.k, 'positive');
    const lr = scheduleValue(fn, 'lr', r.lr, this.k, 'positive');
    const k = ws.k, grad = ws.vec(GRAD), w = ws.vec(W);
    const xs = ws.at(X), g = ws.at(GRAD), p = ws.at(P), wp = ws.at(W), mode = momentumMode(r.momentum, r.nesterov);
    // x is kept in the copy: an oracle may overwrite x when it evaluates elsewhere (a network oracle
    // loads the point into its parameters, and x may be those). The update goes from the copy into x
    // when the workspace holds x, else into the copy, then copied out.
    ws.copyIn(X, x);
    let loss: number, evals: number;
    // The checks run after each fused update, which writes only scratch (p, w); x is untouched until the end.
    if (r.method === 'fixed-point') {
      loss = oracle(x, grad);
      // p₀ = ∇f(x) + wd·x and the first inner point w = x − t·p₀, one pass.
      const bad = k.fixedPoint(n, xs, g, p, wp, 0, 1, wd, t, 1, 1);
      if (!Number.isFinite(loss) || bad !== 0) requireFiniteOutput(fn, loss, grad, this.k, 0);
      const a = r.alpha;
      for (let l = 1; l <= r.innerSteps; l++) {
        const inner = oracle(w, grad);
        if (!Number.isFinite(inner)) requireFiniteOutput(fn, inner, grad, this.k, l);
        // p ← (1 − α)p + α(∇f(w) + wd·w) and, unless last, the next w = x − t·p.
        if (k.fixedPoint(n, xs, g, p, wp, 1 - a, a, wd, t, 0, l < r.innerSteps ? 1 : 0) !== 0) requireFiniteOutput(fn, inner, grad, this.k, l);
      }
      k.momentum(n, xs, ws.out(x, X), p, ws.at(VELOCITY), 0, lr, r.momentum, mode, 0);
      evals = r.innerSteps + 1;
    } else {
      const innerLr = scheduleValue(fn, 'innerLr', r.innerLr, this.k, 'positive');
      const coupling = 1 / t;
      ws.copyIn(W, x);
      loss = NaN;
      for (let l = 0; l < r.innerSteps; l++) {
        const inner = oracle(w, grad);
        if (!Number.isFinite(inner)) requireFiniteOutput(fn, inner, grad, this.k, l);
        if (l === 0) loss = inner;
        if (k.prox(n, xs, g, wp, innerLr, wd, coupling) !== 0) requireFiniteOutput(fn, inner, grad, this.k, l);
      }
      // p = (x − w)/t + wd·x, then the momentum step, one pass.
      k.toward(n, xs, ws.out(x, X), wp, ws.at(VELOCITY), coupling, wd, lr, r.momentum, mode);
      evals = r.innerSteps;
    }
    ws.restore(x, X);
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
