import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import type { GridFunction } from '../../src/grids/grid-function.js';
import { coleHopf, type ColeHopfOptions } from '../../src/pde/cole-hopf.js';
import { coleHopfAsync } from '../../src/gpu/dispatch-cole-hopf.js';
import { coleHopfWindows } from '../../src/gpu/cole-hopf.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';
import type { BackendName } from '../../src/gpu/backend-name.js';

/** The pde entry on a synchronous backend, the asynchronous one on webgpu. */
async function run(f: GridFunction, t: number, beta: number, backend: BackendName, options: ColeHopfOptions = {}) {
  return backend === 'webgpu' ? coleHopfAsync(f, t, beta, { ...options, backend }) : coleHopf(f, t, beta, { ...options, backend });
}

/**
 * float32 bound (as test/gpu/cole-hopf.test.ts): every exponent −βf − β|x−y|²/(2t) has |a| ≤ βS,
 * S = max|f| + R²/(2t), R the window radius, and is rounded ~4 times per pass (d + 1 passes incl. the
 * input); the window sums add (2W+1)·2⁻²⁴ relative. So |Δu| ≤ 2⁻²⁴[4(d+1)S + d(2W+1)/β]; weights move
 * by β times that relatively, so the mean moves by ≤ β·tol_u·R (+ the rounding of the coordinate) and
 * the face mass (≤ d) by ≤ d·β·tol_u. The float64 side's truncation (1e-14 relative) is far below.
 */
function tolerances(f: GridFunction, t: number, beta: number) {
  const windows = coleHopfWindows(f, t, beta, 8), d = f.grid.ndim;
  const r2 = windows.reduce((s, w, k) => s + (w * f.grid.spacing[k]) ** 2, 0);
  const u = EPS32 * (4 * (d + 1) * (f.normInf() + r2 / (2 * t)) + (d * (2 * Math.max(...windows) + 1)) / beta);
  return { windows, u, mean: beta * u * Math.sqrt(r2) + 4 * EPS32 * 2, boundary: d * beta * u };
}

/** u with the summation window fixed at |y − x| ≤ 8σ around x (the old GPU truncation), float64, 1-D. */
function fixedWindowU(f: GridFunction, t: number, beta: number): Float64Array {
  const { spacing: [h], shape: [n] } = f.grid, sigma = Math.sqrt(t / beta), W = Math.ceil((8 * sigma) / h);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let m = -Infinity;
    for (let q = Math.max(0, i - W); q <= Math.min(n - 1, i + W); q++) m = Math.max(m, -beta * f.data[q] - (beta * ((q - i) * h) ** 2) / (2 * t));
    let s = 0;
    for (let q = Math.max(0, i - W); q <= Math.min(n - 1, i + W); q++) s += Math.exp(-beta * f.data[q] - (beta * ((q - i) * h) ** 2) / (2 * t) - m);
    out[i] = -(m + Math.log(s) + Math.log(h / Math.sqrt(2 * Math.PI * sigma * sigma))) / beta;
  }
  return out;
}

describe.each(GPU_BACKENDS)("coleHopf(f, t, β, { backend: '$label' }) against the float64 coleHopf", ({ backend }) => {
  it('2-D smooth non-convex f: u, ⟨y⟩ and the box-face mass within the derived float32 bound', async () => {
    const grid = Grid.uniform([[-2, 2], [-2, 2]], [41, 37]);
    const f = grid.sample((x, y) => 0.5 * (x * x + y * y) + 0.3 * Math.cos(3 * x) * Math.sin(2 * y));
    const t = 0.3, beta = 20;
    const cpu = coleHopf(f, t, beta), gpu = await run(f, t, beta, backend);
    const tol = tolerances(f, t, beta);
    expect(gpu.u.data).toBeAllclose(cpu.u.data, { atol: tol.u });
    gpu.mean.forEach((m, k) => expect(m.data).toBeAllclose(cpu.mean[k].data, { atol: tol.mean }));
    expect(gpu.boundaryMass.data).toBeAllclose(cpu.boundaryMass.data, { atol: tol.boundary });
    expect('backend' in gpu && gpu.backend.requested).toBe(backend);
  });

  it('steep f = 20x on [−1, 1], t = 0.5, β = 100: the Gibbs mass sits t·|f′| = 10 ≫ 8σ = 0.57 from x, and the window holds it', async () => {
    const grid = Grid.uniform([[-1, 1]], [101]);
    const f = grid.sample((x) => 20 * x), t = 0.5, beta = 100;
    const cpu = coleHopf(f, t, beta), gpu = await run(f, t, beta, backend);
    const tol = tolerances(f, t, beta);
    expect(tol.windows).toEqual([100]); // R = tL + √(t²L² + 64σ²) > 2: the whole line
    expect(gpu.u.data).toBeAllclose(cpu.u.data, { atol: tol.u });
    expect(gpu.mean[0].data).toBeAllclose(cpu.mean[0].data, { atol: tol.mean });
    // The old fixed window misses the mass at y = −1 for x > −1 + 8σ: off by ≫ the tolerance (≈ 25 at x = 1).
    const old = fixedWindowU(f, t, beta);
    expect(Math.abs(old[100] - cpu.u.data[100])).toBeGreaterThan(1e4 * tol.u);
    // Same box-boundary diagnostic as the float64 solver (mass ≈ 1 on the face y = −1 at every point
    // of interest; which point is "largest" is a float32 tie, so only the count is compared).
    const count = (ws: string[]) => ws.map((w) => /Gibbs mass on the box boundary exceeds boundaryTol = 1e-10 at (\d+) point/.exec(w)?.[1]).filter(Boolean);
    expect(count(cpu.warnings)).toEqual(['51']);
    expect(count(gpu.warnings)).toEqual(['51']);
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('coleHopf on a gpu.js backend: what it refuses', () => {
  const f = Grid.uniform([[-1, 1]], [41]).sample((x) => x * x);
  it.each([
    [{ hessian: true }, /^coleHopf: hessian must be false on a gpu\.js backend \(use backend 'cpu'\): the float32 passes carry no second moments; got true\.$/],
    [{ truncationTol: 1e-8 }, /^coleHopf: truncationTol must be unset on a gpu\.js backend \(use backend 'cpu'\)/],
    [{ radius: 2 }, /^coleHopf: radius must be finite and ≥ 3 \(standard deviations\); got 2\.$/],
    [{ strict: true, interior: 0 }, /^coleHopf: Gibbs mass on the box boundary exceeds boundaryTol/],
  ])('%j → %s', (extra, message) => expect(() => coleHopf(f, 1, 1, { backend: 'webasm', ...extra } as ColeHopfOptions)).toThrow(message));
  it('names coleHopfAsync for WebGPU and the spacing needed for an unresolved grid', async () => {
    expect(() => coleHopf(f, 1, 1, { backend: 'gpu' })).toThrow(/^coleHopf: backend 'gpu' runs WebGPU, which is asynchronous; call coleHopfAsync/);
    await expect(coleHopfAsync(f, 0.01, 1000, { backend: 'webasm' })).rejects.toThrow(/^coleHopfAsync: grid spacing on axis 0 must be ≤ √\(t\/β\) = 0\.00316228/);
  });
});
