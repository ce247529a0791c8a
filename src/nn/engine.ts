/**
 * Dense float32 matrix products for the network layers: C = A·B with row-major A (m×k) and
 * B (k×n). Three engines share one contract: `wasm-simd` (our GEMM in WebAssembly SIMD, one or two
 * threads, src/nn/wasm-engine.ts; the default), `wasm` (tfjs-core + tfjs-backend-wasm, XNNPACK
 * SIMD kernels) and `ts` (plain loops, the speed baseline). An engine may also offer transposed
 * products (`gemm`) and memory it reads in place (`alloc`); layers use them when present.
 * For `wasm`, only the untransposed product is used:
 * the wasm backend's transposed products are 2–20× slower than a JS transpose plus a plain
 * product (measured, bench/nn.bench.ts), so layers transpose with {@link transpose} themselves.
 * XNNPACK re-packs the right operand b at every call (a fresh tensor each time, so its operator
 * cache never hits), and packing a 1024 × 1024 b costs about as much as the product itself; the
 * engine says so with `packsRight`, and layers then put the larger operand on the left.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { mustBe } from '../util/validate.js';
import { defaultEngine, wasmSimdEngine, type WasmSimdOptions } from './wasm-engine.js';
import type { WasmOps } from './wasm-ops.js';

/** Names of the matrix-product engines. */
export type EngineName = 'wasm-simd' | 'wasm' | 'ts';

