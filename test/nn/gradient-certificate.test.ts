// networkOracle's gradientFinite certificate (src/optim/types.ts GradientOracle): the copy of the
// network's gradient into the caller's vector checks every value on the way (wasm copyFinite) when
// both live in the engine's memory, so SGD and Adam need no pass of their own over the gradient.
import { describe, expect, it } from 'vitest';
import { linear, networkOracle, relu, sequential } from '../../src/nn/index.js';
import { blobs } from './helpers.js';
import { adam, countEvaluations, gradientFiniteOf, sgd } from '../../src/optim/index.js';

const data = blobs(64, 1);
const model = () => sequential([2], [linear(8), relu(), linear(2)], { seed: 3 });

describe('networkOracle: gradientFinite', () => {
  it('true when the gradient is copied into the engine\'s memory and finite; false with a non-finite entry; undefined otherwise', () => {
    const net = model(), n = net.paramCount;
    const inEngine = net.engine.alloc?.(n);
    expect(inEngine).toBeDefined(); // the default engine has its own memory
    const { oracle } = networkOracle(net, data, { seed: 1 });
    expect(gradientFiniteOf(oracle)).toBeUndefined(); // before any call
    expect(Number.isFinite(oracle(net.params, inEngine!))).toBe(true);
    expect(gradientFiniteOf(oracle)).toBe(true);
    expect(Array.from(inEngine!)).toEqual(Array.from(net.grads)); // the copy is exact
    // An ordinary array: copied by a typed-array set, not checked.
    oracle(net.params, new Float32Array(n));
    expect(gradientFiniteOf(oracle)).toBeUndefined();
    // The gradient itself (no copy): not checked.
    oracle(net.params, net.grads);
    expect(gradientFiniteOf(oracle)).toBeUndefined();
    // L2 added after the copy: not certified.
    const { oracle: withL2 } = networkOracle(net, data, { seed: 1, l2: 1e-3 });
    withL2(net.params, inEngine!);
    expect(gradientFiniteOf(withL2)).toBeUndefined();
    // A huge weight: the gradient overflows to ±∞ or NaN somewhere, and the certificate says so.
    net.params[0] = 3e38; net.params[1] = -3e38;
    oracle(net.params, inEngine!);
    expect(Array.from(inEngine!).every(Number.isFinite)).toBe(false);
    expect(gradientFiniteOf(oracle)).toBe(false);
  });

  it('SGD and Adam on it: the same bits as with the certificate hidden (their own check then runs); a non-finite gradient still throws naming its entry', () => {
    for (const make of [() => sgd({ lr: 0.1, momentum: 0.9, nesterov: true }), () => adam({ lr: 0.01 })]) {
      const a = model(), b = model();
      const oa = networkOracle(a, data, { seed: 2 }).oracle, ob = networkOracle(b, data, { seed: 2 }).oracle;
      const hidden = ((x, g) => ob(x, g)) as typeof ob; // a wrapper without the property
      const optA = make(), optB = make();
      for (let s = 0; s < 3; s++) {
        expect(optA.step(a.params, oa)).toEqual(optB.step(b.params, hidden));
        expect(gradientFiniteOf(oa)).toBe(true);
        expect(gradientFiniteOf(hidden)).toBeUndefined();
      }
      expect(Array.from(a.params)).toEqual(Array.from(b.params));
      // countEvaluations passes the certificate through.
      const counted = countEvaluations(oa);
      optA.step(a.params, counted.oracle);
      expect(gradientFiniteOf(counted.oracle)).toBe(true);
    }
    // An oracle certifying false: the optimizer's own scan names the entry, x untouched.
    const x = new Float64Array(4).fill(1), before = x.slice();
    const liar = Object.defineProperty(((_x: unknown, g: Float64Array) => { g.fill(0); g[2] = NaN; return 0; }) as never, 'gradientFinite', { value: false });
    expect(() => sgd({ lr: 0.1 }).step(x, liar)).toThrow(/sgd: gradient must be finite; got NaN at index 2 \(step 0\)\./);
    expect(Array.from(x)).toEqual(Array.from(before));
    // Certified true, the optimizers trust it (the certificate is the oracle's promise): no scan.
    const trusted = Object.defineProperty(((_x: unknown, g: Float64Array) => { g.fill(0); g[2] = NaN; return 0; }) as never, 'gradientFinite', { value: true });
    expect(() => adam({ lr: 0.1 }).step(x, trusted)).not.toThrow();
    expect(Number.isNaN(x[2])).toBe(true);
  });
});

describe('WasmOps.copyFinite', () => {
  it('copies exactly and flags NaN, +∞, −∞ at every position of every length 1…19 (vector body and tail); null outside the engine\'s memory', () => {
    const net = model(), engine = net.engine, ops = engine.ops!;
    for (let n = 1; n < 20; n++) {
      const src = engine.alloc!(n), dst = engine.alloc!(n);
      for (let i = 0; i < n; i++) src[i] = (i + 1) * (i % 2 ? -1.5 : 1e-40); // subnormals are finite
      expect(ops.copyFinite(src, dst)).toBe(true);
      expect(Array.from(dst)).toEqual(Array.from(src));
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (let p = 0; p < n; p++) {
          const keep = src[p]; src[p] = bad;
          expect(ops.copyFinite(src, dst)).toBe(false);
          expect(Object.is(dst[p], bad)).toBe(true);
          src[p] = keep;
        }
      }
    }
    expect(ops.copyFinite(new Float32Array(3), engine.alloc!(3))).toBeNull();
    expect(ops.copyFinite(engine.alloc!(3), engine.alloc!(4))).toBeNull();
  });
});
