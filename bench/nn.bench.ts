// Network backend: ms per minibatch gradient (batch 128) for mnistfc and LeNet on every engine —
// tfjs-wasm, our wasm-simd GEMM engine on 1 and 2 threads, plain TS — in interleaved rounds of the
// same run (wall and this process's CPU time; CPU time moves less with the machine's load, and is
// the honest single-thread number: with 2 threads it counts both); GFLOP/s of the wasm GEMM on the
// mnistfc products (the three transposition cases a dense layer needs); the tfjs product-level
// choices behind the layers, each beside the earlier path; and, with NN_BENCH_BASELINE=<commit>,
// the whole gradient of that commit's src/nn beside today's (tfjs and wasm-simd engines, wall and CPU time).
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import * as nn from '../src/nn/index.js';
import { createEngine, mnistSplit, tsEngine, wasmSimdEngine, type MatmulEngine, type Network } from '../src/nn/index.js';
import { transpose } from '../src/nn/engine.js';
import { Rng } from '../src/util/random.js';
import { runSuite } from './harness.js';

const wasm = await createEngine('wasm');
const simd1 = wasmSimdEngine({ threads: 1 }), simd2 = wasmSimdEngine({ threads: 2 });
const { train } = mnistSplit();
let torch = 'PyTorch: not on this machine (python3 -c "import torch" fails); anchor from the issue: ~6 ms for the mnistfc gradient, 1 thread, other machine';
try { execFileSync('python3', ['-c', 'import torch'], { stdio: 'ignore' }); torch = 'PyTorch: installed, timed beside ours by `npm run bench -- torch`'; } catch { /* absent */ }
console.log(`tfjs wasm engine: SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}, threads ${wasm.threads}; wasm-simd: fused multiply-add ${simd1.fused}; ${torch}`);

/** The wasm engine as first written: fresh tensors, dataSync (a copy) and a second copy into `out`. */
const wasmBefore: MatmulEngine = {
  name: 'wasm', threads: 1, packsRight: true,
  matmul(a, b, m, k, n, out) {
    const ta = tf.tensor2d(a.subarray(0, m * k), [m, k]), tb = tf.tensor2d(b.subarray(0, k * n), [k, n]);
    const tc = tf.matMul(ta, tb);
    out.set(tc.dataSync() as Float32Array);
    ta.dispose(); tb.dispose(); tc.dispose();
  },
};

/** The transpose as first written: 32×32 tiles, one entry at a time. */
function transposeBefore(src: Float32Array, rows: number, cols: number, dst: Float32Array): void {
  for (let i0 = 0; i0 < rows; i0 += 32) for (let j0 = 0; j0 < cols; j0 += 32) {
    const i1 = Math.min(rows, i0 + 32), j1 = Math.min(cols, j0 + 32);
    for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) dst[j * rows + i] = src[i * cols + j];
  }
}

type Api = typeof nn;
function gradientCase(name: string, api: Api, model: 'mnistfc' | 'lenet', engine: MatmulEngine) {
  const net: Network = api[model]({ engine, seed: 1 });
  const { oracle } = api.networkOracle(net, train, { batchSize: 128, seed: 1 });
  const grad = new Float32Array(net.paramCount);
  return { name, run: () => oracle(net.params, grad) };
}

const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];

/** Interleaved rounds (every case once per round, after two warm-up calls); medians of wall and CPU ms. */
function interleaved(title: string, cases: { name: string; run: () => unknown; rounds?: number }[], rounds: number) {
  cases.forEach((c) => { c.run(); c.run(); });
  const wall: number[][] = cases.map(() => []), used: number[][] = cases.map(() => []);
  for (let r = 0; r < rounds; r++) cases.forEach((c, i) => {
    if (r >= (c.rounds ?? rounds)) return;
    const t0 = performance.now(), c0 = cpu();
    c.run();
    wall[i].push(performance.now() - t0); used[i].push(cpu() - c0);
  });
  const min = (v: number[]) => Math.min(...v);
  console.log(`\n## ${title}\n| engine | wall ms min / median | CPU ms min / median | rounds | median wall speed-up vs "${cases[0].name}" |\n|---|---:|---:|---:|---:|`);
  cases.forEach((c, i) => console.log(`| ${c.name} | ${min(wall[i]).toFixed(1)} / ${median(wall[i]).toFixed(1)} | ${min(used[i]).toFixed(1)} / ${median(used[i]).toFixed(1)} | ${wall[i].length} | ${(median(wall[0]) / median(wall[i])).toFixed(2)}× |`));
  return cases.map((_, i) => ({ wall: median(wall[i]), cpu: median(used[i]) }));
}

