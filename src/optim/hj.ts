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
 *
 * Weight decay as PyTorch applies it (`if weight_decay != 0: grad = grad.add(p, alpha=weight_decay)`):
 * the term wd·w is added to each gradient, and wd·x to the prox direction, only when wd ≠ 0. With
 * wd = 0 every gradient is used exactly as the oracle wrote it (g + 0·w would differ for g = −0, and
 * would be NaN at an inner point w that overflowed). Arithmetic: a Float32Array is computed in
 * float32 (f32x4 kernels, every scalar rounded to float32 first), as PyTorch does; a Float64Array in
 * float64 (wasm/assembly/optim-hj.ts).
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
  /** L2 weight decay ≥ 0 (wd·w added to every gradient, as the reference; nothing added when 0). @defaultValue 0 */
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

// Workspace vectors: the anchor (a copy of x), the gradient, the estimate p of ∇u, the inner point
// when x is not in the workspace's memory, and the momentum buffer, double-buffered (the last pass
// writes it before its gradient check: VELOCITY + cur is the current one, the other the spare).
const X = 0, GRAD = 1, P = 2, W = 3, VELOCITY = 4;

class HJ implements Optimizer<HJState> {
  readonly name = 'hj';
  private k = 0;
  private velocity: Vector | null = null;
  private cur = 0;
  private ws: Workspace | null = null;
  constructor(private readonly r: ResolvedHJ) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const r = this.r, fn = 'hj', n = x.length, wd = r.weightDecay;
    const ws = (this.ws = workspaceFor(fn, this.ws, x, 6));
    this.velocity = adoptInto(fn, ws.vec(VELOCITY + this.cur), this.velocity);
    const t = scheduleValue(fn, 't', r.t, this.k, 'positive');
    const lr = scheduleValue(fn, 'lr', r.lr, this.k, 'positive');
    const innerLr = r.method === 'prox' ? scheduleValue(fn, 'innerLr', r.innerLr, this.k, 'positive') : 0;
    const k = ws.k, grad = ws.vec(GRAD), xs = ws.at(X), g = ws.at(GRAD), p = ws.at(P), m = r.momentum, mode = momentumMode(m, r.nesterov);
    const vb = ws.at(VELOCITY + this.cur), vo = ws.at(VELOCITY + 1 - this.cur);
    // The inner points live in x's own buffer when the workspace holds x (the oracle then evaluates
    // at x itself: a network oracle loads nothing), else in W (x copied in, the result copied out);
    // the anchor in X, copied by the first pass. Until the last pass x's buffer holds an inner point:
    // whatever fails after the first pass (a non-finite output, an oracle that throws) puts the
    // anchor back before the error propagates; the momentum buffer written is the spare.
    const held = ws.holds(x), at = held ? x.byteOffset : ws.at(W), point = held ? x : ws.vec(W);
    let loss: number, evals: number, saved = false;
    try {
      if (r.method === 'fixed-point') {
        // With wd = 0 the first gradient goes straight into p's vector (p₀ = ∇f(x): the first pass
        // need not copy it); else into the gradient's, which the error message then reads as written.
        const first = wd === 0 ? P : GRAD;
        loss = oracle(x, ws.vec(first));
        if (!held) point.set(x);
        // X ← x, p₀ = ∇f(x) + wd·x and the first inner point w = x − t·p₀ into x's buffer, one pass.
        const bad = k.hjStart(n, at, xs, ws.at(first), p, wd, t);
        saved = true;
        if (!Number.isFinite(loss) || bad !== 0) requireFiniteOutput(fn, loss, ws.vec(first), this.k, 0);
        const a = r.alpha, L = r.innerSteps;
        for (let l = 1; l <= L; l++) {
          const inner = oracle(point, grad);
          if (!Number.isFinite(inner)) requireFiniteOutput(fn, inner, grad, this.k, l);
          // p ← (1 − α)p + α(∇f(w) + wd·w), then the next w = x − t·p, or (l = L) the outer step.
          if (k.hjStep(n, at, xs, g, p, vb, vo, 1 - a, a, wd, t, lr, m, mode, l === L ? 1 : 0) !== 0) requireFiniteOutput(fn, inner, grad, this.k, l);
        }
        evals = L + 1;
      } else {
        const coupling = 1 / t, L = r.innerSteps;
        if (!held) point.set(x);
        loss = NaN;
        for (let l = 0; l < L; l++) {
          const inner = oracle(point, grad);
          if (!Number.isFinite(inner)) requireFiniteOutput(fn, inner, grad, this.k, l);
          if (l === 0) loss = inner;
          // w ← w − η′(∇f(w) + wd·w + (w − x)/t) (the first pass also copies X ← x); the last one
          // goes on to p = (x − w)/t + wd·x and the outer step.
          const bad = k.hjProx(n, at, xs, g, vb, vo, innerLr, wd, coupling, lr, m, mode, l === 0 ? 1 : 0, l === L - 1 ? 1 : 0);
          saved = true;
          if (bad !== 0) requireFiniteOutput(fn, inner, grad, this.k, l);
        }
        evals = L;
      }
    } catch (e) {
      if (saved) { if (held) k.copy(n, at, xs); else x.set(ws.vec(X)); }
      throw e;
    }
    if (!held) x.set(point);
    if (mode !== 0) { this.cur = 1 - this.cur; this.velocity = ws.vec(VELOCITY + this.cur); }
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
