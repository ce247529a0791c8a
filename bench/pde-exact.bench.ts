// Exact grid relaxations: Hopf–Lax (lower envelope) scaling and speed-up over the brute-force twin,
// Cole–Hopf accuracy and speed against the non-separable quadrature, fast path vs log-sum-exp,
// scipy's gaussian_filter route when python3 + scipy are present, sub-grid prox error, and the
// Monte-Carlo bias/variance study quoted in docs/solvers.md. Deterministic inputs; time-boxed.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Grid } from '../src/grids/grid.js';
import { Rng } from '../src/util/random.js';
import { hopfLax } from '../src/pde/hopf-lax.js';
import { coleHopf } from '../src/pde/cole-hopf.js';
import { monteCarloRelax } from '../src/pde/monte-carlo.js';
import { hopfLaxBruteSeparable } from '../test/reference/hopf-lax-brute.js';
import { hopfLaxPrevious } from '../test/reference/hopf-lax-previous.js';
import { interiorRange, PDE_INTERIOR_FRACTION } from '../src/pde/domain-check.js';
import { coleHopfBrute } from '../test/reference/cole-hopf-brute.js';
import { runSuite, timeCase } from './harness.js';

// PDE_BENCH=hl,ch,prox,mc,mc2 runs a subset (default: all sections).
const sections = (process.env.PDE_BENCH ?? 'hl,ch,prox,mc,mc2').split(',');
const want = (name: string) => sections.includes(name);
const wavy = (x: number, y: number) => (x * x + y * y) / 2 + 0.5 * Math.sin(3 * x) * Math.cos(2 * y);

// 1. Hopf–Lax: time per point from 1e3 to 1e7 points (2-D square grids).
if (want('hl')) {
  const sides = [32, 100, 316, 1000, 3162];
  runSuite('Hopf–Lax (lower envelope), 2-D, time per point vs size (flat = linear time)', sides.map((n) => {
    const f = Grid.uniform([[-2, 2], [-2, 2]], [n, n]).sample(wavy);
    return { name: `${n}² = ${(n * n).toExponential(1)} points`, units: n * n, unitName: 'point', run: () => hopfLax(f, 0.3).u.data[0] };
  }), { reps: 5, maxMs: 8000 });
}

