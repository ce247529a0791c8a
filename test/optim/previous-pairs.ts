// Shared by the suites that compare the optimizers with the plain JavaScript loops the wasm kernels
// replaced (test/reference/optim-previous/): the optimizer pairs, a call-count-dependent oracle, and
// a bit comparison, and the failure-contract check.
import { expect } from 'vitest';
import { WasmArena } from '../../src/wasm/kernels.js';
import { sgd, adam, sam, hj, entropySGD, heat, elasticSGD, fromReference, type GradientOracle, type Optimizer, type Vector } from '../../src/optim/index.js';
import { sgd as sgdPrev } from '../reference/optim-previous/sgd.js';
import { adam as adamPrev } from '../reference/optim-previous/adam.js';
import { sam as samPrev } from '../reference/optim-previous/sam.js';
import { hj as hjPrev } from '../reference/optim-previous/hj.js';
import { entropySGD as entropySGDPrev } from '../reference/optim-previous/entropy-sgd.js';
import { heat as heatPrev } from '../reference/optim-previous/heat.js';
import { elasticSGD as elasticSGDPrev } from '../reference/optim-previous/elastic-sgd.js';

/** Index of the first element whose bits differ (−1: identical); +0 and −0 differ, NaN payloads too. */
export function firstBitDifference(a: Vector, b: Vector): number {
  if (a.length !== b.length || (a instanceof Float32Array) !== (b instanceof Float32Array)) return 0;
  const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  const size = a.BYTES_PER_ELEMENT;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return Math.floor(i / size);
  return -1;
}

/**
 * A non-quadratic oracle whose gradient also depends on the call count (as a minibatch stream does):
 * g_i = sin(3x_i) + 0.1·x_i³ + 0.01·cos(i + c)·c, so any change of evaluation order shows.
 */
export function wavyOracle(): GradientOracle {
  let c = 0;
  return (x, grad) => {
    c++;
    let f = 0;
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      grad[i] = Math.sin(3 * v) + 0.1 * v * v * v + 0.01 * Math.cos(i + c) * c;
      f += -Math.cos(3 * v) / 3 + 0.025 * v ** 4;
    }
    return f / x.length;
  };
}

export type Factory = () => Optimizer<unknown>;
export const pairs: [string, Factory, Factory][] = [
  ['sgd', () => sgd({ lr: 0.1 }) as Optimizer<unknown>, () => sgdPrev({ lr: 0.1 }) as Optimizer<unknown>],
  ['sgd (Nesterov, wd)', () => sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>,
    () => sgdPrev({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>],
  ['sgd (heavy ball)', () => sgd({ lr: 0.05, momentum: 0.5 }) as Optimizer<unknown>, () => sgdPrev({ lr: 0.05, momentum: 0.5 }) as Optimizer<unknown>],
  ['adam (wd)', () => adam({ lr: 0.01, weightDecay: 1e-2 }) as Optimizer<unknown>, () => adamPrev({ lr: 0.01, weightDecay: 1e-2 }) as Optimizer<unknown>],
  ['sam (momentum, wd)', () => sam({ lr: 0.1, rho: 0.05, momentum: 0.9, weightDecay: 1e-3 }) as Optimizer<unknown>,
    () => samPrev({ lr: 0.1, rho: 0.05, momentum: 0.9, weightDecay: 1e-3 }) as Optimizer<unknown>],
  ['hj fixed point (Nesterov, wd)', () => hj({ lr: 0.2, t: 0.3, innerSteps: 4, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>,
    () => hjPrev({ lr: 0.2, t: 0.3, innerSteps: 4, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>],
  ['hj prox (heavy ball)', () => hj({ method: 'prox', lr: 0.2, t: 0.3, innerSteps: 3, innerLr: 0.05, momentum: 0.5, weightDecay: 1e-3 }) as Optimizer<unknown>,
    () => hjPrev({ method: 'prox', lr: 0.2, t: 0.3, innerSteps: 3, innerLr: 0.05, momentum: 0.5, weightDecay: 1e-3 }) as Optimizer<unknown>],
  ['entropy-sgd (noiseless)', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3 }) as Optimizer<unknown>,
    () => entropySGDPrev({ lr: 0.5, t: 0.4, innerSteps: 3 }) as Optimizer<unknown>],
  ['entropy-sgd (β = 100, inner momentum on the gradient, reset)', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 100, seed: 5,
    innerMomentum: 0.5, innerNesterov: true, innerMomentumOn: 'gradient', resetInnerMomentum: true, weightDecay: 1e-3 }) as Optimizer<unknown>,
  () => entropySGDPrev({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 100, seed: 5,
    innerMomentum: 0.5, innerNesterov: true, innerMomentumOn: 'gradient', resetInnerMomentum: true, weightDecay: 1e-3 }) as Optimizer<unknown>],
  ['entropy-sgd (reference preset: coupling form, Nesterov on both loops, noise)', () => entropySGD(fromReference({ L: 3, g0: 1, g1: 0.1, eps: 0.05, seed: 2 })) as Optimizer<unknown>,
    () => entropySGDPrev(fromReference({ L: 3, g0: 1, g1: 0.1, eps: 0.05, seed: 2 })) as Optimizer<unknown>],
  ['entropy-sgd (heavy-ball inner momentum on all, β = 1e4)', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 2, beta: 1e4, innerMomentum: 0.7, momentum: 0.3 }) as Optimizer<unknown>,
    () => entropySGDPrev({ lr: 0.5, t: 0.4, innerSteps: 2, beta: 1e4, innerMomentum: 0.7, momentum: 0.3 }) as Optimizer<unknown>],
  ['heat (β = 50)', () => heat({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 50, seed: 3 }) as Optimizer<unknown>,
    () => heatPrev({ lr: 0.5, t: 0.4, innerSteps: 3, beta: 50, seed: 3 }) as Optimizer<unknown>],
  ['elastic-sgd (n = 2, elastic centre, noise, momentum)', () => elasticSGD({ replicas: 2, lr: 0.3, t: 0.4, rho: 0.2, center: 'elastic', innerSteps: 2, beta: 200, innerMomentum: 0.5, momentum: 0.5, seed: 4 }) as Optimizer<unknown>,
    () => elasticSGDPrev({ replicas: 2, lr: 0.3, t: 0.4, rho: 0.2, center: 'elastic', innerSteps: 2, beta: 200, innerMomentum: 0.5, momentum: 0.5, seed: 4 }) as Optimizer<unknown>],
  ['elastic-sgd (n = 3, mean centre, Nesterov, wd, coupling form)', () => elasticSGD({ replicas: 3, lr: 0.3, t: 0.4, rho: 0.1, innerSteps: 2, form: 'coupling', momentum: 0.9, nesterov: true, weightDecay: 1e-3, seed: 6 }) as Optimizer<unknown>,
    () => elasticSGDPrev({ replicas: 3, lr: 0.3, t: 0.4, rho: 0.1, innerSteps: 2, form: 'coupling', momentum: 0.9, nesterov: true, weightDecay: 1e-3, seed: 6 }) as Optimizer<unknown>],
];

