import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { dirichlet, type BoundaryCondition } from '../../src/grids/boundary.js';
import {
  forwardDifference, backwardDifference, centralDifference, secondDifference, laplacian, gradient, hessian,
  forwardDifferenceInto, backwardDifferenceInto, centralDifferenceInto, secondDifferenceInto, laplacianInto, gradientInto, hessianInto,
  type BoundaryArgument,
} from '../../src/grids/finite-difference.js';
import { bruteAxisDifference, bruteMixedDifference, type BruteOperator } from '../reference/finite-difference.js';
import { Rng } from '../../src/util/random.js';

type Fn = (...x: number[]) => number;
type AxisOp = (u: GridFunction, k: number, bc?: BoundaryArgument) => GridFunction;
const OPS: Record<BruteOperator, AxisOp> = {
  forward: forwardDifference, backward: backwardDifference, central: centralDifference, second: secondDifference,
};

/** Max |approx − exact| over the points whose multi-index passes `keep` (default: every point). */
function maxError(approx: GridFunction, exact: Fn, keep: (idx: number[], shape: readonly number[]) => boolean = () => true): number {
  const { grid } = approx;
  let worst = 0;
  for (let p = 0; p < grid.size; p++) {
    const idx = grid.multiIndex(p);
    if (!keep(idx, grid.shape)) continue;
    const e = Math.abs(approx.data[p] - exact(...(grid.point(p) as number[])));
    if (!(e <= worst)) worst = e;
  }
  return worst;
}
const interior = (idx: number[], shape: readonly number[]) => idx.every((i, k) => i > 0 && i < shape[k] - 1);
/**
 * Points at least `cells` cells from every edge. With cells = 2^level on the level-th refinement this
 * is one fixed sub-box (the coarse grid's interior), so the sup is taken over the same set at every h.
 */
const awayFromEdges = (cells: number) => (idx: number[], shape: readonly number[]) => idx.every((i, k) => i >= cells && i <= shape[k] - 1 - cells);
const lowerEdge = (k: number) => (idx: number[]) => idx[k] === 0;
const upperEdge = (k: number) => (idx: number[], shape: readonly number[]) => idx[k] === shape[k] - 1;

/** Errors on successive refinements (h halves each time) and the observed orders log2(e_i / e_{i+1}). */
function observedOrders(coarse: Grid, levels: number, error: (grid: Grid, inside: ReturnType<typeof awayFromEdges>) => number): { errors: number[]; orders: number[] } {
  const errors: number[] = [];
  let grid = coarse;
  for (let i = 0; i < levels; i++) { errors.push(error(grid, awayFromEdges(2 ** i))); grid = grid.refine(); }
  return { errors, orders: errors.slice(1).map((e, i) => Math.log2(errors[i] / e)) };
}

// A smooth non-periodic test function with its derivatives: f = sin(2x) + x³/3 on [0.1, 1.4].
const f1: Fn = (x) => Math.sin(2 * x) + x ** 3 / 3;
const df1: Fn = (x) => 2 * Math.cos(2 * x) + x * x;
const d2f1: Fn = (x) => -4 * Math.sin(2 * x) + 2 * x;
const line1 = Grid.uniform([[0.1, 1.4]], [21]);

describe('one-axis differences: measured order of accuracy by refinement (1-D, interior)', () => {
  it.each([
    ['forward', df1, 1], ['backward', df1, 1], ['central', df1, 2], ['second', d2f1, 2],
  ] as const)('D %s converges at order %#… (slope of log2 error)', (op, exact, p) => {
    const { orders } = observedOrders(line1, 5, (g, inside) => maxError(OPS[op](g.sample(f1), 0), exact, inside));
    // Leading error terms h f″/2 (D±), h² f‴/6 (D⁰), h² f⁗/12 (D²): slopes tend to p; 0.1 covers the next term at h ≤ 0.065.
    for (const o of orders) expect(Math.abs(o - p)).toBeLessThan(0.1);
  });
});

