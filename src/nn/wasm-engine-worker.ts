/**
 * The second thread of the 'wasm-simd' engine: a worker_threads worker that instantiates the same
 * GEMM module on the same shared memory. A product's output is cut into chunks of columns (or
 * rows); the calling thread and the worker claim chunks from a shared counter until none is left,
 * so a worker that is descheduled (a busy machine) or never started only means the calling thread
 * does more chunks — never a wait on it. Every chunk is computed by the same kernel with the same
 * fold over k, so the result does not depend on who computed what.
 *
 * The same claiming runs the elementwise layer kernels (wasm/assembly/nn-elementwise.ts) split in
 * chunks of rows or channels ({@link OPS_SOURCE}): each chunk is an independent range of the
 * output with the arithmetic of the whole, so again the split does not change a bit.
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
// offset of op(A) packed once for all column chunks (0: each chunk packs its own); KIND: 0 = a
// product, 1 = an elementwise op (OP: its code, OPARGS: its arguments, see OPS_SOURCE; float
// arguments in a separate float64 block), 2 = a sparse product (column chunks; ARGS: m, k, n,
// start, off, val, b, ldb, c, ldc, bad; SPARSE: transB, transC); HOLD ≠ 0: poll for the next job instead of sleeping.
/**
 * While held (see GemmWorker.hold), the worker polls this long (ms) after each job before it sleeps
 * in Atomics.wait: most gaps between the jobs of a training pass are shorter; a longer one costs
 * a wake-up (tens of µs, during which the calling thread already computes). Polling without end
 * took a core from the calling thread on a loaded host: with other jobs on both cores, mnistfc
 * 2-thread median 60–65 → 46–53 ms, LeNet 94–98 → 69 ms (interleaved, same process; 0.05 ms as
 * good, 1 ms and 3 ms worse).
 */
const SPIN_MS = 0.3;
const JOB = 0, FAILED = 1, NEXT = 2, FINISHED = 3, CHUNKS = 4, DIM = 5, STEP = 6, ARGS = 7, WORKED = 18, PACKED = 19;
const KIND = 20, OP = 21, HOLD = 22, OPARGS = 23, OPSLOTS = 16, SPARSE = OPARGS + OPSLOTS, SLOTS = SPARSE + 2;

/** Elementwise ops the worker can share; their chunk bodies are in {@link OPS_SOURCE}. */
export const Op = {
  relu: 1, reluBackward: 2, mul: 3, dropout: 4, addRows: 5, sumRows: 6, bnSums: 7, bnNormalize: 8, bnBackwardSums: 9, bnBackwardDx: 10,
  im2col: 11, convOut: 12, convGradRows: 13, maxPool: 14, maxPoolBackward: 15,
} as const;

/**
 * Chunk i of an elementwise op, as the body of a function (ew, op, c, f, i): ew = the nn-elementwise
 * and nn-conv exports, op = its code, c = the int32 op arguments (a[0] = length of the split dimension, a[1] = chunk step),
 * f = the float64 arguments. Plain JS, compiled by both threads, so both run the same code.
 */
const OPS_SOURCE = `
const a0 = c[0], st = c[1], from = i * st, cnt = Math.min(st, a0 - from), o = 4 * from;
switch (op) {
  case ${Op.relu}: ew.relu(cnt, c[2] + o, c[3] + o); break;
  case ${Op.reluBackward}: ew.reluBackward(cnt, c[2] + o, c[3] + o, c[4] + o); break;
  case ${Op.mul}: ew.mul(cnt, c[2] + o, c[3] + o, c[4] + o); break;
  case ${Op.dropout}: ew.dropout4(cnt, c[2] + 80 * i, f[0], f[1], c[3] + o, c[4] + o, c[5] + o); break;
  case ${Op.addRows}: ew.addRows(cnt, c[2], c[3], c[4] + o * c[2]); break;
  case ${Op.sumRows}: ew.sumRows(c[2], cnt, a0, c[3] + o, c[4] + o); break;
  case ${Op.bnSums}: ew.bnSums(c[2], a0, c[3], from, from + cnt, c[4], c[5], c[6], c[7]); break;
  case ${Op.bnNormalize}: { const r = o * c[2] * c[3]; ew.bnNormalize(cnt, c[2], c[3], c[4] + r, c[5], c[6], c[7], c[8], c[9] + r, c[10] + r); break; }
  case ${Op.bnBackwardSums}: ew.bnBackwardSums(c[2], a0, c[3], from, from + cnt, c[4], c[5], c[6], c[7]); break;
  case ${Op.bnBackwardDx}: { const r = o * c[2] * c[3]; ew.bnBackwardDx(cnt, c[2], c[3], c[4] + r, c[5] + r, c[6], c[7], c[8], c[9], c[10] + r); break; }
  case ${Op.im2col}: ew.im2col(c[2], a0, c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], from, from + cnt); break;
  case ${Op.convOut}: ew.convOut(a0, c[2], c[3], c[4], c[5], c[6], from, from + cnt); break;
  case ${Op.convGradRows}: ew.convGradRows(c[2], a0, c[3], c[4], c[5], c[6], from, from + cnt); break;
  case ${Op.maxPool}: ew.maxPool(from, from + cnt, c[2], c[3], c[4], c[5], c[6], c[7]); break;
  case ${Op.maxPoolBackward}: ew.maxPoolBackward(from * c[2], (from + cnt) * c[2], from * c[3], (from + cnt) * c[3], c[4], c[5], c[6]); break;
  default: throw new Error('unknown op ' + op);
}`;
/** At most this many chunks per product (the claim counter keeps the index in 10 bits). */
export const MAX_CHUNKS = 512;

