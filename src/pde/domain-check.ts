/**
 * Checks shared by the exact grid solvers: the memory cap, the backend choice, the region of
 * "points of interest" whose answer must not be biased by the grid box, and the warning / strict
 * reporting when it is.
 */
import type { Grid } from '../grids/grid.js';
import type { GridFunction } from '../grids/grid-function.js';
import { BACKEND_NAMES, type BackendName } from '../gpu/backend-name.js';
import { describe, mustBe, mustBeAllFinite } from '../util/validate.js';

/**
 * Default cap on the memory a solver call may allocate: 2 GiB. A request above the cap fails
 * before allocating, naming the bytes it would need; raise it with the `maxBytes` option.
 */
export const PDE_MEMORY_CAP_BYTES = 2 ** 31;

/**
 * Default fraction of the box width cut from each side to form the region of points of interest
 * (0.25: the middle half of the box on every axis). Box-boundary diagnostics look only there.
 */
export const PDE_INTERIOR_FRACTION = 0.25;

/** Throws a RangeError unless `bytes ≤ cap`. */
export function checkMemory(fn: string, bytes: number, cap: number): void {
  if (bytes > cap) {
    throw new RangeError(`${fn}: memory must stay within maxBytes = ${cap} bytes; got a request for ${bytes} bytes (${(bytes / 2 ** 20).toFixed(1)} MiB). Use a smaller grid or raise maxBytes.`);
  }
}

/** Validates `maxBytes` (a positive number, default {@link PDE_MEMORY_CAP_BYTES}). */
export function resolveMaxBytes(fn: string, maxBytes: number | undefined): number {
  const cap = maxBytes ?? PDE_MEMORY_CAP_BYTES;
  mustBe(fn, 'maxBytes', cap, typeof cap === 'number' && cap > 0, '> 0 (bytes)');
  return cap;
}

/**
 * For solvers with no gpu.js path (heatSmooth): accepts only the CPU float64 reference backend; a known GPU backend name is refused
 * with a RangeError that says so, an unknown name with the list of names.
 */
export function requireCpuBackend(fn: string, backend: BackendName | undefined): void {
  const b = backend ?? 'cpu';
  mustBe(fn, 'backend', b, (BACKEND_NAMES as readonly string[]).includes(b), `one of ${BACKEND_NAMES.map((n) => `'${n}'`).join(' | ')}`);
  mustBe(fn, 'backend', b, b === 'cpu', `'cpu' (the float64 reference; GPU backends are not wired into this solver yet)`);
}

/** Validates a grid function argument: a GridFunction whose samples are all finite. */
export function requireFiniteGridFunction(fn: string, f: GridFunction): void {
  if (typeof f !== 'object' || f === null || !(f.data instanceof Float64Array) || typeof f.grid !== 'object') {
    throw new TypeError(`${fn}: f must be a GridFunction; got ${describe(f)}.`);
  }
  mustBeAllFinite(fn, 'f', f.data, (p) => `x = ${describe(Array.from(f.grid.point(p)))} (point ${p})`);
}

/**
 * Index ranges [lo_k, hi_k] (inclusive) of the points of interest: those whose coordinate on every
 * axis lies at least `fraction`·width from both ends of the box.
 */
export function interiorRange(fn: string, grid: Grid, fraction: number): { lo: Int32Array; hi: Int32Array } {
  mustBe(fn, 'interior', fraction, typeof fraction === 'number' && fraction >= 0 && fraction < 0.5, 'in [0, 0.5) (fraction of the box width cut from each side)');
  const lo = new Int32Array(grid.ndim), hi = new Int32Array(grid.ndim);
  for (let k = 0; k < grid.ndim; k++) {
    const n = grid.shape[k];
    // Small slack (1e-9 cells) so that a point exactly at the cut counts as inside despite rounding.
    const cut = (fraction * (n - 1)) - 1e-9;
    lo[k] = Math.max(0, Math.ceil(cut));
    hi[k] = Math.min(n - 1, n - 1 - Math.ceil(cut));
  }
  return { lo, hi };
}

/** Whether flat index p lies in the index box [lo, hi]. */
export function inRange(grid: Grid, p: number, lo: Int32Array, hi: Int32Array): boolean {
  const { shape, strides } = grid;
  for (let k = 0; k < shape.length; k++) {
    const i = Math.floor(p / strides[k]) % shape[k];
    if (i < lo[k] || i > hi[k]) return false;
  }
  return true;
}

/** Reports a diagnostic: appends it to `warnings`, or throws a RangeError when `strict`. */
export function report(warnings: string[], message: string, strict: boolean): void {
  if (strict) throw new RangeError(message);
  warnings.push(message);
}
