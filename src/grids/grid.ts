/**
 * Uniform tensor-product grids in any dimension. A grid is a box [lower_k, upper_k] per axis with
 * shape[k] points per axis, ends included, so spacing[k] = (upper_k − lower_k)/(shape[k] − 1).
 * Flat indices are row-major, last axis fastest.
 */
import { GridFunction } from './grid-function.js';
import { sampleOnGrid, type SampleSource } from './sample.js';
import { mustBe, mustBeType, describe } from '../util/validate.js';

/** Largest number of grid points we allocate (Float64Array of 2^28 values = 2 GiB). */
export const MAX_GRID_POINTS = 2 ** 28;

export class Grid {
  /** Number of axes. */
  readonly ndim: number;
  /** Points per axis, ends included. */
  readonly shape: readonly number[];
  /** Total number of points. */
  readonly size: number;
  /** Lower corner of the box. */
  readonly lower: readonly number[];
  /** Upper corner of the box. */
  readonly upper: readonly number[];
  /** Spacing h_k per axis. */
  readonly spacing: readonly number[];
  /** Row-major strides (last axis has stride 1). */
  readonly strides: readonly number[];
  private readonly axes: Float64Array[];

  private constructor(lower: number[], upper: number[], shape: number[]) {
    this.ndim = shape.length;
    this.shape = Object.freeze([...shape]);
    this.lower = Object.freeze([...lower]);
    this.upper = Object.freeze([...upper]);
    this.spacing = Object.freeze(shape.map((n, k) => (upper[k] - lower[k]) / (n - 1)));
    const strides = new Array<number>(shape.length);
    let size = 1;
    for (let k = shape.length - 1; k >= 0; k--) { strides[k] = size; size *= shape[k]; }
    this.strides = Object.freeze(strides);
    this.size = size;
    this.axes = shape.map((n, k) => {
      const a = new Float64Array(n);
      // lower + i·h except the last point, which is exactly `upper` (no accumulated rounding).
      for (let i = 0; i < n; i++) a[i] = i === n - 1 ? upper[k] : lower[k] + i * this.spacing[k];
      return a;
    });
  }

  /**
   * A uniform grid on the box `bounds` with `shape[k]` points on axis k, ends included.
   * @param bounds - one [lower, upper] pair per axis, finite with lower < upper
   * @param shape - points per axis, integers ≥ 2
   * @throws RangeError on empty or mismatched dimensions, lower ≥ upper, non-integer or < 2 points,
   *   or more than {@link MAX_GRID_POINTS} points in total
   * @example const grid = Grid.uniform([[-2, 2], [-1, 1]], [401, 201]); // spacing [0.01, 0.01]
   */
  static uniform(bounds: readonly (readonly [number, number])[], shape: readonly number[]): Grid {
    mustBeType('Grid.uniform', 'bounds', bounds, Array.isArray(bounds), 'an array of [lower, upper] pairs');
    mustBeType('Grid.uniform', 'shape', shape, Array.isArray(shape), 'an array of point counts');
    mustBe('Grid.uniform', 'bounds', bounds, bounds.length > 0, 'non-empty (at least one axis)');
    mustBe('Grid.uniform', 'shape', shape, shape.length === bounds.length,
      `of the same length as bounds (${bounds.length} axes)`);
    const lower: number[] = [], upper: number[] = [];
    let total = 1;
    for (let k = 0; k < bounds.length; k++) {
      const b = bounds[k];
      mustBeType('Grid.uniform', `bounds[${k}]`, b, Array.isArray(b) && b.length === 2, 'a [lower, upper] pair');
      mustBe('Grid.uniform', `bounds[${k}]`, b, Number.isFinite(b[0]) && Number.isFinite(b[1]), 'finite');
      mustBe('Grid.uniform', `bounds[${k}]`, b, b[0] < b[1], 'an interval with lower < upper');
      const n = shape[k];
      mustBe('Grid.uniform', `shape[${k}]`, n, Number.isInteger(n) && n >= 2, 'an integer ≥ 2 (points per axis, ends included)');
      lower.push(b[0]); upper.push(b[1]);
      total *= n;
    }
    mustBe('Grid.uniform', 'shape', shape, total <= MAX_GRID_POINTS,
      `at most ${MAX_GRID_POINTS} points in total (${total} requested)`);
    return new Grid(lower, upper, [...shape]);
  }

