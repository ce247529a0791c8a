/** The `this` a gpu.js kernel body sees: its thread index and its compile-time constants. */
export interface KernelThis {
  thread: { x: number; y: number; z: number };
  constants: Record<string, number>;
}
