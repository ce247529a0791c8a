import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { dirichlet, neumann, periodic, extrapolate, type BoundaryCondition } from '../../src/grids/boundary.js';
import { Rng } from '../../src/util/random.js';
import { godunovKernel, godunovQuadratic, laxFriedrichs } from '../../src/pde/numerical-hamiltonian.js';
import { laxFriedrichsKernel } from '../../src/pde/lax-friedrichs-kernel.js';
import { fromPadded, paddedLayout, toPadded } from '../../src/pde/padded-grid.js';
import { godunovStep, laxFriedrichsStep } from '../../src/pde/time-step.js';
import { referenceHJStep } from '../reference/hj-step-reference.js';
import { godunovKernelGeneric, laxFriedrichsKernelGeneric } from '../reference/godunov-kernel-generic.js';

describe('godunovQuadratic: Godunov flux of H = ½p² on one axis', () => {
  it.each([
    // [p⁻, p⁺, expected, branch]
    [2, 3, 2, 'both slopes positive: upwind from the left, ½(p⁻)²'],
    [-3, -1, 0.5, 'both negative: upwind from the right, ½(p⁺)²'],
    [-1, 2, 0, 'expansion (local min, p⁻ < 0 < p⁺): 0, the min of H over [p⁻, p⁺]'],
    [2, -3, 4.5, 'kink (local max, p⁻ > 0 > p⁺): max(½(p⁻)², ½(p⁺)²)'],
  ])('Ĥ(%d, %d) = %d (%s)', (pm, pp, expected) => {
    expect(godunovQuadratic(pm, pp)).toBe(expected);
  });

  it('is consistent (Ĥ(p, p) = ½p²) and monotone (non-decreasing in p⁻, non-increasing in p⁺) on a seeded sample', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 400; i++) {
      const pm = 4 * rng.normal(), pp = 4 * rng.normal(), d = Math.abs(rng.normal());
      expect(godunovQuadratic(pm, pm)).toBeCloseTo(0.5 * pm * pm, 14);
      expect(godunovQuadratic(pm + d, pp)).toBeGreaterThanOrEqual(godunovQuadratic(pm, pp));
      expect(godunovQuadratic(pm, pp + d)).toBeLessThanOrEqual(godunovQuadratic(pm, pp));
    }
  });
});

describe('laxFriedrichs: H(p̄) − Σ α_k (p⁺ − p⁻)/2', () => {
  it('matches the formula by hand in 2-D', () => {
    const H = (p: Float64Array) => 0.5 * (p[0] * p[0] + p[1] * p[1]);
    // p̄ = (2, −1): H = 2.5; dissipation = ½·3·(3 − 1) + ½·2·(−2 − 0) = 3 − 2 = 1.
    expect(laxFriedrichs(H, [1, 0], [3, -2], [3, 2], new Float64Array(2))).toBe(1.5);
  });
  it('is monotone when α ≥ max |H′| and consistent (Ĥ(p, p) = H(p))', () => {
    const H = (p: Float64Array) => 0.5 * p[0] * p[0], s = new Float64Array(1), rng = new Rng(5);
    for (let i = 0; i < 300; i++) {
      const pm = 2 * rng.uniform() - 1, pp = 2 * rng.uniform() - 1, d = 0.1 * rng.uniform();
      expect(laxFriedrichs(H, [pm], [pm], [1.2], s)).toBeCloseTo(0.5 * pm * pm, 14);
      // |H′| ≤ 1.1 on [−1, 1.1]: α = 1.1 is enough.
      expect(laxFriedrichs(H, [pm + d], [pp], [1.1], s)).toBeGreaterThanOrEqual(laxFriedrichs(H, [pm], [pp], [1.1], s) - 1e-15);
      expect(laxFriedrichs(H, [pm], [pp + d], [1.1], s)).toBeLessThanOrEqual(laxFriedrichs(H, [pm], [pp], [1.1], s) + 1e-15);
    }
  });
});

