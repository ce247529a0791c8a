import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import type { GridFunction } from '../../src/grids/grid-function.js';
import { fokkerPlanck, type FokkerPlanckOptions } from '../../src/pde/fokker-planck.js';
import { fokkerPlanckAsync } from '../../src/gpu/dispatch-fokker-planck.js';
import type { BackendName } from '../../src/gpu/backend-name.js';
import { EPS32, GPU_BACKENDS, WEBGPU_MISSING } from './gpu-backends.js';

async function run(rho0: GridFunction, options: FokkerPlanckOptions, backend: BackendName) {
  return backend === 'webgpu' ? fokkerPlanckAsync(rho0, { ...options, backend }) : fokkerPlanck(rho0, { ...options, backend });
}

function l1(a: Float64Array, b: Float64Array, cell: number): number {
  let s = 0;
  for (let p = 0; p < a.length; p++) s += Math.abs(a[p] - b[p]);
  return s * cell;
}

/**
 * Both runs take the same steps (the host replays the float64 dt sequence), so they differ by float32
 * rounding only. The step matrix is non-negative with unit column sums (L1-contractive), so the L1
 * error after n steps is ≤ the sum of the per-step roundings: ρ' = ρ + dt·div rounds ~8 times
 * relative to |ρ| + dt·Σ|fluxes| ≤ 2|ρ| (8ε‖ρ‖₁), and u (shifted by its min, interpolated with 3
 * roundings) is off by ≤ 3ε·osc(u), so each face velocity by ≤ 6ε·osc(u)/h and dt·div by
 * ≤ 12ε·dt·Σ_k osc(u)/h_k²·‖ρ‖₁. Hence ‖Δρ‖₁ ≤ (n+1)·ε·mass·(8 + 12·dt_max·Σ_k osc(u)/h_k²), with
 * dt_max ≤ cfl / (2ν Σ_k 1/h_k²) (the diffusion part of the rate alone).
 */
function tolerance(grid: Grid, steps: number, mass: number, osc: number, nu: number, cfl = 0.9): number {
  const inv2 = grid.spacing.reduce((s, h) => s + 1 / (h * h), 0);
  const dtMax = cfl / (2 * nu * inv2);
  return (steps + 1) * EPS32 * mass * (8 + 12 * dtMax * osc * inv2);
}

const osc = (u: GridFunction) => u.max() - u.min();

describe.each(GPU_BACKENDS)("fokkerPlanck(ρ0, { backend: '$label' }) against the float64 fokkerPlanck", ({ backend }) => {
  it('1-D, fixed u = x²/2, ν = 0.1: same steps and snapshot times, ρ within the derived L1 bound, mass kept, ρ ≥ 0', async () => {
    const grid = Grid.uniform([[-2, 2]], [81]);
    const rho0 = grid.sample((x) => Math.exp(-8 * (x - 1) ** 2));
    const u = grid.sample((x) => (x * x) / 2);
    const options = { velocityFrom: u, nu: 0.1, T: 0.5, snapshots: 2 };
    const cpu = fokkerPlanck(rho0, options), gpu = await run(rho0, options, backend);
    expect(gpu.steps).toBe(cpu.steps);
    expect(gpu.snapshots.map((s) => s.s)).toEqual(cpu.snapshots.map((s) => s.s));
    const tol = tolerance(grid, cpu.steps, cpu.massInitial, osc(u), 0.1);
    expect(l1(gpu.rho.data, cpu.rho.data, grid.spacing[0])).toBeLessThanOrEqual(tol);
    expect(l1(gpu.snapshots[0].rho.data, cpu.snapshots[0].rho.data, grid.spacing[0])).toBeLessThanOrEqual(tol);
    expect(Math.abs(gpu.massFinal - gpu.massInitial)).toBeLessThanOrEqual(tol);
    expect(Math.min(...gpu.rho.data)).toBeGreaterThanOrEqual(0);
  });

  it('2-D, u from three HJ-like snapshots interpolated in time: same steps, ρ within the bound; the interpolation matters', async () => {
    const grid = Grid.uniform([[-1.5, 1.5], [-1.5, 1.5]], [25, 23]);
    const rho0 = grid.sample(() => 1);
    const frames = [0, 0.5, 1].map((t) => ({ t, u: grid.sample((x, y) => ((x - 0.5 + t) ** 2 + 2 * (y + 0.3 * t) ** 2) / (2 * (1 + t))) }));
    const options = { velocityFrom: frames, nu: 0.05, T: 0.4 };
    const cpu = fokkerPlanck(rho0, options), gpu = await run(rho0, options, backend);
    expect(gpu.steps).toBe(cpu.steps);
    const cell = grid.spacing[0] * grid.spacing[1];
    const tol = tolerance(grid, cpu.steps, cpu.massInitial, Math.max(...frames.map((f) => osc(f.u))), 0.05);
    expect(l1(gpu.rho.data, cpu.rho.data, cell)).toBeLessThanOrEqual(tol);
    // A fixed potential (the last frame) gives a different density by far more than the bound.
    const fixed = fokkerPlanck(rho0, { ...options, velocityFrom: frames[2].u });
    expect(l1(fixed.rho.data, cpu.rho.data, cell)).toBeGreaterThan(100 * tol);
  });
});

if (WEBGPU_MISSING) describe(WEBGPU_MISSING, () => { it('reports that the WebGPU path was skipped', () => expect(WEBGPU_MISSING).toMatch(/UNAVAILABLE/)); });

describe('fokkerPlanck on a gpu.js backend: bad input', () => {
  const grid = Grid.uniform([[-1, 1]], [11]);
  const rho0 = grid.sample(() => 1), u = grid.sample((x) => x);
  it.each([
    [{ velocityFrom: u, nu: -1, T: 1 }, /^fokkerPlanck: nu must be finite and ≥ 0; got -1\.$/],
    [{ velocityFrom: u, nu: 0, T: 1, cfl: 2 }, /^fokkerPlanck: cfl must be in \(0, 1\]; got 2\.$/],
    [{ velocityFrom: u, nu: 0, T: 1, backend: 'webgpu' }, /^fokkerPlanck: backend 'webgpu' runs WebGPU, which is asynchronous; call fokkerPlanckAsync/],
    [{ velocityFrom: [{ t: 0, u }, { t: 0, u }], nu: 0, T: 1 }, /^fokkerPlanck: velocityFrom must be snapshots with distinct times; got 0\.$/],
  ])('%#: %s', (options, message) => expect(() => fokkerPlanck(rho0, { backend: 'gpujs-cpu', ...options } as FokkerPlanckOptions)).toThrow(message));
});
