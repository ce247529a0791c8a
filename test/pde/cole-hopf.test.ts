import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { GridFunction } from '../../src/grids/grid-function.js';
import { Rng } from '../../src/util/random.js';
import { coleHopf } from '../../src/pde/cole-hopf.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { quadraticRelaxation, l1Relaxation, boxIndicatorRelaxation, linearRelaxation } from '../../src/pde/exact.js';
import { coleHopfBrute } from '../reference/cole-hopf-brute.js';

const seeds = [1, 2, 3];

function pickPoints(size: number, count: number, rng: Rng): number[] {
  const pts = [0, size - 1];
  for (let i = 0; i < count; i++) pts.push(rng.integer(size));
  return pts;
}

describe('coleHopf ≡ non-separable brute-force quadrature', () => {
  const cases = [
    { shape: [201], bounds: [[-2, 2]], beta: 1, t: 0.5 },
    { shape: [201], bounds: [[-2, 2]], beta: 100, t: 0.3 },
    { shape: [41, 37], bounds: [[-2, 2], [-1.5, 1.5]], beta: 10, t: 0.4 },
    { shape: [11, 12, 10], bounds: [[-1, 1], [-1, 1], [-1, 1]], beta: 3, t: 0.2 },
  ];
  it.each(seeds.flatMap((seed) => cases.map((c) => ({ ...c, seed }))))('$shape.length-D β=$beta, seed $seed: u, mean, covariance, boundary mass', ({ shape, bounds, beta, t, seed }) => {
    const rng = new Rng(seed), grid = Grid.uniform(bounds as [number, number][], shape);
    const a = rng.uniform() + 0.5, w = 1 + 3 * rng.uniform();
    // Smooth + rough: the Gibbs mass moves away from x and reaches the box edge for some points.
    const f = grid.sample((...x: number[]) => a * x.reduce((s, v) => s + v * v, 0) + Math.sin(w * x[0] + 1) + 0.3 * rng.uniform());
    const out = coleHopf(f, t, beta, { hessian: true });
    const pts = pickPoints(grid.size, 25, rng);
    const ref = coleHopfBrute(f, t, beta, pts);
    const d = grid.ndim;
    pts.forEach((p, i) => {
      // Truncation ≤ 1e-14 relative; rounding of sums of ≤ 1e4 positive terms ≈ 1e-13 relative ⇒ |Δu| ≤ 1e-13/β + 1e-14|u|.
      expect(Math.abs(out.u.data[p] - ref[i].u)).toBeLessThanOrEqual(1e-13 / beta + 1e-14 * Math.abs(ref[i].u) + 1e-14);
      for (let k = 0; k < d; k++) {
        // Twin sums raw coordinates (|y| ≤ 2): its rounding ≈ 1e-13·|y|.
        expect(Math.abs(out.mean[k].data[p] - ref[i].mean[k])).toBeLessThanOrEqual(5e-13);
        for (let l = 0; l < d; l++) expect(Math.abs(out.covariance![k][l].data[p] - ref[i].cov[k][l])).toBeLessThanOrEqual(5e-12);
      }
      expect(Math.abs(out.boundaryMass.data[p] - ref[i].boundary)).toBeLessThanOrEqual(1e-12 * ref[i].boundary + 1e-15);
    });
  });
});

