/**
 * `deeprelax relax`: sample f on a grid, compute its relaxed loss u(·, t) and report, write and plot it.
 */
import { Grid, GridFunction } from '../grids/index.js';
import { relax, countLocalMinima } from '../pde/index.js';
import type { RelaxMethod } from '../pde/relax.js';
import { heatMap, lineChart, smallMultiples, writeFigure, PAPER_COLORS } from '../plot/index.js';
import { CliError } from './args.js';
import { writeTextFile, type CliIO } from './io.js';

/** Options shared by `relax` and `check`: the loss and its grid. */
export interface ProblemFlags { f: string; domain: [number, number][]; n: number[] }

/** Flags of `deeprelax relax`. */
export interface RelaxFlags extends ProblemFlags {
  t: number;
  beta: number;
  method: RelaxMethod;
  backend: 'cpu' | 'gpu';
  out?: string;
  plot?: string;
}

/** Samples the user's expression on the user's grid; shape and expression errors become CliErrors. */
export function sampleProblem(flags: ProblemFlags): GridFunction {
  if (flags.n.length !== flags.domain.length) {
    const n = flags.n.length === 1 ? Array(flags.domain.length).fill(flags.n[0]) : null;
    if (n === null) throw new CliError(`--n has ${flags.n.length} counts but --domain has ${flags.domain.length} axes; give one count, or one per axis (e.g. --n 401,401).`);
    flags = { ...flags, n };
  }
  if (flags.domain.length > 2) throw new CliError(`--domain has ${flags.domain.length} axes; the CLI handles 1-D and 2-D problems (use the library for 3-D).`);
  let grid: Grid;
  try { grid = Grid.uniform(flags.domain, flags.n); } catch (err) { throw new CliError(`--domain/--n: ${(err as Error).message}`); }
  try { return grid.sample(flags.f); } catch (err) {
    throw new CliError(`--f ${JSON.stringify(flags.f)}: ${(err as Error).message.replace(/^[\w.]+: /, '')} ${grid.ndim === 2 ? 'Use x and y in 2-D.' : 'Use x in 1-D.'}`);
  }
}

function pointText(p: readonly number[]): string { return `(${p.map((v) => v.toPrecision(4)).join(', ')})`; }

/** Runs `deeprelax relax`. */
export async function relaxCommand(flags: RelaxFlags, io: CliIO): Promise<void> {
  const f = sampleProblem(flags), grid = f.grid;
  const started = performance.now();
  // 'gpu' runs the chosen solver's float32 gpu.js kernels (hardware WebGPU, else webasm: see `deeprelax backends`).
  const run = flags.backend === 'gpu'
    ? import('../gpu/index.js').then(({ relaxAsync }) => relaxAsync(f, { t: flags.t, beta: flags.beta, method: flags.method, backend: 'gpu' }))
    : Promise.resolve().then(() => relax(f, { t: flags.t, beta: flags.beta, method: flags.method }));
  let loss;
  try { loss = await run; } catch (err) { throw new CliError((err as Error).message.replace(/^relax(Async)?: /, ''), 1); }
  const u: GridFunction = loss.u, warnings: readonly string[] = loss.warnings;
  const method = flags.backend === 'gpu' ? `${loss.method} (float32, gpu.js)` : loss.method;
  const seconds = (performance.now() - started) / 1000;
  const minimaF = countLocalMinima(f), minimaU = countLocalMinima(u);
  io.out([
    `relaxed f = ${flags.f} on ${grid.toString()}`,
    `  t = ${flags.t}, beta = ${flags.beta === Infinity ? 'inf (non-viscous)' : flags.beta}, method: ${method}, ${seconds.toFixed(2)} s`,
    `  f: min ${f.min().toPrecision(6)} at ${pointText(f.argminPoint())}, ${minimaF.count} local minima`,
    `  u: min ${u.min().toPrecision(6)} at ${pointText(u.argminPoint())}, ${minimaU.count} local minima`,
    ...warnings.map((w) => `  warning: ${w}`),
  ].join('\n') + '\n');
  if (flags.out !== undefined) { writeTextFile(flags.out, formatField(flags.out, f, u, flags)); io.out(`wrote ${flags.out}\n`); }
  if (flags.plot !== undefined) {
    if (!flags.plot.toLowerCase().endsWith('.png')) throw new CliError(`--plot ${JSON.stringify(flags.plot)} must end in .png (an .svg is written beside it).`);
    let files;
    try { files = await writeFigure(plotSpec(f, u, flags), flags.plot); } catch (err) { throw new CliError((err as Error).message.replace(/^writeFigure: /, ''), 1); }
    io.out(`wrote ${files.png} and ${files.svg}\n`);
  }
}

function formatField(path: string, f: GridFunction, u: GridFunction, flags: RelaxFlags): string {
  const grid = f.grid, lower = path.toLowerCase();
  if (lower.endsWith('.json')) {
    return JSON.stringify({ f: flags.f, t: flags.t, beta: flags.beta === Infinity ? 'inf' : flags.beta, method: flags.method,
      grid: { lower: grid.lower, upper: grid.upper, shape: grid.shape }, layout: 'row-major, last axis fastest',
      fValues: Array.from(f.data), u: Array.from(u.data) }) + '\n';
  }
  if (!lower.endsWith('.csv')) throw new CliError(`--out ${JSON.stringify(path)} must end in .csv or .json.`);
  const names = grid.ndim === 1 ? ['x'] : ['x', 'y'];
  const lines = [`${names.join(',')},f,u`];
  const point = new Float64Array(grid.ndim);
  for (let p = 0; p < grid.size; p++) { grid.point(p, point); lines.push(`${Array.from(point).join(',')},${f.data[p]},${u.data[p]}`); }
  return lines.join('\n') + '\n';
}

function plotSpec(f: GridFunction, u: GridFunction, flags: RelaxFlags): Record<string, unknown> {
  const label = `u(·, ${flags.t})${flags.beta === Infinity ? ', non-viscous' : `, β = ${flags.beta}`}`;
  if (f.grid.ndim === 1) {
    const x = f.grid.axis(0);
    return lineChart({ title: `f = ${flags.f}`, xLabel: 'x', width: 560, height: 340,
      series: [{ x, y: f.data, label: 'f', color: PAPER_COLORS.f, width: 1 }, { x, y: u.data, label, color: flags.beta === Infinity ? PAPER_COLORS.nonViscous : PAPER_COLORS.viscous, width: 2 }],
      markers: [{ x: f.argminPoint()[0], y: f.min(), color: PAPER_COLORS.f }, { x: u.argminPoint()[0], y: u.min(), color: flags.beta === Infinity ? PAPER_COLORS.nonViscous : PAPER_COLORS.viscous }] });
  }
  const lo = Math.min(f.min(), u.min()), hi = Math.max(f.max(), u.max());
  const panel = (g: GridFunction, title: string) => heatMap(g, { title, colorDomain: [lo, hi], contours: 10, markers: [{ x: g.argminPoint()[0], y: g.argminPoint()[1], label: 'min' }] });
  return smallMultiples([panel(f, 'f'), panel(u, label)], { columns: 2, title: `f = ${flags.f}` });
}

