/**
 * The regularity report: every applicable check of the paper's claims on one loss, for the Hopf–Lax
 * and (finite β) the Cole–Hopf relaxation, as rows of {@link CheckResult}s, and a table formatter
 * (the CLI's `deeprelax check` prints it).
 */
import type { GridFunction } from '../../grids/grid-function.js';
import { mustBe, mustBeBeta, mustBePositive, mustBeType } from '../../util/validate.js';
import { coleHopf } from '../cole-hopf.js';
import { heatSmooth } from '../heat.js';
import { hopfLax } from '../hopf-lax.js';
import { checkBelowInitial } from './below-initial.js';
import { mustBeGridFunction, type CheckResult } from './check-result.js';
import { checkComparison } from './comparison.js';
import { checkHessianSpectrum } from './hessian-spectrum.js';
import { checkJensen } from './jensen.js';
import { checkLipschitz } from './lipschitz.js';
import { checkLocalEntropyPDE } from './local-entropy-pde.js';
import { checkLocalMinimaRemoved } from './local-minima.js';
import { checkMinimaPreserved } from './minima-preserved.js';
import { checkMonotoneInTime } from './monotone-in-time.js';
import { checkSemiconcavity } from './semiconcavity.js';
import { checkVanishingViscosity } from './vanishing-viscosity.js';

/** Which relaxation a row was measured on. */
export type ReportSolver = 'hopf-lax' | 'cole-hopf' | 'finite-difference';

/** One report row: a check result, the relaxation it ran on, and what the theory predicts. */
export interface ReportRow extends CheckResult {
  solver: ReportSolver;
  /** 'pass': the claim is a theorem here; 'fail': the theory predicts a violation; 'measure': no theorem (reported only). */
  expected: 'pass' | 'fail' | 'measure';
}

/** Options of {@link regularityReport}. */
export interface RegularityReportOptions {
  /** Relaxation time t > 0. */
  t: number;
  /** Inverse temperature; Infinity runs the Hopf–Lax rows only. */
  beta: number;
  /** Distance (coordinate units) from the box for the pointwise checks. @defaultValue a quarter of the smallest box width */
  margin?: number;
  /** Also run the finite-difference convergence check (three solves, the costliest row). @defaultValue true in 1-D, false otherwise */
  pde?: boolean;
}

/**
 * Runs every applicable check on f at (t, β): Hopf–Lax rows (u ≤ f, monotone in t, minima kept,
 * semiconcavity, Lipschitz, comparison, local minima, Hessian spectrum) and, for finite β, the viscous
 * rows (u ≤ f expected to fail at a strict minimum, Jensen heat bound, semiconcavity, Lipschitz,
 * comparison, minima shift, local minima, Hessian spectrum, vanishing viscosity over β·{1, 2, 4, 8}
 * as far as the grid resolves √(t/β), and the finite-difference convergence check).
 * The comparison rows use g = f + (max f − min f)/10 · exp(−|x − c|²/w²) ≥ f (c the box centre, w a
 * quarter of the smallest width).
 * @param f - loss samples on a grid (1-D to 3-D for reasonable cost)
 * @param options - {@link RegularityReportOptions}
 * @returns the rows, in a stable order
 * @throws TypeError if f is not a GridFunction; RangeError if t or β is missing or ≤ 0, or a solver refuses the grid
 * @example formatReport(regularityReport(Grid.uniform([[-3, 3]], [401]).sample('x^2 + 1.5*sin(2*pi*x)'), { t: 0.2, beta: 1 }))
 */
