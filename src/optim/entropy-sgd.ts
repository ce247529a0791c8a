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
import type { GradientOracle, Optimizer, StepResult, Vector } from './types.js';
import { Rng, type RngState } from '../util/random.js';
import { SimdNormals, type SimdNormalsState } from './simd-normal-kernel.js';
import { BlockNormals, type BlockNormalsState } from './block-normals.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag, unitWeight, inverseTemperature, innerCount, seedValue, oneOf } from './options.js';
import { snapshot } from './vectors.js';
import { mustBe } from '../util/validate.js';
import { adoptInto, momentumMode, workspaceFor, type Workspace } from './workspace.js';
import { ANCHOR, INNER_VELOCITY, LOCAL_MEAN_SLOTS, localMean, type InnerLoopSettings } from './local-mean.js';

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
  /**
   * Generator of the Langevin normals. 'sequential': the ziggurat on the seed's single xoshiro128**
   * stream (bit-identical to `Rng.fillNormal`; the committed results use it). 'simd': 8 streams in
   * WebAssembly SIMD lanes (src/optim/simd-normal-kernel.ts), a different seeded, reproducible stream
   * of the same law, several times faster (docs/optimizers.md). 'parallel': the same SIMD generator
   * seeded afresh for every block of 16,384 parameters of every pass from (seed, pass, block)
   * (src/optim/block-normals.ts), so that both threads draw at once: another stream of the same law,
   * the same bits on one and two threads, and for float32 parameters drawn one 32-bit word per value
   * (float32 normals; the fastest choice). Only drawn when beta is finite.
   * @defaultValue 'sequential'
   */
  normals?: 'sequential' | 'simd' | 'parallel';
}

/** Defaults of {@link EntropySGDOptions}. */
export const ENTROPY_SGD_DEFAULTS = {
  innerSteps: 20, innerLr: 0.1, beta: Infinity, alpha: 0.25, form: 'gradient', momentum: 0, nesterov: false,
  innerMomentum: 0, innerNesterov: false, innerMomentumOn: 'all', resetInnerMomentum: false, weightDecay: 0, seed: 0,
  normals: 'sequential',
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
  /** The SIMD generator's state (present iff normals = 'simd'). */
  simd?: SimdNormalsState;
  /** The block streams' key and pass counter (present iff normals = 'parallel'). */
  blocks?: BlockNormalsState;
}

/** Resolved, validated options (internal). */
export interface ResolvedLocalEntropy {
  lr: Schedule; t: Schedule; innerLr: Schedule; innerSteps: number; beta: number; alpha: number;
  averaging: 'exponential' | 'uniform'; form: 'gradient' | 'coupling'; momentum: number; nesterov: boolean;
  innerMomentum: number; innerNesterov: boolean; innerMomentumOn: 'all' | 'gradient'; resetInnerMomentum: boolean;
  weightDecay: number; seed: number; normals: 'sequential' | 'simd' | 'parallel';
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
    normals: oneOf(fn, 'normals', o.normals ?? d.normals, ['sequential', 'simd', 'parallel']),
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

/**
 * The outer momentum buffer's two workspace vectors, after the inner loop's: the last inner pass
 * reads the current one and writes the other, which becomes current once the step succeeded (so a
 * step that fails leaves the buffer as it was).
 */
const VELOCITY = LOCAL_MEAN_SLOTS, VELOCITY_NEXT = LOCAL_MEAN_SLOTS + 1;

/** Entropy-SGD and HEAT share this class; they differ only in the averaging. */
export class LocalEntropyDescent implements Optimizer<EntropySGDState> {
  private k = 0;
  private rng: Rng;
  private simd: SimdNormals | null;
  private blocks: BlockNormals | null;
  private velocity: Vector | null = null;
  /** Which of VELOCITY / VELOCITY_NEXT holds the outer momentum buffer. */
  private velocitySlot = VELOCITY;
  private innerVelocity: Vector | null = null;
  private ws: Workspace | null = null;
  constructor(readonly name: string, private readonly fn: string, private readonly r: ResolvedLocalEntropy) {
    this.rng = new Rng(r.seed).split(0);
    this.simd = r.normals === 'simd' ? SimdNormals.fromRng(this.rng) : null;
    this.blocks = r.normals === 'parallel' ? BlockNormals.fromRng(this.rng) : null;
  }

