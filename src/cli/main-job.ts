/**
 * `deeprelax` with no arguments (`npm start`): the main job. Relax the Figure-1 loss, print what
 * the relaxation did (minima before/after, the semiconcavity bound u_xx ≤ 1/t) and write Figure 1.
 */
import { checkSemiconcavity, countLocalMinima, relax } from '../pde/index.js';
import type { CliIO } from './io.js';

/** Flags of the main job. */
export interface MainJobFlags { outDir: string; quick: boolean }

/** Runs the main job. */
export async function mainJob(flags: MainJobFlags, io: CliIO): Promise<void> {
  const figure1 = await import('../../notebooks/figure1-smoothing.js') as typeof import('../../notebooks/figure1-smoothing.js');
  const f = figure1.figure1Loss(500, 42), x = f.grid.axis(0);
  io.out('deeprelax main job: the loss of Figure 1, f(x) = x² + 1.5 sin(2πx) + smoothed seeded noise on [−3, 3], N = 500\n');
  const before = countLocalMinima(f);
  io.out(`  f: ${before.count} local minima; global min ${f.min().toFixed(4)} at x = ${x[f.argmin()].toFixed(4)}\n`);
  for (const { t, beta, name } of [{ t: 0.2, beta: 1, name: 'viscous (Cole–Hopf), t = 0.2, β = 1' }, { t: 0.1, beta: Infinity, name: 'non-viscous (Hopf–Lax), t = 0.1' }]) {
    const loss = relax(f, { t, beta });
    const after = countLocalMinima(loss.u), semi = checkSemiconcavity(loss.u, { t });
    io.out(`  u ${name}: ${after.count} local minima; global min ${loss.u.min().toFixed(4)} at x = ${x[loss.u.argmin()].toFixed(4)}\n`);
    io.out(`    semiconcavity: max u_xx = ${semi.measured.toFixed(4)} ≤ 1/t = ${semi.bound.toFixed(4)} ${semi.pass ? '✓' : '✗ (violated)'}\n`);
  }
  const result = await figure1.run({ quick: flags.quick, outDir: flags.outDir, log: () => {} });
  io.out(`Figure 1 written to ${result.figures[0].png} (and .svg); report with the numbers: ${result.figures[0].png.replace(/\.png$/, '.md')}\n`);
}