const boundaries: [string, BoundaryCondition][] = [
  ['neumann', neumann], ['periodic', periodic], ['dirichlet(0.3)', dirichlet(0.3)], ['extrapolate', extrapolate],
];
const grids: [string, Grid][] = [
  ['1-D', Grid.uniform([[-1, 1]], [17])],
  ['2-D', Grid.uniform([[-1, 1], [0, 2]], [9, 12])],
  ['3-D', Grid.uniform([[-1, 1], [0, 1], [-2, 0]], [5, 6, 7])],
];

describe.each(grids)('fused padded kernels equal the brute-force twin on %s grids', (_name, grid) => {
  const rng = new Rng(11);
  const u = grid.zeros();
  rng.fillNormal(u.data);
  const out = grid.zeros();
  const dt = 1e-3;
  // Same formula, same operation order up to reassociation: a few ulps of the terms (size ≲ 1 + dt·|Ĥ| + dt/β·|D²u|).
  const atol = 1e-12;
  it.each(boundaries)('Godunov, β = ∞ and β = 3, %s', (_b, boundary) => {
    for (const beta of [Infinity, 3]) {
      godunovStep(u, out, dt, { beta, boundary });
      expect(out.data).toBeAllclose(referenceHJStep(u, dt, { scheme: 'godunov', beta, boundary }), { atol });
    }
  });
  it.each(boundaries)('Lax–Friedrichs global, local and general H, %s', (_b, boundary) => {
    for (const dissipation of ['global', 'local'] as const) {
      laxFriedrichsStep(u, out, dt, { beta: 2, boundary, dissipation });
      expect(out.data).toBeAllclose(referenceHJStep(u, dt, { scheme: 'lax-friedrichs', beta: 2, boundary, dissipation }), { atol });
    }
    const alpha = grid.shape.map((_, k) => 1.5 + k);
    const H = (p: ArrayLike<number>) => { let s = 0; for (let k = 0; k < p.length; k++) s += Math.sqrt(1 + p[k] * p[k]); return s; };
    laxFriedrichsStep(u, out, dt, { boundary, hamiltonian: { H, dHBound: alpha } });
    expect(out.data).toBeAllclose(referenceHJStep(u, dt, { scheme: 'lax-friedrichs', beta: Infinity, boundary, H, alpha }), { atol });
  });
});

describe('single-step kernels validate their input', () => {
  const f = Grid.uniform([[0, 1]], [5]).zeros();
  it.each([
    [() => godunovStep(f, f.grid.zeros(), 0), /godunovStep: dt must be finite and > 0; got 0\./],
    [() => godunovStep(f, Grid.uniform([[0, 1]], [6]).zeros(), 0.1), /godunovStep: both functions must live on the same grid/],
    [() => godunovStep(f, f.grid.zeros(), 0.1, { beta: -1 }), /godunovStep: beta must be > 0/],
    [() => laxFriedrichsStep(f, f.grid.zeros(), 0.1, { boundary: 'wall' as never }), /laxFriedrichsStep: boundary must be 'neumann'/],
    [() => godunovStep(Grid.uniform([[0, 1], [0, 1], [0, 1], [0, 1]], [2, 2, 2, 2]).zeros(), Grid.uniform([[0, 1], [0, 1], [0, 1], [0, 1]], [2, 2, 2, 2]).zeros(), 0.1), /godunovStep: f must live on a 1-D, 2-D or 3-D grid; got 4 axes\./],
  ])('%#', (call, message) => { expect(call).toThrow(message); });
});