describe('coleHopf stability (log domain)', () => {
  it('β = 1000 with f ≈ 100: naive exp(−βf) underflows to 0, ours matches the closed form', () => {
    const t = 0.5, beta = 1000, grid = Grid.uniform([[-1, 1]], [201]);
    const f = grid.sample((x) => 100 + (x * x) / 2);
    expect(f.data.every((v) => Math.exp(-beta * v) === 0)).toBe(true); // e^{−1e5}: the naive route has nothing left
    const out = coleHopf(f, t, beta, { interior: 0.25 });
    const exact = quadraticRelaxation({ A: [[1]], c: 100 }, { t, beta });
    // Gibbs std √(t/(β(1+t))) = 0.018 vs h = 0.01: lattice (Poisson) error 2e^{−2π²(0.018/0.01)²} ≈ 1e-28; box cut-off at |x| ≤ 0.5: > 25 std.
    grid.axis(0).forEach((x, i) => {
      if (Math.abs(x) > 0.5) return;
      expect(Math.abs(out.u.data[i] - exact.value([x]))).toBeLessThan(1e-12);
      expect(Math.abs(out.mean[0].data[i] - exact.prox([x])[0])).toBeLessThan(1e-12);
    });
    expect(out.warnings).toEqual([]);
  });

  it('fast path and log-sum-exp agree (β = 100, range 50: fast); β = 1000 on [-2, 2] takes the log-sum-exp path', () => {
    const grid = Grid.uniform([[-2, 2], [-2, 2]], [81, 81]);
    const f = grid.sample((x, y) => (x * x + y * y) / 4 + 0.2 * Math.cos(3 * x * y));
    const fast = coleHopf(f, 0.5, 100), lse = coleHopf(f, 0.5, 100, { summation: 'log-sum-exp' });
    expect(fast.stats.lseLines).toBe(0);
    expect(lse.stats.fastLines).toBe(0);
    // Same sums in a different order and scaling: rounding ≈ 1e-15 relative in the mass ⇒ 1e-15/β in u.
    expect(fast.u.data).toBeAllclose(lse.u.data, { atol: 1e-14 });
    expect(fast.mean[0].data).toBeAllclose(lse.mean[0].data, { atol: 1e-13 });
    const steep = Grid.uniform([[-2, 2]], [1001]).sample((x) => (x * x) / 2);
    expect(coleHopf(steep, 0.5, 1000).stats.lseLines).toBe(1);
  });

  it('finds the Gibbs mass far from x (f = 5y, β = 400: ⟨y⟩ = x − 5t, 50σ away) — the window follows the mode', () => {
    const t = 0.2, beta = 400, grid = Grid.uniform([[-3, 3]], [1201]);
    const out = coleHopf(grid.sample((y) => 5 * y), t, beta);
    const exact = linearRelaxation({ a: [5] }, { t, beta });
    grid.axis(0).forEach((x, i) => {
      if (x < -0.5 || x > 1.5) return; // the Gibbs measure N(x − 1, t/β) lies inside the box
      expect(Math.abs(out.u.data[i] - exact.value([x]))).toBeLessThan(1e-12);
      expect(Math.abs(out.mean[0].data[i] - exact.prox([x])[0])).toBeLessThan(1e-12);
    });
  });

  it('grows the window to a second, distant mode (symmetric double well, β = 400): matches the brute twin', () => {
    const t = 0.2, beta = 400, grid = Grid.uniform([[-2, 2]], [401]);
    // Wells at ±1 of equal depth: at x ≈ 0 the Gibbs measure has two modes ≈ 1.7 apart, the window 2·10σ ≈ 0.45 wide.
    const f = grid.sample((y) => Math.min((y - 1) ** 2, (y + 1) ** 2));
    const out = coleHopf(f, t, beta);
    expect(out.stats.widenedPoints).toBeGreaterThan(0);
    const pts = [190, 195, 200, 203, 210];
    const ref = coleHopfBrute(f, t, beta, pts);
    pts.forEach((p, i) => {
      expect(Math.abs(out.u.data[p] - ref[i].u)).toBeLessThan(1e-13);
      expect(Math.abs(out.mean[0].data[p] - ref[i].mean[0])).toBeLessThan(1e-12);
    });
  });
});

