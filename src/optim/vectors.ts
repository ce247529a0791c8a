/**
 * Scratch vectors for optimizers: allocated once per optimizer, sized and typed from the first x
 * seen (Float64Array or Float32Array, as the oracle's gradient must match x), reused every step.
 */
import type { Vector } from './types.js';

/** A zero vector of the same type as `x` and length `n` (default x.length). */
export function vectorLike(x: Vector, n: number = x.length): Vector {
  return x instanceof Float32Array ? new Float32Array(n) : new Float64Array(n);
}

/**
 * Checks that `x` has the length the optimizer's buffers were built for.
 * @throws RangeError `fn: x must have length n; got m.` (an optimizer is bound to one problem size)
 */
export function requireLength(fn: string, x: Vector, n: number): void {
  if (x.length !== n) {
    throw new RangeError(`${fn}: x must have length ${n} (the size this optimizer was first used with); got ${x.length}.`);
  }
}

/** A Float64Array copy of a vector, for structuredClone-able state records. */
export function snapshot(v: Vector | null): Float64Array | null {
  return v === null ? null : Float64Array.from(v);
}

/**
 * Returns a buffer for x: `buf` itself when it matches x's type and length, a zero vector like x
 * when `buf` is null, or a converted copy when a loaded snapshot (Float64Array) meets a Float32Array x.
 * @throws RangeError if the lengths differ
 */
export function adopt(fn: string, buf: Vector | null, x: Vector): Vector {
  if (buf === null) return vectorLike(x);
  requireLength(fn, x, buf.length);
  if ((buf instanceof Float32Array) === (x instanceof Float32Array)) return buf;
  const out = vectorLike(x);
  out.set(buf);
  return out;
}
