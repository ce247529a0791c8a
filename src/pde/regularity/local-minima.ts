/**
 * Local minima before and after relaxation. The paper's picture: relaxation removes the shallow local
 * minima of f. In 1-D this is a theorem for both PDEs: v = e^{−βu} solves the heat equation, whose
 * number of local maxima cannot grow (the sign changes of v_x do not increase, Sturm), and the
 * Hopf–Lax solution is the β → ∞ limit (a local minimum x of u has u(x) = f(x) ≤ f nearby). In 2-D and
 * beyond the heat equation can create extrema, so the check measures and may honestly fail.
 */
import type { GridFunction } from '../../grids/grid-function.js';
import type { Grid } from '../../grids/grid.js';
import { makeResult, mustBeGridFunction, mustShareGrid, type CheckResult } from './check-result.js';
import { interiorIndices, pointOf } from './stencil.js';

/** Local minima of a grid function. */
export interface LocalMinima {
  /** Number of clusters of connected grid points that are ≤ all their 3^d − 1 neighbours. */
  count: number;
  /** One representative point (the lowest, first in flat order) per cluster. */
  points: number[][];
  /** Values there. */
  values: number[];
}

/**
 * Local minima of u at the points at least `margin` (and one cell) inside the box: points with
 * u ≤ every neighbour in the 3^d block, grouped into clusters of adjacent such points (so an exact
 * plateau minimum counts once). O(size·3^d).
 * @param u - samples on a grid
 * @param options.margin - distance (coordinate units) from the box, default 0
 * @throws TypeError if u is not a GridFunction
 * @example countLocalMinima(Grid.uniform([[-3, 3]], [601]).sample('x^2 + 1.5*sin(2*pi*x)')).count // 5
 */
export function countLocalMinima(u: GridFunction, options: { margin?: number } = {}): LocalMinima {
  const fn = 'countLocalMinima';
  mustBeGridFunction(fn, 'u', u);
  const grid = u.grid;
  const points = interiorIndices(fn, grid, options.margin ?? 0, 1);
  const offsets = neighbourOffsets(grid);
  const isMin = new Uint8Array(grid.size);
  for (let c = 0; c < points.length; c++) {
    const p = points[c], v = u.data[p];
    let ok = true;
    for (let o = 0; o < offsets.length && ok; o++) if (!(v <= u.data[p + offsets[o]])) ok = false;
    if (ok) isMin[p] = 1;
  }
  // Flood-fill clusters among the flagged points (neighbours of interior points are on the grid).
  const seen = new Uint8Array(grid.size), queue = new Int32Array(points.length);
  const out: LocalMinima = { count: 0, points: [], values: [] };
  for (let c = 0; c < points.length; c++) {
    const start = points[c];
    if (!isMin[start] || seen[start]) continue;
    let head = 0, tail = 0, best = start;
    queue[tail++] = start; seen[start] = 1;
    while (head < tail) {
      const p = queue[head++];
      if (u.data[p] < u.data[best]) best = p;
      for (let o = 0; o < offsets.length; o++) {
        const q = p + offsets[o];
        if (isMin[q] && !seen[q]) { seen[q] = 1; queue[tail++] = q; }
      }
    }
    out.count++;
    out.points.push(pointOf(grid, best));
    out.values.push(u.data[best]);
  }
  return out;
}

/** Flat offsets of the 3^d − 1 neighbours (valid for points at least one cell inside). */
function neighbourOffsets(grid: Grid): Int32Array {
  const d = grid.ndim, total = 3 ** d;
  const out = new Int32Array(total - 1);
  let n = 0;
  for (let c = 0; c < total; c++) {
    let offset = 0, rest = c;
    for (let k = 0; k < d; k++) { offset += ((rest % 3) - 1) * grid.strides[k]; rest = Math.floor(rest / 3); }
    if (offset !== 0) out[n++] = offset;
  }
  return out;
}

/**
 * Measures the number of local minima of u(·,t) and compares it with that of f: the claim
 * #minima(u) ≤ #minima(f). Tolerance 0 (counts are exact integers).
 * @param u - u(·,t)
 * @param f - loss samples on the same grid
 * @param options.margin - distance (coordinate units) from the box for both counts, default 0
 * @returns a {@link CheckResult}; `details` lists both counts and the minimisers of u
 * @throws TypeError for a non-GridFunction; RangeError for different grids
 * @example checkLocalMinimaRemoved(coleHopf(f, 0.2, 1).u, f).details.removed
 */
export function checkLocalMinimaRemoved(u: GridFunction, f: GridFunction, options: { margin?: number } = {}): CheckResult {
  const fn = 'checkLocalMinimaRemoved';
  mustShareGrid(fn, { u, f });
  const before = countLocalMinima(f, options), after = countLocalMinima(u, options);
  const deepest = after.values.indexOf(Math.min(...after.values));
  return makeResult({
    name: 'local-minima-removed',
    claim: '#local minima of u(·,t) ≤ #local minima of f (1-D: Sturm for v = e^{−βu})',
    relation: '≤',
    measured: after.count,
    bound: before.count,
    tolerance: { value: 0, reason: 'exact integer counts' },
    worst: after.count > 0 ? { x: after.points[deepest], value: after.values[deepest] } : null,
    details: { before: before.count, after: after.count, removed: before.count - after.count, minimisersOfU: after.points.flat() },
  });
}
