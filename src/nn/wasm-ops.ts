/**
 * Elementwise layer work in WebAssembly (wasm/assembly/nn-elementwise.ts) for the 'wasm-simd'
 * engine: ReLU, dropout (mask drawn from the same xoshiro128** stream as Rng.uniform), bias rows,
 * batch-norm statistics and normalisation. Each kernel does the layer's TypeScript arithmetic in
 * the same order, so results are bit-identical to the TypeScript loops (test/nn/wasm-ops.test.ts).
 *
 * Every method returns false, doing nothing, unless its batch-sized arrays live in the engine's
 * memory (`owns`); the layer then runs its TypeScript loop. Per-channel arrays (≤ a few thousand
 * values) are copied through scratch space instead.
 */
import type { Rng } from '../util/random.js';
import { WasmArena } from '../wasm/kernels.js';
import { Op, type ElementwiseExports, type GemmWorker } from './wasm-engine-worker.js';
import { xoshiroJump } from './xoshiro-jump.js';

/**
 * With a worker, ops touching at least this many entries are cut in two chunks (rows, channels or
 * planes) shared with it. Waking the worker and moving the data between the cores' caches cost
 * about what a memory-bound op on 2¹⁷ entries takes (ReLU, bias, batch-norm passes on 128 × 1024
 * timed the same whole and split), so only larger ones split (LeNet's first convolution block,
 * 1.47M entries); dropout, ~4× the work per entry (the stream), splits from a quarter of it.
 */
const SPLIT_MIN = 1 << 18;

interface Kernels {
  relu(n: number, x: number, y: number): void;
  copyFinite(n: number, src: number, dst: number): number;
  reluBackward(n: number, y: number, dy: number, dx: number): void;
  mul(n: number, a: number, b: number, out: number): void;
  dropout(n: number, state: number, p: number, keep: number, mask: number, x: number, y: number): void;
  dropout4(n: number, state: number, p: number, keep: number, mask: number, x: number, y: number): void;
  addRows(rows: number, cols: number, b: number, y: number): void;
  sumRows(rows: number, cols: number, ld: number, dy: number, out: number): void;
  bnSums(batch: number, c: number, spatial: number, ch0: number, ch1: number, x: number, mean: number, center: number, acc: number): void;
  bnNormalize(batch: number, c: number, spatial: number, x: number, mean: number, invStd: number, gamma: number, beta: number, xhat: number, y: number): void;
  bnBackwardSums(batch: number, c: number, spatial: number, ch0: number, ch1: number, dy: number, xhat: number, sumDy: number, sumDyXhat: number): void;
  bnBackwardDx(batch: number, c: number, spatial: number, dy: number, xhat: number, scale: number, meanDy: number, meanDyXhat: number, constant: number, dx: number): void;
}

interface ConvKernels {
  im2col(batch: number, c: number, h: number, w: number, k: number, stride: number, padding: number, ho: number, wo: number, x: number, pt: number, add: number,
    ch0: number, ch1: number): void;
  convOut(batch: number, f: number, positions: number, rowsT: number, b: number, y: number, s0: number, s1: number): void;
  convGradRows(batch: number, f: number, positions: number, dy: number, gb: number, dRowsT: number, j0: number, j1: number): void;
  maxPool(pl0: number, pl1: number, h: number, w: number, k: number, x: number, y: number, argmax: number): void;
  maxPoolBackward(q0: number, q1: number, i0: number, i1: number, dy: number, argmax: number, dx: number): void;
}

interface GatherKernels {
  activeColumns(rows: number, cols: number, x: number, flags: number, idx: number): number;
  gatherColumns(rows: number, cols: number, x: number, count: number, idx: number, out: number): void;
  gatherRows(count: number, n: number, w: number, idx: number, out: number): void;
  scatterRows(count: number, n: number, src: number, idx: number, k: number, dst: number): void;
  allFinite(n: number, x: number): number;
  skippedRowsFinite(k: number, n: number, w: number, flags: number): number;
}

/** Geometry of a convolution: input (c, h, w), square kernel k, stride, padding, output ho × wo. */
export interface ConvShape { batch: number; c: number; h: number; w: number; k: number; stride: number; padding: number; ho: number; wo: number }

type Arr = Float32Array | Float64Array | Int32Array;

/** Words per dropout chunk: four lanes' start states, then the end state. */
const STATE_WORDS = 20;
const lane = new Uint32Array(4);

