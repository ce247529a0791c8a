import { describe, expect, it } from 'vitest';
import { Grid } from '../../../src/grids/grid.js';
import { hopfLax } from '../../../src/pde/hopf-lax.js';
import { checkSemiconcavity } from '../../../src/pde/regularity/semiconcavity.js';
import { checkLipschitz } from '../../../src/pde/regularity/lipschitz.js';
import { checkMonotoneInTime } from '../../../src/pde/regularity/monotone-in-time.js';
import { checkComparison } from '../../../src/pde/regularity/comparison.js';
import { bruteColeHopf } from './twins.js';

const wiggly = 'x^2 + 1.5*sin(2*pi*x)';
const grid1 = Grid.uniform([[-3, 3]], [301]);
const grid2 = Grid.uniform([[-2, 2], [-2, 2]], [61, 61]);
const wiggly2 = (x: number, y: number): number => (x * x + y * y) / 2 + 0.3 * (Math.cos(3 * Math.PI * x) + Math.cos(3 * Math.PI * y));

describe('checkSemiconcavity (λ_max ∇²u ≤ 1/t, T5)', () => {
  it('passes for Hopf–Lax and Cole–Hopf in 1-D on a non-convex f whose curvature reaches 61 ≫ 1/t = 5', () => {
    const f = grid1.sample(wiggly), t = 0.2;
    const hl = checkSemiconcavity(hopfLax(f, t).u, { t }), ch = checkSemiconcavity(bruteColeHopf(f, t, 1), { t });
    expect(hl.pass).toBe(true);
    expect(ch.pass).toBe(true);
    expect(hl.bound).toBe(5);
    expect(hl.measured).toBeLessThanOrEqual(5 + 1e-9); // exact in 1-D
  });

  it('passes in 2-D for Hopf–Lax and Cole–Hopf', () => {
    const f = grid2.sample(wiggly2), t = 0.1;
    expect(checkSemiconcavity(hopfLax(f, t).u, { t }).pass).toBe(true);
    const small = Grid.uniform([[-2, 2], [-2, 2]], [41, 41]).sample(wiggly2); // O(N²) twin: keep N small
    const r = checkSemiconcavity(bruteColeHopf(small, t, 4), { t });
    expect(r.pass).toBe(true);
    expect(checkLipschitz(bruteColeHopf(small, t, 4), small).pass).toBe(true);
  });

  it('fails for u = f when f″ = 2 exceeds 1/t = 1 (and reports λ_max = 2)', () => {
    const f = grid1.sample('x^2');
    const r = checkSemiconcavity(f, { t: 1 });
    expect(r.pass).toBe(false);
    expect(r.measured).toBeAllclose(2, { atol: 1e-9 });
    const f2 = grid2.sample((x, y) => x * x + x * y);
    // Hessian [[2, 1], [1, 0]]: λ_max = 1 + √2 > 1/t = 2.
    expect(checkSemiconcavity(f2, { t: 0.5 }).measured).toBeAllclose(1 + Math.SQRT2, { atol: 1e-9 });
    expect(checkSemiconcavity(f2, { t: 0.5 }).pass).toBe(false);
  });

  it('requires t', () => {
    expect(() => checkSemiconcavity(grid1.sample('x'), {} as never)).toThrow(/checkSemiconcavity: t must be finite and > 0; got undefined\./);
    expect(() => checkSemiconcavity(grid1.sample('x'), undefined as never)).toThrow(/t must be finite and > 0; got undefined/);
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
