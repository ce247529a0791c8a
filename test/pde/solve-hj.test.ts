import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { dirichlet } from '../../src/grids/boundary.js';
import { Rng } from '../../src/util/random.js';
import { solveHJ, HJBlowUpError, type SolveHJOptions } from '../../src/pde/solve-hj.js';
import { monotoneTimeStep } from '../../src/pde/time-step.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { hopfLax1d, coleHopf1d } from '../reference/hj-exact-1d.js';

/** log2 of successive error ratios (h halves each time). */
const orders = (errs: number[]) => errs.slice(1).map((e, i) => Math.log2(errs[i] / e));

/** Max |u − exact| over grid points with every |x_k| ≤ radius (away from the boundary). */
function maxErrorInside(grid: Grid, u: Float64Array, exact: (x: number[]) => number, radius: number): number {
  let err = 0;
  const x: number[] = new Array(grid.ndim);
  for (let p = 0; p < grid.size; p++) {
    grid.point(p, x);
    if (x.every((c) => Math.abs(c) <= radius + 1e-12)) err = Math.max(err, Math.abs(u[p] - exact(x)));
  }
  return err;
}

const quadratic = (x: number[]) => x.reduce((s, c) => s + c * c, 0) / 2;

describe('solveHJ on f = |x|²/2: u = |x|²/(2(1+t)) + (d/(2β))·log(1+t)', () => {
  it.each([
    ['non-viscous, Godunov', Infinity, 'godunov'],
    ['β = 2, Godunov', 2, 'godunov'],
    ['non-viscous, local Lax–Friedrichs', Infinity, 'lax-friedrichs'],
  ] as const)('1-D %s: first order in the max norm on |x| ≤ 1, within the leading-order error bound', (_name, beta, scheme) => {
    const t = 0.5;
    const exact = (x: number[]) => quadratic(x) / (1 + t) + (beta === Infinity ? 0 : Math.log(1 + t) / (2 * beta));
    const errs = [101, 201, 401].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]), h = grid.spacing[0];
      const { u } = solveHJ(grid.sample((x) => (x * x) / 2), { t, beta, scheme, dissipation: 'local' });
      const err = maxErrorInside(grid, u.data, exact, 1);
      // Leading-order bound: upwinding costs (h/2)|u_x u_xx| ≤ h/2·2·1 per unit time (|u_x| ≤ 2 on the box) and
      // Euler costs (dt/2)|u_tt| ≤ (h/4)·4 (dt ≤ h/a with a ≥ 1 at the edges... ≤ h/2 here); LF doubles the first.
      expect(err).toBeLessThanOrEqual(t * (2 * h + 2 * h));
      return err;
    });
    for (const p of orders(errs)) { expect(p).toBeGreaterThan(0.9); expect(p).toBeLessThan(1.25); }
  });

  it('3-D viscous (β = 4): measured order → 1 (0.6 then > 0.85 on 11³, 21³, 41³)', () => {
    const t = 0.5, beta = 4;
    const exact = (x: number[]) => quadratic(x) / (1 + t) + (3 * Math.log(1 + t)) / (2 * beta);
    const errs = [11, 21, 41].map((n) => {
      const grid = Grid.uniform([[-2, 2], [-2, 2], [-2, 2]], [n, n, n]);
      return maxErrorInside(grid, solveHJ(grid.sample((x, y, z) => quadratic([x, y, z])), { t, beta }).u.data, exact, 1);
    });
    const p = orders(errs);
    expect(p[0]).toBeGreaterThan(0.5); // pre-asymptotic on 11 points per axis
    expect(p[1]).toBeGreaterThan(0.85);
  });

  it('hits snapshot times exactly and each snapshot matches the closed form at its own time', () => {
    const grid = Grid.uniform([[-2, 2]], [201]), h = grid.spacing[0];
    const r = solveHJ(grid.sample((x) => (x * x) / 2), { t: 0.5, snapshots: [0.3, 0.1, 0.3] });
    expect(r.snapshots.map((s) => s.t)).toEqual([0.1, 0.3]);
    for (const s of r.snapshots) {
      expect(maxErrorInside(grid, s.u.data, (x) => quadratic(x) / (1 + s.t), 1)).toBeLessThanOrEqual(s.t * 4 * h);
    }
    const counted = solveHJ(grid.sample((x) => (x * x) / 2), { t: 0.5, snapshots: 4 });
    expect(counted.snapshots.map((s) => s.t)).toEqual([0.125, 0.25, 0.375, 0.5]);
    expect(counted.snapshots[3].u.data).toEqual(counted.u.data);
    expect(counted.dtMin).toBeGreaterThan(0);
    // dt = cfl·h/a with a = the max slope of the step's input ≥ the max slope of u(·, t) (non-increasing).
    let slopeAtT = 0;
    for (let i = 1; i < 201; i++) slopeAtT = Math.max(slopeAtT, Math.abs(counted.u.data[i] - counted.u.data[i - 1]) / h);
    expect(counted.dtMax).toBeLessThanOrEqual((0.9 * h) / slopeAtT);
  });

  it('reports progress once per step, ending at t', () => {
    const seen: number[] = [];
    const r = solveHJ(Grid.uniform([[-1, 1]], [41]).sample((x) => x * x), { t: 0.2, onProgress: ({ t }) => seen.push(t) });
    expect(seen).toHaveLength(r.steps);
    expect(seen[seen.length - 1]).toBe(0.2);
    expect(seen.every((t, i) => i === 0 || t > seen[i - 1])).toBe(true);
  });
});

