import { describe, expect, it } from 'vitest';
import { Grid } from '../../../src/grids/grid.js';
import { solveControlHJB } from '../../../src/pde/dynamics/control-hjb.js';
import { lqControl } from '../../../src/pde/dynamics/lq-control.js';
import { checkControlTheorem, compareControlledSGD } from '../../../src/pde/dynamics/controlled-sgd.js';
import { coleHopf } from '../../../src/pde/cole-hopf.js';

const T = 1, beta = 4;

describe('lqControl (closed form of the LQ control problem)', () => {
  it.each(['gradient', 'none'] as const)('drift %s: u = ½P x² + c solves the HJB −u_s = −k a x u_x − ½u_x² + u_xx/(2β)', (drift) => {
    const a = 1.3, k = drift === 'gradient' ? 1 : 0, lq = lqControl(a, { horizon: T, beta, drift });
    // Residual of the PDE by centred differences in (x, s) with δ = 1e-4: O(δ²) truncation, ~eps/δ² rounding.
    const delta = 1e-4;
    for (const x of [-1, 0.3, 2]) for (const s of [0.2, 0.7]) {
      const us = (lq.value(x, s + delta) - lq.value(x, s - delta)) / (2 * delta);
      const ux = (lq.value(x + delta, s) - lq.value(x - delta, s)) / (2 * delta);
      const uxx = (lq.value(x + delta, s) - 2 * lq.value(x, s) + lq.value(x - delta, s)) / (delta * delta);
      expect(Math.abs(-us - (-k * a * x * ux - 0.5 * ux * ux + uxx / (2 * beta)))).toBeLessThan(1e-5);
      expect(lq.control(x, s)).toBeCloseTo(ux, 6);
    }
    expect(lq.value(1.7, T)).toBeCloseTo(0.5 * a * 1.7 * 1.7, 12); // terminal condition u(·,T) = f
  });

  it('rejects a Riccati blow-up and bad parameters', () => {
    expect(() => lqControl(-2, { horizon: 1, beta, drift: 'none' })).toThrow(/lqControl: a must be such that the Riccati solution stays finite/);
    expect(() => lqControl(1, { horizon: 0, beta })).toThrow(/lqControl: horizon must be finite and > 0; got 0\./);
    expect(() => lqControl(1, { horizon: 1, beta, drift: 'up' as never })).toThrow(/drift must be 'gradient' \| 'none'/);
  });
});

describe('solveControlHJB (monotone Godunov scheme, backward in time)', () => {
  const maxError = (n: number, drift: 'gradient' | 'none'): number => {
    const grid = Grid.uniform([[-4, 4]], [n]);
    const sol = solveControlHJB(grid.sample((x) => x * x / 2), { horizon: T, beta, drift, snapshots: 4 });
    const lq = lqControl(1, { horizon: T, beta, drift });
    let err = 0;
    // |x| ≤ 2 keeps clear of the Neumann ends (characteristics from x = ±4 do not reach it by T = 1).
    for (let x = -2; x <= 2; x += 0.25) for (const s of sol.times) err = Math.max(err, Math.abs(sol.value(x, s) - lq.value(x, s)));
    return err;
  };

  it.each(['gradient', 'none'] as const)('drift %s: converges to the LQ closed form at first order', (drift) => {
    const errs = [101, 201, 401].map((n) => maxError(n, drift));
    const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    expect(Math.min(...orders)).toBeGreaterThan(0.8); // monotone first-order scheme: p = 1 (pre-asymptotic ≥ 0.8)
    expect(errs[2]).toBeLessThan(1e-2);
  });

  it('the optimal control α* = u_x matches the LQ feedback P(T − s)x to O(h)', () => {
    const grid = Grid.uniform([[-4, 4]], [401]);
    const sol = solveControlHJB(grid.sample((x) => x * x / 2), { horizon: T, beta, snapshots: 4 });
    const lq = lqControl(1, { horizon: T, beta });
    for (const x of [-1.5, 0.5, 1.9]) for (const s of [0, 0.5]) expect(Math.abs(sol.control(x, s) - lq.control(x, s))).toBeLessThan(0.02);
  });

  it('scoping (T12): without the SGD drift the value is the local entropy u(·,s) = f_{T−s}, so α* = ∇f_{T−s}', () => {
    // Non-convex f; Cole–Hopf is exact on the grid, the HJB scheme first order: the gap halves with h.
    const gap = (n: number): number => {
      const f = Grid.uniform([[-3, 3]], [n]).sample('x^2 + 1.5*sin(2*pi*x)');
      const sol = solveControlHJB(f, { horizon: 0.2, beta: 1, drift: 'none', snapshots: 2 });
      let e = 0;
      for (const j of [0, 1]) {
        const entropy = coleHopf(f, 0.2 - sol.times[j], 1).u;
        for (let i = 0; i < n; i++) if (Math.abs(f.grid.axis(0)[i]) <= 1.5) e = Math.max(e, Math.abs(sol.values[j].data[i] - entropy.data[i]));
      }
      return e;
    };
    const errs = [101, 201, 401].map(gap);
    expect(Math.log2(errs[0] / errs[1])).toBeGreaterThan(0.5); // ≥ the Crandall–Lions order ½ of monotone schemes
    expect(Math.log2(errs[1] / errs[2])).toBeGreaterThan(0.5);
    expect(errs[2]).toBeLessThan(0.05);
  });

  it('rejects bad input with clear messages', () => {
    const f = Grid.uniform([[-1, 1]], [11]).sample((x) => x * x);
    expect(() => solveControlHJB(f, { horizon: T } as never)).toThrow(/solveControlHJB: beta must be finite and > 0; got undefined\./);
    expect(() => solveControlHJB(f, { horizon: -1, beta })).toThrow(/horizon must be finite and > 0; got -1\./);
    expect(() => solveControlHJB(f, { horizon: T, beta, cfl: 2 })).toThrow(/cfl must be in \(0, 1\]; got 2\./);
    expect(() => solveControlHJB(Grid.uniform([[-1, 1], [-1, 1]], [5, 5]).sample('x*y'), { horizon: T, beta })).toThrow(/f must be on a 1-D grid/);
    expect(() => solveControlHJB(f, { horizon: T, beta, fPrime: Grid.uniform([[-1, 1]], [12]).sample('x') })).toThrow(/fPrime must be on the grid of f/);
    expect(() => solveControlHJB([1, 2] as never, { horizon: T, beta })).toThrow(TypeError);
  });
});