  step(x: Vector, oracle: GradientOracle): StepResult {
    const fn = this.fn, r = this.r;
    const ws = (this.ws = workspaceFor(fn, this.ws, x, LOCAL_MEAN_SLOTS + 2));
    const current = this.velocitySlot, next = current === VELOCITY ? VELOCITY_NEXT : VELOCITY;
    this.velocity = adoptInto(fn, ws.vec(current), this.velocity);
    const innerVelocity = (this.innerVelocity = adoptInto(fn, ws.vec(INNER_VELOCITY), this.innerVelocity));
    const { settings, t, lr } = innerSettingsAt(fn, r, this.k);
    if (r.resetInnerMomentum) innerVelocity.fill(0);
    // The outer direction (x − μ)/t or (x − μ), + wd·x, and the momentum step, fused into the last
    // inner pass: into x itself when the workspace holds it, else into the anchor copy, copied out.
    const mode = momentumMode(r.momentum, r.nesterov);
    // The generator the noise is drawn from, as it was, to put back if the step fails (a few words;
    // only that generator, only when noise is drawn; the block streams' state is their pass counter).
    const noisy = settings.noiseScale !== 0, passesBefore = this.blocks?.counter ?? 0;
    const rngBefore = noisy && !this.simd && !this.blocks ? this.rng.state() : null, simdBefore = noisy && this.simd ? this.simd.state() : null;
    let loss: number;
    try {
      loss = localMean(fn, x, oracle, settings, ws, this.blocks ?? this.simd ?? this.rng, this.k, undefined, {
        scale: r.form === 'gradient' ? 1 / t : 1, weightDecay: r.weightDecay, lr, momentum: r.momentum, mode,
        velIn: ws.at(current), velOut: ws.at(mode === 0 ? current : next),
      });
    } catch (e) {
      if (rngBefore) this.rng = Rng.fromState(rngBefore);
      if (simdBefore) this.simd = SimdNormals.fromState(simdBefore);
      if (this.blocks) this.blocks.counter = passesBefore;
      throw e;
    }
    ws.restore(x, ANCHOR);
    if (mode !== 0) { this.velocitySlot = next; this.velocity = ws.vec(next); }
    this.k++;
    return { loss, gradEvals: r.innerSteps };
  }
  state(): EntropySGDState {
    const s: EntropySGDState = { k: this.k, velocity: snapshot(this.velocity), innerVelocity: snapshot(this.innerVelocity), rng: this.rng.state() };
    if (this.simd) s.simd = this.simd.state();
    if (this.blocks) s.blocks = this.blocks.state();
    return s;
  }
  /** @throws RangeError if the state's generator does not match the `normals` option (or as Rng.fromState / SimdNormals.fromState / BlockNormals.fromState) */
  load(s: EntropySGDState): void {
    const normals = this.r.normals, simd = normals === 'simd', blocks = normals === 'parallel';
    mustBe(this.fn, 'state.simd', s.simd, simd === (s.simd !== undefined),
      simd ? "present (the optimizer draws with normals: 'simd')" : `absent (the optimizer draws with normals: '${normals}')`);
    mustBe(this.fn, 'state.blocks', s.blocks, blocks === (s.blocks !== undefined),
      blocks ? "present (the optimizer draws with normals: 'parallel')" : `absent (the optimizer draws with normals: '${normals}')`);
    const rng = Rng.fromState(s.rng), gen = s.simd ? SimdNormals.fromState(s.simd) : null, streams = s.blocks ? BlockNormals.fromState(s.blocks) : null;
    this.k = s.k; this.velocity = snapshot(s.velocity); this.innerVelocity = snapshot(s.innerVelocity);
    this.rng = rng; this.simd = gen; this.blocks = streams;
  }
}

/**
 * Entropy-SGD: x ← x − lr·(x − μ)/t with μ ≈ ⟨y⟩ from L SGLD steps (or the reference's coupling
 * form). L oracle calls per step; the reported loss is the one at the anchor x.
 * @throws RangeError if lr or t ≤ 0, innerSteps < 1, innerLr ≤ 0, beta ≤ 0, alpha ∉ (0, 1],
 *   momentum ∉ [0, 1), weightDecay < 0, an unknown form or normals; at a step, if a schedule leaves its range
 *   or the oracle returns a non-finite loss or gradient
 * @example const opt = entropySGD({ lr: 1, t: 0.5, innerSteps: 20, innerLr: 0.1, beta: 1e4, seed: 7 });
 */
export function entropySGD(opts: EntropySGDOptions): Optimizer<EntropySGDState> {
  return new LocalEntropyDescent('entropy-sgd', 'entropySGD', resolveLocalEntropy('entropySGD', opts, 'exponential'));
}
