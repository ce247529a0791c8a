import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { monotoneTimeStep, godunovStep } from '../../src/pde/time-step.js';
import { checkMonotone } from '../../src/pde/monotonicity.js';

describe('monotoneTimeStep: 1 / (c Σ a_k/h_k + Σ 1/(β h_k²))', () => {
  it.each([
    // [a, h, beta, c, expected, reason]
    [[2], [0.1], Infinity, 1, 0.05, 'transport only: h/a'],
    [[0], [0.1], 2, 1, 0.02, 'diffusion only: β h²'],
    [[2, 1], [0.1, 0.2], Infinity, 1, 1 / 25, '2-D: 1/(20 + 5)'],
    [[2], [0.1], Infinity, 2, 0.025, 'local Lax–Friedrichs: h/(2a)'],
    [[1], [0.1], 10, 1, 1 / 20, 'both: 1/(10 + 10)'],
  ])('a = %j, h = %j, β = %d, c = %d → %d (%s)', (a, h, beta, c, expected) => {
    expect(monotoneTimeStep(a, h, beta, c)).toBeCloseTo(expected, 14);
  });
  it('is Infinity for a flat non-viscous state (nothing moves)', () => {
    expect(monotoneTimeStep([0, 0], [0.1, 0.1], Infinity)).toBe(Infinity);
  });
  it('is sharp for the heat part: at a flat state (a = 0) the comparison principle holds just below β h² and fails above', () => {
    const grid = Grid.uniform([[0, 1]], [21]), h = grid.spacing[0], beta = 3;
    const zig = grid.sample(() => 0);
    const limit = monotoneTimeStep([0], [h], beta);
    expect(checkMonotone({ beta }, zig, { dt: 0.999 * limit }).monotone).toBe(true);
    expect(checkMonotone({ beta }, zig, { dt: 1.2 * limit }).monotone).toBe(false);
  });
});

describe('godunovStep', () => {
  it('moves a flat state nowhere and a linear state down by dt·½a² (exact for affine u away from edges)', () => {
    const grid = Grid.uniform([[0, 1]], [11]), out = grid.zeros();
    const slopes = godunovStep(grid.sample((x) => 3 * x), out, 0.01, { boundary: 'extrapolate' });
    expect(slopes[0]).toBeCloseTo(3, 12);
    const x = grid.axis(0);
    for (let i = 0; i < 11; i++) expect(out.data[i]).toBeCloseTo(3 * x[i] - 0.01 * 4.5, 12);
  });
});
