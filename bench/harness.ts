/**
 * Benchmark harness: warm up, time several repetitions, report medians and ratios against a
 * baseline measured in the same run (CPU speed differs between machines; ratios travel).
 */
import { performance } from 'node:perf_hooks';
import os from 'node:os';

export interface BenchCase {
  /** Row label. */
  name: string;
  /** The work to time; it may return a value that is kept alive so the JIT cannot drop the work. */
  run: () => unknown;
  /** Work units per run (e.g. grid points) to report time per unit; default 1. */
  units?: number;
  /** Unit label for the per-unit column, e.g. 'point' or 'cell-step'. */
  unitName?: string;
}

export interface BenchResult { name: string; medianMs: number; minMs: number; reps: number; perUnitNs: number | null; ratio: number | null }

let sink: unknown = null;

/** Times one case: `warmup` untimed runs, then `reps` timed runs (or until `maxMs` is spent, at least 3). */
export function timeCase(c: BenchCase, opts: { warmup?: number; reps?: number; maxMs?: number } = {}): BenchResult {
  const warmup = opts.warmup ?? 1, reps = opts.reps ?? 7, maxMs = opts.maxMs ?? 5000;
  for (let i = 0; i < warmup; i++) sink = c.run();
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    sink = c.run();
    times.push(performance.now() - t0);
    if (i >= 2 && performance.now() - start > maxMs) break;
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)];
  const units = c.units ?? 1;
  return { name: c.name, medianMs, minMs: times[0], reps: times.length, perUnitNs: c.units ? (medianMs * 1e6) / units : null, ratio: null };
}

/**
 * Runs the cases and prints a table; the first case (or the one named `baseline`) is the baseline,
 * and every row shows baseline-median / row-median (> 1 means faster than the baseline).
 */
export function runSuite(title: string, cases: BenchCase[], opts: { baseline?: string; warmup?: number; reps?: number; maxMs?: number } = {}): BenchResult[] {
  console.log(`\n## ${title}`);
  const results = cases.map((c) => timeCase(c, opts));
  const base = results.find((r) => r.name === opts.baseline) ?? results[0];
  for (const r of results) r.ratio = base.medianMs / r.medianMs;
  const unitName = cases.find((c) => c.unitName)?.unitName ?? 'unit';
  console.log(`| case | median ms | min ms | reps | ns/${unitName} | speed-up vs "${base.name}" |`);
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(`| ${r.name} | ${r.medianMs.toFixed(3)} | ${r.minMs.toFixed(3)} | ${r.reps} | ${r.perUnitNs === null ? '—' : r.perUnitNs.toFixed(2)} | ${r.ratio!.toFixed(2)}× |`);
  }
  void sink;
  return results;
}

/** One line describing the machine, for docs/benchmarks.md. */
export function machineLine(): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model ?? 'unknown CPU'} × ${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}
