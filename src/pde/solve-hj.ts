/**
 * Monotone explicit finite-difference solver for the viscous and non-viscous Hamilton–Jacobi
 * equations u_t = −½|∇u|² + (1/(2β))Δu, u(·,0) = f, on 1-D, 2-D and 3-D grids (paper-notes §3.3,
 * §3.5, §8), with an adaptive monotone time step, exact snapshot times and boundary ghosts.
 */
import { GridFunction } from '../grids/grid-function.js';
import { resolveBoundary, type BoundaryCondition, type BoundaryName } from '../grids/boundary.js';
import { BACKEND_NAMES, type BackendName } from '../gpu/backend-name.js';
import { gpuSolveHJFor } from '../gpu/dispatch.js';
import { describe, mustBe, mustBeAllFinite, mustBeBeta, mustBeInteger, mustBePositive, mustBeType } from '../util/validate.js';
import { fromPadded, paddedLayout } from './padded-grid.js';
import { type Dissipation, type Hamiltonian, type HJScheme } from './numerical-hamiltonian.js';
import { hjWasmBytes, hjWasmStages, WASM_MAX_BYTES, WASM_MIN_POINTS, type HJKernel } from './hj-step-wasm.js';
import { eulerStep, hjOperator, loadState, monotoneRate, sspRk2Step, type TimeIntegrator } from './time-step.js';

/** Options of {@link solveHJ}. */
export interface SolveHJOptions {
  /** Final time, finite and > 0 (the paper's γ). */
  t: number;
  /** Inverse temperature β > 0; Infinity (default) solves the non-viscous equation. */
  beta?: number;
  /** Numerical Hamiltonian (default 'godunov'; 'lax-friedrichs' when `hamiltonian` is given). */
  scheme?: HJScheme;
  /** Fraction of the largest monotone time step, in (0, 1] (default 0.9). */
  cfl?: number;
  /** Boundary condition (default 'neumann'); Dirichlet holds the edge points at its value. */
  boundary?: BoundaryCondition | BoundaryName;
  /** Snapshot count n (times t·i/n, i = 1…n) or exact times in (0, t] (default 0: none). */
  snapshots?: number | readonly number[];
  /** A fixed time step instead of the adaptive one; refused if it breaks monotonicity. */
  dt?: number;
  /** Accept a fixed `dt` that breaks the monotonicity condition (default false). */
  allowNonMonotone?: boolean;
  /** 'euler' (default, first order) or 'ssp-rk2' (second order in time). */
  timeIntegrator?: TimeIntegrator;
  /** A general Hamiltonian u_t = −H(∇u) + (1/(2β))Δu, for Lax–Friedrichs only. */
  hamiltonian?: Hamiltonian;
  /** Lax–Friedrichs dissipation (default 'global'; 'local' needs the built-in H = ½|p|²). */
  dissipation?: Dissipation;
  /**
   * Float64 CPU kernels (backend 'cpu'): 'wasm', WebAssembly SIMD (src/pde/hj-step-wasm.ts); 'js',
   * the plain JS reference kernels; or 'auto' (default): 'wasm' from WASM_MIN_POINTS = 1024 grid
   * points on while the working buffers fit the 2 GiB kernel memory, else 'js'. All give the same
   * values, bit for bit (tested); a general `hamiltonian` always runs in JS.
   */
  kernel?: HJKernel;
  /** Compute backend (default 'cpu'); 'webasm' / 'gpujs-cpu' run float32 gpu.js kernels; 'gpu' / 'webgpu' need solveHJAsync (src/gpu). */
  backend?: BackendName;
  /** Called after every accepted step. */
  onProgress?: (progress: { step: number; t: number; dt: number }) => void;
}

