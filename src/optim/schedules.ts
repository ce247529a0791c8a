/**
 * Learning-rate and scoping schedules as pure functions of the outer-step (or epoch) index k ≥ 0,
 * composable by plain function composition (Optax spirit): `clamp(every(exponential(0.01, 1e-3), 25), { max: 1 })`.
 * Optimizers call a schedule once per outer step with their step counter k (kept in their state),
 * so a resumed run continues the schedule exactly.
 */
import { mustBe, mustBeInteger } from '../util/validate.js';

/** A schedule: the value used at outer step (or epoch) k = 0, 1, 2, … */
export type Schedule = (k: number) => number;

/** A constant or a schedule, as accepted by every optimizer option that may vary over steps. */
export type ScheduleLike = number | Schedule;

function finite(fn: string, name: string, v: number): void {
  mustBe(fn, name, v, typeof v === 'number' && Number.isFinite(v), 'a finite number');
}

/**
 * The constant schedule k ↦ value.
 * @throws RangeError if `value` is not finite
 * @example constant(0.1)(7) // 0.1
 */
export function constant(value: number): Schedule {
  finite('constant', 'value', value);
  return () => value;
}

/**
 * The authors' `--lrs [[epoch_end, lr], …]`: k ↦ the value of the first pair with k < end, else
 * the last pair's value. With k an epoch index (see {@link byEpoch}) this is their schedule.
 * @param pairs - [end, value] with strictly increasing finite ends
 * @throws RangeError if `pairs` is empty, ends are not increasing, or a value is not finite
 * @example piecewise([[3, 1], [6, 0.2], [16, 0.01]])(4) // 0.2
 */
export function piecewise(pairs: readonly (readonly [number, number])[]): Schedule {
  mustBe('piecewise', 'pairs', pairs, Array.isArray(pairs) && pairs.length > 0, 'a non-empty array of [end, value]');
  const ends = pairs.map((p) => p[0]), values = pairs.map((p) => p[1]);
  for (let i = 0; i < pairs.length; i++) {
    finite('piecewise', `pairs[${i}][1]`, values[i]);
    mustBe('piecewise', `pairs[${i}][0]`, ends[i], Number.isFinite(ends[i]) && (i === 0 || ends[i] > ends[i - 1]), 'finite and greater than the previous end');
  }
  return (k) => {
    for (let i = 0; i < ends.length; i++) if (k < ends[i]) return values[i];
    return values[values.length - 1];
  };
}

/**
 * Geometric growth k ↦ v0·(1 + rate)^k (rate may be negative, > −1, for decay).
 * @throws RangeError if `v0` is not finite or `rate` ≤ −1
 * @example exponential(1e-4, 1e-3)(1000) // 1e-4·1.001^1000 ≈ 2.717e-4
 */
export function exponential(v0: number, rate: number): Schedule {
  finite('exponential', 'v0', v0);
  mustBe('exponential', 'rate', rate, Number.isFinite(rate) && rate > -1, 'finite and > −1');
  return (k) => v0 * Math.pow(1 + rate, k);
}

/**
 * γ-scoping in the paper's time convention: t_k = 1 / (g0·(1 + g1)^k), the reciprocal of the
 * reference code's coupling g_k = g0·(1 + g1)^k. The relaxation time shrinks geometrically, so the
 * relaxed loss u(·, t_k) approaches f (the control interpretation: t = T − s decreasing to 0).
 * @param g0 - initial coupling, finite and > 0 (t_0 = 1/g0)
 * @param g1 - growth rate of the coupling per step, ≥ 0
 * @throws RangeError if g0 ≤ 0 or g1 < 0
 * @example scoping(1e-2, 1e-3)(0) // 100
 */
export function scoping(g0: number, g1: number): Schedule {
  mustBe('scoping', 'g0', g0, Number.isFinite(g0) && g0 > 0, 'finite and > 0');
  mustBe('scoping', 'g1', g1, Number.isFinite(g1) && g1 >= 0, 'finite and ≥ 0');
  return (k) => 1 / (g0 * Math.pow(1 + g1, k));
}

