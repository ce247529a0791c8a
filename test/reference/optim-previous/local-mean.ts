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
  const { innerLr, coupling, noiseScale, innerMomentum: m, innerNesterov, weightDecay } = s;
  const allInMomentum = s.momentumOn === 'all';
  y.set(x); mean.set(x);
  if (x instanceof Float32Array) return localMeanF32(fn, x, oracle, s, buffers, rng, step, replica);
  let firstLoss = NaN;
  for (let l = 0; l < s.innerSteps; l++) {
    const loss = oracle(y, grad);
    // The gradient check is fused into the update (bad accumulates g·0: NaN iff some g is not
    // finite), which only writes scratch (y, mean) and the inner velocity; x is never touched here.
    if (!Number.isFinite(loss)) requireFiniteOutput(fn, loss, grad, step, l, replica);
    if (l === 0) firstLoss = loss;
    let bad = 0;
    const a = s.averaging === 'uniform' ? 1 / (l + 2) : s.alpha;
    for (let p = 0; p < n; p++) {
      const yp = y[p], gp = grad[p];
      bad += gp * 0;
      const g = gp + weightDecay * yp;
      let rest = coupling * (yp - x[p]);
      if (noiseScale !== 0) rest += noiseScale * rng.normal();
      let d: number;
      if (m === 0) d = g + rest;
      else if (allInMomentum) {
        const dp = g + rest, b = m * velocity[p] + dp; velocity[p] = b;
        d = innerNesterov ? dp + m * b : b;
      } else {
        const b = m * velocity[p] + g; velocity[p] = b;
        d = (innerNesterov ? g + m * b : b) + rest;
      }
      const yNew = yp - innerLr * d;
      y[p] = yNew;
      mean[p] = (1 - a) * mean[p] + a * y[p];
    }
    if (bad !== 0) requireFiniteOutput(fn, loss, grad, step, l, replica);
  }
  return firstLoss;
}

/** The same loop on Float32Array buffers in float32 arithmetic (y and mean already hold x). */
function localMeanF32(fn: string, x: Vector, oracle: GradientOracle, s: InnerLoopSettings,
  buffers: InnerLoopBuffers, rng: Rng, step: number, replica?: number): number {
  const F = Math.fround;
  const { y, mean, grad, velocity } = buffers;
  const n = x.length, m = s.innerMomentum, innerNesterov = s.innerNesterov;
  const lr = F(s.innerLr), c = F(s.coupling), sd = F(s.noiseScale), mm = F(m), wd = F(s.weightDecay);
  const allInMomentum = s.momentumOn === 'all';
  let firstLoss = NaN;
  for (let l = 0; l < s.innerSteps; l++) {
    const loss = oracle(y, grad);
    if (!Number.isFinite(loss)) requireFiniteOutput(fn, loss, grad, step, l, replica);
    if (l === 0) firstLoss = loss;
    let bad = 0;
    const a = s.averaging === 'uniform' ? 1 / (l + 2) : s.alpha, keep = F(1 - a), af = F(a);
    for (let p = 0; p < n; p++) {
      const yp = y[p], gp = grad[p];
      bad += gp * 0;
      const g = F(gp + F(wd * yp));
      let rest = F(c * F(yp - x[p]));
      if (s.noiseScale !== 0) rest = F(rest + F(sd * F(rng.normal())));
      let d: number;
      if (m === 0) d = F(g + rest);
      else if (allInMomentum) {
        const dp = F(g + rest), b = F(F(mm * velocity[p]) + dp); velocity[p] = b;
        d = innerNesterov ? F(dp + F(mm * b)) : b;
      } else {
        const b = F(F(mm * velocity[p]) + g); velocity[p] = b;
        d = F((innerNesterov ? F(g + F(mm * b)) : b) + rest);
      }
      const yNew = F(yp - F(lr * d));
      y[p] = yNew;
      mean[p] = F(F(keep * mean[p]) + F(af * yNew));
    }
    if (bad !== 0) requireFiniteOutput(fn, loss, grad, step, l, replica);
  }
  return firstLoss;
}
