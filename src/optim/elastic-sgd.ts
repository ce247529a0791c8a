/**
 * Elastic-SGD / Parle (paper-notes §3.9, §4.5): n replicas, each an Entropy-SGD chain anchored at
 * its own xᵃ (proximal coupling 1/t), elastically coupled (ρ) to a reference x:
 *   each replica:  μᵃ ≈ ⟨y⟩ (L SGLD steps),  xᵃ ← xᵃ − lr·D((xᵃ − μᵃ)/t + ρ(xᵃ − x) + wd·xᵃ)
 *   reference:     'mean' (Parle):     x ← (1/n) Σₐ xᵃ   (new anchors)
 *                  'elastic' (EASGD):  x ← x + lr·ρ·Σₐ (xᵃ − x)   (anchors before this round)
 * Exact special cases (tested): n = 1, ρ = 0 is {@link entropySGD} with the same options and seed;
 * n = 1, ρ = 0, L = 1, α = 1, innerLr = t is SGD; L = 1, α = 1, innerLr = t, center 'elastic' is
 * synchronous EASGD (Zhang et al. 2015): xᵃ ← xᵃ − lr(∇f(xᵃ) + ρ(xᵃ − x)), x ← x + lr·ρ·Σ(xᵃ − x).
 * (With L = 1, α = 1, η′ = t the inner loop gives μ = xᵃ − t∇f(xᵃ), so (xᵃ − μ)/t = ∇f(xᵃ).)
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from './types.js';
import { scheduleValue, type Schedule, type ScheduleLike } from './schedules.js';
import { nonnegativeSchedule, oneOf } from './options.js';
import { innerSettingsAt, resolveLocalEntropy, type EntropySGDOptions, type ResolvedLocalEntropy } from './entropy-sgd.js';
import { REPLICA_SLOTS, newReplica, replicaFromState, replicaRound, replicaState, type Normals, type Replica, type ReplicaState, type RoundScalars } from './replica.js';
import { adopt, requireLength, vectorLike } from './vectors.js';
import { workspaceFor, type Workspace } from './workspace.js';
import { mustBeInteger, mustBeType } from '../util/validate.js';

/** Options of {@link elasticSGD}: Entropy-SGD's, plus the replicas and their coupling. */
export interface ElasticSGDOptions extends EntropySGDOptions {
  /** Number of replicas n ≥ 1. */
  replicas: number;
  /** Elastic coupling ρ ≥ 0 (number or schedule of the round k). @defaultValue 0 */
  rho?: ScheduleLike;
  /** Reference update. @defaultValue 'mean' */
  center?: 'mean' | 'elastic';
}

/** Defaults of the options {@link ElasticSGDOptions} adds. */
export const ELASTIC_SGD_DEFAULTS = { rho: 0, center: 'mean' } as const;

/** Checkpoint of {@link elasticSGD} (replicas are [] before the first step). */
export interface ElasticSGDState { k: number; replicas: ReplicaState[] }

/** Resolved options (internal, shared with the worker coordinator). */
export interface ResolvedElastic { base: ResolvedLocalEntropy; replicas: number; rho: Schedule; center: 'mean' | 'elastic' }

/** Validates {@link ElasticSGDOptions}. */
export function resolveElastic(fn: string, o: ElasticSGDOptions): ResolvedElastic {
  mustBeInteger(fn, 'replicas', o.replicas, 1);
  return {
    base: resolveLocalEntropy(fn, o, 'exponential'),
    replicas: o.replicas,
    rho: nonnegativeSchedule(fn, 'rho', o.rho ?? ELASTIC_SGD_DEFAULTS.rho),
    center: oneOf(fn, 'center', o.center ?? ELASTIC_SGD_DEFAULTS.center, ['mean', 'elastic']),
  };
}

/**
 * Checks that every replica state carries a SIMD generator iff the optimizer draws with normals:
 * 'simd', and block streams iff 'parallel'.
 * @throws RangeError otherwise
 */
export function requireNormalsMatch(fn: string, s: ElasticSGDState, normals: Normals): void {
  const simd = normals === 'simd', blocks = normals === 'parallel';
  mustBeType(fn, 'replicas[].simd', s.replicas, s.replicas.every((rs) => (rs?.simd !== undefined) === simd),
    simd ? "present in every replica state (the optimizer draws with normals: 'simd')" : `absent (the optimizer draws with normals: '${normals}')`);
  mustBeType(fn, 'replicas[].blocks', s.replicas, s.replicas.every((rs) => (rs?.blocks !== undefined) === blocks),
    blocks ? "present in every replica state (the optimizer draws with normals: 'parallel')" : `absent (the optimizer draws with normals: '${normals}')`);
}

/** The scalars of round k (schedules evaluated and range-checked once, for every replica). */
export function roundScalars(fn: string, r: ResolvedElastic, k: number): RoundScalars {
  const { settings, t, lr } = innerSettingsAt(fn, r.base, k);
  return {
    settings, lr, directionScale: r.base.form === 'gradient' ? 1 / t : 1,
    rho: scheduleValue(fn, 'rho', r.rho, k, 'nonnegative'),
    momentum: r.base.momentum, nesterov: r.base.nesterov, resetInnerMomentum: r.base.resetInnerMomentum, weightDecay: r.base.weightDecay,
  };
}

