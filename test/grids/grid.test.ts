import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';

describe('Grid.uniform', () => {
  it('places shape[k] points with ends included, spacing (upper − lower)/(n − 1)', () => {
    const grid = Grid.uniform([[-2, 2], [0, 1]], [5, 3]);
    expect(grid.ndim).toBe(2);
    expect(grid.size).toBe(15);
    expect(grid.spacing).toEqual([1, 0.5]);
    expect(Array.from(grid.axis(0))).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(grid.axis(1))).toEqual([0, 0.5, 1]);
    expect(grid.strides).toEqual([3, 1]);
  });

  it('maps flat ↔ multi-index row-major (last axis fastest) in 3-D', () => {
    const grid = Grid.uniform([[0, 1], [0, 1], [0, 1]], [2, 3, 4]);
    for (let p = 0; p < grid.size; p++) expect(grid.flatIndex(grid.multiIndex(p))).toBe(p);
    expect(grid.flatIndex([1, 2, 3])).toBe(1 * 12 + 2 * 4 + 3);
    expect(Array.from(grid.point(grid.flatIndex([1, 1, 2])))).toEqual([1, 0.5, 2 / 3]);
  });

  it('refine() keeps the box and halves the spacing (2n − 1 points)', () => {
    const grid = Grid.uniform([[-1, 3]], [5]).refine();
    expect(grid.shape).toEqual([9]);
    expect(grid.spacing[0]).toBe(0.5);
    expect(grid.lower).toEqual([-1]);
    expect(grid.upper).toEqual([3]);
  });

  it.each([
    [[], [], /bounds must be non-empty/],
    [[[0, 1]], [1], /shape\[0\] must be an integer ≥ 2/],
    [[[0, 1]], [2.5], /shape\[0\] must be an integer ≥ 2/],
    [[[1, 1]], [3], /bounds\[0\] must be an interval with lower < upper/],
    [[[2, 1]], [3], /lower < upper/],
    [[[0, NaN]], [3], /bounds\[0\] must be finite/],
    [[[0, 1], [0, 1]], [3], /shape must be of the same length as bounds/],
    [[[0, 1], [0, 1]], [70000, 70000], /at most \d+ points in total/],
  ])('rejects bad input %j %j', (bounds, shape, message) => {
    expect(() => Grid.uniform(bounds as [number, number][], shape as number[])).toThrow(message);
  });
});

describe('Grid.sample', () => {
  it('samples a TS function and a mathjs expression identically', () => {
    const grid = Grid.uniform([[-3, 3]], [101]);
    const fromFn = grid.sample((x) => x * x + 1.5 * Math.sin(2 * Math.PI * x));
    const fromExpr = grid.sample('x^2 + 1.5*sin(2*pi*x)');
    expect(fromExpr.data).toBeAllclose(fromFn.data, { atol: 0, rtol: 4 * Number.EPSILON });
  });

  it('names x, y, z in 2-D and 3-D', () => {
    const grid = Grid.uniform([[0, 1], [0, 2], [0, 3]], [3, 3, 3]);
    const f = grid.sample('x + 10*y + 100*z');
    grid.axis(0).forEach((x, i) => grid.axis(1).forEach((y, j) => grid.axis(2).forEach((z, k) => {
      expect(f.atIndex([i, j, k])).toBeCloseTo(x + 10 * y + 100 * z, 12);
    })));
  });

  it('reports the first non-finite sample with its coordinates', () => {
    const grid = Grid.uniform([[-1, 1]], [3]);
    expect(() => grid.sample((x) => 1 / x)).toThrow(/must be finite at every grid point; got Infinity at x = \[0\]/);
    expect(() => grid.sample('log(x)')).toThrow(/got NaN at x = \[-1\]/);
  });

  it('reports syntax errors with mathjs position, and unknown variables', () => {
    const grid = Grid.uniform([[-1, 1]], [3]);
    expect(() => grid.sample('x^^2')).toThrow(/could not parse "x\^\^2": .*char 3/);
    expect(() => grid.sample('x + y')).toThrow(/unknown variable "y".*allowed: x/);
    expect(() => grid.sample('foo(x)')).toThrow(/unknown function "foo"/);
    expect(() => grid.sample(42 as unknown as string)).toThrow(TypeError);
  });
});

describe('Grid helpers', () => {
  const grid = Grid.uniform([[-1, 1], [0, 3]], [5, 4]);

  it('contains() is the closed box; equals() compares box and shape exactly', () => {
    expect(grid.contains([-1, 3])).toBe(true);
    expect(grid.contains([1.0000001, 0])).toBe(false);
    expect(grid.contains([0, NaN])).toBe(false);
    expect(grid.equals(Grid.uniform([[-1, 1], [0, 3]], [5, 4]))).toBe(true);
    expect(grid.equals(Grid.uniform([[-1, 1], [0, 3]], [5, 5]))).toBe(false);
    expect(grid.equals(Grid.uniform([[-1, 1]], [5]))).toBe(false);
  });

  it('the last axis point is exactly upper, point() writes into out, zeros() has grid.size zeros', () => {
    const g = Grid.uniform([[0, 0.3]], [4]);
    expect(g.axis(0)[3]).toBe(0.3);
    const out = new Float64Array(2);
    expect(grid.point(grid.flatIndex([4, 3]), out)).toBe(out);
    expect(Array.from(out)).toEqual([1, 3]);
    expect(grid.zeros().data).toEqual(new Float64Array(20));
    expect(grid.toString()).toBe('Grid([-1, 1] × [0, 3], shape [5, 4])');
  });

  it('rejects bad axes and indices', () => {
    expect(() => grid.axis(2)).toThrow(/Grid.axis: k must be an axis in \[0, 1\]; got 2/);
    expect(() => grid.flatIndex([5, 0])).toThrow(/Grid.flatIndex: index\[0\] must be an integer in \[0, 4\]; got 5/);
    expect(() => grid.flatIndex([1])).toThrow(/Grid.flatIndex: index must be of length 2; got \[1\]/);
    expect(() => grid.multiIndex(20)).toThrow(/Grid.multiIndex: p must be an integer in \[0, 19\]; got 20/);
    expect(() => Grid.uniform('x' as unknown as [number, number][], [3])).toThrow(TypeError);
    expect(() => Grid.uniform([[0, 1, 2]] as unknown as [number, number][], [3])).toThrow(/bounds\[0\] must be a \[lower, upper\] pair/);
  });
});
