import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import { xoshiroJump } from '../../src/nn/xoshiro-jump.js';

describe('xoshiroJump', () => {
  it.each([0, 1, 2, 31, 32, 33, 127, 128, 1000, 65_537, 262_144])('jumping %i steps gives the state after as many nextUint32 draws', (d) => {
    const rng = new Rng(17).split(3);
    const start = new Uint32Array(4), want = new Uint32Array(4), got = new Uint32Array(8);
    rng.getWords(start);
    for (let i = 0; i < d; i++) rng.nextUint32();
    rng.getWords(want);
    got.set(start, 2);
    xoshiroJump(got, 2, d, got, 4); // offsets; the output overlaps the input's tail
    expect(Array.from(got.subarray(4, 8))).toEqual(Array.from(want));
  });
});
