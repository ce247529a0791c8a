// Monotone FD schemes: one Godunov step on 1024² (float64, one core), WebAssembly SIMD and JS kernels,
// against a copy and an axpy over the same arrays (native Float64Array.set, wasm memory.copy, a wasm
// f64x2 axpy and a JS axpy: the memory-bandwidth bound) and against the generic (pre-specialisation)
// JS kernel kept in test/reference, then the whole non-viscous 401² quadratic solve with each kernel.
// The cases run interleaved (round-robin), so a change of machine load hits all of them alike; each
// row gives the median wall time and the median and least CPU time of the process (user + system,
// which excludes the time the process waited for a core on a loaded machine).
import { performance } from 'node:perf_hooks';
import { Grid } from '../src/grids/grid.js';
import { fillHalo, paddedLayout, toPadded } from '../src/pde/padded-grid.js';
import { neumann } from '../src/grids/boundary.js';
import { applyStage, hjOperator } from '../src/pde/time-step.js';
import { solveHJ } from '../src/pde/solve-hj.js';
import { hjWasmStages } from '../src/pde/hj-step-wasm.js';
import { godunovKernelGeneric } from '../test/reference/godunov-kernel-generic.js';

interface Blas1 { copyF64(n: number, px: number, py: number): void; axpyF64(n: number, a: number, px: number, py: number): void }

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
  const wallMed = wall.map(median), cpuMed = cpu.map(median), cpuMin = cpu.map((xs) => Math.min(...xs));
  const ref = ratiosTo.map((name) => cases.findIndex((c) => c.name === name));
  console.log(`\n## ${title} (${rounds} interleaved rounds)`);
  console.log('Ratios of the least-disturbed round (min CPU time) of each case; in parentheses, of the medians.');
  console.log(`| case | wall ns/cell-step (median) | CPU ns/cell-step (median) | CPU ns/cell-step (min) | ${ratiosTo.map((n) => `CPU time / "${n}"`).join(' | ')} |`);
  console.log(`|---|---:|---:|---:|${ratiosTo.map(() => '---:').join('|')}|`);
  cases.forEach((c, i) => {
    const ratios = ref.map((j) => `${(cpuMin[i] / cpuMin[j]).toFixed(2)}× (${(cpuMed[i] / cpuMed[j]).toFixed(2)}×)`);
    console.log(`| ${c.name} | ${ns(wallMed[i])} | ${ns(cpuMed[i])} | ${ns(cpuMin[i])} | ${ratios.join(' | ')} |`);
  });
}

const n = 1024;
const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
const L = paddedLayout(grid, 'bench');
// Every array of the step rows lives in one WasmArena (the solver's own layout), so the copy, the axpy
// and both kernels stream over the same memory.
const stages = hjWasmStages(L, 2);
const [v, w] = stages.buffers;
const blas = stages.arena.instantiate<Blas1>('blas1');
const godunov = (beta: number, wasm: boolean) => hjOperator(L, { scheme: 'godunov', beta, boundary: neumann, dissipation: 'global', hamiltonian: null, wasm: wasm ? stages : null });
const op = godunov(Infinity, false), opViscous = godunov(10, false), opWasm = godunov(Infinity, true), opWasmViscous = godunov(10, true);
const lf = (wasm: boolean) => hjOperator(L, { scheme: 'lax-friedrichs', beta: Infinity, boundary: neumann, dissipation: 'global', hamiltonian: null, wasm: wasm ? stages : null });
const opLF = lf(false), opLFWasm = lf(true);
toPadded(L, grid.sample((x, y) => (x * x + y * y) / 2 + 0.3 * Math.cos(3 * Math.PI * x)).data, v);
fillHalo(L, v, neumann);
const bound = new Float64Array(3), slopes = new Float64Array(3);
const lfBound = new Float64Array([0, 4, 4]); // ≥ max |D u| ≈ 2 + 0.9π on [−2, 2]²
const pv = v.byteOffset, pw = w.byteOffset, len = v.length;
interleaved(`Godunov forward-Euler step, ${n}² float64, one core (padded ${n + 2}²)`, [
  { name: 'copy', run: () => { w.set(v); return w[7]; } },
  { name: 'wasm copy', run: () => { blas.copyF64(len, pv, pw); return w[7]; } },
  { name: 'wasm axpy', run: () => { blas.axpyF64(len, 0.5, pv, pw); return w[7]; } },
  { name: 'JS axpy', run: () => { for (let p = 0; p < w.length; p++) w[p] += 0.5 * v[p]; return w[7]; } },
  { name: 'generic JS kernel, β = ∞', run: () => { fillHalo(L, v, neumann); return godunovKernelGeneric(L, v, v, w, 0, 1, 1e-4, 0, slopes); } },
  { name: 'JS Godunov step, β = ∞ (halo + kernel)', run: () => applyStage(op, v, v, w, 0, 1, 1e-4, bound, slopes) },
  { name: '**wasm Godunov step, β = ∞** (halo + kernel)', run: () => applyStage(opWasm, v, v, w, 0, 1, 1e-4, bound, slopes) },
  { name: 'JS Godunov step, β = 10', run: () => applyStage(opViscous, v, v, w, 0, 1, 1e-5, bound, slopes) },
  { name: '**wasm Godunov step, β = 10**', run: () => applyStage(opWasmViscous, v, v, w, 0, 1, 1e-5, bound, slopes) },
  { name: 'JS Lax–Friedrichs step, β = ∞', run: () => applyStage(opLF, v, v, w, 0, 1, 1e-4, lfBound, slopes) },
  { name: '**wasm Lax–Friedrichs step, β = ∞**', run: () => applyStage(opLFWasm, v, v, w, 0, 1, 1e-4, lfBound, slopes) },
], grid.size, 40, ['copy', 'wasm copy', 'JS Godunov step, β = ∞ (halo + kernel)']);

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
for (const timeIntegrator of ['euler', 'ssp-rk2'] as const) for (const kernel of ['wasm', 'js'] as const) {
  solveHJ(f, { t, timeIntegrator, kernel }); // warm-up
  const wall: number[] = [], cpu: number[] = [];
  let last = solveHJ(f, { t, timeIntegrator, kernel });
  for (let r = 0; r < 7; r++) {
    const c0 = process.cpuUsage(), t0 = performance.now();
    last = solveHJ(f, { t, timeIntegrator, kernel });
    wall.push(performance.now() - t0);
    const dc = process.cpuUsage(c0);
    cpu.push((dc.user + dc.system) / 1e6);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const wallS = wall[3] / 1000, cpuS = cpu[3];
  console.log(`\n401² quadratic, T = 0.5, Godunov + ${timeIntegrator}, ${kernel} kernel: median wall ${wallS.toFixed(3)} s, CPU ${cpuS.toFixed(3)} s over 7 runs, ${last.steps} steps ` +
    `(${((cpuS * 1e9) / (last.steps * 401 * 401)).toFixed(1)} CPU ns per cell-step); max error ${errorOf(last.u.data, 2).toExponential(2)} (whole grid), ` +
    `${errorOf(last.u.data, 1).toExponential(2)} (|x|∞ ≤ 1); anchor hj_reachability (first order, idle machine): 0.48 s, error 6.7e-3`);
}
void sink;