/**
 * Cosine annealing from `v0` at k = 0 to `vEnd` at k = `steps`, constant `vEnd` afterwards.
 * @throws RangeError if a value is not finite or `steps` is not an integer ≥ 1
 * @example cosine(1, 0, 10)(5) // 0.5
 */
export function cosine(v0: number, vEnd: number, steps: number): Schedule {
  finite('cosine', 'v0', v0); finite('cosine', 'vEnd', vEnd);
  mustBeInteger('cosine', 'steps', steps, 1);
  return (k) => (k >= steps ? vEnd : vEnd + 0.5 * (v0 - vEnd) * (1 + Math.cos((Math.PI * k) / steps)));
}

/**
 * Holds a schedule for blocks of `size` steps: k ↦ s(⌊k / size⌋). With size = minibatches per epoch
 * this turns an epoch schedule (e.g. {@link piecewise}) into a step schedule.
 * @throws RangeError if `size` is not an integer ≥ 1
 * @example every(piecewise([[1, 1], [2, 0.1]]), 100)(150) // 0.1
 */
export function every(s: Schedule, size: number): Schedule {
  mustBeInteger('every', 'size', size, 1);
  return (k) => s(Math.floor(k / size));
}

/**
 * Shifts the index: k ↦ s(k + offset). The reference code's scoping increments its counter before
 * use, so its first outer step uses exponent 1: `offset(scoping(g0, g1), 1)`.
 * @throws RangeError if `offset` is not an integer
 */
export function offset(s: Schedule, by: number): Schedule {
  mustBeInteger('offset', 'by', by);
  return (k) => s(k + by);
}

/**
 * Clips a schedule into [min, max] (the Parle reference caps its couplings: min(γ_k, 1), min(ρ_k, 10)).
 * @throws RangeError if min > max
 */
export function clamp(s: Schedule, bounds: { min?: number; max?: number }): Schedule {
  const lo = bounds.min ?? -Infinity, hi = bounds.max ?? Infinity;
  mustBe('clamp', 'max', hi, !(lo > hi), `≥ min = ${lo}`);
  return (k) => Math.min(hi, Math.max(lo, s(k)));
}

/** The reciprocal k ↦ 1/s(k) (coupling ↔ time: g = 1/t). */
export function reciprocal(s: Schedule): Schedule {
  return (k) => 1 / s(k);
}

/** Pointwise product k ↦ a(k)·b(k) (e.g. a warm-up factor times a base rate). */
export function product(a: Schedule, b: Schedule): Schedule {
  return (k) => a(k) * b(k);
}

/** Turns a {@link ScheduleLike} into a {@link Schedule} (a number becomes {@link constant}). */
export function asSchedule(fn: string, name: string, s: ScheduleLike): Schedule {
  if (typeof s === 'function') return s;
  mustBe(fn, name, s, typeof s === 'number' && Number.isFinite(s), 'a finite number or a schedule function');
  return () => s;
}

/**
 * Evaluates a schedule at step k and checks the value: `kind` 'positive' (> 0, finite) or
 * 'nonnegative' (≥ 0, finite). Called once per outer step.
 * @throws RangeError `fn: name must be finite and > 0; got -1 (schedule at step 3).`
 */
export function scheduleValue(fn: string, name: string, s: Schedule, k: number, kind: 'positive' | 'nonnegative'): number {
  const v = s(k);
  const ok = typeof v === 'number' && Number.isFinite(v) && (kind === 'positive' ? v > 0 : v >= 0);
  if (!ok) throw new RangeError(`${fn}: ${name} must be finite and ${kind === 'positive' ? '> 0' : '≥ 0'}; got ${String(v)} (schedule at step ${k}).`);
  return v;
}
