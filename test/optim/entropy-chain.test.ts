// The SGLD chain of Entropy-SGD / HEAT as one fused pass per inner step (src/optim/local-mean.ts,
// wasm/assembly/optim-inner.ts): the running mean written every other step (two samples folded in
// per even pass), the outer step fused into the last pass, and — when the workspace holds x (x in a
// wasm arena, as a network's parameters) — the chain's points written into x's own buffer, so the
// oracle is called with x itself. Checked against the plain JS loops (test/reference/optim-previous)
// bit for bit for every inner-step count L = 1…6 (odd/even last steps, the pairing's edge cases), both
// averagings, noise, inner and outer momentum, float64/float32, x in an arena and not; and the failure
// contract for a NaN gradient and for an oracle that throws, at every inner call.
import { afterAll, describe, expect, it } from 'vitest';
import { entropySGD, heat, type GradientOracle, type Optimizer, type Vector } from '../../src/optim/index.js';
import { entropySGD as entropySGDPrev } from '../reference/optim-previous/entropy-sgd.js';
import { heat as heatPrev } from '../reference/optim-previous/heat.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { optimizerThreads, setOptimizerThreads, SPLIT_MIN } from '../../src/optim/threads.js';
import { Rng } from '../../src/util/random.js';
import { firstBitDifference, wavyOracle } from './previous-pairs.js';

type Options = Parameters<typeof entropySGD>[0];
const variants: [string, Options][] = [
  ['noiseless', { lr: 0.5, t: 0.4 }],
  ['noise, inner Nesterov on all, outer heavy ball', { lr: 0.5, t: 0.4, beta: 300, seed: 3, innerMomentum: 0.6, innerNesterov: true, momentum: 0.5 }],
  ['inner momentum on the gradient, outer Nesterov, wd, coupling form', { lr: 0.2, t: 0.7, innerMomentum: 0.4, innerMomentumOn: 'gradient', momentum: 0.9, nesterov: true, weightDecay: 1e-3, form: 'coupling' }],
];
const makers: [string, (o: Options) => Optimizer<unknown>, (o: Options) => Optimizer<unknown>][] = [
  ['entropy-sgd', (o) => entropySGD(o) as Optimizer<unknown>, (o) => entropySGDPrev(o) as Optimizer<unknown>],
  ['heat', (o) => heat(o) as Optimizer<unknown>, (o) => heatPrev(o) as Optimizer<unknown>],
];

function vector(d: number, float64: boolean, arena: WasmArena | null): Vector {
  if (arena) return float64 ? arena.allocF64(d) : arena.allocF32(d);
  return float64 ? new Float64Array(d) : new Float32Array(d);
}

