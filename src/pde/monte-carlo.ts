/**
 * Mesh-free Monte-Carlo relaxation in any dimension: u(x, t) = −β⁻¹ log E_{y∼N(x, (t/β)I)} e^{−βf(y)},
 * the Gibbs mean ⟨y⟩ and ∇u = (x − ⟨y⟩)/t, by (importance) sampling with self-normalised weights
 * kept in the log domain. Seeded, with effective sample size and delta-method standard errors.
 * @see docs/solvers.md §Monte Carlo for measured bias and variance against d and the sample count
 */
import { Rng } from '../util/random.js';
import type { GradientOracle } from '../optim/types.js';
import { mustBe, mustBeInteger, mustBePositive, mustBeType, describe } from '../util/validate.js';

/**
 * Proposal: 'kernel' samples N(x, σ²I), σ² = t/β (weights e^{−βf}); 'laplace' samples N(m, diag(s²))
 * with m the mode of f(y) + |x − y|²/(2t) (found by gradient descent with backtracking) and
 * s_k² = σ²/(1 + t·∂²_k f(m)) from finite differences of the gradient; or an explicit Gaussian.
 */
export type MonteCarloProposal = 'kernel' | 'laplace' | { mean: ArrayLike<number>; std: number | ArrayLike<number> };

/** Options of {@link monteCarloRelax}. */
export interface MonteCarloOptions {
  /** Relaxation time, finite and > 0. */
  t: number;
  /** Inverse temperature, finite and > 0. */
  beta: number;
  /** Number of samples (even when antithetic), integer ≥ 2. */
  samples: number;
  /** Seed of the {@link Rng} stream. */
  seed: number;
  /** Use the pairs m ± s∘z (variance reduction for near-symmetric weights). @defaultValue false */
  antithetic?: boolean;
  /** @defaultValue 'kernel' */
  proposal?: MonteCarloProposal;
  /** ∇f, required by the 'laplace' proposal. */
  gradient?: GradientOracle;
  /** Gradient-descent iterations for the Laplace mode. @defaultValue 200 */
  laplaceSteps?: number;
}

/** Estimates with their standard errors. */
export interface MonteCarloResult {
  /** Estimate of u(x, t) (biased upward by ≈ relative variance/(2β·units) through the log; see docs). */
  u: number;
  /** Estimate of the Gibbs mean ⟨y⟩. */
  mean: Float64Array;
  /** Estimate of ∇u(x, t) = (x − ⟨y⟩)/t. */
  gradient: Float64Array;
  /** Effective sample size (Σw)²/Σw² of the self-normalised weights. */
  ess: number;
  /** Delta-method standard errors. */
  standardError: { u: number; mean: Float64Array; gradient: Float64Array };
  /** Samples drawn and f evaluations spent (including the Laplace search). */
  samples: number;
  evaluations: number;
}

/**
 * Monte-Carlo estimate of the viscous relaxation u(x, t) = −β⁻¹ log E_{y∼N(x,(t/β)I)} e^{−βf(y)}, of
 * ⟨y⟩ and of ∇u = (x − ⟨y⟩)/t, with log-domain self-normalised importance weights
 * w = e^{−βf(y)}·N(y; x, σ²I)/q(y). Standard errors by the delta method over independent units
 * (samples, or antithetic pairs); ESS = (Σw)²/Σw². Cost: `samples` evaluations of f (+ the Laplace search).
 * @param f - the loss, f(y) for y of length d (must be finite at the samples)
 * @param x - the point, length d ≥ 1, finite
 * @param options - see {@link MonteCarloOptions}
 * @throws RangeError for t or beta not finite and > 0, samples not an integer ≥ 2 (even with
 *   antithetic), a non-finite x, a bad proposal, 'laplace' without `gradient`, or f not finite at a sample
 * @example monteCarloRelax((y) => 0.5 * y[0] * y[0], [1], { t: 0.5, beta: 10, samples: 4000, seed: 1 }).u // ≈ 1/3 + log(1.5)/20
 */
