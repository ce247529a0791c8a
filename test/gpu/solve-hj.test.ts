import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { Rng } from '../../src/util/random.js';
import { gpuSolveHJ, gpuSolveHJAsync, planHJSteps, type GpuSolveHJOptions } from '../../src/gpu/solve-hj.js';
import { axisLipschitz } from '../../src/gpu/layout.js';
import { hjStepRef } from '../reference/gpu-twins.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';

const SHAPES: Record<number, number[]> = { 1: [33], 2: [13, 11], 3: [7, 6, 5] };

function randomSmooth(dim: number, seed: number): GridFunction {
  const grid = Grid.uniform(Array.from({ length: dim }, () => [-1, 1] as [number, number]), SHAPES[dim]);
  const rng = new Rng(seed);
  const c = Array.from({ length: dim }, () => 2 * rng.uniform() - 1);
  return grid.sample((...x: number[]) => x.reduce((s, xi, k) => s + 0.5 * xi * xi + 0.3 * Math.sin(3 * xi + c[k]), 0));
}

/** The float64 scheme with the same uniform dt: the twin of the whole run. */
function reference(f: GridFunction, opts: GpuSolveHJOptions): { states: Float64Array[]; steps: number } {
  const plan = planHJSteps('test', f, opts);
  const beta = opts.beta ?? Infinity, nu = Number.isFinite(beta) ? 1 / (2 * beta) : 0;
  const alpha = Math.max(...axisLipschitz(f.grid, f.data));
  let u: Float64Array = Float64Array.from(f.data);
  const states: Float64Array[] = [];
  for (let s = 0; s < plan.snapshots; s++) {
    for (let n = 0; n < plan.perSnapshot; n++) {
      u = hjStepRef(u, f.grid.shape, f.grid.spacing, { dt: plan.dt, nu, godunov: (opts.scheme ?? 'godunov') === 'godunov', alpha, periodic: opts.boundary === 'periodic' });
    }
    states.push(u);
  }
  return { states, steps: plan.perSnapshot * plan.snapshots };
}

/**
 * float32 tolerance after n steps: each step rounds u and dt·Ĥ, dt·ν·Δu (≈ 10 roundings of size
 * ≤ max|u|, the scheme's coefficients being ≤ 1 under the CFL bound) and the monotone step does not
 * amplify earlier errors (it is an L∞ contraction), so |err| ≤ 10·(n + 1)·2⁻²⁴·max|f|.
 */
const tolerance = (f: GridFunction, steps: number): number => 10 * (steps + 1) * EPS32 * f.normInf();

const CASES = [1, 2, 3].flatMap((dim) => (['godunov', 'lax-friedrichs'] as const).flatMap((scheme) =>
  ([Infinity, 20] as const).flatMap((beta) => (['neumann', 'periodic'] as const).map((boundary) => ({ dim, scheme, beta, boundary })))));

describe.each(GPU_BACKENDS)('HJ time stepping on $label agrees with the float64 scheme', ({ backend }) => {
  it.each(CASES)('$dim-D $scheme, beta=$beta, $boundary: within 10·(n+1)·eps32·max|f|', async ({ dim, scheme, beta, boundary }) => {
    const f = randomSmooth(dim, dim * 7 + (scheme === 'godunov' ? 1 : 2));
    const opts: GpuSolveHJOptions = { t: 0.05, beta, scheme, boundary, snapshots: 2, backend };
    const ref = reference(f, opts);
    const out = await gpuSolveHJAsync(f, opts);
    expect(out.steps).toBe(ref.steps);
    expect(out.snapshots.map((s) => s.t)).toEqual([0.025, 0.05]);
    const tol = tolerance(f, ref.steps);
    out.snapshots.forEach((s, j) => expect(s.u.data).toBeAllclose(ref.states[j], { atol: tol }));
    expect(out.u.data).toBe(out.snapshots[1].u.data);
  });
});

describe.each(GPU_BACKENDS.filter((b) => b.backend !== 'webgpu'))('synchronous HJ stepping (ping-pong) on $label', ({ backend }) => {
  it('equals the float64 scheme within the same bound, 2-D Godunov viscous periodic', () => {
    const f = randomSmooth(2, 3);
    const opts: GpuSolveHJOptions = { t: 0.05, beta: 20, boundary: 'periodic', snapshots: 3, backend };
    const ref = reference(f, opts);
    const out = gpuSolveHJ(f, opts);
    out.snapshots.forEach((s, j) => expect(s.u.data).toBeAllclose(ref.states[j], { atol: tolerance(f, ref.steps) }));
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped (see the line above)', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('HJ stepping: time step and bad input', () => {
  const f = Grid.uniform([[-2, 2]], [41]).sample((x) => (x * x) / 2);
  it('takes the monotone step dt ≤ cfl / Σ_k (L/h + 2ν/h²): L = (2² − 1.9²)/(2·0.1) = 1.95, h = 0.1, β = 10 → rate 29.5', () => {
    const plan = planHJSteps('t', f, { t: 1, beta: 10, cfl: 0.9 });
    expect(plan.perSnapshot).toBe(Math.ceil(29.5 / 0.9)); // 33 steps
    expect(plan.dt * 29.5).toBeLessThanOrEqual(0.9);
  });
  it.each([
    [{ t: 0 }, /^solveHJ: t must be finite and > 0; got 0\.$/],
    [{ t: 1, cfl: 1.5 }, /^solveHJ: cfl must be in \(0, 1\]; got 1\.5\.$/],
    [{ t: 1, boundary: 'dirichlet' }, /^solveHJ: boundary must be 'neumann' \| 'periodic' on a gpu\.js backend/],
    [{ t: 1, scheme: 'upwind' }, /^solveHJ: scheme must be 'godunov' \| 'lax-friedrichs'; got "upwind"\.$/],
    [{ t: 1, snapshots: 0 }, /^solveHJ: snapshots must be an integer ≥ 1; got 0\.$/],
    [{ t: 1, backend: 'gpu' }, /^solveHJ: backend 'gpu' runs WebGPU, which is asynchronous; call solveHJAsync/],
  ])('%o → %s', (opts, message) => {
    expect(() => gpuSolveHJ(f, { backend: 'webasm', ...(opts as GpuSolveHJOptions) })).toThrow(message);
  });
});
