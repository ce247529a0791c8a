/**
 * An optimizer's working memory: its vectors (typed like x: Float64Array or Float32Array) placed in
 * a WebAssembly memory of their own, with the fused update kernels (wasm/assembly/optim-update.ts,
 * optim-inner.ts, optim-hj.ts) and the ziggurat (wasm/assembly/rng.ts) bound to it for x's element type. Built once
 * per optimizer from the first x it steps, reused every step (no allocation per step).
 *
 * On a Float64Array every kernel computes in float64 the same operations in the same order as the
 * plain loops it replaced (test/reference/optim-previous/), so results are bit-identical to them. On a
 * Float32Array, SGD, Adam, the SGLD chain, HJ and SAM compute in float32 (f32x4, as PyTorch computes
 * float32 parameters; their reference loops round after every operation and match to the bit), the
 * other kernels in float64 with float32 storage.
 *
 * Where x lives decides where the workspace goes. When x is a view of a {@link WasmArena} (the
 * network's parameters in the 'wasm-simd' engine's memory), the vectors are allocated in that arena
 * and the kernels instantiated on its memory: they read and update x in place ({@link Workspace.place}
 * returns x's own offset). Otherwise (an ordinary typed array, or an arena that cannot grow by the
 * workspace's size) the workspace has a memory of its own and x is copied in and the update copied
 * out (`x.set`-speed). Either way the results are the same bits.
 *
 * On two threads (src/optim/threads.ts) the elementwise kernels and the copies into the workspace
 * split each pass over ≥ SPLIT_MIN elements with the kernel worker (src/optim/kernel-worker.ts), and
 * the noisy SGLD pass runs each noise block's update there while this thread draws the next block
 * ({@link Workspace.chainBeside}); the same bits as one thread.
 */
import type { Vector } from './types.js';
import { requireLength } from './vectors.js';
import { instantiateKernel, WasmArena } from '../wasm/kernels.js';
import { NormalKernel, NORMAL_KERNEL_BYTES } from './normal-kernel.js';
import { requireFiniteOutput } from './finite.js';
import { SimdNormalKernel, SIMD_NORMAL_KERNEL_BYTES, STATE_BYTES } from './simd-normal-kernel.js';
import { kernelWorker, makeCopy, OPTIM_MODULES, CHAIN, SPLIT_KERNELS } from './kernel-worker.js';
import { optimizerThreads, SPLIT_MIN } from './threads.js';

/** Normals drawn per kernel call: 16 KiB of float64, which stays in L1 between draw and use. */
export const NOISE_BLOCK = 2048;

/**
 * Normals per block of the noisy pass on two threads ({@link Workspace.chainBeside}): 128 KiB of
 * float64 (in L2), so that a hand-off to the worker (and the risk of waiting on a descheduled one)
 * comes once per 16,384 parameters.
 */
export const PIPE_BLOCK = 16384;

/** The update kernels for one element type (byte offsets in, see the .ts sources for the math). */
export interface UpdateKernels {
  momentum(n: number, x: number, xOut: number, dir: number, buf: number, wd: number, lr: number, m: number, mode: number, hasWd: number): void;
  elastic(n: number, a: number, mean: number, center: number, buf: number, scale: number, rho: number, wd: number, lr: number, m: number, mode: number): void;
  finite(n: number, g: number): number;
  adam(n: number, x: number, grad: number, m: number, v: number, mOut: number, vOut: number, b1: number, b2: number, c1: number, c2: number, eps: number, wd: number, lr: number): void;
  /** One step of the SGLD chain (wasm/assembly/optim-inner.ts chainF*: the arguments and flags are explained there). */
  chain(n: number, x: number, src: number, dst: number, anchorOut: number, grad: number, meanIn: number, meanOut: number, vel: number, noise: number,
    out: number, velIn: number, velOut: number, lr: number, coupling: number, wd: number, keep1: number, a1: number, keep2: number, a2: number,
    m: number, s: number, scale: number, owd: number, olr: number, om: number, flags: number): number;
  hjStart(n: number, x: number, xs: number, grad: number, p: number, wd: number, t: number): number;
  hjStep(n: number, x: number, xs: number, grad: number, p: number, vb: number, vo: number, keep: number, a: number, wd: number, t: number, lr: number, m: number, mode: number, last: number): number;
  hjProx(n: number, x: number, xs: number, grad: number, vb: number, vo: number, innerLr: number, wd: number, coupling: number, lr: number, m: number, mode: number, first: number, last: number): number;
  /** SAM's Σ g² in float64, in the fixed order of wasm/assembly/optim-hj.ts (not split: a sum). */
  samNorm(n: number, g: number): number;
  samShift(n: number, x: number, xs: number, grad: number, scale: number): number;
  samUpdate(n: number, x: number, xs: number, grad: number, vb: number, vo: number, wd: number, lr: number, m: number, mode: number): number;
  /** n elements from byte offset src to dst (a byte copy in JS, split like the kernels). */
  /** A noisy chain step drawing its noise from block streams on whichever thread runs each range (optim-inner.ts chainBlocksF*). */
  chainBlocks(n: number, first: number, x: number, src: number, dst: number, anchorOut: number, grad: number, meanIn: number, meanOut: number, vel: number,
    out: number, velIn: number, velOut: number, gen0: number, gen1: number, tab: number, noise0: number, noise1: number,
    k0: number, k1: number, k2: number, k3: number, counter: number, lr: number, coupling: number, wd: number, keep1: number, a1: number, keep2: number, a2: number,
    m: number, s: number, scale: number, owd: number, olr: number, om: number, flags: number): number;
  copy(n: number, dst: number, src: number): number;
}