describe('specialised kernels equal the generic padded kernels (stage form a·w + b·(v + dt·L(v)), slopes)', () => {
  // Even and odd row counts (the 2-row Godunov passes redo row n₁ − 2 when n₁ is odd), n₁ = 2, and 3-D.
  it.each([[[17]], [[2]], [[9, 12]], [[10, 7]], [[2, 5]], [[5, 6, 7]], [[3, 3, 4]], [[4, 2, 3]]])('shape %j', (shape) => {
    const grid = Grid.uniform(shape.map(() => [-1, 1] as [number, number]), shape);
    const L = paddedLayout(grid, 'test'), rng = new Rng(19);
    // Random halo too: both kernels read the same ghosts, whatever rule filled them.
    const v = new Float64Array(L.paddedSize), w = new Float64Array(L.paddedSize);
    rng.fillNormal(v);
    rng.fillNormal(w);
    const interior = (buffer: Float64Array) => { const u = new Float64Array(grid.size); fromPadded(L, buffer, u); return u; };
    type Kernel = (out: Float64Array, a: number, nu: number, slopes: Float64Array) => number;
    const pairs: [string, Kernel, Kernel][] = [['godunov',
      (out, a, nu, slopes) => godunovKernel(L, v, w, out, a, 0.7, 1e-3, nu, slopes),
      (out, a, nu, slopes) => godunovKernelGeneric(L, v, w, out, a, 0.7, 1e-3, nu, slopes)]];
    for (const dissipation of ['global', 'local'] as const) {
      const config = { dissipation, H: null, alpha: new Float64Array([2.5, 3, 3.5]), centred: new Float64Array(L.ndim) };
      pairs.push([`lax-friedrichs ${dissipation}`,
        (out, a, nu, slopes) => laxFriedrichsKernel(L, v, w, out, a, 0.7, 1e-3, nu, config, slopes),
        (out, a, nu, slopes) => laxFriedrichsKernelGeneric(L, v, w, out, a, 0.7, 1e-3, nu, config, slopes)]);
    }
    // The general-H path is the generic loop itself, so it is checked against an independent kernel:
    // with H = ½|p|² written as a plain function it must agree with the specialised quadratic kernel.
    const halfSquare = (p: Float64Array) => { let s = 0; for (let k = 0; k < p.length; k++) s += p[k] * p[k]; return 0.5 * s; };
    const alpha = new Float64Array([2.5, 3, 3.5]), centred = new Float64Array(L.ndim);
    pairs.push(['lax-friedrichs global, general H = ½|p|² vs the quadratic kernel',
      (out, a, nu, slopes) => laxFriedrichsKernel(L, v, w, out, a, 0.7, 1e-3, nu, { dissipation: 'global', H: halfSquare, alpha, centred }, slopes),
      (out, a, nu, slopes) => laxFriedrichsKernel(L, v, w, out, a, 0.7, 1e-3, nu, { dissipation: 'global', H: null, alpha, centred }, slopes)]);
    for (const [name, kernel, generic] of pairs) {
      for (const a of [0, 0.3]) for (const nu of [0, 0.4]) {
        // Stale NaN in the outputs: a kernel must overwrite every grid point, never read it first.
        const out = new Float64Array(L.paddedSize).fill(NaN), outGeneric = new Float64Array(L.paddedSize).fill(NaN);
        const slopes = new Float64Array(3), slopesGeneric = new Float64Array(3);
        expect(kernel(out, a, nu, slopes), name).toBe(0);
        expect(generic(outGeneric, a, nu, slopesGeneric)).toBe(0);
        // Same terms, regrouped (e.g. ν D²v = ν (D⁺ − D⁻)/h): a few ulps of values of size ≲ 1 + 10⁻³·|L(v)|.
        expect(interior(out)).toBeAllclose(interior(outGeneric), { atol: 1e-13 });
        // Slopes on the real axes are |(v_i − v_{i−1})/h| in both, the same rounded operations: equal exactly.
        expect(Array.from(slopes.subarray(3 - L.ndim))).toEqual(Array.from(slopesGeneric.subarray(3 - L.ndim)));
      }
    }
    const samples = new Float64Array(grid.size), bad = v.slice();
    rng.fillNormal(samples);
    samples[grid.size >> 1] = Infinity; // one non-finite grid point makes the returned check NaN
    toPadded(L, samples, bad);
    expect(godunovKernel(L, bad, bad, new Float64Array(L.paddedSize), 0, 1, 1e-3, 0, new Float64Array(3))).toBeNaN();
    const config = { dissipation: 'global' as const, H: null, alpha: new Float64Array([1, 1, 1]), centred: new Float64Array(L.ndim) };
    expect(laxFriedrichsKernel(L, bad, bad, new Float64Array(L.paddedSize), 0, 1, 1e-3, 0, config, new Float64Array(3))).toBeNaN();
  });
});
