/**
 * Elastic-SGD / Parle with the replicas in parallel `worker_threads`. The objective must be
 * rebuildable in a worker, so it is given as a {@link ReplicaObjective} (module + factory +
 * options); each replica a builds its own oracle `factory(options, a)`. The coordinator evaluates
 * the schedules, sends (k, x, scalars) to every worker, gathers the new anchors in replica order and
 * updates the reference exactly as {@link elasticSGD} does, so the run is bit-identical to
 * `elasticSGD(opts).stepReplicas(x, (a) => oracles[a])` — which is what `workers: 0` runs, in-process.
 */
import { Worker } from 'node:worker_threads';
import type { GradientOracle, StepResult, Vector } from './types.js';
import { elasticSGD, elasticPull, requireNormalsMatch, resolveElastic, roundScalars, updateCenter, type ElasticSGDOptions, type ElasticSGDState } from './elastic-sgd.js';
import { loadReplicaOracle, objectiveUrl, type ReplicaObjective } from './replica-objective.js';
import type { WorkerReply, WorkerRequest } from './elastic-worker.js';
import type { ReplicaState } from './replica.js';
import { requireLength, vectorLike } from './vectors.js';
import { mustBeInteger } from '../util/validate.js';

/** A parallel Elastic-SGD run: like an Optimizer, but asynchronous and bound to its objective. */
export interface ElasticSGDParallel {
  readonly name: 'elastic-sgd';
  /** Worker threads in use (0 = in-process, sequential). */
  readonly workers: number;
  /** One round (all replicas, then the reference update); x is the reference, updated in place. */
  step(x: Vector): Promise<StepResult>;
  state(): Promise<ElasticSGDState>;
  load(state: ElasticSGDState): Promise<void>;
  /** Terminates the workers (always call it; idempotent). */
  close(): Promise<void>;
}

function call(worker: Worker, msg: WorkerRequest): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply): void => { cleanup(); resolve(reply); };
    const onError = (err: Error): void => { cleanup(); reject(err); };
    const onExit = (code: number): void => { cleanup(); reject(new Error(`elasticSGDParallel: a worker exited (code ${code}) before replying; call close() and start a new run.`)); };
    const cleanup = (): void => { worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit); };
    worker.on('message', onMessage); worker.on('error', onError); worker.on('exit', onExit);
    worker.postMessage(msg);
  });
}

function rethrow(reply: WorkerReply): never {
  if (reply.type !== 'error') throw new Error(`elasticSGDParallel: unexpected worker reply ${reply.type}.`);
  throw reply.name === 'RangeError' ? new RangeError(reply.message) : reply.name === 'TypeError' ? new TypeError(reply.message) : new Error(reply.message);
}

/**
 * Elastic-SGD / Parle over worker threads (or in-process with `workers: 0`, the sequential twin).
 * @param opts - as {@link elasticSGD}
 * @param objective - a module exporting `(options, replica) => GradientOracle`
 * @param parallel.workers - 0 (in-process), or 2 … replicas worker threads (replicas split in contiguous blocks)
 * @throws RangeError for invalid options or a worker count outside {0} ∪ [2, replicas]; TypeError if
 *   the objective module lacks the factory; errors thrown in a worker are re-thrown with their message
 * @example const run = await elasticSGDParallel({ replicas: 4, lr: 0.1, t: 0.5, rho: 0.1 }, { module: 'objective.ts' }, { workers: 2 });
 *   await run.step(x); await run.close();
 */
