/**
 * Boundary conditions as a small typed set. Each defines ghost values one cell outside the box,
 * u[−1] and u[n], along every axis; finite differences and the HJ schemes read neighbours through
 * these ghosts. With ends included, periodic grids identify point 0 with point n−1 (the period is
 * (n−1)·h), so u[−1] = u[n−2] and u[n] = u[1].
 */
import { describe } from '../util/validate.js';

/** Zero normal derivative by replication: u[−1] = u[0], u[n] = u[n−1] (the authors' Figure 1 choice). */
export interface NeumannBoundary { kind: 'neumann' }
/** Periodic box: point 0 and point n−1 are the same point. */
export interface PeriodicBoundary { kind: 'periodic' }
/** Fixed value outside the box: u[−1] = u[n] = value (the solver also holds the edge points at value). */
export interface DirichletBoundary { kind: 'dirichlet'; value: number }
/** Linear extrapolation: u[−1] = 2u[0] − u[1], u[n] = 2u[n−1] − u[n−2]. */
export interface ExtrapolateBoundary { kind: 'extrapolate' }

export type BoundaryCondition = NeumannBoundary | PeriodicBoundary | DirichletBoundary | ExtrapolateBoundary;
/** Boundary names accepted where a value-free condition is meant ('dirichlet' alone means value 0). */
export type BoundaryName = BoundaryCondition['kind'];

export const neumann: NeumannBoundary = Object.freeze({ kind: 'neumann' });
export const periodic: PeriodicBoundary = Object.freeze({ kind: 'periodic' });
export const extrapolate: ExtrapolateBoundary = Object.freeze({ kind: 'extrapolate' });
/** A Dirichlet condition with the given boundary value. */
export function dirichlet(value: number): DirichletBoundary {
  if (!Number.isFinite(value)) throw new RangeError(`dirichlet: value must be a finite number; got ${value}.`);
  return { kind: 'dirichlet', value };
}

/**
 * Normalises a user's boundary argument (a name or a condition object) and validates it;
 * `undefined` or `null` means the default, 'neumann'.
 * @throws RangeError for an unknown kind or a non-finite Dirichlet value
 */
export function resolveBoundary(fn: string, boundary: BoundaryCondition | BoundaryName | undefined): BoundaryCondition {
  const b = boundary ?? 'neumann';
  const kind = typeof b === 'string' ? b : (b as { kind?: unknown } | null)?.kind;
  switch (kind) {
    case 'neumann': return neumann;
    case 'periodic': return periodic;
    case 'extrapolate': return extrapolate;
    case 'dirichlet': {
      const value = typeof b === 'string' ? 0 : (b as DirichletBoundary).value;
      if (!Number.isFinite(value)) throw new RangeError(`${fn}: boundary.value must be a finite number for 'dirichlet'; got ${value}.`);
      return { kind: 'dirichlet', value };
    }
    default:
      throw new RangeError(`${fn}: boundary must be 'neumann' | 'periodic' | 'dirichlet' | 'extrapolate' (or dirichlet(value)); got ${typeof b === 'object' && b !== null ? `{ kind: ${describe(kind)} }` : describe(b)}.`);
  }
}

/**
 * Value at offset index j ∈ {−1, n} just outside a line (or any j in [0, n) inside it), reading the
 * line `u[base + i·stride]`. Used at boundary cells only; interior stencils index directly.
 */
export function lineValue(u: ArrayLike<number>, base: number, stride: number, n: number, j: number, bc: BoundaryCondition): number {
  if (j >= 0 && j < n) return u[base + j * stride];
  switch (bc.kind) {
    case 'neumann': return u[base + (j < 0 ? 0 : n - 1) * stride];
    case 'periodic': return u[base + (j < 0 ? n - 1 + j : j - n + 1) * stride];
    case 'dirichlet': return bc.value;
    case 'extrapolate': {
      const d = j < 0 ? -j : j - n + 1; // distance outside
      const edge = j < 0 ? 0 : n - 1, inner = j < 0 ? 1 : n - 2;
      return u[base + edge * stride] + d * (u[base + edge * stride] - u[base + inner * stride]);
    }
    default: throw new RangeError(`lineValue: unknown boundary ${describe(bc satisfies never)}.`);
  }
}
