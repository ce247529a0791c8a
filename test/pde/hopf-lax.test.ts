import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { Rng } from '../../src/util/random.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { lowerEnvelope1d } from '../../src/pde/lower-envelope.js';
import { quadraticRelaxation } from '../../src/pde/exact.js';
import { hopfLaxBrute, hopfLaxBruteSeparable } from '../reference/hopf-lax-brute.js';

const seeds = [1, 2, 3, 4, 5];

function randomFunction(grid: Grid, rng: Rng, integer: boolean): GridFunction {
  const data = new Float64Array(grid.size);
  // Integer values in [0, 4) create many exact ties; uniforms exercise generic breakpoints.
  for (let p = 0; p < data.length; p++) data[p] = integer ? rng.integer(4) : 3 * rng.uniform() - 1;
  return new GridFunction(grid, data);
}

describe('lowerEnvelope1d', () => {
  it('computes min_q f_q + w(p − q)² on the doc example (w = h²/(2t) = 1)', () => {
    const u = new Float64Array(5), arg = new Int32Array(5);
    lowerEnvelope1d(Float64Array.of(4, 1, 4, 9, 0), 1, 0.5, u, arg);
    // p=0: min(4, 1+1, 4+4, 9+9, 0+16) = 2 at q=1; p=2: min(4, 1+1, 9+1, 0+4) = 2 at q=1; p=3: 0+1 at q=4.
    expect(Array.from(u)).toEqual([2, 1, 2, 1, 0]);
    expect(Array.from(arg)).toEqual([1, 1, 1, 4, 4]);
  });

  it('breaks an exact tie towards the smaller index (f = [0, 5, 0], p = 1: q = 0 and q = 2 tie)', () => {
    const u = new Float64Array(3), arg = new Int32Array(3);
    lowerEnvelope1d(Float64Array.of(0, 5, 0), 1, 0.5, u, arg);
    expect(Array.from(arg)).toEqual([0, 0, 2]);
    expect(u[1]).toBe(1);
  });
});

describe('hopfLax ≡ brute force (value and argmin, bit for bit)', () => {
  it.each(seeds)('1-D, 2-D, 3-D random f, uniform and integer-valued, seed %i', (seed) => {
    const rng = new Rng(seed);
    // [5, 6, 37]: strided axes wider than one sweep tile (16 columns), with a partial last tile.
    const grids = [Grid.uniform([[-1, 2]], [157]), Grid.uniform([[-1, 1], [0, 3]], [23, 29]), Grid.uniform([[0, 1], [-1, 1], [2, 3]], [7, 9, 8]), Grid.uniform([[0, 1], [-1, 1], [0, 2]], [5, 6, 37])];
    for (const grid of grids) {
      for (const integer of [false, true]) {
        const f = randomFunction(grid, rng, integer);
        const t = 0.01 + rng.uniform();
        const fast = hopfLax(f, t), brute = hopfLaxBrute(f, t);
        expect(Array.from(fast.u.data)).toEqual(Array.from(brute.u));
        expect(Array.from(fast.argmin)).toEqual(Array.from(brute.argmin));
        // prox[k] is the k-th coordinate of the argmin grid point.
        const p = rng.integer(grid.size);
        const y = grid.point(brute.argmin[p]);
        for (let k = 0; k < grid.ndim; k++) expect(fast.prox[k].data[p]).toBe(y[k]);
      }
    }
  });

  it.each(seeds)('boundaryHits with interior 0 = number of points whose brute-force minimiser has an index 0 or n − 1 on some axis, seed %i', (seed) => {
    const rng = new Rng(200 + seed);
    for (const grid of [Grid.uniform([[-1, 2]], [41]), Grid.uniform([[-1, 1], [0, 3]], [23, 29]), Grid.uniform([[0, 1], [-1, 1], [0, 2]], [5, 6, 37])]) {
      // Integer values and a long t put many minimisers on the faces.
      const f = randomFunction(grid, rng, true), t = 0.5 + 4 * rng.uniform();
      const brute = hopfLaxBrute(f, t);
      let expected = 0;
      for (let p = 0; p < grid.size; p++) {
        const index = grid.multiIndex(brute.argmin[p]);
        if (index.some((i, k) => i === 0 || i === grid.shape[k] - 1)) expected++;
      }
      expect(hopfLax(f, t, { interior: 0 }).boundaryHits).toBe(expected);
    }
  });

  it.each(seeds)('2-D 120×90 against the separable O(size·n) twin, seed %i', (seed) => {
    const rng = new Rng(100 + seed);
    const f = randomFunction(Grid.uniform([[-2, 2], [-1, 2]], [120, 90]), rng, seed % 2 === 0);
    const fast = hopfLax(f, 0.3), brute = hopfLaxBruteSeparable(f, 0.3);
    expect(Array.from(fast.u.data)).toEqual(Array.from(brute.u));
    expect(Array.from(fast.argmin)).toEqual(Array.from(brute.argmin));
  });
});