export function monteCarloRelax(f: (y: Float64Array) => number, x: ArrayLike<number>, options: MonteCarloOptions): MonteCarloResult {
  const fn = 'monteCarloRelax';
  mustBeType(fn, 'f', f, typeof f === 'function', 'a function of y');
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an object');
  const { t, beta, samples, seed } = options;
  mustBePositive(fn, 't', t);
  mustBePositive(fn, 'beta', beta);
  const antithetic = options.antithetic ?? false;
  mustBeInteger(fn, 'samples', samples, 2);
  mustBe(fn, 'samples', samples, !antithetic || samples % 2 === 0, 'even with antithetic pairs');
  const d = x.length;
  mustBe(fn, 'x', describe(Array.from(x)), d >= 1 && Array.from(x).every(Number.isFinite), 'a non-empty finite vector');
  const rng = new Rng(seed);
  const sigma = Math.sqrt(t / beta);
  let evaluations = 0;
  const evalF = (y: Float64Array) => {
    const v = f(y); evaluations++;
    if (!Number.isFinite(v)) throw new RangeError(`${fn}: f must be finite at every sample; got ${v} at y = ${describe(y)}.`);
    return v;
  };

  const m = new Float64Array(d), s = new Float64Array(d);
  const proposal = options.proposal ?? 'kernel';
  if (proposal === 'kernel') { for (let k = 0; k < d; k++) { m[k] = x[k]; s[k] = sigma; } }
  else if (proposal === 'laplace') {
    mustBeType(fn, 'gradient', options.gradient, typeof options.gradient === 'function', "a gradient oracle (required by proposal 'laplace')");
    const steps = options.laplaceSteps ?? 200;
    mustBeInteger(fn, 'laplaceSteps', steps, 0);
    evaluations += laplaceProposal(evalF, options.gradient!, x, t, sigma, steps, m, s);
  } else if (typeof proposal === 'object' && proposal !== null) {
    mustBe(fn, 'proposal.mean', describe(Array.from(proposal.mean)), proposal.mean.length === d && Array.from(proposal.mean).every(Number.isFinite), `a finite vector of length ${d}`);
    const std = proposal.std;
    for (let k = 0; k < d; k++) {
      m[k] = proposal.mean[k];
      s[k] = typeof std === 'number' ? std : std[k];
    }
    mustBe(fn, 'proposal.std', describe(typeof std === 'number' ? std : Array.from(std)), (typeof std === 'number' || std.length === d) && Array.from(s).every((v) => Number.isFinite(v) && v > 0), `finite and > 0 (a number or a vector of length ${d})`);
  } else {
    throw new RangeError(`${fn}: proposal must be 'kernel' | 'laplace' | { mean, std }; got ${describe(proposal)}.`);
  }

  // log N(y; x, σ²I) − log q(y) = −|y − x|²/(2σ²) + |z|²/2 + Σ log s_k − d log σ (the 2π factors cancel).
  let logDetRatio = 0;
  for (let k = 0; k < d; k++) logDetRatio += Math.log(s[k]) - Math.log(sigma);
  const isKernel = proposal === 'kernel';
  const logW = new Float64Array(samples), ys = new Float64Array(samples * d);
  const z = new Float64Array(d), y = new Float64Array(d);
  for (let i = 0; i < samples; i++) {
    if (!antithetic || i % 2 === 0) rng.fillNormal(z);
    const sign = antithetic && i % 2 === 1 ? -1 : 1;
    let z2 = 0, r2 = 0;
    for (let k = 0; k < d; k++) {
      const zk = sign * z[k];
      y[k] = m[k] + s[k] * zk;
      z2 += zk * zk;
      const r = y[k] - x[k]; r2 += r * r;
    }
    ys.set(y, i * d);
    logW[i] = -beta * evalF(y) + (isKernel ? 0 : -r2 / (2 * sigma * sigma) + z2 / 2 + logDetRatio);
  }

  let maxLog = -Infinity;
  for (let i = 0; i < samples; i++) if (logW[i] > maxLog) maxLog = logW[i];
  const unitSize = antithetic ? 2 : 1, units = samples / unitSize;
  const w = new Float64Array(samples);
  let sumW = 0, sumW2 = 0;
  for (let i = 0; i < samples; i++) { w[i] = Math.exp(logW[i] - maxLog); sumW += w[i]; sumW2 += w[i] * w[i]; }
  const mean = new Float64Array(d);
  for (let i = 0; i < samples; i++) for (let k = 0; k < d; k++) mean[k] += w[i] * ys[i * d + k];
  for (let k = 0; k < d; k++) mean[k] /= sumW;
  // Delta method over independent units j with A_j = Σ w, B_j = Σ w·y: Var(ΣB/ΣA) ≈ Σ_j (B_j − mean·A_j)²/(ΣA)².
  const varMean = new Float64Array(d);
  let sumA2 = 0;
  for (let j = 0; j < units; j++) {
    let A = 0;
    for (let r = 0; r < unitSize; r++) A += w[j * unitSize + r];
    sumA2 += A * A;
    for (let k = 0; k < d; k++) {
      let B = 0;
      for (let r = 0; r < unitSize; r++) { const i = j * unitSize + r; B += w[i] * ys[i * d + k]; }
      varMean[k] += (B - mean[k] * A) ** 2;
    }
  }
  const relVar = Math.max(0, (units * sumA2) / (sumW * sumW) - 1); // estimated Var(A)/E[A]²
  const seMean = varMean.map((v) => Math.sqrt(v) / sumW);
  const gradient = new Float64Array(d);
  for (let k = 0; k < d; k++) gradient[k] = (x[k] - mean[k]) / t;
  const u = -(maxLog + Math.log(sumW / samples)) / beta;
  return {
    u, mean, gradient,
    ess: (sumW * sumW) / sumW2,
    standardError: { u: Math.sqrt(relVar / units) / beta, mean: seMean, gradient: seMean.map((v) => v / t) },
    samples, evaluations,
  };
}

