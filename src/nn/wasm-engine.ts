/**
 * The 'wasm-simd' engine: our own float32 GEMM (wasm/assembly/gemm.ts: packed panels, a 5×8 f32x4
 * micro-kernel, every transposition through packing; fused multiply-adds via relaxed SIMD where the
 * runtime has it) in a shared WebAssembly memory, on this thread or split over two.
 *
 * Operands that live in the engine's memory ({@link WasmSimdEngine.alloc}: the network's parameters
 * and gradients) are used in place; any other Float32Array is copied into a staging buffer first
 * (and a staged result copied back). With two threads, each product's output is cut into about
 * eight column (or row) chunks that this thread and a worker claim until none is left: every entry
 * is the same sequential fold over k either way (gemm.ts), so 1 and 2 threads give identical bits.
 * {@link WasmSimdEngine.sparseGemm} runs a product over the nonzero entries of a mostly-zero left
 * operand only (the same fold without its zero terms: the bits of `gemm` when the right one is finite).
 */
import { availableParallelism } from 'node:os';
import { mustBe, mustBeInteger } from '../util/validate.js';
import { enableRelaxedSimd, WasmArena, wasmModule } from '../wasm/kernels.js';
import type { MatmulEngine } from './engine.js';
import { GemmWorker } from './wasm-engine-worker.js';
import { WasmOps } from './wasm-ops.js';

/** Options of {@link wasmSimdEngine}. */
export interface WasmSimdOptions {
  /** 1 (this thread only) or 2 (this thread and one worker). @defaultValue min(2, available cores) */
  threads?: number;
  /** Use fused multiply-adds (relaxed SIMD) when the runtime offers them. @defaultValue true */
  fma?: boolean;
}

/** The exports of wasm/build/gemm.wasm and gemm-fma.wasm. */
export interface GemmExports {
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, lda: number, b: number, ldb: number,
    c: number, ldc: number, accumulate: number, ws: number, packedA: number): void;
  packA(transA: number, m: number, k: number, a: number, lda: number, dst: number): void;
  packedABytes(m: number, k: number): number;
  workspaceBytes(): number;
  sparseRows(transA: number, m: number, k: number, a: number, lda: number, rowBytes: number, maxNnz: number,
    start: number, off: number, val: number, count: number): number;
  spmm(m: number, k: number, j0: number, j1: number, start: number, off: number, val: number, b: number, ldb: number, transB: number,
    c: number, ldc: number, transC: number, ws: number, bad: number): void;
  sparseWorkspaceBytes(k: number): number;
}

/** Products smaller than this (multiply-adds) stay on one thread: waking the worker costs ~10–50 µs. */
const SPLIT_MIN_MACS = 1 << 19;
/** Chunks are whole micro-kernel tiles (5 rows × 8 columns), so no extra edge tiles appear. */
const MR = 5, NR = 8;
/** Chunks per split product, and their least width in rows or columns (see run). */
const CHUNKS = 8, CHUNK_MIN = 64;
/** Products with k at least this long may be cut into column chunks of single tiles. */
const K_HEAVY = 4096;
/** Row stride in bytes of spmm's slabs of b (gemm.ts: SLAB, 48 columns), and its column chunks. */
const SLAB_BYTES = 192, SLAB_COLS = 48;
/** Sparse products narrower than this are declined: spmm's 24-column blocks would not run (LeNet's 500 → 10 layer). */
const SPARSE_MIN_N = 24;
/** Bytes of engine memory handed out by `alloc` before it falls back to ordinary arrays (copied per product). */
const ALLOC_BUDGET = 2 ** 30;

/** A matrix-product engine on the wasm GEMM; build with {@link wasmSimdEngine}. */
export class WasmSimdEngine implements MatmulEngine {
  readonly name = 'wasm-simd' as const;
  readonly packsRight = false;
  readonly threads: number;
  /** Whether the kernel uses fused multiply-adds (relaxed SIMD). */
  readonly fused: boolean;
  /** Elementwise layer kernels on this engine's memory. */
  readonly ops: WasmOps;
  private readonly arena = new WasmArena(1 << 20);
  private readonly kernel: GemmExports;
  private readonly workspace: number;
  private readonly owned = new WeakSet<ArrayBufferLike>();
  /** Staging for a, b and the result when they are not in the engine's memory; slot 3: op(A) packed once for all chunks. */
  private readonly staging: Float32Array[] = [new Float32Array(0), new Float32Array(0), new Float32Array(0), new Float32Array(0)];
  private worker: GemmWorker | null = null;
  /** The lists of a sparse product's left operand (see sparseGemm): row starts, byte offsets, values, counts. */
  private sparse: { start: Int32Array; off: Int32Array; val: Float32Array; count: Int32Array } =
    { start: new Int32Array(0), off: new Int32Array(0), val: new Float32Array(0), count: new Int32Array(0) };
  /** Set to 1 by spmm when its right operand has a non-finite entry. */
  private readonly sparseBad: Int32Array;
  /** Deferred calling-thread tasks (see defer). */
  private readonly pending: (() => void)[] = [];
  private readonly flushFn = () => this.flush();

