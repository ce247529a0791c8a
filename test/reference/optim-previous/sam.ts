// Reference twin: src/optim/sam.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit. Changed since: |g|² is
// summed in the kernel's fixed order (eight interleaved partial sums, {@link sumOfSquares}); a
// Float32Array is computed in float32 — Math.fround after every operation, every scalar rounded to
// float32 first — as the kernels do (f32x4 lanes, wasm/assembly/optim-hj.ts); wd·x is added only when
// wd ≠ 0 (PyTorch's `if weight_decay != 0`). A Float64Array is computed as before but for the sum's order.
/**
 * Sharpness-aware minimisation (Foret et al. 2021), the modern flat-minimum peer:
 *   g = ∇f(x);  ε = ρ·g/|g| (ε = 0 when |g| = 0);  x ← x − lr·D(∇f(x + ε) + wd·x),
 * D = (Nesterov) momentum. Two oracle calls per step; the loss reported is f(x).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from '../../../src/optim/types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from '../../../src/optim/schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag } from '../../../src/optim/options.js';
import { requireFiniteOutput } from '../../../src/optim/finite.js';
import { adopt, snapshot } from '../../../src/optim/vectors.js';
import { momentumStep } from './momentum.js';

/** Options of {@link sam}. */
export interface SAMOptions {
  /** Step size > 0. */
  lr: ScheduleLike;
  /** Neighbourhood radius ρ ≥ 0 (ρ = 0 is SGD). @defaultValue 0.05 */
  rho?: number;
  /** Momentum ∈ [0, 1). @defaultValue 0 */
  momentum?: number;
  /** Nesterov. @defaultValue false */
  nesterov?: boolean;
  /** L2 weight decay ≥ 0. @defaultValue 0 */
  weightDecay?: number;
}

/** Defaults of {@link SAMOptions}. */
export const SAM_DEFAULTS = { rho: 0.05, momentum: 0, nesterov: false, weightDecay: 0 } as const;

/** Checkpoint of {@link sam}. */
export interface SAMState { k: number; velocity: Float64Array | null }

class SAM implements Optimizer<SAMState> {
  readonly name = 'sam';
  private k = 0;
  private velocity: Vector | null = null;
  private grad: Vector | null = null;
  private shifted: Vector | null = null;
  constructor(private readonly lr: Schedule, private readonly rho: number, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const fn = 'sam', n = x.length;
    const velocity = (this.velocity = adopt(fn, this.velocity, x));
    const grad = (this.grad = adopt(fn, this.grad, x)), shifted = (this.shifted = adopt(fn, this.shifted, x));
    const lr = scheduleValue(fn, 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, grad);
    requireFiniteOutput(fn, loss, grad, this.k, 0);
    // R: the rounding after every operation — Math.fround on a Float32Array, none on a Float64Array.
    const float32 = x instanceof Float32Array, R = float32 ? Math.fround : (v: number): number => v;
    const norm2 = sumOfSquares(grad);
    // |g| = 0 (a critical point): no ascent direction, ε = 0 (STYLE.md §7: guarded division).
    const scale = R(norm2 > 0 ? this.rho / Math.sqrt(norm2) : 0);
    for (let p = 0; p < n; p++) shifted[p] = R(x[p] + R(scale * grad[p]));
    const lossShifted = oracle(shifted, grad);
    requireFiniteOutput(fn, lossShifted, grad, this.k, 1);
    const wd = R(this.weightDecay);
    if (this.weightDecay !== 0) for (let p = 0; p < n; p++) grad[p] = R(grad[p] + R(wd * x[p]));
    momentumStep(x, grad, velocity, lr, this.momentum, this.nesterov, float32);
    this.k++;
    return { loss, gradEvals: 2 };
  }
  state(): SAMState { return { k: this.k, velocity: snapshot(this.velocity) }; }
  load(s: SAMState): void { this.k = s.k; this.velocity = snapshot(s.velocity); }
}

/**
 * Σ g² in float64 in the order of the kernel (wasm/assembly/optim-hj.ts samNorm): element i of the
 * first n − n mod 8 into partial sum s[i mod 8], each left to right; then
 * ((s₀ + s₂) + (s₄ + s₆)) + ((s₁ + s₃) + (s₅ + s₇)); then the last n mod 8 squares, left to right.
 */
export function sumOfSquares(g: Vector): number {
  const n = g.length, n8 = n - (n % 8), s = [0, 0, 0, 0, 0, 0, 0, 0];
  let p = 0;
  for (; p < n8; p += 8) for (let j = 0; j < 8; j++) s[j] += g[p + j] * g[p + j];
  let sum = ((s[0] + s[2]) + (s[4] + s[6])) + ((s[1] + s[3]) + (s[5] + s[7]));
  for (; p < n; p++) sum += g[p] * g[p];
  return sum;
}

/**
 * SAM: descend the gradient taken at the worst-case point x + ρ·∇f/|∇f| of the ρ-ball.
 * @throws RangeError if lr ≤ 0, rho < 0, momentum ∉ [0, 1), weightDecay < 0
 * @example const opt = sam({ lr: 0.1, rho: 0.05 });
 */
export function sam(opts: SAMOptions): Optimizer<SAMState> {
  const fn = 'sam', d = SAM_DEFAULTS;
  return new SAM(positiveSchedule(fn, 'lr', opts.lr), nonnegative(fn, 'rho', opts.rho ?? d.rho),
    momentumValue(fn, 'momentum', opts.momentum ?? d.momentum), flag(fn, 'nesterov', opts.nesterov ?? d.nesterov),
    nonnegative(fn, 'weightDecay', opts.weightDecay ?? d.weightDecay));
}
