// Option normals: 'parallel' (src/optim/block-normals.ts): the Langevin noise of parameter e in
// noisy pass c is value e mod 16,384 of the 8-lane SIMD generator seeded for block ⌊e/16,384⌋ from
// (key, c, block) — its float64 stream for float64 parameters, its one-word float32 stream for
// float32 ones. Checked against a reference built here: the block seeds by splitmix64 in BigInt
// arithmetic, the values drawn from those seeds by the float64 SIMD generator (SimdNormalKernel,
// itself tested against a BigInt xoshiro twin) or by the BigInt twin of the one-word stream
// (test/reference/ziggurat-word.ts), fed as the noise of the plain-loop Entropy-SGD
// (test/reference/optim-previous) — the optimizer's x must be those bits, on one and two threads,
// float64 and float32, across steps, checkpoints and a failed step; and the law of the noise.
import { afterAll, describe, expect, it } from 'vitest';
import { entropySGD, heat, elasticSGD, type GradientOracle, type Optimizer, type Vector } from '../../src/optim/index.js';
import { fileURLToPath } from 'node:url';
import { createOracle } from './fixtures/replica-objective.js';
import { entropySGD as entropySGDPrev } from '../reference/optim-previous/entropy-sgd.js';
import { BlockNormals } from '../../src/optim/block-normals.js';
import { SimdNormals, SimdNormalKernel, SIMD_NORMAL_KERNEL_BYTES } from '../../src/optim/simd-normal-kernel.js';
import { optimizerThreads, setOptimizerThreads, SPLIT_MIN } from '../../src/optim/threads.js';
import { WasmArena } from '../../src/wasm/kernels.js';
import { Rng } from '../../src/util/random.js';
import { firstBitDifference, wavyOracle } from './previous-pairs.js';
import { wordNormalsReference } from '../reference/ziggurat-word.js';

const NB = 16384;
const M64 = (1n << 64n) - 1n;
/** splitmix64's output function. */
function mix64(z: bigint): bigint {
  z = ((z ^ (z >> 30n)) * 0xBF58476D1CE4E5B9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94D049BB133111EBn) & M64;
  return z ^ (z >> 31n);
}
const GOLDEN = 0x9E3779B97F4A7C15n;

/** The generator state of block `block` of pass `counter` (the seeding the module comment of optim-inner.ts defines). */
function blockState(key: Uint32Array, counter: number, block: number): SimdNormals {
  const lo = (BigInt(key[1]) << 32n) | BigInt(key[0]), hi = (BigInt(key[3]) << 32n) | BigInt(key[2]);
  let s = mix64(mix64(lo ^ ((BigInt(counter) * GOLDEN) & M64)) ^ hi ^ ((BigInt(block) * 0xD1B54A32D192ED03n) & M64));
  const words: number[] = [];
  for (let i = 0; i < 18; i++) {
    s = (s + GOLDEN) & M64;
    const z = mix64(s);
    words.push(Number(z & 0xffffffffn), Number(z >> 32n));
  }
  // words 0…31: word w of lane j is words[4j + w]... in the kernel's word-major layout word k goes to lane k >> 2, word k & 3
  const lanes: number[] = [];
  for (let j = 0; j < 8; j++) for (let w = 0; w < 4; w++) lanes.push(words[4 * j + w]);
  for (let j = 0; j < 8; j++) if (!lanes.slice(4 * j, 4 * j + 4).some((v) => v !== 0)) lanes[4 * j] = 1;
  const rescue = words.slice(32, 36);
  if (!rescue.some((v) => v !== 0)) rescue[0] = 1;
  return SimdNormals.fromState({ s: lanes, rescue, pending: [] });
}

/** The reference noise of one pass over n parameters: blocks drawn from their own seeds (float32: the one-word stream's BigInt twin). */
function referencePass(kernel: SimdNormalKernel, out: Float64Array, key: Uint32Array, counter: number, n: number, float32: boolean): number[] {
  const z: number[] = [];
  for (let b = 0; b * NB < n; b++) {
    const len = Math.min(NB, n - b * NB);
    if (float32) { z.push(...wordNormalsReference(blockState(key, counter, b).state(), len)); continue; }
    kernel.normals(blockState(key, counter, b), out.byteOffset, len);
    for (let i = 0; i < len; i++) z.push(out[i]);
  }
  return z;
}

