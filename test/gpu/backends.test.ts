import { describe, it, expect } from 'vitest';
import { backends, resolveBackend, resolveBackendSync, pickBackend, type BackendInfo } from '../../src/gpu/backends.js';
import { describeAdapter } from '../../src/gpu/webgpu-adapter.js';
import { assertFitsBuffers } from '../../src/gpu/layout.js';
import { GpuEngine } from '../../src/gpu/engine.js';
import { BACKEND_NAMES } from '../../src/gpu/backend-name.js';

const limits = { maxStorageBufferBindingSize: 128 * 2 ** 20, maxBufferSize: 2 ** 31 };

describe('describeAdapter: software rasterisers are recognised', () => {
  it.each([
    ['llvmpipe (Mesa GLES)', { device: 'llvmpipe-llvm-15-0-6-256-bits-', description: 'OpenGL version OpenGL ES 3.2 Mesa 22.3.6' }, true],
    ['lavapipe (Mesa Vulkan)', { vendor: 'mesa', device: 'llvmpipe (LLVM 15.0.6, 256 bits)', description: 'lavapipe' }, true],
    ['SwiftShader', { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }, true],
    ['a fallback adapter by its flag', { vendor: 'x', isFallbackAdapter: true }, true],
    ['an NVIDIA H100', { vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' }, false],
  ])('%s → isSoftware = %s', (_label, info, software) => {
    const a = describeAdapter({ info, limits }, 'default');
    expect(a.isSoftware).toBe(software);
    expect(a.maxStorageBufferBindingSize).toBe(limits.maxStorageBufferBindingSize);
  });
});

describe('backends() on this machine', () => {
  it('lists every backend name once; cpu, gpujs-cpu and gpu are always available', async () => {
    const rows = await backends();
    expect(rows.map((r) => r.name)).toEqual([...BACKEND_NAMES]);
    for (const name of ['cpu', 'gpujs-cpu', 'gpu'] as const) expect(rows.find((r) => r.name === name)!.available).toBe(true);
    const webgpu = rows.find((r) => r.name === 'webgpu')!;
    // Printed on purpose: CI logs must say whether the WGSL path was exercised on this machine.
    console.log(webgpu.available
      ? `[gpu tests] webgpu available: ${webgpu.reason}`
      : `[gpu tests] webgpu (Dawn GLES path) UNAVAILABLE on this machine: ${webgpu.reason}`);
  });

  it("'gpu' runs webgpu only on a hardware adapter, else webasm with a one-line notice", async () => {
    const rows = await backends();
    const gpu = rows.find((r) => r.name === 'gpu')!;
    const webgpu = rows.find((r) => r.name === 'webgpu')!;
    if (webgpu.adapter && !webgpu.adapter.isSoftware) {
      expect(gpu.mode).toBe('webgpu');
    } else {
      expect(gpu.mode).toBe('webasm');
      expect(gpu.reason).toMatch(/^backend 'gpu': no hardware GPU adapter .*; running on webasm instead\.$/);
      const resolved = await resolveBackend('solveHJAsync', 'gpu');
      expect(resolved.notice).toBe(gpu.reason);
      expect(resolved.notice).not.toMatch(/\n/);
    }
  });
});

describe('backend selection errors', () => {
  const rows: BackendInfo[] = [
    { name: 'cpu', available: true, reason: 'float64', mode: null, adapter: null },
    { name: 'gpu', available: true, reason: 'falls back', mode: 'webasm', adapter: null },
    { name: 'webgpu', available: false, reason: 'no WebGPU adapter answered', mode: null, adapter: null },
    { name: 'webasm', available: true, reason: 'wasm', mode: 'webasm', adapter: null },
    { name: 'gpujs-cpu', available: true, reason: 'js', mode: 'cpu', adapter: null },
  ];
  it('an unavailable backend names the reason and what is available', () => {
    expect(() => pickBackend('solveHJAsync', 'webgpu', rows)).toThrow(
      /^solveHJAsync: backend 'webgpu' is not available on this machine \(no WebGPU adapter answered\); available: 'cpu', 'gpu', 'webasm', 'gpujs-cpu'\.$/);
  });
  it('an unknown backend lists the accepted names', async () => {
    await expect(resolveBackend('coleHopfAsync', 'cuda')).rejects.toThrow(/^coleHopfAsync: backend must be one of 'cpu' \| 'gpu' \| 'webgpu' \| 'webasm' \| 'gpujs-cpu'; got 'cuda'\.$/);
  });
  it("a synchronous call refuses 'gpu' / 'webgpu' and names the asynchronous variant", () => {
    expect(() => resolveBackendSync('solveHJ', 'gpu', 'solveHJAsync')).toThrow(/^solveHJ: backend 'gpu' runs WebGPU, which is asynchronous; call solveHJAsync/);
    expect(() => resolveBackendSync('hopfLax', 'webgpu', 'hopfLaxAsync')).toThrow(/call hopfLaxAsync/);
  });
  it('a grid over the adapter buffer limit is refused with the limit', () => {
    const adapter = describeAdapter({ info: { description: 'small' }, limits }, 'opengles');
    const points = limits.maxStorageBufferBindingSize / 4 + 1;
    expect(() => assertFitsBuffers('solveHJAsync', points, 'webgpu', adapter)).toThrow(
      new RegExp(`^solveHJAsync: grid of ${points} points \\(${points * 4} bytes as float32\\) exceeds the WebGPU adapter's buffer limit of ${limits.maxStorageBufferBindingSize} bytes \\(${points - 1} points`));
    expect(() => assertFitsBuffers('solveHJAsync', points - 1, 'webgpu', adapter)).not.toThrow();
    expect(() => assertFitsBuffers('hopfLax', 2 ** 28 + 1, 'webasm', null)).toThrow(/^hopfLax: grid of 268435457 points exceeds the webasm backend's limit of 268435456 points per buffer/);
  });
  it('a kernel that fails to compile is reported by its name', () => {
    const engine = new GpuEngine('cpu');
    try {
      // A kernel that calls a function gpu.js cannot resolve: transpilation fails on first use.
      const broken = engine.kernel({ name: 'brokenKernel[test]', body: function () { return (globalThis as never as { nope: () => number }).nope(); }, output: [4] });
      expect(() => engine.runSync(broken)).toThrow(/^gpu kernel 'brokenKernel\[test\]' failed on gpu\.js mode 'cpu': /);
    } finally {
      engine.destroy();
    }
  });
});
