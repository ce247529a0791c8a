/**
 * Closed-form relaxed losses u(x, t) for users and tests, for both PDEs: Hopf–Lax (beta = Infinity,
 * the Moreau envelope) and Cole–Hopf (finite beta, u = −β⁻¹ log(G_{t/β} ∗ e^{−βf})). Each returns
 * the value, the point y(x) with ∇u = (x − y)/t (prox for β = ∞, Gibbs mean ⟨y⟩ for finite β), the
 * gradient, the Hessian ∇²u = I/t − (β/t²)Cov and the Gibbs covariance (zero for β = ∞).
 * Derivations: docs/solvers.md §Closed forms; paper-notes §3.5–3.6.
 */
import { mustBe, mustBePositive, mustBeBeta, mustBeType, describe } from '../util/validate.js';
import { logNormalCdf, inverseMillsRatio, logNormalInterval, logNormalPdf } from './normal-cdf.js';

/** A relaxed loss known in closed form. Points are plain arrays of length `ndim` (any for separable forms). */
export interface ExactRelaxation {
  /** u(x, t). */
  value(x: readonly number[]): number;
  /** prox_{tf}(x) for β = ∞, the Gibbs mean ⟨y⟩ for finite β; ∇u = (x − prox)/t. */
  prox(x: readonly number[]): number[];
  /** ∇u(x, t). */
  gradient(x: readonly number[]): number[];
  /** ∇²u(x, t) (where u is twice differentiable). */
  hessian(x: readonly number[]): number[][];
  /** Covariance of the Gibbs measure ρ(y; x) ∝ exp(−βf(y) − β|x − y|²/(2t)) (zero for β = ∞). */
  covariance(x: readonly number[]): number[][];
}

/** Relaxation time and inverse temperature of a closed form. */
export interface ExactOptions {
  /** Relaxation time, finite and > 0. */
  t: number;
  /** Inverse temperature, > 0; Infinity (default) = Hopf–Lax. @defaultValue Infinity */
  beta?: number;
}

function resolve(fn: string, o: ExactOptions): { t: number; beta: number } {
  mustBeType(fn, 'options', o, typeof o === 'object' && o !== null, 'an object { t, beta? }');
  mustBePositive(fn, 't', o.t);
  const beta = o.beta ?? Infinity;
  mustBeBeta(fn, 'beta', beta);
  return { t: o.t, beta };
}

/** Covariance from the Hessian: Cov = (t²/β)(I/t − ∇²u). */
function covarianceFromHessian(H: number[][], t: number, beta: number): number[][] {
  if (beta === Infinity) return H.map((row) => row.map(() => 0));
  return H.map((row, i) => row.map((h, j) => ((t * t) / beta) * ((i === j ? 1 / t : 0) - h)));
}

/**
 * Relaxation of the quadratic f(y) = ½yᵀAy + bᵀy + c (A symmetric, I + tA positive definite).
 * With M = I + tA: prox = ⟨y⟩ = M⁻¹(x − tb), u = f(prox) + |x − prox|²/(2t) + (1/(2β)) log det M,
 * ∇u = (x − prox)/t, ∇²u = A M⁻¹, Cov = (t/β) M⁻¹.
 * @param quadratic - `A` (d×d symmetric), optional `b` (length d) and `c`
 * @param options - `t` > 0 and `beta` > 0 (Infinity = Hopf–Lax)
 * @throws RangeError if A is not square/symmetric, b has the wrong length, or I + tA is not positive definite
 * @example quadraticRelaxation({ A: [[1]] }, { t: 0.5 }).value([1]) // 1/3
 */
