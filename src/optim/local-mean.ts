/**
 * The inner loop shared by Entropy-SGD, HEAT and each Elastic-SGD/Parle replica: L Langevin (SGLD)
 * steps on the local-entropy potential H(y) = f(y) + |y − x|²/(2t) started at y = x,
 *   d = ∇f(y) + wd·y + (y − x)/t + s·ξ,   s = √(2/(η′β)),  ξ ~ N(0, I),
 *   y ← y − η′·d                     (so the noise is √(2η′/β)·ξ: SGLD at inverse temperature β),
 * with optional (Nesterov) momentum on d, and the running estimate of the Gibbs mean ⟨y⟩ under
 * ρ(y; x) ∝ exp(−β H(y)) (paper-notes §3.4, §4.1):
 *   exponential: μ ← (1 − α)μ + α·y  (μ₀ = x; the reference's beta1 = 1 − α)
 *   uniform:     μ = (x + y₁ + … + y_L)/(L + 1)   (the reference HEAT class).
 * The reference codes differ on momentum placement: pratikac/hamilton-jacobi (the DR experiments)
 * puts coupling and noise inside the momentum ('all'); ucla-vision/entropy-sgd adds them after it
 * ('gradient'). Both are available.
 */
import type { GradientOracle, Vector } from './types.js';
import { Rng } from '../util/random.js';
import type { SimdNormals } from './simd-normal-kernel.js';
import { requireFiniteOutput } from './finite.js';
import { NOISE_BLOCK, PIPE_BLOCK, Workspace } from './workspace.js';

/** Per-call scalars of the inner loop (resolved from options and schedules by the caller). */
export interface InnerLoopSettings {
  /** L ≥ 1. */
  innerSteps: number;
  /** η′ > 0. */
  innerLr: number;
  /** 1/t, the proximal coupling (the reference code's g). */
  coupling: number;
  /** s = √(2/(η′β)); 0 when β = ∞ (then the stream is not touched). */
  noiseScale: number;
  /** 'exponential' (weight α on the new sample) or 'uniform'. */
  averaging: 'exponential' | 'uniform';
  /** α ∈ (0, 1] for exponential averaging. */
  alpha: number;
  /** Inner momentum m ∈ [0, 1). */
  innerMomentum: number;
  /** Nesterov inner momentum. */
  innerNesterov: boolean;
  /** What the inner momentum acts on: the whole drift ('all') or the loss gradient only ('gradient'). */
  momentumOn: 'all' | 'gradient';
  /** L2 weight decay on the inner gradient. */
  weightDecay: number;
}

/**
 * The workspace vectors of the inner loop (a {@link Workspace} with at least {@link LOCAL_MEAN_SLOTS}):
 * the anchor x, the chain y, the output μ, the gradient, the inner momentum buffer.
 */
export const ANCHOR = 0, Y = 1, MEAN = 2, GRAD = 3, INNER_VELOCITY = 4;
/** Number of workspace vectors {@link localMean} uses (indices 0…4); callers add theirs after. */
export const LOCAL_MEAN_SLOTS = 5;

/**
 * Runs the inner loop from anchor x (not modified) and writes μ ≈ ⟨y⟩ into `ws.vec(MEAN)`.
 * x is copied into `ws.vec(ANCHOR)` unless it is that vector; the inner momentum buffer is
 * `ws.vec(INNER_VELOCITY)` (persisting across calls unless the caller resets or replaces it).
 * Each inner step is one fused kernel pass (wasm/assembly/optim-inner.ts), with the Langevin noise
 * drawn block by block by the wasm ziggurat from `noise`: an `Rng` (the same values as `rng.normal()`
 * per element, option normals: 'sequential') or the 8-lane SIMD generator (normals: 'simd').
 * Costs L oracle calls; the first is at y = x, so its loss is the loss at the anchor.
 * @returns the loss of the first evaluation (at x)
 * @throws RangeError naming step/replica/inner iteration on a non-finite loss or gradient (x is
 *   untouched; the inner velocity may hold NaN afterwards: reload a checkpoint to continue)
 */