  /** Coordinates of the points on axis k (a shared array: do not modify). */
  axis(k: number): Float64Array {
    mustBe('Grid.axis', 'k', k, Number.isInteger(k) && k >= 0 && k < this.ndim, `an axis in [0, ${this.ndim - 1}]`);
    return this.axes[k];
  }

  /** Flat index of the multi-index `index` (row-major). */
  flatIndex(index: readonly number[]): number {
    mustBe('Grid.flatIndex', 'index', index, index.length === this.ndim, `of length ${this.ndim}`);
    let p = 0;
    for (let k = 0; k < this.ndim; k++) {
      const i = index[k];
      mustBe('Grid.flatIndex', `index[${k}]`, i, Number.isInteger(i) && i >= 0 && i < this.shape[k], `an integer in [0, ${this.shape[k] - 1}]`);
      p += i * this.strides[k];
    }
    return p;
  }

  /** Multi-index of flat index p. */
  multiIndex(p: number): number[] {
    mustBe('Grid.multiIndex', 'p', p, Number.isInteger(p) && p >= 0 && p < this.size, `an integer in [0, ${this.size - 1}]`);
    const out = new Array<number>(this.ndim);
    for (let k = 0; k < this.ndim; k++) { out[k] = Math.floor(p / this.strides[k]) % this.shape[k]; }
    return out;
  }

  /** Coordinates of flat index p, written into `out` when given (no allocation). */
  point(p: number, out: number[] | Float64Array = new Array<number>(this.ndim)): number[] | Float64Array {
    for (let k = 0; k < this.ndim; k++) out[k] = this.axes[k][Math.floor(p / this.strides[k]) % this.shape[k]];
    return out;
  }

  /** Whether x lies in the closed box. */
  contains(x: readonly number[]): boolean {
    for (let k = 0; k < this.ndim; k++) if (!(x[k] >= this.lower[k] && x[k] <= this.upper[k])) return false;
    return true;
  }

  /** The same box with 2·n − 1 points per axis (spacing halved), for convergence studies. */
  refine(): Grid {
    return new Grid([...this.lower], [...this.upper], this.shape.map((n) => 2 * n - 1));
  }

  /** Whether two grids have the same box and shape (exactly). */
  equals(other: Grid): boolean {
    if (other.ndim !== this.ndim) return false;
    for (let k = 0; k < this.ndim; k++) {
      if (other.shape[k] !== this.shape[k] || other.lower[k] !== this.lower[k] || other.upper[k] !== this.upper[k]) return false;
    }
    return true;
  }

  /**
   * Samples f at every grid point.
   * @param f - a function of the coordinates `(x0, x1, …) => number`, or a mathjs expression string in
   *   the variables x (1-D) or x, y, z (2-D/3-D); `pi`, `e`, and mathjs functions are available
   * @throws RangeError naming the first point where f is NaN or ±∞; SyntaxError-style RangeError for an
   *   unparseable expression or unknown variables
   * @example Grid.uniform([[-3, 3]], [500]).sample('x^2 + 1.5*sin(2*pi*x)')
   */
  sample(f: SampleSource): GridFunction {
    return new GridFunction(this, sampleOnGrid(this, f));
  }

  /** Zero-filled function on this grid. */
  zeros(): GridFunction {
    return new GridFunction(this, new Float64Array(this.size));
  }

  /** A readable description, e.g. `Grid([-2, 2] × [-1, 1], shape [401, 201])`. */
  toString(): string {
    const box = this.lower.map((l, k) => `[${l}, ${this.upper[k]}]`).join(' × ');
    return `Grid(${box}, shape ${describe([...this.shape])})`;
  }
}
