/**
 * # Regularity of the relaxed loss, measured (paper-notes §3.4–3.5, claims T4–T6, T13)
 *
 * The paper's case for relaxing the loss rests on a few regularity facts about u(·, t):
 *
 * - **semiconcavity**: ∇²u(·, t) ≤ I/t, whatever f is (a minimum of parabolas of curvature 1/t);
 * - **Lipschitz**: sup|∇u| ≤ sup|∇f| (the relaxation never steepens the loss);
 * - **fewer local minima** as t grows (a theorem in 1-D for both PDEs);
 * - **wider minima**: at a minimiser, each Hessian eigenvalue λ of f becomes λ/(1 + tλ) for Hopf–Lax.
 *
 * We measure each with the regularity API of `src/pde/regularity` on the Figure-1 loss (1-D) and a
 * 2-D loss, over t and β, and close with the convergence orders of the finite-difference schemes
 * (`solveHJ`, Godunov and Lax–Friedrichs) against the exact grid solvers `hopfLax` and `coleHopf`.
 *
 * Run: `npx tsx notebooks/regularity.ts [--quick] [--out DIR]`.
 */
import { Grid, GridFunction } from '../src/grids/index.js';
import {
  checkHessianSpectrum, checkLipschitz, checkSemiconcavity, coleHopf, countLocalMinima, hopfLax, powerLawSlope, regularityReport, solveHJ,
} from '../src/pde/index.js';
import { heatMap, lineChart, smallMultiples, PAPER_COLORS, type LineSeries } from '../src/plot/index.js';
import { figure1Loss } from './figure1-smoothing.js';
import { LANDSCAPE_2D } from './landscape.js';
import { formatNumber, Notebook, runAsScript, type NotebookOptions, type NotebookResult } from './lib/notebook.js';

/** Viscous colours, darker for larger β (so the β → ∞ limit approaches the non-viscous blue). */
const BETA_COLORS = ['#f4a582', '#d6604d', '#b2182b', '#67001f'];

/** Log-spaced values from `lo` to `hi` inclusive. */
function logSpace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => lo * (hi / lo) ** (i / (n - 1)));
}

/**
 * The field max_e (u(x + e) + u(x − e) − 2u(x))/|e|² over the four lattice directions e = h_x, h_y and
 * the two diagonals: the largest directional second difference, NaN on the edge points. Semiconcavity
 * ∇²u ≤ I/t is equivalent to every directional second derivative being ≤ 1/t, and on the grid a
 * minimum of parabolas of curvature 1/t (the exact grid Hopf–Lax solution) satisfies it exactly in
 * every lattice direction — unlike the centred mixed difference, which is the difference of the two
 * diagonal second differences and is unbounded at the kinks of the grid infimum.
 */
function maxDirectionalCurvature(u: GridFunction): GridFunction {
  const [nx, ny] = u.grid.shape, [hx, hy] = u.grid.spacing, d = u.data, out = new Float64Array(u.grid.size).fill(NaN);
  const diagonal2 = hx * hx + hy * hy;
  for (let i = 1; i < nx - 1; i++) for (let j = 1; j < ny - 1; j++) {
    const p = i * ny + j, twice = 2 * d[p];
    const alongX = (d[p + ny] + d[p - ny] - twice) / (hx * hx), alongY = (d[p + 1] + d[p - 1] - twice) / (hy * hy);
    const diagonalUp = (d[p + ny + 1] + d[p - ny - 1] - twice) / diagonal2, diagonalDown = (d[p + ny - 1] + d[p - ny + 1] - twice) / diagonal2;
    out[p] = Math.max(alongX, alongY, diagonalUp, diagonalDown);
  }
  return new GridFunction(u.grid, out);
}

