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
import type { WasmArena } from '../wasm/kernels.js';

interface Kernels {
  relu(n: number, x: number, y: number): void;
  reluBackward(n: number, y: number, dy: number, dx: number): void;
  mul(n: number, a: number, b: number, out: number): void;
  dropout(n: number, state: number, p: number, keep: number, mask: number, x: number, y: number): void;
  addRows(rows: number, cols: number, b: number, y: number): void;
  sumRows(rows: number, cols: number, dy: number, out: number): void;
  bnSums(batch: number, c: number, spatial: number, x: number, mean: number, center: number, acc: number): void;
  bnNormalize(batch: number, c: number, spatial: number, x: number, mean: number, invStd: number, gamma: number, beta: number, xhat: number, y: number): void;
  bnBackwardSums(batch: number, c: number, spatial: number, dy: number, xhat: number, sumDy: number, sumDyXhat: number): void;
  bnBackwardDx(batch: number, c: number, spatial: number, dy: number, xhat: number, scale: number, meanDy: number, meanDyXhat: number, constant: number, dx: number): void;
}

interface ConvKernels {
  im2col(batch: number, c: number, h: number, w: number, k: number, stride: number, padding: number, ho: number, wo: number, x: number, pt: number, add: number): void;
  convOut(batch: number, f: number, positions: number, rowsT: number, b: number, y: number): void;
  convGradRows(batch: number, f: number, positions: number, dy: number, gb: number, dRowsT: number): void;
  maxPool(planes: number, h: number, w: number, k: number, x: number, y: number, argmax: number): void;
  maxPoolBackward(outTotal: number, inTotal: number, dy: number, argmax: number, dx: number): void;
}

interface GatherKernels {
  activeColumns(rows: number, cols: number, x: number, flags: number, idx: number): number;
  gatherColumns(rows: number, cols: number, x: number, count: number, idx: number, out: number): void;
  gatherRows(count: number, n: number, w: number, idx: number, out: number): void;
  scatterRows(count: number, n: number, src: number, idx: number, k: number, dst: number): void;
  allFinite(n: number, x: number): number;
}

/** Geometry of a convolution: input (c, h, w), square kernel k, stride, padding, output ho × wo. */
export interface ConvShape { batch: number; c: number; h: number; w: number; k: number; stride: number; padding: number; ho: number; wo: number }

type Arr = Float32Array | Float64Array | Int32Array;

/** The elementwise kernels bound to one engine's memory. */
export class WasmOps {
  private readonly k: Kernels;
  private readonly conv: ConvKernels;
  private readonly gather: GatherKernels;
  private readonly words: Uint32Array;
  /** Scratch: 4 float64 and 2 float32 per-channel slots. */
  private f64: Float64Array[] = [];
  private f32: Float32Array[] = [];

  /** @internal built by the engine. */
  constructor(private readonly arena: WasmArena, private readonly owns: (a: Arr) => boolean, private readonly adopt: (a: Arr) => void) {
    this.k = arena.instantiate<Kernels>('nn-elementwise');
    this.conv = arena.instantiate<ConvKernels>('nn-conv');
    this.gather = arena.instantiate<GatherKernels>('nn-gather');
    this.words = new Uint32Array(arena.memory.buffer, arena.alloc(16), 4);
  }

  private all(...arrays: Arr[]): boolean {
    for (const a of arrays) if (!this.owns(a)) return false;
    return true;
  }

  /** y = max(x, 0) on n entries. */
  relu(x: Float32Array, y: Float32Array, n: number): boolean {
    if (!this.all(x, y)) return false;
    this.k.relu(n, x.byteOffset, y.byteOffset);
    return true;
  }

  /** dx = ∂y where y > 0, else 0. */
  reluBackward(y: Float32Array, dy: Float32Array, dx: Float32Array, n: number): boolean {
    if (!this.all(y, dy, dx)) return false;
    this.k.reluBackward(n, y.byteOffset, dy.byteOffset, dx.byteOffset);
    return true;
  }

  /** out = a·b elementwise. */
  mul(a: Float32Array, b: Float32Array, out: Float32Array, n: number): boolean {
    if (!this.all(a, b, out)) return false;
    this.k.mul(n, a.byteOffset, b.byteOffset, out.byteOffset);
    return true;
  }

  /** mask = keep where rng.uniform() ≥ p (n draws, rng advanced as by n uniform() calls), else 0; y = x·mask. */
  dropout(rng: Rng, p: number, keep: number, x: Float32Array, mask: Float32Array, y: Float32Array, n: number): boolean {
    if (!this.all(x, mask, y)) return false;
    rng.getWords(this.words);
    this.k.dropout(n, this.words.byteOffset, p, keep, mask.byteOffset, x.byteOffset, y.byteOffset);
    rng.setWords(this.words);
    return true;
  }

  /** y[s, j] += b[j]. */
  addRows(b: Float32Array, y: Float32Array, rows: number, cols: number): boolean {
    if (!this.all(y)) return false;
    this.k.addRows(rows, cols, this.in32(b, cols, 0), y.byteOffset);
    return true;
  }