const KERNEL_NAMES = ['momentum', 'elastic', 'finite', 'adam', 'chain', 'hjStart', 'hjStep', 'hjProx', 'samNorm', 'samShift', 'samUpdate', 'chainBlocks'] as const;

type Kernel = (...args: number[]) => unknown;

/**
 * Kernel `fn` (entry `index` of SPLIT_KERNELS, on `memory`) as the optimizers call it: a pass over
 * n ≥ SPLIT_MIN elements is shared with the kernel worker when optimizerThreads() is 2
 * (src/optim/kernel-worker.ts: the same bits as one pass), any other runs here alone.
 */
function splitting(memory: WebAssembly.Memory, index: number, size: number, fn: Kernel): Kernel {
  return function (this: unknown, n: number): unknown {
    const args = arguments as unknown as number[];
    if (n < SPLIT_MIN || optimizerThreads() !== 2) return fn.apply(null, args);
    const worker = kernelWorker();
    return worker === null ? fn.apply(null, args) : worker.run(memory, index, size, fn, args);
  } as Kernel;
}

/** Momentum mode of the kernels: 0 none, 1 Nesterov, 2 heavy ball. */
export function momentumMode(momentum: number, nesterov: boolean): number {
  return momentum === 0 ? 0 : nesterov ? 1 : 2;
}

/** `slots` vectors of x's type and length in a kernel memory, with the kernels for that type. */
export class Workspace {
  /** Elements per vector. */
  readonly n: number;
  /** Whether the vectors are Float32Array. */
  readonly float32: boolean;
  /** Bytes per element (8 or 4). */
  readonly size: number;
  /** The kernels, bound to the element type. */
  readonly k: UpdateKernels;
  /** The ziggurat bound to this memory. */
  readonly normal: NormalKernel;
  /** Byte offset of the float64 noise block (≥ {@link NOISE_BLOCK} values, {@link PIPE_BLOCK} where n ≥ SPLIT_MIN; the calling thread's block of a block-stream pass). */
  readonly noise: number;
  /** Byte offset of a second noise block of {@link PIPE_BLOCK} values, after a first of as many at {@link noise} (drawn while the kernel worker uses the first: {@link chainBeside}; the worker's block of a block-stream pass); `noise` itself when n < SPLIT_MIN (no pass is shared). */
  readonly noise2: number;
  /** The arena x lives in, which holds these vectors too; null when the workspace has a memory of its own. */
  readonly arena: WasmArena | null;
  /** The arena the first x lived in (null: none), even when it could not hold the workspace. */
  readonly home: WasmArena | null;
  private readonly views: Vector[] = [];
  private readonly rawChain: Kernel;
  private readonly memory: WebAssembly.Memory;
  /** The buffer of the vector views (of an own memory: it never grows, so its only buffer). */
  private readonly viewBuffer: ArrayBufferLike;
  private readonly simdBase: number;
  /** Byte offset of the kernel worker's SIMD generator state (block streams: src/optim/block-normals.ts). */
  readonly gen1: number;
  private simdKernel: SimdNormalKernel | null = null;

