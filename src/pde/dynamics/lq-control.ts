/**
 * Closed form of the 1-D linear–quadratic case of controlled SGD (f = ½a x², paper-notes §3.10),
 * the test anchor of {@link solveControlHJB}. With drift coefficient k ∈ {0, 1} and τ = T − s the
 * value is u = ½P(τ)x² + c(τ), where the Riccati and offset equations
 *   dP/dτ = −2kaP − P²,  dc/dτ = (σ²/2)P,  P(0) = a, c(0) = 0
 * give, for k = 1: P = 2a/(3e^{2aτ} − 1), c = (σ²/2)[ln((3e^{2aτ} − 1)/2) − 2aτ];
 * and for k = 0: P = a/(1 + aτ), c = (σ²/2) ln(1 + aτ) — the Cole–Hopf quadratic formula (T4).
 * Uncontrolled SGD (α = 0) ends at x(T) ~ N(x0 e^{−kaT}, σ²(1 − e^{−2kaT})/(2ka)) (σ²T for k = 0).
 */
import { mustBe, mustBePositive } from '../../util/validate.js';
import type { ControlDrift } from './control-hjb.js';

/** The LQ value function and the uncontrolled expectation. */
export interface LQControl {
  /** u(x, s) = ½P(T − s)x² + c(T − s). */
  value(x: number, s: number): number;
  /** α*(x, s) = P(T − s)·x. */
  control(x: number, s: number): number;
  /** E f(x_sgd(T)) from x0, with no control. */
  expectedUncontrolled(x0: number): number;
}

/**
 * The exact LQ solution for f = ½a x².
 * @param a - curvature; needs 3e^{2aT} > 1 (k = 1) or 1 + aT > 0 (k = 0) so that P stays finite
 * @param options.horizon - T > 0; options.beta - β > 0 (σ² = 1/β); options.drift - 'gradient' (default) | 'none'
 * @throws RangeError for a bad horizon, β, drift, or a finite-time blow-up of the Riccati equation
 * @example lqControl(1, { horizon: 1, beta: 4 }).value(0, 0) // (1/8)[ln((3e² − 1)/2) − 2]
 */
export function lqControl(a: number, options: { horizon: number; beta: number; drift?: ControlDrift }): LQControl {
  const fn = 'lqControl';
  mustBe(fn, 'a', a, Number.isFinite(a) && a !== 0, 'finite and ≠ 0');
  const T = options?.horizon, beta = options?.beta, drift = options.drift ?? 'gradient';
  mustBePositive(fn, 'horizon', T);
  mustBePositive(fn, 'beta', beta);
  mustBe(fn, 'drift', drift, drift === 'gradient' || drift === 'none', "'gradient' | 'none'");
  const sigma2 = 1 / beta, k = drift === 'gradient' ? 1 : 0;
  mustBe(fn, 'a', a, k === 1 ? 3 * Math.exp(2 * a * T) > 1 : 1 + a * T > 0, 'such that the Riccati solution stays finite on [0, T]');
  const P = (tau: number): number => (k === 1 ? (2 * a) / (3 * Math.exp(2 * a * tau) - 1) : a / (1 + a * tau));
  const c = (tau: number): number => (k === 1
    ? (sigma2 / 2) * (Math.log((3 * Math.exp(2 * a * tau) - 1) / 2) - 2 * a * tau)
    : (sigma2 / 2) * Math.log1p(a * tau));
  return {
    value: (x, s) => 0.5 * P(T - s) * x * x + c(T - s),
    control: (x, s) => P(T - s) * x,
    expectedUncontrolled: (x0) => {
      const mean = k === 1 ? x0 * Math.exp(-a * T) : x0;
      const variance = k === 1 ? (sigma2 * -Math.expm1(-2 * a * T)) / (2 * a) : sigma2 * T;
      return 0.5 * a * (mean * mean + variance);
    },
  };
}
