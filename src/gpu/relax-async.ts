/**
 * relax (src/pde) on any gpu.js backend, WebGPU included: the same method choice, each solver's
 * asynchronous pde-shaped GPU entry, and the same RelaxedLoss. Runtime imports from src/pde are pure
 * helpers only (relax.ts itself imports the solvers, which import src/gpu).
 */
import { centralDifference } from '../grids/finite-difference.js';
import type { GridFunction } from '../grids/grid-function.js';
import type { RelaxOptions } from '../pde/relax.js';
import { gridRelaxedLoss, type RelaxedLoss } from '../pde/relaxed-loss.js';
import { mustBe, mustBeBeta, mustBePositive, mustBeType } from '../util/validate.js';
import { hopfLaxAsync, solveHJAsync } from './dispatch.js';
import { coleHopfAsync } from './dispatch-cole-hopf.js';

/**
 * The relaxed loss u(x, t) of the sampled loss f, as relax() computes it (Cole–Hopf for finite β,
 * Hopf–Lax for β = ∞, or the monotone scheme with `method: 'fd'`), on a gpu.js backend (default
 * 'gpu' = hardware WebGPU, else webasm with a notice in `warnings`), float32. Hopf–Lax runs without
 * prox refinement (`proxRefinement: 'parabolic'` is refused), so ∇u from the prox is O(h).
 * @param f - loss samples on a 1-, 2- or 3-D grid
 * @param options - as relax: `t`, `beta`, `method`, `strict`, `outside`, `backend`
 * @throws RangeError as relax, or the GPU solver's refusals (each naming backend 'cpu')
 * @example const loss = await relaxAsync(f, { t: 0.5, beta: 10, backend: 'gpu' }); loss.gradient([0.3]);
 */
export async function relaxAsync(f: GridFunction, options: RelaxOptions): Promise<RelaxedLoss> {
  const fn = 'relaxAsync';
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an object { t, beta?, method? }');
  const { t } = options;
  mustBePositive(fn, 't', t);
  const beta = options.beta ?? Infinity;
  mustBeBeta(fn, 'beta', beta);
  const method = options.method ?? 'auto';
  const strict = options.strict ?? false;
  const outside = options.outside ?? 'error';
  const backend = options.backend ?? 'gpu';
  switch (method) {
    case 'auto':
    case 'hopf-lax':
    case 'cole-hopf': {
      if (method === 'hopf-lax') mustBe(fn, 'beta', beta, beta === Infinity, "Infinity with method 'hopf-lax' (use 'cole-hopf' or 'auto' for finite beta)");
      if (method === 'cole-hopf') mustBe(fn, 'beta', beta, beta !== Infinity, "finite with method 'cole-hopf' (use 'hopf-lax' or 'auto' for beta = Infinity)");
      if (beta === Infinity) {
        const r = await hopfLaxAsync(f, t, { proxRefinement: options.proxRefinement ?? 'none', strict, backend });
        return gridRelaxedLoss(r.u, r.prox, t, Infinity, 'hopf-lax', r.warnings, outside);
      }
      const r = await coleHopfAsync(f, t, beta, { strict, backend });
      return gridRelaxedLoss(r.u, r.mean, t, beta, 'cole-hopf', r.warnings, outside);
    }
    case 'fd': {
      const { u, backend: ran } = await solveHJAsync(f, { t, beta, backend });
      const { grid } = u;
      // prox = x − t∇u with second-order central differences (one-sided by linear extrapolation at the edges), as relax().
      const prox = Array.from({ length: grid.ndim }, (_, k) => {
        const grad = centralDifference(u, k, 'extrapolate'), axis = grid.axis(k), stride = grid.strides[k], n = grid.shape[k];
        return grad.map((g, p) => axis[Math.floor(p / stride) % n] - t * g);
      });
      return gridRelaxedLoss(u, prox, t, beta, 'fd', ran.notice ? [ran.notice] : [], outside);
    }
    default:
      throw new RangeError(`${fn}: method must be 'auto' | 'cole-hopf' | 'hopf-lax' | 'fd'; got ${JSON.stringify(method satisfies never)}.`);
  }
}
