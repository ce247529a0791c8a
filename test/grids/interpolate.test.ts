import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { interpolate } from '../../src/grids/interpolate.js';
import { Rng } from '../../src/util/random.js';

type Fn = (...x: number[]) => number;

/** n seeded uniform points in the grid box (`margin` widens the box on every side). */
function randomPoints(grid: Grid, n: number, seed: number, margin = 0): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => grid.lower.map((lo, k) => lo - margin + (grid.upper[k] - lo + 2 * margin) * rng.uniform()));
}

describe('exactness: multilinear functions are reproduced (up to rounding)', () => {
  // Each f is affine in every coordinate separately, the class multilinear interpolation preserves.
  const cases: [string, Grid, Fn][] = [
    ['1-D a + bx', Grid.uniform([[-2, 3]], [6]), (x) => 1.5 - 2 * x],
    ['2-D a + bx + cy + dxy', Grid.uniform([[-1, 2], [0, 1]], [4, 3]), (x, y) => 0.5 + 2 * x - 3 * y + 1.25 * x * y],
    ['3-D a + … + hxyz', Grid.uniform([[-1, 1], [0, 2], [1, 3]], [3, 4, 5]),
      (x, y, z) => 1 - x + 2 * y - 0.5 * z + x * y - 2 * x * z + 0.75 * y * z + 1.5 * x * y * z],
  ];
  it.each(cases)('%s at 200 seeded points', (_name, grid, f) => {
    const u = grid.sample(f);
    const points = randomPoints(grid, 200, 3);
    // Rounding: a convex combination of 2^d samples each ≤ 40 in size, d ≤ 3 products (c = 16).
    expect(points.map((x) => u.at(x))).toBeAllclose(points.map((x) => f(...x)), { atol: 16 * Number.EPSILON * 40 });
  });

  it('returns the sample itself at every grid point', () => {
    const grid = Grid.uniform([[0, 1], [-1, 1]], [5, 7]);
    const u = grid.sample((x, y) => Math.exp(x) * Math.cos(3 * y));
    for (let p = 0; p < grid.size; p++) expect(u.at(grid.point(p))).toBe(u.data[p]);
  });
});

describe('second order for smooth f', () => {
  /**
   * Points x = lower + (m + 1/3)·h₀ sit at the fraction 1/3 or 2/3 of a cell on every refinement, where
   * the error is θ(1 − θ)h²f″/2 = (h²/9)·f″ + O(h³): the same constant at every level, so slope 2.
   */
  function orders(coarse: Grid, f: Fn, levels: number): number[] {
    const h0 = coarse.spacing;
    const cellsPerAxis = coarse.shape.map((n) => n - 1);
    const points: number[][] = [];
    const visit = (prefix: number[]) => {
      const k = prefix.length;
      if (k === coarse.ndim) { points.push(prefix); return; }
      for (let m = 0; m < cellsPerAxis[k]; m++) visit([...prefix, coarse.lower[k] + (m + 1 / 3) * h0[k]]);
    };
    visit([]);
    const errors: number[] = [];
    let grid = coarse;
    for (let i = 0; i < levels; i++) {
      const u = grid.sample(f);
      errors.push(Math.max(...points.map((x) => Math.abs(u.at(x) - f(...x)))));
      grid = grid.refine();
    }
    return errors.slice(1).map((e, i) => Math.log2(errors[i] / e));
  }

  it('1-D: slope 2 for sin(3x) + x²', () => {
    for (const o of orders(Grid.uniform([[0, 2]], [11]), (x) => Math.sin(3 * x) + x * x, 5)) expect(Math.abs(o - 2)).toBeLessThan(0.1);
  });

  it('2-D and 3-D: slope 2 for products of smooth functions', () => {
    for (const o of orders(Grid.uniform([[0, 1], [-1, 1]], [6, 6]), (x, y) => Math.exp(x) * Math.sin(2 * y), 4)) expect(Math.abs(o - 2)).toBeLessThan(0.1);
    for (const o of orders(Grid.uniform([[0, 1], [0, 1], [0, 1]], [4, 4, 4]), (x, y, z) => Math.cos(x + 2 * y) * Math.exp(z), 3)) expect(Math.abs(o - 2)).toBeLessThan(0.15);
  });

  it('stays within the bound Σ_k h_k² max|∂²_k f| / 8 at seeded points (2-D)', () => {
    const grid = Grid.uniform([[0, 2], [0, 1]], [21, 11]);
    const f: Fn = (x, y) => Math.sin(x) * Math.cos(2 * y); // |∂²_x f| ≤ 1, |∂²_y f| ≤ 4
    const bound = (grid.spacing[0] ** 2 * 1 + grid.spacing[1] ** 2 * 4) / 8;
    const u = grid.sample(f);
    for (const x of randomPoints(grid, 500, 9)) expect(Math.abs(u.at(x) - f(...x))).toBeLessThanOrEqual(bound);
  });
});

