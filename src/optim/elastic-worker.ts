/**
 * The worker side of {@link elasticSGDParallel}: hosts a block of replicas, builds each replica's
 * oracle from the serialisable objective (module + export + options), and runs rounds on request
 * with the same `replicaRound` code as the in-process optimizer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { GradientOracle, Vector } from './types.js';
import { loadReplicaOracle, type ReplicaObjective } from './replica-objective.js';
import { REPLICA_SLOTS, newReplica, replicaFromState, replicaRound, replicaState, type Normals, type Replica, type ReplicaState, type RoundScalars } from './replica.js';
import { vectorLike } from './vectors.js';
import { workspaceFor, type Workspace } from './workspace.js';

/** Messages from the coordinator. */
export type WorkerRequest =
  | { type: 'init'; objective: ReplicaObjective; replicas: number[]; seed: number; normals: Normals }
  | { type: 'round'; k: number; x: Vector; scalars: RoundScalars }
  | { type: 'state' }
  | { type: 'load'; states: ReplicaState[]; float32: boolean };

/** Replies: anchors after a round (in this worker's replica order) with their first losses. */
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'round'; anchors: Vector[]; losses: number[] }
  | { type: 'state'; states: ReplicaState[] }
  | { type: 'loaded' }
  | { type: 'error'; name: string; message: string };

const port = parentPort;
if (port !== null && workerData?.role === 'deeprelax-elastic-worker') {
  let ids: number[] = [], seed = 0, normals: Normals = 'sequential';
  let oracles: GradientOracle[] = [];
  let replicas: Replica[] = [];
  let ws: Workspace | null = null;
  port.on('message', async (msg: WorkerRequest) => {
    try {
      if (msg.type === 'init') {
        ids = msg.replicas; seed = msg.seed; normals = msg.normals;
        oracles = [];
        for (const a of ids) oracles.push(await loadReplicaOracle(msg.objective, a));
        port.postMessage({ type: 'ready' } satisfies WorkerReply);
      } else if (msg.type === 'round') {
        const x = msg.x;
        if (replicas.length === 0) replicas = ids.map((a) => newReplica(x, seed, a, (m) => vectorLike(x, m), normals));
        if (ws !== null && ws.n !== x.length) ws = null;
        const work = (ws = workspaceFor('elasticSGDParallel', ws, x, REPLICA_SLOTS));
        const losses = ids.map((a, j) => replicaRound('elasticSGDParallel', x, oracles[j], msg.scalars, replicas[j], work, msg.k, a));
        port.postMessage({ type: 'round', anchors: replicas.map((r) => r.anchor), losses } satisfies WorkerReply);
      } else if (msg.type === 'state') {
        port.postMessage({ type: 'state', states: replicas.map(replicaState) } satisfies WorkerReply);
      } else if (msg.type === 'load') {
        replicas = msg.states.map((s) => replicaFromState(s, (m) => (msg.float32 ? new Float32Array(m) : new Float64Array(m))));
        port.postMessage({ type: 'loaded' } satisfies WorkerReply);
      }
    } catch (err) {
      const e = err as Error;
      port.postMessage({ type: 'error', name: e.name, message: e.message } satisfies WorkerReply);
    }
  });
}
