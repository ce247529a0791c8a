/**
 * coleHopf (src/pde) on a gpu.js backend: translates its options, runs the float32 line passes of
 * ./cole-hopf.ts and returns coleHopf's result shape with the same box-boundary diagnostics. Imports
 * from src/pde are types and pure helpers only (no runtime cycle: src/pde/cole-hopf imports this).
 */
import { GridFunction } from '../grids/grid-function.js';
import type { ColeHopfOptions, ColeHopfResult } from '../pde/cole-hopf.js';
import { checkMemory, inRange, interiorRange, report, requireFiniteGridFunction, resolveMaxBytes, PDE_INTERIOR_FRACTION } from '../pde/domain-check.js';
import { logLatticeNorm } from '../pde/gaussian-sweep.js';
import { describe, mustBe, mustBePositive } from '../util/validate.js';
import { gpuColeHopf, gpuColeHopfAsync, GPU_COLE_HOPF_DEFAULTS, type GpuColeHopfResult } from './cole-hopf.js';
import type { ResolvedBackend } from './backends.js';

/** Defaults of the diagnostics, as in coleHopf's COLE_HOPF_DEFAULTS (repeated: no runtime import of src/pde/cole-hopf). */
const DIAGNOSTIC_DEFAULTS = { interior: PDE_INTERIOR_FRACTION, boundaryTol: 1e-10, strict: false, allowUnresolved: false } as const;

interface Checked { truncate: number; warnings: string[] }

/** Validates as coleHopf does and refuses what the float32 passes do not implement. */
function check(fn: string, f: GridFunction, t: number, beta: number, o: ColeHopfOptions): Checked {
  const why = "on a gpu.js backend (use backend 'cpu')";
  mustBePositive(fn, 't', t);
  mustBe(fn, 'beta', beta, typeof beta === 'number' && Number.isFinite(beta) && beta > 0, 'finite and > 0 (use hopfLax for beta = Infinity)');
  requireFiniteGridFunction(fn, f);
  mustBe(fn, 'hessian', o.hessian, !o.hessian, `false ${why}: the float32 passes carry no second moments`);
  mustBe(fn, 'truncationTol', o.truncationTol, o.truncationTol === undefined, `unset ${why}: the window is sized from Lip(f) and radius, dropping ≲ e^{−radius²/2} of the mass`);
  mustBe(fn, 'summation', o.summation, o.summation === undefined || o.summation === 'auto' || o.summation === 'log-sum-exp', "'auto' | 'log-sum-exp'");
  const truncate = o.radius ?? GPU_COLE_HOPF_DEFAULTS.truncate;
  mustBe(fn, 'radius', truncate, typeof truncate === 'number' && truncate >= 3 && Number.isFinite(truncate), 'finite and ≥ 3 (standard deviations)');
  mustBe(fn, 'boundaryTol', o.boundaryTol, o.boundaryTol === undefined || (typeof o.boundaryTol === 'number' && o.boundaryTol > 0), '> 0');
  const { grid } = f;
  const d = grid.ndim, N = grid.size;
  // Host side: float32 log weights, d + 1 carried fields and the face mass (twice each), plus float64 outputs.
  checkMemory(fn, 4 * N * 2 * (d + 3) + 8 * N * (d + 2), resolveMaxBytes(fn, o.maxBytes));
  const warnings: string[] = [];
  const sigma = Math.sqrt(t / beta);
  mustBe(fn, 't/beta', t / beta, t / beta > 0, '> 0 (the kernel variance underflows)');
  for (let k = 0; k < d; k++) {
    if (grid.spacing[k] > sigma * (1 + 1e-12)) {
      const need = Math.ceil((grid.upper[k] - grid.lower[k]) / sigma) + 1;
      const msg = `${fn}: grid spacing on axis ${k} must be ≤ √(t/β) = ${sigma.toPrecision(6)} to resolve the Gaussian kernel; got h = ${grid.spacing[k].toPrecision(6)}. Use at least ${need} points on axis ${k} (or a larger t / smaller beta).`;
      if (!(o.allowUnresolved ?? DIAGNOSTIC_DEFAULTS.allowUnresolved)) throw new RangeError(msg);
      warnings.push(msg);
    }
  }
  return { truncate, warnings };
}

/**
 * The GPU passes normalise each axis's kernel by the quadrature weight h/(√(2π)σ); coleHopf uses the
 * lattice normalisation 1/Σ_j e^{−c j²}, c = h²/(2σ²). Both are constants per axis, so
 * log mass_lattice = log mass_gpu − Σ_k [log(h_k/(√(2π)σ)) + log Σ_j e^{−c_k j²}], i.e. a shift of u.
 */
