/**
 * A function sampled on a grid: the grid plus a Float64Array of values (row-major, last axis
 * fastest), with an ndarray view for axis-wise work and interpolation at arbitrary points.
 */
import ndarray, { type NdArray } from 'ndarray';
import type { Grid } from './grid.js';
import { interpolate, type OutsidePolicy } from './interpolate.js';
import { mustBe, mustBeType } from '../util/validate.js';

export class GridFunction {
  /** The grid the samples live on. */
  readonly grid: Grid;
  /** Samples, row-major, last axis fastest; length grid.size. */
  readonly data: Float64Array;

  /**
   * Wraps samples on a grid (no copy).
   * @throws TypeError if data is not a Float64Array; RangeError if its length is not grid.size
   */
  constructor(grid: Grid, data: Float64Array) {
    mustBeType('GridFunction', 'data', data, data instanceof Float64Array, 'a Float64Array');
    mustBe('GridFunction', 'data.length', data.length, data.length === grid.size, `equal to grid.size = ${grid.size}`);
    this.grid = grid;
    this.data = data;
  }

  /** An ndarray view over `data` with the grid's shape (shares memory). */
  get view(): NdArray<Float64Array> {
    return ndarray(this.data, [...this.grid.shape]);
  }

  /**
   * Multilinear interpolation at x (exact at grid points, second order in between).
   * @param options.outside - 'error' (default), 'clamp' or 'extrapolate' for points outside the box
   * @throws RangeError if x has the wrong length or lies outside the box (by default)
   */
  at(x: ArrayLike<number>, options: { outside?: OutsidePolicy } = {}): number {
    return interpolate(this.grid, this.data, x, options.outside ?? 'error');
  }

  /** Value at a multi-index. */
  atIndex(index: readonly number[]): number {
    return this.data[this.grid.flatIndex(index)];
  }

  /** Smallest sample (NaN if any sample is NaN). */
  min(): number {
    return this.data[this.argmin()];
  }

  /** Largest sample (NaN if any sample is NaN). */
  max(): number {
    let best = 0;
    const d = this.data;
    for (let p = 0; p < d.length; p++) { if (Number.isNaN(d[p])) return NaN; if (d[p] > d[best]) best = p; }
    return d[best];
  }

  /** Flat index of the smallest sample (the first one on ties; a NaN sample wins so that it is seen). */
  argmin(): number {
    let best = 0;
    const d = this.data;
    for (let p = 0; p < d.length; p++) { if (Number.isNaN(d[p])) return p; if (d[p] < d[best]) best = p; }
    return best;
  }

  /** Coordinates of the smallest sample. */
  argminPoint(): number[] {
    return this.grid.point(this.argmin()) as number[];
  }

  /** max_p |data[p]| (NaN if any sample is NaN). */
  normInf(): number {
    let m = 0;
    const d = this.data;
    for (let p = 0; p < d.length; p++) {
      const a = Math.abs(d[p]);
      if (a > m) m = a;
      else if (Number.isNaN(a)) return NaN;
    }
    return m;
  }

  /** Discrete L² norm (Σ |data|² Π h_k)^{1/2}, a quadrature of the continuous L² norm. */
  normL2(): number {
    let s = 0;
    const d = this.data;
    for (let p = 0; p < d.length; p++) s += d[p] * d[p];
    let cell = 1;
    for (const h of this.grid.spacing) cell *= h;
    return Math.sqrt(s * cell);
  }

  /** A deep copy (fresh data). */
  clone(): GridFunction {
    return new GridFunction(this.grid, this.data.slice());
  }

  /** Pointwise map into a fresh GridFunction (the callback receives the value and flat index). */
  map(fn: (value: number, p: number) => number): GridFunction {
    const out = new Float64Array(this.data.length);
    for (let p = 0; p < out.length; p++) out[p] = fn(this.data[p], p);
    return new GridFunction(this.grid, out);
  }

  /** this − other, pointwise (same grid required). */
  minus(other: GridFunction): GridFunction {
    this.requireSameGrid('GridFunction.minus', other);
    const out = new Float64Array(this.data.length);
    for (let p = 0; p < out.length; p++) out[p] = this.data[p] - other.data[p];
    return new GridFunction(this.grid, out);
  }

  /** this + other, pointwise (same grid required). */
  plus(other: GridFunction): GridFunction {
    this.requireSameGrid('GridFunction.plus', other);
    const out = new Float64Array(this.data.length);
    for (let p = 0; p < out.length; p++) out[p] = this.data[p] + other.data[p];
    return new GridFunction(this.grid, out);
  }

  /** Throws unless `other` lives on an identical grid. */
  requireSameGrid(fn: string, other: GridFunction): void {
    if (!this.grid.equals(other.grid)) {
      throw new RangeError(`${fn}: both functions must live on the same grid; got ${this.grid.toString()} and ${other.grid.toString()}.`);
    }
  }
}
