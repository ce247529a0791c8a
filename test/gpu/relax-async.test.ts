import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { relax, type RelaxOptions } from '../../src/pde/relax.js';
import { relaxAsync } from '../../src/gpu/relax-async.js';
import { coleHopfWindows } from '../../src/gpu/cole-hopf.js';
import { hopfLaxWindows } from '../../src/gpu/hopf-lax.js';
import type { BackendName } from '../../src/gpu/backend-name.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';

const grid = Grid.uniform([[-2, 2], [-2, 2]], [41, 41]);
const f = grid.sample((x, y) => 0.5 * (x * x + y * y) + 0.2 * Math.sin(4 * x) * Math.cos(3 * y));
const points = [[0.31, -0.47], [-0.9, 0.25], [0.05, 0.62]];

async function run(options: RelaxOptions, backend: BackendName) {
  return backend === 'webgpu' ? relaxAsync(f, { ...options, backend }) : relax(f, { ...options, backend });
}

describe.each(GPU_BACKENDS)("relax(f, { backend: '$label' }) against relax on 'cpu'", ({ backend }) => {
  it('finite β (Cole–Hopf): value, gradient and Gibbs mean at off-grid points within the float32 bound', async () => {
    const t = 0.25, beta = 16;
    const cpu = relax(f, { t, beta }), gpu = await run({ t, beta }, backend);
    expect(gpu.method).toBe('cole-hopf');
    // Grid values differ by ≤ tol_u and means by ≤ tol_mean (test/gpu/dispatch-cole-hopf.test.ts);
    // multilinear interpolation is a convex combination, and ∇u = (x − mean)/t.
    const w = coleHopfWindows(f, t, beta, 8), r2 = w.reduce((s, wk) => s + (wk * grid.spacing[0]) ** 2, 0);
    const tolU = EPS32 * (12 * (f.normInf() + r2 / (2 * t)) + (2 * (2 * Math.max(...w) + 1)) / beta);
    const tolMean = beta * tolU * Math.sqrt(r2) + 8 * EPS32;
    for (const x of points) {
      expect(Math.abs(gpu.value(x) - cpu.value(x))).toBeLessThanOrEqual(tolU);
      expect(gpu.gradient(x)).toBeAllclose(cpu.gradient(x), { atol: tolMean / t });
    }
  });

  it("β = ∞ (Hopf–Lax, no prox refinement on either side): value and prox at off-grid points", async () => {
    const t = 0.3;
    const cpu = relax(f, { t, proxRefinement: 'none' }), gpu = await run({ t }, backend);
    expect(gpu.method).toBe('hopf-lax');
    // Values: 4·d·ε·(max|f| + R²/2t) (test/gpu/hopf-lax.test.ts); the grid argmin is the same here
    // (f is smooth and strictly convex-dominated, no near-ties), so the prox fields agree exactly.
    const r2 = hopfLaxWindows(f, t).reduce((s, wk) => s + (wk * grid.spacing[0]) ** 2, 0);
    for (const x of points) {
      expect(Math.abs(gpu.value(x) - cpu.value(x))).toBeLessThanOrEqual(8 * EPS32 * (f.normInf() + r2 / (2 * t)));
      expect(gpu.prox(x)).toBeAllclose(cpu.prox(x), { atol: 1e-12 });
    }
  });

  it("method 'fd': the float32 monotone stepper, within first order in dt of the float64 one", async () => {
    const t = 0.1, beta = 50;
    const cpu = relax(f, { t, beta, method: 'fd' }), gpu = await run({ t, beta, method: 'fd' }, backend);
    // Two first-order time discretisations (uniform vs adaptive dt ≤ 0.01) of a smooth solution, |u_tt| ≲ 1 here.
    for (const x of points) expect(Math.abs(gpu.value(x) - cpu.value(x))).toBeLessThanOrEqual(0.01);
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('relax / relaxAsync on gpu.js: bad input', () => {
  it('relaxAsync validates as relax, and refuses parabolic prox refinement naming backend cpu', async () => {
    await expect(relaxAsync(f, { t: 0 })).rejects.toThrow(/^relaxAsync: t must be finite and > 0; got 0\.$/);
    await expect(relaxAsync(f, { t: 1, beta: 2, method: 'hopf-lax' })).rejects.toThrow(/^relaxAsync: beta must be Infinity with method 'hopf-lax'/);
    await expect(relaxAsync(f, { t: 1, method: 'spectral' as never })).rejects.toThrow(/^relaxAsync: method must be 'auto' \| 'cole-hopf' \| 'hopf-lax' \| 'fd'; got "spectral"\.$/);
    await expect(relaxAsync(f, { t: 1, proxRefinement: 'parabolic', backend: 'webasm' })).rejects.toThrow(/^hopfLaxAsync: proxRefinement must be 'none' on a gpu\.js backend \(use backend 'cpu'\)/);
    expect(() => relax(f, { t: 1, backend: 'gpu' })).toThrow(/^relax: backend must be 'cpu', 'webasm' or 'gpujs-cpu' \(WebGPU is asynchronous: call relaxAsync\); got "gpu"\.$/);
  });
});