describe('solveHJ on non-convex data against independent exact solutions', () => {
  const f = (x: number) => x * x + 1.5 * Math.sin(2 * Math.PI * x); // the paper's Figure 1 loss without noise
  it.each([
    ['Hopf–Lax, β = ∞, t = 0.1', Infinity, 0.1],
    ['Cole–Hopf, β = 1, t = 0.2', 1, 0.2],
  ] as const)('1-D %s: first order on |x| ≤ 1.5 of [−3, 3] (the Figure 1 set-up)', (_name, beta, t) => {
    const errs = [151, 301, 601].map((n) => {
      const grid = Grid.uniform([[-3, 3]], [n]);
      const { u } = solveHJ(grid.sample(f), { t, beta });
      return maxErrorInside(grid, u.data, ([x]) => (beta === Infinity ? hopfLax1d(f, x, t) : coleHopf1d(f, x, t, beta)), 1.5);
    });
    for (const p of orders(errs)) expect(p).toBeGreaterThan(0.8);
    expect(orders(errs)[1]).toBeGreaterThan(0.9);
  });

  it('2-D f = |x|²/2 + 0.3 Σ cos 3πx_i: order → 1 against the separable exact solution and hopfLax', () => {
    const f1 = (x: number) => (x * x) / 2 + 0.3 * Math.cos(3 * Math.PI * x), t = 0.25;
    const errs: number[] = [];
    for (const n of [81, 161, 321]) {
      const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
      const f = grid.sample((x, y) => f1(x) + f1(y));
      const { u } = solveHJ(f, { t });
      const exact1 = new Map(Array.from(grid.axis(0), (x) => [x, hopfLax1d(f1, x, t)] as const));
      // f is a sum over axes and H = ½|p|² splits, so u(x, y) = u₁(x) + u₁(y).
      errs.push(maxErrorInside(grid, u.data, ([x, y]) => exact1.get(x)! + exact1.get(y)!, 1));
      if (n === 161) {
        // The grid-exact Hopf–Lax (min over grid points) differs from u₁ + u₁ by O(h²): same first-order gap.
        const exactGrid = hopfLax(f, t).u.data;
        expect(maxErrorInside(grid, u.data, (x) => exactGrid[grid.flatIndex(x.map((c) => Math.round((c + 2) / grid.spacing[0])))], 1))
          .toBeLessThanOrEqual(1.1 * errs[errs.length - 1]);
      }
    }
    const p = orders(errs);
    expect(p[0]).toBeGreaterThan(0.8);
    expect(p[1]).toBeGreaterThan(0.9);
  });
});

