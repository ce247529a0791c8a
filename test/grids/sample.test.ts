import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { sampleOnGrid } from '../../src/grids/sample.js';

describe('sampleOnGrid', () => {
  it('evaluates f at grid.point(p) for every flat index p, in 1-D to 4-D (TS function and x0… string)', () => {
    const grids = [
      Grid.uniform([[-1, 2]], [7]),
      Grid.uniform([[-1, 2], [0, 1]], [4, 3]),
      Grid.uniform([[-1, 2], [0, 1], [3, 4]], [3, 2, 4]),
      Grid.uniform([[-1, 2], [0, 1], [3, 4], [-2, -1]], [3, 2, 2, 3]),
    ];
    const f = (...x: number[]) => x.reduce((s, v, k) => s + (k + 1) * v * v + Math.sin(v * (k + 2)), 0);
    const source = ['x0^2 + sin(2*x0)', ' + 2*x1^2 + sin(3*x1)', ' + 3*x2^2 + sin(4*x2)', ' + 4*x3^2 + sin(5*x3)'];
    for (const grid of grids) {
      const fromFn = sampleOnGrid(grid, f), fromString = sampleOnGrid(grid, source.slice(0, grid.ndim).join(''));
      for (let p = 0; p < grid.size; p++) {
        const want = f(...(grid.point(p) as number[]));
        expect(fromFn[p]).toBe(want);
        expect(fromString[p]).toBeCloseTo(want, 13);
      }
    }
  });

  it('reports the first non-finite sample with its coordinates and flat index (2-D)', () => {
    const grid = Grid.uniform([[0, 1], [0, 1]], [3, 3]);
    expect(() => sampleOnGrid(grid, (x, y) => (x === 0.5 && y === 1 ? NaN : x))).toThrow(/Grid.sample: f must be finite at every grid point; got NaN at x = \[0.5, 1\] \(point 5\)/);
  });

  it('rejects a source that is neither a function nor a string (TypeError)', () => {
    const grid = Grid.uniform([[0, 1]], [3]);
    expect(() => sampleOnGrid(grid, { f: 1 } as unknown as string)).toThrow(TypeError);
    expect(() => sampleOnGrid(grid, 3 as unknown as string)).toThrow(/Grid.sample: f must be a function of the coordinates or a mathjs expression string; got 3/);
  });
});