// 2. Speed-up over the brute-force twin at 1001²; against the previous sweep at 1001², 2001², 3162².
if (want('hl')) {
  const n = 1001, f = Grid.uniform([[-2, 2], [-2, 2]], [n, n]).sample(wavy);
  const lines = 40, totalLines = 2 * n; // both sweeps have n lines of length n
  const brute = timeCase({ name: 'brute', run: () => hopfLaxBruteSeparable(f, 0.3, lines).lines }, { warmup: 1, reps: 3 });
  const bruteFullMs = (brute.medianMs * totalLines) / lines;
  const fast = timeCase({ name: 'fast', run: () => hopfLax(f, 0.3).u.data[0] }, { reps: 5 });
  console.log(`\n## Hopf–Lax at 1001² against the separable brute-force twin (O(size·n))`);
  console.log(`brute force timed on ${lines} of ${totalLines} lines (${brute.medianMs.toFixed(1)} ms) and scaled: ${bruteFullMs.toFixed(0)} ms; lower envelope: ${fast.medianMs.toFixed(1)} ms; speed-up ${(bruteFullMs / fast.medianMs).toFixed(0)}×`);
  // Against the previous sweep (test/reference/hopf-lax-previous.ts: strided lines, four N-sized
  // buffers, divisions per point for prox): identical results, then same-run times, interleaved.
  console.log('\n## Hopf–Lax: tiled sweep vs the previous strided sweep (same results; medians of interleaved runs)');
  console.log('| grid | previous ms | hopfLax ms | ns/point (hopfLax) | speed-up | parabolic prox ms | identical u, argmin, prox, boundary hits |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const side of [1001, 2001, 3162]) {
    const fs = Grid.uniform([[-2, 2], [-2, 2]], [side, side]).sample(wavy);
    const { lo, hi } = interiorRange('bench', fs.grid, PDE_INTERIOR_FRACTION);
    const a = hopfLaxPrevious(fs, 0.3, lo, hi), b = hopfLax(fs, 0.3);
    let same = a.boundaryHits === b.boundaryHits;
    for (let p = 0; p < fs.grid.size && same; p++) same = a.u[p] === b.u.data[p] && a.argmin[p] === b.argmin[p] && a.prox[0][p] === b.prox[0].data[p] && a.prox[1][p] === b.prox[1].data[p];
    const prev: number[] = [], cur: number[] = [], ratios: number[] = [];
    const reps = side > 3000 ? 3 : 7;
    for (let r = 0; r < reps; r++) {
      let t0 = performance.now(); hopfLaxPrevious(fs, 0.3, lo, hi); prev.push(performance.now() - t0);
      t0 = performance.now(); hopfLax(fs, 0.3); cur.push(performance.now() - t0);
      ratios.push(prev[r] / cur[r]);
    }
    const refined = timeCase({ name: 'parabolic', run: () => hopfLax(fs, 0.3, { proxRefinement: 'parabolic' }).u.data[0] }, { reps: 3 });
    const med = (x: number[]) => x.slice().sort((p, q) => p - q)[Math.floor(x.length / 2)];
    console.log(`| ${side}² | ${med(prev).toFixed(0)} | ${med(cur).toFixed(0)} | ${((med(cur) * 1e6) / fs.grid.size).toFixed(0)} | ${med(ratios).toFixed(2)}× | ${refined.medianMs.toFixed(0)} | ${same ? 'yes' : 'NO'} |`);
  }
}

// 3. Cole–Hopf at 401²: accuracy against the non-separable quadrature, time per point, fast vs log-sum-exp.
if (want('ch')) {
  const n = 401, t = 0.2, grid = Grid.uniform([[-2, 2], [-2, 2]], [n, n]), f = grid.sample(wavy);
  const rng = new Rng(3), points = Array.from({ length: 30 }, () => rng.integer(grid.size));
  console.log(`\n## Cole–Hopf, 401² on [-2, 2]², t = ${t}, f = |x|²/2 + 0.5 sin 3x cos 2y`);
  console.log('| β | auto ms | ns/point | log-sum-exp ms | fast-path speed-up | lines fast/lse | widened pts | max |Δu| vs brute | max |Δmean| | brute ms/point | speed-up vs brute |');
  console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const beta of [1, 10, 100, 1000]) {
    let out = coleHopf(f, t, beta);
    const auto = timeCase({ name: 'auto', run: () => (out = coleHopf(f, t, beta)).u.data[0] }, { reps: 3, maxMs: 20000 });
    const lse = timeCase({ name: 'lse', run: () => coleHopf(f, t, beta, { summation: 'log-sum-exp' }).u.data[0] }, { reps: 3, maxMs: 20000 });
    const b0 = performance.now();
    const ref = coleHopfBrute(f, t, beta, points);
    const bruteMsPerPoint = (performance.now() - b0) / points.length;
    let du = 0, dm = 0;
    points.forEach((p, i) => {
      du = Math.max(du, Math.abs(out.u.data[p] - ref[i].u));
      dm = Math.max(dm, Math.abs(out.mean[0].data[p] - ref[i].mean[0]), Math.abs(out.mean[1].data[p] - ref[i].mean[1]));
    });
    const nsPerPoint = (auto.medianMs * 1e6) / grid.size;
    console.log(`| ${beta} | ${auto.medianMs.toFixed(0)} | ${nsPerPoint.toFixed(0)} | ${lse.medianMs.toFixed(0)} | ${(lse.medianMs / auto.medianMs).toFixed(2)}× | ${out.stats.fastLines}/${out.stats.lseLines} | ${out.stats.widenedPoints} | ${du.toExponential(1)} | ${dm.toExponential(1)} | ${bruteMsPerPoint.toFixed(2)} | ${((bruteMsPerPoint * 1e6) / nsPerPoint).toFixed(0)}× |`);
  }
  scipyComparison(grid, f, t);
}

