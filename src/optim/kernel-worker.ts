/**
 * The second thread of the optimizers' kernel passes: one worker_threads worker per process (per
 * JavaScript thread that uses it), started at the first split pass and unref'd, so it never keeps
 * the process alive; it lives as long as the process (optimizers have no close()) and sleeps in
 * Atomics.wait between passes, polling for at most {@link SPIN_MS} after each one first.
 *
 * It instantiates the same modules ({@link OPTIM_MODULES}) on every
 * workspace memory it is handed (sent once over a MessagePort and read synchronously with
 * receiveMessageOnPort; dropped again when the memory is garbage-collected on the calling thread).
 * A pass over n elements is cut into chunks of whole multiples of 16 elements; the calling thread
 * and the worker claim chunks from a shared counter until none is left, so a worker that is
 * descheduled or not started yet only means the calling thread does more chunks — never a wait on
 * it. Every chunk calls the same kernel on its range (each pointer argument advanced by the
 * chunk's start), and every kernel split here computes each element from that element's inputs
 * alone with the arithmetic of the whole pass: the split does not change a bit. The kernels'
 * returned flags (non-finite gradient: 0 or 1) are combined by OR.
 *
 * Jobs live in a small control block (a SharedArrayBuffer of its own: the worker serves several
 * memories and waits on one address): job number, claim counter, chunking, kernel index, memory id
 * and the float64 arguments. The worker's code is a plain-JS string (eval worker), so it runs the
 * same under tsx, vitest and compiled builds.
 */
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { wasmModule } from '../wasm/kernels.js';

/** The kernel modules every workspace memory gets (wasm/build/<name>.wasm), instantiated on both threads. */
export const OPTIM_MODULES: readonly string[] = ['optim-update', 'optim-inner', 'optim-hj'];

/** Polling after a job before sleeping (ms), as the engine's worker (src/nn/wasm-engine-worker.ts). */
const SPIN_MS = 0.3;
/** How long the calling thread waits for a worker that makes no progress before it gives up (ms). */
const STALL_MS = 10_000;
/** Smallest chunk (elements): below it the claims cost more than the balance gains. */
const CHUNK_MIN = 16384;
/** Chunks per pass at most (balance when the other core is busy with other jobs). */
const CHUNKS_MAX = 8;

// Control block: JOB = job number (−1: stop); NEXT = claim counter ((job tag << 10) + next chunk);
// FINISHED = chunks done; then the job (CHUNKS, KERNEL index, MEM id, N elements, STEP per chunk,
// SIZE bytes per element); FAILED = 1 once a worker chunk threw; RESULT = OR of the worker's flags;
// WORKED = chunks the worker computed in all; READY = 1 once the worker waits for jobs. Float64
// arguments (every argument after n, pointers included) from byte ARGS_AT.
const JOB = 0, NEXT = 1, FINISHED = 2, CHUNKS = 3, KERNEL = 4, MEM = 5, N = 6, STEP = 7, SIZE = 8, FAILED = 9, RESULT = 10, WORKED = 11, READY = 12;
const SLOTS = 16, ARGS_AT = 64, MAX_ARGS = 40;

/**
 * The kernels a pass may be split for: export name (without F64/F32) and the kinds of the arguments
 * after n — p: a vector of the element type, z: a float64 vector (the noise block), e: an element index
 * (the pass's first element: advanced by the chunk's start), f: a number.
 * Not here: samNorm (a sum: its order would change). The last, 'copy', is a byte copy in JS.
 */
export const SPLIT_KERNELS: readonly (readonly [string, string])[] = [
  ['momentum', 'ppppfffff'],
  ['elastic', 'ppppffffff'],
  ['finite', 'p'],
  ['adam', 'ppppppfffffff'],
  ['chain', 'ppppppppzpppffffffffffffff'],
  ['hjStart', 'ppppff'],
  ['hjStep', 'ppppppffffffff'],
  ['hjProx', 'pppppffffffff'],
  ['samShift', 'pppf'],
  ['samUpdate', 'pppppffff'],
  ['chainBlocks', 'eppppppppppp' + 'f'.repeat(24)],
  ['copy', 'pp'],
];

