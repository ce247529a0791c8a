import { describe, expect, it } from 'vitest';
import { Grid } from '../../../src/grids/grid.js';
import { hopfLax } from '../../../src/pde/hopf-lax.js';
import { coleHopf } from '../../../src/pde/cole-hopf.js';
import { solveHJ } from '../../../src/pde/solve-hj.js';
import { checkMinimaPreserved } from '../../../src/pde/regularity/minima-preserved.js';
import { checkLocalMinimaRemoved, countLocalMinima } from '../../../src/pde/regularity/local-minima.js';
import { checkHessianSpectrum } from '../../../src/pde/regularity/hessian-spectrum.js';
import { checkVanishingViscosity } from '../../../src/pde/regularity/vanishing-viscosity.js';
import { checkLocalEntropyPDE } from '../../../src/pde/regularity/local-entropy-pde.js';

const wiggly = 'x^2 + 1.5*sin(2*pi*x)';
const grid1 = Grid.uniform([[-3, 3]], [601]);

describe('checkMinimaPreserved (inf u = inf f, argmin kept: Hopf–Lax, T6)', () => {
  it('passes for Hopf–Lax; fails for the viscous solution, which shifts the minimiser', () => {
    const f = grid1.sample(wiggly);
    const hl = checkMinimaPreserved(hopfLax(f, 0.2).u, f);
    expect(hl.pass).toBe(true);
    expect(hl.details.minimiserShift).toBe(0);
    const ch = checkMinimaPreserved(coleHopf(f, 0.2, 1).u, f);
    expect(ch.pass).toBe(false);
    expect(ch.details.minimiserShift as number).toBeGreaterThan(0);
  });
  it('rejects different grids', () => {
    expect(() => checkMinimaPreserved(grid1.sample('x'), Grid.uniform([[-3, 3]], [11]).sample('x'))).toThrow(/checkMinimaPreserved: f must live on the grid of u/);
  });
});

describe('local minima before and after relaxation', () => {
  it('countLocalMinima finds the 6 minima of x² + 1.5 sin 2πx on [−3, 3], one per period', () => {
    // f′ = 2x + 3π cos 2πx: |2x| ≤ 6 < 3π on the box, so f′ has two roots per period and f one minimum per
    // period, each within a quarter period of x = k − 1/4 (k = −2…3) where sin 2πx = −1; the ends are not minima.
    const minima = countLocalMinima(grid1.sample(wiggly));
    expect(minima.count).toBe(6);
    minima.points.forEach((x, i) => expect(Math.abs(x[0] - (i - 2.25))).toBeLessThan(0.25));
  });
  it('1-D viscous relaxation removes local minima (Sturm), Hopf–Lax too; a rippled u fails', () => {
    const f = grid1.sample(wiggly);
    const ch = checkLocalMinimaRemoved(coleHopf(f, 0.2, 1).u, f);
    expect(ch.pass).toBe(true);
    expect(ch.details.removed as number).toBeGreaterThan(0);
    expect(checkLocalMinimaRemoved(hopfLax(f, 0.2).u, f).pass).toBe(true);
    const rippled = grid1.sample('x^2 + 1.5*sin(2*pi*x) + 0.2*sin(20*x)');
    expect(checkLocalMinimaRemoved(rippled, f).pass).toBe(false);
  });
  it('counts an exact plateau minimum once', () => {
    const plateau = Grid.uniform([[-1, 1]], [21]).sample((x) => Math.max(Math.abs(x) - 0.3, 0));
    expect(countLocalMinima(plateau).count).toBe(1);
  });
});