/** The spmm export of wasm/build/gemm*.wasm (a product over the nonzero entries of its left operand). */
export type SpmmFn = (m: number, k: number, j0: number, j1: number, start: number, off: number, val: number, b: number, ldb: number,
  transB: number, c: number, ldc: number, transC: number, ws: number, bad: number) => void;

/** The gemm export of wasm/build/gemm*.wasm. */
export type GemmFn = (transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
  c: number, ldc: number, accumulate: number, ws: number, packedA: number) => void;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, opsModules, memory, control, floats, ws } = workerData;
const c = new Int32Array(memory.buffer, control, ${SLOTS});
const opArgs = new Int32Array(memory.buffer, control + ${4 * OPARGS}, ${OPSLOTS});
const f = new Float64Array(memory.buffer, floats, 4);
const opChunk = new Function('ew', 'op', 'c', 'f', 'i', ${JSON.stringify(OPS_SOURCE)});
let gemm = null, spmm = null, ew = null;
try {
  const env = { memory, abort() { throw new Error('kernel aborted'); } };
  const g = new WebAssembly.Instance(module, { env }).exports;
  gemm = g.gemm; spmm = g.spmm;
  ew = Object.assign({}, ...opsModules.map((m) => new WebAssembly.Instance(m, { env }).exports));
} catch (e) { gemm = null; /* never claims a chunk: the calling thread does them all */ }
let seen = 0;
while (gemm !== null) {
  if (Atomics.load(c, ${HOLD}) !== 0) { // held awake: a job follows soon; poll for up to SPIN_MS, then sleep
    const until = performance.now() + ${SPIN_MS};
    for (let i = 1; Atomics.load(c, ${HOLD}) !== 0 && Atomics.load(c, ${JOB}) === seen; i++) if ((i & 1023) === 0 && performance.now() > until) break;
  }
  Atomics.wait(c, ${JOB}, seen);
  const job = Atomics.load(c, ${JOB});
  if (job < 0) break;
  if (job === seen) continue; // woken by hold(): no new job
  seen = job;
  const tag = (job & 0xfffff) << 10, chunks = c[${CHUNKS}], dim = c[${DIM}], step = c[${STEP}];
  const tA = c[${ARGS}], tB = c[${ARGS + 1}], m = c[${ARGS + 2}], n = c[${ARGS + 3}], k = c[${ARGS + 4}];
  const a = c[${ARGS + 5}], lda = c[${ARGS + 6}], b = c[${ARGS + 7}], ldb = c[${ARGS + 8}], out = c[${ARGS + 9}], ldc = c[${ARGS + 10}];
  const packed = c[${PACKED}], kind = c[${KIND}], op = c[${OP}];
  for (;;) {
    // Claim by compare-and-swap, so a worker late for an older job never takes a newer job's chunk.
    const claim = Atomics.load(c, ${NEXT});
    if ((claim & ~1023) !== tag || (claim & 1023) >= chunks) break; // another job's counter, or none left
    if (Atomics.compareExchange(c, ${NEXT}, claim, claim + 1) !== claim) continue;
    const from = (claim & 1023) * step;
    try {
      if (kind === 1) opChunk(ew, op, opArgs, f, claim & 1023);
      else if (kind === 2) spmm(c[${ARGS}], c[${ARGS + 1}], from, Math.min(from + step, c[${ARGS + 2}]), c[${ARGS + 3}], c[${ARGS + 4}], c[${ARGS + 5}],
        c[${ARGS + 6}], c[${ARGS + 7}], c[${SPARSE}], c[${ARGS + 8}], c[${ARGS + 9}], c[${SPARSE + 1}], ws, c[${ARGS + 10}]);
      else if (dim === 0) gemm(tA, tB, m, Math.min(step, n - from), k, a, lda, b + 4 * (tB ? from * ldb : from), ldb, out + 4 * from, ldc, 0, ws, packed);
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

/** The exports of wasm/build/nn-elementwise.wasm and nn-conv.wasm that {@link OPS_SOURCE} calls (untyped: plain JS calls them). */
export type ElementwiseExports = Record<string, (...args: number[]) => unknown>;

type OpChunk = (ew: ElementwiseExports, op: number, c: Int32Array, f: Float64Array, i: number) => void;
const opChunk = new Function('ew', 'op', 'c', 'f', 'i', OPS_SOURCE) as OpChunk;

/** One worker thread sharing the chunks of each product (and of split elementwise ops) with the calling thread. */
export class GemmWorker {
  private readonly worker: Worker;
  private readonly control: Int32Array;
  private readonly opArgs: Int32Array;
  /** Float arguments of an op (dropout: p, keep). */
  readonly floats: Float64Array;
  private job = 0;
  private closed = false;

  /**
   * @param arena - the shared memory (the control block is allocated in it)
   * @param module - the compiled GEMM module (the same one the calling thread runs)
   * @param workspace - byte offset of the worker's own GEMM workspace in the arena
   * @param opsModules - the compiled nn-elementwise and nn-conv modules
   */
  constructor(arena: WasmArena, module: WebAssembly.Module, workspace: number, opsModules: WebAssembly.Module[]) {
    const offset = arena.alloc(4 * SLOTS), floats = arena.alloc(32, 8);
    this.control = new Int32Array(arena.memory.buffer, offset, SLOTS);
    this.opArgs = new Int32Array(arena.memory.buffer, offset + 4 * OPARGS, OPSLOTS);
    this.floats = new Float64Array(arena.memory.buffer, floats, 4);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { module, opsModules, memory: arena.memory, control: offset, floats, ws: workspace } });
    this.worker.unref();
  }

  /**
   * gemm(tA, tB, m, n, k, a, lda, b, ldb, c, ldc) cut into `chunks` blocks of `step` columns
   * (dim 0) or rows (dim 1), shared with the worker; returns when every chunk is done. `gemm` and
   * `ws` are the calling thread's kernel and workspace; `packedA` ≠ 0 (column chunks only) is
   * op(A) packed once by the kernel's packA. `beside` (optional) runs on this thread once the job
   * is published, before it claims chunks: work that overlaps the worker's.
   * @throws Error if a chunk failed on the worker
   */
  run(dim: 0 | 1, step: number, chunks: number, gemm: GemmFn, ws: number, packedA: number,
    tA: number, tB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number, c: number, ldc: number,
    beside: (() => void) | null = null): void {
    const ctl = this.control;
    this.open(chunks, 0);
    ctl[DIM] = dim; ctl[STEP] = step;
    ctl[ARGS] = tA; ctl[ARGS + 1] = tB; ctl[ARGS + 2] = m; ctl[ARGS + 3] = n; ctl[ARGS + 4] = k;
    ctl[ARGS + 5] = a; ctl[ARGS + 6] = lda; ctl[ARGS + 7] = b; ctl[ARGS + 8] = ldb; ctl[ARGS + 9] = c; ctl[ARGS + 10] = ldc;
    ctl[PACKED] = dim === 0 ? packedA : 0;
    this.publish();
    if (beside !== null) beside();
    for (let i = this.claim(chunks); i >= 0; i = this.claim(chunks)) {
      const from = i * step;
      if (dim === 0) gemm(tA, tB, m, Math.min(step, n - from), k, a, lda, b + 4 * (tB ? from * ldb : from), ldb, c + 4 * from, ldc, 0, ws, ctl[PACKED]);
      else gemm(tA, tB, Math.min(step, m - from), n, k, a + 4 * (tA ? from : from * lda), lda, b, ldb, c + 4 * from * ldc, ldc, 0, ws, 0);
      Atomics.add(ctl, FINISHED, 1);
    }
    this.finish(chunks);
  }

  /**
   * spmm(m, kb, j0, j1, start, off, val, b, ldb, tB, c, ldc, tC, ws, bad) over columns 0 … n−1 cut into `chunks`
   * blocks of `step` columns, shared with the worker (which uses its own workspace); returns when
   * every chunk is done. `beside` as in {@link run}.
   * @throws Error if a chunk failed on the worker
   */
  runSparse(step: number, chunks: number, spmm: SpmmFn, ws: number, m: number, kb: number, n: number,
    start: number, off: number, val: number, b: number, ldb: number, tB: number, c: number, ldc: number, tC: number, bad: number,
    beside: (() => void) | null = null): void {
    const ctl = this.control;
    this.open(chunks, 2);
    ctl[STEP] = step;
    ctl[ARGS] = m; ctl[ARGS + 1] = kb; ctl[ARGS + 2] = n; ctl[ARGS + 3] = start; ctl[ARGS + 4] = off;
    ctl[ARGS + 5] = val; ctl[ARGS + 6] = b; ctl[ARGS + 7] = ldb; ctl[ARGS + 8] = c; ctl[ARGS + 9] = ldc; ctl[ARGS + 10] = bad;
    ctl[SPARSE] = tB; ctl[SPARSE + 1] = tC;
    this.publish();
    if (beside !== null) beside();
    for (let i = this.claim(chunks); i >= 0; i = this.claim(chunks)) {
      const from = i * step;
      spmm(m, kb, from, Math.min(from + step, n), start, off, val, b, ldb, tB, c, ldc, tC, ws, bad);
      Atomics.add(ctl, FINISHED, 1);
    }
    this.finish(chunks);
  }

  /**
   * Elementwise op `op` (see {@link OPS_SOURCE}) on int32 arguments `args` (args[0]: length of
   * the split dimension, args[1]: chunk step) and the float arguments already in {@link floats},
   * cut into ⌈args[0] / args[1]⌉ chunks shared with the worker; `ew` is the calling thread's
   * nn-elementwise instance. Returns when every chunk is done.
   * @throws Error if a chunk failed on the worker
   */
  runOp(ew: ElementwiseExports, op: number, args: readonly number[]): void {
    const ctl = this.control, chunks = Math.ceil(args[0] / args[1]);
    this.open(chunks, 1);
    ctl[OP] = op;
    for (let j = 0; j < args.length; j++) this.opArgs[j] = args[j];
    this.publish();
    for (let i = this.claim(chunks); i >= 0; i = this.claim(chunks)) {
      opChunk(ew, op, this.opArgs, this.floats, i);
      Atomics.add(ctl, FINISHED, 1);
    }
    this.finish(chunks);
  }

  /** Starts a job: a new tag in the claim counter (first: a worker still busy with an older job then finds its tag gone before the arguments change). */
  private open(chunks: number, kind: number): void {
    const ctl = this.control;
    this.job = (this.job + 1) & 0xfffff;
    const tag = this.job << 10;
    Atomics.store(ctl, NEXT, tag);
    ctl[FINISHED] = 0; ctl[CHUNKS] = chunks; ctl[KIND] = kind;
  }

  /** Publishes the job (every argument store precedes this one) and wakes the worker. */
  private publish(): void {
    Atomics.store(this.control, JOB, this.job);
    Atomics.notify(this.control, JOB);
  }

  /** The next unclaimed chunk of the current job, or −1. */
  private claim(chunks: number): number {
    const ctl = this.control;
    for (;;) {
      const claim = Atomics.load(ctl, NEXT), i = claim & 1023;
      if (i >= chunks) return -1;
      if (Atomics.compareExchange(ctl, NEXT, claim, claim + 1) === claim) return i;
    }
  }

  /** Waits for the worker's chunks. */
  private finish(chunks: number): void {
    const ctl = this.control;
    for (let done = Atomics.load(ctl, FINISHED); done < chunks; done = Atomics.load(ctl, FINISHED)) Atomics.wait(ctl, FINISHED, done, 1000);
    if (Atomics.load(ctl, FAILED) !== 0) throw new Error('wasmSimdEngine: the worker thread failed; create the engine with threads: 1.');
  }

  /**
   * Keeps the worker polling for the next job for up to {@link SPIN_MS} after each job (`true`: a
   * burst of products and ops follows, most then start without a wake-up) or lets it sleep
   * between jobs at once again (`false`).
   */
  hold(on: boolean): void {
    Atomics.store(this.control, HOLD, on ? 1 : 0);
    if (on) Atomics.notify(this.control, JOB); // (a sleeping worker re-checks JOB, finds no job and starts polling)
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
