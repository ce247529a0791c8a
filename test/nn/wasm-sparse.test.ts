import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/util/random.js';
import { wasmSimdEngine, type WasmSimdEngine } from '../../src/nn/index.js';

/** op(X)[i, p] for X stored row-major, transposed (cols×rows) or not (rows×cols). */
const at = (x: Float32Array, trans: boolean, rows: number, cols: number, i: number, p: number) => (trans ? x[p * rows + i] : x[i * cols + p]);

/**
 * The fold the sparse product promises without fusion: s = fl(s + fl(a·b)) over the p with
 * a_ip ≠ 0, in order, from +0 (Math.fround of a float64 product and sum rounds each step once).
 */
function foldNonzero(tA: boolean, tB: boolean, a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) { const x = at(a, tA, m, k, i, p); if (x !== 0) s = Math.fround(s + Math.fround(x * at(b, tB, k, n, p, j))); }
    c[i * n + j] = s;
  }
  return c;
}

/** The m×n matrix stored transposed (n×m) in c, as m×n. */
function untranspose(c: Float32Array, m: number, n: number): Float32Array {
  const r = new Float32Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) r[i * n + j] = c[j * m + i];
  return r;
}

/** Every (transA, transB, transOut). */
const cases = [false, true].flatMap((tA) => [false, true].flatMap((tB) => [false, true].map((tC) => [tA, tB, tC] as const)));

