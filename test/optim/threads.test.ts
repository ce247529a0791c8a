// Two threads (src/optim/kernel-worker.ts): each elementwise kernel pass over ≥ SPLIT_MIN elements
// is cut into chunks shared between the calling thread and a worker. Every element is computed from
// its own inputs with the arithmetic of the whole pass, so 1 and 2 threads must give the same bits:
// every optimizer, float64 and float32, odd d ≥ SPLIT_MIN, x in a wasm arena and in an ordinary
// array, checkpoints, and the non-finite-gradient failure path. The noisy SGLD pass runs block j on
// the worker while this thread draws block j + 1's noise (Workspace.sgldBeside): the same bits too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sgd, adam, sam, hj, entropySGD, type GradientOracle, type Optimizer, type StepResult, type Vector } from '../../src/optim/index.js';
import { optimizerThreads, setOptimizerThreads, SPLIT_MIN } from '../../src/optim/threads.js';
import { kernelWorkerStats } from '../../src/optim/kernel-worker.js';
import { Workspace } from '../../src/optim/workspace.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { Rng } from '../../src/util/random.js';
import { firstBitDifference, pairs, wavyOracle, type Factory } from './previous-pairs.js';

// Odd, ≥ SPLIT_MIN, last chunk partial (chunks of 16384: 5 chunks, the last of 4465 elements).
const D = 70_001;
const initial = optimizerThreads();

/** x of the given type holding x0, in `arena` or (null) in an ordinary array. */
function place(x0: Vector, arena: WasmArena | null): Vector {
  const f64 = x0 instanceof Float64Array;
  const x = arena === null ? (f64 ? new Float64Array(x0.length) : new Float32Array(x0.length)) : (f64 ? arena.allocF64(x0.length) : arena.allocF32(x0.length));
  x.set(x0);
  return x;
}

/**
 * Where two states (checkpoints) first differ ('' when they are the same bits): typed arrays bit by
 * bit (firstBitDifference; a deep toEqual on 10⁵-element arrays is slow), numbers with Object.is.
 */
function stateDifference(a: unknown, b: unknown, path = 'state'): string {
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    const fa = a as Vector, fb = b as Vector;
    if (!ArrayBuffer.isView(a) || !ArrayBuffer.isView(b) || fa.constructor !== fb.constructor) return path;
    const i = firstBitDifference(fa, fb);
    return i === -1 ? '' : `${path}[${i}]`;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return Object.is(a, b) ? '' : path;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return path;
  for (const k of ka) {
    const d = stateDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
    if (d !== '') return d;
  }
  return '';
}

interface Run { results: StepResult[]; states: unknown[]; x: Vector }

/** 2 steps, a checkpoint taken and loaded into a new optimizer, 1 more step; with `threads`. */
function run(make: Factory, x0: Vector, inArena: boolean, threads: 1 | 2): Run {
  setOptimizerThreads(threads);
  const x = place(x0, inArena ? new WasmArena() : null), oracle = wavyOracle(), results: StepResult[] = [], states: unknown[] = [];
  const opt = make();
  for (let s = 0; s < 2; s++) results.push(opt.step(x, oracle));
  const saved = structuredClone(opt.state());
  states.push(saved);
  const resumed = make();
  resumed.load(structuredClone(saved));
  results.push(resumed.step(x, oracle));
  states.push(structuredClone(resumed.state()));
  return { results, states, x };
}

beforeAll(async () => {
  // Start the worker and wait until it takes jobs, so that the comparisons below split for real.
  setOptimizerThreads(2);
  sgd({ lr: 0.1 }).step(new Float64Array(D), wavyOracle());
  for (let i = 0; i < 200 && !kernelWorkerStats().ready; i++) await new Promise((r) => setTimeout(r, 25));
  expect(kernelWorkerStats().ready).toBe(true);
});
afterAll(() => setOptimizerThreads(initial));

describe.each([['Float64Array', true], ['Float32Array', false]] as const)('1 and 2 threads give the same bits (%s, d = 70,001)', (_type, float64) => {
  const cases: (readonly [string, Factory])[] = [...pairs.map(([name, fast]) => [name, fast] as const),
    ['entropy-sgd (β = 100, normals: \'simd\')', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 100, normals: 'simd', seed: 7 }) as Optimizer<unknown>]];
  it.each(cases)('%s: steps, a checkpoint round trip, x in an arena and not', (_name, make) => {
    const x0 = float64 ? new Float64Array(D) : new Float32Array(D);
    new Rng(11).fillNormal(x0);
    for (const inArena of [true, false]) {
      const one = run(make, x0, inArena, 1), two = run(make, x0, inArena, 2);
      expect(two.results).toEqual(one.results);
      expect(firstBitDifference(two.x, one.x)).toBe(-1);
      expect(stateDifference(two.states, one.states)).toBe('');
      expect(firstBitDifference(two.x, x0)).not.toBe(-1); // it moved
    }
  });
});

