/**
 * Presets reproducing the authors' settings, mapping the reference code's coupling convention
 * (g = 1/t, eps with β = 1/eps², llr, beta1 = 1 − α, `L`) to ours (paper-notes §2, §4; the table is
 * in docs/optimizers.md). Scoping is reproduced as the DR code (pratikac/hamilton-jacobi) does it:
 * its counter is incremented before use, so outer step k (from 0) uses g0·(1 + g1)^(k+1).
 */
import type { EntropySGDOptions } from './entropy-sgd.js';
import type { HJOptions } from './hj.js';
import type { ElasticSGDOptions } from './elastic-sgd.js';
import { clamp, every, exponential, offset, reciprocal, scoping, type Schedule, type ScheduleLike } from './schedules.js';
import { mustBe, mustBeInteger } from '../util/validate.js';

/** The reference code's Entropy-SGD / HEAT settings (class ESGD of pratikac/hamilton-jacobi). */
export interface ReferenceSettings {
  /** Inner iterations (the reference's L = 0 means plain SGD: use `sgd` then). */
  L: number;
  /** Outer learning rate (coupling form: x ← x − lr·(x − μ)), number or schedule. @defaultValue 0.1 */
  lr?: ScheduleLike;
  /** Initial coupling g0 = 1/t₀. @defaultValue 1e-2 */
  g0?: number;
  /** Scoping rate: g_k = g0·(1 + g1)^k. @defaultValue 0 */
  g1?: number;
  /** Langevin noise; β = 1/eps² (eps = 0: no noise). @defaultValue 1e-4 */
  eps?: number;
  /** Inner (Langevin) step. @defaultValue 0.1 */
  llr?: number;
  /** Weight on the old average; α = 1 − beta1. @defaultValue 0.75 */
  beta1?: number;
  /** Momentum of both the inner and the outer loop (the reference shares it). @defaultValue 0.9 */
  momentum?: number;
  /** Nesterov for both loops. @defaultValue true */
  nesterov?: boolean;
  /** L2 weight decay. @defaultValue 0 */
  wd?: number;
  /** Seed of our Langevin stream. @defaultValue 0 */
  seed?: number;
}

/** Defaults of the reference class ESGD (paper-notes §4.1). */
export const REFERENCE_DEFAULTS = { lr: 0.1, g0: 1e-2, g1: 0, eps: 1e-4, llr: 0.1, beta1: 0.75, momentum: 0.9, nesterov: true, wd: 0, seed: 0 } as const;

/** The reference scoping as a schedule of our relaxation time: t_k = 1/(g0·(1 + g1)^(k+1)). */
export function referenceScoping(g0: number, g1: number): Schedule {
  return offset(scoping(g0, g1), 1);
}

/**
 * Entropy-SGD options reproducing the DR experiments' ESGD class: coupling form, t_k from
 * (g0, g1) with the counter advancing every step, β = 1/eps², η′ = llr, α = 1 − beta1, the shared
 * (Nesterov) momentum inside the inner loop on the whole drift (buffer kept across steps) and on the
 * outer step. Pass the result to `entropySGD` (or, without `alpha`, to `heat`).
 * @throws RangeError if L < 1 (with the hint to use sgd), or a setting is out of range
 * @example entropySGD(fromReference({ L: 20, g0: 0.03, g1: 1e-3, lr: 1 }))
 */
export function fromReference(ref: ReferenceSettings): EntropySGDOptions {
  const fn = 'fromReference', d = REFERENCE_DEFAULTS;
  mustBeInteger(fn, 'L', ref.L, 1);
  const eps = ref.eps ?? d.eps, beta1 = ref.beta1 ?? d.beta1;
  mustBe(fn, 'eps', eps, Number.isFinite(eps) && eps >= 0, 'finite and ≥ 0 (L = 0 in the reference is plain SGD: use sgd)');
  mustBe(fn, 'beta1', beta1, beta1 >= 0 && beta1 < 1, 'in [0, 1)');
  const momentum = ref.momentum ?? d.momentum, nesterov = ref.nesterov ?? d.nesterov;
  return {
    form: 'coupling', lr: ref.lr ?? d.lr, t: referenceScoping(ref.g0 ?? d.g0, ref.g1 ?? d.g1),
    innerSteps: ref.L, innerLr: ref.llr ?? d.llr, beta: eps === 0 ? Infinity : 1 / (eps * eps), alpha: 1 - beta1,
    momentum, nesterov, innerMomentum: momentum, innerNesterov: nesterov, innerMomentumOn: 'all', resetInnerMomentum: false,
    weightDecay: ref.wd ?? d.wd, seed: ref.seed ?? d.seed,
  };
}

