// GPU layer: gpu.js float32 kernels and backend selection (see docs/gpu.md).
export * from './backend-name.js';
export * from './backends.js';
export * from './webgpu-adapter.js';
export * from './engine.js';
export * from './solve-hj.js';
export * from './hopf-lax.js';
export * from './cole-hopf.js';
export * from './fokker-planck.js';
export * from './dispatch.js';
export * from './dispatch-cole-hopf.js';
export * from './dispatch-fokker-planck.js';
export * from './relax-async.js';
