/**
 * Grid layout helpers shared by the GPU solvers: gpu.js extents, per-axis line views, float32
 * conversion, discrete Lipschitz constants and the buffer-size guard.
 */
import type { Grid } from '../grids/grid.js';
import type { GpuMode } from './backends.js';
import type { AdapterInfo } from './webgpu-adapter.js';

/** gpu.js extent [x, y, z] of a grid (x = the last, fastest axis). */
export function extentOf(shape: readonly number[]): number[] {
  return [...shape].reverse();
}

/** The grid seen as [outer][n][inner] for a pass along axis k, as a gpu.js extent [inner, n, outer]. */
export function lineExtent(shape: readonly number[], k: number): number[] {
  let outer = 1, inner = 1;
  for (let a = 0; a < k; a++) outer *= shape[a];
  for (let a = k + 1; a < shape.length; a++) inner *= shape[a];
  return [inner, shape[k], outer];
}

/** The grid padded to three axes with leading 1s, as a gpu.js extent [n2, n1, n0]. */
export function paddedExtent(shape: readonly number[]): number[] {
  const padded = [1, 1, 1, ...shape].slice(-3);
  return padded.reverse();
}

/** Float32 copy of float64 data (round to nearest). */
export function toFloat32(data: Float64Array): Float32Array {
  return Float32Array.from(data);
}

/**
 * max_i |u[i+1] − u[i]| / h_k along each axis k: the discrete Lipschitz constant per axis, which a
 * monotone, translation-invariant scheme (and an inf-convolution along any axis) does not increase.
 */
export function axisLipschitz(grid: Grid, data: ArrayLike<number>): number[] {
  const { shape, spacing } = grid;
  const out: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    let stride = 1;
    for (let a = k + 1; a < shape.length; a++) stride *= shape[a];
    const n = shape[k], outer = data.length / (n * stride);
    let maxDiff = 0;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < n - 1; j++) {
        const base = (o * n + j) * stride;
        for (let r = 0; r < stride; r++) {
          const d = Math.abs(data[base + r + stride] - data[base + r]);
          if (d > maxDiff) maxDiff = d;
        }
      }
    }
    out.push(maxDiff / spacing[k]);
  }
  return out;
}

/** The most float32 values one WebAssembly buffer may hold here: 2³² bytes of wasm32 memory shared by ~4 buffers. */
export const WEBASM_MAX_VALUES = 2 ** 28;

/**
 * Refuses a grid that does not fit one device buffer before anything is uploaded.
 * @throws RangeError `fn: grid of N points (B bytes as float32) exceeds the adapter's maxStorageBufferBindingSize of L bytes (M points); …`
 */
export function assertFitsBuffers(fn: string, size: number, mode: GpuMode, adapter: AdapterInfo | null): void {
  const bytes = size * 4;
  if (mode === 'webgpu' && adapter) {
    const limit = Math.min(adapter.maxStorageBufferBindingSize, adapter.maxBufferSize);
    if (bytes > limit) {
      throw new RangeError(`${fn}: grid of ${size} points (${bytes} bytes as float32) exceeds the WebGPU adapter's buffer limit of ${limit} bytes (${Math.floor(limit / 4)} points; maxStorageBufferBindingSize ${adapter.maxStorageBufferBindingSize}, maxBufferSize ${adapter.maxBufferSize}); use a coarser grid or backend 'cpu'.`);
    }
  }
  if (mode !== 'webgpu' && size > WEBASM_MAX_VALUES) {
    throw new RangeError(`${fn}: grid of ${size} points exceeds the ${mode} backend's limit of ${WEBASM_MAX_VALUES} points per buffer; use a coarser grid or backend 'cpu'.`);
  }
}