/**
 * HJ options reproducing the reference FP class ("HJ" in the paper's plots): damped fixed point
 * with α = 0.25, t_k = 1/(g0(1 + g1)^(k+1)), outer (Nesterov) momentum.
 * @throws RangeError if L < 1
 * @example hj(hjFromReference({ L: 10, g0: 1e-2, lr: 0.1 }))
 */
export function hjFromReference(ref: { L: number; lr?: ScheduleLike; g0?: number; g1?: number; momentum?: number; nesterov?: boolean; wd?: number }): HJOptions {
  mustBeInteger('hjFromReference', 'L', ref.L, 1);
  const d = REFERENCE_DEFAULTS;
  return {
    method: 'fixed-point', lr: ref.lr ?? d.lr, t: referenceScoping(ref.g0 ?? d.g0, ref.g1 ?? d.g1), innerSteps: ref.L, alpha: 0.25,
    momentum: ref.momentum ?? d.momentum, nesterov: ref.nesterov ?? d.nesterov, weightDecay: ref.wd ?? d.wd,
  };
}

/** The Parle reference's settings (ucla-vision/parle, parle_mpi.py). */
export interface ParleReferenceSettings {
  /** Replicas n (MPI size). */
  n: number;
  /** Minibatches per epoch nb (one round per nb, L minibatches each). */
  minibatchesPerEpoch: number;
  /** Learning rate, divided by 10 after every epoch (nb rounds). @defaultValue 0.1 */
  lr?: number;
  /** Proximal eval steps L. @defaultValue 25 */
  L?: number;
  /** Initial proximal coupling γ (ours: t = 1/γ). @defaultValue 0.01 */
  gamma?: number;
  /** Initial elastic coupling, scaled by L·n as the reference does. @defaultValue 0.01 */
  rho?: number;
  /** Seed. @defaultValue 0 */
  seed?: number;
}

/**
 * Elastic-SGD options reproducing Parle's schedules: γ_k = min(γ(1 + 0.5/nb)^k, 1) (so
 * t_k = 1/γ_k ≥ 1), ρ_k = min(ρ·L·n·(1 + 0.5/nb)^k, 10), lr_k = lr·10^(−⌊k/nb⌋) for both loops,
 * Nesterov momentum 0.9 on both loops, α = 0.25, no noise, coupling form, reference = mean of
 * anchors. k counts rounds (the reference's inner-step counter divided by L; its counter advancing
 * once per parameter tensor is not reproduced). Differences kept: the reference also keeps its
 * average zᵃ across rounds and re-centres on mean(zᵃ) before the elastic step (see docs).
 * @throws RangeError for n < 1 or minibatchesPerEpoch < 1
 */
export function parleFromReference(ref: ParleReferenceSettings): ElasticSGDOptions {
  const fn = 'parleFromReference';
  mustBeInteger(fn, 'n', ref.n, 1);
  mustBeInteger(fn, 'minibatchesPerEpoch', ref.minibatchesPerEpoch, 1);
  const nb = ref.minibatchesPerEpoch, L = ref.L ?? 25, lr = ref.lr ?? 0.1, gamma = ref.gamma ?? 0.01, rho = ref.rho ?? 0.01;
  mustBeInteger(fn, 'L', L, 1);
  const growth = 0.5 / nb;
  const lrSchedule = every(exponential(lr, -0.9), nb); // lr·0.1^⌊k/nb⌋
  return {
    replicas: ref.n, innerSteps: L, form: 'coupling', center: 'mean', alpha: 0.25, beta: Infinity,
    lr: lrSchedule, innerLr: lrSchedule,
    t: reciprocal(clamp(exponential(gamma, growth), { max: 1 })),
    rho: clamp(exponential(rho * L * ref.n, growth), { max: 10 }),
    momentum: 0.9, nesterov: true, innerMomentum: 0.9, innerNesterov: true, innerMomentumOn: 'all',
    seed: ref.seed ?? 0,
  };
}
