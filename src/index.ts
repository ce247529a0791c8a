// Public API of deeprelax: re-exports only (see docs/architecture.md).
export * from './util/validate.js';
export * from './util/random.js';
export * from './grids/index.js';
