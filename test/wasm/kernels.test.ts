import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { WasmArena, wasmModule, enableRelaxedSimd } from '../../src/wasm/kernels.js';
import { kernelSources, compileKernel, binaryPathFor } from '../../scripts/wasm-build.js';

interface Blas1 {
  copyF64(n: number, px: number, py: number): void;
  axpyF64(n: number, a: number, px: number, py: number): void;
  axpyF32(n: number, a: number, px: number, py: number): void;
}

describe('committed kernel binaries', () => {
  // Each committed .wasm must be exactly what its AssemblyScript source compiles to, so the binaries
  // can never drift from the reviewed source.
  it.each(kernelSources())('%s compiles to the committed binary', async (source) => {
    const built = await compileKernel(source);
    expect(Buffer.from(built).equals(readFileSync(binaryPathFor(source)))).toBe(true);
  }, 120_000);
});

describe('WasmArena', () => {
  it('aligns allocations, grows the memory, and keeps earlier views valid', () => {
    const arena = new WasmArena();
    const a = arena.allocF64(3);
    a.set([1, 2, 3]);
    expect(a.byteOffset % 64).toBe(0);
    const big = arena.allocF32(300_000); // > one 64 KiB page: forces growth
    expect(big.byteOffset % 64).toBe(0);
    expect(big.byteOffset).toBeGreaterThanOrEqual(a.byteOffset + 24);
    expect(arena.memory.buffer.byteLength).toBeGreaterThanOrEqual(big.byteOffset + 1_200_000);
    expect(Array.from(a)).toEqual([1, 2, 3]);
    arena.reset();
    expect(arena.allocF64(1).byteOffset).toBe(a.byteOffset);
  });

  it('rejects bad sizes and alignments with a message saying what is allowed', () => {
    const arena = new WasmArena();
    expect(() => arena.alloc(-1)).toThrow(/WasmArena.alloc: bytes must be a non-negative integer; got -1/);
    expect(() => arena.alloc(8, 3)).toThrow(/align must be a power of two; got 3/);
    expect(() => arena.alloc(2 ** 32)).toThrow(/at most what fits/);
  });

  it('runs kernels on arrays it placed: axpy in float64 and float32 against plain loops, odd lengths', () => {
    const arena = new WasmArena();
    const blas = arena.instantiate<Blas1>('blas1');
    for (const n of [0, 1, 2, 5, 1001]) {
      const x = arena.allocF64(n), y = arena.allocF64(n), x32 = arena.allocF32(n), y32 = arena.allocF32(n);
      for (let i = 0; i < n; i++) { x[i] = Math.sin(i + 1); y[i] = Math.cos(i); x32[i] = x[i]; y32[i] = y[i]; }
      const want = Array.from(y, (v, i) => v + 0.37 * x[i]);
      const want32 = Array.from(y32, (v, i) => Math.fround(v + Math.fround(Math.fround(0.37) * x32[i])));
      blas.axpyF64(n, 0.37, x.byteOffset, y.byteOffset);
      blas.axpyF32(n, 0.37, x32.byteOffset, y32.byteOffset);
      expect(Array.from(y)).toEqual(want); // same operations, same order: bit-identical
      expect(Array.from(y32)).toEqual(want32);
      blas.copyF64(n, x.byteOffset, y.byteOffset);
      expect(Array.from(y)).toEqual(Array.from(x));
    }
  });

  it('shares one compiled module between arenas, each instance on its own memory', () => {
    const one = new WasmArena(), two = new WasmArena();
    expect(wasmModule('blas1')).toBe(wasmModule('blas1'));
    const a = one.allocF64(2), b = two.allocF64(2);
    a.set([1, 1]); b.set([5, 5]);
    one.instantiate<Blas1>('blas1').axpyF64(2, 1, a.byteOffset, a.byteOffset);
    expect(Array.from(a)).toEqual([2, 2]);
    expect(Array.from(b)).toEqual([5, 5]);
  });

  it('names a missing kernel and the command that builds it', () => {
    expect(() => wasmModule('no-such-kernel')).toThrow(/no kernel binary "no-such-kernel".*npm run build:wasm/);
  });

  it('reports relaxed SIMD honestly: when available, a module using fused multiply-add validates', () => {
    const ok = enableRelaxedSimd();
    expect(typeof ok).toBe('boolean');
    // Node ≥ 20 (V8 ≥ 11.3) implements relaxed SIMD, behind a flag that enableRelaxedSimd sets.
    expect(ok).toBe(true);
  });
});