describe('periodic boundary on a periodic function: the interior order holds on every point', () => {
  // f = sin(2πx) + cos(4πx)/2 on [0, 1], with points 0 and n−1 the same point.
  const f: Fn = (x) => Math.sin(2 * Math.PI * x) + 0.5 * Math.cos(4 * Math.PI * x);
  const df: Fn = (x) => 2 * Math.PI * Math.cos(2 * Math.PI * x) - 2 * Math.PI * Math.sin(4 * Math.PI * x);
  const d2f: Fn = (x) => -4 * Math.PI ** 2 * Math.sin(2 * Math.PI * x) - 8 * Math.PI ** 2 * Math.cos(4 * Math.PI * x);
  const grid = Grid.uniform([[0, 1]], [33]);
  it.each([
    ['forward', df, 1], ['backward', df, 1], ['central', df, 2], ['second', d2f, 2],
  ] as const)('D %s, periodic: order %# on the whole line, edges included', (op, exact, p) => {
    const { orders } = observedOrders(grid, 4, (g) => maxError(OPS[op](g.sample(f), 0, 'periodic'), exact));
    for (const o of orders) expect(Math.abs(o - p)).toBeLessThan(0.1);
  });
});

describe('edge cells: the order is that of the ghost', () => {
  const levels = 5;
  it("'extrapolate' (linear ghost): D⁰ and the ghost-reading D± are first order at the edges", () => {
    for (const [op, edge] of [['central', lowerEdge(0)], ['central', upperEdge(0)], ['forward', upperEdge(0)], ['backward', lowerEdge(0)]] as const) {
      // D⁰ at 0 becomes (u₁ − u₀)/h = f′ + h f″/2 + …, so the slope tends to 1.
      const { orders } = observedOrders(line1, levels, (g) => maxError(OPS[op](g.sample(f1), 0, 'extrapolate'), df1, edge));
      // The next term h² f‴/6 is large against h f″/2 here (f″(0.1) ≈ −0.59), so the slope
      // approaches 1 with an O(h) deviation: assert that it shrinks and ends within 0.05.
      const gaps = orders.map((o) => Math.abs(o - 1));
      for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeLessThan(gaps[i - 1]);
      expect(gaps[gaps.length - 1]).toBeLessThan(0.05);
    }
  });

  it("'extrapolate': D² is zero at the edges (inconsistent: the error tends to |f″(edge)|)", () => {
    const fine = line1.refine().refine().refine();
    const d2 = secondDifference(fine.sample(f1), 0, 'extrapolate');
    // Zero up to rounding: u₁ − 2u₀ + (2u₀ − u₁) with |u| ≤ 2, over h² (c = 8).
    const tol = (8 * Number.EPSILON * 2) / fine.spacing[0] ** 2;
    expect(Math.abs(d2.data[0])).toBeLessThanOrEqual(tol);
    expect(Math.abs(d2.data[fine.size - 1])).toBeLessThanOrEqual(tol);
  });

  it("'neumann' (replicate ghost): D⁰ at the edge tends to f′/2, not f′ — inconsistent unless f′ = 0 there", () => {
    // (u₁ − u₀)/(2h) = f′(0)/2 + h f″(0)/4 + O(h²): the error tends to |f′(0)|/2 at rate 1.
    const { errors } = observedOrders(line1, levels, (g) => maxError(centralDifference(g.sample(f1), 0, 'neumann'), df1, lowerEdge(0)));
    const limit = Math.abs(df1(0.1)) / 2;
    const gaps = errors.map((e) => Math.abs(e - limit));
    for (let i = 1; i < gaps.length; i++) expect(Math.log2(gaps[i - 1] / gaps[i])).toBeGreaterThan(0.9);
    expect(gaps[gaps.length - 1]).toBeLessThan(0.02 * limit);
  });

  it("'neumann': with f′(edge) = 0, D⁰ is first order at the edge and D² tends to f″/2 (inconsistent)", () => {
    // f = cos(3x) on [0, 1]: f′(0) = 0, f″(0) = −9. (u₁ − u₀)/(2h) = h f″/4 + O(h³); (u₁ − u₀)/h² = f″/2 + O(h²).
    const f: Fn = (x) => Math.cos(3 * x);
    const grid = Grid.uniform([[0, 1]], [21]);
    const d0 = observedOrders(grid, levels, (g) => maxError(centralDifference(g.sample(f), 0), (x) => -3 * Math.sin(3 * x), lowerEdge(0)));
    for (const o of d0.orders) expect(Math.abs(o - 1)).toBeLessThan(0.1);
    const d2 = observedOrders(grid, levels, (g) => Math.abs(secondDifference(g.sample(f), 0).data[0] - -9 / 2));
    for (const o of d2.orders) expect(Math.abs(o - 2)).toBeLessThan(0.1); // converges to f″/2 = −4.5 at rate 2
  });

  it('hand values at the edges of the line u = [1, 4, 9, 16] (h = 1) for each boundary', () => {
    const u = new GridFunction(Grid.uniform([[0, 3]], [4]), Float64Array.from([1, 4, 9, 16]));
    const ends = (g: GridFunction) => [g.data[0], g.data[3]];
    // Ghosts u₋₁, u₄: neumann 1, 16; periodic u₂ = 9, u₁ = 4; dirichlet(5) 5, 5; extrapolate −2, 23.
    expect(ends(forwardDifference(u, 0, 'neumann'))).toEqual([3, 0]);
    expect(ends(backwardDifference(u, 0, 'neumann'))).toEqual([0, 7]);
    expect(ends(centralDifference(u, 0, 'periodic'))).toEqual([(4 - 9) / 2, (4 - 9) / 2]);
    expect(ends(forwardDifference(u, 0, 'periodic'))).toEqual([3, 4 - 16]);
    expect(ends(secondDifference(u, 0, dirichlet(5)))).toEqual([4 - 2 + 5, 5 - 32 + 9]);
    expect(ends(backwardDifference(u, 0, dirichlet(5)))).toEqual([1 - 5, 7]);
    expect(ends(centralDifference(u, 0, 'extrapolate'))).toEqual([(4 + 2) / 2, (23 - 9) / 2]);
    expect(ends(secondDifference(u, 0, 'extrapolate'))).toEqual([0, 0]);
    expect(ends(secondDifference(u, 0))).toEqual([3, -7]); // default: neumann
  });
});