describe('controlled SGD versus SGD (T11)', () => {
  const a = 1, x0 = 2, steps = 100;
  const f = (x: number): number => 0.5 * a * x * x, fPrime = (x: number): number => a * x;

  it('seed 5: Monte-Carlo SGD and LQ-controlled SGD match their exact Euler–Maruyama moments within 4σ', () => {
    const lq = lqControl(a, { horizon: T, beta });
    const cmp = compareControlledSGD({ f, fPrime, control: lq.control, x0, horizon: T, beta, steps, paths: 4000, seed: 5 });
    // The Euler chain is linear Gaussian: x_{n+1} = (1 − Δs(a + p_n))x_n + √(Δs/β)ξ, p_n = P(T − nΔs) (0 for SGD);
    // propagate mean and variance exactly and accumulate ½Σ p_n² E[x_n²] Δs.
    const dt = T / steps, moments = (controlled: boolean) => {
      let mean = x0, variance = 0, cost = 0;
      for (let n = 0; n < steps; n++) {
        const p = controlled ? lq.control(1, n * dt) : 0, factor = 1 - dt * (a + p);
        cost += 0.5 * p * p * (mean * mean + variance) * dt;
        mean *= factor; variance = factor * factor * variance + dt / beta;
      }
      return { final: 0.5 * a * (mean * mean + variance), cost };
    };
    const sgd = moments(false), ctl = moments(true);
    expect(Math.abs(cmp.sgd.mean - sgd.final)).toBeLessThan(4 * cmp.sgd.stdErr);
    expect(Math.abs(cmp.controlled.mean - ctl.final)).toBeLessThan(4 * cmp.controlled.stdErr);
    expect(Math.abs(cmp.controlCost.mean - ctl.cost)).toBeLessThan(4 * cmp.controlCost.stdErr);
    // The optimal total cost is the value u(x0, 0): the Euler bias is O(Δs), here ≤ 0.02 (first-order weak error of a
    // linear SDE with |drift| ≤ 3 over T = 1, Δs = 0.01).
    expect(Math.abs(cmp.totalCost.mean - lq.value(x0, 0))).toBeLessThan(4 * cmp.totalCost.stdErr + 0.02);
  });

  it('seed 9: the HJB-grid optimal control beats SGD by ½E∫|α*|² at least (check passes), a reversed control fails', () => {
    const grid = Grid.uniform([[-5, 5]], [201]);
    const fNonConvex = (x: number): number => x * x / 2 + 0.5 * Math.cos(3 * x), fPrimeNonConvex = (x: number): number => x - 1.5 * Math.sin(3 * x);
    const hjb = solveControlHJB(grid.sample(fNonConvex), { horizon: T, beta, snapshots: 50 });
    const opts = { f: fNonConvex, fPrime: fPrimeNonConvex, x0, horizon: T, beta, steps, paths: 1000, seed: 9 };
    const good = checkControlTheorem(compareControlledSGD({ ...opts, control: hjb.control }));
    expect(good.pass).toBe(true);
    expect(good.measured).toBeGreaterThan(0);
    // The total cost of the optimal control is the value u(x0, 0) (verification theorem).
    expect(Math.abs((good.details.totalCost as number) - hjb.value(x0, 0))).toBeLessThan(4 * (good.details.totalCostStdErr as number) + 0.05);
    const bad = checkControlTheorem(compareControlledSGD({ ...opts, control: (x, s) => -hjb.control(x, s) }));
    expect(bad.pass).toBe(false);
  });

  it('rejects bad input', () => {
    expect(() => compareControlledSGD({ f, fPrime, control: 1 as never, x0, horizon: T, beta })).toThrow(/compareControlledSGD: control must be a function/);
    expect(() => compareControlledSGD({ f, fPrime, control: () => 0, x0, horizon: T, beta, paths: 1 })).toThrow(/paths must be an integer ≥ 2/);
    expect(() => checkControlTheorem({} as never)).toThrow(/checkControlTheorem: comparison must be the result of compareControlledSGD/);
  });
});