describe('checkHessianSpectrum (λ ↦ λ/(1 + tλ) and (1/t)(I − (β/t)Cov), T4/T8)', () => {
  it('Hopf–Lax, 2-D quadratic with a non-diagonal Hessian: eigenvalues map exactly', () => {
    const grid = Grid.uniform([[-2, 2], [-2, 2]], [201, 201]);
    const f = grid.sample((x, y) => 0.5 * (3 * x * x + 2 * x * y + y * y));
    const r = checkHessianSpectrum(hopfLax(f, 0.5).u, f, { t: 0.5 });
    expect(r.pass).toBe(true);
    const lambda = [2 - Math.SQRT2, 2 + Math.SQRT2]; // eigenvalues of [[3, 1], [1, 1]]
    expect(r.details.predicted).toBeAllclose(lambda.map((l) => l / (1 + 0.5 * l)), { atol: 1e-9 });
  });
  it('viscous, 1-D non-convex f: the Hessian at the minimiser equals (1/t)(1 − (β/t)Var), and widening > 1', () => {
    const f = grid1.sample(wiggly);
    const r = checkHessianSpectrum(coleHopf(f, 0.2, 1).u, f, { t: 0.2, beta: 1 });
    expect(r.pass).toBe(true);
    expect((r.details.widening as number[])[0]).toBeGreaterThan(1);
  });
  it('fails when u is the relaxation at another t', () => {
    const grid = Grid.uniform([[-2, 2]], [401]), f = grid.sample('x^2');
    expect(checkHessianSpectrum(hopfLax(f, 0.25).u, f, { t: 0.5 }).pass).toBe(false);
    expect(checkHessianSpectrum(coleHopf(f, 0.25, 2).u, f, { t: 0.5, beta: 2 }).pass).toBe(false);
  });
  it('rejects a point too close to the box, a missing t, 1 + tλ ≤ 0', () => {
    const grid = Grid.uniform([[-2, 2]], [401]), f = grid.sample('-x^2');
    expect(() => checkHessianSpectrum(f, f, { t: 0.5, at: [1.99] })).toThrow(/checkHessianSpectrum: at must be at least 16 cells/);
    expect(() => checkHessianSpectrum(f, f, {} as never)).toThrow(/checkHessianSpectrum: t must be finite and > 0; got undefined\./);
    expect(() => checkHessianSpectrum(f, f, { t: 1, at: [0] })).toThrow(/such that 1 \+ tλ > 0/);
  });
});

describe('checkVanishingViscosity (u_β → u_∞, T13)', () => {
  const t = 0.5, grid = Grid.uniform([[-3, 3]], [601]); // h = 0.01 resolves √(t/β) ≥ 0.079
  it('smooth f with nondegenerate minimisers: observed order ≈ 1 in 1/β', () => {
    const f = grid.sample('x^2/2 + 0.2*cos(2*x)');
    const series = [20, 40, 80].map((beta) => ({ beta, u: coleHopf(f, t, beta).u }));
    const r = checkVanishingViscosity(series, hopfLax(f, t).u, { margin: 1.5 });
    expect(r.pass).toBe(true);
    expect(r.measured).toBeGreaterThan(0.9);
  });
  it('kinked f = |x|: the O(log β/β) rate, still accepted', () => {
    const f = grid.sample('abs(x)');
    const series = [20, 40, 80].map((beta) => ({ beta, u: coleHopf(f, t, beta).u }));
    const r = checkVanishingViscosity(series, hopfLax(f, t).u, { margin: 1.5 });
    expect(r.pass).toBe(true);
    expect(r.measured).toBeLessThan(1); // slower than 1/β
  });
  it('fails against the wrong limit (Hopf–Lax at another t)', () => {
    const f = grid.sample('x^2/2');
    const series = [20, 40, 80].map((beta) => ({ beta, u: coleHopf(f, t, beta).u }));
    expect(checkVanishingViscosity(series, hopfLax(f, 0.4).u, { margin: 1.5 }).pass).toBe(false);
  });
  it('rejects fewer than two β and infinite β', () => {
    const u = grid.sample('x');
    expect(() => checkVanishingViscosity([{ beta: 1, u }], u)).toThrow(/checkVanishingViscosity: series.length must be ≥ 2; got 1\./);
    expect(() => checkVanishingViscosity([{ beta: 1, u }, { beta: Infinity, u }], u)).toThrow(/series\[1\]\.beta must be finite and > 0; got Infinity\./);
  });
});

describe('checkLocalEntropyPDE (finite differences → Cole–Hopf, T1)', () => {
  const f = Grid.uniform([[-3, 3]], [401]).sample(wiggly);
  it('the Godunov solve converges to the Cole–Hopf local entropy (order ≥ ½; ≈ 1 measured)', () => {
    const r = checkLocalEntropyPDE(f, { t: 0.2, beta: 1 });
    expect(r.pass).toBe(true);
    expect((r.details.errors as number[])[2]).toBeLessThan((r.details.errors as number[])[0]);
  });
  it('fails for a solver of the wrong equation (β doubled)', () => {
    expect(checkLocalEntropyPDE(f, { t: 0.2, beta: 1, solver: (g) => solveHJ(g, { t: 0.2, beta: 2 }).u }).pass).toBe(false);
  });
  it('rejects a grid that cannot be subsampled, and missing β', () => {
    expect(() => checkLocalEntropyPDE(Grid.uniform([[-3, 3]], [400]).sample('x'), { t: 0.2, beta: 1 })).toThrow(/checkLocalEntropyPDE: f\.grid\.shape\[0\] must be such that shape − 1 is a multiple of 2\^\(levels − 1\) = 4/);
    expect(() => checkLocalEntropyPDE(f, { t: 0.2 } as never)).toThrow(/checkLocalEntropyPDE: beta must be finite and > 0; got undefined\./);
  });
});