describe.each(makers)('%s: the fused chain', (_name, make, makePrev) => {
  it.each(variants)('%s: L = 1…6, float64/float32, x in an arena and not: the bits of the plain loops; the oracle gets x itself when the arena holds x', (_v, base) => {
    for (let L = 1; L <= 6; L++) {
      for (const float64 of [true, false]) {
        for (const inArena of [true, false]) {
          const d = 11, arena = inArena ? new WasmArena() : null;
          const x = vector(d, float64, arena), twin = vector(d, float64, null);
          new Rng(L).fillNormal(x); twin.set(x);
          const opts = { ...base, innerSteps: L };
          const opt = make(opts), prev = makePrev(opts), inner = wavyOracle(), twinOracle = wavyOracle();
          const seen: Vector[] = [];
          const oracle: GradientOracle = (p, g) => { seen.push(p); return inner(p, g); };
          for (let s = 0; s < 3; s++) {
            seen.length = 0;
            expect(opt.step(x, oracle)).toEqual(prev.step(twin, twinOracle));
            expect(firstBitDifference(x, twin)).toBe(-1);
            expect(seen.length).toBe(L);
            // In the arena every evaluation is at x's own array; else the first is at x, the rest at the chain's vector.
            expect(seen[0]).toBe(x);
            for (let j = 1; j < L; j++) if (inArena) expect(seen[j]).toBe(x); else expect(seen[j]).not.toBe(x);
          }
          expect(opt.state()).toEqual(prev.state());
        }
      }
    }
  });

  it.each(variants)('%s: a NaN gradient or a throwing oracle at any inner call leaves x and state() as before; the run then goes on as a twin that never failed', (_v, base) => {
    const L = 4;
    for (const failure of ['nan', 'throw'] as const) {
      for (let failOn = 0; failOn < L; failOn++) {
        for (const inArena of [true, false]) {
          for (const float64 of [true, false]) {
            const arena = inArena ? new WasmArena() : null, d = 9;
            const x = vector(d, float64, arena), twin = vector(d, float64, null);
            x.fill(0.7); twin.fill(0.7);
            const opts = { ...base, innerSteps: L };
            const opt = make(opts), twinOpt = make(opts), good = wavyOracle(), twinGood = wavyOracle();
            for (let s = 0; s < 2; s++) { opt.step(x, good); twinOpt.step(twin, twinGood); }
            const before = structuredClone(opt.state()), xBefore = x.slice();
            let call = 0;
            const bad: GradientOracle = (p, g) => {
              const f = good(p, g);
              if (call++ === failOn) { if (failure === 'throw') throw new Error('oracle failed'); g[5] = NaN; }
              return f;
            };
            expect(() => opt.step(x, bad)).toThrow(failure === 'throw' ? /oracle failed/ : new RegExp(`gradient must be finite; got NaN at index 5 \\(step 2, inner iteration ${failOn}\\)`));
            expect(firstBitDifference(x, xBefore)).toBe(-1);
            // The inner velocity is documented to hold what the failed step left (reload a checkpoint): compare the rest.
            const after = opt.state() as Record<string, unknown>, was = before as Record<string, unknown>;
            expect({ ...after, innerVelocity: null }).toEqual({ ...was, innerVelocity: null });
            if (base.innerMomentum === undefined) {
              const resume = wavyOracle(), twinResume = wavyOracle();
              for (let s = 0; s < 2; s++) expect(opt.step(x, resume)).toEqual(twinOpt.step(twin, twinResume));
              expect(firstBitDifference(x, twin)).toBe(-1);
            }
          }
        }
      }
    }
  });
});

describe('on two threads (d ≥ SPLIT_MIN, split passes)', () => {
  const initial = optimizerThreads();
  afterAll(() => setOptimizerThreads(initial));
  it('x in an arena, outer Nesterov momentum, noise: 1 and 2 threads give the bits of the plain loops; a NaN in the last pass leaves x and the velocity as they were', () => {
    const d = SPLIT_MIN + 4097, opts: Options = { lr: 0.5, t: 0.4, innerSteps: 3, beta: 1e4, seed: 9, momentum: 0.9, nesterov: true };
    const runs: Vector[] = [];
    for (const threads of [1, 2] as const) {
      setOptimizerThreads(threads);
      const arena = new WasmArena(), x = arena.allocF32(d), twin = new Float32Array(d);
      new Rng(1).fillNormal(x); twin.set(x);
      const opt = entropySGD(opts), prev = entropySGDPrev(opts), o = wavyOracle(), to = wavyOracle();
      for (let s = 0; s < 2; s++) expect(opt.step(x, o)).toEqual(prev.step(twin, to));
      expect(firstBitDifference(x, twin)).toBe(-1);
      const before = structuredClone(opt.state()), xBefore = x.slice();
      let call = 0;
      const bad: GradientOracle = (p, g) => { const f = o(p, g); if (call++ === 2) g[d - 3] = Infinity; return f; };
      expect(() => opt.step(x, bad)).toThrow(/gradient must be finite; got Infinity at index/);
      expect(firstBitDifference(x, xBefore)).toBe(-1);
      expect((opt.state() as { velocity: unknown }).velocity).toEqual((before as { velocity: unknown }).velocity);
      runs.push(x.slice());
    }
    expect(firstBitDifference(runs[0], runs[1])).toBe(-1);
  });
});