  /** out[j] = Σ_s dy[s, j] (float32, s in order). */
  sumRows(dy: Float32Array, out: Float32Array, rows: number, cols: number): boolean {
    if (!this.all(dy)) return false;
    const s = this.scratch32(cols, 0);
    this.k.sumRows(rows, cols, dy.byteOffset, s.byteOffset);
    out.set(s.subarray(0, cols));
    return true;
  }

  /** acc[ch] = Σ x (or Σ (x − mean[ch])² when mean is given), float64, samples then positions. */
  bnSums(x: Float32Array, batch: number, c: number, spatial: number, mean: Float64Array | null, acc: Float64Array): boolean {
    if (!this.all(x)) return false;
    const pm = mean ? this.in64(mean, c, 0) : 0, out = this.scratch64(c, 1);
    this.k.bnSums(batch, c, spatial, x.byteOffset, pm, mean ? 1 : 0, out.byteOffset);
    acc.set(out.subarray(0, c));
    return true;
  }

  /** x̂ = (x − mean)·invStd, y = γ·x̂ + β. */
  bnNormalize(x: Float32Array, batch: number, c: number, spatial: number, mean: Float64Array, invStd: Float64Array,
    gamma: Float32Array, beta: Float32Array, xhat: Float32Array, y: Float32Array): boolean {
    if (!this.all(x, xhat, y)) return false;
    this.k.bnNormalize(batch, c, spatial, x.byteOffset, this.in64(mean, c, 0), this.in64(invStd, c, 1),
      this.in32(gamma, c, 0), this.in32(beta, c, 1), xhat.byteOffset, y.byteOffset);
    return true;
  }

  /** Σ ∂y and Σ ∂y·x̂ per channel. */
  bnBackwardSums(dy: Float32Array, xhat: Float32Array, batch: number, c: number, spatial: number, sumDy: Float64Array, sumDyXhat: Float64Array): boolean {
    if (!this.all(dy, xhat)) return false;
    const a = this.scratch64(c, 0), b = this.scratch64(c, 1);
    this.k.bnBackwardSums(batch, c, spatial, dy.byteOffset, xhat.byteOffset, a.byteOffset, b.byteOffset);
    sumDy.set(a.subarray(0, c)); sumDyXhat.set(b.subarray(0, c));
    return true;
  }

  /** ∂x = scale·(∂y − meanDy − x̂·meanDyXhat), or scale·∂y when `constant` (running statistics). */
  bnBackwardDx(dy: Float32Array, xhat: Float32Array, batch: number, c: number, spatial: number, scale: Float64Array,
    meanDy: Float64Array, meanDyXhat: Float64Array, constant: boolean, dx: Float32Array): boolean {
    if (!this.all(dy, xhat, dx)) return false;
    this.k.bnBackwardDx(batch, c, spatial, dy.byteOffset, xhat.byteOffset, this.in64(scale, c, 0), this.in64(meanDy, c, 1),
      this.in64(meanDyXhat, c, 2), constant ? 1 : 0, dx.byteOffset);
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
    this.conv.im2col(g.batch, g.c, g.h, g.w, g.k, g.stride, g.padding, g.ho, g.wo, x.byteOffset, pt.byteOffset, 0);
    return true;
  }

  /** col2im: x = 0, then Pᵀ added back onto the inputs it was read from. */
  col2im(pt: Float32Array, x: Float32Array, g: ConvShape): boolean {
    if (!this.all(x, pt)) return false;
    this.conv.im2col(g.batch, g.c, g.h, g.w, g.k, g.stride, g.padding, g.ho, g.wo, x.byteOffset, pt.byteOffset, 1);
    return true;
  }

  /** y[s, j, p] = rowsT[j, s·positions + p] + b[j]. */
  convOut(rowsT: Float32Array, b: Float32Array, y: Float32Array, batch: number, f: number, positions: number): boolean {
    if (!this.all(rowsT, y)) return false;
    this.conv.convOut(batch, f, positions, rowsT.byteOffset, this.in32(b, f, 0), y.byteOffset);
    return true;
  }

  /** ∂Y_rowsᵀ from ∂y, and the bias gradient gb. */
  convGradRows(dy: Float32Array, gb: Float32Array, dRowsT: Float32Array, batch: number, f: number, positions: number): boolean {
    if (!this.all(dy, dRowsT)) return false;
    const s = this.scratch32(f, 0);
    this.conv.convGradRows(batch, f, positions, dy.byteOffset, s.byteOffset, dRowsT.byteOffset);
    gb.set(s.subarray(0, f));
    return true;
  }

  /** Max pooling (k×k, stride k) of `planes` planes h × w; argmax from {@link allocI32}. */
  maxPool(x: Float32Array, y: Float32Array, argmax: Int32Array, planes: number, h: number, w: number, k: number): boolean {
    if (!this.all(x, y, argmax)) return false;
    this.conv.maxPool(planes, h, w, k, x.byteOffset, y.byteOffset, argmax.byteOffset);
    return true;
  }

  /** dx = 0, then dx[argmax[q]] += ∂y[q] in order. */
  maxPoolBackward(dy: Float32Array, argmax: Int32Array, dx: Float32Array, outTotal: number, inTotal: number): boolean {
    if (!this.all(dy, argmax, dx)) return false;
    this.conv.maxPoolBackward(outTotal, inTotal, dy.byteOffset, argmax.byteOffset, dx.byteOffset);
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