describe('Godunov vs Lax–Friedrichs at kinks (β = ∞, t = 0.5, |x| ≤ 1 of [−2, 2], 201 points)', () => {
  const grid = Grid.uniform([[-2, 2]], [201]), t = 0.5;
  const err = (f: (x: number) => number, exact: (x: number) => number, o: Partial<SolveHJOptions>) =>
    maxErrorInside(grid, solveHJ(grid.sample(f), { t, ...o }).u.data, ([x]) => exact(x), 1);
  it('f = −|x| (a shock that stays a kink, u = −|x| − t/2): Godunov is exact to round-off, Lax–Friedrichs smears it', () => {
    const exact = (x: number) => -Math.abs(x) - t / 2;
    expect(err((x) => -Math.abs(x), exact, {})).toBeLessThan(1e-13);
    expect(err((x) => -Math.abs(x), exact, { scheme: 'lax-friedrichs' })).toBeGreaterThan(grid.spacing[0] / 4); // O(h) at the smeared kink
  });
  it('f = |x| (a rarefaction fan, u = x²/(2t) for |x| < t): Godunov at least 3× more accurate than global LF, 2× than local LF', () => {
    const exact = (x: number) => (Math.abs(x) >= t ? Math.abs(x) - t / 2 : (x * x) / (2 * t));
    const godunov = err(Math.abs, exact, {});
    expect(3 * godunov).toBeLessThan(err(Math.abs, exact, { scheme: 'lax-friedrichs' }));
    expect(1.5 * godunov).toBeLessThan(err(Math.abs, exact, { scheme: 'lax-friedrichs', dissipation: 'local' }));
  });
});

describe('general Hamiltonians through the Lax–Friedrichs hook', () => {
  it('H(p) = |p|: u(x, t) = min over |y − x| ≤ t of f(y) = (max(|x| − t, 0))²/2 for f = x²/2, first order', () => {
    const t = 0.5;
    const errs = [101, 201, 401].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]);
      const { u } = solveHJ(grid.sample((x) => (x * x) / 2), { t, hamiltonian: { H: (p) => Math.abs(p[0]), dHBound: 1 } });
      return maxErrorInside(grid, u.data, ([x]) => Math.max(Math.abs(x) - t, 0) ** 2 / 2, 1);
    });
    for (const p of orders(errs)) expect(p).toBeGreaterThan(0.9);
  });
  it('H(p) = (a/2)|p|² in 2-D (a = 3): u = |x|²/(2(1 + a t)), the time-rescaled quadratic solution', () => {
    const a = 3, t = 0.5;
    const errs = [41, 81, 161].map((n) => {
      const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
      // |∂H/∂p_k| = a|p_k| ≤ a·2 on the box (|∇f| ≤ 2 per axis and the Lipschitz bound does not grow).
      const { u } = solveHJ(grid.sample((x, y) => (x * x + y * y) / 2), {
        t, hamiltonian: { H: (p) => (a / 2) * (p[0] * p[0] + p[1] * p[1]), dHBound: [2 * a, 2 * a] },
      });
      return maxErrorInside(grid, u.data, (x) => quadratic(x) / (1 + a * t), 1);
    });
    for (const p of orders(errs)) expect(p).toBeGreaterThan(0.9);
  });
});

describe('time integrators: temporal order by Richardson in dt on a fixed grid (β = 50, 201 points)', () => {
  const grid = Grid.uniform([[-2, 2]], [201]);
  const f = grid.sample((x) => (x * x) / 2 + 0.2 * Math.cos(2 * x));
  it.each([['euler', 1], ['ssp-rk2', 2]] as const)('%s: |u_dt − u_dt/2| shrinks like dt^%d', (timeIntegrator, order) => {
    const sols = [0.004, 0.002, 0.001, 0.0005].map((dt) => solveHJ(f, { t: 0.4, dt, beta: 50, timeIntegrator }).u);
    const gaps = sols.slice(1).map((s, i) => s.minus(sols[i]).normInf());
    for (const p of orders(gaps)) { expect(p).toBeGreaterThan(order - 0.1); expect(p).toBeLessThan(order + 0.1); }
  });
});

