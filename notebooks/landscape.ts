/**
 * # The landscape figure, and a 2-D version
 *
 * 1. The authors' `energy_landscape.py`: the Figure-1 loss f (black) and its viscous relaxation
 *    u(·, 0.2) with β = 1 (indianred), nothing else.
 * 2. In 2-D: a non-convex loss with many local minima, its non-viscous (Hopf–Lax) and viscous
 *    (Cole–Hopf) relaxations side by side, with the global minimiser of each marked. The relaxation
 *    removes the small wells (fewer local minima), keeps (Hopf–Lax) or nearly keeps (Cole–Hopf) the
 *    deep one, and lowers the values: u ≤ f for Hopf–Lax.
 *
 * Run: `npx tsx notebooks/landscape.ts [--quick] [--out DIR]`.
 */
import { Grid } from '../src/grids/index.js';
import { coleHopf, countLocalMinima, hopfLax, relax } from '../src/pde/index.js';
import { heatMap, lineChart, smallMultiples, PAPER_COLORS } from '../src/plot/index.js';
import { figure1Loss } from './figure1-smoothing.js';
import { Notebook, runAsScript, type NotebookOptions, type NotebookResult } from './lib/notebook.js';

/** The 2-D test loss: a tilted bowl with a lattice of wells, f(x, y) = (x² + y²)/2 + 0.3x − 0.8 cos(3πx) cos(3πy) + 0.6. */
export const LANDSCAPE_2D = '(x^2 + y^2)/2 + 0.3*x - 0.8*cos(3*pi*x)*cos(3*pi*y) + 0.6';

/** Runs the notebook. */
export async function run(options: NotebookOptions = {}): Promise<NotebookResult> {
  const nb = new Notebook('landscape', 'The energy landscape and its relaxations (1-D and 2-D)', options);

  // ## 1-D: f and its viscous relaxation, as in energy_landscape.py
  const f = figure1Loss(500, 42), x = f.grid.axis(0);
  const u = relax(f, { t: 0.2, beta: 1 }).u;
  nb.section('1-D landscape');
  await nb.figure('landscape-1d', lineChart({
    title: 'Loss f and its viscous relaxation u(·, 0.2), β = 1', width: 560, height: 360, ticks: false,
    series: [{ x, y: f.data, label: 'f(x)', color: PAPER_COLORS.f, width: 2 }, { x, y: u.data, label: 'u viscous HJ (x, 0.2)', color: PAPER_COLORS.viscous, width: 2 }],
  }), 'The Figure-1 loss (black) and its viscous relaxation (indianred): the wiggles are gone, the basin stays.');
  nb.table(['function', 'local minima', 'global argmin x'], [['f', countLocalMinima(f).count, x[f.argmin()]], ['u(·, 0.2), β = 1', countLocalMinima(u).count, x[u.argmin()]]]);

  // ## 2-D: Hopf–Lax and Cole–Hopf side by side
  // Same colour range on the three panels so that the lowering of the values is visible; iso-lines
  // at the same levels. t = 0.5: a well whose floor is Δ above a deeper one at distance r disappears once r²/(2t) < Δ (neighbouring wells: r = 2/3, Δ ≈ 0.2–0.5).
  const n = nb.quick ? 121 : 301, t = 0.5, beta = 5;
  const grid = Grid.uniform([[-1.5, 1.5], [-1.5, 1.5]], [n, n]);
  const f2 = grid.sample(LANDSCAPE_2D);
  const hl = hopfLax(f2, t), ch = coleHopf(f2, t, beta);
  const lo = Math.min(f2.min(), hl.u.min(), ch.u.min()), hi = f2.max();
  const levels = Array.from({ length: 12 }, (_, k) => lo + ((k + 0.5) * (hi - lo)) / 12);
  const panel = (g: typeof f2, title: string) => heatMap(g, {
    title, width: 260, height: 260, colorDomain: [lo, hi], contours: levels, colorTitle: 'value',
    markers: [{ x: g.argminPoint()[0], y: g.argminPoint()[1], label: 'argmin', color: 'white' }],
  });
  nb.section('2-D landscape');
  nb.text(`f(x, y) = ${LANDSCAPE_2D.replace(/\*/g, '·')} on [−1.5, 1.5]², ${n} × ${n} points; t = ${t}, β = ${beta} for Cole–Hopf.`);
  await nb.figure('landscape-2d', smallMultiples([
    panel(f2, 'f'), panel(hl.u, `Hopf–Lax u(·, ${t})`), panel(ch.u, `Cole–Hopf u(·, ${t}), β = ${beta}`),
  ], { columns: 3 }), 'A non-convex 2-D loss (left), its Hopf–Lax (centre) and Cole–Hopf (right) relaxations on one colour scale, global minimisers marked.');
  const row = (name: string, g: typeof f2) => [name, countLocalMinima(g).count, g.min(), `(${g.argminPoint().map((v) => v.toFixed(3)).join(', ')})`];
  nb.table(['function', 'local minima', 'min value', 'argmin'], [row('f', f2), row('Hopf–Lax u', hl.u), row('Cole–Hopf u', ch.u)]);
  let maxAbove = -Infinity;
  for (let p = 0; p < grid.size; p++) maxAbove = Math.max(maxAbove, hl.u.data[p] - f2.data[p]);
  nb.text(`Hopf–Lax keeps the global minimum value exactly (min u = min f on the grid) and max(u − f) = ${maxAbove.toExponential(2)} ≤ 0 (u ≤ f, since y = x is a candidate).
Cole–Hopf lifts the minimum by the entropy of the well, about (d/(2β))·log(1 + t·f''), and shifts it towards the wider basin.`);
  return nb.finish();
}

runAsScript(import.meta.url, run);