/** Defaults of {@link solveHJ}. */
export const SOLVE_HJ_DEFAULTS = Object.freeze({
  beta: Infinity, scheme: 'godunov' as HJScheme, cfl: 0.9, boundary: 'neumann' as BoundaryName, snapshots: 0,
  allowNonMonotone: false, timeIntegrator: 'euler' as TimeIntegrator, dissipation: 'global' as Dissipation, kernel: 'auto' as HJKernel, backend: 'cpu' as BackendName,
});

/** Result of {@link solveHJ}. */
export interface SolveHJResult {
  /** u(·, t). */
  u: GridFunction;
  /** u(·, s) at each requested time s, in increasing order, hit exactly. */
  snapshots: { t: number; u: GridFunction }[];
  /** Accepted time steps. */
  steps: number;
  /** Smallest and largest step taken (the last step before a snapshot may be shortened). */
  dtMin: number;
  dtMax: number;
}

/** Thrown when the solution stops being finite (possible only for non-monotone runs or a false dHBound). */
export class HJBlowUpError extends Error {
  /** Step (1-based) whose output was not finite. */
  readonly step: number;
  /** Time that step reached. */
  readonly t: number;
  constructor(step: number, t: number) {
    super(`solveHJ: the solution blew up (non-finite values) at step ${step}, t = ${t}; the time step broke monotonicity or dHBound is too small.`);
    this.name = 'HJBlowUpError';
    this.step = step;
    this.t = t;
  }
}

const SCHEMES: readonly HJScheme[] = ['godunov', 'lax-friedrichs'];
const INTEGRATORS: readonly TimeIntegrator[] = ['euler', 'ssp-rk2'];
const DISSIPATIONS: readonly Dissipation[] = ['global', 'local'];
const KERNELS: readonly HJKernel[] = ['auto', 'wasm', 'js'];

function snapshotTimes(spec: number | readonly number[], t: number): number[] {
  if (typeof spec === 'number') {
    mustBeInteger('solveHJ', 'snapshots', spec, 0);
    return Array.from({ length: spec }, (_, i) => (i === spec - 1 ? t : (t * (i + 1)) / spec));
  }
  mustBeType('solveHJ', 'snapshots', spec, Array.isArray(spec), 'a count or an array of times');
  for (const s of spec) mustBe('solveHJ', 'snapshots', spec, typeof s === 'number' && s > 0 && s <= t, `times in (0, t = ${t}]`);
  return [...new Set(spec)].sort((x, y) => x - y);
}

function validateHamiltonian(h: Hamiltonian, ndim: number): void {
  mustBeType('solveHJ', 'hamiltonian.H', h?.H, typeof h?.H === 'function', 'a function of the gradient');
  const b = h.dHBound, ok = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;
  mustBe('solveHJ', 'hamiltonian.dHBound', b,
    typeof b === 'number' ? ok(b) : Array.isArray(b) && b.length === ndim && b.every(ok), `finite and > 0 (one number, or one per axis: ${ndim})`);
}

/**
 * Solves u_t = −½|∇u|² + (1/(2β))Δu, u(·,0) = f (or u_t = −H(∇u) + (1/(2β))Δu for a general
 * `hamiltonian`) by a monotone explicit scheme: Godunov or Lax–Friedrichs numerical Hamiltonian,
 * centred second differences, forward Euler or SSP-RK2. The time step is dt = cfl /
 * (c Σ_k a_k/h_k + Σ_k 1/(β h_k²)) with a_k the current max |D_k u| (c = 2 for local
 * Lax–Friedrichs, else 1), the monotonicity condition of src/pde/time-step.ts; a step whose input
 * breaks it is redone with the measured slopes. Converges to the viscosity solution at first order
 * in h (max norm, away from boundary layers). Cost O(size) per step, steps ≈ t·(Σ a_k/h_k + …)/cfl.
 * @param f - initial data on a 1-, 2- or 3-D grid, finite everywhere
 * @param options - see {@link SolveHJOptions}; defaults in {@link SOLVE_HJ_DEFAULTS}
 * @returns u(·,t), the snapshots, the step count and the dt range
 * @throws RangeError for t ≤ 0, beta ≤ 0, cfl ∉ (0, 1], an unknown scheme / integrator / dissipation /
 *   kernel / boundary / backend name (backends other than 'cpu' dispatch to src/gpu), snapshots outside (0, t], a fixed dt that breaks
 *   monotonicity (unless allowNonMonotone), local dissipation with a general H, or non-finite f
 * @throws HJBlowUpError if the solution becomes non-finite (with the step and time)
 * @example const { u } = solveHJ(Grid.uniform([[-2, 2]], [401]).sample((x) => x * x / 2), { t: 0.5 }); // ≈ x²/3
 */
