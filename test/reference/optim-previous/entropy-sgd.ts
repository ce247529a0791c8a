// Reference twin: src/optim/entropy-sgd.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit.
/**
 * Entropy-SGD (Chaudhari et al. 2017; DR paper §4.1): gradient descent on the local entropy
 * f_t(x) = u(x, t) (viscous HJ at time t, paper-notes §3.2–3.4), whose gradient is
 * ∇u(x, t) = (x − ⟨y⟩)/t with ⟨y⟩ the mean of ρ(y; x) ∝ exp(−β[f(y) + |y − x|²/(2t)]).
 * Each outer step estimates ⟨y⟩ by L SGLD steps with averaging ({@link localMean}), then
 *   'gradient' form (DR):        x ← x − lr·D((x − μ)/t + wd·x)
 *   'coupling' form (reference): x ← x − lr·D((x − μ) + wd·x)      (lr_coupling = lr_gradient / t)
 * D = outer (Nesterov) momentum. γ-scoping: `t` may be a schedule of the outer step k, e.g.
 * `offset(scoping(g0, g1), 1)`; k advances on every step and is checkpointed (the PyTorch port's
 * bug, a scoping counter that never advances, is not reproduced).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from '../../../src/optim/types.js';
import { Rng, type RngState } from '../../../src/util/random.js';
import { type Schedule, type ScheduleLike, scheduleValue } from '../../../src/optim/schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag, unitWeight, inverseTemperature, innerCount, seedValue, oneOf } from '../../../src/optim/options.js';
import { adopt, snapshot } from '../../../src/optim/vectors.js';
import { momentumStep } from './momentum.js';
import { localMean, type InnerLoopSettings } from './local-mean.js';

/** Options of {@link entropySGD} (the paper's names; see docs/optimizers.md for the reference mapping). */
export interface EntropySGDOptions {
  /** Outer step η (number or schedule of k), > 0. */
  lr: ScheduleLike;
  /** Relaxation time t = γ (number or scoping schedule), > 0. The reference's g = 1/t. */
  t: ScheduleLike;
  /** Inner SGLD steps L ≥ 1. @defaultValue 20 */
  innerSteps?: number;
  /** Inner step η′ > 0 (number or schedule of k). @defaultValue 0.1 */
  innerLr?: ScheduleLike;
  /** Inverse temperature β > 0; Infinity = no noise. The reference's eps: β = 1/eps². @defaultValue Infinity */
  beta?: number;
  /** Averaging weight α ∈ (0, 1] on the new sample (reference beta1 = 1 − α). @defaultValue 0.25 */
  alpha?: number;
  /** Outer update form. @defaultValue 'gradient' */
  form?: 'gradient' | 'coupling';
  /** Outer momentum m ∈ [0, 1). @defaultValue 0 */
  momentum?: number;
  /** Outer Nesterov. @defaultValue false */
  nesterov?: boolean;
  /** Inner momentum ∈ [0, 1). @defaultValue 0 */
  innerMomentum?: number;
  /** Inner Nesterov. @defaultValue false */
  innerNesterov?: boolean;
  /** What inner momentum acts on (see {@link localMean}). @defaultValue 'all' */
  innerMomentumOn?: 'all' | 'gradient';
  /** Zero the inner momentum buffer at each outer step (Lua original) or keep it (DR code). @defaultValue false */
  resetInnerMomentum?: boolean;
  /** L2 weight decay ≥ 0, on inner gradients and on the outer direction (as the reference). @defaultValue 0 */
  weightDecay?: number;
  /** Seed of the Langevin noise stream (stream 0 of this seed). @defaultValue 0 */
  seed?: number;
}

/** Defaults of {@link EntropySGDOptions}. */
export const ENTROPY_SGD_DEFAULTS = {
  innerSteps: 20, innerLr: 0.1, beta: Infinity, alpha: 0.25, form: 'gradient', momentum: 0, nesterov: false,
  innerMomentum: 0, innerNesterov: false, innerMomentumOn: 'all', resetInnerMomentum: false, weightDecay: 0, seed: 0,
} as const;

/** Checkpoint of {@link entropySGD} / {@link heat}. */
export interface EntropySGDState {
  /** Outer steps taken (the scoping index). */
  k: number;
  /** Outer momentum buffer. */
  velocity: Float64Array | null;
  /** Inner momentum buffer. */
  innerVelocity: Float64Array | null;
  /** Langevin noise stream. */
  rng: RngState;
}

/** Resolved, validated options (internal). */
export interface ResolvedLocalEntropy {
  lr: Schedule; t: Schedule; innerLr: Schedule; innerSteps: number; beta: number; alpha: number;
  averaging: 'exponential' | 'uniform'; form: 'gradient' | 'coupling'; momentum: number; nesterov: boolean;
  innerMomentum: number; innerNesterov: boolean; innerMomentumOn: 'all' | 'gradient'; resetInnerMomentum: boolean;
  weightDecay: number; seed: number;
}

