/**
 * Compute backends a solver can run on. 'cpu' is the float64 reference (default); the others are
 * gpu.js float32 backends: 'gpu' = the best hardware backend available (falling back to 'webasm'),
 * 'webgpu' (Dawn), 'webasm' (SIMD + worker threads), 'gpujs-cpu' (gpu.js's plain JS backend).
 */
export type BackendName = 'cpu' | 'gpu' | 'webgpu' | 'webasm' | 'gpujs-cpu';

/** Every accepted backend name, for validation messages. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(['cpu', 'gpu', 'webgpu', 'webasm', 'gpujs-cpu']);
