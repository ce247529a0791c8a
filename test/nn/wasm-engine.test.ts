import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import { createEngine, lenet, mnistfc, wasmSimdEngine, type WasmSimdEngine } from '../../src/nn/index.js';
import { U32 } from './helpers.js';

/** op(X)[i, p] for X stored (rows × cols) row-major, transposed or not. */
const at = (x: Float32Array, trans: boolean, ld: number, i: number, p: number) => (trans ? x[p * ld + i] : x[i * ld + p]);

/**
 * The fold gemm.ts promises without fusion: s = fl(s + fl(a·b)) over p in order (Math.fround of a
 * float64 product and sum rounds each float32 step exactly once).
 */
function foldPlain(tA: boolean, tB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(at(a, tA, tA ? m : k, i, p) * at(b, tB, tB ? k : n, p, j)));
    c[i * n + j] = s;
  }
  return c;
}

/** Exact (float64) op(A)·op(B) and Σ_p |a_ip·b_pj|, for the γ_k bound of a float32 fold. */
function exact(tA: boolean, tB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number): { c: Float64Array; abs: Float64Array } {
  const c = new Float64Array(m * n), abs = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, t = 0;
    for (let p = 0; p < k; p++) { const v = at(a, tA, tA ? m : k, i, p) * at(b, tB, tB ? k : n, p, j); s += v; t += Math.abs(v); }
    c[i * n + j] = s; abs[i * n + j] = t;
  }
  return { c, abs };
}

/** Indices where two arrays differ (Object.is: NaN equals NaN, +0 differs from −0), at most 5. */
function differences(got: Float32Array, want: Float32Array): number[] {
  const bad: number[] = [];
  if (got.length !== want.length) return [-1];
  for (let i = 0; i < got.length && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
  return bad;
}

function random(n: number, rng: Rng): Float32Array {
  const v = new Float32Array(n);
  rng.fillUniform(v, -1, 1);
  return v;
}

// Shapes around the kernel's tiles and blocks: MR = 5, NR = 8, KC = 256, MC = 130, NC = 1024.
const shapes: [number, number, number][] = [[1, 1, 1], [5, 8, 1], [7, 3, 9], [13, 300, 17], [131, 7, 1030], [33, 513, 20]];
const cases = [false, true].flatMap((tA) => [false, true].map((tB) => [tA, tB] as const));

describe('wasm-simd engine: products', () => {
  const plain = wasmSimdEngine({ threads: 1, fma: false });
  const fused = wasmSimdEngine({ threads: 1 });
  const two = wasmSimdEngine({ threads: 2 });
  afterAll(() => { plain.close(); fused.close(); two.close(); });

  it.each(cases)('transA %s, transB %s: without fusion, bit-identical to the float32 fold on every shape', (tA, tB) => {
    const rng = new Rng(1);
    for (const [m, k, n] of shapes) {
      const a = random(m * k, rng), b = random(k * n, rng), out = new Float32Array(m * n);
      plain.gemm(tA, tB, a, b, m, k, n, out);
      expect(differences(out, foldPlain(tA, tB, a, b, m, k, n))).toEqual([]);
    }
  });

  it.each(cases)('transA %s, transB %s: the default engine is within the γ_k bound of the exact product', (tA, tB) => {
    const rng = new Rng(2);
    for (const [m, k, n] of shapes) {
      const a = random(m * k, rng), b = random(k * n, rng), out = new Float32Array(m * n);
      fused.gemm(tA, tB, a, b, m, k, n, out);
      const { c, abs } = exact(tA, tB, a, b, m, k, n);
      // |fl(Σ) − Σ| ≤ γ_k·Σ|a·b| with γ_k ≤ 1.01·k·u (Higham, Thm 3.5), + the final rounding.
      let worst = 0;
      for (let q = 0; q < c.length; q++) worst = Math.max(worst, Math.abs(out[q] - c[q]) / ((1.01 * k + 1) * U32 * abs[q] + 1e-30));
      expect(worst).toBeLessThanOrEqual(1);
    }
  });

  it('operands in the engine memory (used in place) and plain arrays (copied) give the same result; leading entries only', () => {
    const rng = new Rng(3), [m, k, n] = [40, 70, 90];
    const a = random(m * k + 5, rng), b = random(k * n + 3, rng);
    const ownA = fused.alloc(m * k), ownB = fused.alloc(k * n), ownC = fused.alloc(m * n), out = new Float32Array(m * n + 4).fill(7);
    ownA.set(a.subarray(0, m * k)); ownB.set(b.subarray(0, k * n));
    fused.gemm(false, true, a, b, m, k, n, out);
    fused.gemm(false, true, ownA, ownB, m, k, n, ownC);
    expect(differences(out.subarray(0, m * n), ownC)).toEqual([]);
    expect(Array.from(out.subarray(m * n))).toEqual([7, 7, 7, 7]);
  });

  it.each(cases)('transA %s, transB %s: 2 threads give the same bits as 1 (splits along n, along m, and single column tiles over a long k)', (tA, tB) => {
    const rng = new Rng(4);
    for (const [m, k, n] of [[128, 300, 1030], [784, 128, 200], [129, 70, 131], [300, 300, 520], [25, 5000, 20], [7, 4100, 19]] as const) {
      const a = random(m * k, rng), b = random(k * n, rng), one = new Float32Array(m * n), both = new Float32Array(m * n);
      fused.gemm(tA, tB, a, b, m, k, n, one);
      two.gemm(tA, tB, a, b, m, k, n, both);
      expect(differences(both, one)).toEqual([]);
    }
  });

  it('many small split products in a row (job hand-off, late worker) match the one-thread results', () => {
    const rng = new Rng(7), [m, k, n] = [64, 64, 136]; // 2¹⁹+ multiply-adds, n ≥ 2 · 64: split into 2 chunks
    for (let r = 0; r < 150; r++) {
      const a = random(m * k, rng), b = random(k * n, rng), one = new Float32Array(m * n), both = new Float32Array(m * n);
      const tA = r % 2 === 1, tB = r % 3 === 1;
      fused.gemm(tA, tB, a, b, m, k, n, one);
      two.gemm(tA, tB, a, b, m, k, n, both);
      expect(differences(both, one)).toEqual([]);
    }
  });

  it('held awake (hold), products match the one-thread results; release, hold again, close while held', () => {
    const e = wasmSimdEngine({ threads: 2 }), rng = new Rng(8), [m, k, n] = [64, 64, 136];
    for (const on of [true, false, true]) {
      e.hold(on);
      for (let r = 0; r < 20; r++) {
        const a = random(m * k, rng), b = random(k * n, rng), one = new Float32Array(m * n), both = new Float32Array(m * n);
        fused.gemm(false, r % 2 === 1, a, b, m, k, n, one);
        e.gemm(false, r % 2 === 1, a, b, m, k, n, both);
        expect(differences(both, one)).toEqual([]);
      }
    }
    e.close(); // the polling worker sees the stop
    const a = random(m * k, rng), b = random(k * n, rng), one = new Float32Array(m * n), after = new Float32Array(m * n);
    fused.gemm(false, false, a, b, m, k, n, one);
    e.gemm(false, false, a, b, m, k, n, after);
    expect(differences(after, one)).toEqual([]);
  });

  it('k = 0 gives zeros; NaN and ∞ propagate as in a plain product (no zero skipping)', () => {
    const out = new Float32Array(6).fill(3);
    fused.gemm(false, false, new Float32Array(0), new Float32Array(0), 2, 0, 3, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0]);
    const a = Float32Array.from([0, 1]), b = Float32Array.from([Infinity, 1, 2, NaN]); // (1×2)·(2×2)
    fused.gemm(false, false, a, b, 1, 2, 2, out);
    expect(Number.isNaN(out[0])).toBe(true); // 0·∞
    expect(Number.isNaN(out[1])).toBe(true); // 1·NaN
  });

  it('rejects bad options; a closed engine keeps working on one thread', async () => {
    expect(() => wasmSimdEngine({ threads: 3 })).toThrow(/wasmSimdEngine: threads must be an integer in \[1, 2\]; got 3/);
    expect(() => wasmSimdEngine({ threads: 0 })).toThrow(/threads/);
    await expect(createEngine('wasm-simd', { threads: 1.5 })).rejects.toThrow(/threads/);
    const e = wasmSimdEngine({ threads: 2 });
    e.close();
    const rng = new Rng(5), a = random(200 * 300, rng), b = random(300 * 400, rng), got = new Float32Array(200 * 400), want = new Float32Array(200 * 400);
    e.gemm(false, false, a, b, 200, 300, 400, got);
    fused.gemm(false, false, a, b, 200, 300, 400, want);
    expect(differences(got, want)).toEqual([]);
  });
});

