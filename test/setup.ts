/**
 * Custom matchers. `toBeAllclose(expected, { atol, rtol })` checks |a − e| ≤ atol + rtol·|e|
 * elementwise, and on failure reports the worst index, both values and the error.
 */
import { expect } from 'vitest';

interface AllcloseOptions { atol?: number; rtol?: number }

function toArray(v: unknown): number[] | null {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) return v as number[];
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>);
  return null;
}

expect.extend({
  toBeAllclose(received: unknown, expected: unknown, options: AllcloseOptions = {}) {
    const atol = options.atol ?? 1e-12, rtol = options.rtol ?? 0;
    const a = toArray(received), e = toArray(expected);
    if (!a || !e) return { pass: false, message: () => 'toBeAllclose: both values must be numbers, arrays or typed arrays' };
    const scalarExpected = e.length === 1 && a.length !== 1;
    if (!scalarExpected && a.length !== e.length) {
      return { pass: false, message: () => `toBeAllclose: length ${a.length} received, ${e.length} expected` };
    }
    let worst = -1, worstExcess = -Infinity;
    for (let i = 0; i < a.length; i++) {
      const ei = scalarExpected ? e[0] : e[i];
      const err = Math.abs(a[i] - ei), tol = atol + rtol * Math.abs(ei);
      const bad = Number.isNaN(a[i]) !== Number.isNaN(ei) || (!Number.isNaN(ei) && (a[i] !== ei) && !(err <= tol));
      const excess = bad ? (Number.isFinite(err - tol) ? err - tol : Infinity) : err - tol;
      if (excess > worstExcess || worst < 0) { worstExcess = excess; worst = i; }
      if (bad && excess === Infinity) break;
    }
    const i = worst, ei = scalarExpected ? e[0] : e[i];
    const err = Math.abs(a[i] - ei), tol = atol + rtol * Math.abs(ei);
    const pass = !(Number.isNaN(a[i]) !== Number.isNaN(ei) || (!Number.isNaN(ei) && a[i] !== ei && !(err <= tol)));
    return {
      pass,
      message: () => `expected arrays ${pass ? 'not ' : ''}to be close (atol ${atol}, rtol ${rtol}); worst index ${i}: received ${a[i]}, expected ${ei}, |error| ${err} vs tolerance ${tol}`,
    };
  },
});

declare module 'vitest' {
  interface Assertion<T = any> { toBeAllclose(expected: unknown, options?: AllcloseOptions): T }
  interface AsymmetricMatchersContaining { toBeAllclose(expected: unknown, options?: AllcloseOptions): unknown }
}