/**
 * Chunk lengths of a kernel that must start on a multiple of more than 16 elements: chainBlocks draws
 * its noise in blocks of 16,384 (a chunk starting inside a block would draw the block's head again).
 */
const CHUNK_ALIGN: Readonly<Record<string, number>> = { chainBlocks: 16384 };

/** Index of the SGLD chain step in {@link SPLIT_KERNELS}. */
export const CHAIN = SPLIT_KERNELS.findIndex((k) => k[0] === 'chain');

/** Index of the copy (dst, src) in {@link SPLIT_KERNELS}: a JS copy of the bytes ({@link COPY_SOURCE}), not a wasm export. */
export const COPY = SPLIT_KERNELS.length - 1;

/**
 * The body of function (memory, size) returning copy(cnt, dst, src): cnt elements of `size` bytes
 * from byte offset src to dst of `memory` (TypedArray.set between byte views: as fast as the
 * Float32Array.set it replaces). Compiled by both threads.
 */
const COPY_SOURCE = `
return (cnt, dst, src) => {
  const b = memory.buffer;
  new Uint8Array(b, dst, cnt * size).set(new Uint8Array(b, src, cnt * size));
  return 0;
};`;

/** copy(n, dst, src) on `memory` for elements of `size` bytes (see {@link COPY_SOURCE}). */
export const makeCopy = new Function('memory', 'size', COPY_SOURCE) as (memory: WebAssembly.Memory, size: number) => (n: number, dst: number, src: number) => number;

/**
 * One chunk, as the body of a function (fn, kinds, a, t, from, cnt, size): fn = the kernel, a = its
 * arguments after n, t = a scratch array of kinds.length + 1 slots. Plain JS compiled by both
 * threads, so both run the same code.
 */
const CHUNK_SOURCE = `
t[0] = cnt;
for (let j = 0; j < kinds.length; j++) {
  const k = kinds.charCodeAt(j);
  t[j + 1] = k === 112 ? a[j] + from * size : k === 122 ? a[j] + 8 * from : k === 101 ? a[j] + from : a[j];
}
return fn.apply(null, t);`;

type ChunkFn = (fn: (...args: number[]) => unknown, kinds: string, a: Float64Array, t: number[], from: number, cnt: number, size: number) => unknown;
const runChunk = new Function('fn', 'kinds', 'a', 't', 'from', 'cnt', 'size', CHUNK_SOURCE) as ChunkFn;

