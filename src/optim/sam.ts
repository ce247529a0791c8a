/**
 * Sharpness-aware minimisation (Foret et al. 2021), the modern flat-minimum peer:
 *   g = ∇f(x);  ε = ρ·g/|g| (ε = 0 when |g| = 0);  x ← x − lr·D(∇f(x + ε) + wd·x),
 * D = (Nesterov) momentum. Two oracle calls per step; the loss reported is f(x).
 *
 * Arithmetic: |g|² is a float64 sum in a fixed order (eight interleaved partial sums, see
 * wasm/assembly/optim-hj.ts samNorm); the shift and the update compute a Float32Array in float32 and a
 * Float64Array in float64, as PyTorch does. The term wd·x is added only when wd ≠ 0 (PyTorch's
 * `if weight_decay != 0`), so wd = 0 gives exactly ∇f(x + ε) (also for −0 and non-finite x).
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
  /** L2 weight decay ≥ 0 (wd·x added to the gradient at the shifted point; nothing added when 0). @defaultValue 0 */
  weightDecay?: number;
}

/** Defaults of {@link SAMOptions}. */
export const SAM_DEFAULTS = { rho: 0.05, momentum: 0, nesterov: false, weightDecay: 0 } as const;

/** Checkpoint of {@link sam}. */
export interface SAMState { k: number; velocity: Float64Array | null }

// Workspace vectors: the anchor (a copy of x), the gradient, the shifted point (when x is not in the
// workspace's memory), and the momentum buffer, double-buffered (the update writes it before its
// gradient check: VELOCITY + cur is the current one, the other the spare).
const X = 0, GRAD = 1, SHIFTED = 2, VELOCITY = 3;

class SAM implements Optimizer<SAMState> {
  readonly name = 'sam';
  private k = 0;
  private velocity: Vector | null = null;
  private cur = 0;
  private ws: Workspace | null = null;
  constructor(private readonly lr: Schedule, private readonly rho: number, private readonly momentum: number,
    private readonly nesterov: boolean, private readonly weightDecay: number) {}

  step(x: Vector, oracle: GradientOracle): StepResult {
    const fn = 'sam', n = x.length;
    const ws = (this.ws = workspaceFor(fn, this.ws, x, 5));
    this.velocity = adoptInto(fn, ws.vec(VELOCITY + this.cur), this.velocity);
    const lr = scheduleValue(fn, 'lr', this.lr, this.k, 'positive');
    const k = ws.k, xs = ws.at(X), g = ws.at(GRAD);
    const loss = oracle(x, ws.vec(GRAD));
    // |g|² doubles as the gradient check: it is finite when every g is, unless it overflows (float64
    // x only), which the full scan then tells apart (all finite: |g| = ∞ and ε = 0, as the loop it replaced).
    const norm2 = k.samNorm(n, g);
    if (!Number.isFinite(loss) || !Number.isFinite(norm2)) ws.requireFinite(fn, loss, GRAD, this.k, 0);
    // |g| = 0 (a critical point): no ascent direction, ε = 0 (STYLE.md §7: guarded division).
    const scale = norm2 > 0 ? this.rho / Math.sqrt(norm2) : 0;
    // The shifted point is evaluated in x's own buffer when the workspace holds x (so the oracle gets
    // x itself: a network oracle loads nothing), else in a workspace vector holding a copy of x (an
    // oracle may overwrite x when it evaluates elsewhere: networkOracle loads the point into its
    // parameters, and x may be those). One pass saves the anchor X and writes x + ε over it.
    const held = ws.holds(x), at = ws.place(x, SHIFTED), point = held ? x : ws.vec(SHIFTED);
    const wd = this.weightDecay, mode = momentumMode(this.momentum, this.nesterov);
    k.samShift(n, at, xs, g, scale);
    try {
      const lossShifted = oracle(point, ws.vec(GRAD));
      // The update x ← X − lr·D(g + wd·X) checks g as it goes; it writes x's buffer (the anchor is in
      // X) and the spare momentum buffer, so a bad g costs nothing but the restore below.
      if (!Number.isFinite(lossShifted) || k.samUpdate(n, at, xs, g, ws.at(VELOCITY + this.cur), ws.at(VELOCITY + 1 - this.cur),
        wd, lr, this.momentum, mode) !== 0) ws.requireFinite(fn, lossShifted, GRAD, this.k, 1);
    } catch (e) {
      // x's buffer holds the shifted point or a flagged update (or, not held, an oracle may have
      // loaded a point into x): the anchor goes back before the error propagates.
      if (held) k.copy(n, at, xs); else x.set(ws.vec(X));
      throw e;
    }
    if (!held) x.set(point);
    if (mode !== 0) { this.cur = 1 - this.cur; this.velocity = ws.vec(VELOCITY + this.cur); }
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
