/**
 * The Deep Relaxation paper's MNIST experiments (paper-notes §7): SGD, Entropy-SGD, HJ and HEAT
 * (optionally Elastic-SGD and SAM) on mnistfc and LeNet through the sampled-gradient backend,
 * reporting validation error % vs effective epochs (gradient evaluations / minibatches per epoch).
 *
 *   npx tsx notebooks/mnist-experiments.ts --quick          # < 1 minute (CI smoke test)
 *   npx tsx notebooks/mnist-experiments.ts                  # full preset (CPU-sized; see docs/networks.md)
 *   options: --networks mnistfc,lenet  --algorithms sgd,entropy-sgd,hj,heat,elastic-sgd,sam
 *            --seeds 1,2  --epochs N (both networks)  --out DIR  --engine wasm-simd|wasm|ts (wasm-simd: our SIMD GEMM on two threads; wasm: tfjs-wasm)
 *            --summary-only (rebuild table, CSV and figures from <out>/runs/*.json)
 *
 * Writes to notebooks/results/mnist/<preset>/: runs/<network>-<algorithm>-seed<k>.json (settings,
 * seeds, history), history.csv, table.md, summary.json and (when src/plot renders) curve figures.
 * Ctrl-C stops the current run after its step, writes a checkpoint and the partial results.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createEngine, lenet, mnistfc, mnistSplit, stratifiedIndices, subset, train, type EngineName, type Network, type Split, type TrainResult } from '../src/nn/index.js';
import { entropySGD, fromReference, heat, hj, hjFromReference, sam, sgd, elasticSGD, type Optimizer } from '../src/optim/index.js';

type NetworkName = 'mnistfc' | 'lenet';
type AlgorithmName = 'sgd' | 'entropy-sgd' | 'hj' | 'heat' | 'elastic-sgd' | 'sam';

interface Preset {
  name: 'quick' | 'full';
  trainSize: number; testSize: number; calibrationSize: number;
  epochs: Record<NetworkName, number>;
  /** Inner iterations per network for Entropy-SGD / HEAT and for HJ. */
  innerSteps: Record<NetworkName, { esgd: number; hj: number }>;
  networks: NetworkName[]; algorithms: AlgorithmName[]; seeds: number[];
}

const PRESETS: Record<'quick' | 'full', Preset> = {
  quick: {
    name: 'quick', trainSize: 512, testSize: 250, calibrationSize: 256, epochs: { mnistfc: 1, lenet: 1 },
    innerSteps: { mnistfc: { esgd: 3, hj: 3 }, lenet: { esgd: 3, hj: 3 } },
    networks: ['mnistfc', 'lenet'], algorithms: ['sgd', 'entropy-sgd', 'hj', 'heat'], seeds: [1],
  },
  full: {
    // CPU-sized (2 shared cores): the paper's 100–200 effective epochs are out of reach here.
    name: 'full', trainSize: 8000, testSize: 2000, calibrationSize: 2000, epochs: { mnistfc: 10, lenet: 10 },
    innerSteps: { mnistfc: { esgd: 20, hj: 5 }, lenet: { esgd: 10, hj: 5 } },
    networks: ['mnistfc', 'lenet'], algorithms: ['sgd', 'entropy-sgd', 'hj', 'heat'], seeds: [1, 2, 3],
  },
};

/** The paper's numbers (authors' notes, paper-notes §7.3): error % @ effective epochs, full MNIST (60k/10k). */
const PAPER: Record<NetworkName, Partial<Record<AlgorithmName, string>>> = {
  mnistfc: { 'entropy-sgd': '1.08 ± 0.02 @ 120', sgd: '1.10 ± 0.01 @ 194', hj: '1.17 ± 0.04 @ 200', heat: '1.15 ± 0.03 @ 70' },
  lenet: { 'entropy-sgd': '0.50 ± 0.01 @ 80', sgd: '0.50 ± 0.02 @ 67', hj: '0.50 ± 0.01 @ 70', heat: '0.59 ± 0.01 @ 100' },
};

const COLORS: Record<AlgorithmName, string> = { sgd: 'black', 'entropy-sgd': 'firebrick', hj: 'forestgreen', heat: 'magenta', 'elastic-sgd': 'royalblue', sam: 'darkorange' };

