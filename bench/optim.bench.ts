// Optimizer overhead beyond the gradient evaluations, two ways:
// (a) d = 10⁶ Float64Array with the cheapest possible oracle (∇f = x: one read, one write per
//     parameter), against the same number of oracle calls alone and against the same optimizer built
//     from the previous plain-JS loops (test/reference/optim-previous/, the baseline of the wasm kernels);
// (b) mnistfc (1,867,786 float32 parameters) with its real minibatch-gradient oracle (batch 128,
//     default src/nn engine): the time each step spends outside its oracle calls, measured inside
//     the step, beside the previous JS loops on the same oracle, and the step against the same
//     number of oracle calls alone. x = net.params lives in the engine's WasmArena, so the
//     optimizers' workspaces go there and the kernels update x in place (src/optim/workspace.ts).
//     The memory floor: the float32 streams each step must read or write (listed per row), at the
//     rate of a plain copy (Float32Array.set of the same length, timed in the same rounds).
// The noisy Entropy-SGD rows run with the default sequential normals and with normals: 'simd' (the
// 8-lane generator); the previous-loops column of the 'simd' row is the sequential JS baseline.
// Part (b) runs every optimizer on two threads (the default: each elementwise kernel pass shared
// with the kernel worker, src/optim/kernel-worker.ts) and on one (setOptimizerThreads(1)), the same
// optimizer object alternating, interleaved in each round. process.cpuUsage counts both threads, so
// the two-thread rows report the wall time outside the oracle calls (what the user waits for), and
// the one-thread rows both wall and CPU. Part (a) runs on one thread (its times are CPU times).
// Times are process CPU time (process.cpuUsage) unless marked wall; rounds are interleaved and the
// minimum of each kept, as the machine is shared. Each part runs in a fresh process, so that the
// previous JS loops see one array type (monomorphic, as in a real run): Float64Array in (a),
// Float32Array in (b).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { sgd, adam, entropySGD, heat, hj, sam, elasticSGD, gradientFiniteOf, type GradientOracle, type Optimizer, type Vector } from '../src/optim/index.js';
import { sgd as sgdPrev } from '../test/reference/optim-previous/sgd.js';
import { adam as adamPrev } from '../test/reference/optim-previous/adam.js';
import { sam as samPrev } from '../test/reference/optim-previous/sam.js';
import { hj as hjPrev } from '../test/reference/optim-previous/hj.js';
import { entropySGD as entropySGDPrev } from '../test/reference/optim-previous/entropy-sgd.js';
import { heat as heatPrev } from '../test/reference/optim-previous/heat.js';
import { elasticSGD as elasticSGDPrev } from '../test/reference/optim-previous/elastic-sgd.js';
import { mnistfc, mnistSplit, networkOracle } from '../src/nn/index.js';
import { setOptimizerThreads } from '../src/optim/threads.js';
import { kernelWorkerStats } from '../src/optim/kernel-worker.js';
import { Rng } from '../src/util/random.js';