describe('a non-finite gradient in any chunk: the same error and nothing written, on 1 and 2 threads', () => {
  const failing: [string, () => Optimizer<unknown>, number][] = [
    ['sgd', () => sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>, 0],
    ['adam', () => adam({ lr: 0.01, weightDecay: 1e-3 }) as Optimizer<unknown>, 0],
    ['sam (at the shifted point)', () => sam({ lr: 0.1, momentum: 0.5 }) as Optimizer<unknown>, 1],
    ['hj (inner point)', () => hj({ lr: 0.2, t: 0.3, innerSteps: 2, momentum: 0.9 }) as Optimizer<unknown>, 1],
    ['hj prox (inner point)', () => hj({ method: 'prox', lr: 0.2, t: 0.3, innerSteps: 2, innerLr: 0.05 }) as Optimizer<unknown>, 1],
    ['entropy-sgd (noiseless, inner step)', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3, momentum: 0.5 }) as Optimizer<unknown>, 2],
    ['entropy-sgd (noisy, simd normals: the pipelined pass)', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 100, normals: 'simd' }) as Optimizer<unknown>, 1],
  ];
  it.each(failing)('%s', (name, make, failOn) => {
    for (const float64 of [true, false]) {
      // One bad entry in the first chunk or in the last (partial) chunk.
      for (const at of [3, D - 2]) {
        const messages: string[] = [], xs: Vector[] = [], states: unknown[] = [];
        for (const threads of [1, 2] as const) {
          setOptimizerThreads(threads);
          const arena = new WasmArena(), x = float64 ? arena.allocF64(D) : arena.allocF32(D);
          x.fill(0.7);
          const opt = make(), good = wavyOracle();
          opt.step(x, good);
          const before = structuredClone(opt.state()), xBefore = x.slice();
          let call = 0;
          const bad: GradientOracle = (xv, g) => { const f = good(xv, g); if (call++ === failOn) g[at] = Infinity; return f; };
          let message = '';
          try { opt.step(x, bad); } catch (e) { message = (e as Error).message; }
          expect(message).toContain(`at index ${at} (step 1`);
          expect(firstBitDifference(x, xBefore)).toBe(-1);
          // (A noisy step that fails has drawn its noise: the stream moved on, on both thread counts.)
          if (!name.includes('noisy')) expect(stateDifference(opt.state(), before)).toBe('');
          messages.push(message); xs.push(x); states.push(opt.state());
        }
        expect(messages[1]).toBe(messages[0]);
        expect(firstBitDifference(xs[1], xs[0])).toBe(-1);
        expect(stateDifference(states[1], states[0])).toBe('');
      }
    }
  });
});

describe('the split itself', () => {
  it('the finite check finds one bad value wherever it is (first, inner and last chunk boundaries, the odd tail)', () => {
    setOptimizerThreads(2);
    for (const float64 of [true, false]) {
      const x = float64 ? new Float64Array(D) : new Float32Array(D);
      const ws = new Workspace(x, 1), g = ws.vec(0);
      g.fill(1);
      expect(ws.k.finite(D, ws.at(0))).toBe(0);
      for (const at of [0, 16383, 16384, 49151, 49152, 65535, 65536, D - 1]) {
        g[at] = NaN;
        expect(ws.k.finite(D, ws.at(0))).toBe(1);
        g[at] = 1;
      }
      expect(ws.k.finite(D, ws.at(0))).toBe(0);
    }
  });

  it('passes below SPLIT_MIN stay on the calling thread; the worker took chunks of the larger ones', () => {
    setOptimizerThreads(2);
    const ws = new Workspace(new Float64Array(SPLIT_MIN - 1), 1), before = kernelWorkerStats().workerChunks;
    for (let i = 0; i < 50; i++) ws.k.finite(SPLIT_MIN - 1, ws.at(0));
    expect(kernelWorkerStats().workerChunks).toBe(before);
    const big = new Workspace(new Float64Array(4 * SPLIT_MIN + 1), 1);
    for (let i = 0; i < 2000 && kernelWorkerStats().workerChunks === before; i++) big.k.finite(4 * SPLIT_MIN + 1, big.at(0));
    expect(kernelWorkerStats().workerChunks).toBeGreaterThan(before);
  });

  it('setOptimizerThreads accepts 1 or 2 only', () => {
    expect(() => setOptimizerThreads(3 as 1)).toThrow('setOptimizerThreads: n must be 1 or 2; got 3.');
    expect(() => setOptimizerThreads(0 as 1)).toThrow(RangeError);
  });
});
