// The optimizers' WebAssembly update kernels (src/optim/workspace.ts) against the plain JavaScript
// loops they replaced (test/reference/optim-previous/, the optimizers as of commit 455b85f): same
// float64 operations in the same order, so trajectories and checkpoints must agree bit for bit, on
// Float64Array and Float32Array parameters, odd sizes, and sizes that cross the noise block. Adam
// on Float32Array computes in float32 since (test/optim/adam-float32.test.ts) and is left out there.
// x in a WebAssembly arena (updated in place): test/optim/in-place.test.ts.
import { describe, expect, it } from 'vitest';
import { sgd, adam, sam, type Optimizer } from '../../src/optim/index.js';
import { Workspace, adoptInto, workspaceFor, NOISE_BLOCK } from '../../src/optim/workspace.js';
import { Rng } from '../../src/util/random.js';
import { expectFailureLeavesNoTrace, firstBitDifference, pairs, wavyOracle } from './previous-pairs.js';

const types = [['Float64Array', (n: number) => new Float64Array(n)], ['Float32Array', (n: number) => new Float32Array(n)]] as const;
// 1 (a single odd element), 7 (odd), and 2·NOISE_BLOCK + 3 (three noise blocks, the last partial and odd).
const sizes = [1, 7, 2 * NOISE_BLOCK + 3];

describe.each(types)('wasm update kernels are bit-identical to the previous JS loops on %s', (type, make) => {
  it.each(pairs.filter(([name]) => !(type === 'Float32Array' && name.startsWith('adam'))))('%s: 4 steps, then a checkpoint round trip and 2 more steps', (_name, fast, previous) => {
    for (const d of sizes) {
      const x0 = make(d); new Rng(d).fillNormal(x0);
      const a = fast(), b = previous(), xa = make(d), xb = make(d);
      xa.set(x0); xb.set(x0);
      const oa = wavyOracle(), ob = wavyOracle();
      for (let s = 0; s < 4; s++) expect(a.step(xa, oa)).toEqual(b.step(xb, ob));
      expect(firstBitDifference(xa, xb)).toBe(-1);
      expect(a.state()).toEqual(b.state());
      // Resume both from the previous implementation's checkpoint (float64 snapshots, onto fresh optimizers).
      const saved = structuredClone(b.state());
      const a2 = fast(), b2 = previous();
      a2.load(structuredClone(saved)); b2.load(structuredClone(saved));
      for (let s = 0; s < 2; s++) expect(a2.step(xa, oa)).toEqual(b2.step(xb, ob));
      expect(firstBitDifference(xa, xb)).toBe(-1);
      expect(a2.state()).toEqual(b2.state());
    }
  });
});

describe('the gradient check runs before anything is written: x and the state are untouched', () => {
  // [name, factory, which oracle call of the step returns the NaN, message]
  const failing: [string, () => Optimizer<unknown>, number, RegExp][] = [
    ['sgd', () => sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>, 0, /sgd: gradient must be finite; got NaN at index 5 \(step 2\)\./],
    ['adam', () => adam({ lr: 0.01 }) as Optimizer<unknown>, 0, /adam: gradient must be finite; got NaN at index 5 \(step 2\)\./],
    ['sam (at x: the Σg² check)', () => sam({ lr: 0.1, momentum: 0.5 }) as Optimizer<unknown>, 0, /sam: gradient must be finite; got NaN at index 5 \(step 2, inner iteration 0\)\./],
    ['sam (at the shifted point)', () => sam({ lr: 0.1, momentum: 0.5 }) as Optimizer<unknown>, 1, /sam: gradient must be finite; got NaN at index 5 \(step 2, inner iteration 1\)\./],
  ];
  it.each(failing)('%s: a NaN gradient entry throws naming it; x and state() are as before, and the run continues as if it never happened', (_name, make, failOn, message) => {
    for (const float32 of [false, true]) {
      const x = float32 ? new Float32Array(9) : new Float64Array(9), twinX = float32 ? new Float32Array(9) : new Float64Array(9);
      expectFailureLeavesNoTrace(make, failOn, message, x, twinX);
    }
  });
});

describe('Workspace', () => {
  it('holds slots typed like x, and a loaded float64 buffer converts as a typed-array set does', () => {
    const x = new Float32Array(5);
    const ws = new Workspace(x, 2);
    expect(ws.vec(1)).toBeInstanceOf(Float32Array);
    expect(ws.vec(1).length).toBe(5);
    expect(ws.at(1) - ws.at(0)).toBeGreaterThanOrEqual(20);
    const loaded = Float64Array.from([0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(Array.from(adoptInto('t', ws.vec(0), loaded))).toEqual(Array.from(Float32Array.from(loaded)));
    expect(Array.from(adoptInto('t', ws.vec(1), null))).toEqual([0, 0, 0, 0, 0]);
  });

  it('is kept for x of the same type, rebuilt when x switches type, and refuses another length', () => {
    const ws = workspaceFor('t', null, new Float64Array(3), 1);
    expect(workspaceFor('t', ws, new Float64Array(3), 1)).toBe(ws);
    expect(workspaceFor('t', ws, new Float32Array(3), 1).float32).toBe(true);
    expect(() => workspaceFor('opt', ws, new Float64Array(4), 1)).toThrow(/opt: x must have length 3 .*; got 4\./);
    expect(() => adoptInto('opt', ws.vec(0), new Float64Array(2))).toThrow(/opt: x must have length 2 .*; got 3\./);
  });

  it('refuses a problem whose vectors do not fit the 4 GiB of a WebAssembly memory, before allocating', () => {
    const huge = { length: 2 ** 28 } as unknown as Float64Array; // 2 GiB per float64 vector
    expect(() => new Workspace(huge, 3)).toThrow(/Workspace: x must fit 3 copies in 4 GiB of kernel memory; got 268435456 elements \(6\.0 GiB\)\./);
  });

  it('requireFinite names the first non-finite gradient entry, and passes finite ones', () => {
    const ws = new Workspace(new Float32Array(9), 1);
    ws.vec(0).fill(1);
    expect(() => ws.requireFinite('opt', 0.5, 0, 3)).not.toThrow();
    ws.vec(0)[8] = -Infinity;
    expect(() => ws.requireFinite('opt', 0.5, 0, 3, 2)).toThrow(/opt: gradient must be finite; got -Infinity at index 8 \(step 3, inner iteration 2\)\./);
    expect(() => ws.requireFinite('opt', NaN, 0, 1)).toThrow(/opt: loss must be finite; got NaN \(step 1\)\./);
  });
});