describe('agreement with the brute-force twin on seeded random data (all boundaries, 1-D/2-D/3-D)', () => {
  const boundaries: BoundaryCondition[] = [{ kind: 'neumann' }, { kind: 'periodic' }, dirichlet(-0.75), { kind: 'extrapolate' }];
  const grids = [
    Grid.uniform([[0, 1]], [7]),
    Grid.uniform([[-1, 1], [0, 3]], [5, 6]),
    Grid.uniform([[-1, 1], [0, 2], [1, 2]], [4, 5, 3]),
    Grid.uniform([[0, 1], [0, 1]], [2, 3]), // two points on an axis: both cells are edge cells
  ];
  it.each([11, 12])('seed %i: every axis operator and mixed entry matches the per-point formula', (seed) => {
    const rng = new Rng(seed);
    for (const grid of grids) {
      const data = new Float64Array(grid.size);
      rng.fillUniform(data, -1, 1);
      const u = new GridFunction(grid, data);
      for (const bc of boundaries) {
        for (let k = 0; k < grid.ndim; k++) {
          // Rounding: each entry is a 3-term sum of values ≤ 1 over h or h², summed in a different order (c = 8).
          for (const op of ['forward', 'backward', 'central', 'second'] as const) {
            const scale = op === 'second' ? 1 / grid.spacing[k] ** 2 : 1 / grid.spacing[k];
            expect(OPS[op](u, k, bc).data).toBeAllclose(bruteAxisDifference(grid, data, k, bc, op), { atol: 8 * Number.EPSILON * scale });
          }
        }
        const H = hessian(u, bc);
        for (let k = 0; k < grid.ndim; k++) {
          for (let l = 0; l < grid.ndim; l++) {
            const scale = 1 / (grid.spacing[k] * grid.spacing[l]);
            const want = k === l ? bruteAxisDifference(grid, data, k, bc, 'second') : bruteMixedDifference(grid, data, k, l, bc);
            expect(H[k][l].data).toBeAllclose(want, { atol: 8 * Number.EPSILON * scale });
          }
        }
      }
    }
  });
});

