/**
 * Sharpness-aware minimisation (Foret et al. 2021), the modern flat-minimum peer:
 *   g = ∇f(x);  ε = ρ·g/|g| (ε = 0 when |g| = 0);  x ← x − lr·D(∇f(x + ε) + wd·x),
 * D = (Nesterov) momentum. Two oracle calls per step; the loss reported is f(x).
 */
import type { GradientOracle, Optimizer, StepResult, Vector } from './types.js';
import { type Schedule, type ScheduleLike, scheduleValue } from './schedules.js';
import { positiveSchedule, momentumValue, nonnegative, flag } from './options.js';
import { snapshot } from './vectors.js';
import { adoptInto, momentumMode, workspaceFor, type Workspace } from './workspace.js';

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

// Workspace vectors: a copy of x (the anchor), the gradient, the shifted point (when x is not in the
// workspace's memory), the momentum buffer.
const X = 0, GRAD = 1, SHIFTED = 2, VELOCITY = 3;

class SAM implements Optimizer<SAMState> {
  readonly name = 'sam';
  private k = 0;
  private velocity: Vector | null = null;
  private ws: Workspace | null = null;
  constructor(private readonly lr: Schedule, private readonly rho: number, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const fn = 'sam', n = x.length;
    const ws = (this.ws = workspaceFor(fn, this.ws, x, 4));
    this.velocity = adoptInto(fn, ws.vec(VELOCITY), this.velocity);
    const lr = scheduleValue(fn, 'lr', this.lr, this.k, 'positive');
    const loss = oracle(x, ws.vec(GRAD));
    // x is kept in a copy, the anchor: the shifted point is evaluated in x's own buffer when the
    // workspace holds x (so the oracle gets x itself: a network oracle loads nothing), else in a
    // workspace vector (an oracle may overwrite x when it evaluates elsewhere: networkOracle loads
    // the point into its parameters, and x may be those). When the workspace holds x, the copy rides
    // along the Σ g² pass below; else it is made here.
    const held = ws.holds(x), xs = ws.at(X);
    if (!held) ws.vec(X).set(x);
    // Σ g² left to right, as the loop it replaced (bit-identical; a vectorised sum would round
    // differently). It doubles as the gradient check: Σ g² is finite when every g is, unless it
    // overflows, which the full scan then tells apart.
    const norm2 = ws.k.sumSquares(n, ws.at(GRAD), held ? x.byteOffset : xs, xs);
    if (!Number.isFinite(loss) || !Number.isFinite(norm2)) ws.requireFinite(fn, loss, GRAD, this.k, 0);
    // |g| = 0 (a critical point): no ascent direction, ε = 0 (STYLE.md §7: guarded division).
    const scale = norm2 > 0 ? this.rho / Math.sqrt(norm2) : 0;
    const point = held ? x : ws.vec(SHIFTED), at = point.byteOffset;
    ws.k.shift(n, at, xs, ws.at(GRAD), scale);
    try {
      const lossShifted = oracle(point, ws.vec(GRAD));
      // Checked whole before the update writes x and the buffer.
      ws.requireFinite(fn, lossShifted, GRAD, this.k, 1);
    } catch (e) {
      // x's buffer holds the shifted point (or, not held, an oracle may have loaded it into x): the
      // anchor goes back before the error propagates.
      if (held) ws.k.copy(n, at, xs); else x.set(ws.vec(X));
      throw e;
    }
    const wd = this.weightDecay, mode = momentumMode(this.momentum, this.nesterov);
    // From the anchor into x itself when the workspace holds it, else into the anchor (then copied out).
    ws.k.momentum(n, xs, ws.out(x, X), ws.at(GRAD), ws.at(VELOCITY), wd, lr, this.momentum, mode, wd !== 0 ? 1 : 0);
    ws.restore(x, X);
    this.k++;
    return { loss, gradEvals: 2 };
  }
  state(): SAMState { return { k: this.k, velocity: snapshot(this.velocity) }; }
  load(s: SAMState): void { this.k = s.k; this.velocity = snapshot(s.velocity); }
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