describe('coleHopf against closed forms', () => {
  it.each([
    { name: '1-D', A: [[1]], bounds: [[-4, 4]], shape: [321], beta: 10, t: 0.5 },
    { name: '2-D coupled', A: [[2, 0.5], [0.5, 1]], bounds: [[-3, 3], [-3, 3]], shape: [121, 121], beta: 10, t: 0.5 },
  ])('$name quadratic: u (with (1/2β) log det(I+tA)), mean, gradient and Hessian A(I+tA)⁻¹', ({ A, bounds, shape, beta, t }) => {
    const grid = Grid.uniform(bounds as [number, number][], shape), d = grid.ndim;
    const f = grid.sample((...x: number[]) => { let s = 0; for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) s += 0.5 * x[i] * A[i][j] * x[j]; return s; });
    const out = coleHopf(f, t, beta, { hessian: true, strict: true });
    const exact = quadraticRelaxation({ A }, { t, beta });
    // Lattice error ≤ 2e^{−2π² s²/h²} with s² ≥ (t/β)/(1+tλmax) ≥ 0.024 and h = 0.05: e^{−190}; the box holds > 9 std.
    // What remains is rounding: ≈ 1e-14 in u, mean; Hessian = (β/t²)·Cov amplifies Cov rounding (≈ 1e-15) by 40.
    const x = new Array<number>(d);
    const H = exact.hessian(x);
    let eu = 0, em = 0, eg = 0, eh = 0;
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      if (x.some((v) => Math.abs(v) > (bounds[0][1] as number) / 2)) continue;
      eu = Math.max(eu, Math.abs(out.u.data[p] - exact.value(x)));
      const m = exact.prox(x), g = exact.gradient(x);
      for (let k = 0; k < d; k++) {
        em = Math.max(em, Math.abs(out.mean[k].data[p] - m[k]));
        eg = Math.max(eg, Math.abs((x[k] - out.mean[k].data[p]) / t - g[k]));
        for (let l = 0; l < d; l++) eh = Math.max(eh, Math.abs(out.hessian![k][l].data[p] - H[k][l]));
      }
    }
    expect(eu).toBeLessThan(1e-12);
    expect(em).toBeLessThan(1e-12);
    expect(eg).toBeLessThan(1e-11);
    expect(eh).toBeLessThan(1e-10);
  });

  it('3-D quadratic: u and mean', () => {
    const A = [[1, 0.2, 0], [0.2, 2, 0.3], [0, 0.3, 0.5]], t = 0.5, beta = 20;
    const grid = Grid.uniform([[-2, 2], [-2, 2], [-2, 2]], [51, 51, 51]);
    const f = grid.sample((x, y, z) => 0.5 * (x * x + 2 * y * y + 0.5 * z * z) + 0.2 * x * y + 0.3 * y * z);
    const out = coleHopf(f, t, beta, { interior: 0.3, strict: true });
    const exact = quadraticRelaxation({ A }, { t, beta });
    // s² ≥ 0.025/(1 + 0.5·2.1) ≈ 0.012, h = 0.08: lattice error e^{−2π²·0.012/0.0064} ≈ 1e-16; |x| ≤ 0.8 leaves ≥ 7 std to the edge.
    const x = [0, 0, 0];
    let eu = 0, em = 0;
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      if (x.some((v) => Math.abs(v) > 0.8)) continue;
      eu = Math.max(eu, Math.abs(out.u.data[p] - exact.value(x)));
      const m = exact.prox(x);
      for (let k = 0; k < 3; k++) em = Math.max(em, Math.abs(out.mean[k].data[p] - m[k]));
    }
    expect(eu).toBeLessThan(1e-11);
    expect(em).toBeLessThan(1e-11);
  });

  it('|x|: the erfc closed form is reached with measured order 2 (kink at a grid point: Euler–Maclaurin h²)', () => {
    const t = 0.5, beta = 4, exact = l1Relaxation({ t, beta });
    const errs = [81, 161, 321, 641].map((n) => {
      const grid = Grid.uniform([[-6, 6]], [n]);
      const out = coleHopf(grid.sample((y) => Math.abs(y)), t, beta);
      let e = 0;
      grid.axis(0).forEach((x, i) => { if (Math.abs(x) <= 2) e = Math.max(e, Math.abs(out.u.data[i] - exact.value([x])), Math.abs(out.mean[0].data[i] - exact.prox([x])[0])); });
      return e;
    });
    const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    expect(Math.min(...orders)).toBeGreaterThan(1.8);
    expect(Math.max(...orders)).toBeLessThan(2.2);
  });

  it('|x| Hessian from the Gibbs variance matches the closed form (sech² · Mills ratios) to O(h²)', () => {
    const t = 0.5, beta = 4, exact = l1Relaxation({ t, beta });
    const errs = [321, 641].map((n) => {
      const grid = Grid.uniform([[-6, 6]], [n]);
      const out = coleHopf(grid.sample((y) => Math.abs(y)), t, beta, { hessian: true });
      let e = 0;
      grid.axis(0).forEach((x, i) => { if (Math.abs(x) <= 2) e = Math.max(e, Math.abs(out.hessian![0][0].data[i] - exact.hessian([x])[0][0])); });
      return e;
    });
    expect(errs[1]).toBeLessThan(errs[0] / 3.5); // order ≥ 1.8
    expect(errs[1]).toBeLessThan(1e-3);
  });

  it('box indicator [−1, 1] (f = 0 inside, 1e6 outside): truncated-normal closed form, measured order 1 (jump in e^{−βf})', () => {
    // ±1 on the grid for every n below: the lattice sum counts the jump cells fully instead of half, an O(h) error.
    const t = 0.3, beta = 5, exact = boxIndicatorRelaxation({ lower: [-1], upper: [1] }, { t, beta });
    const errs = [121, 241, 481, 961].map((n) => {
      const grid = Grid.uniform([[-3, 3]], [n]);
      const out = coleHopf(grid.sample((y) => (Math.abs(y) <= 1 + 1e-9 ? 0 : 1e6)), t, beta);
      let e = 0;
      grid.axis(0).forEach((x, i) => { if (Math.abs(x) <= 1.5) e = Math.max(e, Math.abs(out.u.data[i] - exact.value([x]))); });
      return e;
    });
    const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    expect(Math.min(...orders)).toBeGreaterThan(0.9);
    expect(Math.max(...orders)).toBeLessThan(1.1);
  });
});