describe('exactness classes', () => {
  it('D±, D⁰ are exact for affine f on the whole grid with the linear ghost; D⁰, D² exact for quadratics inside', () => {
    const grid = Grid.uniform([[-2, 1], [0, 2]], [13, 9]);
    const affine = grid.sample((x, y) => 3 - 2 * x + 0.5 * y);
    // Rounding: values ≤ 6 differenced over h ≥ 0.25 (c = 8).
    const tol = (8 * Number.EPSILON * 6) / 0.25;
    for (const op of [forwardDifference, backwardDifference, centralDifference]) {
      expect(op(affine, 0, 'extrapolate').data).toBeAllclose(-2, { atol: tol });
      expect(op(affine, 1, 'extrapolate').data).toBeAllclose(0.5, { atol: tol });
    }
    const quad = grid.sample((x, y) => x * x - 3 * x * y + 2 * y * y);
    const interiorOf = (g: GridFunction) => Array.from(g.data).filter((_, p) => interior(grid.multiIndex(p), grid.shape));
    const xs = Array.from({ length: grid.size }, (_, p) => grid.point(p) as number[]).filter((_, p) => interior(grid.multiIndex(p), grid.shape));
    expect(interiorOf(centralDifference(quad, 0))).toBeAllclose(xs.map(([x, y]) => 2 * x - 3 * y), { atol: (8 * Number.EPSILON * 24) / 0.5 }); // |f| ≤ 24, over 2h = 0.5
    // Rounding: values ≤ 24 over h² = 1/16 in a 3-term sum (c = 16).
    expect(interiorOf(secondDifference(quad, 1))).toBeAllclose(4, { atol: 16 * Number.EPSILON * 24 * 16 });
  });
});

describe('documented examples', () => {
  it('on x² with h = 0.1: D⁺ = 2x + h, D⁻ = 2x − h, D⁰ = 2x, D² = 2 inside; xy has H₀₁ = 1 inside', () => {
    const grid = Grid.uniform([[0, 1]], [11]), h = 0.1, x = grid.axis(0);
    const u = grid.sample((x) => x * x);
    const inside = (g: GridFunction) => Array.from(g.data).slice(1, -1);
    const xs = Array.from(x).slice(1, -1);
    // Rounding: values ≤ 1 differenced over h (or h²), c = 8.
    expect(inside(forwardDifference(u, 0))).toBeAllclose(xs.map((v) => 2 * v + h), { atol: (8 * Number.EPSILON) / h });
    expect(inside(backwardDifference(u, 0))).toBeAllclose(xs.map((v) => 2 * v - h), { atol: (8 * Number.EPSILON) / h });
    expect(inside(centralDifference(u, 0))).toBeAllclose(xs.map((v) => 2 * v), { atol: (8 * Number.EPSILON) / h });
    expect(inside(secondDifference(u, 0))).toBeAllclose(2, { atol: (8 * Number.EPSILON) / h ** 2 });
    const square = Grid.uniform([[-1, 1], [-1, 1]], [21, 21]);
    const H = hessian(square.sample((x, y) => x * y));
    expect(H[0][1].atIndex([7, 12])).toBeCloseTo(1, 12);
  });

  it('each kernel form writes exactly what its convenience form returns (2-D, periodic)', () => {
    const grid = Grid.uniform([[0, 1], [0, 2]], [9, 7]);
    const u = grid.sample((x, y) => Math.sin(2 * Math.PI * x) * Math.cos(Math.PI * y));
    const out = new Float64Array(grid.size);
    const pairs = [[forwardDifferenceInto, forwardDifference], [backwardDifferenceInto, backwardDifference],
      [centralDifferenceInto, centralDifference], [secondDifferenceInto, secondDifference]] as const;
    for (const [kernel, convenient] of pairs) {
      for (let k = 0; k < 2; k++) {
        kernel(grid, u.data, k, 'periodic', out);
        expect(out).toEqual(convenient(u, k, 'periodic').data);
      }
    }
  });
});

