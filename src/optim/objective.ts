/**
 * Deterministic objectives: value and exact gradient, from a TS function with a hand gradient, a
 * mathjs expression (gradient by symbolic differentiation, compiled once), or a TS value function
 * with a mathjs gradient source.
 */
import type { GradientOracle, Vector } from './types.js';
import { compileExpression, compileGradient } from '../grids/expression.js';
import { mustBe, mustBeInteger, mustBeType } from '../util/validate.js';

/** A deterministic objective on R^dim. */
export interface Objective {
  /** Dimension d. */
  readonly dim: number;
  /** f(x). */
  value(x: ArrayLike<number>): number;
  /** Writes ∇f(x) into `out` and returns f(x). */
  gradient(x: ArrayLike<number>, out: Vector): number;
  /** The same as {@link Objective.gradient}, as a {@link GradientOracle}. */
  readonly oracle: GradientOracle;
}

/** How to build an {@link Objective}. */
export interface ObjectiveSpec {
  /** Dimension d ≥ 1 (variables x; x, y; x, y, z; or x0…x{d−1} in expressions). */
  dim: number;
  /** f as a TS function of the point, or a mathjs expression string. */
  f: ((x: ArrayLike<number>) => number) | string;
  /**
   * ∇f: a TS function writing into `out`, or a mathjs expression of f to differentiate
   * symbolically. Optional when `f` is an expression (then its symbolic gradient is used).
   */
  gradient?: ((x: ArrayLike<number>, out: Vector) => void) | string;
}

/**
 * A deterministic objective (value + exact gradient).
 * @throws RangeError if dim is not an integer ≥ 1, or an expression does not compile
 * @throws TypeError if `f` is a function and no gradient is given
 * @example const { oracle } = objective({ dim: 1, f: 'x^2/2' }); // ∇f = x
 */
export function objective(spec: ObjectiveSpec): Objective {
  const { dim } = spec;
  mustBeInteger('objective', 'dim', dim, 1);
  let value: (x: ArrayLike<number>) => number;
  const args = new Array<number>(dim);
  if (typeof spec.f === 'string') {
    const compiled = compileExpression(spec.f, dim);
    value = (x) => { for (let k = 0; k < dim; k++) args[k] = x[k]; return compiled(...args); };
  } else {
    mustBeType('objective', 'f', spec.f, typeof spec.f === 'function', 'a function or a mathjs expression string');
    value = spec.f;
  }
  const gradSource = spec.gradient ?? (typeof spec.f === 'string' ? spec.f : undefined);
  mustBeType('objective', 'gradient', gradSource, gradSource !== undefined, 'given (a function, or a mathjs expression of f) when f is a function');
  let gradient: (x: ArrayLike<number>, out: Vector) => void;
  if (typeof gradSource === 'string') {
    const compiled = compileGradient(gradSource, dim);
    const tmp = new Float64Array(dim);
    gradient = (x, out) => { compiled(x, tmp); for (let k = 0; k < dim; k++) out[k] = tmp[k]; };
  } else {
    mustBeType('objective', 'gradient', gradSource, typeof gradSource === 'function', 'a function or a mathjs expression string');
    gradient = gradSource!;
  }
  const evaluate = (x: ArrayLike<number>, out: Vector): number => {
    mustBe('objective', 'x.length', x.length, x.length === dim, `${dim}`);
    gradient(x, out);
    return value(x);
  };
  return { dim, value, gradient: evaluate, oracle: evaluate };
}
