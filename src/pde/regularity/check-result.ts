/**
 * The result every regularity check returns: what was measured, the bound the theory gives, the
 * tolerance the discretisation allows (with its derivation), the verdict, and where the worst case
 * is. Checks never throw on a failed claim: a failed claim is a result with `pass: false`.
 */
import { GridFunction } from '../../grids/grid-function.js';
import { mustBeType } from '../../util/validate.js';

/** How `measured` is compared with `bound`: `≤` / `≥` one-sided, `≈` two-sided. */
export type Relation = '≤' | '≥' | '≈';

/** A tolerance and the one-line derivation of its size. */
export interface Tolerance {
  /** Absolute slack allowed on `measured` versus `bound` (≥ 0). */
  value: number;
  /** Why this size: rounding (c·eps·scale), discretisation (C·hᵖ), Monte-Carlo (zσ/√n), … */
  reason: string;
}

/** A measured claim of the paper. */
export interface CheckResult {
  /** Short machine name, e.g. `'hopf-lax-below-f'`. */
  name: string;
  /** The claim in words, with the paper-notes tag (T1–T13). */
  claim: string;
  /** How measured and bound compare when the claim holds. */
  relation: Relation;
  /** The measured quantity. */
  measured: number;
  /** The value the theory gives. */
  bound: number;
  /** The discretisation / rounding / sampling slack. */
  tolerance: Tolerance;
  /** measured ≤ bound + tol (`≤`), measured ≥ bound − tol (`≥`), |measured − bound| ≤ tol (`≈`). */
  pass: boolean;
  /** Point where the claim is closest to failing (or fails most), with the value there; null if not pointwise. */
  worst: { x: number[]; value: number } | null;
  /** Further numbers behind the verdict (counts, rates, eigenvalues, …). */
  details: Record<string, number | string | number[]>;
}

/**
 * Whether `measured relation bound` holds within `tolerance`. NaN anywhere gives false.
 * @example verdict(1.0000001, '≤', 1, 1e-6) // true
 */
export function verdict(measured: number, relation: Relation, bound: number, tolerance: number): boolean {
  switch (relation) {
    case '≤': return measured <= bound + tolerance;
    case '≥': return measured >= bound - tolerance;
    case '≈': return Math.abs(measured - bound) <= tolerance;
    default: throw new RangeError(`verdict: relation must be '≤' | '≥' | '≈'; got ${String(relation satisfies never)}.`);
  }
}

/** Builds a {@link CheckResult}, computing `pass` from the relation. */
export function makeResult(r: Omit<CheckResult, 'pass' | 'details'> & { details?: CheckResult['details'] }): CheckResult {
  return { ...r, pass: verdict(r.measured, r.relation, r.bound, r.tolerance.value), details: r.details ?? {} };
}

/** Rounding slack 8·eps·scale for a difference of two values of size `scale` (c = 8 covers a few operations each). */
export function roundingSlack(scale: number): number {
  return 8 * Number.EPSILON * Math.max(1, scale);
}

/** Throws TypeError unless `u` is a GridFunction. */
export function mustBeGridFunction(fn: string, name: string, u: unknown): asserts u is GridFunction {
  mustBeType(fn, name, u, u instanceof GridFunction, 'a GridFunction');
}

/** Throws RangeError unless every function lives on the grid of the first (same box and shape). */
export function mustShareGrid(fn: string, named: Record<string, GridFunction>): void {
  const entries = Object.entries(named);
  for (const [name, g] of entries) mustBeGridFunction(fn, name, g);
  const [firstName, first] = entries[0];
  for (const [name, g] of entries.slice(1)) {
    if (!first.grid.equals(g.grid)) {
      throw new RangeError(`${fn}: ${name} must live on the grid of ${firstName}; got ${g.grid.toString()}, expected ${first.grid.toString()}.`);
    }
  }
}
