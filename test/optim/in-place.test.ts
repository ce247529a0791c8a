// x in a WebAssembly arena (as the network's parameters live in the 'wasm-simd' engine's memory):
// the workspace goes into that arena and the kernels update x in place, with no copy in or out
// (src/optim/workspace.ts). The results must be the same bits as with x in an ordinary array (the
// copying path) and as the previous plain JS loops; also with an oracle that, like networkOracle,
// loads every point it evaluates into x's own array (the previous loops then read the overwritten x:
// only the two paths are compared); and the failure contract must hold.
import { describe, expect, it } from 'vitest';
import { sgd, adam, sam, hj, entropySGD, type GradientOracle, type Optimizer, type Vector } from '../../src/optim/index.js';
import { NOISE_BLOCK, workspaceFor } from '../../src/optim/workspace.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { Rng } from '../../src/util/random.js';
import { expectFailureLeavesNoTrace, firstBitDifference, pairs, wavyOracle } from './previous-pairs.js';

/**
 * An oracle that holds its parameters in `params` (as networkOracle holds net.params): a point other
 * than `params` is first copied into it, so evaluating elsewhere overwrites the caller's x when x is
 * `params`. The gradient is {@link wavyOracle}'s.
 */
function loadingOracle(params: Vector): GradientOracle {
  const inner = wavyOracle();
  return (p, g) => { if (p !== params) params.set(p); return inner(params, g); };
}

const types = [['Float64Array', true], ['Float32Array', false]] as const;
const sizes = [1, 7, 2 * NOISE_BLOCK + 3];

/** x of `float64`'s type in `arena`, or in an ordinary array when arena is null, holding x0. */
function place(x0: Vector, arena: WasmArena | null): Vector {
  const x = arena === null ? (x0 instanceof Float64Array ? new Float64Array(x0.length) : new Float32Array(x0.length))
    : (x0 instanceof Float64Array ? arena.allocF64(x0.length) : arena.allocF32(x0.length));
  x.set(x0);
  return x;
}

describe.each(types)('x in a wasm arena (%s): updated in place, the same bits as in an ordinary array and as the previous JS loops', (type, float64) => {
  it.each(pairs)('%s: 4 steps, a checkpoint round trip, 2 more; with a plain and with a loading oracle', (name, fast, previous) => {
    for (const [d, loading] of sizes.flatMap((d) => [[d, false], [d, true]] as const)) {
      // float32 Adam computes in float32 now (adam-float32.test.ts).
      const withPrevious = !loading && (float64 || !name.startsWith('adam'));
      const x0 = float64 ? new Float64Array(d) : new Float32Array(d); new Rng(d).fillNormal(x0);
      const arena = new WasmArena();
      const xa = place(x0, arena), xb = place(x0, null), xc = place(x0, null);
      const a = fast(), b = fast(), c = previous();
      const [oa, ob, oc] = loading ? [loadingOracle(xa), loadingOracle(xb), loadingOracle(xc)] : [wavyOracle(), wavyOracle(), wavyOracle()];
      const used = arena.used;
      for (let s = 0; s < 4; s++) {
        const r = a.step(xa, oa);
        expect(r).toEqual(b.step(xb, ob));
        if (withPrevious) expect(r).toEqual(c.step(xc, oc));
        // The workspace went into x's arena at the first step, and nothing more after.
        if (s === 0) expect(arena.used - used).toBeGreaterThanOrEqual(2 * d * x0.BYTES_PER_ELEMENT);
        if (s === 0) expect(arena.used).toBeGreaterThan(used);
      }
      const after = arena.used;
      expect(firstBitDifference(xa, xb)).toBe(-1);
      if (withPrevious) expect(firstBitDifference(xa, xc)).toBe(-1);
      expect(a.state()).toEqual(b.state());
      if (withPrevious) expect(a.state()).toEqual(c.state());
      const saved = structuredClone(a.state());
      const a2 = fast(), b2 = fast();
      a2.load(structuredClone(saved)); b2.load(structuredClone(saved));
      for (let s = 0; s < 2; s++) expect(a2.step(xa, oa)).toEqual(b2.step(xb, ob));
      expect(firstBitDifference(xa, xb)).toBe(-1);
      expect(a2.state()).toEqual(b2.state());
      expect(arena.used).toBeGreaterThan(after); // a2's own workspace, in the arena too
    }
  });
});

