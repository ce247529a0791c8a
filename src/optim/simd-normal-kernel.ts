/**
 * A vectorised normal generator for the optimizers' Langevin noise (option `normals: 'simd'`):
 * 8 independent xoshiro128** streams in the lanes of two WebAssembly i32x4 vectors feed `Rng`'s
 * 256-layer ziggurat (wasm/assembly/rng-simd.ts). The stream is rounds of 8 values; value j of a
 * round makes its first ziggurat attempt with two words of lane j (`rng.split(j)`; 52 random bits
 * for the position in the layer where `Rng` uses 53), accepted at
 * once ≈ 98.8 % of the time; the rare rest finish the tail/wedge procedure with words of a ninth
 * stream (`rng.split(8)`), in stream order. Each value is an exact ziggurat sample and no two values
 * share a draw. A different stream from `rng.fillNormal` (the 'sequential' default), equally seeded
 * and reproducible, and several times faster (bench/rng.bench.ts). test/reference/xoshiro-simd.ts
 * recomputes it with BigInt xoshiro words.
 */
import { Rng, zigguratTables } from '../util/random.js';
import { mustBe } from '../util/validate.js';
import { instantiateKernel } from '../wasm/kernels.js';

/** Independent streams (vector lanes) of the generator. */
export const SIMD_LANES = 8;

/** Checkpoint of a {@link SimdNormals} generator (plain data, structuredClone-able). */
export interface SimdNormalsState {
  /** The 8 lanes' xoshiro128** words, lane by lane (lane j: s[4j … 4j + 3]), unsigned. */
  s: number[];
  /** The rescue stream's 4 words (unsigned). */
  rescue: number[];
  /** Values of the last round not yet handed out (0 to 7 standard normals), in stream order. */
  pending: number[];
}

/**
 * The state of the 8-lane generator, kept in JS between kernel calls (a few hundred bytes copied in
 * and out per call), so that an optimizer can hold it before it has a kernel memory and checkpoint it.
 */
export class SimdNormals {
  /** State words in the kernel's layout: word w of lane j at index 8w + j. */
  readonly words = new Uint32Array(4 * SIMD_LANES);
  /** The rescue stream's words. */
  readonly rescue = new Uint32Array(4);
  /** The last round's values; the unused ones are the last `pending`. */
  readonly round = new Float64Array(SIMD_LANES);
  /** How many of `round` are not handed out yet (0…7). */
  pending = 0;

  /**
   * Lane j starts as `rng.split(j)`, the rescue stream as `rng.split(8)`: depends on rng's seed and
   * stream path only, not on its draws.
   */
  static fromRng(rng: Rng): SimdNormals {
    const g = new SimdNormals(), lane = new Uint32Array(4);
    for (let j = 0; j < SIMD_LANES; j++) {
      rng.split(j).getWords(lane);
      for (let w = 0; w < 4; w++) g.words[SIMD_LANES * w + j] = lane[w];
    }
    rng.split(SIMD_LANES).getWords(g.rescue);
    return g;
  }

  /**
   * Restores a generator from {@link state} output.
   * @throws RangeError if `s` is not 32 unsigned 32-bit integers with no lane all zero, `rescue` not
   *   4 such words, or `pending` not an array of at most 7 finite numbers
   */
  static fromState(state: SimdNormalsState): SimdNormals {
    const s = state?.s, r = state?.rescue, p = state?.pending;
    const word = (w: number): boolean => Number.isInteger(w) && w >= 0 && w <= 0xffffffff;
    mustBe('SimdNormals.fromState', 'state.s', s, Array.isArray(s) && s.length === 4 * SIMD_LANES
      && s.every(word)
      && Array.from({ length: SIMD_LANES }, (_, j) => s.slice(4 * j, 4 * j + 4).some((w) => w !== 0)).every(Boolean),
    '32 unsigned 32-bit integers (8 lanes of 4 words, none all zero)');
    mustBe('SimdNormals.fromState', 'state.rescue', r, Array.isArray(r) && r.length === 4 && r.every(word) && r.some((w) => w !== 0),
      'four unsigned 32-bit integers, not all zero');
    mustBe('SimdNormals.fromState', 'state.pending', p, Array.isArray(p) && p.length < SIMD_LANES && p.every((v) => Number.isFinite(v)),
      `an array of at most ${SIMD_LANES - 1} finite numbers`);
    const g = new SimdNormals();
    for (let j = 0; j < SIMD_LANES; j++) for (let w = 0; w < 4; w++) g.words[SIMD_LANES * w + j] = s[4 * j + w];
    g.rescue.set(r);
    g.pending = p.length;
    g.round.set(p, SIMD_LANES - p.length);
    return g;
  }

