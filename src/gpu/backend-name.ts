/**
 * Compute backends a solver can run on. 'cpu' is the float64 reference (default); the others are
 * gpu.js float32 backends: 'gpu' = the best hardware backend available (falling back to 'webasm'),
 * 'webgpu' (Dawn), 'webasm' (SIMD + worker threads), 'gpujs-cpu' (gpu.js's plain JS backend).
 */
export type BackendName = 'cpu' | 'gpu' | 'webgpu' | 'webasm' | 'gpujs-cpu';

/** Every accepted backend name, for validation messages. */
export const BACKEND_NAMES: readonly BackendName[] = Object.freeze(['cpu', 'gpu', 'webgpu', 'webasm', 'gpujs-cpu']);

/**
 * Validates a `backend` option: one of {@link BACKEND_NAMES} (default 'cpu').
 * @throws RangeError `fn: backend must be 'cpu' | 'gpu' | …; got "x".`
 * @example requireKnownBackend('relax', options.backend); // 'cpu' when unset
 */
export function requireKnownBackend(fn: string, backend: unknown): BackendName {
  const b = backend ?? 'cpu';
  if (!(BACKEND_NAMES as readonly unknown[]).includes(b)) {
    throw new RangeError(`${fn}: backend must be ${BACKEND_NAMES.map((n) => `'${n}'`).join(' | ')}; got ${JSON.stringify(b)}.`);
  }
  return b as BackendName;
}
