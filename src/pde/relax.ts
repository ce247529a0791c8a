/**
 * relax(): one entry point from a sampled loss f to its relaxed loss u(·, t) with value, gradient
 * and prox anywhere in the box — Cole–Hopf for finite β, Hopf–Lax for β = ∞, or the monotone
 * finite-difference solver ('fd') to follow the PDE itself.
 */
import type { GridFunction } from '../grids/grid-function.js';
import type { OutsidePolicy } from '../grids/interpolate.js';
import { centralDifference } from '../grids/finite-difference.js';
import type { BackendName } from '../gpu/backend-name.js';
import { mustBe, mustBeBeta, mustBePositive, mustBeType } from '../util/validate.js';
import { hopfLax, type ProxRefinement } from './hopf-lax.js';
import { coleHopf } from './cole-hopf.js';
import { solveHJ } from './solve-hj.js';
import { gridRelaxedLoss, type RelaxedLoss } from './relaxed-loss.js';
import { requireKnownBackend } from '../gpu/backend-name.js';

/** Solver choice: 'auto' = Cole–Hopf for finite β, Hopf–Lax for β = ∞. */
export type RelaxMethod = 'auto' | 'cole-hopf' | 'hopf-lax' | 'fd';

/** Options of {@link relax}. */
export interface RelaxOptions {
  /** Relaxation time, finite and > 0 (the paper's γ). */
  t: number;
  /** Inverse temperature > 0; Infinity = non-viscous (Hopf–Lax). @defaultValue Infinity */
  beta?: number;
  /** @defaultValue 'auto' */
  method?: RelaxMethod;
  /** Hopf–Lax prox refinement; 'parabolic' makes the interpolated gradient O(h²). @defaultValue 'parabolic' ('none' on a gpu.js backend, which refuses 'parabolic') */
  proxRefinement?: ProxRefinement;
  /** Throw instead of warning when the box cuts the problem off. @defaultValue false */
  strict?: boolean;
  /** value/gradient/prox outside the box: 'error', 'clamp' or 'extrapolate'. @defaultValue 'error' */
  outside?: OutsidePolicy;
  /** Compute backend; 'webasm' / 'gpujs-cpu' run the chosen solver's float32 gpu.js path; 'gpu' / 'webgpu' need relaxAsync (src/gpu). @defaultValue 'cpu' */
  backend?: BackendName;
}

/** Defaults of {@link RelaxOptions}. */
export const RELAX_DEFAULTS = { beta: Infinity, method: 'auto', proxRefinement: 'parabolic', strict: false, outside: 'error' } as const;

/**
 * The relaxed loss u(x, t) of the sampled loss f: viscous (Cole–Hopf, u = −β⁻¹ log(G_{t/β} ∗ e^{−βf}))
 * for finite β, non-viscous (Hopf–Lax, u = min_y f(y) + |x − y|²/(2t)) for β = ∞, computed exactly
 * on the grid; or by the monotone finite-difference scheme (`method: 'fd'`, first order in h, ∇u
 * by central differences). value/gradient/prox at any point of the box by interpolation, with
 * ∇u = (x − prox)/t (prox = Gibbs mean for finite β).
 * @param f - loss samples on a grid
 * @param options - `t`, `beta`, `method`, see {@link RelaxOptions}
 * @throws RangeError for t not finite and > 0, beta not > 0, a method that contradicts beta
 *   ('hopf-lax' with finite beta, 'cole-hopf' with beta = Infinity), an unknown method, or any
 *   error of the solver it calls
 * @example const loss = relax(Grid.uniform([[-2, 2]], [401]).sample((x) => x * x / 2), { t: 0.5 }); loss.gradient([1]); // ≈ [2/3]
 */
export function relax(f: GridFunction, options: RelaxOptions): RelaxedLoss {
  const fn = 'relax';
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an object { t, beta?, method? }');
  const { t } = options;
  mustBePositive(fn, 't', t);
  const beta = options.beta ?? RELAX_DEFAULTS.beta;
  mustBeBeta(fn, 'beta', beta);
  const method = options.method ?? RELAX_DEFAULTS.method;
  const strict = options.strict ?? RELAX_DEFAULTS.strict;
  const outside = options.outside ?? RELAX_DEFAULTS.outside;
  const backend = requireKnownBackend(fn, options.backend);
  mustBe(fn, 'backend', backend, backend !== 'gpu' && backend !== 'webgpu', "'cpu', 'webasm' or 'gpujs-cpu' (WebGPU is asynchronous: call relaxAsync)");
  switch (method) {
    case 'auto':
      return beta === Infinity ? viaHopfLax(f, t, options.proxRefinement, strict, outside, backend) : viaColeHopf(f, t, beta, strict, outside, backend);
    case 'hopf-lax':
      mustBe(fn, 'beta', beta, beta === Infinity, "Infinity with method 'hopf-lax' (use 'cole-hopf' or 'auto' for finite beta)");
      return viaHopfLax(f, t, options.proxRefinement, strict, outside, backend);
    case 'cole-hopf':
      mustBe(fn, 'beta', beta, beta !== Infinity, "finite with method 'cole-hopf' (use 'hopf-lax' or 'auto' for beta = Infinity)");
      return viaColeHopf(f, t, beta, strict, outside, backend);
    case 'fd':
      return viaFiniteDifferences(f, t, beta, outside, backend);
    default:
      throw new RangeError(`${fn}: method must be 'auto' | 'cole-hopf' | 'hopf-lax' | 'fd'; got ${JSON.stringify(method satisfies never)}.`);
  }
}

function viaHopfLax(f: GridFunction, t: number, refine: ProxRefinement | undefined, strict: boolean, outside: OutsidePolicy, backend: BackendName): RelaxedLoss {
  const r = hopfLax(f, t, { proxRefinement: refine ?? (backend === 'cpu' ? RELAX_DEFAULTS.proxRefinement : 'none'), strict, backend });
  return gridRelaxedLoss(r.u, r.prox, t, Infinity, 'hopf-lax', r.warnings, outside);
}

function viaColeHopf(f: GridFunction, t: number, beta: number, strict: boolean, outside: OutsidePolicy, backend: BackendName): RelaxedLoss {
  const r = coleHopf(f, t, beta, { strict, backend });
  return gridRelaxedLoss(r.u, r.mean, t, beta, 'cole-hopf', r.warnings, outside);
}

function viaFiniteDifferences(f: GridFunction, t: number, beta: number, outside: OutsidePolicy, backend: BackendName): RelaxedLoss {
  const { u } = solveHJ(f, { t, beta, backend });
  const { grid } = u;
  // prox = x − t∇u with second-order central differences (one-sided, by linear extrapolation, at the edges).
  const prox = Array.from({ length: grid.ndim }, (_, k) => {
    const grad = centralDifference(u, k, 'extrapolate'), axis = grid.axis(k), stride = grid.strides[k], n = grid.shape[k];
    return grad.map((g, p) => axis[Math.floor(p / stride) % n] - t * g);
  });
  return gridRelaxedLoss(u, prox, t, beta, 'fd', [], outside);
}
