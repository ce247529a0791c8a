// Public API of src/pde: re-exports only.
export { solveHJ, SOLVE_HJ_DEFAULTS, HJBlowUpError, type SolveHJOptions, type SolveHJResult } from './solve-hj.js';
export { godunovQuadratic, laxFriedrichs, type HJScheme, type Dissipation, type Hamiltonian } from './numerical-hamiltonian.js';
export { monotoneTimeStep, godunovStep, laxFriedrichsStep, type TimeIntegrator, type HJStepOptions } from './time-step.js';
export { checkMonotone, type StepFunction, type SchemeSpec, type CheckMonotoneOptions, type CheckMonotoneResult } from './monotonicity.js';
