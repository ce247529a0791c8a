// temporary: outside-oracle wall time of noisy Entropy-SGD on mnistfc
import { performance } from 'node:perf_hooks';
import { entropySGD, type GradientOracle, type Optimizer, type Vector } from '../src/optim/index.js';
import { mnistfc, mnistSplit, networkOracle } from '../src/nn/index.js';
import { setOptimizerThreads } from '../src/optim/threads.js';
type Opt = Optimizer<unknown>;
const net = mnistfc({ seed: 1 }); const { train } = mnistSplit();
const { oracle } = networkOracle(net, train, { batchSize: 128, seed: 1 });
const n = net.paramCount, gradOnly = (net.engine as any).alloc?.(n) ?? new Float32Array(n);
const cases: [string, Opt][] = [
  ['noiseless', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5 }) as Opt],
  ['simd', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8, normals: 'simd' }) as Opt],
  ['parallel', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8, normals: 'parallel' }) as Opt],
];
setOptimizerThreads(2);
const best: Record<string, number> = {}; let G = Infinity;
for (const [, o] of cases) o.step(net.params, oracle);
for (let r = 0; r < Number(process.env.ROUNDS ?? 4); r++) {
  for (const [name, opt] of cases) {
    let inside = 0;
    const wrapped = ((xv: Vector, g: Vector) => { if (xv !== net.params) net.params.set(xv); const t0 = performance.now(); const f = oracle(net.params, g); inside += performance.now() - t0; return f; }) as GradientOracle;
    const w0 = performance.now(); opt.step(net.params, wrapped); const out = performance.now() - w0 - inside;
    best[name] = Math.min(best[name] ?? Infinity, out);
  }
  const a0 = performance.now(); for (let i = 0; i < 5; i++) oracle(net.params, gradOnly); G = Math.min(G, (performance.now() - a0) / 5);
}
for (const [name] of cases) console.log(`${name}: ${(best[name] * 1e6 / n / 5).toFixed(2)} ns/param/eval, ${(best[name] / 5 / G * 100).toFixed(1)} % at G = ${G.toFixed(1)} ms`);
