/**
 * gpu.js backends against the float64 CPU solvers, same run: time per HJ step (2-D Godunov, kept
 * on the device in a createPipeline plan), per Cole–Hopf pass and per Hopf–Lax pass, on every
 * available gpu.js backend, with the ratio to the CPU reference and the backend's adapter.
 * Sizes are for a 2-core CPU machine; the real-GPU sizes live in bench/gpu/ (H100 script).
 */
import { performance } from 'node:perf_hooks';
import { Grid } from '../src/grids/grid.js';
import { backends } from '../src/gpu/backends.js';
import { GpuEngine, asKernelInput } from '../src/gpu/engine.js';
import { planHJSteps } from '../src/gpu/solve-hj.js';
import { gpuColeHopfAsync } from '../src/gpu/cole-hopf.js';
import { gpuHopfLaxAsync } from '../src/gpu/hopf-lax.js';
import { solveHJ } from '../src/pde/solve-hj.js';
import { coleHopf } from '../src/pde/cole-hopf.js';
import { hopfLax } from '../src/pde/hopf-lax.js';

const n = Number(process.env.GPU_BENCH_N ?? 256);
const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
const f = grid.sample((x, y) => 0.5 * (x * x + y * y) + 0.3 * Math.cos(3 * Math.PI * x) * Math.cos(3 * Math.PI * y));

async function median(run: () => Promise<unknown> | unknown, reps = 3): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); await run(); times.push(performance.now() - t0); }
  return times.sort((a, b) => a - b)[Math.floor(reps / 2)];
}

const rows = (await backends()).filter((r) => r.available && r.mode !== null && r.name !== 'gpu');
for (const r of rows) console.log(`- ${r.name}: ${r.reason}`);

// CPU float64 reference: the src/pde solvers.
const cpuSolve = solveHJ(f, { t: 0.01 });
const cpuStepMs = (await median(() => solveHJ(f, { t: 0.01 }))) / cpuSolve.steps;
const t = 0.05, beta = t / (3 * grid.spacing[0]) ** 2;
const cpuColeMs = await median(() => coleHopf(f, t, beta));
const cpuHopfMs = await median(() => hopfLax(f, t));

console.log(`\n## gpu.js backends vs float64 CPU, ${n}² (medians; ratio = CPU time / backend time, > 1 is faster)`);
console.log('| kernel | backend | ms | CPU float64 ms | ratio |');
console.log('|---|---|---:|---:|---:|');
console.log(`| HJ Godunov step | cpu (float64, src/pde) | ${cpuStepMs.toFixed(3)} | ${cpuStepMs.toFixed(3)} | 1.00× |`);
for (const r of rows) {
  const engine = new GpuEngine(r.mode!);
  const plan = planHJSteps('bench', f, { t: 1 });
  const kernel = engine.kernel(plan.spec);
  const f32 = Float32Array.from(f.data);
  const steps = 40;
  const stepper = engine.stepper(kernel, steps, steps);
  const stepMs = (await median(() => stepper(asKernelInput(f32, plan.spec.output)))) / steps;
  const coleMs = await median(() => gpuColeHopfAsync(f, t, beta, { backend: r.name, engine }));
  const hopfMs = await median(() => gpuHopfLaxAsync(f, t, { backend: r.name, engine }));
  console.log(`| HJ Godunov step (${steps}-step plan, upload+readback included) | ${r.name} | ${stepMs.toFixed(3)} | ${cpuStepMs.toFixed(3)} | ${(cpuStepMs / stepMs).toFixed(2)}× |`);
  console.log(`| Cole–Hopf pass (σ = 3h, window 49) | ${r.name} | ${coleMs.toFixed(1)} | ${cpuColeMs.toFixed(1)} | ${(cpuColeMs / coleMs).toFixed(2)}× |`);
  console.log(`| Hopf–Lax pass | ${r.name} | ${hopfMs.toFixed(1)} | ${cpuHopfMs.toFixed(1)} | ${(cpuHopfMs / hopfMs).toFixed(2)}× |`);
  engine.destroy();
}
