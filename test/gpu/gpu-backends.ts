/**
 * The gpu.js backends the parity suites run on: 'gpujs-cpu' and 'webasm' always; 'webgpu' when an
 * adapter answers (Dawn's OpenGL ES route over Mesa llvmpipe on a CPU-only machine). When it does
 * not, the suite titles and a console line say so: the WGSL path was not exercised.
 */
import { backends } from '../../src/gpu/backends.js';
import type { BackendName } from '../../src/gpu/backend-name.js';

const rows = await backends();
const webgpu = rows.find((r) => r.name === 'webgpu')!;
if (!webgpu.available) console.log(`[gpu tests] webgpu UNAVAILABLE here, WGSL kernels NOT tested: ${webgpu.reason}`);

/** Backends to run, each with a label that says what it ran on. */
export const GPU_BACKENDS: { backend: BackendName; label: string }[] = [
  { backend: 'gpujs-cpu', label: 'gpujs-cpu' },
  { backend: 'webasm', label: 'webasm' },
  ...(webgpu.available ? [{ backend: 'webgpu' as BackendName, label: `webgpu (${webgpu.adapter!.isSoftware ? 'software: ' : ''}${webgpu.adapter!.device || webgpu.adapter!.description})` }] : []),
];

/** Title of a placeholder suite stating that the WebGPU path was not exercised here (or null). */
export const WEBGPU_MISSING: string | null = webgpu.available ? null : `webgpu UNAVAILABLE on this machine (${webgpu.reason}): WGSL kernels not tested`;

/** float32 unit roundoff 2⁻²⁴. */
export const EPS32 = 2 ** -24;
