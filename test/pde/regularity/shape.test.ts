import { describe, expect, it } from 'vitest';
import { Grid } from '../../../src/grids/grid.js';
import { hopfLax } from '../../../src/pde/hopf-lax.js';
import { coleHopf } from '../../../src/pde/cole-hopf.js';
import { checkSemiconcavity } from '../../../src/pde/regularity/semiconcavity.js';
import { checkLipschitz } from '../../../src/pde/regularity/lipschitz.js';
import { checkMonotoneInTime } from '../../../src/pde/regularity/monotone-in-time.js';
import { checkComparison } from '../../../src/pde/regularity/comparison.js';
import { bruteColeHopf } from './twins.js';

const wiggly = 'x^2 + 1.5*sin(2*pi*x)';
const grid1 = Grid.uniform([[-3, 3]], [301]);
const grid2 = Grid.uniform([[-2, 2], [-2, 2]], [61, 61]);
const wiggly2 = (x: number, y: number): number => (x * x + y * y) / 2 + 0.3 * (Math.cos(3 * Math.PI * x) + Math.cos(3 * Math.PI * y));

describe('checkSemiconcavity (Δ²_z u/|z|² ≤ 1/t over lattice directions z, T5)', () => {
  const landscape = (x: number, y: number): number => (x * x + y * y) / 2 + 0.3 * x - 0.8 * Math.cos(3 * Math.PI * x) * Math.cos(3 * Math.PI * y) + 0.6;
  const gridL = Grid.uniform([[-1.5, 1.5], [-1.5, 1.5]], [121, 121]);
  /** max over integer z ≠ 0 with |z_k| ≤ r of zᵀHz/|z|² (h = 1 units: the grids below are square). */
  const latticeMax = (H: number[][], r: number): number => {
    let best = -Infinity;
    for (let a = -r; a <= r; a++) for (let b = -r; b <= r; b++) {
      if (a === 0 && b === 0) continue;
      best = Math.max(best, (H[0][0] * a * a + 2 * H[0][1] * a * b + H[1][1] * b * b) / (a * a + b * b));
    }
    return best;
  };

  it('passes for Hopf–Lax and Cole–Hopf in 1-D on a non-convex f whose curvature reaches 61 ≫ 1/t = 5', () => {
    const f = grid1.sample(wiggly), t = 0.2;
    const hl = checkSemiconcavity(hopfLax(f, t).u, { t }), ch = checkSemiconcavity(bruteColeHopf(f, t, 1), { t });
    expect(hl.pass).toBe(true);
    expect(ch.pass).toBe(true);
    expect(hl.bound).toBe(5);
    expect(hl.measured).toBeLessThanOrEqual(5 + 1e-9); // exact in 1-D
    expect(hl.details.directions).toBe(1);
  });

  it('passes in 2-D on the exact grid Hopf–Lax solution of a landscape with curvature 72 ≫ 1/t = 10, where λ_max of the centred Hessian overshoots', () => {
    const f = gridL.sample(landscape), t = 0.1;
    const r = checkSemiconcavity(hopfLax(f, t).u, { t, margin: 0.75 });
    expect(r.pass).toBe(true);
    // The bound is attained on the parabola pieces of the infimum, and exceeded only by rounding.
    expect(r.details.maxCurvature as number).toBeAllclose(10, { atol: 1e-9 });
    expect(r.details.directions).toBe(8); // axes, diagonals, (1, ±2), (2, ±1)
    // The 4-point mixed difference is the difference of the two diagonal second differences: unbounded at kinks.
    expect(r.details.maxEigenvalue as number).toBeGreaterThan(1 / t + 1);
    // f itself fails: its wells have curvature 1 + 0.8·9π² ≈ 72 (second differences at h = 0.025 slightly below).
    const rf = checkSemiconcavity(f, { t, margin: 0.75 });
    expect(rf.pass).toBe(false);
    expect(rf.measured).toBeGreaterThan(70);
  });

  it('passes in 2-D for Cole–Hopf (solver and brute-force twin) and fails once a sharp dip is added', () => {
    const t = 0.1, small = Grid.uniform([[-2, 2], [-2, 2]], [41, 41]).sample(wiggly2); // O(N²) twin: keep N small
    expect(checkSemiconcavity(bruteColeHopf(small, t, 4), { t }).pass).toBe(true);
    expect(checkLipschitz(bruteColeHopf(small, t, 4), small).pass).toBe(true);
    const u = coleHopf(gridL.sample(landscape), t, 20).u;
    const r = checkSemiconcavity(u, { t, margin: 0.75 });
    expect(r.pass).toBe(true);
    expect(r.measured).toBeLessThanOrEqual(10);
    // u − a·exp(−|x − c|²/(2σ²)), σ = 2h: the dip's axis second difference at c is a·2(1 − e^{−1/8})/h² = 0.2·376 ≈ 75,
    // far above 1/t − (u's own curvature ≥ −|D²u|) there.
    const c = [0.3, -0.2], a = 0.2, sigma = 0.05;
    const dipped = u.clone();
    for (let p = 0; p < gridL.size; p++) {
      const [x, y] = gridL.point(p);
      dipped.data[p] -= a * Math.exp(-((x - c[0]) ** 2 + (y - c[1]) ** 2) / (2 * sigma * sigma));
    }
    const rd = checkSemiconcavity(dipped, { t, margin: 0.75 });
    expect(rd.pass).toBe(false);
    expect(Math.hypot(rd.worst!.x[0] - c[0], rd.worst!.x[1] - c[1])).toBeLessThanOrEqual(2 * gridL.spacing[0]);
  });

  it('fails for u = f when f″ = 2 exceeds 1/t = 1, and measures quadratics exactly (max over the lattice directions of zᵀHz/|z|²)', () => {
    const f = grid1.sample('x^2');
    const r = checkSemiconcavity(f, { t: 1 });
    expect(r.pass).toBe(false);
    expect(r.measured).toBeAllclose(2, { atol: 1e-9 });
    // Hessian [[2, 1], [1, 0]]: λ_max = 1 + √2; the lattice directions see zᵀHz/|z|², e.g. 12/5 along (2, 1).
    const H = [[2, 1], [1, 0]], f2 = grid2.sample((x, y) => x * x + x * y);
    const r2 = checkSemiconcavity(f2, { t: 0.5 });
    expect(r2.measured).toBeAllclose(latticeMax(H, 2), { atol: 1e-9 });
    expect(latticeMax(H, 2)).toBe(12 / 5);
    expect(r2.pass).toBe(false); // 2.4 > 1/t = 2
    expect(r2.details.maxEigenvalue as number).toBeAllclose(1 + Math.SQRT2, { atol: 1e-9 });
    // Radius 1 (axes and diagonals) sees only max(2, 0, 2, 0) = 2 = 1/t: the finer direction set matters.
    expect(checkSemiconcavity(f2, { t: 0.5, radius: 1 }).measured).toBeAllclose(latticeMax(H, 1), { atol: 1e-9 });
    expect(checkSemiconcavity(f2, { t: 0.5, radius: 3 }).measured).toBeAllclose(latticeMax(H, 3), { atol: 1e-9 });
  });

  it('widens the tolerance by 4·valueError/|z|² for an approximate u', () => {
    const f = grid1.sample('x^2'), h = grid1.spacing[0];
    // f″ = 2 against 1/t = 1 fails; a sample error ε = h²/4 allows 4ε/h² = 1 more: 2 ≤ 1 + 1 + rounding.
    const r = checkSemiconcavity(f, { t: 1, valueError: (h * h) / 4 });
    expect(r.tolerance.value).toBeAllclose(1, { atol: 1e-9 });
    expect(r.tolerance.reason).toMatch(/valueError/);
    expect(r.pass).toBe(true);
  });

  it('rejects bad options', () => {
    expect(() => checkSemiconcavity(grid1.sample('x'), {} as never)).toThrow(/checkSemiconcavity: t must be finite and > 0; got undefined\./);
    expect(() => checkSemiconcavity(grid1.sample('x'), undefined as never)).toThrow(/t must be finite and > 0; got undefined/);
    expect(() => checkSemiconcavity(grid2.sample('x'), { t: 1, radius: 0 })).toThrow(/checkSemiconcavity: radius must be an integer in \[1, 8\]; got 0\./);
    expect(() => checkSemiconcavity(grid2.sample('x'), { t: 1, radius: 1.5 })).toThrow(/radius must be an integer in \[1, 8\]; got 1\.5/);
    expect(() => checkSemiconcavity(grid2.sample('x'), { t: 1, valueError: -1 })).toThrow(/checkSemiconcavity: valueError must be finite and ≥ 0; got -1\./);
    expect(() => checkSemiconcavity(Grid.uniform([[0, 1], [0, 1]], [11, 11]).sample('x'), { t: 1, radius: 6 })).toThrow(/checkSemiconcavity: margin must be small enough to leave interior points/);
  });
});

