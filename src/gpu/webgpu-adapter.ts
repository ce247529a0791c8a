/**
 * WebGPU in Node through Dawn (`webgpu@0.6.2`): probes the adapters this machine offers and installs
 * `navigator.gpu` for gpu.js. Two routes are tried, in this order:
 * 1. Dawn's default backends (Vulkan on Linux): a hardware adapter on a machine with a GPU driver.
 * 2. Dawn's OpenGL ES backend (`backend=opengles`) with `featureLevel: 'compatibility'`, over Mesa's
 *    EGL with `EGL_PLATFORM=surfaceless`: on a CPU-only machine this is llvmpipe, a *software*
 *    rasteriser. It runs the same WGSL, so CI can test the webgpu kernels without a GPU.
 *
 * gpu.js keeps ONE WebGPU device per process (a module-level singleton in gpu.js itself), so the
 * route chosen here is process-wide: the first call fixes it, later calls get the same answer.
 */
import { createRequire } from 'node:module';

/** What Dawn's adapter says about itself, plus our software verdict. */
export interface AdapterInfo {
  /** Which Dawn route answered: 'default' (Vulkan/Metal/D3D) or 'opengles'. */
  route: 'default' | 'opengles';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** WebGPU's own flag: the adapter is a fallback (software) implementation. */
  isFallbackAdapter: boolean;
  /** True when the adapter is a CPU rasteriser: isFallbackAdapter, or llvmpipe / lavapipe / swiftshader in its names. */
  isSoftware: boolean;
  /** The adapter's maxStorageBufferBindingSize in bytes: the largest grid a kernel may read is this / 4 values. */
  maxStorageBufferBindingSize: number;
  /** The adapter's maxBufferSize in bytes. */
  maxBufferSize: number;
}

/** The outcome of probing WebGPU: the adapter gpu.js will use, or why there is none. */
export interface WebGPUProbe {
  adapter: AdapterInfo | null;
  /** Why no adapter (module failed to load, no adapter on either route); null when there is one. */
  reason: string | null;
  /** Notes from routes that did not answer (e.g. 'default: no adapter'), in probe order. */
  tried: string[];
}

/** Names of CPU rasterisers that Dawn may expose as if they were GPUs. */
const SOFTWARE_PATTERN = /llvmpipe|lavapipe|swiftshader|softpipe|software/i;

interface DawnAdapter {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
}
interface DawnGPU { requestAdapter(options?: Record<string, unknown>): Promise<DawnAdapter | null>; wgslLanguageFeatures?: unknown }
interface DawnModule { create(flags: string[]): DawnGPU; globals: Record<string, unknown> }

/** Process-wide, because gpu.js's WebGPU device is process-wide (see the module comment). */
let probePromise: Promise<WebGPUProbe> | null = null;

/** Reads an adapter's self-description into a plain record and decides whether it is software. */
export function describeAdapter(adapter: DawnAdapter, route: AdapterInfo['route']): AdapterInfo {
  const info = adapter.info ?? {};
  const vendor = info.vendor ?? '', architecture = info.architecture ?? '', device = info.device ?? '';
  const description = info.description ?? '';
  const isFallbackAdapter = Boolean(adapter.isFallbackAdapter ?? info.isFallbackAdapter ?? false);
  const isSoftware = isFallbackAdapter || SOFTWARE_PATTERN.test(`${vendor} ${architecture} ${device} ${description}`);
  return {
    route, vendor, architecture, device, description, isFallbackAdapter, isSoftware,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    maxBufferSize: adapter.limits.maxBufferSize,
  };
}

function loadDawn(): DawnModule {
  // webgpu is ESM with a CommonJS native core; require() keeps this module synchronous to import
  // and lets a machine without the binary report the failure instead of failing at import time.
  const require = createRequire(import.meta.url);
  return require('webgpu') as DawnModule;
}

async function probe(): Promise<WebGPUProbe> {
  const tried: string[] = [];
  let dawn: DawnModule;
  try {
    dawn = loadDawn();
  } catch (err) {
    return { adapter: null, reason: `the webgpu module did not load: ${(err as Error).message.split('\n')[0]}`, tried };
  }
  const routes: { route: AdapterInfo['route']; flags: string[]; options: Record<string, unknown> }[] = [
    { route: 'default', flags: [], options: { powerPreference: 'high-performance' } },
    { route: 'opengles', flags: ['backend=opengles'], options: { featureLevel: 'compatibility' } },
  ];
  // Mesa picks its EGL platform from this variable; with no display, only 'surfaceless' works.
  process.env.EGL_PLATFORM ??= 'surfaceless';
  for (const { route, flags, options } of routes) {
    try {
      const gpu = dawn.create(flags);
      const adapter = await gpu.requestAdapter(options);
      if (!adapter) { tried.push(`${route}: no adapter`); continue; }
      const info = describeAdapter(adapter, route);
      installNavigatorGpu(dawn, gpu, options);
      return { adapter: info, reason: null, tried };
    } catch (err) {
      tried.push(`${route}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  return { adapter: null, reason: `no WebGPU adapter answered (${tried.join('; ')})`, tried };
}

/**
 * gpu.js calls `navigator.gpu.requestAdapter()` with no options; the GLES route needs
 * `featureLevel: 'compatibility'`, so the installed object forwards the probe's options.
 */
function installNavigatorGpu(dawn: DawnModule, gpu: DawnGPU, options: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(dawn.globals)) {
    if (!(name in globalThis)) Object.defineProperty(globalThis, name, { value, configurable: true, writable: true });
  }
  const shim = {
    requestAdapter: (extra?: Record<string, unknown>) => gpu.requestAdapter({ ...options, ...(extra ?? {}) }),
    getPreferredCanvasFormat: () => 'rgba8unorm',
    wgslLanguageFeatures: gpu.wgslLanguageFeatures,
  };
  const nav = (globalThis as { navigator?: Record<string, unknown> }).navigator;
  if (nav && typeof nav === 'object') {
    Object.defineProperty(nav, 'gpu', { value: shim, configurable: true, writable: true });
  } else {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: shim }, configurable: true, writable: true });
  }
}

/**
 * Probes WebGPU once per process (later calls return the same promise) and installs
 * `navigator.gpu` for gpu.js when an adapter answers: a hardware adapter if there is one, else
 * Dawn's OpenGL ES route (software on a machine without a GPU).
 * @returns the adapter's description, or the reason there is none
 * @example const { adapter } = await probeWebGPU(); adapter?.isSoftware; // true on llvmpipe
 */
export function probeWebGPU(): Promise<WebGPUProbe> {
  probePromise ??= probe();
  return probePromise;
}