describe('hopfLax against the quadratic closed form ½xᵀAx (u = ½xᵀA(I+tA)⁻¹x, prox = (I+tA)⁻¹x)', () => {
  const cases: { name: string; A: number[][]; bounds: [number, number][]; shape: number[] }[] = [
    { name: '1-D', A: [[1]], bounds: [[-2, 2]], shape: [401] },
    { name: '2-D coupled', A: [[2, 0.5], [0.5, 1]], bounds: [[-2, 2], [-2, 2]], shape: [121, 101] },
    { name: '3-D', A: [[1, 0.2, 0], [0.2, 2, 0.3], [0, 0.3, 0.5]], bounds: [[-1, 1], [-1, 1], [-1, 1]], shape: [31, 29, 33] },
  ];
  it.each(cases)('$name: value, prox and gradient within the mesh bounds', ({ A, bounds, shape }) => {
    const t = 0.37, grid = Grid.uniform(bounds, shape), d = grid.ndim;
    const exact = quadraticRelaxation({ A }, { t });
    const f = grid.sample((...x: number[]) => { let s = 0; for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += 0.5 * x[i] * A[i][j] * x[j]; return s; });
    const { u, prox } = hopfLax(f, t);
    // Prox objective φ(y) = f(y) + |x−y|²/(2t) has Hessian H = A + I/t with eigenvalues in [λmin, λmax].
    // The grid point nearest y* is within δ with |δ_k| ≤ h_k/2: 0 ≤ u − u* ≤ λmax Σ h_k²/8, and
    // ½λmin|y_q − y*|² ≤ φ(y_q) − φ* gives |y_q − y*| ≤ √(λmax/λmin · Σ h_k²/4).
    const eig = symmetricEigenBounds(A.map((row, i) => row.map((a, j) => a + (i === j ? 1 / t : 0))));
    const sumH2 = grid.spacing.reduce((s, h) => s + h * h, 0);
    const tolU = (eig.max * sumH2) / 8 + 1e-13;
    const tolY = Math.sqrt((eig.max / eig.min) * sumH2 / 4) + 1e-13;
    const x = new Array<number>(d);
    let below = 0, above = -Infinity, proxErr = 0, gradErr = 0;
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      const ue = exact.value(x), ye = exact.prox(x), ge = exact.gradient(x);
      const err = u.data[p] - ue;
      below = Math.min(below, err); above = Math.max(above, err);
      let dist2 = 0;
      for (let k = 0; k < d; k++) dist2 += (prox[k].data[p] - ye[k]) ** 2;
      proxErr = Math.max(proxErr, Math.sqrt(dist2));
      for (let k = 0; k < d; k++) gradErr = Math.max(gradErr, Math.abs((x[k] - prox[k].data[p]) / t - ge[k]));
    }
    expect(below).toBeGreaterThanOrEqual(-1e-13); // the grid minimum cannot beat the continuous one
    expect(above).toBeLessThanOrEqual(tolU);
    expect(proxErr).toBeLessThanOrEqual(tolY);
    expect(gradErr).toBeLessThanOrEqual(tolY / t);
  });

  it('1-D: u converges to the closed form with measured order 2 (error ≈ (1 + 1/t)h²/8)', () => {
    const t = 0.37, exact = quadraticRelaxation({ A: [[1]] }, { t });
    const errs = [101, 201, 401, 801].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]);
      const { u } = hopfLax(grid.sample((x) => (x * x) / 2), t);
      let e = 0;
      grid.axis(0).forEach((x, i) => { e = Math.max(e, Math.abs(u.data[i] - exact.value([x]))); });
      return e;
    });
    const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    expect(Math.min(...orders)).toBeGreaterThan(1.8);
    expect(Math.max(...orders)).toBeLessThan(2.2);
  });

  it('parabolic prox refinement is exact (to rounding) for a coupled 2-D quadratic', () => {
    const t = 0.37, A = [[2, 0.5], [0.5, 1]], exact = quadraticRelaxation({ A }, { t });
    const grid = Grid.uniform([[-2, 2], [-2, 2]], [81, 61]);
    const f = grid.sample((x, y) => x * x + 0.5 * x * y + 0.5 * y * y);
    const { prox, argmin } = hopfLax(f, t, { proxRefinement: 'parabolic' });
    const x = [0, 0];
    let checked = 0;
    for (let p = 0; p < grid.size; p++) {
      const q = grid.multiIndex(argmin[p]);
      if (q[0] === 0 || q[1] === 0 || q[0] === 80 || q[1] === 60) continue; // no neighbours: not refined
      grid.point(p, x);
      const ye = exact.prox(x);
      // Central differences are exact on quadratics; rounding of O(f/h²) terms: 1e-16·|f|/h² ≈ 1e-12.
      expect(Math.abs(prox[0].data[p] - ye[0])).toBeLessThan(1e-10);
      expect(Math.abs(prox[1].data[p] - ye[1])).toBeLessThan(1e-10);
      checked++;
    }
    expect(checked).toBeGreaterThan(grid.size / 2);
  });

  it('3-D: Hessian of u from the refined gradient field (x − prox)/t equals A(I+tA)⁻¹ (eigenvalues λ/(1+tλ))', () => {
    const t = 0.37, A = [[1, 0.2, 0], [0.2, 2, 0.3], [0, 0.3, 0.5]], exact = quadraticRelaxation({ A }, { t });
    const grid = Grid.uniform([[-1, 1], [-1, 1], [-1, 1]], [21, 21, 21]);
    const f = grid.sample((x, y, z) => 0.5 * (x * x + 2 * y * y + 0.5 * z * z) + 0.2 * x * y + 0.3 * y * z);
    const { prox } = hopfLax(f, t, { proxRefinement: 'parabolic' });
    const H = exact.hessian([0, 0, 0]);
    // The refined prox is exact (to ≈ 1e-12) and affine, so central differences of (x − prox)/t are exact up to rounding/h.
    const centre = grid.flatIndex([10, 10, 10]);
    for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) {
      const s = grid.strides[l], h = grid.spacing[l];
      const gradK = (p: number) => (grid.point(p)[k] - prox[k].data[p]) / t;
      expect(Math.abs((gradK(centre + s) - gradK(centre - s)) / (2 * h) - H[k][l])).toBeLessThan(1e-9);
    }
  });

  it('for f = y⁴/4 + y the discrete prox converges with order 1 and the parabolic one with order 2', () => {
    const t = 0.5;
    // Exact prox: y + t(y³ + 1) = x, solved by Newton (monotone in y).
    const proxExact = (x: number) => { let y = 0; for (let i = 0; i < 60; i++) y -= (y + t * (y ** 3 + 1) - x) / (1 + 3 * t * y * y); return y; };
    const errsFor = (refine: 'none' | 'parabolic') => [201, 401, 801, 1601].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]);
      const { prox } = hopfLax(grid.sample((y) => y ** 4 / 4 + y), t, { proxRefinement: refine });
      let e = 0;
      grid.axis(0).forEach((x, i) => { if (Math.abs(x) <= 1) e = Math.max(e, Math.abs(prox[0].data[i] - proxExact(x))); });
      return e;
    });
    const order = (errs: number[]) => Math.log2(errs[0] / errs[errs.length - 1]) / (errs.length - 1);
    expect(order(errsFor('none'))).toBeGreaterThan(0.9);
    expect(order(errsFor('parabolic'))).toBeGreaterThan(1.8);
  });
});