const WORKER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { modules, port, control, kernels } = workerData;
const c = new Int32Array(control, 0, ${SLOTS}), a = new Float64Array(control, ${ARGS_AT}, ${MAX_ARGS});
const runChunk = new Function('fn', 'kinds', 'a', 't', 'from', 'cnt', 'size', ${JSON.stringify(CHUNK_SOURCE)});
const makeCopy = new Function('memory', 'size', ${JSON.stringify(COPY_SOURCE)});
const scratch = kernels.map((k) => new Array(k[1].length + 1).fill(0));
const mems = new Map();
function drain() {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const msg = m.message;
    if (msg.memory === undefined) { mems.delete(msg.drop); continue; }
    try {
      const env = { memory: msg.memory, exp: Math.exp, log: Math.log, abort() { throw new Error('kernel aborted'); } };
      const inst = Object.assign({}, ...modules.map((mod) => new WebAssembly.Instance(mod, { env }).exports));
      inst.copyF64 = makeCopy(msg.memory, 8); inst.copyF32 = makeCopy(msg.memory, 4);
      // This thread's block-stream passes use generator and noise slot 1 (optim-inner.ts chainBlocks).
      if (typeof inst.setThreadSlot === 'function') inst.setThreadSlot(1);
      mems.set(msg.id, inst);
    } catch (e) { /* never claims a chunk on this memory: the calling thread does them all */ }
  }
}
Atomics.store(c, ${READY}, 1);
let seen = 0;
for (;;) {
  const until = performance.now() + ${SPIN_MS};
  for (let i = 1; Atomics.load(c, ${JOB}) === seen; i++) if ((i & 1023) === 0 && performance.now() > until) break;
  Atomics.wait(c, ${JOB}, seen);
  const job = Atomics.load(c, ${JOB});
  if (job < 0) break;
  if (job === seen) continue;
  seen = job;
  drain();
  const tag = (job & 0xfffff) << 10, chunks = c[${CHUNKS}], kernel = c[${KERNEL}], n = c[${N}], step = c[${STEP}], size = c[${SIZE}];
  const inst = mems.get(c[${MEM}]);
  if (inst === undefined || !(kernel >= 0 && kernel < kernels.length)) continue;
  const kinds = kernels[kernel][1], fn = inst[kernels[kernel][0] + (size === 4 ? 'F32' : 'F64')], t = scratch[kernel];
  for (;;) {
    // Claim by compare-and-swap, so a worker late for an older job never takes a newer job's chunk.
    const claim = Atomics.load(c, ${NEXT});
    if ((claim & ~1023) !== tag || (claim & 1023) >= chunks) break;
    if (Atomics.compareExchange(c, ${NEXT}, claim, claim + 1) !== claim) continue;
    const from = (claim & 1023) * step;
    try {
      const r = runChunk(fn, kinds, a, t, from, Math.min(step, n - from), size);
      if (r !== undefined && r !== 0) Atomics.store(c, ${RESULT}, 1);
    } catch (e) { Atomics.store(c, ${FAILED}, 1); }
    Atomics.add(c, ${WORKED}, 1);
    Atomics.add(c, ${FINISHED}, 1);
    Atomics.notify(c, ${FINISHED});
  }
}
`;

/** The shared worker and its control block. */
class KernelWorker {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly control: Int32Array;
  private readonly args: Float64Array;
  private readonly scratch: number[][] = SPLIT_KERNELS.map((k) => new Array<number>(k[1].length + 1).fill(0));
  private readonly ids = new WeakMap<WebAssembly.Memory, number>();
  private readonly registry = new FinalizationRegistry<number>((id) => this.drop(id));
  private nextId = 1;
  private job = 0;

  constructor() {
    const sab = new SharedArrayBuffer(ARGS_AT + 8 * MAX_ARGS);
    this.control = new Int32Array(sab, 0, SLOTS);
    this.args = new Float64Array(sab, ARGS_AT, MAX_ARGS);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const modules = OPTIM_MODULES.map((name) => wasmModule(name));
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { modules, port: port2, control: sab, kernels: SPLIT_KERNELS }, transferList: [port2] });
    this.worker.unref();
    // A worker that dies claims no more chunks: the calling thread does them (nothing to report here).
    this.worker.on('error', () => {});
    this.port.unref();
  }

  /** The id under which the worker knows `memory` (handed to it at first use). */
  private idOf(memory: WebAssembly.Memory): number {
    let id = this.ids.get(memory);
    if (id === undefined) {
      id = this.nextId++;
      this.ids.set(memory, id);
      this.port.postMessage({ id, memory });
      this.registry.register(memory, id);
    }
    return id;
  }

  /** Lets the worker forget a collected memory (woken by a job without chunks). */
  private drop(id: number): void {
    this.port.postMessage({ drop: id });
    this.open(0);
    Atomics.store(this.control, JOB, this.job);
    Atomics.notify(this.control, JOB);
  }

  /** Starts a job: a new tag in the claim counter first (a late worker then finds its tag gone before the arguments change). */
  private open(chunks: number): void {
    const c = this.control;
    this.job = (this.job + 1) & 0xfffff;
    Atomics.store(c, NEXT, this.job << 10);
    c[FINISHED] = 0; c[CHUNKS] = chunks; c[RESULT] = 0;
  }

  /**
   * Runs `fn` (kernel `kernel` of {@link SPLIT_KERNELS} for elements of `size` bytes, instantiated
   * on `memory`) on `args` = (n, …) split in chunks shared with the worker; returns 1 if some chunk
   * returned a non-zero flag, else 0. With `beside`: the pass is one chunk, published for the worker
   * before beside() runs here (work that must not touch what the pass reads or writes); this thread
   * takes the chunk itself afterwards if the worker has not.
   * @throws Error if a chunk failed on the worker
   */
  run(memory: WebAssembly.Memory, kernel: number, size: number, fn: (...a: number[]) => unknown, args: ArrayLike<number>,
    beside: (() => void) | null = null): number {
    const c = this.control, n = args[0], kinds = SPLIT_KERNELS[kernel][1];
    // With `beside`: one chunk, for the worker to take while this thread runs beside().
    const align = CHUNK_ALIGN[SPLIT_KERNELS[kernel][0]] ?? 16;
    const step = beside !== null ? Math.max(1, n) : Math.max(CHUNK_MIN, Math.ceil(n / CHUNKS_MAX / align) * align), chunks = Math.ceil(n / step);
    const id = this.idOf(memory);
    this.open(chunks);
    c[KERNEL] = kernel; c[MEM] = id; c[N] = n; c[STEP] = step; c[SIZE] = size;
    for (let j = 0; j < kinds.length; j++) this.args[j] = args[j + 1];
    Atomics.store(c, JOB, this.job);
    Atomics.notify(c, JOB);
    if (beside !== null) beside();
    let bad = 0;
    const t = this.scratch[kernel];
    for (;;) {
      const claim = Atomics.load(c, NEXT), i = claim & 1023;
      if (i >= chunks) break;
      if (Atomics.compareExchange(c, NEXT, claim, claim + 1) !== claim) continue;
      const from = i * step, r = runChunk(fn, kinds, this.args, t, from, Math.min(step, n - from), size);
      if (r !== undefined && r !== 0) bad = 1;
      Atomics.add(c, FINISHED, 1);
    }
    // A chunk takes microseconds; a worker that makes no progress for STALL_MS has died (killed, out of
    // memory): fail with an error rather than wait forever (its claimed chunks cannot be redone safely).
    let last = Atomics.load(c, FINISHED), since = performance.now();
    while (last < chunks) {
      Atomics.wait(c, FINISHED, last, 100);
      const done = Atomics.load(c, FINISHED);
      if (done !== last) { last = done; since = performance.now(); } else if (performance.now() - since > STALL_MS) {
        throw new Error(`optimizer kernel worker: no progress for ${STALL_MS / 1000} s (the worker thread stopped); x may be partly updated. Use setOptimizerThreads(1).`);
      }
    }
    if (Atomics.load(c, FAILED) !== 0) throw new Error('optimizer kernel worker: a chunk failed on the worker thread; use setOptimizerThreads(1).');
    return bad !== 0 || Atomics.load(c, RESULT) !== 0 ? 1 : 0;
  }

  /** Whether the worker has started and waits for jobs. */
  get ready(): boolean { return Atomics.load(this.control, READY) !== 0; }

  /** Chunks the worker has computed so far. */
  get workerChunks(): number { return Atomics.load(this.control, WORKED); }
}

let shared: KernelWorker | null = null;
let failed = false;

/** The process's kernel worker, started at the first call; null if it cannot be started (then every pass runs on the calling thread). */
export function kernelWorker(): KernelWorker | null {
  if (shared === null && !failed) {
    try { shared = new KernelWorker(); } catch { failed = true; }
  }
  return shared;
}

/** Diagnostics (tests, benches): whether the worker is up, and the chunks it has computed. */
export function kernelWorkerStats(): { started: boolean; ready: boolean; workerChunks: number } {
  return { started: shared !== null, ready: shared?.ready ?? false, workerChunks: shared?.workerChunks ?? 0 };
}
