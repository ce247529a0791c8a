/**
 * Which gpu.js backends this machine can run, and the resolution of a user's `backend` option to
 * the gpu.js mode that will execute it.
 */
import gpujs from 'gpu.js';
import { BACKEND_NAMES, type BackendName } from './backend-name.js';
import { probeWebGPU, type AdapterInfo } from './webgpu-adapter.js';

/** A gpu.js mode that we run kernels on. */
export type GpuMode = 'webgpu' | 'webasm' | 'cpu';

/** One row of {@link backends}: can this backend run here, and on what. */
export interface BackendInfo {
  name: BackendName;
  available: boolean;
  /** Why it is not available, or what it runs on when it is (e.g. 'falls back to webasm: …'). */
  reason: string;
  /** The gpu.js mode that would execute it; null when unavailable ('cpu' = our float64 reference has none). */
  mode: GpuMode | null;
  /** WebGPU adapter description for 'webgpu' (and 'gpu' when it runs on webgpu). */
  adapter: AdapterInfo | null;
}

/** The resolution of a `backend` option: which gpu.js mode runs it, and any notice for the user. */
export interface ResolvedBackend {
  requested: BackendName;
  mode: GpuMode;
  adapter: AdapterInfo | null;
  /** One line for the user when the request was served by something else ('gpu' → webasm); else null. */
  notice: string | null;
}

const { GPU } = gpujs;

/**
 * Lists every backend name with whether it can run on this machine and why not.
 * 'cpu' (float64 reference) and 'gpujs-cpu' always run; 'webasm' needs WebAssembly SIMD;
 * 'webgpu' needs any WebGPU adapter (hardware, or Dawn's OpenGL ES route over Mesa llvmpipe);
 * 'gpu' is always available: a hardware WebGPU adapter, else webasm with a notice in `reason`.
 * Probing WebGPU requests an adapter, hence asynchronous; it is done once per process.
 * @returns one row per name in BACKEND_NAMES order
 * @example const rows = await backends(); rows.find((b) => b.name === 'webgpu')?.adapter?.description;
 */
export async function backends(): Promise<BackendInfo[]> {
  const probe = await probeWebGPU();
  const wasm = Boolean(GPU.isWebAssemblySupported);
  const hardware = probe.adapter !== null && !probe.adapter.isSoftware;
  return BACKEND_NAMES.map((name): BackendInfo => {
    switch (name) {
      case 'cpu': return { name, available: true, reason: 'float64 reference on the CPU', mode: null, adapter: null };
      case 'gpujs-cpu': return { name, available: true, reason: "gpu.js plain JavaScript backend (float32)", mode: 'cpu', adapter: null };
      case 'webasm': return wasm
        ? { name, available: true, reason: 'gpu.js WebAssembly backend (f32x4 SIMD, worker threads when asynchronous)', mode: 'webasm', adapter: null }
        : { name, available: false, reason: 'WebAssembly is not supported by this runtime', mode: null, adapter: null };
      case 'webgpu': return probe.adapter
        ? { name, available: true, reason: `WebGPU adapter: ${adapterLine(probe.adapter)}`, mode: 'webgpu', adapter: probe.adapter }
        : { name, available: false, reason: probe.reason ?? 'no WebGPU adapter', mode: null, adapter: null };
      case 'gpu': return hardware
        ? { name, available: true, reason: `hardware WebGPU adapter: ${adapterLine(probe.adapter!)}`, mode: 'webgpu', adapter: probe.adapter }
        : { name, available: wasm, reason: gpuFallbackNotice(probe.adapter, probe.reason), mode: wasm ? 'webasm' : null, adapter: null };
      default: throw new RangeError(`backends: unknown backend ${String(name satisfies never)}.`);
    }
  });
}

/** One line naming an adapter: description, device, vendor and the software verdict. */
export function adapterLine(a: AdapterInfo): string {
  const parts = [a.description, a.device, a.vendor, a.architecture].filter((s) => s !== '');
  return `${parts.join(' / ') || '(unnamed adapter)'} via Dawn ${a.route}${a.isSoftware ? ' [software]' : ' [hardware]'}`;
}

