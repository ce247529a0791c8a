/**
 * The previous Hopf–Lax sweep (before the tiled sweep of src/pde/hopf-lax.ts), kept as the
 * benchmark baseline of bench/pde-exact.bench.ts: one lower envelope per line read and written in
 * place at its stride (axis 0 of a 2-D grid jumps a whole row per entry), four N-sized buffers,
 * then prox from the argmin with a division and a modulo per axis and point, and the boundary
 * count through a face mask indexed by the argmin. Same results as hopfLax(f, t) with the default
 * options (value, argmin, prox, boundary hits); no validation, no refinement.
 */
import type { GridFunction } from '../../src/grids/grid-function.js';

function envelopeStrided(f: Float64Array, w: number, outU: Float64Array, outArg: Int32Array, offset: number, stride: number, n: number, v: Int32Array, z: Float64Array): void {
  let k = 0;
  v[0] = 0; z[0] = -Infinity; z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[offset + q * stride];
    let r = v[k];
    let s = (fq - f[offset + r * stride]) / (2 * w * (q - r)) + (q + r) / 2;
    while (s <= z[k]) { k--; r = v[k]; s = (fq - f[offset + r * stride]) / (2 * w * (q - r)) + (q + r) / 2; }
    k++; v[k] = q; z[k] = s; z[k + 1] = Infinity;
  }
  const last = k;
  k = 0;
  for (let p = 0; p < n; p++) {
    while (k < last && z[k + 1] < p) k++;
    let best = v[k], d = p - best, bestVal = f[offset + best * stride] + w * (d * d);
    if (k > 0) { const q = v[k - 1]; d = p - q; const val = f[offset + q * stride] + w * (d * d); if (val < bestVal || (val === bestVal && q < best)) { best = q; bestVal = val; } }
    if (k < last) { const q = v[k + 1]; d = p - q; const val = f[offset + q * stride] + w * (d * d); if (val < bestVal || (val === bestVal && q < best)) { best = q; bestVal = val; } }
    outU[offset + p * stride] = bestVal; outArg[offset + p * stride] = best;
  }
}

export function hopfLaxPrevious(f: GridFunction, t: number, lo: Int32Array, hi: Int32Array): { u: Float64Array; argmin: Int32Array; prox: Float64Array[]; boundaryHits: number } {
  const { grid } = f, { shape, strides, spacing, size: N, ndim: d } = grid;
  let u = new Float64Array(N), arg = new Int32Array(N), nextU = new Float64Array(N), nextArg = new Int32Array(N);
  const maxN = Math.max(...shape), v = new Int32Array(maxN), z = new Float64Array(maxN + 1);
  for (let k = d - 1; k >= 0; k--) {
    const n = shape[k], stride = strides[k], h = spacing[k], w = (h * h) / (2 * t);
    const src = k === d - 1 ? f.data : u, outer = N / (n * stride);
    for (let o = 0; o < outer; o++) for (let i = 0; i < stride; i++) {
      const base = o * n * stride + i;
      envelopeStrided(src, w, nextU, nextArg, base, stride, n, v, z);
      if (k === d - 1) for (let j = 0, p = base; j < n; j++, p += stride) nextArg[p] = base + nextArg[p] * stride;
      else for (let j = 0, p = base; j < n; j++, p += stride) nextArg[p] = arg[base + nextArg[p] * stride];
    }
    [u, nextU] = [nextU, u]; [arg, nextArg] = [nextArg, arg];
  }
  const prox: Float64Array[] = [];
  for (let k = 0; k < d; k++) {
    const axis = grid.axis(k), stride = strides[k], n = shape[k], out = new Float64Array(N);
    for (let p = 0; p < N; p++) out[p] = axis[((arg[p] / stride) | 0) % n];
    prox.push(out);
  }
  const onFace = new Uint8Array(N);
  for (let k = 0; k < d; k++) {
    const n = shape[k], stride = strides[k], outer = N / (n * stride);
    for (let o = 0; o < outer; o++) for (let i = 0; i < stride; i++) { const b = o * n * stride + i; onFace[b] = 1; onFace[b + (n - 1) * stride] = 1; }
  }
  let boundaryHits = 0;
  const index = Int32Array.from(lo);
  if (lo.every((l, k) => l <= hi[k])) for (;;) {
    let p = 0;
    for (let k = 0; k < d; k++) p += index[k] * strides[k];
    for (let i = lo[d - 1]; i <= hi[d - 1]; i++, p += strides[d - 1]) boundaryHits += onFace[arg[p]];
    let k = d - 2;
    while (k >= 0) { if (++index[k] <= hi[k]) break; index[k] = lo[k]; k--; }
    if (k < 0) break;
  }
  return { u, argmin: arg, prox, boundaryHits };
}
