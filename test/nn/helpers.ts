/** Shared helpers of the nn tests: running one production layer, seeded data, FD checks. */
import { Rng } from '../../src/util/random.js';
import type { Dataset, LayerFactory, MatmulEngine, Mode } from '../../src/nn/index.js';

/** Unit roundoff of float32. */
export const U32 = 2 ** -24;

export function randomF64(n: number, rng: Rng, scale = 1): Float64Array {
  const v = new Float64Array(n);
  rng.fillNormal(v, 0, scale);
  return v;
}

/** Rounds to float32 and back, so the reference sees exactly the float32 engine's inputs. */
export function asF32(v: Float64Array): Float64Array { return Float64Array.from(Float32Array.from(v)); }

/** Runs one production layer forward then backward on given float64 data (converted to float32). */
export function runLayer(factory: LayerFactory, inShape: number[], batch: number, x: Float64Array, params: Float64Array, dy: Float64Array,
  engine: MatmulEngine, mode: Mode = 'train'): { y: Float64Array; dx: Float64Array | null; dparams: Float64Array } {
  const layer = factory(inShape);
  const p = Float32Array.from(params), g = new Float32Array(layer.paramCount);
  layer.bind(p, g);
  const ctx = { batch, mode, engine, rng: new Rng(0) };
  const y = Float64Array.from(layer.forward(Float32Array.from(x), ctx).subarray(0, dy.length));
  const dx = layer.backward(Float32Array.from(dy), ctx, true);
  return { y, dx: dx ? Float64Array.from(dx.subarray(0, x.length)) : null, dparams: Float64Array.from(g) };
}

/**
 * Central differences of a scalar function at the given coordinates of v:
 * (f(v + h eᵢ) − f(v − h eᵢ)) / 2h. Error O(h²·|f'''|) + O(eps·|f|/h).
 */
export function centralDifferences(f: (v: Float64Array) => number, v: Float64Array, indices: number[], h = 1e-6): number[] {
  return indices.map((i) => {
    const keep = v[i];
    v[i] = keep + h; const up = f(v);
    v[i] = keep - h; const down = f(v);
    v[i] = keep;
    return (up - down) / (2 * h);
  });
}

/** Σ r·y, the scalar whose gradient w.r.t. y is r (turns a layer into a loss for FD checks). */
export function dot(r: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * y[i];
  return s;
}

/** n distinct-ish sample coordinates in [0, size). */
export function pick(size: number, n: number, rng: Rng): number[] {
  return Array.from({ length: Math.min(n, size) }, () => rng.integer(size));
}

/** Two Gaussian blobs in the plane, classes 0 and 1 centred at ∓(1, 1) (n samples, seeded). */
export function blobs(n: number, seed: number): Dataset {
  const rng = new Rng(seed), images = new Float32Array(2 * n), labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    labels[s] = s % 2;
    const c = labels[s] ? 1 : -1;
    images[2 * s] = c + 0.7 * rng.normal(); images[2 * s + 1] = c + 0.7 * rng.normal();
  }
  return { images, labels, count: n, shape: [2], classes: 2, sourceIndex: Int32Array.from({ length: n }, (_, i) => i) };
}