describe('x in a wasm arena: a non-finite gradient throws before anything is written', () => {
  const failing: [string, () => Optimizer<unknown>, number, RegExp][] = [
    ['sgd', () => sgd({ lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }) as Optimizer<unknown>, 0, /sgd: gradient must be finite; got NaN at index 5 \(step 2\)\./],
    ['adam', () => adam({ lr: 0.01, weightDecay: 1e-3 }) as Optimizer<unknown>, 0, /adam: gradient must be finite; got NaN at index 5 \(step 2\)\./],
    ['sam (at x)', () => sam({ lr: 0.1, momentum: 0.5 }) as Optimizer<unknown>, 0, /sam: gradient must be finite; got NaN at index 5 \(step 2, inner iteration 0\)\./],
    ['sam (at the shifted point)', () => sam({ lr: 0.1, momentum: 0.5 }) as Optimizer<unknown>, 1, /sam: gradient must be finite; got NaN at index 5 \(step 2, inner iteration 1\)\./],
    ['hj (last inner point)', () => hj({ lr: 0.2, t: 0.3, innerSteps: 2, momentum: 0.9 }) as Optimizer<unknown>, 2, /hj: gradient must be finite; got NaN at index 5 \(step 2, inner iteration 2\)\./],
    ['entropy-sgd (last inner step)', () => entropySGD({ lr: 0.5, t: 0.4, innerSteps: 3, momentum: 0.5 }) as Optimizer<unknown>, 2, /entropySGD: gradient must be finite; got NaN at index 5 \(step 2, inner iteration 2\)\./],
  ];
  it.each(failing)('%s: throws naming the entry; x and state() as before; the run then continues as if it never happened', (_name, make, failOn, message) => {
    for (const float64 of [true, false]) {
      const arena = new WasmArena();
      const x = float64 ? arena.allocF64(9) : arena.allocF32(9), twinX = float64 ? new Float64Array(9) : new Float32Array(9);
      expectFailureLeavesNoTrace(make, failOn, message, x, twinX);
    }
  });
});

describe('where the workspace goes', () => {
  it('an arena that cannot grow by the workspace (2 GiB) leaves it in a memory of its own: x is copied, same bits', () => {
    const arena = new WasmArena();
    const x = arena.allocF32(7), twinX = new Float32Array(7);
    new Rng(3).fillNormal(x); twinX.set(x);
    arena.alloc(2 ** 31 - arena.used - 64); // the arena is full (its memory reserved, not touched)
    const used = arena.used;
    const ws = workspaceFor('t', null, x, 3);
    expect(ws.arena).toBeNull();
    expect(ws.home).toBe(arena);
    expect(ws.holds(x)).toBe(false);
    expect(arena.used).toBe(used);
    expect(workspaceFor('t', ws, x, 3)).toBe(ws); // not retried every step
    const a = sgd({ lr: 0.1, momentum: 0.9 }), b = sgd({ lr: 0.1, momentum: 0.9 }), oa = wavyOracle(), ob = wavyOracle();
    for (let s = 0; s < 3; s++) expect(a.step(x, oa)).toEqual(b.step(twinX, ob));
    expect(firstBitDifference(x, twinX)).toBe(-1);
    expect(arena.used).toBe(used);
  });

  it('is rebuilt in the arena when x moves into one (the state carried over), and an x in no arena is copied through it', () => {
    const arena = new WasmArena();
    const plain = new Float64Array(5).fill(0.3), inArena = arena.allocF64(5), twinX = new Float64Array(5).fill(0.3);
    const ws = workspaceFor('t', null, plain, 2);
    expect(ws.arena).toBeNull();
    const moved = workspaceFor('t', ws, inArena, 2);
    expect(moved.arena).toBe(arena);
    expect(moved.holds(inArena)).toBe(true);
    expect(moved.holds(plain)).toBe(false);
    expect(workspaceFor('t', moved, plain, 2)).toBe(moved);
    // An optimizer stepping first an ordinary x, then x in an arena, then the ordinary one again.
    const a = adam({ lr: 0.05 }), b = adam({ lr: 0.05 }), oa = wavyOracle(), ob = wavyOracle();
    const xs = [plain, inArena, plain];
    for (const x of xs) {
      x.set(twinX);
      expect(a.step(x, oa)).toEqual(b.step(twinX, ob));
      expect(firstBitDifference(x, twinX)).toBe(-1);
    }
    expect(a.state()).toEqual(b.state());
  });

  it('holds views of its arena made before and after the arena grew, and subarrays of them', () => {
    const arena = new WasmArena(65536);
    const x = arena.allocF32(1000);
    const ws = workspaceFor('t', null, x, 1);
    const later = arena.allocF32(100_000); // grows the memory: a new buffer object
    expect(later.buffer).not.toBe(x.buffer);
    expect(ws.holds(x)).toBe(true);
    expect(ws.holds(later)).toBe(true);
    expect(ws.holds(x.subarray(3, 10))).toBe(true);
    expect(ws.place(later, 0)).toBe(later.byteOffset);
    expect(ws.holds(new Float32Array(1000))).toBe(false);
    expect(ws.holds(new WasmArena().allocF32(1000))).toBe(false);
  });
});
