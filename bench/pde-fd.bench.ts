// Monotone FD schemes: one Godunov step on 1024² (float64, one core) against a copy and an axpy over
// the same arrays (the memory-bandwidth bound) and against the generic (pre-specialisation) kernel
// kept in test/reference, then the whole non-viscous 401² quadratic solve.
// The cases run interleaved (round-robin), so a change of machine load hits all of them alike; each
// row gives the median wall time and the median CPU time of the process (user + system, which
// excludes the time the process waited for a core on a loaded machine).
import { performance } from 'node:perf_hooks';
import { Grid } from '../src/grids/grid.js';
import { fillHalo, paddedLayout, toPadded } from '../src/pde/padded-grid.js';
import { neumann } from '../src/grids/boundary.js';
import { applyStage, hjOperator } from '../src/pde/time-step.js';
import { solveHJ } from '../src/pde/solve-hj.js';
import { godunovKernelGeneric, laxFriedrichsKernelGeneric } from '../test/reference/godunov-kernel-generic.js';

interface Case { name: string; run: () => unknown }
let sink: unknown = null;

function interleaved(title: string, cases: Case[], units: number, rounds: number, ratiosTo: string[]): void {
  const wall = cases.map(() => [] as number[]), cpu = cases.map(() => [] as number[]);
  for (const c of cases) for (let i = 0; i < 2; i++) sink = c.run(); // warm-up (JIT)
  for (let r = 0; r < rounds; r++) {
    cases.forEach((c, i) => {
      const c0 = process.cpuUsage(), t0 = performance.now();
      sink = c.run();
      const t1 = performance.now(), dc = process.cpuUsage(c0);
      wall[i].push(t1 - t0);
      cpu[i].push((dc.user + dc.system) / 1000);
    });
  }
  const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
  const ns = (ms: number) => ((ms * 1e6) / units).toFixed(2);
  const wallMed = wall.map(median), cpuMed = cpu.map(median);
  const ref = ratiosTo.map((name) => cases.findIndex((c) => c.name === name));
  console.log(`\n## ${title} (${rounds} interleaved rounds; medians)`);
  console.log(`| case | wall ns/cell-step | CPU ns/cell-step | ${ratiosTo.map((n) => `CPU time / "${n}"`).join(' | ')} |`);
  console.log(`|---|---:|---:|${ratiosTo.map(() => '---:').join('|')}|`);
  cases.forEach((c, i) => {
    console.log(`| ${c.name} | ${ns(wallMed[i])} | ${ns(cpuMed[i])} | ${ref.map((j) => `${(cpuMed[i] / cpuMed[j]).toFixed(2)}×`).join(' | ')} |`);
  });
}

const n = 1024;
const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
const L = paddedLayout(grid, 'bench');
const op = hjOperator(L, { scheme: 'godunov', beta: Infinity, boundary: neumann, dissipation: 'global', hamiltonian: null });
const opViscous = hjOperator(L, { scheme: 'godunov', beta: 10, boundary: neumann, dissipation: 'global', hamiltonian: null });
const v = new Float64Array(L.paddedSize), w = new Float64Array(L.paddedSize);
toPadded(L, grid.sample((x, y) => (x * x + y * y) / 2 + 0.3 * Math.cos(3 * Math.PI * x)).data, v);
fillHalo(L, v, neumann);
const bound = new Float64Array(3), slopes = new Float64Array(3);
const opLF = hjOperator(L, { scheme: 'lax-friedrichs', beta: Infinity, boundary: neumann, dissipation: 'global', hamiltonian: null });
const lfBound = new Float64Array([0, 4, 4]); // ≥ max |D u| ≈ 2 + 0.9π on [−2, 2]²
interleaved(`Godunov forward-Euler step, ${n}² float64, one core (padded ${n + 2}²)`, [
  { name: 'copy', run: () => { w.set(v); return w[7]; } },
  { name: 'axpy', run: () => { for (let p = 0; p < w.length; p++) w[p] += 0.5 * v[p]; return w[7]; } },
  { name: 'generic kernel, β = ∞', run: () => { fillHalo(L, v, neumann); return godunovKernelGeneric(L, v, v, w, 0, 1, 1e-4, 0, slopes); } },
  { name: 'Godunov step, β = ∞ (halo + kernel)', run: () => applyStage(op, v, v, w, 0, 1, 1e-4, bound, slopes) },
  { name: 'generic kernel, β = 10', run: () => { fillHalo(L, v, neumann); return godunovKernelGeneric(L, v, v, w, 0, 1, 1e-5, opViscous.nu, slopes); } },
  { name: 'Godunov step, β = 10', run: () => applyStage(opViscous, v, v, w, 0, 1, 1e-5, bound, slopes) },
  { name: 'generic LF kernel, β = ∞', run: () => { fillHalo(L, v, neumann); opLF.lf.alpha.set(lfBound); return laxFriedrichsKernelGeneric(L, v, v, w, 0, 1, 1e-4, 0, opLF.lf, slopes); } },
  { name: 'Lax–Friedrichs step, β = ∞', run: () => applyStage(opLF, v, v, w, 0, 1, 1e-4, lfBound, slopes) },
], grid.size, 25, ['copy', 'axpy', 'generic kernel, β = ∞']);

// Whole solve: f = |x|²/2 on [−2, 2]², T = 0.5, non-viscous, first order; exact u = |x|²/3.
const g401 = Grid.uniform([[-2, 2], [-2, 2]], [401, 401]);
const f = g401.sample((x, y) => (x * x + y * y) / 2);
const t = 0.5;
const errorOf = (u: Float64Array, radius: number) => {
  let e = 0;
  const x = g401.axis(0);
  for (let i = 0; i < 401; i++) for (let j = 0; j < 401; j++) {
    if (Math.abs(x[i]) > radius || Math.abs(x[j]) > radius) continue;
    e = Math.max(e, Math.abs(u[i * 401 + j] - (x[i] * x[i] + x[j] * x[j]) / (2 * (1 + t))));
  }
  return e;
};
for (const timeIntegrator of ['euler', 'ssp-rk2'] as const) {
  solveHJ(f, { t, timeIntegrator }); // warm-up
  const wall: number[] = [], cpu: number[] = [];
  let last = solveHJ(f, { t, timeIntegrator });
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    last = solveHJ(f, { t, timeIntegrator });
    wall.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    cpu.push((dc.user + dc.system) / 1e6);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const wallS = wall[3] / 1000, cpuS = cpu[3];
  console.log(`\n401² quadratic, T = 0.5, Godunov + ${timeIntegrator}: median wall ${wallS.toFixed(3)} s, CPU ${cpuS.toFixed(3)} s over 7 runs, ${last.steps} steps ` +
    `(${((cpuS * 1e9) / (last.steps * 401 * 401)).toFixed(1)} CPU ns per cell-step); max error ${errorOf(last.u.data, 2).toExponential(2)} (whole grid), ` +
    `${errorOf(last.u.data, 1).toExponential(2)} (|x|∞ ≤ 1); anchor hj_reachability (first order, idle machine): 0.48 s, error 6.7e-3`);
}
void sink;