  /** @internal use {@link wasmSimdEngine}. */
  constructor(threads: number, fma: boolean) {
    this.fused = fma && enableRelaxedSimd();
    const module = wasmModule(this.fused ? 'gemm-fma' : 'gemm');
    this.kernel = this.arena.instantiate<GemmExports>(this.fused ? 'gemm-fma' : 'gemm');
    this.workspace = this.arena.alloc(this.kernel.workspaceBytes());
    this.threads = threads;
    if (threads > 1) this.worker = new GemmWorker(this.arena, module, this.arena.alloc(this.kernel.workspaceBytes()), [wasmModule('nn-elementwise'), wasmModule('nn-conv')]);
    this.sparseBad = this.allocI32(1);
    this.ops = new WasmOps(this.arena, (a) => this.owned.has(a.buffer), (a) => this.owned.add(a.buffer), this.worker);
  }

  /**
   * `n` float32 values in the engine's memory (zeroed): products read and write them in place.
   * The memory is held for the engine's lifetime; past 1 GiB in all, an ordinary array is returned
   * (still correct, copied at each product).
   */
  alloc(n: number): Float32Array {
    if (this.arena.used + 4 * n > ALLOC_BUDGET) return new Float32Array(n);
    const view = this.arena.allocF32(n);
    this.owned.add(view.buffer);
    return view;
  }

  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void {
    this.gemm(false, false, a, b, m, k, n, out);
  }

