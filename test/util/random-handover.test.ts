// Handing an Rng's stream to a kernel that continues it (the WebAssembly ziggurat of
// src/optim/normal-kernel.ts): the state words out and back, and the ziggurat tables it copies.
import { describe, it, expect } from 'vitest';
import { Rng, zigguratTables } from '../../src/util/random.js';

/** Draws a mixed sequence (uniforms, normals, integers) so that every method's stream is compared. */
function mixedDraws(rng: Rng, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(rng.uniform(), rng.normal(), rng.integer(97), rng.nextUint32());
  return out;
}

describe('handing the stream to a kernel (getWords / setWords, zigguratTables)', () => {
  it('getWords writes the unsigned state words, setWords takes them back; seed and stream path stay', () => {
    const rng = new Rng(21).split(6);
    mixedDraws(rng, 7);
    const words = new Uint32Array(6);
    rng.getWords(words, 1);
    expect(Array.from(words.subarray(1, 5))).toEqual(rng.state().s);
    // Advance a twin by 3 words, hand its words over: rng continues exactly where the twin is.
    const twin = Rng.fromState(rng.state());
    twin.nextUint32(); twin.nextUint32(); twin.nextUint32();
    twin.getWords(words, 2);
    rng.setWords(words, 2);
    expect(mixedDraws(rng, 50)).toEqual(mixedDraws(twin, 50));
    expect(mixedDraws(rng.split(1), 5)).toEqual(mixedDraws(new Rng(21, [6, 1]), 5));
  });

  it('zigguratTables: K = ⌊2^53·x_{i+1}/x_i⌋ (layer 0: ⌊2^53·r/x₀⌋), W = x_i/2^53, F = exp(−x_i²/2) with F[256] = 1, R = r', () => {
    const tab = zigguratTables(), K = tab.subarray(0, 256), W = tab.subarray(256, 512), F = tab.subarray(512, 769), R = tab[769];
    expect(tab.length).toBe(770);
    expect(Math.abs(R - 3.6541528853610088)).toBeLessThan(1e-14); // Marsaglia & Tsang's published r
    const x = (i: number): number => W[i] * 2 ** 53; // exact: W is x/2^53
    expect(x(1)).toBe(R);
    expect(K[0]).toBe(Math.floor(2 ** 53 * (R / x(0))));
    for (let i = 1; i < 255; i++) expect(K[i]).toBe(Math.floor(2 ** 53 * (x(i + 1) / x(i))));
    for (let i = 0; i < 256; i++) expect(F[i]).toBe(Math.exp(-x(i) * x(i) / 2));
    expect(F[256]).toBe(1);
    zigguratTables()[0] = 0; // a copy: the generator's tables are untouched
    expect(zigguratTables()[0]).toBe(K[0]);
  });
});

