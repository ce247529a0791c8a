/**
 * Sampling user functions on grids: a TS function of the coordinates, or a mathjs expression
 * compiled once (see expression.ts). Every sample must be finite; the first bad one is reported.
 */
import type { Grid } from './grid.js';
import { compileExpression, type CompiledFunction } from './expression.js';
import { describe } from '../util/validate.js';

/** What can be sampled: `(x0, x1, …) => number` or a mathjs expression string. */
export type SampleSource = CompiledFunction | string;

/**
 * Samples `f` at every point of `grid` into a fresh Float64Array (row-major).
 * @throws RangeError naming the first point where f is not finite, or for a bad expression
 * @throws TypeError if f is neither a function nor a string
 */
export function sampleOnGrid(grid: Grid, f: SampleSource): Float64Array {
  let fn: CompiledFunction;
  if (typeof f === 'string') fn = compileExpression(f, grid.ndim);
  else if (typeof f === 'function') fn = f;
  else throw new TypeError(`Grid.sample: f must be a function of the coordinates or a mathjs expression string; got ${describe(f)}.`);
  const { ndim, size, shape } = grid;
  const out = new Float64Array(size);
  const axes = Array.from({ length: ndim }, (_, k) => grid.axis(k));
  const args = new Array<number>(ndim).fill(0);
  const index = new Int32Array(ndim);
  for (let k = 0; k < ndim; k++) args[k] = axes[k][0];
  for (let p = 0; p < size; p++) {
    const v = ndim === 1 ? fn(args[0]) : ndim === 2 ? fn(args[0], args[1]) : fn(...args);
    if (!Number.isFinite(v)) {
      throw new RangeError(`Grid.sample: f must be finite at every grid point; got ${v} at x = ${describe(args)} (point ${p}).`);
    }
    out[p] = v;
    // Odometer increment of the multi-index, last axis fastest.
    for (let k = ndim - 1; k >= 0; k--) {
      if (++index[k] < shape[k]) { args[k] = axes[k][index[k]]; break; }
      index[k] = 0; args[k] = axes[k][0];
    }
  }
  return out;
}
