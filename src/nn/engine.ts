/**
 * Dense float32 matrix products for the network layers: C = A·B with row-major A (m×k) and
 * B (k×n). Two engines share one contract: `wasm` (tfjs-core + tfjs-backend-wasm, XNNPACK SIMD
 * kernels) and `ts` (plain loops, the speed baseline). Only the untransposed product is used:
 * the wasm backend's transposed products are 2–20× slower than a JS transpose plus a plain
 * product (measured, bench/nn.bench.ts), so layers transpose with {@link transpose} themselves.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { mustBe } from '../util/validate.js';

/** Names of the matrix-product engines. */
export type EngineName = 'wasm' | 'ts';

/** A float32 matrix-product engine. */
export interface MatmulEngine {
  /** Which implementation this is. */
  readonly name: EngineName;
  /** Threads the engine uses (1 unless the wasm build has threads). */
  readonly threads: number;
  /**
   * out = a·b, with a (m×k), b (k×n) and out (m×n) row-major; only the first m·k, k·n and m·n
   * entries are read or written.
   */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void;
}

/** The plain-TypeScript engine: i-k-j loops (unit stride inner loop). */
export const tsEngine: MatmulEngine = {
  name: 'ts',
  threads: 1,
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
  return {
    name: 'wasm',
    threads,
    matmul(a, b, m, k, n, out) {
      const ta = tf.tensor2d(a.length === m * k ? a : a.subarray(0, m * k), [m, k], 'float32');
      const tb = tf.tensor2d(b.length === k * n ? b : b.subarray(0, k * n), [k, n], 'float32');
      const tc = tf.matMul(ta, tb);
      out.set(tc.dataSync() as Float32Array);
      ta.dispose(); tb.dispose(); tc.dispose();
    },
  };
}

/**
 * Returns a matrix-product engine: 'wasm' initialises tfjs-backend-wasm (SIMD; threads when the
 * runtime offers them — plain Node does not) once per process; 'ts' is synchronous plain loops.
 * @param name - 'wasm' (default) or 'ts'
 * @throws RangeError for an unknown name; Error if the wasm backend cannot start
 * @example const engine = await createEngine('wasm'); engine.matmul(a, b, 2, 3, 4, out);
 */
export function createEngine(name: EngineName = 'wasm'): Promise<MatmulEngine> {
  switch (name) {
    case 'ts': return Promise.resolve(tsEngine);
    case 'wasm': return (wasmEngine ??= initWasm());
    default:
      mustBe('createEngine', 'name', name, false, "'wasm' | 'ts'");
      throw new Error('unreachable');
  }
}

/**
 * Writes the transpose of the row-major (rows×cols) matrix `src` into `dst` (cols×rows).
 * Blocked 32×32 so both sides stay in cache.
 */
export function transpose(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  const tile = 32;
  for (let i0 = 0; i0 < rows; i0 += tile) {
    const i1 = Math.min(rows, i0 + tile);
    for (let j0 = 0; j0 < cols; j0 += tile) {
      const j1 = Math.min(cols, j0 + tile);
      for (let i = i0; i < i1; i++) {
        const row = i * cols;
        for (let j = j0; j < j1; j++) dst[j * rows + i] = src[row + j];
      }
    }
  }
}