describe('Hopf–Lax properties (seeded random smooth-plus-noise f)', () => {
  const make = (seed: number) => {
    const rng = new Rng(seed), grid = Grid.uniform([[-2, 2], [-1.5, 1.5]], [61, 47]);
    const a = 1 + rng.uniform(), b = 3 * rng.uniform();
    const f = grid.sample((x, y) => a * x * x + y * y + Math.sin(b * x * y) + 0.1 * rng.normal());
    return { rng, grid, f };
  };
  it.each(seeds)('u ≤ f, min u = min f at the same point, and u decreases in t, seed %i', (seed) => {
    const { f } = make(seed);
    const u1 = hopfLax(f, 0.1).u, u2 = hopfLax(f, 0.4).u;
    let worst1 = -Infinity, worst2 = -Infinity;
    for (let p = 0; p < f.data.length; p++) {
      worst1 = Math.max(worst1, u1.data[p] - f.data[p]);
      worst2 = Math.max(worst2, u2.data[p] - u1.data[p]);
    }
    expect(worst1).toBeLessThanOrEqual(0);
    expect(worst2).toBeLessThanOrEqual(0);
    expect(u1.min()).toBe(f.min());
    expect(u1.data[f.argmin()]).toBe(f.min());
  });

  it.each(seeds)('constant shift: f + c gives u + c with the same prox, seed %i', (seed) => {
    const { f } = make(seed);
    const c = 3;
    const base = hopfLax(f, 0.2), shifted = hopfLax(f.map((v) => v + c), 0.2);
    // Rounding: each value is re-rounded once after adding c: ≤ 2 ulp of (|u| + c) ≈ 4e-15.
    expect(shifted.u.data).toBeAllclose(base.u.data.map((v) => v + c), { atol: 1e-14 });
    expect(Array.from(shifted.argmin)).toEqual(Array.from(base.argmin));
  });

  it.each(seeds)('translation: shifting f by m cells shifts u and prox by m cells away from the edges, seed %i', (seed) => {
    const rng = new Rng(seed), grid = Grid.uniform([[-3, 3]], [301]), h = grid.spacing[0], m = 7 + rng.integer(10);
    const g = (x: number) => x * x + 0.5 * Math.sin(5 * x);
    const f = grid.sample(g), fs = grid.sample((x) => g(x - m * h));
    const a = hopfLax(f, 0.3), b = hopfLax(fs, 0.3);
    for (let i = 60; i < 240; i++) {
      expect(b.argmin[i + m]).toBe(a.argmin[i] + m);
      // f samples agree only to rounding of x − m·h (≈ 1e-15·|g'|): compare values with that slack.
      expect(Math.abs(b.u.data[i + m] - a.u.data[i])).toBeLessThan(1e-13);
    }
  });

  it.each(seeds)('semiconcavity: u(x+h) + u(x−h) − 2u(x) ≤ h²/t along both axes, seed %i', (seed) => {
    const { grid, f } = make(seed);
    const t = 0.25, { u } = hopfLax(f, t);
    for (let k = 0; k < 2; k++) {
      const h = grid.spacing[k], s = grid.strides[k];
      let worst = -Infinity;
      for (let p = 0; p < grid.size; p++) {
        const i = Math.floor(p / s) % grid.shape[k];
        if (i === 0 || i === grid.shape[k] - 1) continue;
        worst = Math.max(worst, u.data[p + s] + u.data[p - s] - 2 * u.data[p]);
      }
      // u is a min of parabolas of curvature 1/t: the second difference is ≤ h²/t exactly; 1e-12 for rounding.
      expect(worst).toBeLessThanOrEqual((h * h) / t + 1e-12);
    }
  });
});