/**
 * Mode m of φ(y) = f(y) + |y − x|²/(2t) by gradient descent with Armijo backtracking (start at x,
 * step t), then s_k = σ/√(max(1 + t·∂²_k f(m), 1e-3)) with ∂²_k f from a forward difference of ∇f.
 * @returns the number of ∇f evaluations spent (f evaluations are counted by evalF)
 */
function laplaceProposal(evalF: (y: Float64Array) => number, grad: GradientOracle, x: ArrayLike<number>, t: number, sigma: number, steps: number, m: Float64Array, s: Float64Array): number {
  const d = m.length, g = new Float64Array(d), trial = new Float64Array(d), g2 = new Float64Array(d);
  for (let k = 0; k < d; k++) m[k] = x[k];
  const phi = (y: Float64Array, fy: number) => { let r = 0; for (let k = 0; k < d; k++) r += (y[k] - x[k]) ** 2; return fy + r / (2 * t); };
  let evals = 0;
  let fm = grad(m, g); evals++;
  let step = t;
  for (let it = 0; it < steps; it++) {
    let gn = 0;
    for (let k = 0; k < d; k++) { g[k] += (m[k] - x[k]) / t; gn += g[k] * g[k]; }
    if (gn === 0) break;
    const current = phi(m, fm);
    let accepted = false;
    for (let tries = 0; tries < 40; tries++) {
      for (let k = 0; k < d; k++) trial[k] = m[k] - step * g[k];
      const ft = evalF(trial);
      if (phi(trial, ft) <= current - 0.5 * step * gn) { accepted = true; break; }
      step /= 2;
    }
    if (!accepted) break;
    m.set(trial);
    fm = grad(m, g); evals++;
    step *= 2;
  }
  grad(m, g); evals++;
  const hfd = 1e-5 * Math.max(1, sigma);
  for (let k = 0; k < d; k++) {
    trial.set(m); trial[k] += hfd;
    grad(trial, g2); evals++;
    const curvature = (g2[k] - g[k]) / hfd;
    s[k] = sigma / Math.sqrt(Math.max(1 + t * curvature, 1e-3));
  }
  return evals;
}
