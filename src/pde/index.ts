// Public API of src/pde: re-exports only.
export { solveHJ, SOLVE_HJ_DEFAULTS, HJBlowUpError, type SolveHJOptions, type SolveHJResult } from './solve-hj.js';
export { godunovQuadratic, laxFriedrichs, type HJScheme, type Dissipation, type Hamiltonian } from './numerical-hamiltonian.js';
export { monotoneTimeStep, godunovStep, laxFriedrichsStep, type TimeIntegrator, type HJStepOptions } from './time-step.js';
export { WASM_MIN_POINTS, type HJKernel } from './hj-step-wasm.js';
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
// Regularity checks of the paper's claims (src/pde/regularity) and the dynamics results (src/pde/dynamics).
export { verdict, makeResult, type CheckResult, type Relation, type Tolerance } from './regularity/check-result.js';
export { checkBelowInitial, type BelowInitialOptions } from './regularity/below-initial.js';
export { checkQuadraticOffset, type QuadraticOffsetOptions } from './regularity/quadratic-offset.js';
export { checkJensen, type JensenOptions } from './regularity/jensen.js';
export { checkSemiconcavity, type SemiconcavityOptions } from './regularity/semiconcavity.js';
export { checkLipschitz, type LipschitzOptions } from './regularity/lipschitz.js';
export { checkMonotoneInTime, type MonotoneInTimeOptions, type TimedSolution } from './regularity/monotone-in-time.js';
export { checkComparison, type ComparisonInput } from './regularity/comparison.js';
export { checkMinimaPreserved } from './regularity/minima-preserved.js';
export { checkLocalMinimaRemoved, countLocalMinima, type LocalMinima } from './regularity/local-minima.js';
export { checkHessianSpectrum, HESSIAN_SPECTRUM_DEFAULTS, type HessianSpectrumOptions } from './regularity/hessian-spectrum.js';
export { checkVanishingViscosity, type ViscousSolution } from './regularity/vanishing-viscosity.js';
export { checkLocalEntropyPDE, type LocalEntropyPDEOptions } from './regularity/local-entropy-pde.js';
export {
  regularityReport, formatReport, type ReportRow, type ReportSolver, type RegularityReportOptions, type FormatReportOptions,
} from './regularity/report.js';
export { gradientFlow, localEntropyGradient, type GradientField, type GradientFlowOptions } from './dynamics/gradient-flow.js';
export {
  simulateEntropySDE, homogenizationGap, ENTROPY_SDE_DEFAULTS, type EntropySDEOptions, type PathEnsemble, type HomogenizationGap,
} from './dynamics/entropy-sde.js';
export { elasticDrift, ELASTIC_DRIFT_DEFAULTS, type ElasticDriftOptions, type ElasticDrift } from './dynamics/elastic-sde.js';
export { solveControlHJB, CONTROL_HJB_DEFAULTS, type ControlDrift, type ControlHJBOptions, type ControlHJBSolution } from './dynamics/control-hjb.js';
export { lqControl, type LQControl } from './dynamics/lq-control.js';
export {
  compareControlledSGD, checkControlTheorem, CONTROLLED_SGD_DEFAULTS, type ControlledSGDOptions, type ControlComparison,
} from './dynamics/controlled-sgd.js';
export { meanEstimate, powerLawSlope, CONFIDENCE_Z, type MeanEstimate } from './dynamics/statistics.js';
export { heatSmooth, HEAT_DEFAULTS, type HeatOptions, type HeatResult } from './heat.js';
export { gridRelaxedLoss, type RelaxedLoss, type RelaxSolver } from './relaxed-loss.js';
export { relax, RELAX_DEFAULTS, type RelaxMethod, type RelaxOptions } from './relax.js';
export { monteCarloRelax, type MonteCarloOptions, type MonteCarloProposal, type MonteCarloResult } from './monte-carlo.js';
export { resolveFokkerPlanck, FOKKER_PLANCK_CFL, type ResolvedFokkerPlanck, type VelocityFrame } from './fokker-planck-options.js';