describe('coleHopf limits and invariances', () => {
  it('β → ∞ tends to the grid Hopf–Lax solution with measured rate ≥ 1 in β', () => {
    const grid = Grid.uniform([[-2, 2]], [201]), t = 0.4;
    const f = grid.sample((y) => y * y + 0.5 * Math.sin(4 * y));
    const hl = hopfLax(f, t).u;
    const errs = [1e2, 1e3, 1e4, 1e5].map((beta) => {
      const u = coleHopf(f, t, beta, { allowUnresolved: true }).u;
      let e = 0;
      for (let i = 50; i <= 150; i++) e = Math.max(e, Math.abs(u.data[i] - hl.data[i]));
      return e;
    });
    const rates = errs.slice(1).map((e, i) => Math.log10(errs[i] / e));
    expect(Math.min(...rates)).toBeGreaterThan(0.9);
  });

  it('grid too coarse for √(t/β) warns (not throws) with allowUnresolved', () => {
    const f = Grid.uniform([[-1, 1]], [21]).sample((y) => y * y);
    expect(coleHopf(f, 0.1, 1e4, { allowUnresolved: true }).warnings.join()).toMatch(/grid spacing on axis 0 must be ≤ √\(t\/β\)/);
  });

  it.each(seeds)('f + c gives u + c and the same mean; shifting f by m cells shifts u, seed %i', (seed) => {
    const rng = new Rng(seed), grid = Grid.uniform([[-3, 3]], [301]), m = 5 + rng.integer(10), h = grid.spacing[0];
    const g = (y: number) => y * y + 0.5 * Math.sin(5 * y + rng.uniform());
    const phase = rng.uniform();
    const gg = (y: number) => y * y + 0.5 * Math.sin(5 * y + phase);
    const f = grid.sample(gg), beta = 20, t = 0.3;
    const a = coleHopf(f, t, beta), b = coleHopf(f.map((v) => v + 7), t, beta);
    expect(b.u.data).toBeAllclose(a.u.data.map((v) => v + 7), { atol: 1e-13 });
    expect(b.mean[0].data).toBeAllclose(a.mean[0].data, { atol: 1e-13 });
    const s = coleHopf(grid.sample((y) => gg(y - m * h)), t, beta);
    for (let i = 75; i < 225; i++) expect(Math.abs(s.u.data[i + m] - a.u.data[i])).toBeLessThan(1e-12);
    void g;
  });
});

