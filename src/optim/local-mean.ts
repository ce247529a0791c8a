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
import { BlockNormals } from './block-normals.js';
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
 * The outer step fused into the last inner pass (Entropy-SGD / HEAT):
 *   d = round_T((x − μ)·scale + wd·x),  then the momentum step x ← x − lr·D(d)
 * (wasm/assembly/lib/f64-lanes.ts applyMomentum) with the velocity read at `velIn` and written at
 * `velOut` (byte offsets in the workspace: two slots, so that a step that fails leaves it as it was).
 */
export interface OuterStep {
  scale: number; weightDecay: number; lr: number; momentum: number;
  /** 0 none, 1 Nesterov, 2 heavy ball (momentumMode). */
  mode: number;
  velIn: number; velOut: number;
}

/** Flags of the chain kernel (wasm/assembly/optim-inner.ts chainF*). */
const NOISY = 8, MEAN_SHIFT = 4, TAIL_SHIFT = 6, SAVE_ANCHOR = 256;

/**
 * Runs the inner loop from anchor x and, without `outer`, writes μ ≈ ⟨y⟩ into `ws.vec(MEAN)`
 * (x unchanged); with `outer`, applies the outer step instead and leaves the new x where
 * `ws.out(x, ANCHOR)` points (x itself when the workspace holds x; else the anchor vector, which
 * the caller copies out with `ws.restore(x, ANCHOR)`).
 *
 * Where the chain lives: when the workspace holds x (a view of its arena: a network's parameters)
 * and an outer step is fused, the chain's points are written into x's own buffer and the oracle is
 * called with x itself (a network oracle then copies nothing), the anchor saved in
 * `ws.vec(ANCHOR)` by the first pass; else in `ws.vec(Y)`, with x copied into the anchor vector
 * first (unless x is that vector).
 * Each inner step is one fused kernel pass (wasm/assembly/optim-inner.ts), with the Langevin noise
 * drawn block by block by the wasm ziggurat from `noise`: an `Rng` (the same values as `rng.normal()`
 * per element, option normals: 'sequential'), the 8-lane SIMD generator (normals: 'simd'), or block
 * streams drawn by each thread for the blocks it updates (normals: 'parallel', src/optim/block-normals.ts). The
 * running mean is written every other step (each even pass folds in two samples: the same bits).
 * Costs L oracle calls; the first is at y = x, so its loss is the loss at the anchor.
 * @returns the loss of the first evaluation (at x)
 * @throws RangeError naming step/replica/inner iteration on a non-finite loss or gradient; x (its
 *   buffer restored from the anchor when the chain ran there) and the outer velocity are as before;
 *   the inner velocity may hold NaN afterwards: reload a checkpoint to continue. An error thrown by
 *   the oracle leaves x the same way.
 */
