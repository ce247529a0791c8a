/**
 * WebAssembly SIMD kernels: loading the committed binaries (wasm/build/*.wasm, compiled from the
 * AssemblyScript sources in wasm/assembly/ by `npm run build:wasm`) and the linear memory they work in.
 *
 * Every kernel module imports one shared `WebAssembly.Memory` (`env.memory`), so the JS side owns the
 * memory: it places arrays in a {@link WasmArena}, hands the kernels byte offsets, and may hand the
 * same memory to worker threads. Kernels are plain functions of offsets and sizes; they allocate nothing.
 */
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { mustBe } from '../util/validate.js';

const PAGE = 65536;
/** 2 GiB: the most a kernel memory may grow to (shared memories reserve their maximum up front). */
const MAX_PAGES = 32768;

const modules = new Map<string, WebAssembly.Module>();

/**
 * Every buffer object an arena's memory has shown, to its arena. A shared memory's `.buffer` is a
 * new SharedArrayBuffer after each growth while older views keep the old one, so each is registered.
 */
const arenaOf = new WeakMap<ArrayBufferLike, WasmArena>();

/**
 * The compiled module of a kernel, by name (`'blas1'` → wasm/build/blas1.wasm); compiled once per thread.
 * @throws Error naming the kernel and the engine's message when the binary is missing or rejected
 */
export function wasmModule(name: string): WebAssembly.Module {
  let module = modules.get(name);
  if (module) return module;
  const url = new URL(`../../wasm/build/${name}.wasm`, import.meta.url);
  let bytes: Buffer;
  try {
    bytes = readFileSync(url);
  } catch {
    throw new Error(`wasmModule: no kernel binary ${JSON.stringify(name)} at ${url.pathname}; run \`npm run build:wasm\`.`);
  }
  try {
    module = new WebAssembly.Module(bytes);
  } catch (e) {
    throw new Error(`wasmModule: this JavaScript engine rejected kernel ${JSON.stringify(name)} (WebAssembly SIMD is required): ${(e as Error).message}`);
  }
  modules.set(name, module);
  return module;
}

let relaxedSimd: boolean | undefined;

/**
 * Turns on WebAssembly relaxed SIMD (fused multiply-add) in this process if the engine supports it,
 * and reports whether it is available. Node 20's V8 ships it behind a flag; later versions have it
 * on. Must run before the first module that uses a relaxed instruction is compiled.
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimd !== undefined) return relaxedSimd;
  // (module (func (result v128) v128.const i64x2 0 0 v128.const i64x2 0 0 v128.const i64x2 0 0 f32x4.relaxed_madd))
  const probe = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0,
    253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    253, 133, 2, 11]);
  relaxedSimd = WebAssembly.validate(probe);
  if (!relaxedSimd) {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxedSimd = WebAssembly.validate(probe);
  }
  return relaxedSimd;
}

/**
 * A growable shared linear memory for kernels, with a bump allocator. Offsets are byte offsets;
 * typed-array views stay valid when the memory grows (shared memories never detach).
 */
export class WasmArena {
  /** The memory every kernel instance made from this arena imports. */
  readonly memory: WebAssembly.Memory;
  private top = 64; // offset 0 is kept free so that 0 can never be a valid array

  /** @param initialBytes - memory to reserve at once (grows on demand) */
  constructor(initialBytes = PAGE) {
    mustBe('WasmArena', 'initialBytes', initialBytes, Number.isFinite(initialBytes) && initialBytes >= 0 && initialBytes <= MAX_PAGES * PAGE, `between 0 and ${MAX_PAGES * PAGE}`);
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(initialBytes / PAGE)), maximum: MAX_PAGES, shared: true });
    this.buffer();
  }

  /**
   * The arena whose memory `buffer` is (any buffer of its views, before or after a growth), or null
   * for any other buffer. Lets code that receives a typed array hand its byteOffset to kernels
   * instantiated on that arena instead of copying it.
   */
  static owning(buffer: ArrayBufferLike): WasmArena | null {
    return arenaOf.get(buffer) ?? null;
  }

  /** The memory's current buffer, registered for {@link WasmArena.owning}. */
  buffer(): ArrayBufferLike {
    const b = this.memory.buffer;
    arenaOf.set(b, this);
    return b;
  }

  /** Bytes handed out so far (including alignment padding). */
  get used(): number { return this.top; }

  /**
   * Reserves `bytes` bytes aligned to `align` (a power of two, default 64: a cache line) and returns
   * their offset, growing the memory when needed.
   * @throws RangeError when the request is negative or the 2 GiB limit would be passed
   */
  alloc(bytes: number, align = 64): number {
    mustBe('WasmArena.alloc', 'bytes', bytes, Number.isInteger(bytes) && bytes >= 0, 'a non-negative integer');
    mustBe('WasmArena.alloc', 'align', align, Number.isInteger(align) && align > 0 && (align & (align - 1)) === 0, 'a power of two');
    // Arithmetic, not bitwise: offsets reach 2³¹, past what int32 bit operations keep positive.
    const offset = Math.ceil(this.top / align) * align;
    const end = offset + bytes;
    mustBe('WasmArena.alloc', 'bytes', bytes, end <= MAX_PAGES * PAGE, `at most what fits in ${MAX_PAGES * PAGE} bytes of kernel memory (${MAX_PAGES * PAGE - offset} left)`);
    const have = this.memory.buffer.byteLength;
    if (end > have) { this.memory.grow(Math.ceil((end - have) / PAGE)); this.buffer(); }
    this.top = end;
    return offset;
  }

  // The offset is taken before the view: alloc may grow the memory, and only the buffer read after
  // the growth covers the new pages.
  /** Reserves room for `n` float64 values and returns a view of it (its offset is `view.byteOffset`). */
  allocF64(n: number): Float64Array { const offset = this.alloc(8 * n); return new Float64Array(this.buffer(), offset, n); }

  /** Reserves room for `n` float32 values and returns a view of it (its offset is `view.byteOffset`). */
  allocF32(n: number): Float32Array { const offset = this.alloc(4 * n); return new Float32Array(this.buffer(), offset, n); }

  /**
   * Forgets every allocation (views made before stay readable but will be overwritten). Never on an
   * arena that holds arrays still in use, such as an optimizer workspace placed next to the
   * parameters it steps (src/optim/workspace.ts); nothing in src/ resets an engine's arena.
   */
  reset(): void { this.top = 64; }

  /**
   * Instantiates a kernel module on this arena's memory; `T` names the exports the caller uses.
   * Instances are cheap: make one per arena (and per worker thread).
   */
  instantiate<T>(name: string): T { return instantiateKernel<T>(name, this.memory); }
}

/**
 * Instantiates a kernel module on any kernel memory (an arena's, or one sized by its owner), with
 * the host functions kernels may import: `Math.exp` / `Math.log` (rare paths that must round like
 * this engine's Math) and `abort`. `T` names the exports the caller uses.
 */
export function instantiateKernel<T>(name: string, memory: WebAssembly.Memory): T {
  const instance = new WebAssembly.Instance(wasmModule(name), {
    env: {
      memory, exp: Math.exp, log: Math.log,
      abort: (msg: number, file: number, line: number, col: number) => { throw new Error(`wasm kernel ${name} aborted at ${line}:${col} (${msg}, ${file})`); },
    },
  });
  return instance.exports as unknown as T;
}