/** scipy.ndimage.gaussian_filter on e^{−βf} (the naive exp route), timed in a child process when available. */
function scipyComparison(grid: Grid, f: { data: Float64Array }, t: number): void {
  const probe = spawnSync('python3', ['-c', 'import numpy, scipy.ndimage; print(numpy.__version__, scipy.__version__)'], { encoding: 'utf8' });
  if (probe.status !== 0) { console.log('\n(scipy comparison skipped: python3 with numpy + scipy not found)'); return; }
  const dir = mkdtempSync(path.join(tmpdir(), 'deeprelax-bench-'));
  writeFileSync(path.join(dir, 'f.bin'), Buffer.from(f.data.buffer));
  const betas = [1, 10, 100, 1000];
  const script = `
import numpy as np, scipy.ndimage as nd, time, json, sys
f = np.fromfile(sys.argv[1], dtype=np.float64).reshape(${grid.shape[0]}, ${grid.shape[1]})
h = ${grid.spacing[0]}; out = []
for beta in ${JSON.stringify(betas)}:
    s = (${t} / beta) ** 0.5 / h
    with np.errstate(all='ignore'):
        t0 = time.perf_counter()
        for _ in range(3): v = nd.gaussian_filter(np.exp(-beta * f), s, mode='constant', truncate=10.0)
        ms = (time.perf_counter() - t0) / 3 * 1e3
        u = -np.log(v) / beta
    np.save(sys.argv[2] + f'/u{beta}.npy', u)
    out.append({'beta': beta, 'ms': ms})
print(json.dumps(out))`;
  const run = spawnSync('python3', ['-c', script, path.join(dir, 'f.bin'), dir], { encoding: 'utf8', timeout: 120000 });
  if (run.status !== 0) { console.log(`\n(scipy comparison failed: ${run.stderr.slice(0, 200)})`); return; }
  console.log(`\n## scipy.ndimage.gaussian_filter on e^{−βf} (numpy ${probe.stdout.trim()}), 401², same f and t; error vs our coleHopf on the middle half`);
  console.log('| β | scipy ms | our ms | max |u_scipy − u_ours| (middle half) | non-finite u_scipy |');
  console.log('|---:|---:|---:|---:|---:|');
  for (const r of JSON.parse(run.stdout) as { beta: number; ms: number }[]) {
    const u = readNpy(path.join(dir, `u${r.beta}.npy`), grid.size);
    const ours = coleHopf(grid.sample(wavy), t, r.beta);
    const t0 = performance.now(); coleHopf(grid.sample(wavy), t, r.beta); const ourMs = performance.now() - t0;
    let err = 0, bad = 0;
    const [n0, n1] = grid.shape;
    for (let i = 0; i < n0; i++) for (let j = 0; j < n1; j++) {
      const p = i * n1 + j;
      if (!Number.isFinite(u[p])) { bad++; continue; }
      if (i > n0 / 4 && i < (3 * n0) / 4 && j > n1 / 4 && j < (3 * n1) / 4) err = Math.max(err, Math.abs(u[p] - ours.u.data[p]));
    }
    console.log(`| ${r.beta} | ${r.ms.toFixed(1)} | ${ourMs.toFixed(0)} | ${err.toExponential(1)} | ${bad} |`);
  }
}

function readNpy(file: string, size: number): Float64Array {
  const buf = readFileSync(file);
  const headerLen = buf.readUInt16LE(8);
  const start = 10 + headerLen;
  return new Float64Array(buf.buffer.slice(buf.byteOffset + start, buf.byteOffset + start + 8 * size));
}