/** Indices where two arrays differ (Object.is: NaN equals NaN, +0 differs from −0), at most 5. */
function differences(got: Float32Array, want: Float32Array): number[] {
  const bad: number[] = [];
  if (got.length !== want.length) return [-1];
  for (let i = 0; i < got.length && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(i);
  return bad;
}

/** n values of which about `density` are uniform in (−1, 1), the others +0 or −0; in the engine's memory. */
function sparse(engine: WasmSimdEngine, n: number, density: number, rng: Rng): Float32Array {
  const v = engine.alloc(n);
  for (let i = 0; i < n; i++) v[i] = rng.uniform() < density ? 2 * rng.uniform() - 1 : (i % 3 ? 0 : -0);
  return v;
}

// Columns around the kernel's blocks (slabs of 48 columns, products on 24, then 8, then 1; the
// engine declines n < 24) and rows, k around nothing special (the lists have any length, including 0).
const shapes: [number, number, number][] = [[1, 1, 24], [3, 5, 25], [7, 13, 31], [5, 9, 33], [9, 3, 40], [4, 40, 41], [11, 17, 47],
  [6, 31, 48], [13, 8, 49], [2, 50, 97], [17, 130, 131]];

describe('wasm-simd engine: products over the nonzero entries of the left operand (sparseGemm)', () => {
  const plain = wasmSimdEngine({ threads: 1, fma: false });
  const fused = wasmSimdEngine({ threads: 1 });
  const two = wasmSimdEngine({ threads: 2 });
  afterAll(() => { plain.close(); fused.close(); two.close(); });

  it.each(cases)('transA %s, transB %s, transOut %s: without fusion, bit-identical to the float32 fold over the nonzero terms, and to gemm, on every shape', (tA, tB, tC) => {
    const rng = new Rng(1);
    for (const [m, k, n] of shapes) for (const density of [0, 0.2, 0.6]) {
      const a = sparse(plain, m * k, density, rng), b = sparse(plain, k * n, 1, rng);
      const out = plain.alloc(m * n).fill(NaN), full = new Float32Array(m * n);
      expect(plain.sparseGemm(tA, tB, a, b, m, k, n, out, 1, tC)).toBe(true);
      const got = tC ? untranspose(out, m, n) : out;
      expect(differences(got, foldNonzero(tA, tB, a, b, m, k, n))).toEqual([]);
      plain.gemm(tA, tB, a, b, m, k, n, full);
      expect(differences(got, full)).toEqual([]);
    }
  });

  it.each(cases)('transA %s, transB %s, transOut %s: with fused multiply-adds, bit-identical to gemm (the same fold without its ±0 terms)', (tA, tB, tC) => {
    const rng = new Rng(2);
    for (const [m, k, n] of shapes) {
      const a = sparse(fused, m * k, 0.3, rng), b = sparse(fused, k * n, 1, rng);
      const out = fused.alloc(m * n), full = new Float32Array(m * n);
      expect(fused.sparseGemm(tA, tB, a, b, m, k, n, out, 1, tC)).toBe(true);
      fused.gemm(tA, tB, a, b, m, k, n, full);
      expect(differences(tC ? untranspose(out, m, n) : out, full)).toEqual([]);
    }
  });

  // mnistfc's products: Y1 = x·W1 and ∂W1 = xᵀ·∂y1 (x: digits after dropout), ∂W2ᵀ = ∂y2ᵀ·x2
  // (stored as ∂W2) and ∂x2 = ∂y2·W2ᵀ (∂y2: ReLU and dropout zeros); and odd widths.
  it.each([
    [false, false, false, 128, 784, 1024, 0.15], [true, false, false, 784, 128, 1024, 0.15],
    [true, false, true, 1024, 128, 1024, 0.4], [false, true, false, 128, 1024, 1024, 0.4],
    [false, false, false, 200, 150, 1037, 0.3], [true, true, true, 131, 70, 999, 0.3],
  ] as const)('transA %s, transB %s, transOut %s, %i×%i×%i: 2 threads (column chunks) give the bits of 1', (tA, tB, tC, m, k, n, density) => {
    const rng = new Rng(3);
    const a1 = sparse(fused, m * k, density, rng), b1 = sparse(fused, k * n, 1, rng), out1 = fused.alloc(m * n);
    const a2 = two.alloc(m * k), b2 = two.alloc(k * n), out2 = two.alloc(m * n);
    a2.set(a1); b2.set(b1);
    expect(fused.sparseGemm(tA, tB, a1, b1, m, k, n, out1, 1, tC)).toBe(true);
    expect(two.sparseGemm(tA, tB, a2, b2, m, k, n, out2, 1, tC)).toBe(true);
    expect(differences(out2, out1)).toEqual([]);
  });

  it('declines (false, output untouched) above the density limit, for operands outside the engine memory, for n < 24, and for a k too long for the workspace', () => {
    const rng = new Rng(4), [m, k, n] = [6, 10, 30];
    const a = sparse(fused, m * k, 0.5, rng), b = sparse(fused, k * n, 1, rng), out = fused.alloc(m * n).fill(7);
    let nonzero = 0;
    a.forEach((v) => { if (v !== 0) nonzero++; });
    expect(fused.sparseGemm(false, false, a, b, m, k, n, out, (nonzero - 1) / (m * k))).toBe(false);
    expect(fused.sparseGemm(true, false, a, b, k, m, n, out, (nonzero - 1) / (m * k))).toBe(false);
    expect(out.every((v) => v === 7)).toBe(true);
    expect(fused.sparseGemm(false, false, a, b, m, k, n, out, nonzero / (m * k))).toBe(true);
    expect(fused.sparseGemm(false, false, Float32Array.from(a), b, m, k, n, out, 1)).toBe(false);
    expect(fused.sparseGemm(false, false, a, Float32Array.from(b), m, k, n, out, 1)).toBe(false);
    expect(fused.sparseGemm(false, false, a, b, m, k, n, new Float32Array(m * n), 1)).toBe(false);
    out.fill(7);
    expect(fused.sparseGemm(false, false, a, b, m, k, 23, out, 1)).toBe(false);
    expect(out.every((v) => v === 7)).toBe(true);
    const long = 10_000, along = sparse(fused, long, 0.01, rng), blong = sparse(fused, long * 24, 1, rng);
    expect(fused.sparseGemm(false, false, along, blong, 1, long, 24, fused.alloc(24), 1)).toBe(false);
  });

  it.each(cases)('transA %s, transB %s, transOut %s: NaN in a counts as nonzero (the bits of gemm); ∞ or NaN anywhere in b declines (gemm would give 0·∞ = NaN)', (tA, tB, tC) => {
    const rng = new Rng(5), [m, k, n] = [4, 6, 53];
    const a = sparse(fused, m * k, 0.4, rng), b = sparse(fused, k * n, 1, rng);
    a[1] = NaN;
    const out = fused.alloc(m * n), full = new Float32Array(m * n);
    expect(fused.sparseGemm(tA, tB, a, b, m, k, n, out, 1, tC)).toBe(true);
    fused.gemm(tA, tB, a, b, m, k, n, full);
    expect(differences(tC ? untranspose(out, m, n) : out, full)).toEqual([]);
    expect(out.some(Number.isNaN)).toBe(true);
    for (const [q, v] of [[0, Infinity], [3 * n + 50, -Infinity], [k * n - 1, NaN], [2 * n + 21, NaN]] as const) {
      const keep = b[q];
      b[q] = v; // (the first and last entries, and others in the slab's 4×4 blocks and tails)
      expect(fused.sparseGemm(tA, tB, a, b, m, k, n, out, 1, tC)).toBe(false);
      b[q] = keep;
    }
    expect(fused.sparseGemm(tA, tB, a, b, m, k, n, out, 1, tC)).toBe(true);
    // Split over two threads (column chunks): whichever thread copies the bad column reports it.
    const [M, K, N] = [128, 200, 1000], A = sparse(two, M * K, 0.3, rng), B = sparse(two, K * N, 1, rng), C = two.alloc(M * N);
    for (const q of [7, K * N - 1, 100 * N + 500]) {
      B[q] = Infinity;
      expect(two.sparseGemm(tA, tB, A, B, M, K, N, C, 1, tC)).toBe(false);
      B[q] = 1;
    }
    expect(two.sparseGemm(tA, tB, A, B, M, K, N, C, 1, tC)).toBe(true);
  });
});
