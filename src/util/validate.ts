/**
 * Argument validation shared by every public entry point. Messages follow
 * `<function>: <argument> must be <condition>; got <value>.` (STYLE.md §4).
 */

/** Formats a value for an error message: arrays as `[a, b]`, strings quoted. */
export function describe(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const arr = Array.from(value as unknown as ArrayLike<number>);
    return arr.length > 8 ? `[${arr.slice(0, 8).join(', ')}, … (${arr.length} values)]` : `[${arr.join(', ')}]`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/**
 * Throws a RangeError `fn: name must be want; got value.` unless `ok`.
 * @param fn - public function that received the argument
 * @param name - argument name as the user wrote it
 * @param value - the offending value
 * @param ok - whether the value is acceptable
 * @param want - the condition, phrased to follow "must be"
 * @throws RangeError when `ok` is false
 */
export function mustBe(fn: string, name: string, value: unknown, ok: boolean, want: string): void {
  if (!ok) throw new RangeError(`${fn}: ${name} must be ${want}; got ${describe(value)}.`);
}

/** Like {@link mustBe} but throws TypeError, for the wrong kind of thing. */
export function mustBeType(fn: string, name: string, value: unknown, ok: boolean, want: string): void {
  if (!ok) throw new TypeError(`${fn}: ${name} must be ${want}; got ${describe(value)}.`);
}

/** Requires a finite number strictly greater than zero. */
export function mustBePositive(fn: string, name: string, value: unknown): asserts value is number {
  mustBe(fn, name, value, typeof value === 'number' && Number.isFinite(value) && value > 0, 'finite and > 0');
}

/** Requires a positive number or `Infinity` (an inverse temperature β; Infinity = non-viscous). */
export function mustBeBeta(fn: string, name: string, value: unknown): asserts value is number {
  mustBe(fn, name, value, typeof value === 'number' && !Number.isNaN(value) && value > 0,
    '> 0 (Infinity for the non-viscous limit)');
}

/** Requires an integer in [min, max]. */
export function mustBeInteger(fn: string, name: string, value: unknown, min = -Infinity, max = Infinity): asserts value is number {
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  const range = max === Infinity ? `an integer ≥ ${min}` : `an integer in [${min}, ${max}]`;
  mustBe(fn, name, value, ok, range);
}

/** Requires a finite number. */
export function mustBeFinite(fn: string, name: string, value: unknown): asserts value is number {
  mustBe(fn, name, value, typeof value === 'number' && Number.isFinite(value), 'a finite number');
}

/**
 * Scans an array for the first non-finite entry and throws naming its index.
 * @param what - how to name the offending entry, given its index (e.g. the grid point)
 */
export function mustBeAllFinite(fn: string, name: string, data: ArrayLike<number>, what?: (p: number) => string): void {
  for (let p = 0; p < data.length; p++) {
    const v = data[p];
    if (!Number.isFinite(v)) {
      const where = what ? what(p) : `index ${p}`;
      throw new RangeError(`${fn}: ${name} must be finite everywhere; got ${v} at ${where}.`);
    }
  }
}
