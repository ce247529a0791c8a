// WasmArena.owning: the registry that lets an optimizer find the arena a typed array lives in
// (src/optim/workspace.ts places its vectors there and updates x in place).
import { describe, expect, it } from 'vitest';
import { WasmArena } from '../../src/wasm/kernels.js';

describe('WasmArena.owning', () => {
  it('finds the arena of views made before and after the memory grew (each growth a new buffer object)', () => {
    const arena = new WasmArena(65536);
    const early = arena.allocF32(100);
    const late = arena.allocF64(200_000); // grows the memory
    expect(late.buffer).not.toBe(early.buffer);
    expect(WasmArena.owning(early.buffer)).toBe(arena);
    expect(WasmArena.owning(late.buffer)).toBe(arena);
    expect(WasmArena.owning(arena.memory.buffer)).toBe(arena);
    expect(WasmArena.owning(arena.buffer())).toBe(arena);
  });
  it('tells arenas apart and answers null for any other buffer', () => {
    const a = new WasmArena(), b = new WasmArena();
    expect(WasmArena.owning(a.allocF32(4).buffer)).toBe(a);
    expect(WasmArena.owning(b.allocF32(4).buffer)).toBe(b);
    expect(WasmArena.owning(new Float32Array(4).buffer)).toBeNull();
    expect(WasmArena.owning(new SharedArrayBuffer(64))).toBeNull();
    expect(WasmArena.owning(new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer)).toBeNull();
  });
  it('hands out offsets up to the 2 GiB limit (offsets past 2³¹ − 64 stay positive), then refuses', () => {
    const arena = new WasmArena();
    arena.alloc(2 ** 31 - 200, 1); // the memory is reserved, and these pages are never touched
    const offset = arena.alloc(64, 64);
    expect(offset).toBeGreaterThan(2 ** 31 - 200);
    expect(offset % 64).toBe(0);
    expect(() => arena.alloc(1024)).toThrow(RangeError);
  });
});