for (const [name, model] of [['mnistfc', 'mnistfc'], ['LeNet', 'lenet']] as const) {
  const r = interleaved(`${name}: one minibatch gradient (batch 128, forward + hand-written backward), interleaved rounds`, [
    gradientCase('tfjs wasm', nn, model, wasm), gradientCase('wasm-simd, 1 thread', nn, model, simd1),
    gradientCase('wasm-simd, 2 threads', nn, model, simd2), { ...gradientCase('plain TS', nn, model, tsEngine), rounds: 3 },
  ], 25);
  if (name === 'mnistfc') console.log(`mnistfc vs the issue's PyTorch anchor (6 ms on another machine; the same-run comparison is \`npm run bench -- torch\`): wasm-simd 1 thread ${(r[1].cpu / 6).toFixed(1)}× (CPU), 2 threads ${(r[2].wall / 6).toFixed(1)}× (wall); goal ≤ 5×`);
}

// GEMM throughput on the mnistfc products, operands in the engine's memory: Y = X·W, ∂W = Xᵀ·∂Y, ∂X = ∂Y·Wᵀ.
const gemmRows: string[] = [];
for (const [label, tA, tB, m, k, n] of [
  ['Y = X·W, 128×784 · 784×1024', false, false, 128, 784, 1024], ['Y = X·W, 128×1024 · 1024×1024', false, false, 128, 1024, 1024],
  ['∂W = Xᵀ·∂Y, (128×1024)ᵀ · 128×1024', true, false, 1024, 128, 1024], ['∂X = ∂Y·Wᵀ, 128×1024 · (1024×1024)ᵀ', false, true, 128, 1024, 1024],
] as const) {
  const flop = 2 * m * k * n, stats: string[] = [];
  for (const engine of [wasmSimdEngine({ threads: 1, fma: false }), simd1, simd2]) {
    const a = engine.alloc(m * k).fill(0.5), b = engine.alloc(k * n).fill(0.25), c = engine.alloc(m * n);
    const run = () => engine.gemm(tA, tB, a, b, m, k, n, c);
    run(); run();
    const wall: number[] = [], used: number[] = [];
    for (let r = 0; r < 15; r++) { const t0 = performance.now(), c0 = cpu(); run(); wall.push(performance.now() - t0); used.push(cpu() - c0); }
    stats.push(engine.threads === 1 ? `${(flop / median(used) / 1e6).toFixed(1)}` : `${(flop / median(wall) / 1e6).toFixed(1)}`);
  }
  gemmRows.push(`| ${label} | ${stats.join(' | ')} |`);
}
console.log('\n## wasm GEMM GFLOP/s on the mnistfc products (median of 15; 1 thread: per CPU second, 2 threads: per wall second)');
console.log('| product | 1 thread, mul + add | 1 thread, fused | 2 threads, fused (wall) |\n|---|---:|---:|---:|');
gemmRows.forEach((r) => console.log(r));

// Products over the nonzero entries of a mostly-zero left operand (sparseGemm) beside gemm on the
// same operands, 1 thread, CPU ms (median of 15): the first layer's x (MNIST after dropout: ~15 %
// nonzero) and a ReLU/dropout ∂y at 20–40 % nonzero (mnistfc's hidden layer: 40 %).
{
  const rng = new Rng(1), e = simd1;
  const mostlyZero = (n: number, d: number) => { const v = e.alloc(n); for (let i = 0; i < n; i++) v[i] = rng.uniform() < d ? rng.uniform() - 0.5 : 0; return v; };
  const timed = (run: () => unknown) => { run(); run(); const used: number[] = []; for (let r = 0; r < 15; r++) { const c0 = cpu(); run(); used.push(cpu() - c0); } return median(used); };
  const rows: string[] = [];
  for (const [label, tA, tB, tC, m, k, n, d] of [
    ['Y1 = x·W1, x 15 % nonzero, 128×784 · 784×1024', false, false, false, 128, 784, 1024, 0.15],
    ['∂W1 = xᵀ·∂y1, x 15 % nonzero, (128×784)ᵀ · 128×1024', true, false, false, 784, 128, 1024, 0.15],
    ...[0.2, 0.3, 0.4].flatMap((d) => [
      [`∂W2ᵀ = ∂yᵀ·x (written transposed), ∂y ${100 * d} % nonzero, 1024×128 · 128×1024`, true, false, true, 1024, 128, 1024, d],
      [`∂x2 = ∂y·W2ᵀ, ∂y ${100 * d} % nonzero, 128×1024 · (1024×1024)ᵀ`, false, true, false, 128, 1024, 1024, d]]),
  ] as [string, boolean, boolean, boolean, number, number, number, number][]) {
    const a = mostlyZero(m * k, d), b = mostlyZero(k * n, 1), out = e.alloc(m * n), full = e.alloc(m * n);
    const dense = tC ? timed(() => e.gemm(!tB, !tA, b, a, n, k, m, full)) : timed(() => e.gemm(tA, tB, a, b, m, k, n, full));
    const sparse = timed(() => e.sparseGemm(tA, tB, a, b, m, k, n, out, 1, tC));
    rows.push(`| ${label} | ${dense.toFixed(2)} | ${sparse.toFixed(2)} | ${(dense / sparse).toFixed(2)}× |`);
  }
  console.log('\n## Products over the nonzero entries of the left operand (sparseGemm) vs gemm, 1 thread, CPU ms (median of 15)');
  console.log('| product | gemm | sparseGemm | speed-up |\n|---|---:|---:|---:|');
  rows.forEach((r) => console.log(r));
}