describe('hopfLax box-boundary diagnostics', () => {
  it('warns when the minimiser of interior points sits on the box boundary (f = y: prox = x − t leaves the box)', () => {
    const f = Grid.uniform([[-1, 1]], [201]).sample((y) => y);
    const r = hopfLax(f, 1);
    // Points of interest: x ∈ [−0.5, 0.5] (indices 50…150). The minimiser of y + (x − y)²/2 is x − 1, clipped at −1:
    // on the face for x ≤ 0 (at x = 0.01 the grid point −0.99 beats −1 by 5e-5), i.e. indices 50…100: 51 points.
    expect(r.boundaryHits).toBe(51);
    expect(r.warnings.join('\n')).toMatch(/hopfLax: the minimiser lies on the box boundary for \d+ point\(s\) of interest/);
    expect(() => hopfLax(f, 1, { strict: true })).toThrow(/minimiser lies on the box boundary/);
  });
  it('stays silent when the box holds every minimiser (f = y², prox = x/(1+2t))', () => {
    const r = hopfLax(Grid.uniform([[-1, 1]], [201]).sample((y) => y * y), 1, { strict: true });
    expect(r.warnings).toEqual([]);
    expect(r.boundaryHits).toBe(0);
  });
});

describe('hopfLax validation', () => {
  const f = Grid.uniform([[-1, 1]], [11]).sample((x) => x * x);
  it.each([
    [0, {}, /hopfLax: t must be finite and > 0; got 0\./],
    [-1, {}, /hopfLax: t must be finite and > 0; got -1\./],
    [NaN, {}, /hopfLax: t must be finite and > 0; got NaN\./],
    [Infinity, {}, /hopfLax: t must be finite and > 0; got Infinity\./],
    [1e308, {}, /hopfLax: t must be small enough that h²\/\(2t\) > 0 on axis 0/],
    [1, { maxBytes: 100 }, /hopfLax: memory must stay within maxBytes = 100 bytes; got a request for \d+ bytes/],
    [1, { backend: 'webgpu' }, /hopfLax: backend 'webgpu' runs WebGPU, which is asynchronous; call hopfLaxAsync/],
    [1, { backend: 'tpu' }, /hopfLax: backend must be one of 'cpu' \| 'gpu'/],
    [1, { proxRefinement: 'cubic' }, /hopfLax: proxRefinement must be 'none' \| 'parabolic'; got "cubic"\./],
    [1, { interior: 0.5 }, /hopfLax: interior must be in \[0, 0\.5\)/],
  ])('t = %s, options %j', (t, options, message) => {
    expect(() => hopfLax(f, t as number, options as never)).toThrow(message);
  });
  it('rejects non-finite samples, naming the point', () => {
    const data = f.data.slice(); data[3] = NaN;
    expect(() => hopfLax(new GridFunction(f.grid, data), 1)).toThrow(/hopfLax: f must be finite everywhere; got NaN at x = \[-0\.[34]\d*\] \(point 3\)\./);
    data[3] = Infinity;
    expect(() => hopfLax(new GridFunction(f.grid, data), 1)).toThrow(/got Infinity/);
  });
  it('rejects a non-GridFunction f with a TypeError', () => {
    expect(() => hopfLax([1, 2] as never, 1)).toThrow(TypeError);
  });
});

/** Bounds on the eigenvalues of a small symmetric matrix by Jacobi rotations (test helper). */
function symmetricEigenBounds(M: number[][]): { min: number; max: number } {
  const a = M.map((r) => [...r]), d = a.length;
  for (let sweep = 0; sweep < 50; sweep++) {
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) {
      if (Math.abs(a[p][q]) < 1e-300) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const tt = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(tt * tt + 1), s = tt * c;
      for (let k = 0; k < d; k++) { const akp = a[k][p], akq = a[k][q]; a[k][p] = c * akp - s * akq; a[k][q] = s * akp + c * akq; }
      for (let k = 0; k < d; k++) { const apk = a[p][k], aqk = a[q][k]; a[p][k] = c * apk - s * aqk; a[q][k] = s * apk + c * aqk; }
    }
  }
  const diag = a.map((r, i) => r[i]);
  return { min: Math.min(...diag), max: Math.max(...diag) };
}
