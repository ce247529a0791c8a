// Public API of src/pde: re-exports only.
export { solveHJ, SOLVE_HJ_DEFAULTS, HJBlowUpError, type SolveHJOptions, type SolveHJResult } from './solve-hj.js';
export { godunovQuadratic, laxFriedrichs, type HJScheme, type Dissipation, type Hamiltonian } from './numerical-hamiltonian.js';
export { monotoneTimeStep, godunovStep, laxFriedrichsStep, type TimeIntegrator, type HJStepOptions } from './time-step.js';
export { checkMonotone, type StepFunction, type SchemeSpec, type CheckMonotoneOptions, type CheckMonotoneResult } from './monotonicity.js';
export { lowerEnvelope1d, envelopeScratch, type LineSpec, type EnvelopeScratch } from './lower-envelope.js';
export { hopfLax, HOPF_LAX_DEFAULTS, type HopfLaxOptions, type HopfLaxResult, type ProxRefinement } from './hopf-lax.js';
export { PDE_MEMORY_CAP_BYTES, PDE_INTERIOR_FRACTION } from './domain-check.js';
export {
  quadraticRelaxation, l1Relaxation, boxIndicatorRelaxation, linearRelaxation, type ExactRelaxation, type ExactOptions,
} from './exact.js';
export { erfc, erfcx, normalCdf, logNormalCdf, logNormalPdf, logNormalInterval, inverseMillsRatio } from './normal-cdf.js';
export { fokkerPlanck, type FokkerPlanckOptions, type FokkerPlanckResult, type VelocitySource } from './fokker-planck.js';
export { coleHopf, COLE_HOPF_DEFAULTS, type ColeHopfOptions, type ColeHopfResult } from './cole-hopf.js';
export { gaussianMomentSweep, logLatticeNorm, FAST_RANGE, type MomentField, type Summation, type SweepSettings, type SweepResult } from './gaussian-sweep.js';
