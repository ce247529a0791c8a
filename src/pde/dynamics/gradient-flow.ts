/**
 * Deterministic gradient flow dX/ds = −∇F(X), integrated by classical RK4: the homogenized limit of
 * Entropy-SGD when ∇F = ∇f_t, the local-entropy gradient (paper-notes §3.8).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { coleHopf } from '../cole-hopf.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType } from '../../util/validate.js';

/** Writes ∇F(x) into `out` (both of length d). An optimizer's GradientOracle fits this type. */
export type GradientField = (x: Float64Array, out: Float64Array) => unknown;

/** Options of {@link gradientFlow}. */
export interface GradientFlowOptions {
  /** Final time S > 0. */
  horizon: number;
  /** RK4 steps. @defaultValue 1000 */
  steps?: number;
  /** Number of equal output intervals (outputs + 1 recorded states, s = 0 included). @defaultValue 20 */
  outputs?: number;
}

/**
 * X(s) for dX/ds = −∇F(X), X(0) = x0, by RK4 with `steps` equal steps (error O(Δs⁴) for smooth ∇F).
 * @param gradient - ∇F
 * @param x0 - start point
 * @param options - {@link GradientFlowOptions}; `steps` must be a multiple of `outputs`
 * @returns states at s_j = j·horizon/outputs, row-major (outputs + 1) × d
 * @throws TypeError if gradient is not a function; RangeError for a bad horizon, step count or x0, or a non-finite state
 * @example gradientFlow((x, g) => { g[0] = x[0]; }, [1], { horizon: 1, outputs: 1 })[1] // ≈ e^{−1}
 */
export function gradientFlow(gradient: GradientField, x0: readonly number[], options: GradientFlowOptions): Float64Array {
  const fn = 'gradientFlow';
  mustBeType(fn, 'gradient', gradient, typeof gradient === 'function', 'a function (x, out) => void');
  mustBe(fn, 'x0', x0, Array.isArray(x0) && x0.length > 0 && x0.every(Number.isFinite), 'a non-empty array of finite numbers');
  const horizon = options?.horizon;
  mustBePositive(fn, 'horizon', horizon);
  const outputs = options.outputs ?? 20, steps = options.steps ?? 1000;
  mustBeInteger(fn, 'outputs', outputs, 1);
  mustBeInteger(fn, 'steps', steps, 1);
  mustBe(fn, 'steps', steps, steps % outputs === 0, `a multiple of outputs = ${outputs}`);
  const d = x0.length, ds = horizon / steps, every = steps / outputs;
  const x = Float64Array.from(x0), stage = new Float64Array(d);
  const k1 = new Float64Array(d), k2 = new Float64Array(d), k3 = new Float64Array(d), k4 = new Float64Array(d);
  const out = new Float64Array((outputs + 1) * d);
  out.set(x, 0);
  for (let n = 1; n <= steps; n++) {
    gradient(x, k1);
    for (let k = 0; k < d; k++) stage[k] = x[k] - 0.5 * ds * k1[k];
    gradient(stage, k2);
    for (let k = 0; k < d; k++) stage[k] = x[k] - 0.5 * ds * k2[k];
    gradient(stage, k3);
    for (let k = 0; k < d; k++) stage[k] = x[k] - ds * k3[k];
    gradient(stage, k4);
    for (let k = 0; k < d; k++) x[k] -= (ds / 6) * (k1[k] + 2 * k2[k] + 2 * k3[k] + k4[k]);
    if (n % every === 0) {
      for (let k = 0; k < d; k++) if (!Number.isFinite(x[k])) throw new RangeError(`${fn}: the state became non-finite at step ${n} (s = ${n * ds}); reduce the step.`);
      out.set(x, (n / every) * d);
    }
  }
  return out;
}

/**
 * The local-entropy gradient ∇f_t(x) = (x − ⟨y⟩(x))/t as a {@link GradientField}, with ⟨y⟩ from
 * `coleHopf(f, t, beta).mean` interpolated multilinearly (O(h²) between grid points; points outside
 * the box are clamped to it). The homogenized limit of {@link simulateEntropySDE} is the gradient
 * flow of this field.
 * @param f - loss samples on a grid
 * @param t - relaxation time > 0
 * @param beta - inverse temperature > 0, finite
 * @throws as `coleHopf` (bad t or β, a grid too coarse for √(t/β))
 * @example gradientFlow(localEntropyGradient(f, 0.5, 4), [1.6], { horizon: 1.5 })
 */
export function localEntropyGradient(f: GridFunction, t: number, beta: number): GradientField {
  const { mean } = coleHopf(f, t, beta);
  const d = f.grid.ndim;
  return (x: Float64Array, out: Float64Array): void => {
    for (let k = 0; k < d; k++) out[k] = (x[k] - mean[k].at(x, { outside: 'clamp' })) / t;
  };
}