function gpuFallbackNotice(adapter: AdapterInfo | null, reason: string | null): string {
  const why = adapter ? `the only WebGPU adapter is software (${adapterLine(adapter)})` : (reason ?? 'no WebGPU adapter');
  return `backend 'gpu': no hardware GPU adapter (${why}); running on webasm instead.`;
}

function availableList(rows: readonly BackendInfo[]): string {
  return rows.filter((r) => r.available).map((r) => `'${r.name}'`).join(', ');
}

function checkName(fn: string, name: unknown): BackendName {
  if (typeof name !== 'string' || !(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new RangeError(`${fn}: backend must be one of ${BACKEND_NAMES.map((b) => `'${b}'`).join(' | ')}; got ${typeof name === 'string' ? `'${name}'` : String(name)}.`);
  }
  return name as BackendName;
}

/**
 * Resolves a gpu.js backend name to the mode that runs it, probing WebGPU when needed.
 * @param fn - the public function asking, for error messages
 * @param name - 'gpu' | 'webgpu' | 'webasm' | 'gpujs-cpu' ('cpu' is the float64 path, not resolved here)
 * @throws RangeError for an unknown name, for 'cpu', or for a backend that is not available here
 *   (the message lists those that are)
 */
export async function resolveBackend(fn: string, name: unknown): Promise<ResolvedBackend> {
  const requested = checkName(fn, name);
  if (requested === 'cpu') throw new RangeError(`${fn}: backend 'cpu' is the float64 reference; it has no gpu.js mode.`);
  return pickBackend(fn, requested, await backends());
}

/**
 * Picks a backend from {@link backends}' rows (pure; `resolveBackend` calls it with this machine's rows).
 * @throws RangeError when the backend is unavailable, naming why and those that are available
 */
export function pickBackend(fn: string, requested: BackendName, rows: readonly BackendInfo[]): ResolvedBackend {
  const row = rows.find((r) => r.name === requested);
  if (!row || !row.available || row.mode === null) {
    throw new RangeError(`${fn}: backend '${requested}' is not available on this machine (${row?.reason ?? 'unknown'}); available: ${availableList(rows)}.`);
  }
  const notice = requested === 'gpu' && row.mode !== 'webgpu' ? row.reason : null;
  return { requested, mode: row.mode, adapter: row.adapter, notice };
}

/**
 * Resolves a backend for a synchronous call: 'webasm' and 'gpujs-cpu' only, because WebGPU has no
 * synchronous readback (and probing an adapter is itself asynchronous).
 * @throws RangeError for 'gpu' / 'webgpu' (naming the asynchronous variant to call), unknown names,
 *   or 'webasm' on a runtime without WebAssembly
 */
export function resolveBackendSync(fn: string, name: unknown, asyncName: string): ResolvedBackend {
  const requested = checkName(fn, name);
  switch (requested) {
    case 'gpujs-cpu': return { requested, mode: 'cpu', adapter: null, notice: null };
    case 'webasm':
      if (!GPU.isWebAssemblySupported) {
        throw new RangeError(`${fn}: backend 'webasm' is not available on this machine (WebAssembly is not supported by this runtime); available: 'cpu', 'gpujs-cpu'.`);
      }
      return { requested, mode: 'webasm', adapter: null, notice: null };
    case 'gpu': case 'webgpu':
      throw new RangeError(`${fn}: backend '${requested}' runs WebGPU, which is asynchronous; call ${asyncName} (or use 'webasm' / 'gpujs-cpu' synchronously).`);
    case 'cpu': throw new RangeError(`${fn}: backend 'cpu' is the float64 reference; it has no gpu.js mode.`);
    default: throw new RangeError(`${fn}: unknown backend ${String(requested satisfies never)}.`);
  }
}