/** CPU milliseconds of `run` (this process, all threads). */
function cpuMs(run: () => unknown): number {
  const c0 = process.cpuUsage();
  run();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

type Opt = Optimizer<unknown>;

function partA(): void {
  // ---- (a) cheapest oracle ---------------------------------------------------------------------
  setOptimizerThreads(1); // CPU times: one thread
  const d = 1_000_000;
  const cheap: GradientOracle = (x, g) => { let f = 0; for (let p = 0; p < x.length; p++) { const v = x[p]; g[p] = v; f += v * v; } return 0.5 * f; };
  const x = new Float64Array(d);
  new Rng(1).fillNormal(x);
  const grad = new Float64Array(d);
  const oracleCalls = (n: number) => () => { let s = 0; for (let i = 0; i < n; i++) s += cheap(x, grad); return s; };

  const cases: [string, Opt, Opt, number][] = [
    ['sgd (Nesterov 0.9)', sgd({ lr: 1e-9, momentum: 0.9, nesterov: true }) as Opt, sgdPrev({ lr: 1e-9, momentum: 0.9, nesterov: true }) as Opt, 1],
    ['adam', adam({ lr: 1e-9 }) as Opt, adamPrev({ lr: 1e-9 }) as Opt, 1],
    ['sam', sam({ lr: 1e-9, rho: 1e-9 }) as Opt, samPrev({ lr: 1e-9, rho: 1e-9 }) as Opt, 2],
    ['hj (fixed point, L = 10)', hj({ lr: 1e-9, t: 0.5, innerSteps: 10 }) as Opt, hjPrev({ lr: 1e-9, t: 0.5, innerSteps: 10 }) as Opt, 11],
    ['entropy-sgd (L = 20, β = ∞)', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 20 }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 20 }) as Opt, 20],
    ['entropy-sgd (L = 20, β = 1e8)', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 20, beta: 1e8 }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 20, beta: 1e8 }) as Opt, 20],
    ['entropy-sgd (L = 20, β = 1e8, normals: \'simd\')', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 20, beta: 1e8, normals: 'simd' }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 20, beta: 1e8 }) as Opt, 20],
    ['heat (L = 20)', heat({ lr: 1e-9, t: 0.5, innerSteps: 20 }) as Opt, heatPrev({ lr: 1e-9, t: 0.5, innerSteps: 20 }) as Opt, 20],
    ['elastic-sgd (n = 2, L = 5)', elasticSGD({ replicas: 2, lr: 1e-9, t: 0.5, rho: 0.1, innerSteps: 5 }) as Opt,
      elasticSGDPrev({ replicas: 2, lr: 1e-9, t: 0.5, rho: 0.1, innerSteps: 5 }) as Opt, 10],
  ];

  console.log(`\n## (a) Optimizer step vs its gradient evaluations, d = ${d.toLocaleString('en')} (Float64Array, cheapest oracle ∇f = x), CPU time, one thread`);
  console.log('| optimizer | evals/step | step ms | oracle calls ms | ns/param/eval beyond oracle | previous JS loops: step ms | ns/param/eval beyond oracle | speed-up of the extra |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, opt, prev, evals] of cases) {
    const rounds = evals >= 10 ? 4 : 9;
    let step = Infinity, base = Infinity, old = Infinity;
    opt.step(x, cheap); prev.step(x, cheap); // warm-up
    for (let r = 0; r < rounds; r++) {
      step = Math.min(step, cpuMs(() => opt.step(x as Vector, cheap)));
      base = Math.min(base, cpuMs(oracleCalls(evals)));
      old = Math.min(old, cpuMs(() => prev.step(x as Vector, cheap)));
    }
    const extra = ((step - base) * 1e6) / (d * evals), extraOld = ((old - base) * 1e6) / (d * evals);
    console.log(`| ${name} | ${evals} | ${step.toFixed(1)} | ${base.toFixed(1)} | ${extra.toFixed(2)} | ${old.toFixed(1)} | ${extraOld.toFixed(2)} | ${(extraOld / extra).toFixed(1)}× |`);
  }
  console.log(`\nheap/external growth over 20 sgd steps: ` + (() => {
    const opt = sgd({ lr: 1e-9, momentum: 0.9 }); opt.step(x, cheap);
    const before = process.memoryUsage().arrayBuffers; for (let i = 0; i < 20; i++) opt.step(x, cheap);
    return `${((process.memoryUsage().arrayBuffers - before) / 1e6).toFixed(3)} MB of array buffers`;
  })());
}