export function solveHJ(f: GridFunction, options: SolveHJOptions): SolveHJResult {
  const fn = 'solveHJ';
  mustBeType(fn, 'f', f, f instanceof GridFunction, 'a GridFunction');
  mustBeType(fn, 'options', options, options !== null && typeof options === 'object', 'an options object with t');
  const { t, onProgress } = options;
  mustBePositive(fn, 't', t);
  const beta = options.beta ?? SOLVE_HJ_DEFAULTS.beta;
  mustBeBeta(fn, 'beta', beta);
  const hamiltonian = options.hamiltonian ?? null;
  const scheme = options.scheme ?? (hamiltonian ? 'lax-friedrichs' : SOLVE_HJ_DEFAULTS.scheme);
  mustBe(fn, 'scheme', scheme, SCHEMES.includes(scheme), `'godunov' | 'lax-friedrichs'`);
  const cfl = options.cfl ?? SOLVE_HJ_DEFAULTS.cfl;
  mustBe(fn, 'cfl', cfl, typeof cfl === 'number' && cfl > 0 && cfl <= 1, 'in (0, 1]');
  const boundary = resolveBoundary(fn, options.boundary);
  const integrator = options.timeIntegrator ?? SOLVE_HJ_DEFAULTS.timeIntegrator;
  mustBe(fn, 'timeIntegrator', integrator, INTEGRATORS.includes(integrator), `'euler' | 'ssp-rk2'`);
  const dissipation = options.dissipation ?? SOLVE_HJ_DEFAULTS.dissipation;
  mustBe(fn, 'dissipation', dissipation, DISSIPATIONS.includes(dissipation), `'global' | 'local'`);
  const kernel = options.kernel ?? SOLVE_HJ_DEFAULTS.kernel;
  mustBe(fn, 'kernel', kernel, KERNELS.includes(kernel), `'auto' | 'wasm' | 'js'`);
  const backend = options.backend ?? SOLVE_HJ_DEFAULTS.backend;
  mustBe(fn, 'backend', backend, BACKEND_NAMES.includes(backend), BACKEND_NAMES.map((b) => `'${b}'`).join(' | '));
  if (backend !== 'cpu') return gpuSolveHJFor(f, options); // float32 on gpu.js (src/gpu/dispatch.ts)
  if (hamiltonian) {
    mustBe(fn, 'scheme', scheme, scheme === 'lax-friedrichs', `'lax-friedrichs' when a hamiltonian is given`);
    validateHamiltonian(hamiltonian, f.grid.ndim);
    mustBe(fn, 'dissipation', dissipation, dissipation === 'global', `'global' with a general hamiltonian (only dHBound is known)`);
  }
  mustBeType(fn, 'onProgress', onProgress, onProgress === undefined || typeof onProgress === 'function', 'a function');
  const times = snapshotTimes(options.snapshots ?? SOLVE_HJ_DEFAULTS.snapshots, t);
  const allowNonMonotone = options.allowNonMonotone ?? SOLVE_HJ_DEFAULTS.allowNonMonotone;
  const fixedDt = options.dt;
  if (fixedDt !== undefined) mustBePositive(fn, 'dt', fixedDt);
  const L = paddedLayout(f.grid, fn);
  mustBeAllFinite(fn, 'f', f.data, (p) => `grid point ${describe(f.grid.multiIndex(p))}`);

  // The working buffers: in the WebAssembly kernels' arena for the whole solve, or plain arrays for JS.
  const count = integrator === 'ssp-rk2' ? 3 : 2;
  const useWasm = kernel === 'wasm'
    || (kernel === 'auto' && f.grid.size >= WASM_MIN_POINTS && hjWasmBytes(L, count) <= WASM_MAX_BYTES);
  const wasm = useWasm ? hjWasmStages(L, count) : null;
  const buffers = wasm?.buffers ?? Array.from({ length: count }, () => new Float64Array(L.paddedSize));
  const op = hjOperator(L, { scheme, beta, boundary, dissipation, hamiltonian, wasm });
  let cur = buffers[0], next = buffers[1];
  const stage = count === 3 ? buffers[2] : null;
  const bound = new Float64Array(3), slopes = new Float64Array(3), stageSlopes = new Float64Array(3);
  loadState(op, f.data, cur, bound);
  if (fixedDt !== undefined && !allowNonMonotone) {
    const dtMax = 1 / monotoneRate(op, bound);
    mustBe(fn, 'dt', fixedDt, fixedDt <= dtMax, `≤ ${dtMax} (the monotonicity limit for f), or pass allowNonMonotone: true`);
  }

  const targets = times.length > 0 && times[times.length - 1] === t ? times : [...times, t];
  const snapshots: { t: number; u: GridFunction }[] = [];
  let time = 0, steps = 0, dtMin = Infinity, dtMax = 0;
  for (const target of targets) {
    let redos = 0;
    while (time < target) {
      const remaining = target - time;
      const dtStep = fixedDt ?? cfl / monotoneRate(op, bound);
      // Land on the target exactly; split the last two steps evenly rather than leave a sliver.
      const dt = remaining <= dtStep ? remaining : remaining < 2 * dtStep ? remaining / 2 : dtStep;
      const check = stage ? sspRk2Step(op, cur, stage, next, dt, bound, slopes, stageSlopes) : eulerStep(op, cur, next, dt, bound, slopes);
      // Global Lax–Friedrichs is monotone only if α = bound ≥ the measured slopes (1e-12: round-off).
      let alphaShort = false;
      if (scheme === 'lax-friedrichs' && dissipation === 'global' && !hamiltonian) {
        for (let k = 0; k < 3; k++) if (slopes[k] > bound[k] * (1 + 1e-12)) alphaShort = true;
      }
      const breaks = dt * monotoneRate(op, slopes) > 1 + 1e-12;
      if ((alphaShort || (breaks && fixedDt === undefined)) && redos < 60) {
        for (let k = 0; k < 3; k++) if (slopes[k] > bound[k]) bound[k] = slopes[k];
        redos++;
        continue;
      }
      if (breaks && fixedDt !== undefined && !allowNonMonotone) {
        throw new RangeError(`${fn}: dt must keep the scheme monotone; got ${fixedDt}, which breaks it at step ${steps + 1} (t = ${time}) as the slopes grew to ${describe(Array.from(slopes.subarray(3 - L.ndim)))}; use a smaller dt or allowNonMonotone: true.`);
      }
      if (check !== 0) throw new HJBlowUpError(steps + 1, time + dt);
      [cur, next] = [next, cur];
      time = dt === remaining ? target : time + dt;
      steps++;
      redos = 0;
      if (dt < dtMin) dtMin = dt;
      if (dt > dtMax) dtMax = dt;
      bound.set(slopes);
      onProgress?.({ step: steps, t: time, dt });
    }
    if (times.includes(target)) {
      const u = new Float64Array(L.size);
      fromPadded(L, cur, u);
      snapshots.push({ t: target, u: new GridFunction(f.grid, u) });
    }
  }
  const u = new Float64Array(L.size);
  fromPadded(L, cur, u);
  return { u: new GridFunction(f.grid, u), snapshots, steps, dtMin, dtMax };
}
