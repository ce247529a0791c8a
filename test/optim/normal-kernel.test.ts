// The WebAssembly ziggurat (wasm/assembly/rng.ts via src/optim/normal-kernel.ts) continues an Rng's
// stream bit for bit: the same values as rng.normal() / rng.fillNormal, tail and wedge samples
// included, and the same generator state afterwards, so JS and wasm draws may be interleaved.
import { describe, expect, it } from 'vitest';
import { NormalKernel, NORMAL_KERNEL_BYTES } from '../../src/optim/normal-kernel.js';
import { Rng, zigguratTables } from '../../src/util/random.js';

const N = 1 << 20;
const OUT = 64 + Math.ceil(NORMAL_KERNEL_BYTES / 64) * 64;
const memory = new WebAssembly.Memory({ initial: Math.ceil((OUT + 8 * N) / 65536), maximum: Math.ceil((OUT + 8 * N) / 65536), shared: true });
const kernel = new NormalKernel(memory, 64);
const out64 = new Float64Array(memory.buffer, OUT, N);
const R = zigguratTables()[3 * 256 + 1];

describe('NormalKernel', () => {
  it.each([1, 7, 2 ** 40 + 3])('seed %d: 2^20 wasm normals are the values of 2^20 calls of rng.normal(), tail samples included, and leave the same state', (seed) => {
    const a = new Rng(seed), b = new Rng(seed);
    kernel.normals(a, OUT, N);
    let differ = -1, tails = 0, wedgeRegion = 0;
    for (let i = 0; i < N; i++) {
      const z = b.normal();
      if (differ < 0 && !Object.is(z, out64[i])) differ = i;
      if (Math.abs(z) > R) tails++;
      else if (Math.abs(z) > 3) wedgeRegion++;
    }
    expect(differ).toBe(-1);
    // P(|Z| > r) = 2.58e-4: ≈ 270 tail samples expected per 2^20, 4σ ≈ 66; the wedges near the
    // base are reached too (P(3 < |Z| < r) ≈ 2.4e-3).
    expect(tails).toBeGreaterThan(150);
    expect(wedgeRegion).toBeGreaterThan(1500);
    expect(a.state()).toEqual(b.state());
  });

  it('fillNormal with a mean and std equals Rng.fillNormal on Float64Array and Float32Array', () => {
    for (const float32 of [false, true]) {
      const a = new Rng(11), b = new Rng(11), n = 100_001;
      const expected = float32 ? new Float32Array(n) : new Float64Array(n);
      b.fillNormal(expected, 1.5, -0.25);
      kernel.fillNormal(a, OUT, n, 1.5, -0.25, float32);
      const got = float32 ? new Float32Array(memory.buffer, OUT, n) : new Float64Array(memory.buffer, OUT, n);
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(expected.buffer))).toBe(true);
      expect(a.state()).toEqual(b.state());
    }
  });

  it('interleaved JS and wasm draws follow the single JS stream, and split() is unaffected', () => {
    const mixed = new Rng(3), plain = new Rng(3);
    const seen: number[] = [], want: number[] = [];
    for (let round = 0; round < 50; round++) {
      seen.push(mixed.uniform(), mixed.nextUint32(), mixed.normal());
      want.push(plain.uniform(), plain.nextUint32(), plain.normal());
      const n = 1 + ((round * 37) % 300);
      kernel.normals(mixed, OUT, n);
      for (let i = 0; i < n; i++) { seen.push(out64[i]); want.push(plain.normal()); }
    }
    expect(seen).toEqual(want);
    expect(mixed.split(4).nextUint32()).toBe(new Rng(3).split(4).nextUint32());
  });
});
