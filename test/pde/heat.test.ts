import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { Rng } from '../../src/util/random.js';
import { heatSmooth } from '../../src/pde/heat.js';
import { coleHopf } from '../../src/pde/cole-hopf.js';

describe('heatSmooth (u_t = ½Δu)', () => {
  it('x² ↦ x² + t with gradient 2x (1-D), to rounding', () => {
    const t = 0.5, grid = Grid.uniform([[-10, 10]], [801]);
    const { u, gradient, warnings } = heatSmooth(grid.sample((x) => x * x), t, { interior: 0.3, strict: true });
    expect(warnings).toEqual([]);
    // Lattice error of a Gaussian × polynomial: e^{−2π²t/h²} = e^{−15791}; |x| ≤ 4 leaves 8.5 std to the edge (mass e^{−36}).
    // Rounding: sums of ~600 terms of size ≤ 100: 1e-12.
    grid.axis(0).forEach((x, i) => {
      if (Math.abs(x) > 4) return;
      expect(Math.abs(u.data[i] - (x * x + t))).toBeLessThan(1e-11);
      expect(Math.abs(gradient[0].data[i] - 2 * x)).toBeLessThan(1e-10);
    });
  });

  it('sin(ωx)cos(νy) ↦ e^{−(ω²+ν²)t/2} sin(ωx)cos(νy) with its gradient (2-D)', () => {
    const t = 0.1, w = 2, v = 3, grid = Grid.uniform([[-4, 4], [-4, 4]], [101, 101]);
    const { u, gradient } = heatSmooth(grid.sample((x, y) => Math.sin(w * x) * Math.cos(v * y)), t);
    const damp = Math.exp(-((w * w + v * v) * t) / 2);
    const x = [0, 0];
    let eu = 0, eg = 0;
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      if (Math.abs(x[0]) > 2 || Math.abs(x[1]) > 2) continue;
      eu = Math.max(eu, Math.abs(u.data[p] - damp * Math.sin(w * x[0]) * Math.cos(v * x[1])));
      eg = Math.max(eg, Math.abs(gradient[0].data[p] - damp * w * Math.cos(w * x[0]) * Math.cos(v * x[1])),
        Math.abs(gradient[1].data[p] + damp * v * Math.sin(w * x[0]) * Math.sin(v * x[1])));
    }
    // √t = 0.316 ≈ 4h; lattice error e^{−2π²·0.1/0.0064} ≈ e^{−308}; the box holds 6.3 std beyond |x| ≤ 2 (mass 3e-10).
    expect(eu).toBeLessThan(1e-9);
    expect(eg).toBeLessThan(1e-8);
  });

  it.each([1, 2, 3])('Jensen: the Cole–Hopf u at β is ≤ the heat smoothing at time t/β, seed %i', (seed) => {
    const rng = new Rng(seed), grid = Grid.uniform([[-3, 3]], [301]);
    const f = grid.sample((x) => x * x + Math.sin(3 * x) + 0.5 * rng.uniform());
    const t = 0.3, beta = 2 + 10 * rng.uniform();
    const uCH = coleHopf(f, t, beta).u, uHeat = heatSmooth(f, t / beta).u;
    let worst = -Infinity;
    for (let i = 75; i <= 225; i++) worst = Math.max(worst, uCH.data[i] - uHeat.data[i]);
    // Exact discrete Jensen with normalised weights; the interior kernel mass is 1 up to 1e-14.
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it('warns when kernel mass leaves the box at points of interest; strict throws', () => {
    const f = Grid.uniform([[-1, 1]], [101]).sample((x) => x);
    expect(heatSmooth(f, 0.2).warnings.join()).toMatch(/heatSmooth: kernel mass outside the box exceeds boundaryTol = 1e-10 at \d+ point\(s\) of interest/);
    expect(() => heatSmooth(f, 0.2, { strict: true })).toThrow(/kernel mass outside the box/);
  });

  it.each([
    [0, {}, /heatSmooth: t must be finite and > 0; got 0\./],
    [NaN, {}, /heatSmooth: t must be finite and > 0; got NaN\./],
    [1e-4, {}, /heatSmooth: grid spacing on axis 0 must be ≤ √t = 0\.0100000 to resolve the Gaussian kernel; got h = 0\.0200000\. Use at least 201 points on axis 0\./],
    [1, { maxBytes: 10 }, /heatSmooth: memory must stay within maxBytes = 10 bytes/],
    [1, { backend: 'gpu' }, /heatSmooth: backend must be 'cpu'/],
    [1, { radius: 1 }, /heatSmooth: radius must be finite and ≥ 3/],
  ])('validation: t = %s, %j', (t, options, message) => {
    const f = Grid.uniform([[-1, 1]], [101]).sample((x) => x);
    expect(() => heatSmooth(f, t as number, options as never)).toThrow(message);
  });
});