describe('wasm-simd engine: whole networks', () => {
  // Two successive gradients (the dropout stream moves on); on two threads with the default split
  // thresholds and with every elementwise op split (splitMin 1), batch 130 (odd halves of 1024-wide ops).
  it.each([['mnistfc', mnistfc], ['LeNet', lenet]] as const)('%s: the gradients on 2 threads equal the ones on 1 thread bit for bit', (_name, model) => {
    const engines: WasmSimdEngine[] = [wasmSimdEngine({ threads: 1 }), wasmSimdEngine({ threads: 2 }), wasmSimdEngine({ threads: 2 })];
    engines[2].ops.splitMin = 1;
    const batch = 130, rng = new Rng(6), x = new Float32Array(batch * 784);
    rng.fillUniform(x);
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const [g1, ...others] = engines.map((engine) => {
      const net = model({ engine, seed: 3 });
      const grads: Float32Array[] = [];
      for (let step = 0; step < 2; step++) {
        // The second step also fills an outside array layer by layer (deferred copies beside the worker's products).
        const out = step === 1 ? new Float32Array(net.paramCount).fill(NaN) : undefined;
        const loss = net.lossAndGradient(x, labels, batch, out);
        expect(Number.isFinite(loss)).toBe(true);
        grads.push(Float32Array.from(net.grads));
        if (out) expect(differences(out, net.grads)).toEqual([]);
      }
      expect(() => net.lossAndGradient(x, labels, batch, new Float32Array(3))).toThrow(/Network.lossAndGradient: out must hold/);
      return grads;
    });
    for (const g of others) g.forEach((gs, i) => expect(differences(gs, g1[i])).toEqual([]));
    expect(differences(g1[1], g1[0]).length).toBeGreaterThan(0); // new dropout masks
    engines.forEach((e) => e.close());
  });
});
