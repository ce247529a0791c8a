/**
 * Iso-lines of a 2-D grid function by marching squares: for each level c and each grid cell, the
 * segments where the bilinear interpolant crosses c (linear interpolation along the cell edges).
 */
import type { GridFunction } from '../grids/grid-function.js';
import { mustBe } from '../util/validate.js';

/** Contour segments for several levels, flat: segment s runs from (x1[s], y1[s]) to (x2[s], y2[s]). */
export interface ContourSegments { x1: number[]; y1: number[]; x2: number[]; y2: number[]; level: number[] }

/**
 * Marching-squares iso-lines {f = c} of a 2-D grid function for every c in `levels`. The saddle
 * cells (diagonal corners on the same side) are split by the cell-centre average.
 * @param f - samples on a 2-D grid; axis 0 is x, axis 1 is y
 * @param levels - contour values (non-finite levels are skipped)
 * @returns the segments, each with the level it belongs to
 * @throws RangeError if `f` is not 2-D
 * @example const s = contourSegments(grid.sample('x^2 + y^2'), [1]); // a polygon near the unit circle
 */
export function contourSegments(f: GridFunction, levels: readonly number[]): ContourSegments {
  mustBe('contourSegments', 'f.grid.ndim', f.grid.ndim, f.grid.ndim === 2, '2');
  const [nx, ny] = f.grid.shape, [x0, y0] = f.grid.lower, [hx, hy] = f.grid.spacing, v = f.data;
  const out: ContourSegments = { x1: [], y1: [], x2: [], y2: [], level: [] };
  const px = new Float64Array(4), py = new Float64Array(4);
  for (const c of levels) {
    if (!Number.isFinite(c)) continue;
    for (let i = 0; i < nx - 1; i++) for (let j = 0; j < ny - 1; j++) {
      // corners counter-clockwise: (i,j), (i+1,j), (i+1,j+1), (i,j+1)
      const a = v[i * ny + j], b = v[(i + 1) * ny + j], d = v[(i + 1) * ny + j + 1], e = v[i * ny + j + 1];
      const code = (a > c ? 1 : 0) | (b > c ? 2 : 0) | (d > c ? 4 : 0) | (e > c ? 8 : 0);
      if (code === 0 || code === 15) continue;
      const xi = x0 + i * hx, yj = y0 + j * hy;
      // crossing points on the four edges (bottom, right, top, left), NaN when the edge is not cut
      let n = 0;
      const edge0 = (a > c) !== (b > c), edge1 = (b > c) !== (d > c), edge2 = (e > c) !== (d > c), edge3 = (a > c) !== (e > c);
      if (edge0) { px[n] = xi + hx * (c - a) / (b - a); py[n] = yj; n++; }
      if (edge1) { px[n] = xi + hx; py[n] = yj + hy * (c - b) / (d - b); n++; }
      if (edge2) { px[n] = xi + hx * (c - e) / (d - e); py[n] = yj + hy; n++; }
      if (edge3) { px[n] = xi; py[n] = yj + hy * (c - a) / (e - a); n++; }
      if (n === 2) {
        out.x1.push(px[0]); out.y1.push(py[0]); out.x2.push(px[1]); out.y2.push(py[1]); out.level.push(c);
      } else if (n === 4) {
        // saddle: pair edges so that the centre value decides which corners are connected
        const centre = (a + b + d + e) / 4, aAbove = a > c;
        const pairs = (centre > c) === aAbove ? [[0, 1], [2, 3]] : [[0, 3], [1, 2]];
        for (const [s, t] of pairs) { out.x1.push(px[s]); out.y1.push(py[s]); out.x2.push(px[t]); out.y2.push(py[t]); out.level.push(c); }
      }
    }
  }
  return out;
}
