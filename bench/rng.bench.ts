// Seeded RNG throughput: the ziggurat fill (state in locals) against the previous polar Box–Muller
// method on the same xoshiro128** uniforms, per-call normal(), the WebAssembly port of the same
// ziggurat (src/optim/normal-kernel.ts), the 8-lane SIMD generator (src/optim/simd-normal-kernel.ts) and its one-word float32 stream (the float32 noise of normals: 'parallel'), and an unseeded Math.random Box–Muller baseline; uniforms likewise. Ratios are against the Math.random row of each suite.
import { Rng } from '../src/util/random.js';
import { NormalKernel, NORMAL_KERNEL_BYTES } from '../src/optim/normal-kernel.js';
import { SimdNormalKernel, SimdNormals, SIMD_NORMAL_KERNEL_BYTES } from '../src/optim/simd-normal-kernel.js';
import { runSuite } from './harness.js';

const n = 1_000_000;
const out = new Float64Array(n), out32 = new Float32Array(n);
const rng = new Rng(1), polarRng = new Rng(2), wasmRng = new Rng(3);
// The WebAssembly port of the same ziggurat (bit-identical stream), writing into its own memory,
// whole fills and in the 2048-value blocks the optimizers draw.
const OUT = 64 + Math.ceil(NORMAL_KERNEL_BYTES / 64) * 64, pages = Math.ceil((OUT + 8 * n) / 65536);
const kernel = new NormalKernel(new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true }), 64);
// The 8-lane SIMD generator (optimizers' `normals: 'simd'`: a different, seeded stream) in its own memory.
const SOUT = 64 + Math.ceil(SIMD_NORMAL_KERNEL_BYTES / 64) * 64, spages = Math.ceil((SOUT + 8 * n) / 65536);
const simd = new SimdNormalKernel(new WebAssembly.Memory({ initial: spages, maximum: spages, shared: true }), 64);
const simdGen = SimdNormals.fromRng(new Rng(4)), wordGen = SimdNormals.fromRng(new Rng(5));

/** The method Rng.normal() used before the ziggurat: polar Box–Muller on 53-bit uniforms, spare cached. */
function fillNormalPolar(r: Rng, target: Float64Array): void {
  let p = 0;
  while (p < target.length) {
    const a = 2 * r.uniform() - 1, b = 2 * r.uniform() - 1, r2 = a * a + b * b;
    if (r2 >= 1 || r2 === 0) continue;
    const scale = Math.sqrt((-2 * Math.log(r2)) / r2);
    target[p++] = a * scale;
    if (p < target.length) target[p++] = b * scale;
  }
}

runSuite('1e6 standard normals', [
  { name: 'Math.random Box–Muller (baseline)', units: n, unitName: 'value', run: () => { for (let i = 0; i < n; i++) out[i] = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random()); return out[0]; } },
  { name: 'polar Box–Muller on Rng.uniform (previous method)', units: n, unitName: 'value', run: () => { fillNormalPolar(polarRng, out); return out[0]; } },
  { name: 'Rng.fillNormal (ziggurat)', units: n, unitName: 'value', run: () => { rng.fillNormal(out); return out[0]; } },
  { name: 'Rng.fillNormal (ziggurat, mean 1, std 0.1)', units: n, unitName: 'value', run: () => { rng.fillNormal(out, 1, 0.1); return out[0]; } },
  { name: 'Rng.fillNormal into Float32Array', units: n, unitName: 'value', run: () => { rng.fillNormal(out32); return out32[0]; } },
  { name: 'loop of Rng.normal() (ziggurat)', units: n, unitName: 'value', run: () => { for (let i = 0; i < n; i++) out[i] = rng.normal(); return out[0]; } },
  { name: 'wasm ziggurat (NormalKernel.normals, same stream)', units: n, unitName: 'value', run: () => { kernel.normals(wasmRng, OUT, n); return 0; } },
  { name: 'wasm ziggurat in 2048-value blocks', units: n, unitName: 'value', run: () => { for (let p = 0; p < n; p += 2048) kernel.normals(wasmRng, OUT, Math.min(2048, n - p)); return 0; } },
  { name: 'wasm SIMD 8-lane ziggurat (SimdNormalKernel.normals, other stream)', units: n, unitName: 'value', run: () => { simd.normals(simdGen, SOUT, n); return 0; } },
  { name: 'wasm SIMD 8-lane ziggurat in 2048-value blocks', units: n, unitName: 'value', run: () => { for (let p = 0; p < n; p += 2048) simd.normals(simdGen, SOUT, Math.min(2048, n - p)); return 0; } },
  { name: 'wasm SIMD 8-lane fillNormal(mean 1, std 0.1) into float32', units: n, unitName: 'value', run: () => { simd.fillNormal(simdGen, SOUT, n, 1, 0.1, true); return 0; } },
  { name: 'wasm SIMD 8-lane one-word float32 ziggurat (SimdNormalKernel.wordNormals)', units: n, unitName: 'value', run: () => { simd.wordNormals(wordGen, SOUT, n); return 0; } },
  { name: 'wasm SIMD 8-lane one-word float32 ziggurat in 16384-value blocks (as normals: \'parallel\')', units: n, unitName: 'value', run: () => { for (let p = 0; p < n; p += 16384) simd.wordNormals(wordGen, SOUT, Math.min(16384, n - p)); return 0; } },
  { name: 'wasm sequential fillNormal(mean 1, std 0.1) into float32', units: n, unitName: 'value', run: () => { kernel.fillNormal(wasmRng, OUT, n, 1, 0.1, true); return 0; } },
], { reps: 15 });

runSuite('1e6 uniforms in [0, 1)', [
  { name: 'Math.random (baseline)', units: n, unitName: 'value', run: () => { for (let i = 0; i < n; i++) out[i] = Math.random(); return out[0]; } },
  { name: 'loop of Rng.uniform()', units: n, unitName: 'value', run: () => { for (let i = 0; i < n; i++) out[i] = rng.uniform(); return out[0]; } },
  { name: 'Rng.fillUniform (state in locals)', units: n, unitName: 'value', run: () => { rng.fillUniform(out); return out[0]; } },
], { reps: 15 });