function partB(): void {
  // ---- (b) mnistfc minibatch gradients -----------------------------------------------------------
  const net = mnistfc({ seed: 1 });
  const { train } = mnistSplit();
  const { oracle } = networkOracle(net, train, { batchSize: 128, seed: 1 });
  const n = net.paramCount;
  // The gradient alone is timed into a vector of the engine's memory, as the optimizers' gradient
  // vectors are (their workspaces live in x's arena): the same copy, with its finite check, as in a step.
  const gradOnly = net.engine.alloc?.(n) ?? new Float32Array(n);

  /**
   * Wraps the oracle to add up the wall and CPU time spent inside it. The network oracle copies a
   * point other than net.params into the parameters before it evaluates; that copy is the
   * optimizer's doing (it chose to evaluate elsewhere), so it runs here, outside the timed gradient,
   * and counts as overhead: the timed part is exactly the `alone` gradient at net.params.
   */
  function timedOracle(): { oracle: GradientOracle; wall: number; cpu: number } {
    const t = { oracle: ((xv, g) => {
      if (xv !== net.params) net.params.set(xv);
      const w0 = performance.now(), c0 = process.cpuUsage();
      const f = oracle(net.params, g);
      const c = process.cpuUsage(c0);
      t.cpu += (c.user + c.system) / 1000; t.wall += performance.now() - w0;
      return f;
    }) as GradientOracle, wall: 0, cpu: 0 };
    // The network oracle's gradientFinite certificate passes through, as countEvaluations passes it.
    Object.defineProperty(t.oracle, 'gradientFinite', { get: () => gradientFiniteOf(oracle) });
    return t;
  }

  // [name, optimizer, previous JS loops, evals/step, float32 streams per step (reads + writes of n values)]:
  //   sgd: momentum (x, g, b → x, b) = 5;  adam: (x, g, m, v → x, m, v) = 7 — the network oracle certifies its gradient
  //   finite (checked along its copy into the optimizer's vector), so neither reads g once more to check it (else + 1);
  //   sam (x in net.params, momentum 0): |g|² (g) 1 + shift with the anchor copy (x, g → X, x) 4 + update with the check of the
  //   second gradient (X, g → x) 3 = 8 (momentum: + b read and the spare b written, 10);
  //   hj L = 4 (wd = 0, momentum 0): first pass (x, g → X, w; p₀ = g in place) 4 + 3 inner (g, p, X → p, w) 15 + last, fused with
  //   the outer step (g, p, X → x) 4 = 23 (wd ≠ 0: + p₀ written and w read in each later pass, 28);
  //   entropy-sgd / heat L = 5, the chain in x's own buffer (net.params): first (x, g → X, y₁) 4 + step 2 (y, g, X → y, μ) 5 +
  //   step 3 (y, g, X → y) 4 + step 4 (y, g, X, μ → y, μ) 6 + last, fused with the outer step (y, g, X, μ → x) 5 = 24
  //   (the noise is drawn into a 16 KiB block in L1: no stream).
  const realCases: [string, Opt, Opt, number, number][] = [
    ['sgd (Nesterov 0.9)', sgd({ lr: 1e-9, momentum: 0.9, nesterov: true }) as Opt, sgdPrev({ lr: 1e-9, momentum: 0.9, nesterov: true }) as Opt, 1, 5],
    ['adam', adam({ lr: 1e-9 }) as Opt, adamPrev({ lr: 1e-9 }) as Opt, 1, 7],
    ['sam', sam({ lr: 1e-9, rho: 1e-9 }) as Opt, samPrev({ lr: 1e-9, rho: 1e-9 }) as Opt, 2, 8],
    ['hj (fixed point, L = 4)', hj({ lr: 1e-9, t: 0.5, innerSteps: 4 }) as Opt, hjPrev({ lr: 1e-9, t: 0.5, innerSteps: 4 }) as Opt, 5, 23],
    ['entropy-sgd (L = 5, β = ∞)', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5 }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 5 }) as Opt, 5, 24],
    ['entropy-sgd (L = 5, β = 1e8)', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8 }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8 }) as Opt, 5, 24],
    ['entropy-sgd (L = 5, β = 1e8, normals: \'simd\')', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8, normals: 'simd' }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8 }) as Opt, 5, 24],
    ['entropy-sgd (L = 5, β = 1e8, normals: \'parallel\')', entropySGD({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8, normals: 'parallel' }) as Opt, entropySGDPrev({ lr: 1e-9, t: 0.5, innerSteps: 5, beta: 1e8 }) as Opt, 5, 24],
    ['heat (L = 5)', heat({ lr: 1e-9, t: 0.5, innerSteps: 5 }) as Opt, heatPrev({ lr: 1e-9, t: 0.5, innerSteps: 5 }) as Opt, 5, 24],
  ];
  const copyFrom = new Float32Array(n).fill(1), copyTo = new Float32Array(n);
  let copyMs = Infinity;

  /** One step of `opt` on the real oracle: wall ms of the step, and wall and CPU ms outside its oracle calls. */
  function timedStep(opt: Opt): { wall: number; outWall: number; outCpu: number } {
    const t = timedOracle();
    const w0 = performance.now(), c0 = process.cpuUsage();
    opt.step(net.params, t.oracle);
    const c = process.cpuUsage(c0), wall = performance.now() - w0;
    return { wall, outWall: wall - t.wall, outCpu: (c.user + c.system) / 1000 - t.cpu };
  }
  const ROUNDS = Number(process.env.OPTIM_BENCH_ROUNDS ?? 4);
  console.log(`\n## (b) mnistfc (${n.toLocaleString('en')} float32 parameters), real minibatch gradients (batch 128, default engine), ${ROUNDS} interleaved rounds (${3 * ROUNDS} for 1–2 evals/step), minimum kept`);
  console.log('Two threads (default): time outside the oracle calls is WALL time (process CPU time counts both threads); one thread: the same optimizer with setOptimizerThreads(1), interleaved in the same rounds.');
  const rows: { name: string; evals: number; streams: number; alone: number; step: number; outWall: number; outWall1: number; outCpu1: number; prevCpu: number }[] = [];
  for (const [name, opt, prev, evals, streams] of realCases) {
    setOptimizerThreads(2); opt.step(net.params, oracle); setOptimizerThreads(1); opt.step(net.params, oracle); prev.step(net.params, oracle); // warm-up (builds the workspace)
    let alone = Infinity, step = Infinity, outWall = Infinity, outWall1 = Infinity, outCpu1 = Infinity, prevCpu = Infinity;
    // Cheap steps get more rounds: their minimum is the noisiest under load.
    for (let r = 0; r < (evals <= 2 ? 3 * ROUNDS : ROUNDS); r++) {
      setOptimizerThreads(2);
      const t = timedStep(opt);
      step = Math.min(step, t.wall); outWall = Math.min(outWall, t.outWall);
      setOptimizerThreads(1);
      const t1 = timedStep(opt);
      outWall1 = Math.min(outWall1, t1.outWall); outCpu1 = Math.min(outCpu1, t1.outCpu);
      const a0 = performance.now();
      for (let i = 0; i < evals; i++) oracle(net.params, gradOnly);
      alone = Math.min(alone, (performance.now() - a0) / evals);
      prevCpu = Math.min(prevCpu, timedStep(prev).outCpu);
      copyMs = Math.min(copyMs, cpuMs(() => copyTo.set(copyFrom)));
    }
    rows.push({ name, evals, streams, alone, step, outWall, outWall1, outCpu1, prevCpu });
  }
  setOptimizerThreads(2);
  // A copy moves 2 streams (read + write): ns per stream-element.
  const perStream = (copyMs * 1e6) / n / 2;
  // The gradient's cost drifts with the load from other jobs; its least-loaded measurement in this run
  // (minimum over every row) is the reference G for the overhead column.
  const G = Math.min(...rows.map((r) => r.alone));
  const per = (ms: number, evals: number): number => (ms * 1e6) / (n * evals);
  const pct = (perEval: number): string => `${((perEval * n) / 1e6 / G * 100).toFixed(1)}%`;
  console.log(`| optimizer | evals/step | oracle wall ms/eval (alone, this row) | step wall ms (2 threads) | 2 threads: outside the oracle, wall ms | ns/param/eval (wall) | overhead at G = ${G.toFixed(1)} ms/eval | 1 thread: outside, wall ms | ns/param/eval (wall) | overhead at G | 1 thread: outside, CPU ms | ns/param/eval (CPU) | 1 / 2 threads (wall) | previous JS loops: ns/param/eval (CPU) | memory floor (1 thread): streams/step | floor ns/param/eval | 2 threads × floor |`);
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    const floor = (r.streams * perStream) / r.evals, p2 = per(r.outWall, r.evals), p1 = per(r.outWall1, r.evals), c1 = per(r.outCpu1, r.evals);
    console.log(`| ${r.name} | ${r.evals} | ${r.alone.toFixed(1)} | ${r.step.toFixed(1)} | ${r.outWall.toFixed(1)} | ${p2.toFixed(2)} | ${pct(p2)} | ${r.outWall1.toFixed(1)} | ${p1.toFixed(2)} | ${pct(p1)} | ${r.outCpu1.toFixed(1)} | ${c1.toFixed(2)} | ${(p1 / p2).toFixed(2)}× | ${per(r.prevCpu, r.evals).toFixed(2)} | ${r.streams} | ${floor.toFixed(2)} | ${(p2 / floor).toFixed(2)} |`);
  }
  console.log(`\nKernel worker: ${JSON.stringify(kernelWorkerStats())}`);
  console.log(`\nPlain copy of ${n.toLocaleString('en')} float32 (Float32Array.set): ${copyMs.toFixed(2)} ms CPU, ${(8 * n / copyMs / 1e6).toFixed(1)} GB/s read + written, ${perStream.toFixed(3)} ns per element per stream.`);
  console.log(`\nOverhead at another gradient cost G' ms/eval: ns/param/eval × ${(n / 1e6).toFixed(3)} / G'; measured at ${new Date().toISOString()}`);
}

const part = process.env.OPTIM_BENCH_PART;
if (part === 'a') partA();
else if (part === 'b') partB();
else {
  for (const p of ['a', 'b']) {
    execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], { stdio: 'inherit', env: { ...process.env, OPTIM_BENCH_PART: p } });
  }
}