/**
 * The optimizer settings (plain data, written beside the results) and the optimizer itself.
 * SGD: the reference baseline (lr 0.1, Nesterov 0.9), constant lr over our short budgets.
 * Entropy-SGD / HEAT: the DR code's ESGD (fromReference: coupling form, inner Nesterov 0.9,
 * llr 0.1, eps 1e-4, scoping g0/g1 as main.py and the LeNet note) with the Lua schedule's
 * first-epochs outer lr = 1 and no outer momentum (x ← μ), since our budgets are that short.
 * HJ: the reference FP class (damped fixed point α = 0.25, Nesterov 0.9, lr 0.1) with t = 0.1.
 */
function makeOptimizer(algorithm: AlgorithmName, network: NetworkName, preset: Preset, seed: number): { settings: Record<string, unknown>; optimizer: Optimizer<unknown> } {
  const L = preset.innerSteps[network];
  const scope = network === 'lenet' ? { g0: 1e-3, g1: 1e-4 } : { g0: 1e-4, g1: 1e-3 };
  switch (algorithm) {
    case 'sgd': {
      const settings = { lr: 0.1, momentum: 0.9, nesterov: true };
      return { settings, optimizer: sgd(settings) as Optimizer<unknown> };
    }
    case 'entropy-sgd': case 'heat': {
      const ref = { L: L.esgd, ...scope, eps: 1e-4, llr: 0.1, seed };
      const options = { ...fromReference(ref), lr: 1, momentum: 0, nesterov: false };
      const settings = { reference: ref, outer: { lr: 1, momentum: 0 }, form: 'coupling' };
      if (algorithm === 'heat') {
        const { alpha: _alpha, ...heatOptions } = options;
        return { settings, optimizer: heat(heatOptions) as Optimizer<unknown> };
      }
      return { settings, optimizer: entropySGD(options) as Optimizer<unknown> };
    }
    case 'hj': {
      const ref = { L: L.hj, lr: 0.1, g0: 10, g1: 0 };
      return { settings: { reference: ref, t: 0.1 }, optimizer: hj(hjFromReference(ref)) as Optimizer<unknown> };
    }
    case 'elastic-sgd': {
      const settings = { replicas: 2, innerSteps: L.esgd, lr: 1, t: 1e3, rho: 0.01, innerLr: 0.1, innerMomentum: 0.9, innerNesterov: true, form: 'coupling' as const, seed };
      return { settings, optimizer: elasticSGD(settings) as unknown as Optimizer<unknown> };
    }
    case 'sam': {
      const settings = { lr: 0.1, rho: 0.05, momentum: 0.9, nesterov: true };
      return { settings, optimizer: sam(settings) as Optimizer<unknown> };
    }
    default: throw new RangeError(`mnist-experiments: algorithm must be one of sgd, entropy-sgd, hj, heat, elastic-sgd, sam; got ${String(algorithm satisfies never)}.`);
  }
}

function parseArgs(argv: string[]): { preset: Preset; out: string; engine: EngineName } {
  const get = (flag: string) => { const i = argv.indexOf(flag); return i >= 0 ? argv[i + 1] : undefined; };
  const preset: Preset = structuredClone(PRESETS[argv.includes('--quick') ? 'quick' : 'full']);
  const list = <T extends string>(flag: string) => get(flag)?.split(',').map((s) => s.trim()) as T[] | undefined;
  preset.networks = list<NetworkName>('--networks') ?? preset.networks;
  preset.algorithms = list<AlgorithmName>('--algorithms') ?? preset.algorithms;
  preset.seeds = get('--seeds')?.split(',').map(Number) ?? preset.seeds;
  const epochs = get('--epochs');
  if (epochs) preset.epochs = { mnistfc: Number(epochs), lenet: Number(epochs) };
  const out = get('--out') ?? path.join('notebooks', 'results', 'mnist', preset.name);
  return { preset, out, engine: (get('--engine') ?? 'wasm-simd') as EngineName };
}

function sizedSplit(preset: Preset): Split {
  const full = mnistSplit(); // the fixed split: data/mnist-test-indices.csv (2,000 test / 8,000 train)
  const trainSet = preset.trainSize < full.train.count ? subset(full.train, stratifiedIndices(full.train, preset.trainSize, 0)) : full.train;
  const testSet = preset.testSize < full.test.count ? subset(full.test, stratifiedIndices(full.test, preset.testSize, 0)) : full.test;
  return { train: trainSet, test: testSet };
}

