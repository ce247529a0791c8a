/**
 * One Elastic-SGD / Parle replica's round (paper-notes §3.9, §4.5), shared by the in-process
 * optimizer and the worker threads so that both compute bit-identical results:
 *   μᵃ ≈ ⟨y⟩ from L SGLD steps on f(y) + |y − xᵃ|²/(2t) started at the replica anchor xᵃ,
 *   xᵃ ← xᵃ − lr·D( (xᵃ − μᵃ)·s + ρ·(xᵃ − x) + wd·xᵃ ),   s = 1/t ('gradient') or 1 ('coupling'),
 * with x the reference (master) variable and D the replica's outer (Nesterov) momentum.
 */
import type { GradientOracle, Vector } from './types.js';
import { Rng, type RngState } from '../util/random.js';
import { ANCHOR, INNER_VELOCITY, LOCAL_MEAN_SLOTS, MEAN, localMean, type InnerLoopSettings } from './local-mean.js';
import { snapshot } from './vectors.js';
import { SimdNormals, type SimdNormalsState } from './simd-normal-kernel.js';
import { BlockNormals, type BlockNormalsState } from './block-normals.js';

/** Which Langevin normals a replica draws (the optimizers' `normals` option). */
export type Normals = 'sequential' | 'simd' | 'parallel';
import { momentumMode, type Workspace } from './workspace.js';

/** Workspace vectors of a replica round: the inner loop's, then the reference x and the replica's outer buffer. */
const CENTER = LOCAL_MEAN_SLOTS, VELOCITY = LOCAL_MEAN_SLOTS + 1;
/** Number of workspace vectors {@link replicaRound} uses. */
export const REPLICA_SLOTS = LOCAL_MEAN_SLOTS + 2;

/** Checkpoint of one replica. */
export interface ReplicaState {
  /** Anchor xᵃ. */
  anchor: Float64Array;
  /** Outer momentum buffer. */
  velocity: Float64Array;
  /** Inner momentum buffer. */
  innerVelocity: Float64Array;
  /** Langevin stream of this replica (stream a of the seed). */
  rng: RngState;
  /** The replica's SIMD normal generator (lanes split from its stream), present iff normals = 'simd'. */
  simd?: SimdNormalsState;
  /** The replica's block streams (key from its stream, pass counter), present iff normals = 'parallel'. */
  blocks?: BlockNormalsState;
}

/** The per-round scalars, identical for every replica (schedules evaluated by the coordinator). */
export interface RoundScalars {
  settings: InnerLoopSettings;
  lr: number;
  /** 1/t ('gradient' form) or 1 ('coupling' form). */
  directionScale: number;
  rho: number;
  momentum: number;
  nesterov: boolean;
  resetInnerMomentum: boolean;
  weightDecay: number;
}

/** Live buffers of one replica (typed like x). */
export interface Replica {
  anchor: Vector; velocity: Vector; innerVelocity: Vector; rng: Rng; simd: SimdNormals | null; blocks: BlockNormals | null;
}

/** A fresh replica anchored at x, with stream a of `seed` (and the SIMD generator or the block streams derived from it, per `normals`). */
export function newReplica(x: Vector, seed: number, a: number, like: (n: number) => Vector, normals: Normals = 'sequential'): Replica {
  const anchor = like(x.length); anchor.set(x);
  const rng = new Rng(seed).split(a);
  return { anchor, velocity: like(x.length), innerVelocity: like(x.length), rng,
    simd: normals === 'simd' ? SimdNormals.fromRng(rng) : null, blocks: normals === 'parallel' ? BlockNormals.fromRng(rng) : null };
}

/** Snapshot of a replica. */
export function replicaState(r: Replica): ReplicaState {
  const s: ReplicaState = { anchor: snapshot(r.anchor)!, velocity: snapshot(r.velocity)!, innerVelocity: snapshot(r.innerVelocity)!, rng: r.rng.state() };
  if (r.simd) s.simd = r.simd.state();
  if (r.blocks) s.blocks = r.blocks.state();
  return s;
}

/** Restores a replica from a snapshot, typed like `like`. */
export function replicaFromState(s: ReplicaState, like: (n: number) => Vector): Replica {
  const copy = (v: Float64Array): Vector => { const out = like(v.length); out.set(v); return out; };
  return { anchor: copy(s.anchor), velocity: copy(s.velocity), innerVelocity: copy(s.innerVelocity), rng: Rng.fromState(s.rng),
    simd: s.simd ? SimdNormals.fromState(s.simd) : null, blocks: s.blocks ? BlockNormals.fromState(s.blocks) : null };
}

/**
 * One round of replica a: inner loop, then the anchor update above (in place). `ws` (with
 * {@link REPLICA_SLOTS} vectors) is shared by the replicas of one thread; the replica's buffers are
 * copied through it, and the anchor update is one fused kernel pass (wasm/assembly/optim-update.ts).
 * @returns the loss of the first inner evaluation (at the anchor)
 */
export function replicaRound(fn: string, x: Vector, oracle: GradientOracle, c: RoundScalars, r: Replica,
  ws: Workspace, k: number, a: number): number {
  if (c.resetInnerMomentum) r.innerVelocity.fill(0);
  const withMomentum = c.settings.innerMomentum !== 0; // else the inner loop never touches the buffer
  if (withMomentum) ws.vec(INNER_VELOCITY).set(r.innerVelocity);
  const loss = localMean(fn, r.anchor, oracle, c.settings, ws, r.blocks ?? r.simd ?? r.rng, k, a);
  if (withMomentum) r.innerVelocity.set(ws.vec(INNER_VELOCITY));
  // localMean left the anchor in ws.vec(ANCHOR); the update runs there and is copied out.
  const mode = momentumMode(c.momentum, c.nesterov);
  ws.copyIn(CENTER, x);
  if (mode !== 0) ws.vec(VELOCITY).set(r.velocity);
  ws.k.elastic(x.length, ws.at(ANCHOR), ws.at(MEAN), ws.at(CENTER), ws.at(VELOCITY), c.directionScale, c.rho, c.weightDecay, c.lr, c.momentum, mode);
  r.anchor.set(ws.vec(ANCHOR));
  if (mode !== 0) r.velocity.set(ws.vec(VELOCITY));
  return loss;
}
