import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/index.js';
import { contourSegments } from '../../src/plot/contours.js';

describe('contourSegments (marching squares)', () => {
  it('is exact for a linear field: every endpoint lies on x + 2y = c and the pieces add up to the chord length', () => {
    const grid = Grid.uniform([[-1, 1], [-1, 1]], [21, 17]);
    const c = 0.3;
    const s = contourSegments(grid.sample((x, y) => x + 2 * y), [c]);
    let length = 0;
    for (let n = 0; n < s.x1.length; n++) {
      expect(Math.abs(s.x1[n] + 2 * s.y1[n] - c)).toBeLessThan(1e-12); // rounding of one linear interpolation
      expect(Math.abs(s.x2[n] + 2 * s.y2[n] - c)).toBeLessThan(1e-12);
      length += Math.hypot(s.x2[n] - s.x1[n], s.y2[n] - s.y1[n]);
    }
    // the line x = c − 2y crosses the square for y in [(c − 1)/2, (c + 1)/2]; its length there is √5 · 1
    expect(length).toBeCloseTo(Math.sqrt(5), 10);
  });

  it('traces a circle within the interpolation error O(h²) of x² + y² = R²', () => {
    const grid = Grid.uniform([[-2, 2], [-2, 2]], [81, 81]), h = grid.spacing[0], radius = 1.3;
    const s = contourSegments(grid.sample((x, y) => x * x + y * y), [radius * radius]);
    // linear interpolation of r² along an edge of length h errs by ≤ h²/4 in r², i.e. h²/(8R) in r (|f''| = 2)
    for (let n = 0; n < s.x1.length; n++) expect(Math.abs(Math.hypot(s.x1[n], s.y1[n]) - radius)).toBeLessThanOrEqual((h * h) / (8 * radius) + 1e-12);
    const length = s.x1.reduce((sum, _, n) => sum + Math.hypot(s.x2[n] - s.x1[n], s.y2[n] - s.y1[n]), 0);
    expect(Math.abs(length - 2 * Math.PI * radius)).toBeLessThan(0.01); // inscribed polygon: relative deficit O(h²/R²)
  });

  it('rejects a 1-D field', () => {
    expect(() => contourSegments(Grid.uniform([[0, 1]], [5]).sample('x'), [0.5])).toThrow(/contourSegments: f\.grid\.ndim must be 2; got 1\./);
  });
});