  /** @param x - the parameter vector the optimizer steps (type, length, and the arena it may live in); @param slots - vectors to hold */
  constructor(x: Vector, slots: number) {
    this.n = x.length;
    this.float32 = x instanceof Float32Array;
    this.size = this.float32 ? 4 : 8;
    const align = (b: number): number => Math.ceil(b / 64) * 64;
    const stride = align(this.n * this.size);
    // The ziggurat, the SIMD generator (its state and tables), then the noise. Where a pass may run on
    // two threads (n ≥ SPLIT_MIN): a second SIMD generator state (the kernel worker's, for block
    // streams) and two noise blocks of PIPE_BLOCK float64 values (the pipeline's pair, or the two
    // threads' blocks of a block-stream pass). Else one block: NOISE_BLOCK values for the one-thread
    // draws, or up to a whole block stream's (PIPE_BLOCK) when n is larger.
    const split = this.n >= SPLIT_MIN, noiseValues = split ? PIPE_BLOCK : Math.max(NOISE_BLOCK, Math.min(PIPE_BLOCK, this.n));
    const rngBase = 0, simdBase = align(rngBase + NORMAL_KERNEL_BYTES), gen1 = align(simdBase + SIMD_NORMAL_KERNEL_BYTES);
    const noise = split ? align(gen1 + STATE_BYTES) : gen1;
    const first = align(noise + (split ? 16 : 8) * noiseValues), bytes = first + slots * stride;
    let arena = (this.home = WasmArena.owning(x.buffer)), base = 0;
    if (arena !== null) {
      // One allocation for everything (the arena is a bump allocator: nothing is freed, nothing
      // resets it in src/). An arena that cannot grow so far (2 GiB) leaves the copying path.
      try { base = arena.alloc(bytes, 64); } catch (e) { if (!(e instanceof RangeError)) throw e; arena = null; }
    }
    let memory: WebAssembly.Memory, buffer: ArrayBufferLike;
    if (arena !== null) {
      memory = arena.memory;
      buffer = arena.buffer();
    } else {
      base = 64;
      const pages = Math.ceil((base + bytes) / 65536);
      // 65536 pages = 4 GiB, the most a 32-bit WebAssembly memory can address (and what the kernels declare).
      if (pages > 65536) {
        throw new RangeError(`Workspace: x must fit ${slots} copies in 4 GiB of kernel memory; got ${this.n} elements (${((base + bytes) / 2 ** 30).toFixed(1)} GiB).`);
      }
      // Sized exactly (maximum = initial): a shared memory reserves its maximum up front.
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      buffer = memory.buffer;
    }
    this.arena = arena;
    this.memory = memory;
    this.viewBuffer = buffer;
    this.normal = new NormalKernel(memory, base + rngBase);
    this.simdBase = base + simdBase;
    this.noise = base + noise;
    // Below SPLIT_MIN no pass is shared: the second block and generator state alias the first (never used).
    this.noise2 = split ? this.noise + 8 * PIPE_BLOCK : this.noise;
    this.gen1 = split ? base + gen1 : base + simdBase;
    for (let i = 0; i < slots; i++) {
      const at = base + first + i * stride;
      this.views.push(this.float32 ? new Float32Array(buffer, at, this.n) : new Float64Array(buffer, at, this.n));
    }
    const suffix = this.float32 ? 'F32' : 'F64';
    const exports = Object.assign({}, ...OPTIM_MODULES.map((name) => instantiateKernel<Record<string, unknown>>(name, memory)));
    const k: Record<string, unknown> = {};
    for (const name of KERNEL_NAMES) k[name] = exports[name + suffix];
    k.copy = makeCopy(memory, this.size);
    this.rawChain = k.chain as Kernel;
    for (let i = 0; i < SPLIT_KERNELS.length; i++) {
      const name = SPLIT_KERNELS[i][0];
      k[name] = splitting(memory, i, this.size, k[name] as Kernel);
    }
    this.k = k as unknown as UpdateKernels;
  }

  /** Whether the kernels can address `v` where it is (a view of this workspace's memory). */
  holds(v: Vector): boolean {
    return v.buffer === this.viewBuffer || (this.arena !== null && WasmArena.owning(v.buffer) === this.arena);
  }

  /**
   * The byte offset at which the kernels read and update x: x's own when the workspace {@link holds}
   * it (no copy), else vector `slot`'s after copying x there (undo with {@link restore}).
   */
  place(x: Vector, slot: number): number {
    if (this.holds(x)) return x.byteOffset;
    this.views[slot].set(x);
    return this.views[slot].byteOffset;
  }

  /**
   * Where a kernel writes x's update: x's own offset when the workspace {@link holds} x, else
   * vector `slot`'s (then copy it out with {@link restore}).
   */
  out(x: Vector, slot: number): number {
    return this.holds(x) ? x.byteOffset : this.views[slot].byteOffset;
  }