export function quadraticRelaxation(quadratic: { A: number[][]; b?: number[]; c?: number }, options: ExactOptions): ExactRelaxation {
  const fn = 'quadraticRelaxation';
  const { t, beta } = resolve(fn, options);
  const { A } = quadratic;
  const d = A.length;
  mustBe(fn, 'A', A, d > 0 && A.every((row) => row.length === d && row.every(Number.isFinite)), 'a non-empty square matrix of finite numbers');
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) {
    mustBe(fn, 'A', A, Math.abs(A[i][j] - A[j][i]) <= 1e-14 * (Math.abs(A[i][j]) + Math.abs(A[j][i])), 'symmetric');
  }
  const b = quadratic.b ?? new Array<number>(d).fill(0), c = quadratic.c ?? 0;
  mustBe(fn, 'b', b, b.length === d && b.every(Number.isFinite), `a finite vector of length ${d}`);
  const M = A.map((row, i) => row.map((a, j) => (i === j ? 1 : 0) + t * a));
  const L = cholesky(M);
  mustBe(fn, 'I + tA', describe(M), L !== null, 'positive definite (otherwise the relaxation is −∞ or the Gibbs measure is not normalisable)');
  const chol = L!;
  let logDet = 0;
  for (let i = 0; i < d; i++) logDet += 2 * Math.log(chol[i][i]);
  const Minv = Array.from({ length: d }, (_, i) => choleskySolve(chol, Array.from({ length: d }, (__, j) => (i === j ? 1 : 0))));
  const hess = A.map((_, i) => Array.from({ length: d }, (__, j) => { let s = 0; for (let m = 0; m < d; m++) s += A[i][m] * Minv[m][j]; return s; }));
  const prox = (x: readonly number[]) => { checkLength(fn, x, d); return choleskySolve(chol, x.map((xi, i) => xi - t * b[i])); };
  const fAt = (y: number[]) => { let s = c; for (let i = 0; i < d; i++) { let r = 0; for (let j = 0; j < d; j++) r += A[i][j] * y[j]; s += 0.5 * y[i] * r + b[i] * y[i]; } return s; };
  return {
    value: (x) => {
      const y = prox(x);
      let dist2 = 0;
      for (let i = 0; i < d; i++) dist2 += (x[i] - y[i]) ** 2;
      return fAt(y) + dist2 / (2 * t) + (beta === Infinity ? 0 : logDet / (2 * beta));
    },
    prox,
    gradient: (x) => { const y = prox(x); return x.map((xi, i) => (xi - y[i]) / t); },
    hessian: () => hess.map((row) => [...row]),
    covariance: () => (beta === Infinity ? hess.map((row) => row.map(() => 0)) : Minv.map((row) => row.map((m) => (t / beta) * m))),
  };
}

/**
 * Relaxation of f(y) = |y|₁ = Σ|y_k| (separable; any dimension).
 * β = ∞: u = Σ Huber_t(x_k) (x²/(2t) for |x| ≤ t, |x| − t/2 beyond), prox = soft threshold
 * sign(x)·max(|x| − t, 0).
 * Finite β, per coordinate, σ = √(t/β) [derived in docs/solvers.md]:
 * u = −t/2 − β⁻¹ log( e^{−βx}Φ((x − t)/σ) + e^{βx}Φ(−(x + t)/σ) ), ∇u = tanh((L₊ − L₋)/2) with
 * L₊ = −βx + log Φ((x − t)/σ), L₋ = βx + log Φ(−(x + t)/σ), ∇²u = ½ sech²((L₊ − L₋)/2)·(m(z₊) + m(z₋) − 2βσ)/σ
 * with m = φ/Φ the inverse Mills ratio; all evaluated in the log domain.
 * @example l1Relaxation({ t: 1 }).value([3]) // 2.5
 */
