import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { gpuFokkerPlanck, gpuFokkerPlanckAsync } from '../../src/gpu/fokker-planck.js';
import { fokkerPlanckStepRef } from '../reference/gpu-twins.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';

/** Smooth data; for 'periodic' both ρ and u have period 4 = the box length, so point n−1 ≡ point 0. */
function problem(dim: number, boundary: 'neumann' | 'periodic' = 'neumann') {
  const shape = [[41], [15, 13], [7, 6, 6]][dim - 1];
  const grid = Grid.uniform(shape.map(() => [-2, 2] as [number, number]), shape);
  const rho = boundary === 'periodic'
    ? grid.sample((...x: number[]) => Math.exp(x.reduce((s, xi, k) => s + Math.cos((Math.PI * (xi - 0.3 * (k + 1))) / 2), 0)))
    : grid.sample((...x: number[]) => Math.exp(-x.reduce((s, xi, k) => s + (xi - 0.3 * (k + 1)) ** 2, 0)));
  const u = boundary === 'periodic'
    ? grid.sample((...x: number[]) => x.reduce((s, xi) => s + 0.8 * Math.sin((Math.PI * xi) / 2), 0))
    : grid.sample((...x: number[]) => x.reduce((s, xi) => s + 0.5 * xi * xi + 0.2 * Math.sin(2 * xi), 0));
  return { grid, rho, u };
}

describe.each(GPU_BACKENDS)('Fokker–Planck steps on $label', ({ backend }) => {
  it.each([1, 2, 3].flatMap((dim) => (['neumann', 'periodic'] as const).map((boundary) => ({ dim, boundary }))))(
    '$dim-D $boundary: agree with the float64 upwind scheme; mass conserved, rho ≥ 0', async ({ dim, boundary }) => {
      const { grid, rho, u } = problem(dim, boundary);
      const out = await gpuFokkerPlanckAsync(rho, u, { t: 0.05, nu: 0.3, boundary, backend });
      let ref: Float64Array = Float64Array.from(rho.data);
      for (let n = 0; n < out.steps; n++) ref = fokkerPlanckStepRef(ref, u.data, grid.shape, grid.spacing, { dt: out.dt, nu: 0.3, periodic: boundary === 'periodic' });
      // Each step: ρ_i plus dt·div, a positive combination of ≤ 4d+1 neighbours (coefficients ≤ 1
      // under the step bound) rounded ~8 times: error ≤ 8·(n+1)·eps32·max ρ (the scheme is L¹/L∞ stable).
      const tol = 8 * (out.steps + 1) * EPS32 * rho.normInf();
      expect(out.rho.data).toBeAllclose(ref, { atol: tol });
      expect(Math.min(...out.rho.data)).toBeGreaterThanOrEqual(0);
      // Mass over distinct cells (periodic: point n−1 duplicates point 0) is conserved up to rounding.
      const mass = (d: Float64Array): number => {
        if (boundary === 'neumann') return d.reduce((s, v) => s + v, 0);
        const idx = new Array<number>(dim);
        let s = 0;
        for (let p = 0; p < d.length; p++) { grid.multiIndex(p).forEach((i, k) => { idx[k] = i; }); if (idx.every((i, k) => i < grid.shape[k] - 1)) s += d[p]; }
        return s;
      };
      expect(Math.abs(mass(out.rho.data) - mass(rho.data))).toBeLessThanOrEqual(tol * grid.size);
    });
});

describe.each(GPU_BACKENDS.filter((b) => b.backend !== 'webgpu'))('synchronous Fokker–Planck on $label', ({ backend }) => {
  it('matches the asynchronous pipeline run exactly in count and within rounding in value', async () => {
    const { rho, u } = problem(2);
    const a = gpuFokkerPlanck(rho, u, { t: 0.05, nu: 0.3, snapshots: 2, backend });
    const b = await gpuFokkerPlanckAsync(rho, u, { t: 0.05, nu: 0.3, snapshots: 2, backend });
    expect(a.steps).toBe(b.steps);
    expect(a.rho.data).toBeAllclose(b.rho.data, { atol: 8 * (a.steps + 1) * EPS32 * rho.normInf() });
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('Fokker–Planck on gpu.js: bad input', () => {
  const { rho, u } = problem(1);
  it('refuses a negative nu and different grids', () => {
    expect(() => gpuFokkerPlanck(rho, u, { t: 0.1, nu: -1, backend: 'webasm' })).toThrow(/^fokkerPlanck: nu must be finite and ≥ 0; got -1\.$/);
    const other = Grid.uniform([[-1, 1]], [41]).zeros();
    expect(() => gpuFokkerPlanck(rho, other, { t: 0.1, backend: 'webasm' })).toThrow(/^fokkerPlanck: /);
  });
});
