/**
 * The entry points the CPU solvers in src/pde call when their `backend` option names a gpu.js
 * backend. They take the solvers' own option objects (pde types only: no runtime import of
 * src/pde, so no import cycle), refuse the options the float32 kernels do not implement, and
 * return the solvers' result shapes. Synchronous: 'webasm' and 'gpujs-cpu'; 'gpu' / 'webgpu' need
 * the asynchronous functions (WebGPU has no synchronous readback), named in the error.
 */
import type { GridFunction } from '../grids/grid-function.js';
import type { SolveHJOptions, SolveHJResult } from '../pde/solve-hj.js';
import type { HopfLaxOptions, HopfLaxResult } from '../pde/hopf-lax.js';
import { mustBe } from '../util/validate.js';
import { gpuSolveHJ, gpuSolveHJAsync, type GpuSolveHJOptions, type GpuSolveHJResult } from './solve-hj.js';
import { gpuHopfLax, gpuHopfLaxAsync, type GpuHopfLaxResult } from './hopf-lax.js';

/** Translates solveHJ's options to the GPU stepper's, refusing what the kernels do not implement. */
export function toGpuSolveHJOptions(fn: string, options: SolveHJOptions): { opts: GpuSolveHJOptions; keepSnapshots: boolean } {
  const why = "on a gpu.js backend (use backend 'cpu')";
  mustBe(fn, 'dt', options.dt, options.dt === undefined, `unset ${why}: the float32 stepper takes the monotone step`);
  mustBe(fn, 'timeIntegrator', options.timeIntegrator, (options.timeIntegrator ?? 'euler') === 'euler', `'euler' ${why}`);
  mustBe(fn, 'hamiltonian', options.hamiltonian, options.hamiltonian === undefined, `unset ${why}`);
  mustBe(fn, 'dissipation', options.dissipation, (options.dissipation ?? 'global') === 'global', `'global' ${why}`);
  const boundary = typeof options.boundary === 'object' && options.boundary !== null ? options.boundary.kind : (options.boundary ?? 'neumann');
  mustBe(fn, 'boundary', boundary, boundary === 'neumann' || boundary === 'periodic', `'neumann' | 'periodic' ${why}`);
  const s = options.snapshots ?? 0;
  let count = 1;
  if (typeof s === 'number') {
    mustBe(fn, 'snapshots', s, Number.isInteger(s) && s >= 0, 'an integer ≥ 0 or a list of times');
    count = Math.max(1, s);
  } else {
    count = s.length;
    const even = s.every((time, i) => Math.abs(time - (options.t * (i + 1)) / s.length) <= 1e-12 * options.t);
    mustBe(fn, 'snapshots', `[${s.join(', ')}]`, count > 0 && even, `equally spaced times t·i/n, i = 1…n, ${why} for other times`);
  }
  return {
    opts: { t: options.t, beta: options.beta, scheme: options.scheme, cfl: options.cfl, boundary: boundary as 'neumann' | 'periodic', snapshots: count, backend: options.backend },
    keepSnapshots: !(typeof s === 'number' && s === 0),
  };
}

function toSolveHJResult(r: GpuSolveHJResult, keepSnapshots: boolean): SolveHJResult & { backend: GpuSolveHJResult['backend'] } {
  return { u: r.u, snapshots: keepSnapshots ? r.snapshots : [], steps: r.steps, dtMin: r.dt, dtMax: r.dt, backend: r.backend };
}

/**
 * solveHJ on a synchronous gpu.js backend ('webasm', 'gpujs-cpu'): float32 forward Euler with the
 * monotone step from the initial Lipschitz bound (uniform dt; dtMin = dtMax), Godunov or global
 * Lax–Friedrichs, Neumann or periodic, snapshots at equally spaced times.
 * @throws RangeError for options the kernels do not implement (naming backend 'cpu'), or 'gpu' / 'webgpu' (naming solveHJAsync)
 * @example const { u } = gpuSolveHJFor(f, { t: 0.5, backend: 'webasm' });
 */
export function gpuSolveHJFor(f: GridFunction, options: SolveHJOptions): SolveHJResult & { backend: GpuSolveHJResult['backend'] } {
  const { opts, keepSnapshots } = toGpuSolveHJOptions('solveHJ', options);
  return toSolveHJResult(gpuSolveHJ(f, opts), keepSnapshots);
}

/**
 * solveHJ on any gpu.js backend, WebGPU included ('gpu' = hardware WebGPU, else webasm with
 * `backend.notice`). Same restrictions as {@link gpuSolveHJFor}.
 * @example const { u } = await solveHJAsync(f, { t: 0.5, backend: 'gpu' });
 */
export async function solveHJAsync(f: GridFunction, options: SolveHJOptions): Promise<SolveHJResult & { backend: GpuSolveHJResult['backend'] }> {
  const { opts, keepSnapshots } = toGpuSolveHJOptions('solveHJAsync', options);
  return toSolveHJResult(await gpuSolveHJAsync(f, opts), keepSnapshots);
}

function toHopfLaxResult(f: GridFunction, r: GpuHopfLaxResult): HopfLaxResult & { backend: GpuHopfLaxResult['backend'] } {
  const { grid } = f;
  const argmin = new Int32Array(grid.size);
  for (let p = 0; p < grid.size; p++) {
    let q = 0;
    for (let k = 0; k < grid.ndim; k++) q += Math.round((r.prox[k].data[p] - grid.lower[k]) / grid.spacing[k]) * grid.strides[k];
    argmin[p] = q;
  }
  return { u: r.u, prox: r.prox, argmin, boundaryHits: 0, warnings: r.backend.notice ? [r.backend.notice] : [], backend: r.backend };
}

function checkHopfLaxOptions(fn: string, options: HopfLaxOptions): void {
  mustBe(fn, 'proxRefinement', options.proxRefinement, (options.proxRefinement ?? 'none') === 'none', "'none' on a gpu.js backend (use backend 'cpu')");
}

/**
 * hopfLax on a synchronous gpu.js backend: float32 windowed min-plus passes, prox at grid points
 * (no refinement; boundaryHits is not computed and reads 0).
 * @throws RangeError for proxRefinement 'parabolic', or 'gpu' / 'webgpu' (naming hopfLaxAsync)
 * @example const { u } = gpuHopfLaxFor(f, 0.5, { backend: 'webasm' });
 */
export function gpuHopfLaxFor(f: GridFunction, t: number, options: HopfLaxOptions): HopfLaxResult & { backend: GpuHopfLaxResult['backend'] } {
  checkHopfLaxOptions('hopfLax', options);
  return toHopfLaxResult(f, gpuHopfLax(f, t, { backend: options.backend }));
}

/**
 * hopfLax on any gpu.js backend, WebGPU included. Same restrictions as {@link gpuHopfLaxFor}.
 * @example const { u } = await hopfLaxAsync(f, 0.5, { backend: 'gpu' });
 */
export async function hopfLaxAsync(f: GridFunction, t: number, options: HopfLaxOptions = {}): Promise<HopfLaxResult & { backend: GpuHopfLaxResult['backend'] }> {
  checkHopfLaxOptions('hopfLaxAsync', options);
  return toHopfLaxResult(f, await gpuHopfLaxAsync(f, t, { backend: options.backend ?? 'gpu' }));
}