describe('Hessian', () => {
  // f(x) = xᵀAx/2 + bᵀx in 3-D with a symmetric A: the Hessian is A.
  const A = [[2, -0.5, 1.5], [-0.5, -1, 0.25], [1.5, 0.25, 3]];
  const b = [0.3, -1, 2];
  const quadratic: Fn = (...x) => {
    let s = 0;
    for (let k = 0; k < 3; k++) { s += b[k] * x[k]; for (let l = 0; l < 3; l++) s += 0.5 * x[k] * A[k][l] * x[l]; }
    return s;
  };
  const grid = Grid.uniform([[-1, 1], [-0.5, 1.5], [0, 1]], [11, 9, 6]);
  // Rounding: |f| ≤ 8 here; a 4-term stencil of values each off by ≤ 4 ulps, over h_k h_l ≥ 0.04 (c = 32).
  const tol = (32 * Number.EPSILON * 8) / 0.04;

  it('of a quadratic xᵀAx/2 + bᵀx in 3-D is A at every interior point, up to rounding', () => {
    const H = hessian(grid.sample(quadratic));
    for (let k = 0; k < 3; k++) {
      for (let l = 0; l < 3; l++) {
        const inner = Array.from(H[k][l].data).filter((_, p) => interior(grid.multiIndex(p), grid.shape));
        expect(inner).toBeAllclose(A[k][l], { atol: tol });
      }
    }
  });

  it("with 'extrapolate', its mixed entries are exact everywhere, edges and corners included", () => {
    // At an edge the linear ghost turns D⁰_kD⁰_l into D⁺_kD⁰_l (or D⁺_kD⁺_l at corners), exact for quadratics.
    const H = hessian(grid.sample(quadratic), 'extrapolate');
    for (const [k, l] of [[0, 1], [0, 2], [1, 2]]) expect(H[k][l].data).toBeAllclose(A[k][l], { atol: tol });
  });

  it('is symmetric (H[l][k] is H[k][l]) and the kernel fills the same values, shared or separate arrays', () => {
    const u = grid.sample((x, y, z) => Math.sin(x) * Math.exp(y) * (1 + z * z));
    const H = hessian(u, 'periodic');
    expect(H[1][0]).toBe(H[0][1]);
    const separate = Array.from({ length: 3 }, () => Array.from({ length: 3 }, () => new Float64Array(grid.size)));
    hessianInto(grid, u.data, 'periodic', separate);
    for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) {
      expect(separate[k][l]).toEqual(H[k][l].data);
      expect(separate[l][k]).toEqual(separate[k][l]);
    }
  });

  it('mixed and diagonal entries converge at order 2 in the interior (2-D and 3-D)', () => {
    const f2: Fn = (x, y) => Math.sin(x + 2 * y) + Math.exp(x) * y;
    const hxy: Fn = (x, y) => -2 * Math.sin(x + 2 * y) + Math.exp(x);
    const hyy: Fn = (x, y) => -4 * Math.sin(x + 2 * y);
    const g2 = Grid.uniform([[0, 1], [-0.5, 0.5]], [9, 9]);
    for (const [k, l, exact] of [[0, 1, hxy], [1, 1, hyy]] as const) {
      const { orders } = observedOrders(g2, 4, (g, inside) => maxError(hessian(g.sample(f2))[k][l], exact, inside));
      for (const o of orders) expect(Math.abs(o - 2)).toBeLessThan(0.15);
    }
    // Not sin(x)·e^z: there the h² terms of D⁰sin and D⁰exp cancel (factors 1 − h²/6 and 1 + h²/6) and the slope is 4.
    const f3: Fn = (x, y, z) => Math.sin(x) * Math.cos(y) * Math.exp(2 * z);
    const hxz: Fn = (x, y, z) => 2 * Math.cos(x) * Math.cos(y) * Math.exp(2 * z);
    const g3 = Grid.uniform([[0, 1], [0, 1], [0, 1]], [6, 6, 6]);
    const { orders } = observedOrders(g3, 3, (g, inside) => maxError(hessian(g.sample(f3))[0][2], hxz, inside));
    for (const o of orders) expect(Math.abs(o - 2)).toBeLessThan(0.15);
  });
});

