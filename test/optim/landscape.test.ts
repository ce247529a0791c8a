import { describe, it, expect } from 'vitest';
import { sgd } from '../../src/optim/sgd.js';
import { entropySGD } from '../../src/optim/entropy-sgd.js';
import { hj } from '../../src/optim/hj.js';
import type { GradientOracle, Optimizer } from '../../src/optim/types.js';
import { Rng } from '../../src/util/random.js';
import { wilson } from './helpers.js';

// A 1-D landscape with a sharp global minimum and a wide shallow one:
//   f(x) = (x − 1.5)²/(2·1.2²) − 2.4·exp(−(x + 1)²/(2·0.15²))
// The wide valley (curvature 1/1.44 ≈ 0.69) bottoms out at f(1.5) ≈ 0; the narrow hole at x = −1
// (curvature ≈ 2.4/0.15² ≈ 107) reaches f ≈ −0.23, the global minimum. Gradient descent started left
// of the barrier x* (the local maximum between them) falls into the hole: every start in [−3, x*].
const b = 1.5, W = 1.2, depth = 2.4, a = -1, s = 0.15;
const value = (x: number): number => (x - b) ** 2 / (2 * W * W) - depth * Math.exp(-((x - a) ** 2) / (2 * s * s));
const slope = (x: number): number => (x - b) / (W * W) + (depth * Math.exp(-((x - a) ** 2) / (2 * s * s)) * (x - a)) / (s * s);
const oracle: GradientOracle = (x, g) => { g[0] = slope(x[0]); return value(x[0]); };

/** The barrier: the zero of f' between the hole and the wide valley (f' < 0 just right of the hole's rim… bisection on f' > 0 → < 0). */
function barrier(): number {
  let lo = -0.95, hi = 1.0; // f'(lo) > 0 (inside the hole's right wall), f'(hi) < 0 (valley's left wall)
  for (let i = 0; i < 200; i++) { const mid = (lo + hi) / 2; if (slope(mid) > 0) lo = mid; else hi = mid; }
  return (lo + hi) / 2;
}

function outcomes(make: (i: number) => Optimizer, steps: number, n: number): { wide: number; sharp: number } {
  const starts = new Rng(2024);
  let wide = 0, sharp = 0;
  for (let i = 0; i < n; i++) {
    const x = new Float64Array([-3 + 6 * starts.uniform()]);
    const opt = make(i);
    for (let k = 0; k < steps; k++) opt.step(x, oracle);
    if (Math.abs(x[0] - b) < 0.8) wide++; else if (Math.abs(x[0] - a) < 0.3) sharp++;
  }
  return { wide, sharp };
}

describe('sharp vs wide minima (100 seeded starts uniform in [−3, 3], 99% Wilson intervals)', () => {
  const n = 100;
  const chance = (barrier() + 3) / 6; // the fraction of starts in the hole's basin of attraction
  const gd = outcomes(() => sgd({ lr: 0.01 }), 1500, n);
  it('gradient descent ends in the sharp minimum as often as its basin of attraction dictates', () => {
    const ci = wilson(gd.sharp, n);
    expect(chance).toBeGreaterThan(ci.lo);
    expect(chance).toBeLessThan(ci.hi);
    expect(gd.sharp + gd.wide).toBe(n);
  });
  it('Entropy-SGD (β = 2, t = 1, L = 150) reaches the wide valley from almost every start', () => {
    // β = 2: the Gibbs weight of the hole, e^{0.23β}·√(2π/(107β)), is ≈ 1/3 of the valley's √(2π·1.44/β),
    // so the local entropy's global minimum is the wide valley; η′ = 0.015 < 2/107 keeps SGLD stable in the hole.
    const e = outcomes((i) => entropySGD({ lr: 0.5, t: 1, innerSteps: 150, innerLr: 0.015, beta: 2, alpha: 0.05, seed: i }), 60, n);
    const ci = wilson(e.wide, n), gdWide = wilson(gd.wide, n);
    expect(ci.lo).toBeGreaterThan(0.85);
    expect(ci.lo).toBeGreaterThan(gdWide.hi);
  });
  it('HJ (fixed point, t = 0.3) leaves the sharp hole: t·107 ≫ 1 makes the damped iteration expand there', () => {
    // In the hole the map p ↦ 0.75p + 0.25 f'(x − tp) has slope 0.75 − 0.25·t·f'' ≈ −7: the estimate
    // of ∇u overshoots out of the hole, while in the valley (t·f'' ≈ 0.2) it contracts.
    const h = outcomes(() => hj({ lr: 0.15, t: 0.3, innerSteps: 10 }), 150, n);
    const ci = wilson(h.wide, n);
    expect(ci.lo).toBeGreaterThan(0.85);
    expect(ci.lo).toBeGreaterThan(wilson(gd.wide, n).hi);
  });
});
