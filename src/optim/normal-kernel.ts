/**
 * Standard normals from an {@link Rng}'s stream by the WebAssembly port of its ziggurat
 * (wasm/assembly/rng.ts): the same xoshiro128** words, tables and double arithmetic, with the rare
 * tail/wedge path calling this engine's Math.exp / Math.log, so the values are bit-identical to
 * `rng.normal()` / `rng.fillNormal` and the generator's state continues exactly as if the JS methods
 * had drawn them (interleaving both is fine). About 4× faster than `Rng.fillNormal` (bench/rng.bench.ts).
 */
import { Rng, zigguratTables } from '../util/random.js';
import { instantiateKernel } from '../wasm/kernels.js';

interface RngExports {
  normalsF64(st: number, tab: number, out: number, n: number): void;
  fillNormalF64(st: number, tab: number, out: number, n: number, mean: number, std: number): void;
  fillNormalF32(st: number, tab: number, out: number, n: number, mean: number, std: number): void;
}

/** Bytes a {@link NormalKernel} keeps at its base offset: 16 of state, 770 float64 of tables. */
export const NORMAL_KERNEL_BYTES = 16 + 770 * 8;

/** The ziggurat kernel bound to one region of a shared kernel memory. */
export class NormalKernel {
  private readonly k: RngExports;
  private readonly words: Uint32Array;
  private readonly state: number;
  private readonly tables: number;

  /**
   * @param memory - the kernel memory (shared, as every kernel module imports)
   * @param base - byte offset of {@link NORMAL_KERNEL_BYTES} bytes reserved for this kernel, 8-aligned
   */
  constructor(memory: WebAssembly.Memory, base: number) {
    this.k = instantiateKernel<RngExports>('rng', memory);
    this.state = base;
    this.tables = base + 16;
    this.words = new Uint32Array(memory.buffer, base, 4);
    new Float64Array(memory.buffer, this.tables, 770).set(zigguratTables());
  }

  /** n standard normals, the values of n calls of `rng.normal()`, into float64 memory at byte offset `out`; advances rng. */
  normals(rng: Rng, out: number, n: number): void {
    rng.getWords(this.words);
    this.k.normalsF64(this.state, this.tables, out, n);
    rng.setWords(this.words);
  }

  /** `rng.fillNormal(view, mean, std)` for the n-element float64 (or float32) array at byte offset `out`. */
  fillNormal(rng: Rng, out: number, n: number, mean: number, std: number, float32: boolean): void {
    rng.getWords(this.words);
    if (float32) this.k.fillNormalF32(this.state, this.tables, out, n, mean, std);
    else this.k.fillNormalF64(this.state, this.tables, out, n, mean, std);
    rng.setWords(this.words);
  }
}