  /**
   * out (m×n) = op(a)·op(b): op(a) = a (m×k) or, with transA, aᵀ for a stored (k×m); op(b) = b
   * (k×n) or, with transB, bᵀ for b stored (n×k). All row-major; only the leading entries are used.
   */
  gemm(transA: boolean, transB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void {
    const pa = this.place(a, m * k, 0), pb = this.place(b, k * n, 1);
    const direct = this.owned.has(out.buffer);
    const pc = direct ? out.byteOffset : this.stage(m * n, 2).byteOffset;
    this.run(transA, transB, m, n, k, pa, pb, pc);
    if (!direct) out.set(this.staging[2].subarray(0, m * n));
  }

  /**
   * out (m×n) = op(a)·op(b) over the nonzero entries of op(a) only (op(a) = a (m×k), or aᵀ for a
   * stored k×m with transA; op(b) = b (k×n), or bᵀ for b stored n×k with transB; out stored m×n,
   * or n×m (its transpose) with transOut), when at most `maxDensity`·m·k of them are nonzero;
   * returns false otherwise (nothing written), when an operand is not in the engine's memory, n
   * is under 24 or k too long for the workspace (nothing written), or when b has an entry that is not finite
   * (out written, but not as `gemm` would: 0·∞ terms were left out). Each entry is the fold of
   * {@link gemm} without its a_ip = 0 terms, so a true return means the bits of `gemm`.
   */
  sparseGemm(transA: boolean, transB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array,
    maxDensity: number, transOut = false): boolean {
    const kern = this.kernel;
    if (!this.owned.has(a.buffer) || !this.owned.has(b.buffer) || !this.owned.has(out.buffer)) return false;
    if (m <= 0 || n < SPARSE_MIN_N || k <= 0 || kern.sparseWorkspaceBytes(k) > kern.workspaceBytes()) return false;
    const maxNnz = Math.floor(maxDensity * m * k), sp = this.sparse;
    if (sp.start.length < m + 1) { sp.start = this.allocI32(2 * m + 1); sp.count = this.allocI32(2 * m); }
    if (sp.off.length < maxNnz) { sp.off = this.allocI32(2 * maxNnz); sp.val = this.arena.allocF32(2 * maxNnz); }
    const nnz = kern.sparseRows(transA ? 1 : 0, m, k, a.byteOffset, transA ? m : k, SLAB_BYTES, maxNnz,
      sp.start.byteOffset, sp.off.byteOffset, sp.val.byteOffset, sp.count.byteOffset);
    if (nnz < 0) return false;
    const chunks = Math.min(CHUNKS, Math.ceil(n / SLAB_COLS)), worker = this.worker, bad = this.sparseBad;
    const ldb = transB ? k : n, tB = transB ? 1 : 0, ldc = transOut ? m : n, tC = transOut ? 1 : 0;
    bad[0] = 0;
    if (worker === null || nnz * n < SPLIT_MIN_MACS || chunks < 2) {
      kern.spmm(m, k, 0, n, sp.start.byteOffset, sp.off.byteOffset, sp.val.byteOffset, b.byteOffset, ldb, tB, out.byteOffset, ldc, tC,
        this.workspace, bad.byteOffset);
    } else {
      const step = Math.ceil(n / chunks / SLAB_COLS) * SLAB_COLS;
      worker.runSparse(step, Math.ceil(n / step), kern.spmm, this.workspace, m, k, n, sp.start.byteOffset, sp.off.byteOffset, sp.val.byteOffset,
        b.byteOffset, ldb, tB, out.byteOffset, ldc, tC, bad.byteOffset, this.pending.length ? this.flushFn : null);
    }
    return Atomics.load(bad, 0) === 0;
  }

  /** Keeps the worker (if any) polling for work during a burst of products (see MatmulEngine.hold). */
  hold(on: boolean): void {
    this.worker?.hold(on);
  }

  /** Runs `task` while the worker starts on the next split product, or at {@link flush} (see MatmulEngine.defer). */
  defer(task: () => void): void {
    if (this.worker === null) { task(); return; }
    this.pending.push(task);
  }

  /** Runs the deferred tasks now, in order. */
  flush(): void {
    const tasks = this.pending;
    for (let i = 0; i < tasks.length; i++) tasks[i]();
    tasks.length = 0;
  }

  /** Stops the worker (if any); the engine then runs on this thread only. */
  close(): void {
    this.worker?.close();
    this.worker = null;
    this.ops.detach();
    this.flush();
  }

  private run(transA: boolean, transB: boolean, m: number, n: number, k: number, pa: number, pb: number, pc: number): void {
    const lda = transA ? m : k, ldb = transB ? k : n, tA = transA ? 1 : 0, tB = transB ? 1 : 0;
    const worker = this.worker;
    // Chunks along the longer side of the output, about an eighth of it in whole tiles: enough for
    // the threads to even out a late start. Row chunks re-pack all of op(B), so chunks are at least
    // CHUNK_MIN wide. A small output over a long k (conv1's 25 × 20 ∂W over k = 73,728) is cut
    // into column tiles instead: column chunks share one packing of op(A) and pack only their own
    // columns of op(B), so narrow chunks cost nothing extra there.
    const narrow = k >= K_HEAVY && n >= 2 * NR;
    const dim = n >= m || narrow ? 0 : 1, len = dim === 0 ? n : m, tile = dim === 0 ? NR : MR;
    const chunks = narrow ? Math.min(CHUNKS, Math.ceil(n / NR)) : Math.min(CHUNKS, Math.floor(len / CHUNK_MIN));
    if (worker === null || m * n * k < SPLIT_MIN_MACS || chunks < 2) {
      this.kernel.gemm(tA, tB, m, n, k, pa, lda, pb, ldb, pc, n, 0, this.workspace, 0);
      return;
    }
    const step = Math.ceil(len / chunks / tile) * tile;
    // Column chunks all read the whole of op(A): pack it once here instead of once per chunk.
    let packed = 0;
    if (dim === 0) {
      packed = this.stage(this.kernel.packedABytes(m, k) / 4, 3).byteOffset;
      this.kernel.packA(tA, m, k, pa, lda, packed);
    }
    worker.run(dim, step, Math.ceil(len / step), this.kernel.gemm, this.workspace, packed, tA, tB, m, n, k, pa, lda, pb, ldb, pc, n,
      this.pending.length ? this.flushFn : null);
  }

  /** The byte offset of `x`'s first `count` values in the engine's memory, copying into staging slot `slot` if needed. */
  private place(x: Float32Array, count: number, slot: number): number {
    if (this.owned.has(x.buffer)) return x.byteOffset;
    const s = this.stage(count, slot);
    s.set(count === x.length ? x : x.subarray(0, count));
    return s.byteOffset;
  }

  private allocI32(n: number): Int32Array {
    const offset = this.arena.alloc(4 * n); // before reading the buffer: alloc may grow the memory
    return new Int32Array(this.arena.memory.buffer, offset, n);
  }

  private stage(count: number, slot: number): Float32Array {
    if (this.staging[slot].length < count) {
      this.staging[slot] = this.arena.allocF32(Math.max(count, 2 * this.staging[slot].length));
      this.owned.add(this.staging[slot].buffer);
    }
    return this.staging[slot];
  }
}

/**
 * A 'wasm-simd' engine with its own memory (and worker thread when threads = 2). The worker is
 * unref'd, so it never keeps the process alive; `close()` stops it.
 * @throws RangeError if threads is not 1 or 2
 * @example const engine = wasmSimdEngine({ threads: 1 }); const net = mnistfc({ engine });
 */
export function wasmSimdEngine(options: WasmSimdOptions = {}): WasmSimdEngine {
  const threads = options.threads ?? Math.min(2, availableParallelism());
  mustBeInteger('wasmSimdEngine', 'threads', threads, 1, 2);
  mustBe('wasmSimdEngine', 'fma', options.fma, options.fma === undefined || typeof options.fma === 'boolean', 'a boolean');
  return new WasmSimdEngine(threads, options.fma ?? true);
}

let shared: WasmSimdEngine | null = null;

/** The process-wide 'wasm-simd' engine with default options (the networks' default engine). */
export function defaultEngine(): WasmSimdEngine {
  return (shared ??= wasmSimdEngine());
}
