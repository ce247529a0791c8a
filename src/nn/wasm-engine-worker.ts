/**
 * The second thread of the 'wasm-simd' engine: a worker_threads worker that instantiates the same
 * GEMM module on the same shared memory and computes one block of a product while the calling
 * thread computes the other. Jobs are 13 int32 arguments in a control block in the shared memory;
 * hand-off is Atomics.notify / Atomics.wait on two sequence counters (microseconds, no messages).
 * The worker's code is a plain-JS string (eval worker), so it runs the same under tsx, vitest and
 * compiled builds.
 */
import { Worker } from 'node:worker_threads';
import type { WasmArena } from '../wasm/kernels.js';

// Control block (int32 slots): 0 = job sequence number (−1: stop), 1 = last finished job (−1: the
// worker failed), 2…14 = the arguments of gemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc, 0, ws).
const SLOTS = 16;
const JOB = 0, DONE = 1, ARGS = 2;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control } = workerData;
const c = new Int32Array(memory.buffer, control, ${SLOTS});
let gemm = null;
try {
  gemm = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error('gemm aborted'); } } }).exports.gemm;
} catch (e) {
  Atomics.store(c, ${DONE}, -1); // every job fails: the calling thread reports it
  Atomics.notify(c, ${DONE});
}
let seen = 0;
while (gemm !== null) {
  Atomics.wait(c, ${JOB}, seen);
  seen = Atomics.load(c, ${JOB});
  if (seen < 0) break;
  try {
    gemm(c[${ARGS}], c[${ARGS + 1}], c[${ARGS + 2}], c[${ARGS + 3}], c[${ARGS + 4}], c[${ARGS + 5}], c[${ARGS + 6}],
      c[${ARGS + 7}], c[${ARGS + 8}], c[${ARGS + 9}], c[${ARGS + 10}], 0, c[${ARGS + 11}]);
    Atomics.store(c, ${DONE}, seen);
  } catch (e) {
    Atomics.store(c, ${DONE}, -1);
  }
  Atomics.notify(c, ${DONE});
}
`;

/** One worker thread running GEMM blocks on request. */
export class GemmWorker {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly workspace: number;
  private seq = 0;
  private closed = false;

  /**
   * @param arena - the shared memory (the control block is allocated in it)
   * @param module - the compiled GEMM module (the same one the calling thread runs)
   * @param workspace - byte offset of the worker's own GEMM workspace in the arena
   */
  constructor(arena: WasmArena, module: WebAssembly.Module, workspace: number) {
    const offset = arena.alloc(4 * SLOTS);
    this.control = new Int32Array(arena.memory.buffer, offset, SLOTS);
    this.workspace = workspace;
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, memory: arena.memory, control: offset } });
    this.worker.unref();
  }

  /** Posts gemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) to the worker and returns at once. */
  start(tA: number, tB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number): void {
    const ctl = this.control;
    ctl[ARGS] = tA; ctl[ARGS + 1] = tB; ctl[ARGS + 2] = m; ctl[ARGS + 3] = n; ctl[ARGS + 4] = k;
    ctl[ARGS + 5] = a; ctl[ARGS + 6] = lda; ctl[ARGS + 7] = b; ctl[ARGS + 8] = ldb; ctl[ARGS + 9] = c; ctl[ARGS + 10] = ldc;
    ctl[ARGS + 11] = this.workspace;
    this.seq = (this.seq + 1) & 0x3fffffff;
    if (this.seq === 0) this.seq = 1;
    Atomics.store(ctl, JOB, this.seq); // sequentially consistent: the arguments are visible first
    Atomics.notify(ctl, JOB);
  }

  /**
   * Blocks until the posted job is done.
   * @throws Error if the worker failed on it
   */
  finish(): void {
    const ctl = this.control;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === this.seq) return;
      if (done === -1) throw new Error('wasmSimdEngine: the GEMM worker thread failed; create the engine with threads: 1.');
      Atomics.wait(ctl, DONE, done, 1000);
    }
  }

  /** Stops the worker thread. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, JOB, -1);
    Atomics.notify(this.control, JOB);
    void this.worker.terminate();
  }
}