export async function elasticSGDParallel(opts: ElasticSGDOptions, objective: ReplicaObjective, parallel: { workers: number }): Promise<ElasticSGDParallel> {
  const fn = 'elasticSGDParallel';
  const r = resolveElastic(fn, opts);
  const n = r.replicas, workers = parallel.workers;
  mustBeInteger(fn, 'workers', workers, 0, n);
  if (workers === 1) throw new RangeError(`${fn}: workers must be 0 (in-process) or ≥ 2; got 1.`);
  objectiveUrl(objective);
  if (workers === 0) {
    const oracles: GradientOracle[] = [];
    for (let a = 0; a < n; a++) oracles.push(await loadReplicaOracle(objective, a));
    const opt = elasticSGD(opts);
    return {
      name: 'elastic-sgd', workers: 0,
      step: async (x) => opt.stepReplicas(x, (a) => oracles[a]),
      state: async () => opt.state(),
      load: async (s) => opt.load(s),
      close: async () => {},
    };
  }
  // Contiguous blocks: worker w hosts replicas [start_w, start_{w+1}).
  const blocks: number[][] = [];
  for (let w = 0; w < workers; w++) {
    const start = Math.floor((w * n) / workers), end = Math.floor(((w + 1) * n) / workers);
    blocks.push(Array.from({ length: end - start }, (_, j) => start + j));
  }
  const isTs = import.meta.url.endsWith('.ts');
  const entry = new URL(isTs ? './elastic-worker.ts' : './elastic-worker.js', import.meta.url).href;
  const pool = blocks.map(() => new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: { role: 'deeprelax-elastic-worker', entry } }));
  const close = async (): Promise<void> => { await Promise.all(pool.map((w) => w.terminate())); };
  try {
    const ready = await Promise.all(pool.map((w, i) => call(w, { type: 'init', objective, replicas: blocks[i], seed: r.base.seed, normals: r.base.normals })));
    for (const reply of ready) if (reply.type !== 'ready') rethrow(reply);
  } catch (err) {
    await close();
    throw err;
  }
  let k = 0;
  let anchors: Vector[] = [];
  let pull: Vector | null = null;
  return {
    name: 'elastic-sgd', workers,
    async step(x) {
      if (anchors.length === 0) anchors = Array.from({ length: n }, () => { const v = vectorLike(x); v.set(x); return v; });
      requireLength(fn, x, anchors[0].length);
      if (pull === null) pull = vectorLike(x);
      const c = roundScalars(fn, r, k);
      if (r.center === 'elastic') elasticPull(x, anchors, pull);
      const replies = await Promise.all(pool.map((w) => call(w, { type: 'round', k, x, scalars: c })));
      let loss = 0;
      replies.forEach((reply, i) => {
        if (reply.type !== 'round') rethrow(reply);
        blocks[i].forEach((a, j) => { anchors[a] = reply.anchors[j]; });
      });
      // Losses summed in replica order a = 0, 1, … as the sequential run does.
      for (const reply of replies) if (reply.type === 'round') for (const l of reply.losses) loss += l;
      updateCenter(r.center, x, anchors, pull, c.lr, c.rho);
      k++;
      return { loss: loss / n, gradEvals: n * r.base.innerSteps };
    },
    async state() {
      const replies = await Promise.all(pool.map((w) => call(w, { type: 'state' })));
      const states: ReplicaState[] = [];
      for (const reply of replies) { if (reply.type !== 'state') rethrow(reply); states.push(...reply.states); }
      return { k, replicas: states };
    },
    async load(s) {
      if (s.replicas.length === 0) { k = s.k; return; } // a snapshot taken before the first step
      mustBeInteger(fn, 'state.replicas.length', s.replicas.length, n, n);
      requireNormalsMatch(fn, s, r.base.normals);
      const float32 = anchors.length > 0 && anchors[0] instanceof Float32Array;
      const replies = await Promise.all(pool.map((w, i) => call(w, { type: 'load', states: blocks[i].map((a) => s.replicas[a]), float32 })));
      for (const reply of replies) if (reply.type !== 'loaded') rethrow(reply);
      k = s.k;
      anchors = s.replicas.map((rs) => { const v = float32 ? new Float32Array(rs.anchor.length) : new Float64Array(rs.anchor.length); v.set(rs.anchor); return v; });
    },
    close,
  };
}