const fmt = (v: number, d = 2) => (Number.isFinite(v) ? v.toFixed(d) : '—');
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const std = (v: number[]) => (v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / (v.length - 1)) : 0);

interface RunRecord { network: NetworkName; algorithm: AlgorithmName; seed: number; settings: Record<string, unknown>; result: Omit<TrainResult<unknown>, 'checkpoint'>; }

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { preset, out, engine: engineName } = parseArgs(argv);
  const engine = await createEngine(engineName);
  const data = sizedSplit(preset);
  fs.mkdirSync(path.join(out, 'runs'), { recursive: true });
  const controller = new AbortController();
  process.on('SIGINT', () => { console.log('\nSIGINT: stopping after the current step (checkpoint kept)…'); controller.abort(); });
  const tty = process.stdout.isTTY;
  console.log(`# MNIST experiments (${preset.name}): train ${data.train.count}, test ${data.test.count} digits, engine ${engine.name}`);
  const records: RunRecord[] = [];
  runs: for (const network of preset.networks) for (const algorithm of preset.algorithms) for (const seed of preset.seeds) {
    if (argv.includes('--summary-only')) break runs;
    if (controller.signal.aborted) break runs;
    const model: Network = (network === 'mnistfc' ? mnistfc : lenet)({ engine, seed });
    const { settings, optimizer } = makeOptimizer(algorithm, network, preset, seed);
    const tag = `${network}-${algorithm}-seed${seed}`;
    let lastLine = 0;
    const result = await train({
      model, optimizer, data, epochs: preset.epochs[network], batchSize: 128, seed, calibrationSize: preset.calibrationSize,
      checkpointPath: path.join('runs', 'mnist', `${preset.name}-${tag}.ckpt`), signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'eval') {
          const e = p.entry!;
          if (tty) process.stdout.write('\r\x1b[K');
          console.log(`${tag}: epoch ${fmt(e.epoch)} | train loss ${fmt(e.trainLoss, 4)} | test error ${fmt(e.testError)} % (${data.test.count} digits) | ${fmt(e.wallMs / 1000, 1)} s`);
        } else if (tty && p.wallMs - lastLine > 250) {
          lastLine = p.wallMs;
          const width = 30, done = Math.min(width, Math.round((width * p.epoch) / p.epochs));
          process.stdout.write(`\r${tag} [${'#'.repeat(done)}${'.'.repeat(width - done)}] ${fmt(p.epoch)}/${p.epochs} ee, loss ${fmt(p.loss, 3)}`);
        }
      },
    });
    const { checkpoint: _checkpoint, ...plain } = result;
    const record: RunRecord = { network, algorithm, seed, settings, result: plain };
    records.push(record);
    fs.writeFileSync(path.join(out, 'runs', `${tag}.json`), JSON.stringify({ preset: preset.name, engine: engine.name, data: result.subset, batchSize: 128, sampling: 'replacement', ...record }, null, 1));
  }
  // The table covers every run recorded in <out>/runs (earlier invocations included), this one's first.
  const tags = new Set(records.map((r) => `${r.network}-${r.algorithm}-seed${r.seed}`));
  for (const file of fs.readdirSync(path.join(out, 'runs')).filter((f) => f.endsWith('.json')).sort()) {
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'runs', file), 'utf8')) as RunRecord;
    if (!tags.has(`${saved.network}-${saved.algorithm}-seed${saved.seed}`)) records.push(saved);
  }
  for (const r of records) {
    if (!preset.networks.includes(r.network)) preset.networks.push(r.network);
    if (!preset.algorithms.includes(r.algorithm)) preset.algorithms.push(r.algorithm);
  }
  preset.seeds = [...new Set(records.map((r) => r.seed))].sort((a, b) => a - b);
  writeSummary(records, preset, out, data);
  await writeFigures(records, preset, out, data).catch((error: unknown) => console.log(`figures not written (${String(error)}); the data are in history.csv`));
}

/** First effective epoch at which a run's test error is ≤ target (NaN if never). */
function epochsToReach(r: RunRecord, target: number): number {
  return r.result.history.find((e) => e.testError <= target + 1e-12)?.epoch ?? NaN;
}