export function localMean(fn: string, x: Vector, oracle: GradientOracle, s: InnerLoopSettings,
  ws: Workspace, noise: Rng | SimdNormals | BlockNormals, step: number, replica?: number, outer?: OuterStep): number {
  const n = x.length, k = ws.k, size = ws.size, L = s.innerSteps;
  const anchorVec = ws.vec(ANCHOR), grad = ws.vec(GRAD);
  const inPlace = outer !== undefined && x !== anchorVec && ws.holds(x);
  if (!inPlace && x !== anchorVec) ws.copyIn(ANCHOR, x);
  const xs = ws.at(ANCHOR), mp = ws.at(MEAN), gp = ws.at(GRAD), vp = ws.at(INNER_VELOCITY);
  // The chain's point: x's own buffer, or the workspace vector Y (the first pass reads the anchor).
  const point = inPlace ? x : ws.vec(Y), pp = point.byteOffset, start = inPlace ? pp : xs;
  const { innerLr, coupling, noiseScale, innerMomentum: m, weightDecay } = s;
  const baseFlags = (m === 0 ? 0 : s.momentumOn === 'all' ? 1 : 2) | (s.innerNesterov ? 4 : 0) | (noiseScale !== 0 ? NOISY : 0);
  const o = outer ?? { scale: 0, weightDecay: 0, lr: 0, momentum: 0, mode: 0, velIn: xs, velOut: xs };
  const out = ws.out(x, ANCHOR);
  const weight = (j: number): number => (s.averaging === 'uniform' ? 1 / (j + 1) : s.alpha);
  let firstLoss = NaN, saved = false;
  // The noisy pass on two threads (n ≥ SPLIT_MIN): its arguments, reused block by block, and the draw beside each block.
  const pipelined = noiseScale !== 0 && !(noise instanceof BlockNormals) && ws.pipelines(n);
  const args = new Array<number>(27).fill(0);
  let drawTo = 0, drawLen = 0;
  const draw = (): void => {
    if (drawLen === 0) return;
    if (noise instanceof Rng) ws.normal.normals(noise, drawTo, drawLen); else ws.simdNormal.normals(noise as SimdNormals, drawTo, drawLen);
  };
  try {
    for (let j = 1; j <= L; j++) {
      // The chain starts at y₀ = μ₀ = x: the first oracle call is at x itself.
      const loss = oracle(j === 1 || inPlace ? x : point, grad);
      if (!Number.isFinite(loss)) requireFiniteOutput(fn, loss, grad, step, j - 1, replica);
      if (j === 1) firstLoss = loss;
      // μ every other step: an even step folds in y_{j−1} and y_j (μ₀ = x); an odd last step adds y_L.
      const meanMode = j % 2 === 0 ? 2 : j === L ? 1 : 0, last = j === L && outer !== undefined;
      const flags = baseFlags | (meanMode << MEAN_SHIFT) | ((last ? 1 + o.mode : 0) << TAIL_SHIFT) | (j === 1 && inPlace ? SAVE_ANCHOR : 0);
      const a1 = weight(j - 1), a2 = weight(j);
      args[0] = n; args[1] = j === 1 ? start : xs; args[2] = j === 1 ? start : pp; args[3] = pp; args[4] = xs; args[5] = gp;
      args[6] = j === 1 ? start : j === 2 ? xs : mp; args[7] = mp; args[8] = vp; args[9] = 0;
      args[10] = out; args[11] = o.velIn; args[12] = o.velOut;
      args[13] = innerLr; args[14] = coupling; args[15] = weightDecay; args[16] = 1 - a1; args[17] = a1; args[18] = 1 - a2; args[19] = a2;
      args[20] = m; args[21] = noiseScale; args[22] = o.scale; args[23] = o.weightDecay; args[24] = o.lr; args[25] = o.momentum; args[26] = flags;
      saved ||= inPlace;
      let bad = 0;
      if (noiseScale === 0) {
        bad = k.chain.apply(null, args as Parameters<typeof k.chain>);
      } else if (noise instanceof BlockNormals) {
        // Block streams: each thread draws the noise of the blocks it updates (optim-inner.ts chainBlocks).
        const { gen0, tab } = ws.simdState;
        const b = [n, 0, ...args.slice(1, 9), ...args.slice(10, 13), gen0, ws.gen1, tab, ws.noise, ws.noise2,
          noise.key[0], noise.key[1], noise.key[2], noise.key[3], noise.counter, ...args.slice(13, 27)];
        bad = k.chainBlocks.apply(null, b as Parameters<typeof k.chainBlocks>);
        noise.counter++;
      } else if (pipelined) {
        // Block b's update on the kernel worker while this thread draws block b + 1's noise into the
        // other noise block: the same draws in the same order, the same bits (Workspace.chainBeside).
        drawTo = ws.noise; drawLen = Math.min(PIPE_BLOCK, n); draw();
        bad = blocks(args, n, size, PIPE_BLOCK, (b, next) => {
          args[9] = b % 2 === 0 ? ws.noise : ws.noise2;
          drawTo = b % 2 === 0 ? ws.noise2 : ws.noise; drawLen = next < n ? Math.min(PIPE_BLOCK, n - next) : 0;
          return ws.chainBeside(args, draw);
        });
      } else {
        args[9] = ws.noise;
        bad = blocks(args, n, size, NOISE_BLOCK, () => {
          if (noise instanceof Rng) ws.normal.normals(noise, ws.noise, args[0]); else ws.simdNormal.normals(noise as SimdNormals, ws.noise, args[0]);
          return k.chain.apply(null, args as Parameters<typeof k.chain>);
        });
      }
      if (bad !== 0) requireFiniteOutput(fn, loss, grad, step, j - 1, replica);
    }
  } catch (e) {
    // x's buffer held the chain: put x back from the anchor the first pass saved.
    if (saved) k.copy(n, pp, xs);
    throw e;
  }
  return firstLoss;
}

/** Pointer arguments of the chain kernel (indices in its argument list), advanced block by block. */
const CHAIN_POINTERS = [1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12];

/**
 * Runs `pass(b, next)` on consecutive blocks of `block` elements: args (the chain kernel's, for all
 * n elements) narrowed to block b (args[0] its length, the element pointers advanced; the noise
 * pointer args[9] is the caller's); restores args after. Returns the sum of the passes' flags.
 */
function blocks(args: number[], n: number, size: number, block: number, pass: (b: number, next: number) => number): number {
  const base = CHAIN_POINTERS.map((i) => args[i]);
  let bad = 0;
  for (let p = 0, b = 0; p < n; p += block, b++) {
    args[0] = Math.min(block, n - p);
    for (let i = 0; i < CHAIN_POINTERS.length; i++) args[CHAIN_POINTERS[i]] = base[i] + p * size;
    bad += pass(b, p + block);
  }
  for (let i = 0; i < CHAIN_POINTERS.length; i++) args[CHAIN_POINTERS[i]] = base[i];
  args[0] = n;
  return bad;
}
