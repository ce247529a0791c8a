import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { relax } from '../../src/pde/relax.js';
import { quadraticRelaxation } from '../../src/pde/exact.js';

const A = [[2, 0.5], [0.5, 1]];
const sampleQuadratic = (grid: Grid) => grid.sample((x, y) => x * x + 0.5 * x * y + 0.5 * y * y);
const offGrid = [[0.123, -0.456], [-0.71, 0.33], [0.05, 0.91]];

describe('relax', () => {
  it("'auto' with β = ∞ is Hopf–Lax: value within the mesh + interpolation bound, gradient exact for quadratics (parabolic prox)", () => {
    const t = 0.4, grid = Grid.uniform([[-2, 2], [-2, 2]], [81, 81]);
    const loss = relax(sampleQuadratic(grid), { t });
    const exact = quadraticRelaxation({ A }, { t });
    expect(loss.method).toBe('hopf-lax');
    // Grid error ≤ λmax(A + I/t)Σh²/8 ≈ 2.6·0.005 = 1.5e-3·… plus interpolation ≤ Σh²/8·max|∂²u| ≤ 2.5e-4.
    const h2 = 2 * 0.05 * 0.05;
    for (const x of offGrid) {
      expect(Math.abs(loss.value(x) - exact.value(x))).toBeLessThan((4.8 * h2) / 8 + (1.2 * h2) / 8);
      // prox is affine in x (M⁻¹x): the Newton-refined prox is exact at grid points and interpolation is exact on affine fields.
      expect(loss.gradient(x)).toBeAllclose(exact.gradient(x), { atol: 1e-9 });
      expect(loss.prox(x)).toBeAllclose(exact.prox(x), { atol: 1e-9 });
    }
  });

  it("'auto' with finite β is Cole–Hopf: value, gradient and Gibbs mean at off-grid points", () => {
    const t = 0.4, beta = 10, grid = Grid.uniform([[-3, 3], [-3, 3]], [81, 81]);
    const loss = relax(sampleQuadratic(grid), { t, beta });
    const exact = quadraticRelaxation({ A }, { t, beta });
    expect(loss.method).toBe('cole-hopf');
    expect(loss.warnings).toEqual([]);
    // u is exact at grid points (Gibbs std 0.145 ≥ 1.9h: lattice error e^{−74}); interpolation ≤ Σ_k h²/8·max|∂²_k u| ≤ 2·(0.075²/8)·1.2 (diag of A(I+tA)⁻¹ ≤ 1.2).
    for (const x of offGrid) {
      expect(Math.abs(loss.value(x) - exact.value(x))).toBeLessThan(1.7e-3);
      expect(loss.gradient(x)).toBeAllclose(exact.gradient(x), { atol: 1e-10 }); // ⟨y⟩ = M⁻¹x is affine
    }
  });

  it("'fd' follows the monotone scheme: first-order convergence of u to the Hopf–Lax closed form", () => {
    const t = 0.3, exact = quadraticRelaxation({ A: [[1]] }, { t });
    const errs = [101, 201].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]);
      const loss = relax(grid.sample((x) => (x * x) / 2), { t, method: 'fd' });
      expect(loss.method).toBe('fd');
      let e = 0;
      for (const x of [-0.5, -0.1, 0.3, 0.7]) e = Math.max(e, Math.abs(loss.value([x]) - exact.value([x])), Math.abs(loss.gradient([x])[0] - exact.gradient([x])[0]));
      return e;
    });
    expect(errs[1]).toBeLessThan(errs[0]); // monotone scheme: error O(h)
    expect(errs[1]).toBeLessThan(0.05);
  });

  it.each([
    [{ t: 0 }, /relax: t must be finite and > 0; got 0\./],
    [{ t: 1, beta: NaN }, /relax: beta must be > 0 \(Infinity for the non-viscous limit\); got NaN\./],
    [{ t: 1, beta: 0 }, /relax: beta must be > 0/],
    [{ t: 1, beta: 10, method: 'hopf-lax' }, /relax: beta must be Infinity with method 'hopf-lax'/],
    [{ t: 1, method: 'cole-hopf' }, /relax: beta must be finite with method 'cole-hopf'/],
    [{ t: 1, method: 'spectral' }, /relax: method must be 'auto' \| 'cole-hopf' \| 'hopf-lax' \| 'fd'; got "spectral"\./],
    [{ t: 1, backend: 'webgpu' }, /relax: backend must be 'cpu', 'webasm' or 'gpujs-cpu' \(WebGPU is asynchronous: call relaxAsync\); got "webgpu"\./],
    [{ t: 1, backend: 'tpu' }, /relax: backend must be 'cpu' \| 'gpu' \| 'webgpu' \| 'webasm' \| 'gpujs-cpu'; got "tpu"\./],
  ])('validation %j', (options, message) => {
    const f = Grid.uniform([[-1, 1]], [101]).sample((x) => x * x);
    expect(() => relax(f, options as never)).toThrow(message);
  });

  it('refuses points outside the box unless told otherwise', () => {
    const loss = relax(Grid.uniform([[-1, 1]], [101]).sample((x) => x * x), { t: 0.5 });
    expect(() => loss.value([2])).toThrow(/interpolate: x must lie in the grid box/);
    const clamped = relax(Grid.uniform([[-1, 1]], [101]).sample((x) => x * x), { t: 0.5, outside: 'clamp' });
    expect(clamped.value([2])).toBe(clamped.value([1]));
  });
});
