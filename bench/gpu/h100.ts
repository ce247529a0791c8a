/**
 * The real-GPU check (run by bench/gpu/run.sh on the device machine, bundled by prepare.sh):
 * prints the WebGPU adapter, then for 2048² and 4096² times one Godunov step on hardware WebGPU
 * (a createPipeline plan, data resident, one readback) against a single-core float64 CPU step in
 * the same process, and checks agreement after the same steps with the same dt; then one Cole–Hopf
 * and one Hopf–Lax pass at 2048² against the float64 solvers of src/pde. Exit 0 only if every
 * agreement check passes. Flags: --allow-software (run on llvmpipe, for rehearsal), --sizes=256,512.
 */
import { performance } from 'node:perf_hooks';
import os from 'node:os';
import { Grid } from '../../src/grids/grid.js';
import { backends, adapterLine } from '../../src/gpu/backends.js';
import { GpuEngine, asKernelInput, flattenInto } from '../../src/gpu/engine.js';
import { planHJSteps } from '../../src/gpu/solve-hj.js';
import { gpuColeHopfAsync, coleHopfWindows } from '../../src/gpu/cole-hopf.js';
import { gpuHopfLaxAsync, hopfLaxWindows } from '../../src/gpu/hopf-lax.js';
import { axisLipschitz } from '../../src/gpu/layout.js';
import { coleHopf } from '../../src/pde/cole-hopf.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';

const args = process.argv.slice(2);
const allowSoftware = args.includes('--allow-software');
const sizes = (args.find((a) => a.startsWith('--sizes='))?.slice(8) ?? '2048,4096').split(',').map(Number);
const EPS32 = 2 ** -24;
let failures = 0;
const check = (label: string, err: number, tol: number): void => {
  const ok = err <= tol;
  if (!ok) failures++;
  console.log(`  ${ok ? 'AGREE' : 'DISAGREE'} ${label}: max|Δ| = ${err.toExponential(3)} (bound ${tol.toExponential(3)})`);
};

/** Single-core float64 Godunov step, 2-D, Neumann, non-viscous: the CPU reference per step. */
function cpuStep(u: Float64Array, out: Float64Array, n0: number, n1: number, invH0: number, invH1: number, dt: number): void {
  for (let i = 0; i < n0; i++) {
    const row = i * n1, up = i > 0 ? row - n1 : row, down = i < n0 - 1 ? row + n1 : row;
    for (let j = 0; j < n1; j++) {
      const p = row + j, c = u[p];
      const l1 = j > 0 ? u[p - 1] : c, r1 = j < n1 - 1 ? u[p + 1] : c;
      const a0 = Math.max((c - u[up + j]) * invH0, 0), b0 = Math.min((u[down + j] - c) * invH0, 0);
      const a1 = Math.max((c - l1) * invH1, 0), b1 = Math.min((r1 - c) * invH1, 0);
      out[p] = c - dt * (0.5 * Math.max(a0 * a0, b0 * b0) + 0.5 * Math.max(a1 * a1, b1 * b1));
    }
  }
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => { let m = 0; for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i])); return m; };

const rows = await backends();
console.log(`node ${process.version}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}`);
for (const r of rows) console.log(`backend ${r.name}: ${r.available ? 'available' : 'unavailable'} — ${r.reason}`);
const webgpu = rows.find((r) => r.name === 'webgpu')!;
if (!webgpu.adapter || (webgpu.adapter.isSoftware && !allowSoftware)) {
  console.log(`NO HARDWARE WEBGPU ADAPTER: ${webgpu.adapter ? adapterLine(webgpu.adapter) : webgpu.reason}; nothing measured.`);
  process.exit(3);
}
console.log(`adapter: ${JSON.stringify(webgpu.adapter)}`);
const engine = new GpuEngine('webgpu');

