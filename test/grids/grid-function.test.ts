import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';

const grid = Grid.uniform([[0, 2], [-1, 1]], [3, 2]); // points (0|1|2) × (−1|1), spacing [1, 2]
const fn = (values: number[]) => new GridFunction(grid, Float64Array.from(values));

describe('GridFunction reductions against hand values', () => {
  const u = fn([3, -2, 5, -2, 0.5, 4]);

  it('min / argmin take the first of tied minima; argminPoint gives its coordinates', () => {
    expect(u.min()).toBe(-2);
    expect(u.argmin()).toBe(1);
    expect(u.argminPoint()).toEqual([0, 1]);
    expect(u.max()).toBe(5);
  });

  it('normInf = max |u| and normL2 = (Σ u² · h₀h₁)^{1/2}', () => {
    expect(fn([1, -7, 2, 0, 3, 6.5]).normInf()).toBe(7);
    // Σ u² = 9 + 4 + 25 + 4 + 0.25 + 16 = 58.25, cell area 1·2.
    expect(u.normL2()).toBeCloseTo(Math.sqrt(58.25 * 2), 14);
  });

  it('normL2 of u = 1 on [0, 1] with n points is √(n·h), a Riemann sum that tends to ‖1‖ = 1', () => {
    const line = Grid.uniform([[0, 1]], [11]);
    expect(line.sample(() => 1).normL2()).toBeCloseTo(Math.sqrt(11 * 0.1), 14);
  });

  it('NaN anywhere makes min, max and normInf NaN; argmin points at it', () => {
    const bad = fn([1, 2, NaN, -5, 0, 1]);
    expect(bad.min()).toBeNaN();
    expect(bad.max()).toBeNaN();
    expect(bad.normInf()).toBeNaN();
    expect(bad.argmin()).toBe(2);
    expect(fn([NaN, 1, 2, 3, 4, 5]).normInf()).toBeNaN(); // a NaN before larger values is not forgotten
  });
});

describe('pointwise operations', () => {
  it('plus / minus / map / clone give fresh data with hand values', () => {
    const a = fn([1, 2, 3, 4, 5, 6]), b = fn([6, 5, 4, 3, 2, 1]);
    expect(Array.from(a.plus(b).data)).toEqual([7, 7, 7, 7, 7, 7]);
    expect(Array.from(a.minus(b).data)).toEqual([-5, -3, -1, 1, 3, 5]);
    expect(Array.from(a.map((v, p) => v * p).data)).toEqual([0, 2, 6, 12, 20, 30]);
    const c = a.clone();
    c.data[0] = 99;
    expect(a.data[0]).toBe(1);
    expect(a.data).toEqual(Float64Array.from([1, 2, 3, 4, 5, 6]));
  });

  it('view shares memory, has the grid shape, and atIndex reads row-major', () => {
    const a = fn([1, 2, 3, 4, 5, 6]);
    expect(a.view.shape).toEqual([3, 2]);
    expect(a.view.get(2, 0)).toBe(5);
    a.view.set(1, 1, 40);
    expect(a.data[3]).toBe(40);
    expect(a.atIndex([1, 1])).toBe(40);
  });

  it('requires the same grid for binary operations', () => {
    const other = new GridFunction(Grid.uniform([[0, 2], [-1, 1.5]], [3, 2]), new Float64Array(6));
    expect(() => fn([1, 2, 3, 4, 5, 6]).plus(other)).toThrow(
      /GridFunction.plus: both functions must live on the same grid; got Grid\(\[0, 2\] × \[-1, 1\], shape \[3, 2\]\) and Grid\(\[0, 2\] × \[-1, 1.5\], shape \[3, 2\]\)/);
    expect(() => fn([1, 2, 3, 4, 5, 6]).minus(grid.refine().zeros())).toThrow(/GridFunction.minus: both functions must live on the same grid/);
    // Equal boxes and shapes built separately count as the same grid.
    expect(fn([1, 1, 1, 1, 1, 1]).minus(Grid.uniform([[0, 2], [-1, 1]], [3, 2]).zeros()).data).toEqual(new Float64Array(6).fill(1));
  });
});

describe('constructor validation', () => {
  it('rejects data that is not a Float64Array (TypeError) or of the wrong length (RangeError)', () => {
    expect(() => new GridFunction(grid, [1, 2, 3, 4, 5, 6] as unknown as Float64Array)).toThrow(TypeError);
    expect(() => new GridFunction(grid, new Float32Array(6) as unknown as Float64Array)).toThrow(/GridFunction: data must be a Float64Array/);
    expect(() => new GridFunction(grid, new Float64Array(5))).toThrow(RangeError);
    expect(() => new GridFunction(grid, new Float64Array(5))).toThrow(/GridFunction: data.length must be equal to grid.size = 6; got 5/);
  });
  it('wraps without copying', () => {
    const data = new Float64Array(6);
    expect(new GridFunction(grid, data).data).toBe(data);
  });
});
