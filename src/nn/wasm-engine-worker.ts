/**
 * The second thread of the 'wasm-simd' engine: a worker_threads worker that instantiates the same
 * GEMM module on the same shared memory. A product's output is cut into chunks of columns (or
 * rows); the calling thread and the worker claim chunks from a shared counter until none is left,
 * so a worker that is descheduled (a busy machine) or never started only means the calling thread
 * does more chunks — never a wait on it. Every chunk is computed by the same kernel with the same
 * fold over k, so the result does not depend on who computed what.
 *
 * Jobs live in a control block of int32 slots in the shared memory; hand-off is Atomics.notify /
 * Atomics.wait. The worker's code is a plain-JS string (eval worker), so it runs the same under
 * tsx, vitest and compiled builds.
 */
import { Worker } from 'node:worker_threads';
import type { WasmArena } from '../wasm/kernels.js';

// Control block: JOB = job number (−1: stop); FAILED = 1 once a worker chunk threw; NEXT = claim
// counter, (job tag << 10) + next chunk index, advanced by compare-and-swap; FINISHED = chunks done; then the chunking (CHUNKS,
// DIM: 0 = columns, 1 = rows; STEP: columns or rows per chunk) and gemm's arguments
// (tA, tB, m, n, k, a, lda, b, ldb, c, ldc); WORKED = chunks the worker computed in all; PACKED =
// offset of op(A) packed once for all column chunks (0: each chunk packs its own).
const JOB = 0, FAILED = 1, NEXT = 2, FINISHED = 3, CHUNKS = 4, DIM = 5, STEP = 6, ARGS = 7, WORKED = 18, PACKED = 19, SLOTS = 20;
/** At most this many chunks per product (the claim counter keeps the index in 10 bits). */
export const MAX_CHUNKS = 512;

/** The gemm export of wasm/build/gemm*.wasm. */
export type GemmFn = (transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
  c: number, ldc: number, accumulate: number, ws: number, packedA: number) => void;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, ws } = workerData;
const c = new Int32Array(memory.buffer, control, ${SLOTS});
let gemm = null;
try {
  gemm = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('gemm aborted'); } } }).exports.gemm;
} catch (e) { /* never claims a chunk: the calling thread does them all */ }
let seen = 0;
while (gemm !== null) {
  Atomics.wait(c, ${JOB}, seen);
  const job = Atomics.load(c, ${JOB});
  if (job < 0) break;
  seen = job;
  const tag = (job & 0xfffff) << 10, chunks = c[${CHUNKS}], dim = c[${DIM}], step = c[${STEP}];
  const tA = c[${ARGS}], tB = c[${ARGS + 1}], m = c[${ARGS + 2}], n = c[${ARGS + 3}], k = c[${ARGS + 4}];
  const a = c[${ARGS + 5}], lda = c[${ARGS + 6}], b = c[${ARGS + 7}], ldb = c[${ARGS + 8}], out = c[${ARGS + 9}], ldc = c[${ARGS + 10}];
  const packed = c[${PACKED}];
  for (;;) {
    // Claim by compare-and-swap, so a worker late for an older job never takes a newer job's chunk.
    const claim = Atomics.load(c, ${NEXT});
    if ((claim & ~1023) !== tag || (claim & 1023) >= chunks) break; // another job's counter, or none left
    if (Atomics.compareExchange(c, ${NEXT}, claim, claim + 1) !== claim) continue;
    const from = (claim & 1023) * step;
    try {
      if (dim === 0) gemm(tA, tB, m, Math.min(step, n - from), k, a, lda, b + 4 * (tB ? from * ldb : from), ldb, out + 4 * from, ldc, 0, ws, packed);
      else gemm(tA, tB, Math.min(step, m - from), n, k, a + 4 * (tA ? from : from * lda), lda, b, ldb, out + 4 * from * ldc, ldc, 0, ws, 0);
    } catch (e) {
      Atomics.store(c, ${FAILED}, 1);
    }
    Atomics.add(c, ${WORKED}, 1);
    Atomics.add(c, ${FINISHED}, 1);
    Atomics.notify(c, ${FINISHED});
  }
}
`;

/** One worker thread sharing the chunks of each product with the calling thread. */
export class GemmWorker {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private job = 0;
  private closed = false;

  /**
   * @param arena - the shared memory (the control block is allocated in it)
   * @param module - the compiled GEMM module (the same one the calling thread runs)
   * @param workspace - byte offset of the worker's own GEMM workspace in the arena
   */
  constructor(arena: WasmArena, module: WebAssembly.Module, workspace: number) {
    const offset = arena.alloc(4 * SLOTS);
    this.control = new Int32Array(arena.memory.buffer, offset, SLOTS);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: arena.memory, control: offset, ws: workspace } });
    this.worker.unref();
  }

  /**
   * gemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) cut into `chunks` blocks of `step` columns
   * (dim 0) or rows (dim 1), shared with the worker; returns when every chunk is done. `gemm` and
   * `ws` are the calling thread's kernel and workspace; `packedA` ≠ 0 (column chunks only) is
   * op(A) packed once by the kernel's packA.
   * @throws Error if a chunk failed on the worker
   */
  run(dim: 0 | 1, step: number, chunks: number, gemm: GemmFn, ws: number, packedA: number,
    tA: number, tB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void {
    const ctl = this.control;
    this.job = (this.job + 1) & 0xfffff;
    const tag = this.job << 10;
    // The claim counter first: a worker still busy with an older job then finds its tag gone
    // before these arguments change (all stores below precede the JOB store, which publishes them).
    Atomics.store(ctl, NEXT, tag);
    ctl[FINISHED] = 0; ctl[CHUNKS] = chunks; ctl[DIM] = dim; ctl[STEP] = step;
    ctl[ARGS] = tA; ctl[ARGS + 1] = tB; ctl[ARGS + 2] = m; ctl[ARGS + 3] = n; ctl[ARGS + 4] = k;
    ctl[ARGS + 5] = a; ctl[ARGS + 6] = lda; ctl[ARGS + 7] = b; ctl[ARGS + 8] = ldb; ctl[ARGS + 9] = c; ctl[ARGS + 10] = ldc;
    ctl[PACKED] = dim === 0 ? packedA : 0;
    Atomics.store(ctl, JOB, this.job);
    Atomics.notify(ctl, JOB);
    for (;;) {
      const claim = Atomics.load(ctl, NEXT), i = claim & 1023;
      if (i >= chunks) break;
      if (Atomics.compareExchange(ctl, NEXT, claim, claim + 1) !== claim) continue;
      const from = i * step;
      if (dim === 0) gemm(tA, tB, m, Math.min(step, n - from), k, a, lda, b + 4 * (tB ? from * ldb : from), ldb, c + 4 * from, ldc, 0, ws, ctl[PACKED]);
      else gemm(tA, tB, Math.min(step, m - from), n, k, a + 4 * (tA ? from : from * lda), lda, b, ldb, c + 4 * from * ldc, ldc, 0, ws, 0);
      Atomics.add(ctl, FINISHED, 1);
    }
    for (let done = Atomics.load(ctl, FINISHED); done < chunks; done = Atomics.load(ctl, FINISHED)) Atomics.wait(ctl, FINISHED, done, 1000);
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('wasmSimdEngine: the GEMM worker thread failed; create the engine with threads: 1.');
  }

  /** Chunks the worker has computed so far (diagnostics: how much the second thread took). */
  get workerChunks(): number { return Atomics.load(this.control, WORKED); }

  /** Stops the worker thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, JOB, -1);
    Atomics.notify(this.control, JOB);
    void this.worker.terminate();
  }
}
