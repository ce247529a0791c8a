import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { Rng } from '../../src/util/random.js';
import { fokkerPlanck } from '../../src/pde/fokker-planck.js';
import { solveHJ } from '../../src/pde/solve-hj.js';

describe('fokkerPlanck: stationary density ∝ e^{−u/ν} for a fixed u', () => {
  it('the discrete stationary state converges to the Gibbs density at first order (u = x²/2, ν = ½, [−2, 2])', () => {
    const nu = 0.5;
    const errs = [41, 81, 161].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]), h = grid.spacing[0];
      const u = grid.sample((x) => (x * x) / 2);
      // Spectral gap of ρ_s = (xρ)_x + νρ_xx is 1: T = 16 leaves e^{−16} ≈ 1e-7 of the transient, far below O(h).
      const { rho, massFinal } = fokkerPlanck(grid.sample(() => 0.25), { velocityFrom: u, nu, T: 16 });
      let z = 0;
      for (const v of u.data) z += Math.exp(-v / nu) * h;
      let err = 0, peak = 0;
      for (let i = 0; i < n; i++) {
        const gibbs = (massFinal * Math.exp(-u.data[i] / nu)) / z;
        err = Math.max(err, Math.abs(rho.data[i] - gibbs)); peak = Math.max(peak, gibbs);
      }
      // Donor cell on a face: ρ_{i+1}/ρ_i = 1/(1 + z) instead of e^{−z}, z = |Δu|/ν ≤ 2h/ν, off by ≤ z²/2;
      // over the ≤ 2/h faces from the centre to an edge: relative error ≤ (2/h)·(2h/ν)²/2 = 4h/ν².
      expect(err / peak).toBeLessThanOrEqual((4 * h) / (nu * nu));
      return err / peak;
    });
    const orders = errs.slice(1).map((e, i) => Math.log2(errs[i] / e));
    for (const p of orders) { expect(p).toBeGreaterThan(0.9); expect(p).toBeLessThan(1.1); }
  });
});

describe('fokkerPlanck: conservation and positivity', () => {
  it('Figure 1 pipeline (1-D): velocity from viscous HJ snapshots, u(T) back to u(0); mass kept to round-off, ρ ≥ 0, density ends near the global minimum', () => {
    const grid = Grid.uniform([[-3, 3]], [241]);
    const f = grid.sample((x) => x * x + 1.5 * Math.sin(2 * Math.PI * x));
    const hj = solveHJ(f, { t: 0.2, beta: 1, snapshots: 10 });
    const rho0 = grid.sample((x) => (Math.abs(x - 2.5) <= 3 * Math.sqrt(0.02) ? Math.exp(-((x - 2.5) ** 2) / 0.02) : 0));
    const { rho, snapshots, steps, massInitial, massFinal } = fokkerPlanck(rho0, { velocityFrom: [{ t: 0, u: f }, ...hj.snapshots], nu: 0.1, T: 10, snapshots: 5 });
    // Each step moves every face flux once in each direction: round-off ≤ steps · size · ε · mass.
    expect(Math.abs(massFinal - massInitial)).toBeLessThanOrEqual(steps * grid.size * Number.EPSILON * massInitial);
    for (const s of snapshots) for (const v of s.rho.data) expect(v).toBeGreaterThanOrEqual(0);
    expect(snapshots.map((s) => s.s)).toEqual([2, 4, 6, 8, 10]);
    // The global minimum of f is near x = −0.24 (f′ = 2x + 3π cos 2πx = 0); the SGD-trapped start was at 2.5.
    expect(Math.abs(grid.axis(0)[maxIndex(rho.data)] + 0.24)).toBeLessThan(0.1);
  });

  it('2-D, seeded rough density with zeros and a time-dependent potential: mass to round-off, ρ ≥ 0 exactly', () => {
    const grid = Grid.uniform([[-1, 1], [-1, 1]], [21, 21]), rng = new Rng(4);
    const rho0 = grid.zeros();
    for (let p = 0; p < grid.size; p++) rho0.data[p] = rng.uniform() < 0.3 ? 0 : rng.uniform();
    const f = grid.sample((x, y) => Math.abs(x) + (y - 0.2) ** 2 + 0.3 * Math.cos(3 * Math.PI * x));
    const hj = solveHJ(f, { t: 0.3, snapshots: 3 });
    const r = fokkerPlanck(rho0, { velocityFrom: hj.snapshots, nu: 0.02, T: 1, snapshots: 4 });
    expect(Math.abs(r.massFinal - r.massInitial)).toBeLessThanOrEqual(r.steps * grid.size * Number.EPSILON * r.massInitial);
    for (const s of r.snapshots) for (const v of s.rho.data) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('ν = 0 and a flat u: nothing moves (zero flux everywhere)', () => {
    const grid = Grid.uniform([[0, 1]], [11]), rho0 = grid.sample((x) => x);
    expect(fokkerPlanck(rho0, { velocityFrom: grid.zeros(), nu: 0, T: 1 }).rho.data).toEqual(rho0.data);
  });
});

function maxIndex(a: Float64Array): number {
  let best = 0;
  for (let i = 1; i < a.length; i++) if (a[i] > a[best]) best = i;
  return best;
}

describe('fokkerPlanck validates its input', () => {
  const grid = Grid.uniform([[0, 1]], [5]), rho0 = grid.sample(() => 1), u = grid.zeros();
  it.each([
    [() => fokkerPlanck(rho0.map((v, p) => (p === 1 ? -1 : v)), { velocityFrom: u, nu: 1, T: 1 }), /fokkerPlanck: rho0 must be finite and ≥ 0 everywhere \(at grid point \[1\]\); got -1\./],
    [() => fokkerPlanck(rho0, { velocityFrom: u, nu: -1, T: 1 }), /fokkerPlanck: nu must be finite and ≥ 0; got -1\./],
    [() => fokkerPlanck(rho0, { velocityFrom: u, nu: 1, T: 0 }), /fokkerPlanck: T must be finite and > 0; got 0\./],
    [() => fokkerPlanck(rho0, { velocityFrom: u, nu: 1, T: 1, cfl: 0 }), /fokkerPlanck: cfl must be in \(0, 1\]; got 0\./],
    [() => fokkerPlanck(rho0, { velocityFrom: u, nu: 1, T: 1, boundary: 'periodic' as never }), /fokkerPlanck: boundary must be 'zero-flux'; got "periodic"\./],
    [() => fokkerPlanck(rho0, { velocityFrom: [], nu: 1, T: 1 }), /fokkerPlanck: velocityFrom must be a GridFunction or a non-empty array of \{t, u\} snapshots/],
    [() => fokkerPlanck(rho0, { velocityFrom: [{ t: 0, u }, { t: 0, u }], nu: 1, T: 1 }), /fokkerPlanck: velocityFrom must be snapshots with distinct times; got 0\./],
    [() => fokkerPlanck(rho0, { velocityFrom: Grid.uniform([[0, 1]], [6]).zeros(), nu: 1, T: 1 }), /fokkerPlanck: both functions must live on the same grid/],
    [() => fokkerPlanck(rho0, { velocityFrom: u, nu: 1, T: 1, snapshots: -1 }), /fokkerPlanck: snapshots must be an integer ≥ 0; got -1\./],
  ])('%#', (call, message) => { expect(call).toThrow(message); });
});