describe('boundary conditions', () => {
  it('periodic: f = cos πx on [−1, 1] matches the Hopf–Lax solution of the periodic problem everywhere, first order', () => {
    const t = 0.3, f = (x: number) => Math.cos(Math.PI * x);
    const errs = [41, 81, 161].map((n) => {
      const grid = Grid.uniform([[-1, 1]], [n]);
      const { u } = solveHJ(grid.sample(f), { t, boundary: 'periodic' });
      expect(u.data[0]).toBe(u.data[n - 1]); // the two ends are one point
      return maxErrorInside(grid, u.data, ([x]) => hopfLax1d(f, x, t), 1);
    });
    for (const p of orders(errs)) expect(p).toBeGreaterThan(0.9);
  });
  it('neumann: f = x²/2 on [0, 2] (even data, inflow at x = 0) is first order up to the edge', () => {
    const t = 0.5;
    const errs = [51, 101, 201].map((n) => {
      const grid = Grid.uniform([[0, 2]], [n]);
      return maxErrorInside(grid, solveHJ(grid.sample((x) => (x * x) / 2), { t, boundary: 'neumann' }).u.data, (x) => quadratic(x) / (1 + t), 1);
    });
    for (const p of orders(errs)) expect(p).toBeGreaterThan(0.9);
  });
  it('dirichlet(2) on f = x²/2, [−2, 2]: edges held at 2; outflow edges do not disturb the interior (first order up to the edge)', () => {
    const t = 0.5;
    // The held edge (2 > u(±2, t) = 2/(1+t)) makes a face slope O(1/h), so dt = O(h²): this measures the
    // nearly semi-discrete scheme, whose order is still pre-asymptotic here (≈ 0.88, 0.93).
    const errs = [101, 201, 401].map((n) => {
      const grid = Grid.uniform([[-2, 2]], [n]);
      const { u } = solveHJ(grid.sample((x) => (x * x) / 2), { t, boundary: dirichlet(2) });
      expect([u.data[0], u.data[n - 1]]).toEqual([2, 2]);
      const x = grid.axis(0);
      let err = 0;
      for (let i = 1; i < n - 1; i++) err = Math.max(err, Math.abs(u.data[i] - (x[i] * x[i]) / (2 * (1 + t))));
      return err;
    });
    for (const p of orders(errs)) expect(p).toBeGreaterThan(0.85);
  });
});

describe('discrete properties of the monotone scheme', () => {
  const rng = new Rng(21);
  const grid = Grid.uniform([[-1, 1], [-1, 1]], [33, 33]);
  const f = grid.zeros();
  rng.fillNormal(f.data);
  it('non-viscous Godunov never increases u: u(·, s) ≤ u(·, s′) ≤ f for s ≥ s′ (Ĥ ≥ 0, exactly)', () => {
    const { snapshots } = solveHJ(f, { t: 0.05, snapshots: 3 });
    let prev = f.data;
    for (const s of snapshots) { for (let p = 0; p < grid.size; p++) expect(s.u.data[p]).toBeLessThanOrEqual(prev[p]); prev = s.u.data; }
  });
  it('commutes with constants: f + c gives u + c (up to round-off of values of size |c|)', () => {
    const c = 3.25, shifted = f.map((v) => v + c);
    const a = solveHJ(f, { t: 0.05, beta: 5 }).u, b = solveHJ(shifted, { t: 0.05, beta: 5 }).u;
    expect(b.data).toBeAllclose(a.data.map((v) => v + c), { atol: 1e-12 });
  });
  it('comparison principle end to end: f ≤ g gives u_f ≤ u_g', () => {
    const g = f.map((v, p) => v + (p % 3 === 0 ? 0.5 : 0));
    const uf = solveHJ(f, { t: 0.05, beta: 5 }).u.data, ug = solveHJ(g, { t: 0.05, beta: 5 }).u.data;
    for (let p = 0; p < grid.size; p++) expect(uf[p]).toBeLessThanOrEqual(ug[p]);
  });
});