/**
 * The failure contract of a step, with x (filled with 0.7) wherever the caller put it: after two good
 * steps, oracle call `failOn` of the third step either writes a NaN into the gradient at index 5 (then
 * the step must throw `message`) or, with message 'throw', throws an Error('oracle failed') itself
 * (which must propagate); x and state() must be as they were, and the run must then go on exactly as
 * a twin that never saw the failure (twinX: an ordinary array of x's type).
 */
export function expectFailureLeavesNoTrace(make: () => Optimizer<unknown>, failOn: number, message: RegExp | 'throw', x: Vector, twinX: Vector): void {
  x.fill(0.7); twinX.fill(0.7);
  const opt = make(), twin = make(), good = wavyOracle(), twinGood = wavyOracle();
  for (let s = 0; s < 2; s++) { opt.step(x, good); twin.step(twinX, twinGood); }
  const before = structuredClone(opt.state()), xBefore = x.slice();
  let call = 0;
  const bad: GradientOracle = (xv, g) => {
    const f = good(xv, g);
    if (call++ === failOn) { if (message === 'throw') throw new Error('oracle failed'); g[5] = NaN; }
    return f;
  };
  expect(() => opt.step(x, bad)).toThrow(message === 'throw' ? 'oracle failed' : message);
  expect(firstBitDifference(x, xBefore)).toBe(-1);
  expect(opt.state()).toEqual(before);
  const resume = wavyOracle(), twinResume = wavyOracle();
  for (let s = 0; s < 2; s++) expect(opt.step(x, resume)).toEqual(twin.step(twinX, twinResume));
  expect(firstBitDifference(x, twinX)).toBe(-1);
  expect(opt.state()).toEqual(twin.state());
}

/** A vector of the given type holding x0, in `arena` or (null) in an ordinary array. */
export function placed(x0: Vector, arena: WasmArena | null, float64: boolean): Vector {
  const n = x0.length;
  const x = arena === null ? (float64 ? new Float64Array(n) : new Float32Array(n)) : (float64 ? arena.allocF64(n) : arena.allocF32(n));
  x.set(x0);
  return x;
}

/**
 * `steps` steps of make() with x0 placed in a wasm arena and in an ordinary array, and of the previous
 * loops (makePrev) in another ordinary array, on wavy oracles: the step results, the x's and the
 * states must agree bit for bit. Returns the arena run and the previous run, for further checks.
 */
export function expectPlacementsAgree(make: () => Optimizer<unknown>, makePrev: () => Optimizer<unknown>, x0: Vector, float64: boolean, steps = 3):
  { a: Optimizer<unknown>; c: Optimizer<unknown>; xa: Vector; xc: Vector } {
  const xa = placed(x0, new WasmArena(), float64), xb = placed(x0, null, float64), xc = placed(x0, null, float64);
  const a = make(), b = make(), c = makePrev(), oa = wavyOracle(), ob = wavyOracle(), oc = wavyOracle();
  for (let s = 0; s < steps; s++) {
    const r = a.step(xa, oa);
    expect(r).toEqual(b.step(xb, ob));
    expect(r).toEqual(c.step(xc, oc));
  }
  expect(firstBitDifference(xa, xc)).toBe(-1);
  expect(firstBitDifference(xb, xc)).toBe(-1);
  expect(a.state()).toEqual(c.state());
  expect(b.state()).toEqual(c.state());
  return { a, c, xa, xc };
}