/** An Rng stand-in for the plain loops: normal() hands out the reference passes in order. */
function referenceNoise(seed: number, n: number, float32: boolean): { normal(): number } {
  const key = BlockNormals.fromRng(new Rng(seed).split(0)).key;
  const arena = new WasmArena(), base = arena.alloc(SIMD_NORMAL_KERNEL_BYTES, 64), out = arena.allocF64(NB);
  const kernel = new SimdNormalKernel(arena.memory, base);
  let pass = 0, values: number[] = [], i = 0;
  return {
    normal(): number {
      if (i === values.length) { values = referencePass(kernel, out, key, pass++, n, float32); i = 0; }
      return values[i++];
    },
  };
}

const initial = optimizerThreads();
afterAll(() => setOptimizerThreads(initial));

describe("normals: 'parallel'", () => {
  it('is validated', () => {
    expect(() => entropySGD({ lr: 1, t: 1, normals: 'blocks' as 'parallel' })).toThrow(/entropySGD: normals must be 'sequential' \| 'simd' \| 'parallel'; got/);
    expect(() => elasticSGD({ replicas: 2, lr: 1, t: 1, normals: 'blocks' as 'parallel' })).toThrow(/elasticSGD: normals must be 'sequential' \| 'simd' \| 'parallel'; got/);
    expect(() => BlockNormals.fromState({ key: [1, 2, 3], counter: 0 })).toThrow(/state.key must be four unsigned 32-bit integers/);
    expect(() => BlockNormals.fromState({ key: [1, 2, 3, 4], counter: -1 })).toThrow(/state.counter must be a non-negative integer/);
  });

  const cases: [string, number, boolean, 1 | 2][] = [
    ['d = 3 blocks + 5, float64, one thread', 3 * NB + 5, true, 1],
    ['d = 3 blocks + 5, float32, two threads', 3 * NB + 5, false, 2],
    ['d = SPLIT_MIN + 4097 (a partial block), float32, one thread', SPLIT_MIN + 4097, false, 1],
    ['d = SPLIT_MIN + 4097, float64, two threads', SPLIT_MIN + 4097, true, 2],
    ['d = 11 (one partial block), float32', 11, false, 2],
  ];
  it.each([[true], [false]])('x in an ordinary array (float64: %s; the chain in a workspace vector): the same bits as the plain loops', (float64) => {
    setOptimizerThreads(2);
    const d = 2 * NB + 9, opts = { lr: 0.5, t: 0.4, innerSteps: 2, beta: 300, seed: 8 };
    const x = float64 ? new Float64Array(d) : new Float32Array(d), twin = float64 ? new Float64Array(d) : new Float32Array(d);
    new Rng(4).fillNormal(x); twin.set(x);
    const opt = entropySGD({ ...opts, normals: 'parallel' }) as Optimizer<unknown>, prev = entropySGDPrev(opts);
    (prev as unknown as { rng: unknown }).rng = referenceNoise(opts.seed, d, !float64);
    const o = wavyOracle(), po = wavyOracle();
    for (let s = 0; s < 2; s++) expect(opt.step(x, o)).toEqual(prev.step(twin, po));
    expect(firstBitDifference(x, twin)).toBe(-1);
  });
  it.each(cases)('%s: x is the plain loops\' x with the reference block noise, bit for bit; a checkpoint resumes it', (_name, d, float64, threads) => {
    setOptimizerThreads(threads);
    const opts = { lr: 0.5, t: 0.4, innerSteps: 3, beta: 300, seed: 7, momentum: 0.5 };
    const arena = new WasmArena();
    const x = float64 ? arena.allocF64(d) : arena.allocF32(d), twin = float64 ? new Float64Array(d) : new Float32Array(d);
    new Rng(2).fillNormal(x); twin.set(x);
    const opt = entropySGD({ ...opts, normals: 'parallel' }) as Optimizer<unknown>, prev = entropySGDPrev(opts);
    (prev as unknown as { rng: unknown }).rng = referenceNoise(opts.seed, d, !float64);
    const o = wavyOracle(), po = wavyOracle();
    for (let s = 0; s < 2; s++) {
      expect(opt.step(x, o)).toEqual(prev.step(twin, po));
      expect(firstBitDifference(x, twin)).toBe(-1);
    }
    const saved = structuredClone(opt.state()) as { blocks: { counter: number } };
    expect(saved.blocks.counter).toBe(2 * opts.innerSteps);
    const resumed = entropySGD({ ...opts, normals: 'parallel' }) as Optimizer<unknown>;
    resumed.load(saved);
    const xr = float64 ? arena.allocF64(d) : arena.allocF32(d); xr.set(x);
    const oa = wavyOracle(), ob = wavyOracle();
    for (let s = 0; s < 2; s++) { opt.step(x, oa); resumed.step(xr, ob); }
    expect(firstBitDifference(x, xr)).toBe(-1);
  });

  // The float32 chain reads float32 noise in loops of its own (optim-inner.ts chainF32Z32): every
  // shape of the pass (L = 1: first and last at once; pairs; the fused last step with and without
  // outer momentum) and both inner momentum kinds, against the plain loops.
  it.each([
    ['L = 1', { innerSteps: 1 }],
    ['L = 4, inner momentum (all), outer momentum', { innerSteps: 4, innerMomentum: 0.6, momentum: 0.5 }],
    ['L = 5, inner Nesterov (gradient), outer Nesterov, wd', { innerSteps: 5, innerMomentum: 0.6, innerNesterov: true, innerMomentumOn: 'gradient' as const, momentum: 0.9, nesterov: true, weightDecay: 1e-3 }],
  ])('float32, %s, two threads: the plain loops\' x with the reference block noise, bit for bit', (_name, extra) => {
    setOptimizerThreads(2);
    const d = NB + 9, opts = { lr: 0.5, t: 0.4, beta: 300, seed: 5, ...extra };
    const arena = new WasmArena(), x = arena.allocF32(d), twin = new Float32Array(d);
    new Rng(3).fillNormal(x); twin.set(x);
    const opt = entropySGD({ ...opts, normals: 'parallel' }) as Optimizer<unknown>, prev = entropySGDPrev(opts);
    (prev as unknown as { rng: unknown }).rng = referenceNoise(opts.seed, d, true);
    const o = wavyOracle(), po = wavyOracle();
    for (let s = 0; s < 2; s++) {
      expect(opt.step(x, o)).toEqual(prev.step(twin, po));
      expect(firstBitDifference(x, twin)).toBe(-1);
    }
  });

  it('a failed step puts the pass counter back: the run then goes on as a twin that never failed (HEAT, two threads)', () => {
    setOptimizerThreads(2);
    const d = SPLIT_MIN + 3, opts = { lr: 0.5, t: 0.4, innerSteps: 3, beta: 100, seed: 1, normals: 'parallel' as const };
    const arena = new WasmArena(), x = arena.allocF32(d), twin = arena.allocF32(d);
    x.fill(0.3); twin.fill(0.3);
    const opt = heat(opts) as Optimizer<unknown>, other = heat(opts) as Optimizer<unknown>;
    const good = wavyOracle(), twinGood = wavyOracle();
    opt.step(x, good); other.step(twin, twinGood);
    const before = structuredClone(opt.state()), xBefore = x.slice();
    let call = 0;
    const bad: GradientOracle = (p, g) => { const f = good(p, g); if (call++ === 2) g[9] = NaN; return f; };
    expect(() => opt.step(x, bad)).toThrow(/heat: gradient must be finite; got NaN at index 9 \(step 1, inner iteration 2\)/);
    expect(firstBitDifference(x, xBefore)).toBe(-1);
    expect(opt.state()).toEqual(before);
    const resume = wavyOracle(), twinResume = wavyOracle();
    for (let s = 0; s < 2; s++) { opt.step(x, resume); other.step(twin, twinResume); }
    expect(firstBitDifference(x, twin)).toBe(-1);
  });

  it.each([[true], [false]])('the noise is N(0, 1) (float64: %s): moments, tails and a Kolmogorov–Smirnov distance over 10 blocks; blocks and passes differ', (float64) => {
    setOptimizerThreads(2);
    // Zero gradient, L = 1, α = 1, lr = t: x₁ = x₀ − η′·s·z with x₀ = 0 and η′·s = √(2η′/β) = 1 (η′ = 0.5, β = 1).
    const d = 10 * NB, arena = new WasmArena(), x = float64 ? arena.allocF64(d) : arena.allocF32(d);
    const opt = entropySGD({ lr: 1, t: 1, innerSteps: 1, innerLr: 0.5, beta: 1, alpha: 1, seed: 9, normals: 'parallel' }) as Optimizer<unknown>;
    const zero: GradientOracle = (_p, g) => { g.fill(0); return 0; };
    opt.step(x, zero);
    const z = Array.from(x, (v) => -v);
    const mean = z.reduce((a, b) => a + b, 0) / d, variance = z.reduce((a, b) => a + (b - mean) ** 2, 0) / d;
    // 5 standard errors: mean sd 1/√d; variance sd √(2/d).
    expect(Math.abs(mean)).toBeLessThan(5 / Math.sqrt(d));
    expect(Math.abs(variance - 1)).toBeLessThan(5 * Math.sqrt(2 / d));
    const beyond3 = z.filter((v) => Math.abs(v) > 3).length / d; // P(|Z| > 3) = 0.0026998
    expect(Math.abs(beyond3 - 0.0026998)).toBeLessThan(5 * Math.sqrt(0.0027 / d));
    const sorted = z.slice().sort((a, b) => a - b);
    const phi = (v: number): number => 0.5 * (1 + erf(v / Math.SQRT2));
    let ks = 0;
    for (let i = 0; i < d; i++) ks = Math.max(ks, Math.abs(phi(sorted[i]) - (i + 1) / d), Math.abs(phi(sorted[i]) - i / d));
    expect(ks).toBeLessThan(1.95 / Math.sqrt(d)); // the KS test's 0.1 % critical value
    // Distinct streams: block 1 is not block 0 again, and the next pass draws anew.
    expect(z.slice(NB, NB + 8)).not.toEqual(z.slice(0, 8));
    const first = x.slice();
    opt.step(x, zero);
    let moved = 0;
    for (let i = 0; i < d; i++) if (x[i] - first[i] !== -(first[i] - 0)) moved++;
    expect(moved).toBeGreaterThan(0.99 * d);
  });
});

