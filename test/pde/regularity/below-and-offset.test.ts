import { describe, expect, it } from 'vitest';
import { Grid } from '../../../src/grids/grid.js';
import { hopfLax } from '../../../src/pde/hopf-lax.js';
import { checkBelowInitial } from '../../../src/pde/regularity/below-initial.js';
import { checkQuadraticOffset } from '../../../src/pde/regularity/quadratic-offset.js';
import { checkJensen } from '../../../src/pde/regularity/jensen.js';
import { bruteColeHopf, bruteHeat } from './twins.js';

const wiggly = 'x^2 + 1.5*sin(2*pi*x)';

describe('checkBelowInitial (u ≤ f, T6)', () => {
  it('passes for Hopf–Lax on a non-convex f, with u − f ≤ 0 exactly', () => {
    const f = Grid.uniform([[-3, 3]], [301]).sample(wiggly);
    const r = checkBelowInitial(hopfLax(f, 0.2).u, f);
    expect(r.pass).toBe(true);
    expect(r.measured).toBeLessThanOrEqual(0);
    expect(r.name).toBe('below-initial');
  });

  it('fails for the viscous solution of a quadratic: u(0) − f(0) = log(1 + t)/(2β) > 0', () => {
    const f = Grid.uniform([[-4, 4]], [161]).sample('x^2/2');
    const t = 1, beta = 2, r = checkBelowInitial(bruteColeHopf(f, t, beta), f);
    expect(r.pass).toBe(false);
    expect(r.worst?.x[0]).toBeCloseTo(0, 12);
    expect(r.measured).toBeAllclose(Math.log(1 + t) / (2 * beta), { atol: 1e-9 });
  });

  it('rejects functions on different grids and non-GridFunctions', () => {
    const f = Grid.uniform([[-1, 1]], [11]).sample('x'), g = Grid.uniform([[-1, 1]], [12]).sample('x');
    expect(() => checkBelowInitial(g, f)).toThrow(/checkBelowInitial: f must live on the grid of u; got Grid\(\[-1, 1\], shape \[11\]\), expected Grid\(\[-1, 1\], shape \[12\]\)\./);
    expect(() => checkBelowInitial([1] as never, f)).toThrow(TypeError);
    expect(() => checkBelowInitial(f, f, { margin: 5 })).toThrow(/margin must be small enough to leave interior points/);
  });
});

describe('checkQuadraticOffset (viscous u ≤ f fails by (1/2β) log det(I + tA), T6)', () => {
  it('1-D: measured max(u − f) equals log(1 + ta)/(2β) for the exact grid Cole–Hopf sum', () => {
    const f = Grid.uniform([[-4, 4]], [161]).sample('1.5*x^2/2');
    const r = checkQuadraticOffset(bruteColeHopf(f, 1, 2), { A: [[1.5]], t: 1, beta: 2 });
    expect(r.pass).toBe(true);
    expect(r.bound).toBeAllclose(Math.log(2.5) / 4, { atol: 1e-15 });
    expect(r.details.violatesBelowInitial).toBe('yes');
  });

  it('2-D with a non-diagonal A: offset (1/2β) log det(I + tA)', () => {
    const A = [[2, 0.6], [0.6, 1]], t = 0.5, beta = 3;
    const f = Grid.uniform([[-3, 3], [-3, 3]], [31, 31]).sample((x, y) => 0.5 * (2 * x * x + 1.2 * x * y + y * y));
    const r = checkQuadraticOffset(bruteColeHopf(f, t, beta), { A, t, beta });
    const det = (1 + t * 2) * (1 + t * 1) - (t * 0.6) ** 2;
    expect(r.bound).toBeAllclose(Math.log(det) / (2 * beta), { atol: 1e-15 });
    expect(r.pass).toBe(true);
  });

  it('fails for the Hopf–Lax solution (no offset) and for a wrong β', () => {
    const f = Grid.uniform([[-4, 4]], [161]).sample('x^2/2');
    expect(checkQuadraticOffset(hopfLax(f, 1).u, { A: [[1]], t: 1, beta: 2 }).pass).toBe(false);
    expect(checkQuadraticOffset(bruteColeHopf(f, 1, 4), { A: [[1]], t: 1, beta: 2 }).pass).toBe(false);
  });

  it('rejects bad A, t and β', () => {
    const u = Grid.uniform([[-1, 1]], [11]).sample('x^2');
    expect(() => checkQuadraticOffset(u, { A: [[1]], t: 1 } as never)).toThrow(/checkQuadraticOffset: beta must be > 0 \(Infinity for the non-viscous limit\); got undefined\./);
    expect(() => checkQuadraticOffset(u, { A: [[1]], beta: 1 } as never)).toThrow(/checkQuadraticOffset: t must be finite and > 0; got undefined\./);
    expect(() => checkQuadraticOffset(u, { A: [[1, 0]], t: 1, beta: 1 })).toThrow(/A must be a 1×1 matrix/);
    expect(() => checkQuadraticOffset(u, { A: [[-2]], t: 1, beta: 1 })).toThrow(/I \+ tA is positive definite/);
    expect(() => checkQuadraticOffset(Grid.uniform([[1, 2]], [11]).sample('x'), { A: [[1]], t: 1, beta: 1 })).toThrow(/whose box contains x = 0/);
  });
});

describe('checkJensen (u_β ≤ G_{t/β} ∗ f, T6)', () => {
  const grid = Grid.uniform([[-3, 3]], [241]), f = grid.sample(wiggly), t = 0.2, beta = 1;
  // margin 1.5 = 3.4σ of the kernel (σ = √(t/β) ≈ 0.45): the kernel mass cut by the box enters the tolerance.
  const smoothed = bruteHeat(f, t / beta);

  it('passes for the viscous solution', () => {
    const r = checkJensen(bruteColeHopf(f, t, beta), smoothed, { t, beta, margin: 1.5 });
    expect(r.pass).toBe(true);
    expect(r.measured).toBeLessThan(0);
  });

  it('fails for u = f on a concave f (G ∗ f = f − s there, so f > G ∗ f)', () => {
    const concave = grid.sample('-x^2');
    const r = checkJensen(concave, bruteHeat(concave, t / beta), { t, beta, margin: 1.5 });
    expect(r.pass).toBe(false);
    expect(r.measured).toBeAllclose(t / beta, { atol: 1e-6 }); // −x² smoothed by variance s is −x² − s
  });

  it('requires t and β', () => {
    const u = bruteColeHopf(f, t, beta);
    expect(() => checkJensen(u, smoothed, { t } as never)).toThrow(/checkJensen: beta must be finite and > 0; got undefined\./);
    expect(() => checkJensen(u, smoothed, { beta: 1 } as never)).toThrow(/checkJensen: t must be finite and > 0; got undefined\./);
    expect(() => checkJensen(u, smoothed, { t, beta: Infinity })).toThrow(/beta must be finite and > 0; got Infinity/);
  });
});
