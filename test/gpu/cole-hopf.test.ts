import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { Rng } from '../../src/util/random.js';
import { gpuColeHopf, gpuColeHopfAsync, coleHopfWindows } from '../../src/gpu/cole-hopf.js';
import { coleHopfRef } from '../reference/gpu-twins.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';

function randomF(shape: number[], seed: number, scale: number, offset = 0): GridFunction {
  const grid = Grid.uniform(shape.map(() => [-1, 1] as [number, number]), shape);
  const rng = new Rng(seed);
  const data = new Float64Array(grid.size);
  rng.fillUniform(data, offset - scale, offset + scale);
  return new GridFunction(grid, data);
}

/**
 * Rounding bound: each exponent a = −βf − c2·d² is formed with ~4 roundings relative to |a| ≤ β·S,
 * S = max|f| + R²/(2t) (R the window radius), per axis pass and once for the input; the sum of
 * 2W+1 shifted exponentials adds (2W+1)·2⁻²⁴ relative; dividing by β gives
 * |Δu| ≤ 2⁻²⁴·[4·(d+1)·S + d·(2W+1)/β]. The means move by the relative weight error (β times that)
 * times the window radius.
 */
function tolerances(f: GridFunction, t: number, beta: number, windows: number[]): { u: number; mean: number } {
  const d = f.grid.ndim;
  const r2 = windows.reduce((s, w, k) => s + (w * f.grid.spacing[k]) ** 2, 0);
  const u = EPS32 * (4 * (d + 1) * (f.normInf() + r2 / (2 * t)) + (d * (2 * Math.max(...windows) + 1)) / beta);
  return { u, mean: beta * u * Math.sqrt(r2) + 4 * EPS32 };
}

describe.each(GPU_BACKENDS)('Cole–Hopf line passes on $label agree with the non-separable float64 quadrature', ({ backend }) => {
  it.each([
    { shape: [41], beta: 5, t: 0.2 },
    { shape: [13, 12], beta: 10, t: 0.1 },
    { shape: [6, 5, 5], beta: 2, t: 0.05 },
  ])('$shape.length-D, beta=$beta: u and ⟨y⟩ within the derived float32 bound', async ({ shape, beta, t }) => {
    const f = randomF(shape, shape.length + 10, 1);
    const windows = coleHopfWindows(f, t, beta, 8);
    const ref = coleHopfRef(f.data, f.grid.shape, f.grid.spacing, f.grid.lower, t, beta, windows);
    const out = await gpuColeHopfAsync(f, t, beta, { backend });
    const tol = tolerances(f, t, beta, windows);
    expect(out.u.data).toBeAllclose(ref.u, { atol: tol.u });
    out.mean.forEach((m, k) => expect(m.data).toBeAllclose(ref.mean[k], { atol: tol.mean }));
  });

  it('stays finite and accurate where exp(−βf) underflows: beta = 1000, f ≈ 100 (βf ≈ 1e5 ≫ 88)', async () => {
    const f = randomF([31], 5, 0.01, 100), t = 0.1, beta = 1000;
    const windows = coleHopfWindows(f, t, beta, 8);
    const ref = coleHopfRef(f.data, f.grid.shape, f.grid.spacing, f.grid.lower, t, beta, windows);
    const out = await gpuColeHopfAsync(f, t, beta, { backend });
    expect(out.u.data.every(Number.isFinite)).toBe(true);
    expect(out.u.data).toBeAllclose(ref.u, { atol: tolerances(f, t, beta, windows).u });
  });
});

describe.each(GPU_BACKENDS.filter((b) => b.backend !== 'webgpu'))('synchronous Cole–Hopf on $label', ({ backend }) => {
  it('of x²/2 is x²/(2(1+t)) + log(1+t)/(2β) with ⟨y⟩ = x/(1+t), away from the box edge', () => {
    // Exact for the continuous integral; the grid quadrature of a Gaussian of width ≥ 3h is
    // spectrally accurate, so the remaining error is float32 rounding of values ≤ βS ≈ 40.
    const t = 0.5, beta = 4, grid = Grid.uniform([[-4, 4]], [161]);
    const { u, mean } = gpuColeHopf(grid.sample((x) => (x * x) / 2), t, beta, { backend });
    grid.axis(0).forEach((x, i) => {
      if (Math.abs(x) > 1.5) return;
      expect(Math.abs(u.data[i] - ((x * x) / (2 * (1 + t)) + Math.log(1 + t) / (2 * beta)))).toBeLessThanOrEqual(2e-5);
      expect(Math.abs(mean[0].data[i] - x / (1 + t))).toBeLessThanOrEqual(2e-5);
    });
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('Cole–Hopf on gpu.js: bad input', () => {
  const f = Grid.uniform([[-1, 1]], [11]).sample((x) => x);
  it.each([
    [0.1, 0, {}, /^coleHopf: beta must be finite and > 0; got 0\.$/],
    [0.1, Infinity, {}, /^coleHopf: beta must be finite and > 0; got Infinity\.$/],
    [-1, 1, {}, /^coleHopf: t must be finite and > 0; got -1\.$/],
    [0.1, 1, { truncate: 0 }, /^coleHopf: truncate must be finite and > 0; got 0\.$/],
  ])('t=%s beta=%s %o → %s', (t, beta, extra, message) => expect(() => gpuColeHopf(f, t, beta, { backend: 'webasm', ...extra })).toThrow(message));
});