/** A float32 matrix-product engine. */
export interface MatmulEngine {
  /** Which implementation this is. */
  readonly name: EngineName;
  /** Threads the engine uses (wasm-simd: 1 or 2; tfjs wasm: 1 in Node; ts: 1). */
  readonly threads: number;
  /**
   * True when every product re-packs its right operand b (XNNPACK's GEMM packs the "weights" in
   * its own layout per call; here a cost of ~10 ns per entry of b): callers should then keep the
   * larger matrix on the left. False for the plain loops, which read both in place.
   */
  readonly packsRight: boolean;
  /**
   * out = a·b, with a (m×k), b (k×n) and out (m×n) row-major; only the first m·k, k·n and m·n
   * entries are read or written.
   */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void;
  /**
   * Optional transposed products: out (m×n) = op(a)·op(b), op(a) = a (m×k) or, with transA, aᵀ
   * for a stored (k×m); op(b) = b (k×n) or, with transB, bᵀ for b stored (n×k).
   */
  gemm?(transA: boolean, transB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void;
  /**
   * Optional product over the nonzero entries of a mostly-zero left operand: out = op(a)·op(b)
   * (op as in `gemm`), out stored m×n or, with transOut, as its transpose (n×m). Returns false
   * when more than maxDensity·m·k entries of a are nonzero or the engine cannot run it here
   * (nothing written), or when b has a non-finite entry (out overwritten: a skipped 0·∞ is NaN
   * in `gemm`); true means the bits of `gemm` (the skipped terms are ±0).
   */
  sparseGemm?(transA: boolean, transB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array,
    maxDensity: number, transOut?: boolean): boolean;
  /** Optional: zeroed float32 storage that the engine's products use in place (no copies). */
  alloc?(n: number): Float32Array;
  /** Optional elementwise layer kernels on storage from `alloc` (layers fall back to their own loops). */
  readonly ops?: WasmOps;
  /**
   * Optional: a burst of products follows (`true`) or has ended (`false`). A threaded engine
   * keeps its worker awake in between (no wake-up per product) until the burst ends.
   */
  hold?(on: boolean): void;
  /**
   * Optional: run `task` on the calling thread later, while a worker starts on the next split
   * product (or at {@link flush}); tasks run in order. Engines without it run nothing deferred.
   */
  defer?(task: () => void): void;
  /** Optional: run every deferred task now. */
  flush?(): void;
}

/** The plain-TypeScript engine: i-k-j loops (unit stride inner loop). */
export const tsEngine: MatmulEngine = {
  name: 'ts',
  threads: 1,
  packsRight: false,
  matmul(a, b, m, k, n, out) {
    out.fill(0, 0, m * n);
    for (let i = 0; i < m; i++) {
      const rowA = i * k, rowC = i * n;
      for (let p = 0; p < k; p++) {
        const aip = a[rowA + p];
        if (aip === 0) continue; // ReLU outputs and dropout masks make many exact zeros
        const rowB = p * n;
        for (let j = 0; j < n; j++) out[rowC + j] += aip * b[rowB + j];
      }
    }
  },
};

type Tf = typeof import('@tensorflow/tfjs-core');
let wasmEngine: Promise<MatmulEngine> | null = null; // one process-wide tfjs backend: initialise once

async function initWasm(): Promise<MatmulEngine> {
  const tf: Tf = await import('@tensorflow/tfjs-core');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const require = createRequire(import.meta.url);
  const dist = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'));
  wasm.setWasmPaths(dist + path.sep);
  const ok = await tf.setBackend('wasm');
  if (!ok) throw new Error('createEngine: the tfjs wasm backend failed to initialise; use engine \'ts\'.');
  await tf.ready();
  const threads = wasm.getThreadsCount();
  const heap = heapReader(tf.backend());
  return {
    name: 'wasm',
    threads,
    packsRight: true,
    matmul(a, b, m, k, n, out) {
      const ta = tf.tensor2d(a.length === m * k ? a : a.subarray(0, m * k), [m, k], 'float32');
      const tb = tf.tensor2d(b.length === k * n ? b : b.subarray(0, k * n), [k, n], 'float32');
      const tc = tf.matMul(ta, tb);
      // One copy out of the wasm heap instead of dataSync's copy plus a second one into `out`.
      if (!heap?.(tc.dataId, m * n, out)) out.set(tc.dataSync() as Float32Array);
      ta.dispose(); tb.dispose(); tc.dispose();
    },
  };
}

/** The parts of tfjs-backend-wasm's BackendWasm (4.x, not public API) used to read a result in place. */
interface WasmInternals {
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  wasm: { HEAPF32: Float32Array };
}

/**
 * A reader that copies a float32 tensor's values straight from the wasm heap into `out`, or null
 * when the backend's internals are not the expected ones (then callers use dataSync).
 */
function heapReader(backend: unknown): ((dataId: object, size: number, out: Float32Array) => boolean) | null {
  const b = backend as Partial<WasmInternals> | null;
  if (typeof b?.dataIdMap?.get !== 'function' || !(b.wasm?.HEAPF32 instanceof Float32Array)) return null;
  const internals = b as WasmInternals;
  return (dataId, size, out) => {
    const entry = internals.dataIdMap.get(dataId);
    if (entry === undefined || typeof entry.memoryOffset !== 'number') return false;
    const heap = internals.wasm.HEAPF32; // re-read: the heap's buffer changes when wasm memory grows
    const start = entry.memoryOffset >>> 2;
    out.set(heap.subarray(start, start + size));
    return true;
  };
}

/**
 * Returns a matrix-product engine: 'wasm-simd' our WebAssembly GEMM (the process-wide default
 * engine, two threads where two cores are available; with `options`, a fresh engine); 'wasm'
 * initialises tfjs-backend-wasm (SIMD; threads when the runtime offers them — plain Node does not)
 * once per process; 'ts' is synchronous plain loops.
 * @param name - 'wasm-simd' (default), 'wasm' or 'ts'
 * @param options - threads and fma of a fresh 'wasm-simd' engine (ignored by the others)
 * @throws RangeError for an unknown name; Error if the wasm backend cannot start
 * @example const engine = await createEngine('wasm-simd', { threads: 1 }); engine.matmul(a, b, 2, 3, 4, out);
 */
export function createEngine(name: EngineName = 'wasm-simd', options?: WasmSimdOptions): Promise<MatmulEngine> {
  switch (name) {
    case 'wasm-simd':
      try {
        return Promise.resolve(options ? wasmSimdEngine(options) : defaultEngine());
      } catch (e) {
        return Promise.reject(e as Error);
      }
    case 'ts': return Promise.resolve(tsEngine);
    case 'wasm': return (wasmEngine ??= initWasm());
    default:
      mustBe('createEngine', 'name', name, false, "'wasm-simd' | 'wasm' | 'ts'");
      throw new Error('unreachable');
  }
}

/**
 * Writes the transpose of the row-major (rows×cols) matrix `src` into `dst` (cols×rows).
 * Blocked 32×32 so both sides stay in cache, and 4×4 within a block (four source rows read per
 * step, four consecutive entries written per destination row): 2–3× faster than one entry at a
 * time on the 1024×1024 weights (bench/nn.bench.ts).
 */
export function transpose(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const tile = 32, rows4 = rows - (rows % 4), cols4 = cols - (cols % 4);
  for (let i0 = 0; i0 < rows4; i0 += tile) {
    const i1 = Math.min(rows4, i0 + tile);
    for (let j0 = 0; j0 < cols4; j0 += tile) {
      const j1 = Math.min(cols4, j0 + tile);
      for (let i = i0; i < i1; i += 4) {
        const r0 = i * cols, r1 = r0 + cols, r2 = r1 + cols, r3 = r2 + cols;
        for (let j = j0; j < j1; j += 4) {
          let d = j * rows + i;
          dst[d] = src[r0 + j]; dst[d + 1] = src[r1 + j]; dst[d + 2] = src[r2 + j]; dst[d + 3] = src[r3 + j];
          d += rows;
          dst[d] = src[r0 + j + 1]; dst[d + 1] = src[r1 + j + 1]; dst[d + 2] = src[r2 + j + 1]; dst[d + 3] = src[r3 + j + 1];
          d += rows;
          dst[d] = src[r0 + j + 2]; dst[d + 1] = src[r1 + j + 2]; dst[d + 2] = src[r2 + j + 2]; dst[d + 3] = src[r3 + j + 2];
          d += rows;
          dst[d] = src[r0 + j + 3]; dst[d + 1] = src[r1 + j + 3]; dst[d + 2] = src[r2 + j + 3]; dst[d + 3] = src[r3 + j + 3];
        }
      }
    }
  }
  // Edges: the last cols % 4 columns of the first rows4 rows, then the last rows % 4 rows.
  for (let i = 0; i < rows4; i++) for (let j = cols4; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
  for (let i = rows4; i < rows; i++) for (let j = 0; j < cols; j++) dst[j * rows + i] = src[i * cols + j];
}