export function l1Relaxation(options: ExactOptions): ExactRelaxation {
  const fn = 'l1Relaxation';
  const { t, beta } = resolve(fn, options);
  const sigma = Math.sqrt(t / beta);
  const parts = (x: number) => {
    const zp = (x - t) / sigma, zm = -(x + t) / sigma;
    const lp = -beta * x + logNormalCdf(zp), lm = beta * x + logNormalCdf(zm);
    return { zp, zm, lp, lm };
  };
  const value1 = (x: number) => {
    if (beta === Infinity) return Math.abs(x) <= t ? (x * x) / (2 * t) : Math.abs(x) - t / 2;
    const { lp, lm } = parts(x);
    const m = Math.max(lp, lm);
    return -t / 2 - (m + Math.log(Math.exp(lp - m) + Math.exp(lm - m))) / beta;
  };
  const grad1 = (x: number) => {
    if (beta === Infinity) return Math.abs(x) <= t ? x / t : Math.sign(x);
    const { lp, lm } = parts(x);
    return Math.tanh((lp - lm) / 2);
  };
  const hess1 = (x: number) => {
    if (beta === Infinity) return Math.abs(x) < t ? 1 / t : 0;
    const { zp, zm, lp, lm } = parts(x);
    const th = Math.tanh((lp - lm) / 2);
    return 0.5 * (1 - th * th) * ((inverseMillsRatio(zp) + inverseMillsRatio(zm)) / sigma - 2 * beta);
  };
  return separable(fn, t, beta, value1, grad1, hess1);
}

/**
 * Relaxation of the indicator of the box Π[lower_k, upper_k] (0 inside, +∞ outside).
 * β = ∞: u = dist²(x, box)/(2t), prox = projection onto the box.
 * Finite β, per axis with a = (lower − x)/σ, b = (upper − x)/σ, Z = Φ(b) − Φ(a):
 * u = −β⁻¹ Σ log Z, ⟨y⟩ = x + σ(φ(a) − φ(b))/Z (truncated-normal mean),
 * Var = σ²[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²], ∇²u = (1 − Var/σ²)/t per axis.
 * @throws RangeError unless lower < upper componentwise (same lengths)
 * @example boxIndicatorRelaxation({ lower: [0], upper: [1] }, { t: 0.5 }).value([2]) // 1
 */
export function boxIndicatorRelaxation(box: { lower: number[]; upper: number[] }, options: ExactOptions): ExactRelaxation {
  const fn = 'boxIndicatorRelaxation';
  const { t, beta } = resolve(fn, options);
  const { lower, upper } = box;
  mustBe(fn, 'box', describe([lower, upper]), lower.length > 0 && lower.length === upper.length && lower.every((l, k) => l < upper[k]), 'lower < upper componentwise, with equal lengths');
  const sigma = Math.sqrt(t / beta);
  const stats = (x: number, k: number) => {
    const a = (lower[k] - x) / sigma, b = (upper[k] - x) / sigma;
    const logZ = logNormalInterval(a, b);
    const pa = Math.exp(logNormalPdf(a) - logZ), pb = Math.exp(logNormalPdf(b) - logZ);
    const shift = pa - pb;
    // a·φ(a) with φ(±∞)·∞ = 0 (an infinite bound contributes nothing).
    const ta = Number.isFinite(a) ? a * pa : 0, tb = Number.isFinite(b) ? b * pb : 0;
    return { logZ, mean: x + sigma * shift, varRatio: 1 + ta - tb - shift * shift };
  };
  const d = lower.length;
  const value = (x: readonly number[]) => {
    checkLength(fn, x, d);
    let s = 0;
    for (let k = 0; k < d; k++) {
      if (beta === Infinity) { const dist = x[k] < lower[k] ? lower[k] - x[k] : x[k] > upper[k] ? x[k] - upper[k] : 0; s += (dist * dist) / (2 * t); }
      else s -= stats(x[k], k).logZ / beta;
    }
    return s;
  };
  const prox = (x: readonly number[]) => {
    checkLength(fn, x, d);
    return x.map((xk, k) => (beta === Infinity ? Math.min(upper[k], Math.max(lower[k], xk)) : stats(xk, k).mean));
  };
  const hessian = (x: readonly number[]) => {
    checkLength(fn, x, d);
    return x.map((xk, k) => x.map((_, l) => {
      if (l !== k) return 0;
      if (beta === Infinity) return xk < lower[k] || xk > upper[k] ? 1 / t : 0;
      return (1 - stats(xk, k).varRatio) / t;
    }));
  };
  return {
    value, prox,
    gradient: (x) => { const y = prox(x); return x.map((xk, k) => (xk - y[k]) / t); },
    hessian,
    covariance: (x) => covarianceFromHessian(hessian(x), t, beta),
  };
}

