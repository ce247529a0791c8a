export { Grid, MAX_GRID_POINTS } from './grid.js';
export { GridFunction } from './grid-function.js';
export { sampleOnGrid, type SampleSource } from './sample.js';
export { compileExpression, compileGradient, variableNames, type CompiledFunction } from './expression.js';
export { interpolate, type OutsidePolicy } from './interpolate.js';
export { lineLayout, forEachLine, applyAlongAxis } from './lines.js';
export {
  neumann, periodic, extrapolate, dirichlet, resolveBoundary, lineValue,
  type BoundaryCondition, type BoundaryName, type NeumannBoundary, type PeriodicBoundary,
  type DirichletBoundary, type ExtrapolateBoundary,
} from './boundary.js';
export {
  forwardDifference, backwardDifference, centralDifference, secondDifference, laplacian, gradient, hessian,
  forwardDifferenceInto, backwardDifferenceInto, centralDifferenceInto, secondDifferenceInto,
  laplacianInto, gradientInto, hessianInto, type BoundaryArgument,
} from './finite-difference.js';