const [m, k, n] = [128, 1024, 1024];
const x = new Float32Array(m * k).fill(0.5), w = new Float32Array(k * n).fill(0.25), y = new Float32Array(m * n), yT = new Float32Array(n * m);
const wT = new Float32Array(k * n), xT = new Float32Array(k * m), big = new Float32Array(k * n);
const tx = tf.tensor2d(x, [m, k]), tw = tf.tensor2d(w, [k, n]);
runSuite('128×1024 · 1024×1024 products (the mnistfc hidden layer; x batch × in, W in × out)', [
  { name: 'first wasm engine: x·W (packs W; dataSync + copy)', run: () => wasmBefore.matmul(x, w, m, k, n, y) },
  { name: 'wasm engine: x·W (packs W; one heap copy)', run: () => wasm.matmul(x, w, m, k, n, y) },
  { name: 'wasm engine: JS Wᵀ, xᵀ, then Wᵀ·xᵀ (packs xᵀ)', run: () => { transpose(w, k, n, wT); transpose(x, m, k, xT); wasm.matmul(wT, xT, n, k, m, yT); } },
  { name: 'wasm-simd engine, 1 thread: x·W (plain arrays, copied in and out)', run: () => simd1.matmul(x, w, m, k, n, y) },
  { name: 'tf.matMul(x, Wᵀ tensor, transposeB)', run: () => tf.tidy(() => tf.matMul(tx, tw, false, true).dataSync()) },
  { name: 'tf.matMul(xᵀ tensor, x, transposeA)', run: () => tf.tidy(() => tf.matMul(tx, tx, true, false).dataSync()) },
  { name: 'xᵀ·∂y via JS transpose + product (∂W)', run: () => { transpose(x, m, k, xT); wasm.matmul(xT, y, k, m, n, big); } },
], { warmup: 1, reps: 5, maxMs: 15_000 });

const src = new Float32Array(k * n).map((_, i) => i), dst = new Float32Array(k * n);
runSuite('transpose of a 1024×1024 float32 matrix', [
  { name: '32×32 tiles, one entry at a time (first version)', run: () => transposeBefore(src, k, n, dst) },
  { name: '32×32 tiles of 4×4 blocks (transpose)', run: () => transpose(src, k, n, dst) },
], { warmup: 1, reps: 9, maxMs: 5_000 });

const baseline = process.env.NN_BENCH_BASELINE;
if (baseline) {
  // The baseline commit's src/ goes under the repository's ignored runs/ (so its imports resolve).
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = path.join(root, 'runs', 'nn-bench-baseline', baseline.replace(/[^0-9A-Za-z._-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  execFileSync('sh', ['-c', 'git archive "$1" src wasm/build | tar -x -C "$2"', 'sh', baseline, dir], { cwd: root });
  const before = (await import(pathToFileURL(path.join(dir, 'src/nn/index.ts')).href)) as Api;
  // The baseline's wasm-simd engines (its own kernels, from its wasm/build), if it has them.
  const simdBefore = 'wasmSimdEngine' in before ? [before.wasmSimdEngine({ threads: 1 }), before.wasmSimdEngine({ threads: 2 })] : [];
  for (const model of ['mnistfc', 'lenet'] as const) {
    const cases = [gradientCase('tfjs wasm, before', before, model, wasmBefore), gradientCase('tfjs wasm, now', nn, model, wasm)];
    simdBefore.forEach((e, t) => cases.push(gradientCase(`wasm-simd ${t + 1} thread(s), before`, before, model, e), gradientCase(`wasm-simd ${t + 1} thread(s), now`, nn, model, t ? simd2 : simd1)));
    cases.forEach((c) => { c.run(); c.run(); });
    const wall: number[][] = cases.map(() => []), used: number[][] = cases.map(() => []);
    for (let r = 0; r < 15; r++) cases.forEach((c, i) => { const t0 = performance.now(), c0 = cpu(); c.run(); wall[i].push(performance.now() - t0); used[i].push(cpu() - c0); });
    console.log(`\n## ${model} gradient, ${baseline} vs now (15 interleaved rounds)\n| | wall ms min / median | CPU ms min / median |\n|---|---:|---:|`);
    cases.forEach((c, i) => console.log(`| ${c.name} | ${Math.min(...wall[i]).toFixed(1)} / ${median(wall[i]).toFixed(1)} | ${Math.min(...used[i]).toFixed(1)} / ${median(used[i]).toFixed(1)} |`));
  }
}
