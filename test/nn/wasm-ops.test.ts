import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import { batchNorm, conv2d, dropout, linear, maxPool, relu, wasmSimdEngine, type LayerFactory, type MatmulEngine, type Mode } from '../../src/nn/index.js';

/** Indices where two arrays differ (Object.is), at most 5. */
function differences(got: ArrayLike<number>, want: ArrayLike<number>): number[] {
  const bad: number[] = [];
  if (got.length !== want.length) return [-1];
  for (let i = 0; i < got.length && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
  return bad;
}

/**
 * Runs a layer forward (twice) then backward with the same data: on `engine` with every batch array
 * in the engine's memory (so the wasm kernels run), and on the same products without `alloc` and
 * `ops` (so the layer's TypeScript loops run); returns both.
 */
function both(factory: LayerFactory, inShape: number[], batch: number, mode: Mode, engine: MatmulEngine, seed: number,
  prepare: (p: Float32Array, x: Float32Array, dy: Float32Array) => void = () => {}) {
  const loops: MatmulEngine = { name: engine.name, threads: 1, packsRight: false, matmul: engine.matmul.bind(engine), gemm: engine.gemm!.bind(engine) };
  const runs = [engine, loops].map((e) => {
    const rng = new Rng(seed), layer = factory(inShape);
    const inSize = inShape.reduce((a, b) => a * b, 1), outSize = layer.outShape.reduce((a, b) => a * b, 1);
    const alloc = (n: number) => e.alloc?.(n) ?? new Float32Array(n);
    const p = alloc(layer.paramCount), g = alloc(layer.paramCount), x = alloc(batch * inSize), dy = alloc(batch * outSize);
    rng.fillNormal(p); rng.fillNormal(x); rng.fillNormal(dy);
    x[3] = 0; x[5] = NaN; x[7] = -0; // ReLU edge cases; NaN spreads through batch statistics alike
    prepare(p, x, dy);
    layer.bind(p, g);
    const ctx = { batch, mode, engine: e, rng: new Rng(seed + 1) };
    const y = Float32Array.from(layer.forward(x, ctx).subarray(0, batch * outSize));
    const y2 = Float32Array.from(layer.forward(x, ctx).subarray(0, batch * outSize)); // second batch: streams and running statistics move on
    const dx = layer.backward(dy, ctx, true);
    return { y, y2, dx: dx ? Float32Array.from(dx.subarray(0, batch * inSize)) : null, g: Float32Array.from(g), buffers: layer.buffers.map((b) => Float32Array.from(b)), rng: ctx.rng.state() };
  });
  return { wasm: runs[0], ts: runs[1] };
}

// One thread, and two threads with every elementwise op split between them (splitMin 1: rows, or
// channels for the batch-norm sums, in two chunks; dropout's second chunk from a jumped stream).
describe.each([['one thread', 1], ['two threads, every op split', 2]] as const)('wasm layer kernels (elementwise, im2col/col2im, pooling) give the bits of the TypeScript layer loops (%s)', (_label, threads) => {
  const engine = wasmSimdEngine({ threads });
  engine.ops.splitMin = 1;
  afterAll(() => engine.close());
  // Counts the kernel calls that ran (returned true), to show the wasm path was taken.
  let ran = 0;
  const ops = engine.ops as unknown as Record<string, (...a: unknown[]) => boolean>;
  for (const name of ['relu', 'reluBackward', 'mul', 'dropout', 'addRows', 'sumRows', 'bnSums', 'bnNormalize', 'bnBackwardSums', 'bnBackwardDx',
    'im2col', 'col2im', 'convOut', 'convGradRows', 'maxPool', 'maxPoolBackward', 'gatherColumns', 'scatterRows']) {
    const f = ops[name].bind(ops);
    ops[name] = (...a: unknown[]) => { const ok = f(...a); if (ok) ran++; return ok; };
  }

  const cases: [string, LayerFactory, number[], number][] = [
    ['relu', relu(), [37], 5], ['dropout 0.2', dropout(0.2), [37], 5], ['dropout 0.8 (threshold near 1)', dropout(0.8), [37], 5], ['dropout 0.5 on (C, H, W)', dropout(0.5), [3, 5, 7], 4],
    ['batchNorm 1-D', batchNorm(), [37], 6], ['batchNorm 1-D, even channels (two per lane pair)', batchNorm(), [38], 6], ['batchNorm (C, H, W)', batchNorm(), [3, 5, 7], 4], ['linear (bias rows)', linear(13), [37], 6],
    ['conv2d 3×3', conv2d({ channels: 4, kernel: 3 }), [2, 7, 6], 3], ['conv2d 3×3 stride 2 padding 1', conv2d({ channels: 5, kernel: 3, stride: 2, padding: 1 }), [3, 8, 7], 2],
    ['conv2d 5×5 padding 3', conv2d({ channels: 2, kernel: 5, padding: 3 }), [1, 4, 5], 2],
    ['maxPool 2', maxPool(2), [3, 6, 6], 3], ['maxPool 3 (7×8: remainders dropped)', maxPool(3), [2, 7, 8], 2],
    ['maxPool 2, 9×11 (four lanes then one column)', maxPool(2), [2, 9, 11], 3], ['maxPool 3, 24×24 (LeNet: two lane groups)', maxPool(3), [2, 24, 24], 2],
    ['conv2d 5×5, 9 channels, 12×13 (LeNet-like widths)', conv2d({ channels: 9, kernel: 5 }), [3, 12, 13], 2],
  ];
  const modes: Mode[] = ['train', 'calibrate', 'eval'];
  it.each(cases.flatMap(([name, f, shape, batch]) => modes.map((mode) => [name, mode, f, shape, batch] as const)))('%s in %s mode', (name, mode, factory, shape, batch) => {
    ran = 0;
    const { wasm, ts } = both(factory, shape, batch, mode, engine, 11);
    if (!name.startsWith('dropout') || mode === 'train') expect(ran).toBeGreaterThan(0); // dropout is the identity outside training
    expect(differences(wasm.y, ts.y)).toEqual([]);
    expect(differences(wasm.y2, ts.y2)).toEqual([]);
    expect(wasm.dx).not.toBeNull();
    expect(differences(wasm.dx!, ts.dx!)).toEqual([]);
    expect(differences(wasm.g, ts.g)).toEqual([]);
    wasm.buffers.forEach((b, i) => expect(differences(b, ts.buffers[i])).toEqual([]));
    expect(wasm.rng).toEqual(ts.rng); // dropout draws as many uniforms as the TypeScript loop
  });

  // Inputs 0 across the batch are left out of the products (linear-skip.ts): same bits as the
  // full products, also when a weight of a skipped input is infinite (0·∞ = NaN) or ∂y has a NaN.
  const [batch, nin, nout] = [6, 40, 13], zero = [0, 4, 5, 6, 7, 8, 9, 39];
  const zeroColumns = (x: Float32Array) => { for (let s = 0; s < batch; s++) for (const c of zero) x[s * nin + c] = s % 2 ? 0 : -0; };
  it.each([
    ['finite weights and ∂y (products skip the zero inputs)', (_p: Float32Array, _dy: Float32Array) => {}, 3],
    ['an infinite weight on a zero input', (p: Float32Array) => { p[4 * nout + 2] = Infinity; }, 0], // no skip at all
    ['an infinite weight on a used input (input 5: x[5] = 1)', (p: Float32Array) => { p[5 * nout + 2] = Infinity; }, 3], // it goes through the product: skip
    ['a NaN in ∂y', (_p: Float32Array, dy: Float32Array) => { dy[3 * nout + 1] = NaN; }, 2], // full ∂W product
  ] as const)('linear with inputs 0 across the batch, %s', (_name, spoil, gathers) => {
    let gathered = 0;
    const g = ops.gatherColumns, s = ops.scatterRows;
    ops.gatherColumns = (...a: unknown[]) => { gathered++; return g(...a); };
    ops.scatterRows = (...a: unknown[]) => { gathered++; return s(...a); };
    const { wasm, ts } = both(linear(nout), [nin], batch, 'train', engine, 12, (p, x, dy) => { zeroColumns(x); x[5] = 1; spoil(p, dy); });
    ops.gatherColumns = g; ops.scatterRows = s;
    expect(gathered).toBe(gathers); // each skipping forward gathers once, a skipping backward scatters once
    expect(differences(wasm.y, ts.y)).toEqual([]);
    expect(differences(wasm.dx!, ts.dx!)).toEqual([]);
    expect(differences(wasm.g, ts.g)).toEqual([]);
  });

  // Mostly-zero inputs (the first layer on MNIST digits after dropout: ~16 % nonzero): products over
  // the nonzero entries of x alone (sparseGemm), with the bits of the full products; a non-finite
  // weight anywhere (a skipped 0·∞ would be NaN) or a non-finite ∂y falls back to those.
  const wide = 29; // outputs (the engine's sparse products need n ≥ 24)
  it.each([
    ['finite weights and ∂y (forward twice and ∂W over the nonzero entries)', (_p: Float32Array, _dy: Float32Array) => {}, 3],
    ['an infinite weight on input 2 (nonzero in one sample only)', (p: Float32Array) => { p[2 * wide + 5] = Infinity; }, 0],
    ['a NaN in ∂y (full ∂W product)', (_p: Float32Array, dy: Float32Array) => { dy[3 * wide + 1] = NaN; }, 2],
  ] as const)('linear with mostly-zero inputs, %s', (_name, spoil, sparseRuns) => {
    let runs = 0;
    const f = engine.sparseGemm.bind(engine);
    engine.sparseGemm = (...a: Parameters<typeof f>) => { const ok = f(...a); if (ok) runs++; return ok; };
    const { wasm, ts } = both(linear(wide), [nin], batch, 'train', engine, 13, (p, x, dy) => {
      for (let q = 0; q < x.length; q++) if (q % 9 !== 2) x[q] = q % 2 ? 0 : -0;
      spoil(p, dy);
    });
    engine.sparseGemm = f;
    expect(runs).toBe(sparseRuns);
    expect(differences(wasm.y, ts.y)).toEqual([]);
    expect(differences(wasm.y2, ts.y2)).toEqual([]);
    expect(differences(wasm.dx!, ts.dx!)).toEqual([]);
    expect(differences(wasm.g, ts.g)).toEqual([]);
  });

  // A mostly-zero ∂y (a ReLU and dropout after the layer): ∂Wᵀ = ∂yᵀ·x (written transposed) and
  // ∂x = ∂y·Wᵀ over its nonzero entries, with the bits of the full products; a NaN in x (the right
  // operand of ∂Wᵀ) sends ∂W back to the full product.
  it.each([
    ['finite x', (x: Float32Array) => { x[5] = 0.5; }, 2],
    ['a NaN in x', (_x: Float32Array) => {}, 1],
  ] as const)('linear with a mostly-zero ∂y (20 %% nonzero), %s', (_name, spoil, sparseRuns) => {
    let runs = 0;
    const f = engine.sparseGemm.bind(engine);
    engine.sparseGemm = (...a: Parameters<typeof f>) => { const ok = f(...a); if (ok) runs++; return ok; };
    const { wasm, ts } = both(linear(nout), [nin], batch, 'train', engine, 14, (_p, x, dy) => {
      for (let q = 0; q < dy.length; q++) if (q % 5 !== 1) dy[q] = q % 2 ? 0 : -0;
      spoil(x);
    });
    engine.sparseGemm = f;
    expect(runs).toBe(sparseRuns);
    expect(differences(wasm.y, ts.y)).toEqual([]);
    expect(differences(wasm.dx!, ts.dx!)).toEqual([]);
    expect(differences(wasm.g, ts.g)).toEqual([]);
  });
});