/**
 * The start states of dropout4's four lanes for `count` entries from `start[offset …]`: lane L
 * begins 2·L·⌊count/4⌋ words on; word w of lane L goes to out[at + 4w + L].
 */
function laneStates(start: Uint32Array, offset: number, count: number, out: Uint32Array, at: number): void {
  const d = 2 * (count >> 2);
  lane.set(start.subarray(offset, offset + 4));
  for (let l = 0; l < 4; l++) {
    if (l > 0) xoshiroJump(lane, 0, d, lane, 0);
    for (let w = 0; w < 4; w++) out[at + 4 * w + l] = lane[w];
  }
}

/** The elementwise kernels bound to one engine's memory. */
export class WasmOps {
  private readonly k: Kernels;
  private readonly conv: ConvKernels;
  private readonly gather: GatherKernels;
  /** Both kernel sets, as the worker's op chunks call them. */
  private readonly ew: ElementwiseExports;
  /** @internal least entries for a split op (tests lower it to split small ops). */
  splitMin = SPLIT_MIN;
  /** Dropout streams: per chunk (two at most) the four lanes' start states and the end state (20 words; see dropout4). */
  private readonly states: Uint32Array;
  private readonly start: Uint32Array;
  /** Scratch: 4 float64 and 2 float32 per-channel slots. */
  private f64: Float64Array[] = [];
  private f32: Float32Array[] = [];

  /**
   * @internal built by the engine; with a `worker`, large ops are shared with it (bit-identical:
   * every chunk is a range of independent outputs computed with the whole op's arithmetic).
   */
  constructor(private readonly arena: WasmArena, private readonly owns: (a: Arr) => boolean, private readonly adopt: (a: Arr) => void,
    private worker: GemmWorker | null = null) {
    this.k = arena.instantiate<Kernels>('nn-elementwise');
    this.conv = arena.instantiate<ConvKernels>('nn-conv');
    this.gather = arena.instantiate<GatherKernels>('nn-gather');
    this.ew = Object.assign({}, this.k, this.conv) as unknown as ElementwiseExports;
    this.states = new Uint32Array(arena.memory.buffer, arena.alloc(4 * 2 * STATE_WORDS), 2 * STATE_WORDS);
    this.start = new Uint32Array(8);
  }

  /** @internal the engine's worker stopped: everything runs on this thread. */
  detach(): void { this.worker = null; }

  /**
   * Runs `op` in two chunks of whole `unit`s along a dimension of length `len`, shared with the
   * worker, when there is one and `work` (entries touched) reaches SPLIT_MIN; false otherwise
   * (the caller runs the kernel whole).
   */
  private split(op: number, len: number, unit: number, work: number, args: number[]): boolean {
    if (this.worker === null || work < this.splitMin || len < 2 * unit) return false;
    const step = Math.ceil(len / 2 / unit) * unit;
    args[0] = len; args[1] = step;
    this.worker.runOp(this.ew, op, args);
    return true;
  }

  private all(...arrays: Arr[]): boolean {
    for (const a of arrays) if (!this.owns(a)) return false;
    return true;
  }

  /**
   * dst ← src (same length) and whether every value is finite, in one pass (wasm copyFinite); null
   * when either array is not in this memory (then nothing is copied or checked here).
   */
  copyFinite(src: Float32Array, dst: Float32Array): boolean | null {
    const mine = (a: Float32Array): boolean => WasmArena.owning(a.buffer) === this.arena;
    if (src.length !== dst.length || !mine(src) || !mine(dst)) return null;
    return this.k.copyFinite(src.length, src.byteOffset, dst.byteOffset) === 0;
  }

  /** y = max(x, 0) on n entries. */
  relu(x: Float32Array, y: Float32Array, n: number): boolean {
    if (!this.all(x, y)) return false;
    if (!this.split(Op.relu, n, 4, n, [0, 0, x.byteOffset, y.byteOffset])) this.k.relu(n, x.byteOffset, y.byteOffset);
    return true;
  }