/**
 * Before a round, for 'elastic': writes Σₐ (xᵃ − x) into `out` (summed in replica order).
 */
export function elasticPull(x: Vector, anchors: readonly Vector[], out: Vector): void {
  out.fill(0);
  for (const anchor of anchors) for (let p = 0; p < x.length; p++) out[p] += anchor[p] - x[p];
}

/** After a round: the reference update (see the module comment), in place on x. */
export function updateCenter(center: 'mean' | 'elastic', x: Vector, anchors: readonly Vector[], pull: Vector, lr: number, rho: number): void {
  if (center === 'elastic') {
    const step = lr * rho;
    for (let p = 0; p < x.length; p++) x[p] += step * pull[p];
    return;
  }
  x.fill(0);
  for (const anchor of anchors) for (let p = 0; p < x.length; p++) x[p] += anchor[p];
  const inv = 1 / anchors.length;
  for (let p = 0; p < x.length; p++) x[p] *= inv;
}

/** Elastic-SGD as an {@link Optimizer}, plus a step with one oracle per replica. */
export interface ElasticSGD extends Optimizer<ElasticSGDState> {
  /**
   * One round with replica a drawing its gradients from `oracleFor(a)` (a stochastic objective
   * then gives each replica its own minibatch stream, as in the parallel run). `step(x, oracle)`
   * is `stepReplicas(x, () => oracle)`: the replicas run in order a = 0, 1, … on one oracle.
   */
  stepReplicas(x: Vector, oracleFor: (replica: number) => GradientOracle): StepResult;
}

class ElasticSGDImpl implements ElasticSGD {
  readonly name = 'elastic-sgd';
  private k = 0;
  private replicas: Replica[] = [];
  private ws: Workspace | null = null;
  private pull: Vector | null = null;
  constructor(private readonly r: ResolvedElastic) {}

  step(x: Vector, oracle: GradientOracle): StepResult { return this.stepReplicas(x, () => oracle); }

  stepReplicas(x: Vector, oracleFor: (replica: number) => GradientOracle): StepResult {
    const fn = 'elasticSGD', r = this.r, n = r.replicas;
    if (this.replicas.length === 0) for (let a = 0; a < n; a++) this.replicas.push(newReplica(x, r.base.seed, a, (m) => vectorLike(x, m), r.base.normals));
    requireLength(fn, x, this.replicas[0].anchor.length);
    if ((this.replicas[0].anchor instanceof Float32Array) !== (x instanceof Float32Array)) {
      // A loaded snapshot (Float64Array) resumed on a Float32Array x: retype, as the original run had.
      this.replicas = this.replicas.map((rep) => replicaFromState(replicaState(rep), (m) => vectorLike(x, m)));
    }
    const ws = (this.ws = workspaceFor(fn, this.ws, x, REPLICA_SLOTS)), pull = (this.pull = adopt(fn, this.pull, x));
    const c = roundScalars(fn, r, this.k);
    const anchors = this.replicas.map((rep) => rep.anchor);
    if (r.center === 'elastic') elasticPull(x, anchors, pull);
    let loss = 0;
    for (let a = 0; a < n; a++) loss += replicaRound(fn, x, oracleFor(a), c, this.replicas[a], ws, this.k, a);
    updateCenter(r.center, x, anchors, pull, c.lr, c.rho);
    this.k++;
    return { loss: loss / n, gradEvals: n * r.base.innerSteps };
  }
  state(): ElasticSGDState { return { k: this.k, replicas: this.replicas.map(replicaState) }; }
  load(s: ElasticSGDState): void {
    mustBeType('elasticSGD.load', 'replicas', s.replicas, Array.isArray(s.replicas) && (s.replicas.length === 0 || s.replicas.length === this.r.replicas), `an array of ${this.r.replicas} replica states`);
    requireNormalsMatch('elasticSGD.load', s, this.r.base.normals);
    this.k = s.k;
    this.replicas = s.replicas.map((rs) => replicaFromState(rs, (m) => new Float64Array(m)));
  }
}

/**
 * Elastic-SGD / Parle with n replicas run in this thread (see `elasticSGDParallel` for worker
 * threads). The reported loss is the replicas' mean loss at their anchors; gradEvals = n·L.
 * @throws RangeError for invalid options (as {@link entropySGD}, plus replicas < 1, rho < 0, an
 *   unknown center); at a step, on a schedule out of range or a non-finite oracle output (naming
 *   the step, replica and inner iteration)
 * @example const opt = elasticSGD({ replicas: 4, lr: 0.1, t: 0.5, rho: 0.1, innerSteps: 10 });
 */
export function elasticSGD(opts: ElasticSGDOptions): ElasticSGD {
  return new ElasticSGDImpl(resolveElastic('elasticSGD', opts));
}
