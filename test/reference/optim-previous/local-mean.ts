// Reference twin: src/optim/local-mean.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit. Changed since: μ averages the
// samples as stored (y[p], not the unrounded yNew), and a Float32Array is computed in float32 — Math.fround
// after every operation, every scalar rounded to float32 first — as the chain kernel does (f32x4 lanes,
// wasm/assembly/optim-inner.ts); a Float64Array is computed as before.
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
import type { GradientOracle, Vector } from '../../../src/optim/types.js';
import type { Rng } from '../../../src/util/random.js';
import { requireFiniteOutput } from '../../../src/optim/finite.js';

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

/** Caller-owned buffers, all of x's type and length. */
export interface InnerLoopBuffers {
  /** The chain y (scratch). */
  y: Vector;
  /** Output: the estimate μ of ⟨y⟩. */
  mean: Vector;
  /** Gradient scratch. */
  grad: Vector;
  /** Inner momentum buffer (persists across outer steps unless the caller zeroes it). */
  velocity: Vector;
}

/**
 * Runs the inner loop from anchor x (not modified) and writes μ ≈ ⟨y⟩ into `buffers.mean`.
 * Costs L oracle calls; the first is at y = x, so its loss is the loss at the anchor.
 * @returns the loss of the first evaluation (at x)
 * @throws RangeError naming step/replica/inner iteration on a non-finite loss or gradient (x is
 *   untouched; the inner velocity may hold NaN afterwards: reload a checkpoint to continue)
 */
export function localMean(fn: string, x: Vector, oracle: GradientOracle, s: InnerLoopSettings,
  buffers: InnerLoopBuffers, rng: Rng, step: number, replica?: number): number {
  const { y, mean, grad, velocity } = buffers;
  const n = x.length;
  // R: the rounding after every operation — Math.fround on a Float32Array (float32 arithmetic, every
  // scalar rounded first), none on a Float64Array (the float64 loop as it was).
  const R = x instanceof Float32Array ? Math.fround : (v: number): number => v;
  const m = s.innerMomentum, innerNesterov = s.innerNesterov, noiseScale = s.noiseScale;
  const innerLr = R(s.innerLr), coupling = R(s.coupling), sd = R(noiseScale), mm = R(m), weightDecay = R(s.weightDecay);
  const allInMomentum = s.momentumOn === 'all';
  y.set(x); mean.set(x);
  let firstLoss = NaN;
  for (let l = 0; l < s.innerSteps; l++) {
    const loss = oracle(y, grad);
    // The gradient check is fused into the update (bad accumulates g·0: NaN iff some g is not
    // finite), which only writes scratch (y, mean) and the inner velocity; x is never touched here.
    if (!Number.isFinite(loss)) requireFiniteOutput(fn, loss, grad, step, l, replica);
    if (l === 0) firstLoss = loss;
    let bad = 0;
    const a = s.averaging === 'uniform' ? 1 / (l + 2) : s.alpha, keep = R(1 - a), af = R(a);
    for (let p = 0; p < n; p++) {
      const yp = y[p], gp = grad[p];
      bad += gp * 0;
      const g = R(gp + R(weightDecay * yp));
      let rest = R(coupling * R(yp - x[p]));
      if (noiseScale !== 0) rest = R(rest + R(sd * R(rng.normal())));
      let d: number;
      if (m === 0) d = R(g + rest);
      else if (allInMomentum) {
        const dp = R(g + rest), b = R(R(mm * velocity[p]) + dp); velocity[p] = b;
        d = innerNesterov ? R(dp + R(mm * b)) : b;
      } else {
        const b = R(R(mm * velocity[p]) + g); velocity[p] = b;
        d = R((innerNesterov ? R(g + R(mm * b)) : b) + rest);
      }
      const yNew = R(yp - R(innerLr * d));
      y[p] = yNew;
      mean[p] = R(R(keep * mean[p]) + R(af * y[p]));
    }
    if (bad !== 0) requireFiniteOutput(fn, loss, grad, step, l, replica);
  }
  return firstLoss;
}