describe('Laplacian and gradient', () => {
  it('Laplacian converges at order 2 in the interior in 2-D and 3-D', () => {
    const f2: Fn = (x, y) => Math.exp(x) * Math.sin(y) + x ** 4; // Δf = 12x²
    const { orders: o2 } = observedOrders(Grid.uniform([[-1, 1], [0, 2]], [9, 9]), 4, (g, inside) => maxError(laplacian(g.sample(f2)), (x) => 12 * x * x, inside));
    for (const o of o2) expect(Math.abs(o - 2)).toBeLessThan(0.1);
    const f3: Fn = (x, y, z) => Math.sin(x) * Math.sin(y) * Math.sin(z); // Δf = −3f
    const { orders: o3 } = observedOrders(Grid.uniform([[0, 1], [0, 1], [0, 1]], [6, 6, 6]), 3, (g, inside) => maxError(laplacian(g.sample(f3)), (...x) => -3 * f3(...x), inside));
    for (const o of o3) expect(Math.abs(o - 2)).toBeLessThan(0.15);
  });

  it('periodic Laplacian of sin(2πx)sin(2πy) converges at order 2 on the whole torus', () => {
    const f: Fn = (x, y) => Math.sin(2 * Math.PI * x) * Math.sin(2 * Math.PI * y);
    const { orders } = observedOrders(Grid.uniform([[0, 1], [0, 1]], [17, 17]), 4, (g) => maxError(laplacian(g.sample(f), 'periodic'), (x, y) => -8 * Math.PI ** 2 * f(x, y)));
    for (const o of orders) expect(Math.abs(o - 2)).toBeLessThan(0.1);
  });

  it('Laplacian of x² + y² is 4 inside (the documented example); the kernel matches the sum of D²', () => {
    const grid = Grid.uniform([[-1, 1], [-1, 1]], [21, 21]);
    const u = grid.sample((x, y) => x * x + y * y);
    const lap = laplacian(u);
    expect(Array.from(lap.data).filter((_, p) => interior(grid.multiIndex(p), grid.shape))).toBeAllclose(4, { atol: (16 * Number.EPSILON * 2) / 0.01 }); // |f| ≤ 2 over h² = 0.01
    const out = new Float64Array(grid.size);
    laplacianInto(grid, u.data, 'neumann', out);
    expect(out).toEqual(lap.data);
    expect(lap.data).toBeAllclose(secondDifference(u, 0).plus(secondDifference(u, 1)).data, { atol: 1e-12 });
  });

  it('gradient is (D⁰_0 u, …) with order 2 in the interior in 3-D; gradientInto fills the same arrays', () => {
    // No factor that D⁰ differentiates exactly (a quadratic would make the error pure rounding).
    const f: Fn = (x, y, z) => Math.sin(2 * x) * Math.cos(y) + Math.exp(z) * Math.sin(x);
    const grads: Fn[] = [
      (x, y, z) => 2 * Math.cos(2 * x) * Math.cos(y) + Math.exp(z) * Math.cos(x),
      (x, y) => -Math.sin(2 * x) * Math.sin(y),
      (x, _y, z) => Math.exp(z) * Math.sin(x),
    ];
    const coarse = Grid.uniform([[-1, 1], [0, 2], [0, 1]], [6, 6, 6]);
    for (let k = 0; k < 3; k++) {
      const { orders } = observedOrders(coarse, 3, (g, inside) => maxError(gradient(g.sample(f))[k], grads[k], inside));
      for (const o of orders) expect(Math.abs(o - 2)).toBeLessThan(0.15);
    }
    const u = coarse.sample(f);
    const out = [0, 1, 2].map(() => new Float64Array(coarse.size));
    gradientInto(coarse, u.data, 'neumann', out);
    gradient(u).forEach((g, k) => expect(out[k]).toEqual(g.data));
    const [gx, gy] = gradient(Grid.uniform([[0, 1], [0, 1]], [11, 11]).sample((x, y) => x * y));
    expect(gx.atIndex([5, 5])).toBeCloseTo(0.5, 14);
    expect(gy.atIndex([5, 5])).toBeCloseTo(0.5, 14);
  });
});

