/**
 * `deeprelax figure <name|all>`: regenerate paper figures by running the notebooks that draw them.
 */
import { CliError } from './args.js';
import type { CliIO } from './io.js';

/** Figures the CLI can regenerate: name → notebook module (relative to this file) and what it shows. */
export const FIGURES: Readonly<Record<string, { module: string; about: string }>> = Object.freeze({
  'figure1-smoothing': { module: '../../notebooks/figure1-smoothing.ts', about: "the paper's Fig. 1: f, viscous and non-viscous relaxations, Fokker–Planck densities vs SGD" },
  landscape: { module: '../../notebooks/landscape.ts', about: 'f and its viscous relaxation (1-D), and Hopf–Lax vs Cole–Hopf heat maps of a 2-D loss' },
  regularity: { module: '../../notebooks/regularity.ts', about: 'semiconcavity, Lipschitz, minima counts and Hessian eigenvalues vs t and β; convergence orders of the schemes' },
  dynamics: { module: '../../notebooks/dynamics.ts', about: 'homogenization gap vs ε, Elastic-SGD ensemble drift vs n, controlled SGD vs SGD' },
  'optimizers-2d': { module: '../../notebooks/optimizers-2d.ts', about: 'SGD, Entropy-SGD, HJ and HEAT paths over a 2-D landscape and its relaxation' },
  experiments: { module: '../../notebooks/experiments.ts', about: 'MNIST validation error vs effective epochs (from notebooks/results/mnist) beside the paper' },
});

/** Flags of `deeprelax figure`. */
export interface FigureFlags { quick: boolean; outDir: string }

/** Runs `deeprelax figure`. */
export async function figureCommand(name: string, flags: FigureFlags, io: CliIO): Promise<void> {
  const names = name === 'all' ? Object.keys(FIGURES) : [name];
  for (const n of names) {
    if (!(n in FIGURES)) throw new CliError(`unknown figure ${JSON.stringify(n)}; choose one of: ${[...Object.keys(FIGURES), 'all'].join(', ')}.`);
  }
  for (const n of names) {
    const notebook = (await import(FIGURES[n].module)) as { run: (o: { quick: boolean; outDir: string; log: (l: string) => void }) => Promise<{ figures: { png: string }[]; name: string }> };
    const result = await notebook.run({ quick: flags.quick, outDir: flags.outDir, log: (line) => io.out(`${line}\n`) });
    io.out(`${n}: ${result.figures.map((f) => f.png).join(', ')}\n`);
  }
}
