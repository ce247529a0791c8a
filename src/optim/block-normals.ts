/**
 * Langevin normals in block streams (option `normals: 'parallel'`): the noise of parameter e in the
 * c-th noisy pass is value e mod 16,384 of the 8-lane SIMD ziggurat generator of
 * src/optim/simd-normal-kernel.ts, seeded afresh for block ⌊e/16,384⌋ from (key, c, block) by
 * splitmix64 (wasm/assembly/optim-inner.ts seedBlock). Each block's values depend on the key, the
 * pass and the block alone, so the kernel worker and the calling thread draw their blocks at the
 * same time and the values do not depend on how a pass is split: one and two threads give the same
 * bits. Float64 parameters get the generator's float64 stream (52-bit positions in a layer, two
 * words per value); float32 parameters its one-word float32 stream (wasm/assembly/rng-word.ts:
 * 23-bit positions, one word per value, ≈ 1.45× faster), which is all of a normal that a float32
 * parameter keeps. Either way every value is an exact ziggurat sample of N(0, 1) on its grid;
 * blocks are distinct seeds of xoshiro128**. The state is the key and the pass counter.
 */
import { Rng } from '../util/random.js';
import { mustBe } from '../util/validate.js';

/** Checkpoint of a {@link BlockNormals} generator (plain data). */
export interface BlockNormalsState {
  /** The 128-bit key, four unsigned 32-bit words. */
  key: number[];
  /** Noisy passes drawn so far. */
  counter: number;
}

/** Key and pass counter of the block streams. */
export class BlockNormals {
  /** The key's four words. */
  readonly key = new Uint32Array(4);
  /** Noisy passes drawn so far (the next pass draws with this counter). */
  counter = 0;

  /** The key is the first four words of `rng.split(9)` (lanes 0…8 are the 'simd' generator's); depends on rng's seed and path only. */
  static fromRng(rng: Rng): BlockNormals {
    const g = new BlockNormals();
    rng.split(9).getWords(g.key);
    return g;
  }

  /**
   * Restores a generator from {@link state} output.
   * @throws RangeError if `key` is not four unsigned 32-bit integers or `counter` not a non-negative safe integer
   */
  static fromState(state: BlockNormalsState): BlockNormals {
    const k = state?.key, c = state?.counter;
    mustBe('BlockNormals.fromState', 'state.key', k, Array.isArray(k) && k.length === 4 && k.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff),
      'four unsigned 32-bit integers');
    mustBe('BlockNormals.fromState', 'state.counter', c, Number.isSafeInteger(c) && c >= 0, 'a non-negative integer');
    const g = new BlockNormals();
    g.key.set(k);
    g.counter = c;
    return g;
  }

  /** A snapshot of the state (plain data). */
  state(): BlockNormalsState { return { key: Array.from(this.key), counter: this.counter }; }
}