/** Validates {@link EntropySGDOptions} once (shared by entropySGD, heat and the Parle replicas). */
export function resolveLocalEntropy(fn: string, o: EntropySGDOptions, averaging: 'exponential' | 'uniform'): ResolvedLocalEntropy {
  const d = ENTROPY_SGD_DEFAULTS;
  return {
    lr: positiveSchedule(fn, 'lr', o.lr),
    t: positiveSchedule(fn, 't', o.t),
    innerLr: positiveSchedule(fn, 'innerLr', o.innerLr ?? d.innerLr),
    innerSteps: innerCount(fn, 'innerSteps', o.innerSteps ?? d.innerSteps),
    beta: inverseTemperature(fn, 'beta', o.beta ?? d.beta),
    alpha: unitWeight(fn, 'alpha', o.alpha ?? d.alpha),
    averaging,
    form: oneOf(fn, 'form', o.form ?? d.form, ['gradient', 'coupling']),
    momentum: momentumValue(fn, 'momentum', o.momentum ?? d.momentum),
    nesterov: flag(fn, 'nesterov', o.nesterov ?? d.nesterov),
    innerMomentum: momentumValue(fn, 'innerMomentum', o.innerMomentum ?? d.innerMomentum),
    innerNesterov: flag(fn, 'innerNesterov', o.innerNesterov ?? d.innerNesterov),
    innerMomentumOn: oneOf(fn, 'innerMomentumOn', o.innerMomentumOn ?? d.innerMomentumOn, ['all', 'gradient']),
    resetInnerMomentum: flag(fn, 'resetInnerMomentum', o.resetInnerMomentum ?? d.resetInnerMomentum),
    weightDecay: nonnegative(fn, 'weightDecay', o.weightDecay ?? d.weightDecay),
    seed: seedValue(fn, o.seed ?? d.seed),
  };
}

/** The inner-loop scalars at outer step k (schedules evaluated and checked). */
export function innerSettingsAt(fn: string, r: ResolvedLocalEntropy, k: number): { settings: InnerLoopSettings; t: number; lr: number } {
  const t = scheduleValue(fn, 't', r.t, k, 'positive');
  const lr = scheduleValue(fn, 'lr', r.lr, k, 'positive');
  const innerLr = scheduleValue(fn, 'innerLr', r.innerLr, k, 'positive');
  return {
    t, lr,
    settings: {
      innerSteps: r.innerSteps, innerLr, coupling: 1 / t,
      noiseScale: r.beta === Infinity ? 0 : Math.sqrt(2 / (innerLr * r.beta)),
      averaging: r.averaging, alpha: r.alpha, innerMomentum: r.innerMomentum, innerNesterov: r.innerNesterov,
      momentumOn: r.innerMomentumOn, weightDecay: r.weightDecay,
    },
  };
}

/** Entropy-SGD and HEAT share this class; they differ only in the averaging. */
export class LocalEntropyDescent implements Optimizer<EntropySGDState> {
  private k = 0;
  private rng: Rng;
  private velocity: Vector | null = null;
  private innerVelocity: Vector | null = null;
  private y: Vector | null = null;
  private mean: Vector | null = null;
  private grad: Vector | null = null;
  constructor(readonly name: string, private readonly fn: string, private readonly r: ResolvedLocalEntropy) {
    this.rng = new Rng(r.seed).split(0);
  }

  step(x: Vector, oracle: GradientOracle): StepResult {
    const fn = this.fn, r = this.r;
    const velocity = (this.velocity = adopt(fn, this.velocity, x));
    const innerVelocity = (this.innerVelocity = adopt(fn, this.innerVelocity, x));
    const y = (this.y = adopt(fn, this.y, x)), mean = (this.mean = adopt(fn, this.mean, x));
    const grad = (this.grad = adopt(fn, this.grad, x));
    const { settings, t, lr } = innerSettingsAt(fn, r, this.k);
    if (r.resetInnerMomentum) innerVelocity.fill(0);
    const loss = localMean(fn, x, oracle, settings, { y, mean, grad, velocity: innerVelocity }, this.rng, this.k);
    // Outer direction, written into grad (free after the inner loop): (x − μ)/t or (x − μ), + wd·x.
    const scale = r.form === 'gradient' ? 1 / t : 1, wd = r.weightDecay;
    // A Float32Array in float32, as the fused last pass of the chain kernel computes it (local-mean.ts).
    const float32 = x instanceof Float32Array, R = float32 ? Math.fround : (v: number): number => v, sf = R(scale), wf = R(wd);
    for (let p = 0; p < x.length; p++) grad[p] = R(R(R(x[p] - mean[p]) * sf) + R(wf * x[p]));
    momentumStep(x, grad, velocity, lr, r.momentum, r.nesterov, float32);
    this.k++;
    return { loss, gradEvals: r.innerSteps };
  }
  state(): EntropySGDState {
    return { k: this.k, velocity: snapshot(this.velocity), innerVelocity: snapshot(this.innerVelocity), rng: this.rng.state() };
  }
  load(s: EntropySGDState): void {
    this.k = s.k; this.velocity = snapshot(s.velocity); this.innerVelocity = snapshot(s.innerVelocity);
    this.rng = Rng.fromState(s.rng);
  }
}

/**
 * Entropy-SGD: x ← x − lr·(x − μ)/t with μ ≈ ⟨y⟩ from L SGLD steps (or the reference's coupling
 * form). L oracle calls per step; the reported loss is the one at the anchor x.
 * @throws RangeError if lr or t ≤ 0, innerSteps < 1, innerLr ≤ 0, beta ≤ 0, alpha ∉ (0, 1],
 *   momentum ∉ [0, 1), weightDecay < 0, an unknown form; at a step, if a schedule leaves its range
 *   or the oracle returns a non-finite loss or gradient
 * @example const opt = entropySGD({ lr: 1, t: 0.5, innerSteps: 20, innerLr: 0.1, beta: 1e4, seed: 7 });
 */
export function entropySGD(opts: EntropySGDOptions): Optimizer<EntropySGDState> {
  return new LocalEntropyDescent('entropy-sgd', 'entropySGD', resolveLocalEntropy('entropySGD', opts, 'exponential'));
}