describe('checkLipschitz (sup|∇u| ≤ sup|∇f|)', () => {
  it('passes for Hopf–Lax and Cole–Hopf in 1-D and 2-D', () => {
    const f = grid1.sample(wiggly);
    expect(checkLipschitz(hopfLax(f, 0.2).u, f).pass).toBe(true);
    expect(checkLipschitz(bruteColeHopf(f, 0.2, 1), f).pass).toBe(true);
    const f2 = grid2.sample(wiggly2);
    expect(checkLipschitz(hopfLax(f2, 0.1).u, f2).pass).toBe(true);
  });

  it('fails for a "relaxation" that adds a ripple: u = x + 0.2 sin 5x has sup|u′| = 2 > sup|f′| = 1', () => {
    const f = grid1.sample('x'), u = grid1.sample('x + 0.2*sin(5*x)');
    const r = checkLipschitz(u, f);
    expect(r.pass).toBe(false);
    expect(r.bound).toBeAllclose(1, { atol: 1e-12 });
    expect(r.measured).toBeGreaterThan(1.9); // 1 + 0.2·5·cos ≈ 2 at the crest, O(h²) below it
  });
});

describe('checkMonotoneInTime (t ↦ u non-increasing, Hopf–Lax)', () => {
  it('passes for Hopf–Lax snapshots, in any order', () => {
    const f = grid1.sample(wiggly);
    const r = checkMonotoneInTime([0.4, 0.05, 0.2].map((t) => ({ t, u: hopfLax(f, t).u })));
    expect(r.pass).toBe(true);
  });

  it('fails for the viscous solution of a quadratic: u(0,t) = log(1 + t)/(2β) increases', () => {
    const f = Grid.uniform([[-4, 4]], [81]).sample('x^2/2'), beta = 2;
    const r = checkMonotoneInTime([0.5, 1].map((t) => ({ t, u: bruteColeHopf(f, t, beta) })));
    expect(r.pass).toBe(false);
    expect(r.measured).toBeAllclose((Math.log(2) - Math.log(1.5)) / (2 * beta), { atol: 1e-9 });
  });

  it('rejects bad snapshot lists', () => {
    const u = grid1.sample('x');
    expect(() => checkMonotoneInTime([{ t: 1, u }])).toThrow(/checkMonotoneInTime: snapshots.length must be ≥ 2; got 1\./);
    expect(() => checkMonotoneInTime([{ t: 1, u }, { t: 1, u }])).toThrow(/must be at distinct times/);
    expect(() => checkMonotoneInTime([{ t: 1, u }, { t: 2, u: grid2.sample('x') }])).toThrow(/must live on the grid of/);
    expect(() => checkMonotoneInTime('no' as never)).toThrow(TypeError);
  });
});

describe('checkComparison (f ≤ g ⇒ u_f ≤ u_g)', () => {
  const f = grid1.sample(wiggly), g = grid1.sample('x^2 + 1.5*sin(2*pi*x) + 0.3*exp(-x^2)');
  it('passes for Hopf–Lax and Cole–Hopf', () => {
    expect(checkComparison({ f, g, uf: hopfLax(f, 0.2).u, ug: hopfLax(g, 0.2).u }).pass).toBe(true);
    expect(checkComparison({ f, g, uf: bruteColeHopf(f, 0.2, 1), ug: bruteColeHopf(g, 0.2, 1) }).pass).toBe(true);
  });
  it('fails when the two relaxations come from different solvers (viscous offset above the non-viscous one)', () => {
    const r = checkComparison({ f, g, uf: bruteColeHopf(f, 0.2, 1), ug: hopfLax(g, 0.2).u });
    expect(r.pass).toBe(false);
  });
  it('rejects f ≰ g, naming the point', () => {
    expect(() => checkComparison({ f: g, g: f, uf: f, ug: g })).toThrow(/checkComparison: f must be ≤ g at every grid point; got "f = .* > g = .* at x = \[/);
  });
});