for (const n of sizes) {
  const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
  const f = grid.sample((x, y) => 0.5 * (x * x + y * y) + 0.3 * Math.cos(3 * Math.PI * x) * Math.cos(3 * Math.PI * y));
  const plan = planHJSteps('bench', f, { t: 1, snapshots: 1 });
  const kernel = engine.kernel(plan.spec);
  const extent = plan.spec.output, f32 = Float32Array.from(f.data);
  const long = 200, short = 20;
  const runPlan = async (steps: number): Promise<{ ms: number; out: Float32Array }> => {
    const stepper = engine.stepper(kernel, steps, steps);
    await stepper(asKernelInput(f32, extent)); // build + warm
    const t0 = performance.now();
    const res = await stepper(asKernelInput(f32, extent));
    const ms = performance.now() - t0;
    const out = new Float32Array(f32.length); flattenInto(res[0], out);
    return { ms, out };
  };
  const a = await runPlan(short), b = await runPlan(long);
  const gpuPerStep = (b.ms - a.ms) / (long - short);
  // CPU float64 reference: same dt, `short` steps timed.
  let u: Float64Array = Float64Array.from(f.data), v: Float64Array = new Float64Array(u.length);
  const t0 = performance.now();
  for (let s = 0; s < short; s++) { cpuStep(u, v, n, n, 1 / grid.spacing[0], 1 / grid.spacing[1], plan.dt); [u, v] = [v, u]; }
  const cpuPerStep = (performance.now() - t0) / short;
  console.log(`\nHJ Godunov step ${n}²: webgpu ${gpuPerStep.toFixed(3)} ms/step (200-step plan ${b.ms.toFixed(1)} ms incl. upload+readback), CPU float64 1 core ${cpuPerStep.toFixed(2)} ms/step → ${(cpuPerStep / gpuPerStep).toFixed(1)}× (goal ≥ 20× at 2048²)`);
  check(`u after ${short} steps vs float64`, maxDiff(a.out, u), 10 * (short + 1) * EPS32 * f.normInf());
}

{
  const n = Math.min(2048, sizes[0]);
  const grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]);
  const f = grid.sample((x, y) => 0.5 * (x * x + y * y) + 0.3 * Math.cos(3 * Math.PI * x) * Math.cos(3 * Math.PI * y));
  const t = 0.05, beta = t / (3 * grid.spacing[0]) ** 2; // σ = √(t/β) = 3h: window 2·8·3 + 1 = 49 points per axis
  await gpuColeHopfAsync(f, t, beta, { backend: 'webgpu', engine });
  let t0 = performance.now();
  const g = await gpuColeHopfAsync(f, t, beta, { backend: 'webgpu', engine });
  const gpuMs = performance.now() - t0;
  t0 = performance.now();
  const c = coleHopf(f, t, beta);
  const cpuMs = performance.now() - t0;
  const w = coleHopfWindows(f, t, beta, 8), r2 = w.reduce((s, wk, k) => s + (wk * grid.spacing[k]) ** 2, 0);
  console.log(`\nCole–Hopf pass ${n}² (β=${beta.toFixed(0)}, t=${t}, windows ${w}): webgpu ${gpuMs.toFixed(1)} ms, CPU float64 ${cpuMs.toFixed(1)} ms → ${(cpuMs / gpuMs).toFixed(1)}×`);
  check('u vs src/pde coleHopf', maxDiff(g.u.data, c.u.data), EPS32 * (12 * (f.normInf() + r2 / (2 * t)) + (2 * (2 * Math.max(...w) + 1)) / beta) + 1e-8);

  const th = 0.05;
  await gpuHopfLaxAsync(f, th, { backend: 'webgpu', engine });
  t0 = performance.now();
  const gh = await gpuHopfLaxAsync(f, th, { backend: 'webgpu', engine });
  const gpuH = performance.now() - t0;
  t0 = performance.now();
  const ch = hopfLax(f, th);
  const cpuH = performance.now() - t0;
  const wh = hopfLaxWindows(f, th), rh = wh.reduce((s, wk, k) => s + (wk * grid.spacing[k]) ** 2, 0);
  console.log(`\nHopf–Lax pass ${n}² (t=${th}, windows ${wh}, Lipschitz ${axisLipschitz(grid, f.data).map((x) => x.toFixed(2))}): webgpu ${gpuH.toFixed(1)} ms, CPU float64 (linear-time envelope) ${cpuH.toFixed(1)} ms → ${(cpuH / gpuH).toFixed(1)}×`);
  check('u vs src/pde hopfLax', maxDiff(gh.u.data, ch.u.data), 8 * EPS32 * (f.normInf() + rh / (2 * th)));
}
engine.destroy();
console.log(failures === 0 ? '\nALL AGREEMENT CHECKS PASSED' : `\n${failures} AGREEMENT CHECK(S) FAILED`);
process.exit(failures === 0 ? 0 : 1);