function latticeShift(f: GridFunction, t: number, beta: number): number {
  const variance = t / beta;
  let shift = 0;
  for (const h of f.grid.spacing) shift += Math.log(h) - 0.5 * Math.log(2 * Math.PI * variance) + logLatticeNorm((h * h) / (2 * variance));
  return shift / beta;
}

function toResult(fn: string, f: GridFunction, t: number, beta: number, o: ColeHopfOptions, c: Checked, r: GpuColeHopfResult): ColeHopfResult & { backend: ResolvedBackend } {
  const { grid } = f;
  const shift = latticeShift(f, t, beta);
  const u = r.u.data.map((v) => v + shift);
  const warnings = [...(r.backend.notice ? [r.backend.notice] : []), ...c.warnings];
  const boundaryTol = o.boundaryTol ?? DIAGNOSTIC_DEFAULTS.boundaryTol;
  const strict = o.strict ?? DIAGNOSTIC_DEFAULTS.strict;
  const { lo, hi } = interiorRange(fn, grid, o.interior ?? DIAGNOSTIC_DEFAULTS.interior);
  let count = 0, worst = 0, worstP = -1;
  const B = r.boundary.data;
  for (let p = 0; p < grid.size; p++) {
    if (B[p] > boundaryTol && inRange(grid, p, lo, hi)) { count++; if (B[p] > worst) { worst = B[p]; worstP = p; } }
  }
  if (count > 0) {
    const sigma = Math.sqrt(t / beta);
    report(warnings, `${fn}: Gibbs mass on the box boundary exceeds boundaryTol = ${boundaryTol} at ${count} point(s) of interest (largest ${worst.toPrecision(3)} at x = ${describe(Array.from(grid.point(worstP)))}); the box cuts the integral off. Enlarge the box (the Gibbs measure sits near prox(x) ± several √(t/β) = ${sigma.toPrecision(3)}) or reduce t.`, strict);
  }
  let lines = 0;
  for (const n of grid.shape) lines += grid.size / n;
  return {
    u: new GridFunction(grid, u), mean: r.mean, boundaryMass: r.boundary, warnings,
    stats: { fastLines: 0, lseLines: lines, widenedPoints: 0 }, backend: r.backend,
  };
}

/**
 * coleHopf on a synchronous gpu.js backend ('webasm', 'gpujs-cpu'): u = −β⁻¹ log Σ_y K(x − y) e^{−βf(y)}
 * with coleHopf's lattice-normalised kernel, in float32 line passes (per-window max shift), the
 * window sized from Lip(f) so it holds the Gibbs mass wherever it sits (see coleHopfWindows); the
 * Gibbs mean and the box-boundary mass and warnings as coleHopf. `radius` is the truncation in σ
 * beyond that bound (default 8).
 * @throws RangeError as coleHopf, for `hessian` or `truncationTol` (naming backend 'cpu'), or for
 *   'gpu' / 'webgpu' (naming coleHopfAsync)
 * @example const { u, mean } = gpuColeHopfFor(f, 0.5, 10, { backend: 'webasm' });
 */
export function gpuColeHopfFor(f: GridFunction, t: number, beta: number, options: ColeHopfOptions): ColeHopfResult & { backend: ResolvedBackend } {
  const fn = 'coleHopf';
  const c = check(fn, f, t, beta, options);
  return toResult(fn, f, t, beta, options, c, gpuColeHopf(f, t, beta, { truncate: c.truncate, backend: options.backend }));
}

/**
 * coleHopf on any gpu.js backend, WebGPU included ('gpu' = hardware WebGPU, else webasm with a
 * notice in `warnings`). Same semantics and restrictions as {@link gpuColeHopfFor}.
 * @example const { u } = await coleHopfAsync(f, 0.5, 10, { backend: 'gpu' });
 */
export async function coleHopfAsync(f: GridFunction, t: number, beta: number, options: ColeHopfOptions = {}): Promise<ColeHopfResult & { backend: ResolvedBackend }> {
  const fn = 'coleHopfAsync';
  const c = check(fn, f, t, beta, options);
  return toResult(fn, f, t, beta, options, c, await gpuColeHopfAsync(f, t, beta, { truncate: c.truncate, backend: options.backend ?? 'gpu' }));
}
