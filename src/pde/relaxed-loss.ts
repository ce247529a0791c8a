/**
 * A relaxed loss u(·, t) sampled on a grid, evaluated anywhere in the box by multilinear
 * interpolation, with the point y(x) such that ∇u(x) = (x − y(x))/t (the prox point for Hopf–Lax,
 * the Gibbs mean for Cole–Hopf).
 */
import type { GridFunction } from '../grids/grid-function.js';
import type { OutsidePolicy } from '../grids/interpolate.js';

/** Which solver produced a {@link RelaxedLoss}. */
export type RelaxSolver = 'hopf-lax' | 'cole-hopf' | 'fd';

/** The relaxed loss u(·, t) of f with its gradient, at any point of the grid box. */
export interface RelaxedLoss {
  /** u(·, t) on the grid. */
  readonly u: GridFunction;
  /** prox[k] (Hopf–Lax) or mean[k] (Cole–Hopf) on the grid: the k-th coordinate of y(x). */
  readonly proxFields: readonly GridFunction[];
  /** Relaxation time. */
  readonly t: number;
  /** Inverse temperature (Infinity = non-viscous). */
  readonly beta: number;
  /** The solver used. */
  readonly method: RelaxSolver;
  /** Diagnostics from the solver (box boundary, resolution). */
  readonly warnings: readonly string[];
  /** u(x, t) by multilinear interpolation (second order in h). */
  value(x: readonly number[]): number;
  /** ∇u(x, t) = (x − prox(x))/t, prox interpolated (interpolation is exact on the affine part x). */
  gradient(x: readonly number[]): number[];
  /** y(x): the prox point (β = ∞) or Gibbs mean (finite β), interpolated. */
  prox(x: readonly number[]): number[];
}

/**
 * Wraps grid results as a {@link RelaxedLoss}.
 * @param outside - what value/gradient/prox do outside the box: 'error' (default), 'clamp', 'extrapolate'
 */
export function gridRelaxedLoss(
  u: GridFunction, proxFields: GridFunction[], t: number, beta: number, method: RelaxSolver, warnings: string[],
  outside: OutsidePolicy = 'error',
): RelaxedLoss {
  const prox = (x: readonly number[]) => proxFields.map((field) => field.at(x, { outside }));
  return {
    u, proxFields, t, beta, method, warnings,
    value: (x) => u.at(x, { outside }),
    prox,
    gradient: (x) => { const y = prox(x); return y.map((yk, k) => (x[k] - yk) / t); },
  };
}
