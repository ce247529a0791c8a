import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import type { GridFunction } from '../../src/grids/grid-function.js';
import { checkMonotone, type SchemeSpec } from '../../src/pde/monotonicity.js';

const grid1 = Grid.uniform([[-2, 2]], [81]);
const grid2 = Grid.uniform([[-1, 1], [-1, 1]], [25, 25]);
const f1 = grid1.sample((x) => x * x + 1.5 * Math.sin(2 * Math.PI * x));
const f2 = grid2.sample((x, y) => Math.abs(x) - Math.abs(y) + 0.3 * Math.cos(3 * Math.PI * x));

const specs: [string, SchemeSpec][] = [
  ['Godunov, β = ∞', { scheme: 'godunov' }],
  ['Godunov, β = 0.5 (diffusion-limited dt)', { scheme: 'godunov', beta: 0.5 }],
  ['Godunov, SSP-RK2', { scheme: 'godunov', timeIntegrator: 'ssp-rk2' }],
  ['global Lax–Friedrichs, β = 4', { scheme: 'lax-friedrichs', beta: 4 }],
  ['local Lax–Friedrichs (c = 2)', { scheme: 'lax-friedrichs', dissipation: 'local' }],
  ['Lax–Friedrichs, H = |p|₁ with dHBound 1', { hamiltonian: { H: (p) => { let s = 0; for (const v of p) s += Math.abs(v); return s; }, dHBound: 1 } }],
];
const states: [string, GridFunction][] = [['1-D non-convex', f1], ['2-D with kinks', f2]];

describe.each(states)('checkMonotone on %s', (_name, f) => {
  it.each(specs)('%s: the comparison principle holds at the CFL dt and fails at 3× the monotone limit', (_s, spec) => {
    const atCfl = checkMonotone(spec, f, { trials: 4, seed: 1 });
    expect(atCfl.monotone).toBe(true);
    expect(atCfl.worstDecrease).toBeLessThanOrEqual(atCfl.tolerance);
    const tooLarge = checkMonotone(spec, f, { trials: 4, seed: 1, dt: (3 * atCfl.dt) / 0.9 });
    expect(tooLarge.monotone).toBe(false);
    expect(tooLarge.violation).not.toBeNull();
  });
});

describe('checkMonotone finds the limits derived in docs/schemes.md', () => {
  // f = −|x| has a peak where p⁻ = 1, p⁺ = −1 (a = 1, h = 0.05): Godunov's limit is h/a, local LF's is h/(2a).
  const g = Grid.uniform([[-1, 1]], [41]), peak = g.sample((x) => -Math.abs(x)), h = g.spacing[0];
  it('Godunov at the peak: monotone at 0.99·h/a, not at 1.1·h/a', () => {
    expect(checkMonotone({ scheme: 'godunov' }, peak, { dt: 0.99 * h }).monotone).toBe(true);
    expect(checkMonotone({ scheme: 'godunov' }, peak, { dt: 1.1 * h }).monotone).toBe(false);
  });
  it('local Lax–Friedrichs at the peak needs the factor 2: monotone at 0.99·h/(2a), not at 0.75·h/a', () => {
    expect(checkMonotone({ scheme: 'lax-friedrichs', dissipation: 'local' }, peak, { dt: 0.495 * h }).monotone).toBe(true);
    expect(checkMonotone({ scheme: 'lax-friedrichs', dissipation: 'local' }, peak, { dt: 0.75 * h }).monotone).toBe(false);
  });
  it('a centred (non-upwind) discretisation u − dt·½(D⁰u)² is not monotone even at a small dt', () => {
    const centred = (u: GridFunction, out: GridFunction, dt: number) => {
      const n = u.data.length;
      for (let i = 0; i < n; i++) {
        const l = u.data[Math.max(i - 1, 0)], r = u.data[Math.min(i + 1, n - 1)], p = (r - l) / (2 * h);
        out.data[i] = u.data[i] - dt * 0.5 * p * p;
      }
    };
    const slope = g.sample((x) => 2 * x);
    const r = checkMonotone(centred, slope, { dt: 0.1 * h, trials: 2 });
    expect(r.monotone).toBe(false);
    expect(r.worstDecrease).toBeGreaterThan(r.tolerance);
  });
});

describe('checkMonotone validates its input', () => {
  it.each([
    [() => checkMonotone(() => {}, f1), /checkMonotone: dt must be given when step is a function; got undefined\./],
    [() => checkMonotone({}, f1, { trials: 0 }), /checkMonotone: trials must be an integer ≥ 1; got 0\./],
    [() => checkMonotone({}, f1, { amplitude: -1 }), /checkMonotone: amplitude must be finite and > 0; got -1\./],
    [() => checkMonotone({}, f1, { dt: 0 }), /checkMonotone: dt must be finite and > 0; got 0\./],
    [() => checkMonotone({ scheme: 'eno' as never }, f1), /checkMonotone: scheme must be 'godunov' \| 'lax-friedrichs'; got "eno"\./],
    [() => checkMonotone({ cfl: 2 }, f1), /checkMonotone: cfl must be in \(0, 1\]; got 2\./],
    [() => checkMonotone(3 as never, f1), /checkMonotone: step must be a step function or a scheme spec; got 3\./],
    [() => checkMonotone({}, f1.map((v, p) => (p === 0 ? NaN : v))), /checkMonotone: f must be finite everywhere; got NaN\./],
  ])('%#', (call, message) => { expect(call).toThrow(message); });
});