describe('NaN in, NaN out', () => {
  it('a NaN sample spoils exactly the stencils that read it', () => {
    const grid = Grid.uniform([[0, 1]], [9]);
    const data = new Float64Array(grid.size).fill(1);
    data[4] = NaN;
    const d0 = centralDifference(new GridFunction(grid, data), 0).data;
    Array.from(d0).forEach((v, j) => expect(Number.isNaN(v)).toBe(j === 3 || j === 5));
    const d2 = secondDifference(new GridFunction(grid, data), 0).data;
    Array.from(d2).forEach((v, j) => expect(Number.isNaN(v)).toBe(j >= 3 && j <= 5));
  });
});

describe('bad input', () => {
  const grid = Grid.uniform([[0, 1], [0, 1]], [4, 5]);
  const u = grid.sample((x, y) => x + y);
  const out = new Float64Array(grid.size);
  it.each([
    [() => forwardDifference(u, 2), /forwardDifference: k must be an axis in \[0, 1\]; got 2/],
    [() => centralDifference(u, 0.5), /centralDifference: k must be an axis in \[0, 1\]; got 0.5/],
    [() => secondDifference(u, 0, 'reflect' as 'neumann'), /secondDifference: boundary must be 'neumann' \| 'periodic'.*got "reflect"/],
    [() => laplacian(u, { kind: 'dirichlet', value: NaN }), /laplacianInto: boundary.value must be a finite number/],
    [() => forwardDifferenceInto(grid, u.data, 0, 'neumann', new Float64Array(3)), /forwardDifferenceInto: out.length must be equal to grid.size = 20; got 3/],
    [() => centralDifferenceInto(grid, new Float64Array(19), 0, 'neumann', out), /centralDifferenceInto: u.length must be equal to grid.size = 20; got 19/],
    [() => secondDifferenceInto(grid, u.data, 0, 'neumann', u.data), /secondDifferenceInto: out must be distinct from u/],
    [() => laplacianInto(grid, u.data, 'neumann', u.data), /laplacianInto: out must be distinct from u/],
    [() => gradientInto(grid, u.data, 'neumann', [out]), /gradientInto: out.length must be equal to grid.ndim = 2; got 1/],
    [() => gradientInto(grid, u.data, 'neumann', [out, u.data]), /gradientInto: out\[1\] must be distinct from u/],
    [() => hessianInto(grid, u.data, 'neumann', [[out, out]]), /hessianInto: out.length must be equal to grid.ndim = 2; got 1/],
    [() => hessianInto(grid, u.data, 'neumann', [[out, out], [out]]), /hessianInto: out\[1\].length must be equal to grid.ndim = 2; got 1/],
    [() => hessianInto(grid, u.data, 'neumann', [[out, out], [out, new Float64Array(2)]]), /hessianInto: out\[1\]\[1\].length must be equal to grid.size = 20/],
  ])('%#: rejected with a clear RangeError', (call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
  it('rejects a non-GridFunction and a non-Float64Array with TypeError', () => {
    expect(() => gradient({ grid, data: u.data } as unknown as GridFunction)).toThrow(/gradient: u must be a GridFunction/);
    expect(() => hessian([] as unknown as GridFunction)).toThrow(TypeError);
    expect(() => forwardDifferenceInto(grid, Array.from(u.data) as unknown as Float64Array, 0, 'neumann', out)).toThrow(/forwardDifferenceInto: u must be a Float64Array/);
  });
});