  /**
   * Copies x into vector `slot` (as `vec(slot).set(x)`): shared with the kernel worker like the
   * kernels' passes when x is in this memory, else a typed-array set.
   */
  copyIn(slot: number, x: Vector): void {
    const v = this.views[slot];
    if (x !== v && this.holds(x)) this.k.copy(this.n, v.byteOffset, x.byteOffset);
    else v.set(x);
  }

  /**
   * Whether {@link chainBeside} hands SGLD blocks to the kernel worker for a pass over `n`
   * elements (n ≥ SPLIT_MIN, two threads, a worker): the noisy SGLD pass then runs block j on the
   * worker while this thread draws block j + 1's noise.
   */
  pipelines(n: number): boolean {
    return n >= SPLIT_MIN && optimizerThreads() === 2 && kernelWorker() !== null;
  }

  /**
   * k.chain(args) (a block of the noisy pass, `args[0]` elements) published for the kernel worker
   * while `beside` (the next block's draw, into the other noise block) runs on this thread; this
   * thread runs the block itself if the worker has not taken it. Returns the kernel's flag. The
   * same bits as k.chain(args) then beside(): the noise stream is drawn in the same order, and the
   * block reads only its own noise block.
   */
  chainBeside(args: ArrayLike<number>, beside: () => void): number {
    const worker = kernelWorker();
    if (worker === null) { const r = this.rawChain.apply(null, args as number[]) as number; beside(); return r; }
    return worker.run(this.memory, CHAIN, this.size, this.rawChain, args, beside);
  }

  /** Copies vector `slot` back into x after a {@link place} that copied; nothing when x was updated in place. */
  restore(x: Vector, slot: number): void {
    if (!this.holds(x)) x.set(this.views[slot]);
  }

  /** Throws (as {@link requireFiniteOutput}) unless `loss` and every entry of `grad` (a vector of this memory) are finite. */
  requireFiniteVector(fn: string, loss: number, grad: Vector, step: number, inner?: number, replica?: number): void {
    if (!Number.isFinite(loss) || this.k.finite(grad.length, grad.byteOffset) !== 0) requireFiniteOutput(fn, loss, grad, step, inner, replica);
  }

  /** Byte offsets of the calling thread's SIMD generator state and of the generator tables (written at first use). */
  get simdState(): { gen0: number; tab: number } {
    const tab = this.simdNormal.tables;
    return { gen0: this.simdBase, tab };
  }

  /** The 8-lane SIMD normal generator's kernel bound to this memory (instantiated at first use). */
  get simdNormal(): SimdNormalKernel {
    return (this.simdKernel ??= new SimdNormalKernel(this.memory, this.simdBase));
  }

  /** Vector `i`, typed like x (a view of kernel memory). */
  vec(i: number): Vector { return this.views[i]; }

  /** Byte offset of vector `i`. */
  at(i: number): number { return this.views[i].byteOffset; }

  /**
   * Throws (as {@link requireFiniteOutput}) unless `loss` and every entry of vector `i` are finite;
   * one kernel pass over the vector when they are (integer lanes: at the rate memory delivers it).
   */
  requireFinite(fn: string, loss: number, i: number, step: number, inner?: number, replica?: number): void {
    this.requireFiniteVector(fn, loss, this.views[i], step, inner, replica);
  }
}

/**
 * The workspace for stepping x: `ws` itself when x has its type and is not in another arena than
 * ws; a new one (with `slots` vectors) when there is none yet, x changed between Float64Array and
 * Float32Array, or x lives in an arena that ws is not in (so that x is updated in place there; the
 * optimizers carry their state over through {@link adoptInto}). An x in no arena is copied through
 * whichever workspace there is.
 * @throws RangeError if x does not have the length the optimizer was first used with
 */
export function workspaceFor(fn: string, ws: Workspace | null, x: Vector, slots: number): Workspace {
  if (ws === null) return new Workspace(x, slots);
  requireLength(fn, x, ws.n);
  if (ws.float32 !== (x instanceof Float32Array)) return new Workspace(x, slots);
  const arena = WasmArena.owning(x.buffer);
  return arena === null || arena === ws.home ? ws : new Workspace(x, slots);
}

/**
 * Makes `view` hold a persistent buffer's values and returns it: nothing to do when `current` is
 * the view already, zeros when it is null (no state yet), else a copy (a loaded snapshot or the
 * buffer of a previous workspace; converted between float64 and float32 as a typed-array set does).
 * @throws RangeError if `current` has another length than the view
 */
export function adoptInto(fn: string, view: Vector, current: Vector | null): Vector {
  if (current === view) return view;
  if (current === null) { view.fill(0); return view; }
  requireLength(fn, view, current.length);
  view.set(current);
  return view;
}