describe('solveHJ: fixed dt, blow-up and bad input', () => {
  const grid = Grid.uniform([[-1, 1]], [21]), f = grid.sample((x) => Math.sin(3 * x));
  it('accepts a fixed dt at the monotone limit and refuses one above it', () => {
    expect(() => solveHJ(f, { t: 0.1, dt: 0.05 })).toThrow(/solveHJ: dt must be ≤ [0-9.e-]+ \(the monotonicity limit for f\), or pass allowNonMonotone: true; got 0\.05\./);
    // |D f| ≤ max |f′| = 3, so h/3 is within the limit.
    const run = solveHJ(f, { t: 0.1, dt: monotoneTimeStep([3], [0.1], Infinity) });
    expect(run.dtMax).toBeLessThanOrEqual(0.1 / 3);
  });
  it('reports a blow-up with its step and time when allowNonMonotone lets a large dt through', () => {
    let caught: unknown = null;
    try { solveHJ(f, { t: 50, dt: 1, allowNonMonotone: true }); } catch (e) { caught = e; }
    expect(caught).toBeInstanceOf(HJBlowUpError);
    const e = caught as HJBlowUpError;
    expect(e.message).toMatch(/solveHJ: the solution blew up \(non-finite values\) at step \d+, t = \d+/);
    expect(e.t).toBe(e.step); // dt = 1: step n ends at t = n
  });
  it('refuses a fixed dt once growing slopes (a Dirichlet boundary layer) break monotonicity', () => {
    // A hand-built edge layer (h = 0.1, Dirichlet value 0 held at both ends):
    //   u = [0, −0.5, −1.5, …, −1.5, −0.5, 0]; initial slopes 5 (edge) and 10 (step), so a₀ = 10.
    // Only the points next to the edges move: d = u₁ − u₂ obeys d′ = −½(d/h)², so with dt = h/a₀ = 0.01
    // Euler gives d: 1 → 0.5 → 0.375, i.e. u₁: −0.5 → −1 → −1.125, and the held-edge slope |u₁|/h grows
    // 5 → 10 → 11.25 > a₀: the fixed dt stops being monotone at the third step.
    const g = Grid.uniform([[-1, 1]], [21]), rough = g.zeros();
    for (let i = 1; i < 20; i++) rough.data[i] = i === 1 || i === 19 ? -0.5 : -1.5;
    const dt = monotoneTimeStep([10], g.spacing, Infinity) * (1 - 1e-9); // the limit for a₀ = 10, minus round-off
    // Step 3 starts at t = 2·dt with slope |u₁|/h = 11.25 (to the 1e-9 relative shortfall of dt).
    expect(() => solveHJ(rough, { t: 0.2, dt, boundary: 'dirichlet' })).toThrow(/solveHJ: dt must keep the scheme monotone; got [0-9.e-]+, which breaks it at step 3 \(t = 0\.0199999999\d*\) as the slopes grew to \[11\.2499999\d*\]/);
  });
  const bad: [string, () => unknown, RegExp][] = [
    ['f', () => solveHJ({} as never, { t: 1 }), /solveHJ: f must be a GridFunction/],
    ['t = 0', () => solveHJ(f, { t: 0 }), /solveHJ: t must be finite and > 0; got 0\./],
    ['t = NaN', () => solveHJ(f, { t: NaN }), /solveHJ: t must be finite and > 0; got NaN\./],
    ['beta', () => solveHJ(f, { t: 1, beta: 0 }), /solveHJ: beta must be > 0 \(Infinity for the non-viscous limit\); got 0\./],
    ['scheme', () => solveHJ(f, { t: 1, scheme: 'upwind' as never }), /solveHJ: scheme must be 'godunov' \| 'lax-friedrichs'; got "upwind"\./],
    ['cfl', () => solveHJ(f, { t: 1, cfl: 1.5 }), /solveHJ: cfl must be in \(0, 1\]; got 1\.5\./],
    ['boundary', () => solveHJ(f, { t: 1, boundary: 'wall' as never }), /solveHJ: boundary must be 'neumann' \| 'periodic' \| 'dirichlet'/],
    ['integrator', () => solveHJ(f, { t: 1, timeIntegrator: 'rk4' as never }), /solveHJ: timeIntegrator must be 'euler' \| 'ssp-rk2'; got "rk4"\./],
    ['dissipation', () => solveHJ(f, { t: 1, dissipation: 'some' as never }), /solveHJ: dissipation must be 'global' \| 'local'; got "some"\./],
    ['backend name', () => solveHJ(f, { t: 1, backend: 'tpu' as never }), /solveHJ: backend must be 'cpu' \| 'gpu' \| 'webgpu' \| 'webasm' \| 'gpujs-cpu'; got "tpu"\./],
    ['backend gpu', () => solveHJ(f, { t: 1, backend: 'webgpu' }), /solveHJ: backend 'webgpu' runs WebGPU, which is asynchronous; call solveHJAsync/],
    ['snapshot 0', () => solveHJ(f, { t: 0.5, snapshots: [0, 0.2] }), /solveHJ: snapshots must be times in \(0, t = 0\.5\]; got \[0, 0\.2\]\./],
    ['snapshot > t', () => solveHJ(f, { t: 0.5, snapshots: [0.6] }), /solveHJ: snapshots must be times in \(0, t = 0\.5\]; got \[0\.6\]\./],
    ['snapshot count', () => solveHJ(f, { t: 0.5, snapshots: 1.5 }), /solveHJ: snapshots must be an integer ≥ 0; got 1\.5\./],
    ['dt', () => solveHJ(f, { t: 0.5, dt: -1 }), /solveHJ: dt must be finite and > 0; got -1\./],
    ['H with godunov', () => solveHJ(f, { t: 0.5, scheme: 'godunov', hamiltonian: { H: () => 0, dHBound: 1 } }), /solveHJ: scheme must be 'lax-friedrichs' when a hamiltonian is given; got "godunov"\./],
    ['H not a function', () => solveHJ(f, { t: 0.5, hamiltonian: { H: 3 as never, dHBound: 1 } }), /solveHJ: hamiltonian\.H must be a function of the gradient; got 3\./],
    ['dHBound', () => solveHJ(f, { t: 0.5, hamiltonian: { H: () => 0, dHBound: [1, 2] } }), /solveHJ: hamiltonian\.dHBound must be finite and > 0 \(one number, or one per axis: 1\); got \[1, 2\]\./],
    ['local with H', () => solveHJ(f, { t: 0.5, dissipation: 'local', hamiltonian: { H: () => 0, dHBound: 1 } }), /solveHJ: dissipation must be 'global' with a general hamiltonian/],
    ['onProgress', () => solveHJ(f, { t: 0.5, onProgress: 1 as never }), /solveHJ: onProgress must be a function; got 1\./],
    ['NaN in f', () => solveHJ(grid.sample((x) => x).map((v, p) => (p === 2 ? NaN : v)), { t: 0.5 }), /solveHJ: f must be finite everywhere; got NaN at grid point \[2\]\./],
    ['4-D', () => solveHJ(Grid.uniform([[0, 1], [0, 1], [0, 1], [0, 1]], [2, 2, 2, 2]).zeros(), { t: 0.5 }), /solveHJ: f must live on a 1-D, 2-D or 3-D grid; got 4 axes\./],
  ];
  it.each(bad)('rejects bad %s with a clear message', (_name, call, message) => { expect(call).toThrow(message); });
});
