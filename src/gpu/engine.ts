/**
 * A `GpuEngine` owns one gpu.js `GPU` instance for one mode and the kernels built on it, cached by
 * (name, output shape, constants): gpu.js compiles constants into the shader, so every distinct
 * shape/constant set is a distinct kernel. Errors raised while a kernel compiles or runs are
 * re-thrown naming the kernel and the mode.
 */
import gpujs from 'gpu.js';
import type { GpuMode } from './backends.js';

const { GPU, Input } = gpujs;

/** A kernel body: a plain function gpu.js transpiles (see src/gpu/kernels/). */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export type KernelBody = Function;

/** What to build: a named body, its output extent [x, y, z] (x = fastest axis) and compile-time constants. */
export interface KernelSpec {
  /** Shown in errors, e.g. 'hjStep2d[godunov,neumann]'. */
  name: string;
  body: KernelBody;
  output: number[];
  /** Integer-valued constants used as indices or loop bounds. */
  integers?: Record<string, number>;
  /** Real-valued constants (typed Float even when the value is a whole number). */
  floats?: Record<string, number>;
}

/** A built kernel: its name and the gpu.js callable (sync on webasm/cpu, Promise-returning on webgpu). */
export interface BuiltKernel {
  name: string;
  /** The cache key: name, extent and constants. */
  key: string;
  mode: GpuMode;
  raw: (...args: unknown[]) => unknown;
}

/** gpu.js array argument or output: a flat Float32Array wrapped with its extent, or gpu.js's nested arrays. */
export type KernelArray = unknown;

/** The largest loop a kernel may run; gpu.js's default cap of 1000 would silently truncate windows. */
const LOOP_MAX = 1 << 20;

/**
 * Compiled kernels for one gpu.js mode. Create one per mode and reuse it across calls to avoid
 * recompiling; `destroy()` releases the kernels (the WebGPU device itself is gpu.js's and stays).
 */
export class GpuEngine {
  readonly mode: GpuMode;
  private readonly gpu: InstanceType<typeof GPU>;
  private readonly kernels = new Map<string, BuiltKernel>();
  private readonly pipelines = new Map<string, (...args: unknown[]) => Promise<unknown>>();

  /** @param mode - the gpu.js mode: 'webgpu', 'webasm' or 'cpu' (gpu.js's JavaScript backend) */
  constructor(mode: GpuMode) {
    this.mode = mode;
    this.gpu = new GPU({ mode });
  }

  /** Number of distinct kernels compiled so far (a cache hit does not add one). */
  get kernelCount(): number { return this.kernels.size; }

  /** Returns the cached kernel for this spec, building it on first use. */
  kernel(spec: KernelSpec): BuiltKernel {
    const key = `${spec.name}|${spec.output.join('x')}|${JSON.stringify(spec.integers ?? {})}|${JSON.stringify(spec.floats ?? {})}`;
    const cached = this.kernels.get(key);
    if (cached) return cached;
    const constants: Record<string, number> = { ...(spec.integers ?? {}), ...(spec.floats ?? {}) };
    const constantTypes: Record<string, string> = {};
    for (const k of Object.keys(spec.integers ?? {})) constantTypes[k] = 'Integer';
    for (const k of Object.keys(spec.floats ?? {})) constantTypes[k] = 'Float';
    let raw: (...args: unknown[]) => unknown;
    try {
      raw = this.gpu.createKernel(spec.body as never, {
        output: spec.output, constants, constantTypes, loopMaxIterations: LOOP_MAX,
        precision: 'single', tactic: 'precision', dynamicOutput: false,
        ...(this.mode === 'webasm' ? { poolSize: 1 } : {}),
      } as never) as unknown as (...args: unknown[]) => unknown;
    } catch (err) {
      throw kernelError(spec.name, this.mode, err);
    }
    const built: BuiltKernel = { name: spec.name, key, mode: this.mode, raw };
    this.kernels.set(key, built);
    return built;
  }

  /** Runs a kernel synchronously (webasm / cpu), naming it in any error. */
  runSync(k: BuiltKernel, ...args: unknown[]): KernelArray {
    if (this.mode === 'webgpu') throw new Error(`GpuEngine: kernel '${k.name}' runs on webgpu, which is asynchronous; use run().`);
    try {
      return k.raw(...args);
    } catch (err) {
      throw kernelError(k.name, this.mode, err);
    }
  }

  /** Runs a kernel on any mode and awaits its result, naming it in any error. */
  async run(k: BuiltKernel, ...args: unknown[]): Promise<KernelArray> {
    try {
      return await k.raw(...args);
    } catch (err) {
      throw kernelError(k.name, this.mode, err);
    }
  }

  /**
   * A `createPipeline` plan applying `k` to its argument `steps` times and returning the values
   * after each group of `every` steps (the last entry is the final state): data stays on the
   * device between steps, and only the returned states are read back. Cached by (kernel, steps, every).
   * With `extraCount` = 1, a second, fixed argument (e.g. a velocity potential) goes to every step.
   */
  stepper(k: BuiltKernel, steps: number, every: number, extraCount: 0 | 1 = 0): (state: unknown, ...extra: unknown[]) => Promise<unknown[]> {
    const key = `${k.key}|${steps}|${every}|${extraCount}`;
    let plan = this.pipelines.get(key);
    if (!plan) {
      const kernel = k.raw;
      // The orchestration runs once, at trace time; the loop unrolls into `steps` recorded passes.
      const orchestrate = extraCount === 0
        ? function (state: unknown) {
          const out: unknown[] = [];
          let s = state;
          for (let n = 1; n <= steps; n++) {
            s = kernel(s);
            if (n % every === 0) out.push(s);
          }
          return out;
        }
        : function (state: unknown, fixed: unknown) {
          const out: unknown[] = [];
          let s = state;
          for (let n = 1; n <= steps; n++) {
            s = kernel(s, fixed);
            if (n % every === 0) out.push(s);
          }
          return out;
        };
      plan = this.gpu.createPipeline(orchestrate as never) as unknown as (...args: unknown[]) => Promise<unknown>;
      this.pipelines.set(key, plan);
    }
    const run = plan;
    return async (state: unknown, ...extra: unknown[]) => {
      try {
        return (await run(state, ...extra)) as unknown[];
      } catch (err) {
        throw kernelError(`pipeline of ${steps} × ${k.name}`, this.mode, err);
      }
    };
  }

  /** Releases every kernel and pipeline built by this engine. */
  destroy(): void {
    this.kernels.clear();
    this.pipelines.clear();
    this.gpu.destroy();
  }
}

function kernelError(name: string, mode: GpuMode, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  const first = message.split('\n').slice(0, 6).join('\n');
  return new Error(`gpu kernel '${name}' failed on gpu.js mode '${mode}': ${first}`, { cause: err });
}

/** Wraps a flat row-major Float32Array as a gpu.js argument of extent [x, y, z] (x fastest). */
export function asKernelInput(data: Float32Array, extent: number[]): unknown {
  return new Input(data as unknown as number[], extent as never);
}

/** Copies a gpu.js result (a Float32Array or nested arrays of them, any depth) into `out` row-major. */
export function flattenInto(result: unknown, out: Float32Array | Float64Array, offset = 0): number {
  if (ArrayBuffer.isView(result)) {
    out.set(result as Float32Array, offset);
    return offset + (result as Float32Array).length;
  }
  if (Array.isArray(result)) {
    let p = offset;
    for (const row of result) p = flattenInto(row, out, p);
    return p;
  }
  throw new TypeError(`flattenInto: unexpected kernel result of type ${Object.prototype.toString.call(result)}.`);
}
