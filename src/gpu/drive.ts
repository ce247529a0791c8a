/**
 * The exact solvers are written once, as generators that yield kernel calls; a synchronous driver
 * (webasm, gpujs-cpu) and an asynchronous one (any mode, WebGPU included) execute them.
 */
import type { BuiltKernel, GpuEngine } from './engine.js';

/** One kernel call requested by a plan. */
export type KernelCall = [BuiltKernel, unknown[]];
/** A solver plan: yields kernel calls, receives each call's result, returns the solver's result. */
export type KernelPlan<R> = Generator<KernelCall, R, unknown>;

/** Runs a plan, calling each kernel synchronously. */
export function driveSync<R>(engine: GpuEngine, plan: KernelPlan<R>): R {
  let step = plan.next();
  while (!step.done) {
    const [kernel, args] = step.value;
    step = plan.next(engine.runSync(kernel, ...args));
  }
  return step.value;
}

/** Runs a plan, awaiting each kernel call. */
export async function driveAsync<R>(engine: GpuEngine, plan: KernelPlan<R>): Promise<R> {
  let step = plan.next();
  while (!step.done) {
    const [kernel, args] = step.value;
    step = plan.next(await engine.run(kernel, ...args));
  }
  return step.value;
}
