// Public API of deeprelax: re-exports only (see docs/architecture.md).
export * from './util/validate.js';
export * from './util/random.js';
export * from './grids/index.js';
export * from './nn/index.js';
export * from './pde/index.js';
export * from './gpu/index.js';
export * from './optim/index.js';
export * from './plot/index.js';