// 4. Sub-grid prox: gradient error of 'none' vs 'parabolic' for f = y⁴/4 + y, t = 0.5, on |x| ≤ 1.
if (want('prox')) {
  const t = 0.5;
  const proxExact = (x: number) => { let y = 0; for (let i = 0; i < 60; i++) y -= (y + t * (y ** 3 + 1) - x) / (1 + 3 * t * y * y); return y; };
  console.log('\n## Hopf–Lax prox refinement, f = y⁴/4 + y, t = 0.5: max |prox − prox_exact| on |x| ≤ 1');
  console.log('| n | h | none | parabolic |');
  console.log('|---:|---:|---:|---:|');
  for (const n of [101, 201, 401, 801, 1601]) {
    const grid = Grid.uniform([[-2, 2]], [n]), f = grid.sample((y) => y ** 4 / 4 + y);
    const errs = (['none', 'parabolic'] as const).map((refine) => {
      const { prox } = hopfLax(f, t, { proxRefinement: refine });
      let e = 0;
      grid.axis(0).forEach((x, i) => { if (Math.abs(x) <= 1) e = Math.max(e, Math.abs(prox[0].data[i] - proxExact(x))); });
      return e;
    });
    console.log(`| ${n} | ${grid.spacing[0]} | ${errs[0].toExponential(2)} | ${errs[1].toExponential(2)} |`);
  }
}

// 5. Monte Carlo: bias and spread over seeds against the quadratic closed form, per dimension and sample count.
if (want('mc')) {
  const t = 0.2, seeds = 10;
  console.log(`\n## Monte-Carlo relaxation of f = ½Σ a_k y_k² (a_k ∈ {0.5,…,2.5}), x_k = sin(k+1), t = ${t}: error of u over ${seeds} seeds`);
  console.log('| d | β | proposal | samples | mean error (bias) | std over seeds | mean reported se | mean ESS | ms/run |');
  console.log('|---:|---:|---|---:|---:|---:|---:|---:|---:|');
  const budgetEnd = performance.now() + 240_000;
  for (const d of [1, 10, 100, 1000]) {
    const a = Float64Array.from({ length: d }, (_, k) => 0.5 + (k % 5) * 0.5);
    const x = Array.from({ length: d }, (_, k) => Math.sin(k + 1));
    const f = (y: Float64Array) => { let s = 0; for (let k = 0; k < d; k++) s += 0.5 * a[k] * y[k] * y[k]; return s; };
    const grad = (y: Float64Array | Float32Array, g: Float64Array | Float32Array) => { let s = 0; for (let k = 0; k < d; k++) { g[k] = a[k] * y[k]; s += 0.5 * a[k] * y[k] * y[k]; } return s; };
    for (const beta of [1, 10]) {
      let exact = 0;
      for (let k = 0; k < d; k++) exact += (a[k] * x[k] * x[k]) / (2 * (1 + t * a[k])) + Math.log(1 + t * a[k]) / (2 * beta);
      for (const proposal of ['kernel', 'antithetic', 'laplace'] as const) {
        for (const samples of [100, 1000, 10000, 100000]) {
          if (samples * d > 1e7 || performance.now() > budgetEnd) continue;
          const errs: number[] = [], ses: number[] = [], esss: number[] = [];
          const t0 = performance.now();
          for (let seed = 1; seed <= seeds; seed++) {
            const r = monteCarloRelax(f, x, { t, beta, samples, seed, antithetic: proposal === 'antithetic', proposal: proposal === 'laplace' ? 'laplace' : 'kernel', gradient: grad });
            errs.push(r.u - exact); ses.push(r.standardError.u); esss.push(r.ess);
          }
          const ms = (performance.now() - t0) / seeds;
          const mean = errs.reduce((s, e) => s + e, 0) / seeds;
          const sd = Math.sqrt(errs.reduce((s, e) => s + (e - mean) ** 2, 0) / (seeds - 1));
          console.log(`| ${d} | ${beta} | ${proposal} | ${samples} | ${mean.toExponential(1)} | ${sd.toExponential(1)} | ${(ses.reduce((s, e) => s + e, 0) / seeds).toExponential(1)} | ${(esss.reduce((s, e) => s + e, 0) / seeds).toFixed(0)} | ${ms.toFixed(1)} |`);
        }
      }
    }
  }
}