/**
 * Relaxation of the affine f(y) = aᵀy + c: u = aᵀx + c − t|a|²/2 for every β, prox = ⟨y⟩ = x − ta,
 * ∇u = a, ∇²u = 0, Cov = (t/β)I (the Gibbs measure is the kernel shifted by −ta).
 * @example linearRelaxation({ a: [1] }, { t: 2, beta: 5 }).value([0]) // −1
 */
export function linearRelaxation(affine: { a: number[]; c?: number }, options: ExactOptions): ExactRelaxation {
  const fn = 'linearRelaxation';
  const { t, beta } = resolve(fn, options);
  const { a } = affine, c = affine.c ?? 0, d = a.length;
  mustBe(fn, 'a', a, d > 0 && a.every(Number.isFinite), 'a non-empty finite vector');
  let a2 = 0;
  for (const ak of a) a2 += ak * ak;
  const zero = () => a.map(() => a.map(() => 0));
  return {
    value: (x) => { checkLength(fn, x, d); let s = c - (t * a2) / 2; for (let k = 0; k < d; k++) s += a[k] * x[k]; return s; },
    prox: (x) => { checkLength(fn, x, d); return x.map((xk, k) => xk - t * a[k]); },
    gradient: (x) => { checkLength(fn, x, d); return [...a]; },
    hessian: zero,
    covariance: () => (beta === Infinity ? zero() : a.map((_, i) => a.map((__, j) => (i === j ? t / beta : 0)))),
  };
}

/** A separable relaxation Σ_k u₁(x_k) from its 1-D value, derivative and second derivative. */
function separable(fn: string, t: number, beta: number, value1: (x: number) => number, grad1: (x: number) => number, hess1: (x: number) => number): ExactRelaxation {
  const hessian = (x: readonly number[]) => { checkLength(fn, x); return x.map((xk, k) => x.map((_, l) => (k === l ? hess1(xk) : 0))); };
  return {
    value: (x) => { checkLength(fn, x); let s = 0; for (const xk of x) s += value1(xk); return s; },
    prox: (x) => { checkLength(fn, x); return x.map((xk) => xk - t * grad1(xk)); },
    gradient: (x) => { checkLength(fn, x); return x.map(grad1); },
    hessian,
    covariance: (x) => covarianceFromHessian(hessian(x), t, beta),
  };
}

function checkLength(fn: string, x: readonly number[], d?: number): void {
  mustBe(fn, 'x', x, Array.isArray(x) && x.length > 0 && (d === undefined || x.length === d), d === undefined ? 'a non-empty array' : `an array of length ${d}`);
}

/** Lower Cholesky factor of a symmetric matrix, or null if it is not positive definite. */
function cholesky(M: number[][]): number[][] | null {
  const d = M.length, L = M.map(() => new Array<number>(d).fill(0));
  for (let j = 0; j < d; j++) {
    let s = M[j][j];
    for (let m = 0; m < j; m++) s -= L[j][m] * L[j][m];
    if (!(s > 0)) return null;
    L[j][j] = Math.sqrt(s);
    for (let i = j + 1; i < d; i++) {
      let r = M[i][j];
      for (let m = 0; m < j; m++) r -= L[i][m] * L[j][m];
      L[i][j] = r / L[j][j];
    }
  }
  return L;
}

/** Solves L Lᵀ y = r. */
function choleskySolve(L: number[][], r: readonly number[]): number[] {
  const d = L.length, y = [...r];
  for (let i = 0; i < d; i++) { let s = y[i]; for (let m = 0; m < i; m++) s -= L[i][m] * y[m]; y[i] = s / L[i][i]; }
  for (let i = d - 1; i >= 0; i--) { let s = y[i]; for (let m = i + 1; m < d; m++) s -= L[m][i] * y[m]; y[i] = s / L[i][i]; }
  return y;
}
