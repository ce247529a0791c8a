/**
 * Validation of the option kinds shared by the optimizer factories (each factory validates once,
 * STYLE.md §3). Messages: `fn: name must be …; got ….`
 */
import { mustBe, mustBeInteger, mustBeType } from '../util/validate.js';
import { asSchedule, type Schedule, type ScheduleLike } from './schedules.js';

/** A step size or time: a finite number > 0, or a schedule (checked at each use). */
export function positiveSchedule(fn: string, name: string, v: ScheduleLike): Schedule {
  if (typeof v === 'number') mustBe(fn, name, v, Number.isFinite(v) && v > 0, 'finite and > 0');
  return asSchedule(fn, name, v);
}

/** A rate that may be 0 (e.g. the elastic coupling ρ): a finite number ≥ 0, or a schedule. */
export function nonnegativeSchedule(fn: string, name: string, v: ScheduleLike): Schedule {
  if (typeof v === 'number') mustBe(fn, name, v, Number.isFinite(v) && v >= 0, 'finite and ≥ 0');
  return asSchedule(fn, name, v);
}

/** Momentum coefficient m ∈ [0, 1). */
export function momentumValue(fn: string, name: string, v: number): number {
  mustBe(fn, name, v, typeof v === 'number' && v >= 0 && v < 1, 'in [0, 1)');
  return v;
}

/** A finite number ≥ 0 (weight decay, SAM radius). */
export function nonnegative(fn: string, name: string, v: number): number {
  mustBe(fn, name, v, typeof v === 'number' && Number.isFinite(v) && v >= 0, 'finite and ≥ 0');
  return v;
}

/** A weight in (0, 1] (averaging α, damping). */
export function unitWeight(fn: string, name: string, v: number): number {
  mustBe(fn, name, v, typeof v === 'number' && v > 0 && v <= 1, 'in (0, 1]');
  return v;
}

/** An inverse temperature β > 0, Infinity for no noise. */
export function inverseTemperature(fn: string, name: string, v: number): number {
  mustBe(fn, name, v, typeof v === 'number' && !Number.isNaN(v) && v > 0, '> 0 (Infinity for no noise)');
  return v;
}

/** The inner iteration count L, an integer ≥ 1. */
export function innerCount(fn: string, name: string, v: number): number {
  mustBeInteger(fn, name, v, 1);
  return v;
}

/** A boolean flag. */
export function flag(fn: string, name: string, v: boolean): boolean {
  mustBeType(fn, name, v, typeof v === 'boolean', 'a boolean');
  return v;
}

/** A seed: a non-negative safe integer. */
export function seedValue(fn: string, v: number): number {
  mustBeInteger(fn, 'seed', v, 0, Number.MAX_SAFE_INTEGER);
  return v;
}

/** One of the allowed string values. */
export function oneOf<T extends string>(fn: string, name: string, v: T, allowed: readonly T[]): T {
  mustBe(fn, name, v, allowed.includes(v), allowed.map((a) => `'${a}'`).join(' | '));
  return v;
}