  /** A snapshot of the state (plain data). */
  state(): SimdNormalsState {
    const s: number[] = [];
    for (let j = 0; j < SIMD_LANES; j++) for (let w = 0; w < 4; w++) s.push(this.words[SIMD_LANES * w + j]);
    return { s, rescue: Array.from(this.rescue), pending: Array.from(this.round.subarray(SIMD_LANES - this.pending)) };
  }
}

interface WordExports {
  normalsWordF32(st: number, tab: number, out: number, n: number): void;
}

interface SimdExports {
  normalsF64(st: number, tab: number, out: number, n: number): void;
  fillNormalF64(st: number, tab: number, out: number, n: number, mean: number, std: number): void;
  fillNormalF32(st: number, tab: number, out: number, n: number, mean: number, std: number): void;
}

/** Bytes of the kernel's state block (words, count, last round, scratch, the list of values to finish): a generator state. */
export const STATE_BYTES = 280 + 2056 * 16;
/** Byte offset of the one-word generator's entries from the tables' base (wasm/assembly/rng-word.ts OFF_E). */
const OFF_WORD = (770 + 512) * 8 + 512 * 4;
/** Bytes a {@link SimdNormalKernel} keeps at its base offset: state, then the f64 tables, Khi and the one-word entries. */
export const SIMD_NORMAL_KERNEL_BYTES = STATE_BYTES + OFF_WORD + 512 * 8;

/**
 * The one-word float32 ziggurat's entries (wasm/assembly/rng-word.ts), indexed by w & 511 (layer i =
 * w & 255, sign = bit 8): the float32 scale ±xᵢ/2^23 and the integer bound K23[i] = ⌊2^23·xᵢ₊₁/xᵢ⌋
 * (⌊2^23·r/x₀⌋ for the base layer), from `zigguratTables()`: xᵢ/2^23 = 2^30·W[i] and
 * K23 = ⌊K[i]/2^30⌋ (⌊⌊y⌋/2^30⌋ = ⌊y/2^30⌋).
 */
export function zigguratWordEntries(): { scale: Float32Array; bound: Int32Array } {
  const t = zigguratTables(), scale = new Float32Array(512), bound = new Int32Array(512);
  for (let j = 0; j < 512; j++) {
    const i = j & 255;
    scale[j] = (j < 256 ? 1 : -1) * t[256 + i] * 2 ** 30;
    bound[j] = Math.floor(t[i] / 2 ** 30);
  }
  return { scale, bound };
}

/** The 8-lane kernel bound to one region of a shared kernel memory. */
export class SimdNormalKernel {
  private readonly k: SimdExports;
  private readonly st: number;
  private readonly tab: number;
  private readonly words: Uint32Array;
  private readonly rescue: Uint32Array;
  private readonly have: Int32Array;
  private readonly round: Float64Array;
  private readonly memory: WebAssembly.Memory;
  private word: WordExports | null = null;