/** Runs the notebook. */
export async function run(options: NotebookOptions = {}): Promise<NotebookResult> {
  const nb = new Notebook('regularity', 'Regularity of the relaxed loss: semiconcavity, Lipschitz, minima, Hessian, scheme orders', options);
  const quick = nb.quick;

  // ## 1. Semiconcavity and Lipschitz over t and β (1-D, the Figure-1 loss)
  // λ_max(D²u) is measured by `checkSemiconcavity` (its `details.maxCurvature`, the largest second
  // difference over the points at least `margin` inside the box) and sup|∇u| by `checkLipschitz`. In 1-D the discrete
  // semiconcavity bound is exact, so every point must lie on or below the line 1/t.
  const f = figure1Loss(500, 42), margin = 0.75;
  const ts = logSpace(0.01, 1, quick ? 6 : 13), betas = [1, 4, 16, 64];
  const hl = ts.map((t) => hopfLax(f, t).u);
  const ch = betas.map((beta) => ts.map((t) => coleHopf(f, t, beta).u));
  const semi = (u: GridFunction, t: number) => checkSemiconcavity(u, { t, margin });
  const lip = (u: GridFunction) => checkLipschitz(u, f, { margin });
  const hlSemi = hl.map((u, i) => semi(u, ts[i])), chSemi = ch.map((row) => row.map((u, i) => semi(u, ts[i])));
  const hlLip = hl.map(lip), chLip = ch.map((row) => row.map(lip));
  const fCurv = semi(f, 1).details.maxCurvature as number; // λ_max of D²f itself (the t in this call only sets the bound)
  const fLip = hlLip[0].bound;
  const curveSeries = (values: number[], label: string, color: string, dash?: number[]): LineSeries => ({ x: ts, y: values, label, color, points: true, ...(dash ? { dash } : {}) });
  // Plotted as t·λ_max, so that the bound is the horizontal line 1 for every t.
  const semiChart = lineChart({
    title: 'Semiconcavity: t · max λ(D²u(·, t)) ≤ 1', xLabel: 't', yLabel: 't · max eigenvalue of D²u', xScale: 'log', yDomain: [0, 1.15],
    width: 380, height: 300, legend: 'bottom-left',
    series: [
      curveSeries(hlSemi.map((r, i) => ts[i] * (r.details.maxCurvature as number)), 'Hopf–Lax', PAPER_COLORS.nonViscous),
      ...betas.map((beta, b) => curveSeries(chSemi[b].map((r, i) => ts[i] * (r.details.maxCurvature as number)), `Cole–Hopf β = ${beta}`, BETA_COLORS[b])),
    ],
    rules: [{ y: 1, label: 'bound: λ_max = 1/t', color: 'black', dash: [6, 4] }],
  });
  const lipChart = lineChart({
    title: 'Lipschitz: sup|∇u(·, t)| ≤ sup|∇f|', xLabel: 't', yLabel: 'sup |∇u|', xScale: 'log', width: 380, height: 300, legend: 'top-right',
    series: [curveSeries(hlLip.map((r) => r.measured), 'Hopf–Lax', PAPER_COLORS.nonViscous),
      ...betas.map((beta, b) => curveSeries(chLip[b].map((r) => r.measured), `Cole–Hopf β = ${beta}`, BETA_COLORS[b]))],
    rules: [{ y: fLip, label: `sup|∇f| = ${fLip.toFixed(1)}`, color: PAPER_COLORS.f, dash: [2, 2] }],
  });
  nb.section('1. Semiconcavity and Lipschitz constant vs t and β');
  nb.text(`The Figure-1 loss (500 points on [−3, 3], seeded noise), measured on |x| ≤ ${3 - margin}; t from ${ts[0]} to ${ts[ts.length - 1]} (${ts.length} values), β ∈ {${betas.join(', ')}} for Cole–Hopf.`);
  await nb.figure('regularity-semiconcavity', smallMultiples([semiChart, lipChart], { columns: 2 }),
    `Left: t·λ_max(D²u) stays at or below 1 (λ_max ≤ 1/t) for Hopf–Lax (which attains it) and every β, although f itself has curvature up to ${fCurv.toFixed(0)}. Right: the relaxation never steepens the loss (sup|∇f| dotted).`);
  const allSemi = [...hlSemi, ...chSemi.flat()], allLip = [...hlLip, ...chLip.flat()];
  const worstRatio = Math.max(...allSemi.map((r) => (r.details.maxCurvature as number) / r.bound));
  nb.table(['t', 'λ_max Hopf–Lax', ...betas.map((b) => `λ_max CH β=${b}`), '1/t', 'sup|∇u| HL', `sup|∇u| CH β=${betas[0]}`],
    ts.map((t, i) => [t, hlSemi[i].details.maxCurvature as number, ...betas.map((_, b) => chSemi[b][i].details.maxCurvature as number), 1 / t, hlLip[i].measured, chLip[0][i].measured]));
  nb.text(`All ${allSemi.length} semiconcavity checks pass: ${allSemi.every((r) => r.pass)} (largest λ_max·t = ${formatNumber(worstRatio)}; the bound is 1). All ${allLip.length} Lipschitz checks pass: ${allLip.every((r) => r.pass)} (sup|∇f| = ${formatNumber(fLip)}, largest sup|∇u| = ${formatNumber(Math.max(...allLip.map((r) => r.measured)))}). max λ(D²f) = ${formatNumber(fCurv)}: for t below 1/${formatNumber(fCurv)} the bound 1/t is not the binding one, and λ_max(D²u) follows f's curvature.`);

  // ## 2. Local minima vs t and β
  // `countLocalMinima` counts clusters of grid points that are ≤ their neighbours. In 1-D the count
  // cannot grow with t (heat equation for e^{−βu}, Sturm), and the β → ∞ curves approach Hopf–Lax.
  // Counted on the whole box (margin 0: every point with all its neighbours on the grid): on a window,
  // a minimum that drifts in across the window's edge as t grows would add one to the count.
  const hlMin = hl.map((u) => countLocalMinima(u).count), chMin = ch.map((row) => row.map((u) => countLocalMinima(u).count));
  const fMin = countLocalMinima(f).count;
  nb.section('2. Local minima vs t and β');
  await nb.figure('regularity-minima', lineChart({
    title: 'Local minima of u(·, t) on [−3, 3] (Figure-1 loss)', xLabel: 't', yLabel: 'number of local minima', xScale: 'log', width: 520, height: 320,
    series: [curveSeries(hlMin, 'Hopf–Lax', PAPER_COLORS.nonViscous), ...betas.map((beta, b) => curveSeries(chMin[b], `Cole–Hopf β = ${beta}`, BETA_COLORS[b]))],
    rules: [{ y: fMin, label: `f: ${fMin} minima`, color: PAPER_COLORS.f, dash: [2, 2] }],
  }), 'Relaxation removes local minima: the count falls with t, faster for smaller β (more viscosity); Hopf–Lax is the β → ∞ limit.');
  nb.table(['t', 'Hopf–Lax', ...betas.map((b) => `Cole–Hopf β=${b}`)], ts.map((t, i) => [t, hlMin[i], ...betas.map((_, b) => chMin[b][i])]));
  const curves = [{ name: 'Hopf–Lax', counts: hlMin }, ...betas.map((b, k) => ({ name: `Cole–Hopf β = ${b}`, counts: chMin[k] }))];
  const increases = curves.flatMap((c) => c.counts.flatMap((v, i) => (i > 0 && v > c.counts[i - 1] ? [`${c.name} from t = ${formatNumber(ts[i - 1])} to ${formatNumber(ts[i])} (${c.counts[i - 1]} → ${v})`] : [])));
  nb.text(`f has ${fMin} local minima on the grid. Counts non-increasing in t on every curve (the 1-D theorem): ${increases.length === 0 ? 'yes' : `no — ${increases.join('; ')}`}.`);

  // ## 3. The Hessian at a minimiser: λ ↦ λ/(1 + tλ) (2-D)
  // An anisotropic 2-D well, f = (x² + y²)/2 − 0.5 cos 2πx − 0.1 cos 2πy, has ∇²f(0) = diag(1 + 2π², 1 + 0.4π²)
  // ≈ diag(20.7, 4.95). Hopf–Lax keeps the minimiser and maps each eigenvalue to λ/(1 + tλ): the stiff
  // direction flattens most (widening √(λ_f/λ_u) = √(1 + tλ)). `checkHessianSpectrum` measures the
  // discrete Hessian of u and compares it with the prediction from the discrete Hessian of f.
  const n2 = quick ? 121 : 241, grid2 = Grid.uniform([[-1.5, 1.5], [-1.5, 1.5]], [n2, n2]);
  const well = '(x^2 + y^2)/2 - 0.5*cos(2*pi*x) - 0.1*cos(2*pi*y)';
  const f2 = grid2.sample(well);
  const tsH = logSpace(0.02, 1, quick ? 5 : 9), betaH = 20;
  const spectra = tsH.map((t) => checkHessianSpectrum(hopfLax(f2, t).u, f2, { t }));
  const viscous = tsH.map((t) => checkHessianSpectrum(coleHopf(f2, t, betaH).u, f2, { t, beta: betaH }));
  const lambdaF = spectra[0].details.eigenvaluesF as number[];
  const tFine = logSpace(tsH[0], tsH[tsH.length - 1], 60);
  const measuredMarkers = (results: typeof spectra, label: string, color: string, shape: 'circle' | 'triangle-up') =>
    results.flatMap((r, i) => (r.details.eigenvaluesU as number[]).map((mu) => ({ x: tsH[i], y: mu, label, color, shape, size: 70, filled: shape === 'circle' })));
  const hessianChart = lineChart({
    title: 'Hessian eigenvalues of u(·, t) at the minimiser', xLabel: 't', yLabel: 'eigenvalue', xScale: 'log', yScale: 'log', yDomain: [0.5, 25], width: 520, height: 340, legend: 'bottom-left',
    series: [1, 0].map((k) => ({ x: tFine, y: tFine.map((t) => lambdaF[k] / (1 + t * lambdaF[k])), label: `λ/(1 + tλ), λ = ${lambdaF[k].toFixed(2)} (${k === 0 ? 'dashed' : 'solid'})`, color: PAPER_COLORS.f, width: 1.5, ...(k === 0 ? { dash: [5, 3] } : {}) })),
    markers: [...measuredMarkers(spectra, 'measured, Hopf–Lax', PAPER_COLORS.nonViscous, 'circle'), ...measuredMarkers(viscous, `measured, Cole–Hopf β = ${betaH}`, PAPER_COLORS.viscous, 'triangle-up')],
  });
  nb.section('3. Hessian at the minimiser (2-D)');
  nb.text(`f(x, y) = ${well.replace(/\*/g, '·')} on [−1.5, 1.5]², ${n2} × ${n2} points; Cole–Hopf at β = ${betaH}.`);
  await nb.figure('regularity-hessian', hessianChart,
    `At the minimiser each eigenvalue λ of the discrete ∇²f becomes λ/(1 + tλ) (black lines): measured on Hopf–Lax (blue circles) and on Cole–Hopf β = ${betaH} (red triangles; its prediction, from the Gibbs covariance, is in the table).`);
  nb.table(['t', 'μ1 measured (HL)', 'λ1/(1+tλ1)', 'μ2 measured (HL)', 'λ2/(1+tλ2)', 'max |error|', 'tolerance', 'pass', `μ1, μ2 CH β=${betaH}`, 'CH predicted', 'CH pass'], tsH.map((t, i) => {
    const mu = spectra[i].details.eigenvaluesU as number[], pred = spectra[i].details.predicted as number[];
    const vmu = viscous[i].details.eigenvaluesU as number[], vpred = viscous[i].details.predicted as number[];
    return [t, mu[0], pred[0], mu[1], pred[1], spectra[i].measured, spectra[i].tolerance.value, String(spectra[i].pass),
      `${formatNumber(vmu[0])}, ${formatNumber(vmu[1])}`, `${formatNumber(vpred[0])}, ${formatNumber(vpred[1])}`, String(viscous[i].pass)];
  }));
  nb.text(`Eigenvalues of the discrete ∇²f at the minimiser (stencil 8 cells, as the check uses): ${lambdaF.map((v) => formatNumber(v)).join(', ')}; the continuous ones are 1 + 0.4π² = ${formatNumber(1 + 0.4 * Math.PI ** 2)} and 1 + 2π² = ${formatNumber(1 + 2 * Math.PI ** 2)} (a second difference of cos 2πx over s = 8h reads 2(1 − cos 2πs)/s² instead of 4π²). Hopf–Lax checks pass: ${spectra.every((r) => r.pass)}; Cole–Hopf checks pass: ${viscous.every((r) => r.pass)}.`);

  // ## 4. Curvature maps: λ_max(D²f) against λ_max(D²u) ≤ 1/t everywhere
  // The 2-D landscape of `landscape.ts` (wells of curvature up to ≈ 1 + 0.8·9π² ≈ 72) at t = 0.1.
  // Mapped: the largest directional second difference over the axes and diagonals (exact bound 1/t
  // for the grid Hopf–Lax solution, see maxDirectionalCurvature). `checkSemiconcavity` measures the
  // same quantity over more lattice directions (knight moves too), and reports λ_max of the centred
  // discrete Hessian beside it for information.
  const nMap = quick ? 121 : 241, gridMap = Grid.uniform([[-1.5, 1.5], [-1.5, 1.5]], [nMap, nMap]), fLand = gridMap.sample(LANDSCAPE_2D);
  const tMap = 0.1, betaMap = 20;
  const hlLand = hopfLax(fLand, tMap).u, chLand = coleHopf(fLand, tMap, betaMap).u, mapMargin = 0.75;
  const fMap = maxDirectionalCurvature(fLand), hlMap = maxDirectionalCurvature(hlLand), chMap = maxDirectionalCurvature(chLand);
  const maxOf = (g: GridFunction) => { let m = -Infinity; for (const v of g.data) if (v > m) m = v; return m; };
  const minOf = (g: GridFunction) => { let m = Infinity; for (const v of g.data) if (v < m) m = v; return m; };
  const mapPanel = (g: GridFunction, title: string) => heatMap(g, { title, subtitle: `max ${maxOf(g).toFixed(1)} (1/t = ${1 / tMap})`, width: 230, height: 230, colorDomain: [-2 / tMap, 2 / tMap], scheme: 'redblue', colorTitle: 'curvature' });
  nb.section('4. Curvature maps (2-D)');
  await nb.figure('regularity-curvature', smallMultiples([
    mapPanel(fMap, 'f'), mapPanel(hlMap, `Hopf–Lax u(·, ${tMap})`), mapPanel(chMap, `Cole–Hopf u(·, ${tMap}), β = ${betaMap}`),
  ], { columns: 3 }), `Largest directional second difference (x, y and diagonals; colour clipped to ±2/t = ±${2 / tMap}, blue = convex). f is far more curved than 1/t = ${1 / tMap} in every well (dark blue, saturated); after relaxation the curvature is ≤ 1/t everywhere: Hopf–Lax attains 1/t on the parabola pieces of its infimum, Cole–Hopf stays just below.`);
  const semiHL = checkSemiconcavity(hlLand, { t: tMap, margin: mapMargin }), semiCH = checkSemiconcavity(chLand, { t: tMap, margin: mapMargin });
  nb.table(['function', 'max curvature, axes + diagonals (map)', 'checkSemiconcavity: max over 8 lattice directions', 'bound 1/t', 'tolerance', 'verdict', 'λ_max(centred D²u) (informational)'], [
    ['f', maxOf(fMap), '—', '—', '—', '—', '—'],
    [`Hopf–Lax u(·, ${tMap})`, maxOf(hlMap), semiHL.measured, 1 / tMap, semiHL.tolerance.value, semiHL.pass ? 'pass' : 'fail', semiHL.details.maxEigenvalue as number],
    [`Cole–Hopf u(·, ${tMap}), β = ${betaMap}`, maxOf(chMap), semiCH.measured, 1 / tMap, semiCH.tolerance.value, semiCH.pass ? 'pass' : 'fail', semiCH.details.maxEigenvalue as number],
  ]);
  nb.text(`The directional curvatures stay ≤ 1/t (Hopf–Lax: max − 1/t = ${(maxOf(hlMap) - 1 / tMap).toExponential(1)}, rounding). \`checkSemiconcavity\` (on |x|∞ ≤ ${1.5 - mapMargin}) takes the largest [u(x+z) + u(x−z) − 2u(x)]/|z|² over the lattice vectors z = axes, diagonals and knight moves: for the grid Hopf–Lax infimum this is ≤ 1/t exactly (the minimiser of u(x) is a competitor for u(x ± z)), for the grid Cole–Hopf sum too (Cauchy–Schwarz), so its tolerance is rounding only; it passes on both (Hopf–Lax ${formatNumber(semiHL.measured)}, Cole–Hopf ${formatNumber(semiCH.measured)}, against 1/t = ${1 / tMap}). The largest eigenvalue of the centred Hessian, kept as information, reads ${formatNumber(semiHL.details.maxEigenvalue as number)} on the Hopf–Lax solution: the centred mixed difference is the difference of the two diagonal second differences, so at a kink of the grid infimum (a concave crease along one diagonal) the eigenvalue exceeds 1/t, and does not shrink under grid refinement — an artefact of that stencil, not a failure of the relaxation, which is why it is not the test. Cole–Hopf's kernel width √(t/β) = ${formatNumber(Math.sqrt(tMap / betaMap))} is resolved by ${formatNumber(Math.sqrt(tMap / betaMap) / gridMap.spacing[0], 2)} cells (eigenvalue ${formatNumber(semiCH.details.maxEigenvalue as number)}).`);

  // ## 5. The regularity report at the Figure-1 setting
  // `regularityReport` runs every applicable check at once (the CLI's `deeprelax check`).
  const rows = regularityReport(f, { t: 0.2, beta: 1 });
  nb.section('5. Regularity report, Figure-1 loss, t = 0.2, β = 1');
  nb.table(['solver', 'check', 'claim', 'measured', 'relation', 'bound', 'tolerance', 'verdict', 'theory expects'],
    rows.map((r) => [r.solver, r.name, r.claim, r.measured, r.relation, r.bound, r.tolerance.value, r.pass ? 'pass' : 'fail', r.expected]));
  const agree = rows.filter((r) => r.expected === 'measure' || (r.expected === 'pass') === r.pass).length;
  nb.text(`${agree} of ${rows.length} rows agree with the theory (a 'fail' is expected where the viscous solution is not below f and moves the minimum).`);

  // ## 6. Convergence orders of the finite-difference schemes
  // f = x² + 1.5 sin 2πx on [−3, 3] (the Figure-1 loss without noise), max error on |x| ≤ 1.5 against
  // the exact grid solvers (whose own error, O(h²), is negligible next to the schemes' O(h)). Non-viscous
  // at t = 0.1 against `hopfLax`; viscous β = 1 at t = 0.2 against `coleHopf`. The slope of log error
  // against log h is the observed order: 1 for monotone first-order schemes on smooth solutions
  // (½ guaranteed by Crandall–Lions for Lipschitz data).
  const sizes = quick ? [101, 201, 401] : [151, 301, 601, 1201];
  const cases = [
    { scheme: 'godunov' as const, beta: Infinity, t: 0.1, label: 'Godunov, β = ∞', short: 'Godunov β=∞', color: PAPER_COLORS.nonViscous, dash: undefined },
    { scheme: 'lax-friedrichs' as const, beta: Infinity, t: 0.1, label: 'Lax–Friedrichs, β = ∞', short: 'LF β=∞', color: PAPER_COLORS.nonViscous, dash: [5, 3] },
    { scheme: 'godunov' as const, beta: 1, t: 0.2, label: 'Godunov, β = 1', short: 'Godunov β=1', color: PAPER_COLORS.viscous, dash: undefined },
    { scheme: 'lax-friedrichs' as const, beta: 1, t: 0.2, label: 'Lax–Friedrichs, β = 1', short: 'LF β=1', color: PAPER_COLORS.viscous, dash: [5, 3] },
  ];
  const spacings = sizes.map((n) => 6 / (n - 1));
  const errors = cases.map((c) => sizes.map((n) => {
    const g = Grid.uniform([[-3, 3]], [n]).sample('x^2 + 1.5*sin(2*pi*x)');
    const exact = Number.isFinite(c.beta) ? coleHopf(g, c.t, c.beta).u : hopfLax(g, c.t).u;
    const fd = solveHJ(g, { t: c.t, beta: c.beta, scheme: c.scheme }).u, x = g.grid.axis(0);
    let e = 0;
    for (let i = 0; i < n; i++) if (Math.abs(x[i]) <= 1.5) e = Math.max(e, Math.abs(fd.data[i] - exact.data[i]));
    return e;
  }));
  const slopes = errors.map((e) => powerLawSlope(spacings, e));
  nb.section('6. Convergence orders of the schemes');
  await nb.figure('regularity-convergence', lineChart({
    title: 'solveHJ vs the exact grid solvers: max error on |x| ≤ 1.5', xLabel: 'grid spacing h', yLabel: 'max |u_FD − u_exact|', xScale: 'log', yScale: 'log',
    width: 520, height: 340, legend: 'bottom-right',
    series: [
      ...cases.map((c, k) => ({ x: spacings, y: errors[k], label: `${c.short}: slope ${slopes[k].toFixed(2)}`, color: c.color, points: true, ...(c.dash ? { dash: c.dash } : {}) })),
      { x: spacings, y: spacings.map((h) => (errors[0][0] * h) / spacings[0]), label: 'order 1 reference', color: 'grey', dash: [2, 2], width: 1 },
    ],
  }), 'Log-log error against h for the monotone schemes (non-viscous blue, viscous red; Godunov solid, Lax–Friedrichs dashed); the legend gives the fitted slopes (observed orders).');
  nb.table(['n', 'h', ...cases.map((c) => c.label)], sizes.map((n, i) => [n, spacings[i], ...errors.map((e) => e[i])]));
  nb.table(['scheme', 'fitted order (log-log slope)', 'last-pair order log₂(e₁/e₂)'], cases.map((c, k) => [c.label, slopes[k], Math.log2(errors[k][sizes.length - 2] / errors[k][sizes.length - 1])]));
  nb.text(`Expected: order 1 (at least ½). Godunov is ${formatNumber(errors[1][sizes.length - 1] / errors[0][sizes.length - 1], 3)}× more accurate than Lax–Friedrichs at the finest non-viscous grid, ${formatNumber(errors[3][sizes.length - 1] / errors[2][sizes.length - 1], 3)}× in the viscous case.`);
  return nb.finish();
}

runAsScript(import.meta.url, run);