export function regularityReport(f: GridFunction, options: RegularityReportOptions): ReportRow[] {
  const fn = 'regularityReport';
  mustBeGridFunction(fn, 'f', f);
  mustBeType(fn, 'options', options, typeof options === 'object' && options !== null, 'an options object { t, beta }');
  const { t, beta } = options;
  mustBePositive(fn, 't', t);
  mustBeBeta(fn, 'beta', beta);
  const grid = f.grid;
  let width = Infinity;
  for (let k = 0; k < grid.ndim; k++) width = Math.min(width, grid.upper[k] - grid.lower[k]);
  const margin = options.margin ?? width / 4;
  mustBe(fn, 'margin', margin, Number.isFinite(margin) && margin >= 0, 'finite and ≥ 0');
  const rows: ReportRow[] = [];
  const add = (solver: ReportSolver, expected: ReportRow['expected'], r: CheckResult): void => { rows.push({ ...r, solver, expected }); };
  const g = bumpAbove(f, width / 4);

  const hl = hopfLax(f, t).u;
  add('hopf-lax', 'pass', checkBelowInitial(hl, f));
  add('hopf-lax', 'pass', checkMonotoneInTime([t / 4, t / 2, t].map((s) => ({ t: s, u: s === t ? hl : hopfLax(f, s).u }))));
  add('hopf-lax', 'pass', checkMinimaPreserved(hl, f));
  add('hopf-lax', 'pass', checkSemiconcavity(hl, { t, margin }));
  add('hopf-lax', 'pass', checkLipschitz(hl, f, { margin }));
  add('hopf-lax', 'pass', checkComparison({ f, g, uf: hl, ug: hopfLax(g, t).u, margin }));
  add('hopf-lax', grid.ndim === 1 ? 'pass' : 'measure', checkLocalMinimaRemoved(hl, f, { margin }));
  const spectrum = tryCheck(() => checkHessianSpectrum(hl, f, { t }));
  if (spectrum) add('hopf-lax', 'pass', spectrum);
  if (!Number.isFinite(beta)) return rows;

  const ch = coleHopf(f, t, beta).u;
  // At a nondegenerate minimiser u − f ≈ (1/2β) log det(I + t∇²f) > 0: the viscous u ≤ f and inf u = inf f fail.
  add('cole-hopf', 'fail', checkBelowInitial(ch, f, { margin }));
  add('cole-hopf', 'pass', checkJensen(ch, heatSmooth(f, t / beta).u, { t, beta, margin }));
  add('cole-hopf', 'pass', checkSemiconcavity(ch, { t, margin }));
  add('cole-hopf', 'pass', checkLipschitz(ch, f, { margin }));
  add('cole-hopf', 'pass', checkComparison({ f, g, uf: ch, ug: coleHopf(g, t, beta).u, margin }));
  add('cole-hopf', 'fail', checkMinimaPreserved(ch, f));
  add('cole-hopf', grid.ndim === 1 ? 'pass' : 'measure', checkLocalMinimaRemoved(ch, f, { margin }));
  const viscousSpectrum = tryCheck(() => checkHessianSpectrum(ch, f, { t, beta }));
  if (viscousSpectrum) add('cole-hopf', 'pass', viscousSpectrum);
  let hMax = 0;
  for (const h of grid.spacing) hMax = Math.max(hMax, h);
  // Keep the β whose kernel √(t/β) spans at least two cells, so the lattice sum is resolved.
  const betas = [1, 2, 4, 8].map((m) => m * beta).filter((b) => Math.sqrt(t / b) >= 2 * hMax);
  if (betas.length >= 2) {
    add('cole-hopf', 'pass', checkVanishingViscosity(betas.map((b) => ({ beta: b, u: b === beta ? ch : coleHopf(f, t, b).u })), hl, { margin }));
  }
  if (options.pde ?? grid.ndim === 1) {
    const pde = tryCheck(() => checkLocalEntropyPDE(f, { t, beta, margin }));
    if (pde) add('finite-difference', 'pass', pde);
  }
  return rows;
}

/** Runs a check whose preconditions (stencil room, subsampling) the grid may not meet; null if it refuses. */
function tryCheck(run: () => CheckResult): CheckResult | null {
  try { return run(); } catch (error) { if (error instanceof RangeError) return null; throw error; }
}

/** g = f + (range/10)·exp(−|x − centre|²/w²) ≥ f, for the comparison rows. */
function bumpAbove(f: GridFunction, w: number): GridFunction {
  const grid = f.grid, x = new Float64Array(grid.ndim);
  const range = Math.max(f.max() - f.min(), 1e-12);
  return f.map((v, p) => {
    grid.point(p, x);
    let r2 = 0;
    for (let k = 0; k < grid.ndim; k++) r2 += (x[k] - 0.5 * (grid.lower[k] + grid.upper[k])) ** 2;
    return v + (range / 10) * Math.exp(-r2 / (w * w));
  });
}

/** Options of {@link formatReport}. */
export interface FormatReportOptions {
  /** 'markdown' (default) or 'plain' (aligned columns). */
  format?: 'markdown' | 'plain';
  /** Significant digits of numbers. @defaultValue 4 */
  digits?: number;
}

/**
 * A table of report rows: check, solver, claim, measured, relation and bound, tolerance, verdict
 * (pass / FAIL, with "(expected)" when the theory predicts the failure or makes no claim), worst point.
 * @param rows - rows from {@link regularityReport} (or any CheckResults)
 * @param options - {@link FormatReportOptions}
 * @returns the table as a string (no trailing newline)
 * @throws TypeError if rows is not an array; RangeError for an unknown format or bad digits
 * @example console.log(formatReport(regularityReport(f, { t: 0.2, beta: 1 }), { format: 'plain' }))
 */
export function formatReport(rows: readonly (CheckResult | ReportRow)[], options: FormatReportOptions = {}): string {
  const fn = 'formatReport';
  mustBeType(fn, 'rows', rows, Array.isArray(rows), 'an array of check results');
  const format = options.format ?? 'markdown', digits = options.digits ?? 4;
  mustBe(fn, 'format', format, format === 'markdown' || format === 'plain', "'markdown' | 'plain'");
  mustBe(fn, 'digits', digits, Number.isInteger(digits) && digits >= 1 && digits <= 17, 'an integer in [1, 17]');
  const num = (v: number): string => (Number.isFinite(v) ? Number(v.toPrecision(digits)).toString() : String(v));
  const header = ['check', 'solver', 'claim', 'measured', 'bound', 'tolerance', 'verdict', 'worst at'];
  const body = rows.map((r) => {
    const row = r as Partial<ReportRow> & CheckResult;
    const verdict = r.pass ? 'pass' : 'FAIL';
    const note = row.expected && row.expected !== 'pass' && !r.pass ? ` (${row.expected === 'fail' ? 'expected' : 'no theorem'})` : '';
    return [r.name, row.solver ?? '', r.claim, num(r.measured), `${r.relation} ${num(r.bound)}`, num(r.tolerance.value), verdict + note,
      r.worst ? `[${r.worst.x.map(num).join(', ')}]` : ''];
  });
  if (format === 'markdown') {
    const line = (cells: string[]): string => `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`;
    return [line(header), line(header.map(() => '---')), ...body.map(line)].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