  /**
   * @param memory - the kernel memory (shared, as every kernel module imports)
   * @param base - byte offset of {@link SIMD_NORMAL_KERNEL_BYTES} bytes reserved for this kernel, 8-aligned
   */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.k = instantiateKernel<SimdExports>('rng-simd', memory);
    this.st = base;
    this.tab = base + STATE_BYTES;
    this.words = new Uint32Array(memory.buffer, base, 4 * SIMD_LANES);
    this.rescue = new Uint32Array(memory.buffer, base + 128, 4);
    this.have = new Int32Array(memory.buffer, base + 144, 1);
    this.round = new Float64Array(memory.buffer, base + 152, SIMD_LANES);
    const tables = zigguratTables();
    new Float64Array(memory.buffer, this.tab, tables.length).set(tables);
    // Indexed by layer and sign (w1 & 511): WS = ±2·W (m/2 times WS is ±m·W), and Khi = ⌊⌈K/2⌉/2^32⌋,
    // the high 20 bits of the bound on m/2 = (w1 >>> 12)·2^32 + w2, for the vectorised test.
    const ws = new Float64Array(memory.buffer, this.tab + 8 * tables.length, 512);
    const khi = new Uint32Array(memory.buffer, this.tab + 8 * (tables.length + 512), 512);
    for (let i = 0; i < 256; i++) {
      ws[i] = 2 * tables[256 + i]; ws[256 + i] = -2 * tables[256 + i];
      khi[i] = khi[256 + i] = Math.floor(Math.ceil(tables[i] / 2) / 4294967296);
    }
    const { scale, bound } = zigguratWordEntries(), entries = new DataView(memory.buffer, this.tab + OFF_WORD, 512 * 8);
    for (let j = 0; j < 512; j++) { entries.setFloat32(8 * j, scale[j], true); entries.setInt32(8 * j + 4, bound[j], true); }
    this.memory = memory;
  }

  /** Byte offset of the generator's tables in the memory (read by the block-stream passes on both threads). */
  get tables(): number { return this.tab; }

  /** The next n standard normals of `gen` into float64 memory at byte offset `out`; advances gen. */
  normals(gen: SimdNormals, out: number, n: number): void {
    this.enter(gen);
    this.k.normalsF64(this.st, this.tab, out, n);
    this.leave(gen);
  }

  /** mean + std·z for the next n normals z of `gen`, into the float64 (or float32) array at byte offset `out`. */
  fillNormal(gen: SimdNormals, out: number, n: number, mean: number, std: number, float32: boolean): void {
    this.enter(gen);
    if (float32) this.k.fillNormalF32(this.st, this.tab, out, n, mean, std);
    else this.k.fillNormalF64(this.st, this.tab, out, n, mean, std);
    this.leave(gen);
  }

  /**
   * The next 8·⌈n/8⌉ values of `gen`'s one-word float32 stream (wasm/assembly/rng-word.ts: lane j's
   * next word makes value j of a round's first attempt, the rescue stream finishes the rest) into
   * float32 memory at byte offset `out`, which must have room for them; advances gen's lanes and
   * rescue stream. The block streams of normals: 'parallel' draw float32 noise this way.
   * @throws RangeError if gen has pending values of the float64 stream (the two streams do not mix)
   */
  wordNormals(gen: SimdNormals, out: number, n: number): void {
    mustBe('SimdNormalKernel.wordNormals', 'gen.pending', gen.pending, gen.pending === 0, '0 (a generator mid-round of its float64 stream cannot switch streams)');
    const word = (this.word ??= instantiateKernel<WordExports>('rng-word', this.memory));
    this.enter(gen);
    word.normalsWordF32(this.st, this.tab, out, n);
    this.leave(gen);
  }

  private enter(gen: SimdNormals): void {
    this.words.set(gen.words); this.rescue.set(gen.rescue); this.have[0] = gen.pending; this.round.set(gen.round);
  }

  private leave(gen: SimdNormals): void {
    gen.words.set(this.words); gen.rescue.set(this.rescue); gen.pending = this.have[0]; gen.round.set(this.round);
  }
}
