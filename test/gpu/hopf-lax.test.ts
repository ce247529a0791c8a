import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { Rng } from '../../src/util/random.js';
import { gpuHopfLax, gpuHopfLaxAsync, hopfLaxWindows } from '../../src/gpu/hopf-lax.js';
import { hopfLaxRef } from '../reference/gpu-twins.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';

const SHAPES: Record<number, number[]> = { 1: [61], 2: [17, 15], 3: [8, 7, 6] };

function randomRough(dim: number, seed: number): GridFunction {
  const grid = Grid.uniform(Array.from({ length: dim }, () => [-1, 1] as [number, number]), SHAPES[dim]);
  const rng = new Rng(seed);
  const data = new Float64Array(grid.size);
  rng.fillUniform(data, -1, 1);
  return new GridFunction(grid, data);
}

/**
 * Rounding bound: per axis pass, v(q) + c2·d² is two float32 roundings of values ≤ S = max|f| + R²/(2t)
 * (R the window radius), and the min is exact; d passes plus the input rounding give 4·d·2⁻²⁴·S.
 */
function tolerance(f: GridFunction, t: number, windows: number[]): number {
  const r2 = windows.reduce((s, w, k) => s + (w * f.grid.spacing[k]) ** 2, 0);
  return 4 * f.grid.ndim * EPS32 * (f.normInf() + r2 / (2 * t));
}

describe.each(GPU_BACKENDS)('Hopf–Lax line passes on $label agree with the float64 brute force', ({ backend }) => {
  it.each([1, 2, 3])('%i-D random f: u within 4·d·eps32·S, and prox attains u within the same bound', async (dim) => {
    const f = randomRough(dim, 40 + dim), t = 0.3;
    const windows = hopfLaxWindows(f, t);
    // Full-line windows: the reference scans every point, so equality also proves the window bound loses nothing.
    const ref = hopfLaxRef(f.data, f.grid.shape, f.grid.spacing, t, f.grid.shape.map((n) => n - 1));
    const out = await gpuHopfLaxAsync(f, t, { backend });
    const tol = tolerance(f, t, windows);
    expect(out.u.data).toBeAllclose(ref.u, { atol: tol });
    // A near-tie may select another minimiser: check the objective at the returned prox instead of the index.
    const { grid } = f;
    const x = new Float64Array(grid.ndim);
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      const y = out.prox.map((g) => g.data[p]);
      const q = grid.flatIndex(y.map((yk, k) => Math.round((yk - grid.lower[k]) / grid.spacing[k])));
      const objective = f.data[q] + y.reduce((s, yk, k) => s + (x[k] - yk) ** 2, 0) / (2 * t);
      expect(Math.abs(objective - ref.u[p])).toBeLessThanOrEqual(2 * tol);
    }
  });
});

describe.each(GPU_BACKENDS.filter((b) => b.backend !== 'webgpu'))('synchronous Hopf–Lax on $label', ({ backend }) => {
  it('of x²/2 is x²/(2(1+t)) within the mesh bound (1+1/t)h²/8, prox within h/2 of x/(1+t)', () => {
    const t = 0.5, grid = Grid.uniform([[-2, 2]], [201]), h = grid.spacing[0];
    const { u, prox } = gpuHopfLax(grid.sample((x) => (x * x) / 2), t, { backend });
    // Mesh bound plus float32 rounding of values ≤ 2 + R²/(2t).
    const tolU = ((1 + 1 / t) * h * h) / 8 + 8 * EPS32 * 4;
    grid.axis(0).forEach((x, i) => {
      expect(Math.abs(u.data[i] - (x * x) / (2 * (1 + t)))).toBeLessThanOrEqual(tolU);
      expect(Math.abs(prox[0].data[i] - x / (1 + t))).toBeLessThanOrEqual(h / 2 + 1e-12);
    });
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('Hopf–Lax on gpu.js: bad input', () => {
  const f = Grid.uniform([[-1, 1]], [11]).sample((x) => x);
  it.each([
    [0, /^hopfLax: t must be finite and > 0; got 0\.$/],
    [Number.NaN, /^hopfLax: t must be finite and > 0; got NaN\.$/],
  ])('t = %s → %s', (t, message) => expect(() => gpuHopfLax(f, t, { backend: 'webasm' })).toThrow(message));
  it('non-finite f is refused with its index', () => {
    const bad = f.clone(); bad.data[3] = Number.POSITIVE_INFINITY;
    expect(() => gpuHopfLax(bad, 1, { backend: 'webasm' })).toThrow(/^hopfLax: f/);
  });
});