function writeSummary(records: RunRecord[], preset: Preset, out: string, data: Split): void {
  const csv = ['network,algorithm,seed,epoch,step,grad_evals,train_loss,test_error,test_loss,wall_ms'];
  for (const r of records) for (const e of r.result.history) {
    csv.push([r.network, r.algorithm, r.seed, e.epoch.toFixed(4), e.step, e.gradEvals, e.trainLoss.toFixed(6), e.testError.toFixed(3), e.testLoss.toFixed(6), e.wallMs.toFixed(0)].join(','));
  }
  fs.writeFileSync(path.join(out, 'history.csv'), csv.join('\n') + '\n');
  const lines = [`# MNIST experiments — preset \`${preset.name}\``, '',
    `Data: npm \`mnist\` (10,000 real digits); train ${data.train.count}, test ${data.test.count} (fixed split data/mnist-test-indices.csv${preset.trainSize < 8000 ? ', stratified subsets' : ''}); BN recalibrated on ${preset.calibrationSize} training digits before each evaluation; minibatches of 128 drawn with replacement; seeds ${preset.seeds.join(', ')}.`,
    'Error: test error % (mean ± std over seeds) at the last evaluation; "best" = lowest over evaluations; "reach SGD" = first effective epoch whose error ≤ SGD\'s final mean error.',
    `Sampling error of one error rate p on ${data.test.count} test digits: √(p(1 − p)/n) ≈ ${fmt(100 * Math.sqrt(0.05 * 0.95 / data.test.count))} points at p = 5 %, ${fmt(100 * Math.sqrt(0.02 * 0.98 / data.test.count))} at p = 2 %.`, '',
    '| network | algorithm | error % (final) | best error % | @ effective epochs | reach SGD @ | wall s | paper (60k/10k) |', '|---|---|---:|---:|---:|---:|---:|---|'];
  const summary: Record<string, unknown>[] = [];
  for (const network of preset.networks) {
    const sgdRuns = records.filter((r) => r.network === network && r.algorithm === 'sgd');
    const sgdFinal = sgdRuns.length ? mean(sgdRuns.map((r) => r.result.final.error)) : NaN;
    for (const algorithm of preset.algorithms) {
      const runs = records.filter((r) => r.network === network && r.algorithm === algorithm);
      if (!runs.length) continue;
      const finals = runs.map((r) => r.result.final.error), bests = runs.map((r) => Math.min(...r.result.history.map((e) => e.testError)));
      const ee = mean(runs.map((r) => r.result.epochs)), reach = mean(runs.map((r) => epochsToReach(r, sgdFinal)));
      const wall = mean(runs.map((r) => r.result.wallMs)) / 1000;
      const spread = runs.length > 1 ? ` ± ${fmt(std(finals))}` : ' (1 seed)';
      lines.push(`| ${network} | ${algorithm} | ${fmt(mean(finals))}${spread} | ${fmt(mean(bests))} | ${fmt(ee, 1)} | ${fmt(reach, 2)} | ${fmt(wall, 0)} | ${PAPER[network][algorithm] ?? '—'} |`);
      summary.push({ network, algorithm, seeds: runs.map((r) => r.seed), finalError: finals, bestError: bests, effectiveEpochs: ee, epochsToReachSgd: reach, sgdFinalError: sgdFinal, wallSeconds: wall, train: data.train.count, test: data.test.count });
    }
  }
  fs.writeFileSync(path.join(out, 'table.md'), lines.join('\n') + '\n');
  fs.writeFileSync(path.join(out, 'summary.json'), JSON.stringify({ preset, summary }, null, 1));
  console.log('\n' + lines.join('\n'));
}

async function writeFigures(records: RunRecord[], preset: Preset, out: string, data: Split): Promise<void> {
  const { lineChart, writeFigure } = await import('../src/plot/index.js');
  for (const network of preset.networks) {
    const series = preset.algorithms.flatMap((algorithm) => records.filter((r) => r.network === network && r.algorithm === algorithm).map((r) => ({
      x: r.result.history.map((e) => e.epoch), y: r.result.history.map((e) => e.testError),
      label: `${algorithm} (seed ${r.seed})`, color: COLORS[algorithm], points: algorithm !== 'sgd',
    })));
    if (!series.length) continue;
    await writeFigure(lineChart({
      series, title: `${network}: validation error`, subtitle: `MNIST ${data.train.count} train / ${data.test.count} test digits`,
      xLabel: 'effective epochs (gradient evaluations / minibatches per epoch)', yLabel: '% error',
    }), path.join(out, `${network}-valid.png`));
  }
}

await main();
