// Network backend: ms per minibatch gradient (batch 128) for mnistfc and LeNet, tfjs-wasm engine vs
// the plain-TS engine in the same run; and the matrix-product choices behind the engine (plain
// product vs tfjs's transposed products vs a JS transpose + plain product).
import * as tf from '@tensorflow/tfjs-core';
import { createEngine, lenet, mnistfc, mnistSplit, networkOracle, tsEngine, type MatmulEngine, type Network } from '../src/nn/index.js';
import { transpose } from '../src/nn/engine.js';
import { runSuite } from './harness.js';

const wasm = await createEngine('wasm');
const { train } = mnistSplit();
console.log(`wasm engine: SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}, threads ${wasm.threads} (Node has no wasm threads for tfjs); PyTorch: not on this machine (anchor from the issue: ~6 ms for the mnistfc gradient, 1 thread, other machine)`);

function gradientCase(name: string, make: (engine: MatmulEngine) => Network, engine: MatmulEngine) {
  const net = make(engine);
  const { oracle } = networkOracle(net, train, { batchSize: 128, seed: 1 });
  const grad = new Float32Array(net.paramCount);
  return { name: `${name}, ${engine.name} engine`, run: () => oracle(net.params, grad) };
}

for (const [name, make] of [['mnistfc', (engine: MatmulEngine) => mnistfc({ engine, seed: 1 })], ['LeNet', (engine: MatmulEngine) => lenet({ engine, seed: 1 })]] as const) {
  const results = runSuite(`${name}: one minibatch gradient (batch 128, forward + hand-written backward)`, [
    gradientCase(name, make, tsEngine), gradientCase(name, make, wasm),
  ], { warmup: 1, reps: 5, maxMs: 20_000 });
  if (name === 'mnistfc') console.log(`mnistfc wasm vs the PyTorch anchor (6 ms, not measured here): ${(results[1].medianMs / 6).toFixed(1)}× slower (goal ≤ 5×)`);
}

const [m, k, n] = [128, 1024, 1024];
const a = new Float32Array(m * k).fill(0.5), b = new Float32Array(k * n).fill(0.25), out = new Float32Array(k * n), bt = new Float32Array(k * n), at = new Float32Array(k * m);
const ta = tf.tensor2d(a, [m, k]), tb = tf.tensor2d(b, [k, n]);
runSuite('128×1024 · 1024×1024 products (the mnistfc hidden layer)', [
  { name: 'ts engine a·b', run: () => tsEngine.matmul(a, b, m, k, n, out) },
  { name: 'wasm a·b', run: () => wasm.matmul(a, b, m, k, n, out) },
  { name: 'wasm a·bᵀ via tf.matMul(transposeB)', run: () => tf.tidy(() => tf.matMul(ta, tb, false, true).dataSync()) },
  { name: 'wasm a·bᵀ via JS transpose + a·b', run: () => { transpose(b, k, n, bt); wasm.matmul(a, bt, m, k, n, out); } },
  { name: 'wasm aᵀ·a via tf.matMul(transposeA)', run: () => tf.tidy(() => tf.matMul(ta, ta, true, false).dataSync()) },
  { name: 'wasm aᵀ·a via JS transpose + product', run: () => { transpose(a, m, k, at); wasm.matmul(at, a, k, m, k, out); } },
], { warmup: 1, reps: 5, maxMs: 15_000 });
