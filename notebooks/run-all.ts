/**
 * Runs every notebook in order (`npm run notebooks`, or `npm run notebooks -- --quick` for CI
 * sizes, `-- --out DIR`). Exit code 1 if any notebook fails; the others still run.
 */
import { parseNotebookArgs, type NotebookResult } from './lib/notebook.js';

/** Notebook modules, in reading order. */
export const NOTEBOOKS = ['./figure1-smoothing.ts', './landscape.ts', './regularity.ts', './dynamics.ts', './optimizers-2d.ts', './experiments.ts'] as const;

const options = parseNotebookArgs(process.argv.slice(2));
let failed = 0;
for (const file of NOTEBOOKS) {
  try {
    const notebook = (await import(file)) as { run: (o: typeof options) => Promise<NotebookResult> };
    const result = await notebook.run(options);
    console.log(`✓ ${result.name}: ${result.figures.length} figure(s), ${result.seconds.toFixed(1)} s`);
  } catch (err) {
    failed++;
    console.error(`✗ ${file}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