describe('coleHopf diagnostics and validation', () => {
  it('warns when the Gibbs mass reaches the box boundary (f = y, ⟨y⟩ = x − t leaves [-1, 1]); strict throws', () => {
    const f = Grid.uniform([[-1, 1]], [201]).sample((y) => y);
    const r = coleHopf(f, 1, 10);
    expect(r.warnings.join('\n')).toMatch(/coleHopf: Gibbs mass on the box boundary exceeds boundaryTol = 1e-10 at \d+ point\(s\) of interest/);
    expect(() => coleHopf(f, 1, 10, { strict: true })).toThrow(/Gibbs mass on the box boundary/);
  });

  const f = Grid.uniform([[-1, 1]], [201]).sample((y) => y * y);
  it.each([
    [0, 1, {}, /coleHopf: t must be finite and > 0; got 0\./],
    [-2, 1, {}, /coleHopf: t must be finite and > 0; got -2\./],
    [1, 0, {}, /coleHopf: beta must be finite and > 0 \(use hopfLax for beta = Infinity\); got 0\./],
    [1, -1, {}, /beta must be finite and > 0.*got -1\./],
    [1, NaN, {}, /beta must be finite and > 0.*got NaN\./],
    [1, Infinity, {}, /use hopfLax for beta = Infinity\); got Infinity\./],
    [0.01, 1000, {}, /coleHopf: grid spacing on axis 0 must be ≤ √\(t\/β\) = 0\.00316228 to resolve the Gaussian kernel; got h = 0\.0100000\. Use at least 634 points on axis 0/],
    [1, 1, { maxBytes: 1000 }, /coleHopf: memory must stay within maxBytes = 1000 bytes/],
    [1, 1, { backend: 'webasm', hessian: true }, /coleHopf: hessian must be false on a gpu\.js backend \(use backend 'cpu'\)/],
    [1, 1, { backend: 'webgpu' }, /coleHopf: backend 'webgpu' runs WebGPU, which is asynchronous; call coleHopfAsync/],
    [1, 1, { radius: 2 }, /coleHopf: radius must be finite and ≥ 3/],
    [1, 1, { summation: 'naive' }, /coleHopf: summation must be 'auto' \| 'log-sum-exp'/],
    [1, 1, { truncationTol: 0 }, /coleHopf: truncationTol must be in \(0, 1\)/],
    [1e-200, 1e200, { allowUnresolved: true }, /coleHopf: t\/beta must be > 0 \(the kernel variance underflows\); got 0\./],
    [1, 1, { boundaryTol: -1 }, /coleHopf: boundaryTol must be > 0; got -1\./],
    [1, 1, { interior: -0.1 }, /coleHopf: interior must be in \[0, 0\.5\)/],
  ])('t = %s, beta = %s, %j', (t, beta, options, message) => {
    expect(() => coleHopf(f, t as number, beta as number, options as never)).toThrow(message);
  });
  it('rejects non-finite samples', () => {
    const data = f.data.slice(); data[10] = -Infinity;
    expect(() => coleHopf(new GridFunction(f.grid, data), 1, 1)).toThrow(/coleHopf: f must be finite everywhere; got -Infinity at x = \[-0\.9\d*\] \(point 10\)/);
  });
});