  /** dx = ∂y where y > 0, else 0. */
  reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): boolean {
    if (!this.all(y, dy, dx)) return false;
    if (!this.split(Op.reluBackward, n, 4, n, [0, 0, y.byteOffset, dy.byteOffset, dx.byteOffset])) this.k.reluBackward(n, y.byteOffset, dy.byteOffset, dx.byteOffset);
    return true;
  }

  /** out = a·b elementwise. */
  mul(a: Float32Array, b: Float32Array, out: Float32Array, n: number): boolean {
    if (!this.all(a, b, out)) return false;
    if (!this.split(Op.mul, n, 4, n, [0, 0, a.byteOffset, b.byteOffset, out.byteOffset])) this.k.mul(n, a.byteOffset, b.byteOffset, out.byteOffset);
    return true;
  }

  /** mask = keep where rng.uniform() ≥ p (n draws, rng advanced as by n uniform() calls), else 0; y = x·mask. */
  dropout(rng: Rng, p: number, keep: number, x: Float32Array, mask: Float32Array, y: Float32Array, n: number): boolean {
    if (!this.all(x, mask, y)) return false;
    // The mask stream cut into stretches, each from the stream jumped to its first draw (two
    // words per entry): two chunks when shared with the worker, four SIMD lanes in each.
    const worker = this.worker, states = this.states, start = this.start;
    rng.getWords(start, 0);
    if (worker !== null && 4 * n >= this.splitMin && n >= 8) {
      const step = Math.ceil(n / 2 / 4) * 4;
      xoshiroJump(start, 0, 2 * step, start, 4);
      laneStates(start, 0, step, states, 0);
      laneStates(start, 4, n - step, states, STATE_WORDS);
      worker.floats[0] = p; worker.floats[1] = keep;
      worker.runOp(this.ew, Op.dropout, [n, step, states.byteOffset, mask.byteOffset, x.byteOffset, y.byteOffset]);
      rng.setWords(states, 2 * STATE_WORDS - 4); // the second chunk's end: n draws on
      return true;
    }
    laneStates(start, 0, n, states, 0);
    this.k.dropout4(n, states.byteOffset, p, keep, mask.byteOffset, x.byteOffset, y.byteOffset);
    rng.setWords(states, STATE_WORDS - 4);
    return true;
  }

  /** y[s, j] += b[j]. */
  addRows(b: Float32Array, y: Float32Array, rows: number, cols: number): boolean {
    if (!this.all(y)) return false;
    const pb = this.in32(b, cols, 0);
    if (!this.split(Op.addRows, rows, 1, rows * cols, [0, 0, cols, pb, y.byteOffset])) this.k.addRows(rows, cols, pb, y.byteOffset);
    return true;
  }

  /** out[j] = Σ_s dy[s, j] (float32, s in order). */
  sumRows(dy: Float32Array, out: Float32Array, rows: number, cols: number): boolean {
    if (!this.all(dy)) return false;
    const s = this.scratch32(cols, 0);
    if (!this.split(Op.sumRows, cols, 4, rows * cols, [0, 0, rows, dy.byteOffset, s.byteOffset])) this.k.sumRows(rows, cols, cols, dy.byteOffset, s.byteOffset);
    out.set(s.subarray(0, cols));
    return true;
  }

  /** acc[ch] = Σ x (or Σ (x − mean[ch])² when mean is given), float64, samples then positions. */
  bnSums(x: Float32Array, batch: number, c: number, spatial: number, mean: Float64Array | null, acc: Float64Array): boolean {
    if (!this.all(x)) return false;
    const pm = mean ? this.in64(mean, c, 0) : 0, out = this.scratch64(c, 1), center = mean ? 1 : 0;
    if (!this.split(Op.bnSums, c, 2, batch * c * spatial, [0, 0, batch, spatial, x.byteOffset, pm, center, out.byteOffset])) {
      this.k.bnSums(batch, c, spatial, 0, c, x.byteOffset, pm, center, out.byteOffset);
    }
    acc.set(out.subarray(0, c));
    return true;
  }

  /** x̂ = (x − mean)·invStd, y = γ·x̂ + β. */
  bnNormalize(x: Float32Array, batch: number, c: number, spatial: number, mean: Float64Array, invStd: Float64Array,
    gamma: Float32Array, beta: Float32Array, xhat: Float32Array, y: Float32Array): boolean {
    if (!this.all(x, xhat, y)) return false;
    const pm = this.in64(mean, c, 0), pi = this.in64(invStd, c, 1), pg = this.in32(gamma, c, 0), pb = this.in32(beta, c, 1);
    if (!this.split(Op.bnNormalize, batch, 1, batch * c * spatial, [0, 0, c, spatial, x.byteOffset, pm, pi, pg, pb, xhat.byteOffset, y.byteOffset])) {
      this.k.bnNormalize(batch, c, spatial, x.byteOffset, pm, pi, pg, pb, xhat.byteOffset, y.byteOffset);
    }
    return true;
  }

  /** Σ ∂y and Σ ∂y·x̂ per channel. */
  bnBackwardSums(dy: Float32Array, xhat: Float32Array, batch: number, c: number, spatial: number, sumDy: Float64Array, sumDyXhat: Float64Array): boolean {
    if (!this.all(dy, xhat)) return false;
    const a = this.scratch64(c, 0), b = this.scratch64(c, 1);
    if (!this.split(Op.bnBackwardSums, c, 2, batch * c * spatial, [0, 0, batch, spatial, dy.byteOffset, xhat.byteOffset, a.byteOffset, b.byteOffset])) {
      this.k.bnBackwardSums(batch, c, spatial, 0, c, dy.byteOffset, xhat.byteOffset, a.byteOffset, b.byteOffset);
    }
    sumDy.set(a.subarray(0, c)); sumDyXhat.set(b.subarray(0, c));
    return true;
  }

  /** ∂x = scale·(∂y − meanDy − x̂·meanDyXhat), or scale·∂y when `constant` (running statistics). */
  bnBackwardDx(dy: Float32Array, xhat: Float32Array, batch: number, c: number, spatial: number, scale: Float64Array,
    meanDy: Float64Array, meanDyXhat: Float64Array, constant: boolean, dx: Float32Array): boolean {
    if (!this.all(dy, xhat, dx)) return false;
    const ps = this.in64(scale, c, 0), pm = this.in64(meanDy, c, 1), px = this.in64(meanDyXhat, c, 2), k = constant ? 1 : 0;
    if (!this.split(Op.bnBackwardDx, batch, 1, batch * c * spatial, [0, 0, c, spatial, dy.byteOffset, xhat.byteOffset, ps, pm, px, k, dx.byteOffset])) {
      this.k.bnBackwardDx(batch, c, spatial, dy.byteOffset, xhat.byteOffset, ps, pm, px, k, dx.byteOffset);
    }
    return true;
  }

  /** Int32 storage in the engine's memory (an argmax the pooling kernels can use). */
  allocI32(n: number): Int32Array {
    const offset = this.arena.alloc(4 * n); // before reading the buffer: alloc may grow the memory
    const view = new Int32Array(this.arena.memory.buffer, offset, n);
    this.adopt(view);
    return view;
  }

  /** im2col: Pᵀ (c·k·k × batch·ho·wo) from x, as Conv2d's loop. */
  im2col(x: Float32Array, pt: Float32Array, g: ConvShape): boolean {
    if (!this.all(x, pt)) return false;
    this.im2colSplit(x, pt, g, 0);
    return true;
  }

  /** col2im: x = 0, then Pᵀ added back onto the inputs it was read from. */
  col2im(pt: Float32Array, x: Float32Array, g: ConvShape): boolean {
    if (!this.all(x, pt)) return false;
    this.im2colSplit(x, pt, g, 1);
    return true;
  }

  /** im2col (add 0) or col2im (add 1), in two ranges of input channels when shared with the worker. */
  private im2colSplit(x: Float32Array, pt: Float32Array, g: ConvShape, add: number): void {
    const args = [0, 0, g.batch, g.h, g.w, g.k, g.stride, g.padding, g.ho, g.wo, x.byteOffset, pt.byteOffset, add];
    if (this.split(Op.im2col, g.c, 1, g.c * g.k * g.k * g.batch * g.ho * g.wo, args)) return;
    this.conv.im2col(g.batch, g.c, g.h, g.w, g.k, g.stride, g.padding, g.ho, g.wo, x.byteOffset, pt.byteOffset, add, 0, g.c);
  }

  /** y[s, j, p] = rowsT[j, s·positions + p] + b[j]. */
  convOut(rowsT: Float32Array, b: Float32Array, y: Float32Array, batch: number, f: number, positions: number): boolean {
    if (!this.all(rowsT, y)) return false;
    const pb = this.in32(b, f, 0);
    if (!this.split(Op.convOut, batch, 1, batch * f * positions, [0, 0, f, positions, rowsT.byteOffset, pb, y.byteOffset])) {
      this.conv.convOut(batch, f, positions, rowsT.byteOffset, pb, y.byteOffset, 0, batch);
    }
    return true;
  }

  /** ∂Y_rowsᵀ from ∂y, and the bias gradient gb. */
  convGradRows(dy: Float32Array, gb: Float32Array, dRowsT: Float32Array, batch: number, f: number, positions: number): boolean {
    if (!this.all(dy, dRowsT)) return false;
    const s = this.scratch32(f, 0);
    if (!this.split(Op.convGradRows, f, 1, batch * f * positions, [0, 0, batch, positions, dy.byteOffset, s.byteOffset, dRowsT.byteOffset])) {
      this.conv.convGradRows(batch, f, positions, dy.byteOffset, s.byteOffset, dRowsT.byteOffset, 0, f);
    }
    gb.set(s.subarray(0, f));
    return true;
  }

  /** Max pooling (k×k, stride k) of `planes` planes h × w; argmax from {@link allocI32}. */
  maxPool(x: Float32Array, y: Float32Array, argmax: Int32Array, planes: number, h: number, w: number, k: number): boolean {
    if (!this.all(x, y, argmax)) return false;
    if (!this.split(Op.maxPool, planes, 1, planes * h * w, [0, 0, h, w, k, x.byteOffset, y.byteOffset, argmax.byteOffset])) {
      this.conv.maxPool(0, planes, h, w, k, x.byteOffset, y.byteOffset, argmax.byteOffset);
    }
    return true;
  }

  /** dx = 0, then dx[argmax[q]] += ∂y[q] in order; `planes` (when known) of equal size lets it split. */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, outTotal: number, inTotal: number, planes = 1): boolean {
    if (!this.all(dy, argmax, dx)) return false;
    const args = [0, 0, outTotal / planes, inTotal / planes, dy.byteOffset, argmax.byteOffset, dx.byteOffset];
    if (!this.split(Op.maxPoolBackward, planes, 1, inTotal, args)) this.conv.maxPoolBackward(0, outTotal, 0, inTotal, dy.byteOffset, argmax.byteOffset, dx.byteOffset);
    return true;
  }

  /** Columns of x (rows × cols) with an entry ≠ 0, increasing, into idx; their count, or −1 if not run. */
  activeColumns(x: Float32Array, rows: number, cols: number, flags: Int32Array, idx: Int32Array): number {
    if (!this.all(x, flags, idx)) return -1;
    return this.gather.activeColumns(rows, cols, x.byteOffset, flags.byteOffset, idx.byteOffset);
  }

  /** out (rows × count) = columns idx of x (rows × cols). */
  gatherColumns(x: Float32Array, rows: number, cols: number, count: number, idx: Int32Array, out: Float32Array): boolean {
    if (!this.all(x, idx, out)) return false;
    this.gather.gatherColumns(rows, cols, x.byteOffset, count, idx.byteOffset, out.byteOffset);
    return true;
  }

  /** out (count × n) = rows idx of w. */
  gatherRows(w: Float32Array, count: number, n: number, idx: Int32Array, out: Float32Array): boolean {
    if (!this.all(w, idx, out)) return false;
    this.gather.gatherRows(count, n, w.byteOffset, idx.byteOffset, out.byteOffset);
    return true;
  }

  /** dst (k × n) = 0 but rows idx = the rows of src (count × n). */
  scatterRows(src: Float32Array, count: number, n: number, idx: Int32Array, k: number, dst: Float32Array): boolean {
    if (!this.all(src, idx, dst)) return false;
    this.gather.scatterRows(count, n, src.byteOffset, idx.byteOffset, k, dst.byteOffset);
    return true;
  }

  /** 1 if the rows of w (k × n) whose flag (from {@link activeColumns}) is 0 are all finite, 0 if not, −1 if not run. */
  skippedRowsFinite(w: Float32Array, k: number, n: number, flags: Int32Array): number {
    if (!this.all(w, flags)) return -1;
    return this.gather.skippedRowsFinite(k, n, w.byteOffset, flags.byteOffset);
  }

  /** 1 if the first n values of x are finite, 0 if not, −1 if not run. */
  allFinite(x: Float32Array, n: number): number {
    if (!this.all(x)) return -1;
    return this.gather.allFinite(n, x.byteOffset);
  }

  private in64(v: Float64Array, n: number, slot: number): number {
    const s = this.scratch64(n, slot);
    s.set(v.subarray(0, n));
    return s.byteOffset;
  }

  private in32(v: Float32Array, n: number, slot: number): number {
    if (this.owns(v)) return v.byteOffset;
    const s = this.scratch32(n, slot);
    s.set(v.subarray(0, n));
    return s.byteOffset;
  }

  private scratch64(n: number, slot: number): Float64Array {
    if (!this.f64[slot] || this.f64[slot].length < n) this.f64[slot] = this.arena.allocF64(n);
    return this.f64[slot];
  }

  private scratch32(n: number, slot: number): Float32Array {
    if (!this.f32[slot] || this.f32[slot].length < n) this.f32[slot] = this.arena.allocF32(n);
    return this.f32[slot];
  }
}
