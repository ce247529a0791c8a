import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { Rng } from '../../src/util/random.js';
import { solveHJ } from '../../src/pde/solve-hj.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { gpuSolveHJ } from '../../src/gpu/solve-hj.js';
import { hopfLaxAsync, solveHJAsync } from '../../src/gpu/dispatch.js';
import { hopfLaxWindows } from '../../src/gpu/hopf-lax.js';
import { EPS32, GPU_BACKENDS } from './gpu-backends.js';

const grid = Grid.uniform([[-1, 1], [-1, 1]], [21, 19]);
const rng = new Rng(77);
const data = new Float64Array(grid.size);
rng.fillUniform(data, -1, 1);
const f = new GridFunction(grid, data);

describe("the pde solvers' backend option reaches the gpu.js kernels", () => {
  it("solveHJ(f, { backend: 'webasm' }) is the float32 stepper's result, snapshots at t·i/n", () => {
    const viaPde = solveHJ(f, { t: 0.05, beta: 30, snapshots: 2, backend: 'webasm' });
    const direct = gpuSolveHJ(f, { t: 0.05, beta: 30, snapshots: 2, backend: 'webasm' });
    expect(viaPde.u.data).toEqual(direct.u.data);
    expect(viaPde.snapshots.map((s) => s.t)).toEqual([0.025, 0.05]);
    expect(viaPde.dtMin).toBe(direct.dt);
  });

  it('solveHJ on gpujs-cpu agrees with the float64 solver to first order in dt (both monotone, same t)', () => {
    const smooth = grid.sample((x, y) => 0.5 * (x * x + y * y));
    const cpu = solveHJ(smooth, { t: 0.1 });
    const gpu = solveHJ(smooth, { t: 0.1, backend: 'gpujs-cpu' });
    // Two first-order time discretisations of the same smooth solution: |Δu| ≤ C·dt with C ~ max|u_tt| ≤ 1 here, dt ≤ 0.01.
    expect(gpu.u.data).toBeAllclose(cpu.u.data, { atol: 0.01 });
  });

  it.each(GPU_BACKENDS)('hopfLax on $label equals the float64 lower-envelope solver within float32 rounding', async ({ backend }) => {
    const cpu = hopfLax(f, 0.2);
    const out = await hopfLaxAsync(f, 0.2, { backend });
    const r2 = hopfLaxWindows(f, 0.2).reduce((s, w, k) => s + (w * grid.spacing[k]) ** 2, 0);
    expect(out.u.data).toBeAllclose(cpu.u.data, { atol: 4 * 2 * EPS32 * (1 + r2 / 0.4) });
  });

  it("solveHJAsync / hopfLaxAsync refuse options the kernels do not implement, naming backend 'cpu'", async () => {
    await expect(solveHJAsync(f, { t: 0.1, timeIntegrator: 'ssp-rk2', backend: 'webasm' })).rejects.toThrow(/^solveHJAsync: timeIntegrator must be 'euler' on a gpu\.js backend \(use backend 'cpu'\); got "ssp-rk2"\.$/);
    await expect(solveHJAsync(f, { t: 0.1, snapshots: [0.01, 0.1], backend: 'webasm' })).rejects.toThrow(/^solveHJAsync: snapshots must be equally spaced times/);
    await expect(hopfLaxAsync(f, 0.1, { proxRefinement: 'parabolic', backend: 'webasm' })).rejects.toThrow(/^hopfLaxAsync: proxRefinement must be 'none' on a gpu\.js backend/);
  });
});