describe('points outside the box', () => {
  const grid = Grid.uniform([[0, 2], [-1, 1]], [5, 3]);
  const u = grid.sample((x, y) => x * x + 3 * y); // quadratic in x, affine in y

  it('throws by default, naming the box, the point and the axis', () => {
    expect(() => u.at([2.5, 0])).toThrow(/interpolate: x must lie in the grid box Grid\(\[0, 2\] × \[-1, 1\], shape \[5, 3\]\); got x = \[2.5, 0\] \(axis 0 outside \[0, 2\]\)\. Pass outside: 'clamp' or 'extrapolate'/);
    expect(() => u.at([1, -1.0001])).toThrow(/axis 1 outside \[-1, 1\]/);
  });

  it("'clamp' evaluates at the nearest point of the box", () => {
    expect(u.at([3, 0.5], { outside: 'clamp' })).toBe(u.at([2, 0.5]));
    expect(u.at([-1, -7], { outside: 'clamp' })).toBe(u.at([0, -1]));
  });

  it("'extrapolate' continues the edge cell's polynomial: exact for affine f, the chord for x²", () => {
    const affine = grid.sample((x, y) => 2 - x + 0.5 * y);
    for (const x of randomPoints(grid, 50, 4, 1.5)) expect(affine.at(x, { outside: 'extrapolate' })).toBeCloseTo(2 - x[0] + 0.5 * x[1], 12);
    // Beyond x = 2 the edge cell [1.5, 2] gives the chord of x² through 1.5 and 2: 2.25 + 3.5(x − 1.5).
    expect(u.at([3, 0], { outside: 'extrapolate' })).toBeCloseTo(2.25 + 3.5 * 1.5, 12);
  });

  it('rejects a point of the wrong length and an infinite coordinate', () => {
    expect(() => u.at([1])).toThrow(/interpolate: x must have 2 coordinate\(s\); got \[1\]/);
    expect(() => u.at([Infinity, 0], { outside: 'clamp' })).toThrow(/interpolate: x\[0\] must be finite; got Infinity/);
  });
});

describe('NaN in, NaN out', () => {
  const grid = Grid.uniform([[0, 1]], [5]);
  it('a NaN coordinate gives NaN', () => {
    expect(grid.sample((x) => x).at([NaN])).toBeNaN();
  });
  it('a NaN sample gives NaN exactly where it carries weight', () => {
    const data = Float64Array.from([0, 1, NaN, 3, 4]);
    const u = new GridFunction(grid, data);
    expect(u.at([0.4])).toBeNaN(); // cell [0.25, 0.5]
    expect(u.at([0.6])).toBeNaN(); // cell [0.5, 0.75]
    expect(u.at([0.1])).toBeCloseTo(0.4, 14);
    expect(u.at([0.8])).toBeCloseTo(3.2, 14);
  });
  it('the function form agrees with GridFunction.at', () => {
    const u = grid.sample((x) => x * x);
    expect(interpolate(grid, u.data, [0.3])).toBe(u.at([0.3]));
  });
});