// 6. Monte Carlo on a separable non-quadratic f = Σ_k ½a_k y_k² + 0.3 cos(3y_k): the reference is the sum of
//    1-D quadratures (trapezoid on a fine lattice, spectrally accurate); the Laplace proposal is no longer exact.
if (want('mc2')) {
  const t = 0.2, beta = 1, seeds = 8, sigma = Math.sqrt(t / beta);
  const f1 = (a: number, y: number) => 0.5 * a * y * y + 0.3 * Math.cos(3 * y);
  const u1 = (a: number, x: number) => {
    const h = sigma / 40, lo = -8, n = Math.ceil(16 / h);
    let mx = -Infinity;
    const logs = new Float64Array(n + 1);
    for (let i = 0; i <= n; i++) { const y = lo + i * h; logs[i] = -beta * f1(a, y) - ((x - y) ** 2) / (2 * sigma * sigma); if (logs[i] > mx) mx = logs[i]; }
    let s = 0;
    for (let i = 0; i <= n; i++) s += Math.exp(logs[i] - mx);
    return -(mx + Math.log((s * h) / (Math.sqrt(2 * Math.PI) * sigma))) / beta;
  };
  console.log(`\n## Monte-Carlo relaxation of the separable non-quadratic f = Σ ½a_k y_k² + 0.3 cos 3y_k, β = ${beta}, t = ${t}: error of u over ${seeds} seeds`);
  console.log('| d | proposal | samples | mean error (bias) | std over seeds | mean reported se | mean ESS | ms/run |');
  console.log('|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const d of [10, 100, 1000]) {
    const a = Float64Array.from({ length: d }, (_, k) => 0.5 + (k % 5) * 0.5);
    const x = Array.from({ length: d }, (_, k) => Math.sin(k + 1));
    let exact = 0;
    for (let k = 0; k < d; k++) exact += u1(a[k], x[k]);
    const f = (y: Float64Array) => { let s = 0; for (let k = 0; k < d; k++) s += f1(a[k], y[k]); return s; };
    const grad = (y: Float64Array | Float32Array, g: Float64Array | Float32Array) => { let s = 0; for (let k = 0; k < d; k++) { g[k] = a[k] * y[k] - 0.9 * Math.sin(3 * y[k]); s += f1(a[k], y[k]); } return s; };
    for (const proposal of ['kernel', 'laplace'] as const) {
      for (const samples of [1000, 10000, 100000]) {
        if (samples * d > 1e7) continue;
        const errs: number[] = [], ses: number[] = [], esss: number[] = [];
        const t0 = performance.now();
        for (let seed = 1; seed <= seeds; seed++) {
          const r = monteCarloRelax(f, x, { t, beta, samples, seed, proposal, gradient: grad });
          errs.push(r.u - exact); ses.push(r.standardError.u); esss.push(r.ess);
        }
        const ms = (performance.now() - t0) / seeds;
        const mean = errs.reduce((s, e) => s + e, 0) / seeds;
        const sd = Math.sqrt(errs.reduce((s, e) => s + (e - mean) ** 2, 0) / (seeds - 1));
        console.log(`| ${d} | ${proposal} | ${samples} | ${mean.toExponential(1)} | ${sd.toExponential(1)} | ${(ses.reduce((s, e) => s + e, 0) / seeds).toExponential(1)} | ${(esss.reduce((s, e) => s + e, 0) / seeds).toFixed(0)} | ${ms.toFixed(1)} |`);
      }
    }
  }
}