// Worker replicas with normals: 'parallel' equal the in-process run: test/optim/simd-noise.test.ts.
describe("normals: 'parallel' in Elastic-SGD / Parle", () => {
  const objective = { module: fileURLToPath(new URL('./fixtures/replica-objective.ts', import.meta.url)), options: { sigma: 0.3, seed: 8 } };
  it('n = 1, ρ = 0 is Entropy-SGD with the same seed and option, bit for bit; checkpoints carry the block streams and must match the option', () => {
    const o = { lr: 0.5, t: 0.7, innerSteps: 4, beta: 30, seed: 6, normals: 'parallel' } as const;
    // Each run its own oracle (the fixture's minibatch stream advances with its calls).
    const d = NB + 17, fa = createOracle(objective.options, 0), fb = createOracle(objective.options, 0);
    const xa = new Float64Array(d).fill(0.3), xb = new Float64Array(d).fill(0.3);
    const e = elasticSGD({ replicas: 1, rho: 0, ...o }), s = entropySGD(o);
    for (let i = 0; i < 3; i++) { e.step(xa, fa); s.step(xb, fb); }
    expect(firstBitDifference(xa, xb)).toBe(-1);
    const state = e.state();
    expect(state.replicas[0].blocks?.counter).toBe(3 * o.innerSteps);
    expect(() => elasticSGD({ replicas: 1, rho: 0, ...o, normals: 'simd' }).load(state)).toThrow(/elasticSGD.load: replicas\[\].simd must be present/);
    expect(() => elasticSGD({ replicas: 1, rho: 0, ...o, normals: 'sequential' }).load(state)).toThrow(/elasticSGD.load: replicas\[\].blocks must be absent/);
  });

});

/**
 * erf(x): its Maclaurin series for |x| < 3 (terms to 1e-17), the continued fraction of erfc (Lentz)
 * beyond; both far more accurate than the 1e-3-scale KS distance they are compared with.
 */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax > 5.5) return Math.sign(x);
  if (ax < 3) {
    let term = ax, sum = ax;
    for (let k = 1; k < 200; k++) { term *= -ax * ax / k; const add = term / (2 * k + 1); sum += add; if (Math.abs(add) < 1e-17) break; }
    return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * sum);
  }
  let f = ax, c = ax, dd = 0;
  for (let k = 1; k < 200; k++) {
    const a = k / 2;
    dd = 1 / (ax + a * dd);
    c = ax + a / c;
    const delta = c * dd; f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}