export function localMean(fn: string, x: Vector, oracle: GradientOracle, s: InnerLoopSettings,
  ws: Workspace, noise: Rng | SimdNormals, step: number, replica?: number): number {
  const n = x.length, k = ws.k, size = ws.size;
  const anchor = ws.vec(ANCHOR), y = ws.vec(Y), grad = ws.vec(GRAD);
  if (x !== anchor) ws.copyIn(ANCHOR, x);
  const xs = ws.at(ANCHOR), yp = ws.at(Y), mp = ws.at(MEAN), gp = ws.at(GRAD), vp = ws.at(INNER_VELOCITY);
  const { innerLr, coupling, noiseScale, innerMomentum: m, weightDecay } = s;
  const mode = m === 0 ? 0 : s.momentumOn === 'all' ? 1 : 2, nesterov = s.innerNesterov ? 1 : 0;
  let firstLoss = NaN;
  // The noisy pass on two threads (n ≥ SPLIT_MIN): its arguments, reused block by block, and the draw beside each block.
  const pipelined = noiseScale !== 0 && ws.pipelines(n);
  const args = pipelined ? [0, 0, 0, 0, 0, 0, 0, 0, 0, innerLr, coupling, weightDecay, 0, 0, m, noiseScale, mode, nesterov, 1] : [];
  let drawTo = 0, drawLen = 0;
  const draw = (): void => {
    if (drawLen === 0) return;
    if (noise instanceof Rng) ws.normal.normals(noise, drawTo, drawLen); else ws.simdNormal.normals(noise, drawTo, drawLen);
  };
  for (let l = 0; l < s.innerSteps; l++) {
    // The chain starts at y₀ = μ₀ = x: the first oracle call and kernel pass read x itself.
    const loss = oracle(l === 0 ? x : y, grad);
    const yIn = l === 0 ? xs : yp, meanIn = l === 0 ? xs : mp;
    // The gradient check is fused into the update (NaN iff some g is not finite), which only writes
    // scratch (y, μ) and the inner velocity; x is never touched here.
    if (!Number.isFinite(loss)) requireFiniteOutput(fn, loss, grad, step, l, replica);
    if (l === 0) firstLoss = loss;
    const a = s.averaging === 'uniform' ? 1 / (l + 2) : s.alpha;
    let bad = 0;
    if (noiseScale === 0) {
      bad = k.sgld(n, xs, yIn, yp, gp, meanIn, mp, vp, 0, innerLr, coupling, weightDecay, 1 - a, a, m, 0, mode, nesterov, 0);
    } else if (pipelined) {
      // Block j's update on the kernel worker while this thread draws block j + 1's noise into the
      // other noise block: the same draws in the same order, the same bits (Workspace.sgldBeside).
      args[12] = 1 - a; args[13] = a;
      drawTo = ws.noise; drawLen = Math.min(PIPE_BLOCK, n); draw();
      for (let p = 0, j = 0; p < n; p += PIPE_BLOCK, j++) {
        const len = Math.min(PIPE_BLOCK, n - p), o = p * size, next = p + PIPE_BLOCK;
        args[0] = len; args[1] = xs + o; args[2] = yIn + o; args[3] = yp + o; args[4] = gp + o; args[5] = meanIn + o; args[6] = mp + o; args[7] = vp + o;
        args[8] = j % 2 === 0 ? ws.noise : ws.noise2;
        drawTo = j % 2 === 0 ? ws.noise2 : ws.noise; drawLen = next < n ? Math.min(PIPE_BLOCK, n - next) : 0;
        bad += ws.sgldBeside(args, draw);
      }
    } else {
      for (let p = 0; p < n; p += NOISE_BLOCK) {
        const len = Math.min(NOISE_BLOCK, n - p), o = p * size;
        if (noise instanceof Rng) ws.normal.normals(noise, ws.noise, len); else ws.simdNormal.normals(noise, ws.noise, len);
        bad += k.sgld(len, xs + o, yIn + o, yp + o, gp + o, meanIn + o, mp + o, vp + o, ws.noise, innerLr, coupling, weightDecay, 1 - a, a, m, noiseScale, mode, nesterov, 1);
      }
    }
    if (bad !== 0) requireFiniteOutput(fn, loss, grad, step, l, replica);
  }
  return firstLoss;
}
