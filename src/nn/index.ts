// Networks through a sampled-gradient backend: layers, models, data, training (re-exports only).
export { createEngine, tsEngine, type EngineName, type MatmulEngine } from './engine.js';
export { defaultEngine, wasmSimdEngine, WasmSimdEngine, type WasmSimdOptions } from './wasm-engine.js';
export type { Layer, LayerFactory, Mode, PassContext } from './layer.js';
export * from './linear.js';
export * from './conv2d.js';
export * from './max-pool.js';
export * from './relu.js';
export * from './dropout.js';
export * from './batch-norm.js';
export * from './loss.js';
export * from './network.js';
export * from './models.js';
export * from './data.js';
export * from './network-oracle.js';
export * from './checkpoint.js';
export * from './train.js';
