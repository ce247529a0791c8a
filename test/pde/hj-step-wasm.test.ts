import { describe, expect, it } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { dirichlet, extrapolate, neumann, periodic, type BoundaryCondition } from '../../src/grids/boundary.js';
import { Rng } from '../../src/util/random.js';
import { fillHalo, paddedLayout, toPadded } from '../../src/pde/padded-grid.js';
import { godunovKernel, type Dissipation } from '../../src/pde/numerical-hamiltonian.js';
import { laxFriedrichsKernel } from '../../src/pde/lax-friedrichs-kernel.js';
import { hjWasmBytes, hjWasmStages, wasmStage, WASM_MAX_BYTES, WASM_MIN_POINTS } from '../../src/pde/hj-step-wasm.js';
import { solveHJ, type SolveHJOptions } from '../../src/pde/solve-hj.js';

// The WebAssembly stages perform the JS kernels' IEEE operations in the same order, lane by lane, so
// the comparison is bit for bit (Object.is: ±0 and NaN included), never a tolerance.
function mismatches(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let bad = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
  return bad;
}

// Grids need ≥ 2 points per axis (Grid.uniform), the smallest sizes the kernels see. Odd lengths of the
// contiguous axis exercise the redone last pair; 1-D and the leading axes too.
const shapes: number[][] = [
  ...[2, 3, 4, 5, 6, 7, 33, 101].map((n) => [n]),
  [2, 2], [3, 2], [2, 3], [5, 7], [7, 6], [4, 33], [33, 101], [101, 5],
  [2, 2, 2], [3, 5, 7], [7, 3, 2], [4, 6, 33], [5, 33, 3],
];
const boundaries: [string, BoundaryCondition][] = [
  ['neumann', neumann], ['periodic', periodic], ['dirichlet(0.3)', dirichlet(0.3)], ['extrapolate', extrapolate],
];
const schemes: [string, 'godunov' | 'lax-friedrichs', Dissipation][] = [
  ['Godunov', 'godunov', 'global'], ['Lax–Friedrichs global', 'lax-friedrichs', 'global'], ['Lax–Friedrichs local', 'lax-friedrichs', 'local'],
];

describe('wasmStage equals the JS kernels bit for bit (stage a·w + b·(v + dt·L(v)), slopes, finite check)', () => {
  it.each(shapes)('shape %j', (...shape) => {
    const grid = Grid.uniform(shape.map(() => [-1, 1.5] as [number, number]), shape);
    const L = paddedLayout(grid, 'test'), rng = new Rng(23 + grid.size);
    const stages = hjWasmStages(L, 3);
    const [v, w, out] = stages.buffers;
    const outJs = new Float64Array(L.paddedSize), slopes = new Float64Array(3), slopesJs = new Float64Array(3);
    const alpha = new Float64Array([2.5, 3, 3.5]);
    // A random halo too: both kernels read the same ghosts, whatever rule filled them. Normal samples,
    // then values from {0, −0, ±1, 2}: zero differences of both signs, ties p⁻ = −p⁺, ±0 outputs.
    const ties = [0, -0, 1, -1, 2];
    for (const data of ['normal', 'ties'] as const) for (const [name, scheme, dissipation] of schemes) {
      if (data === 'normal') { rng.fillNormal(v); rng.fillNormal(w); }
      else for (let p = 0; p < v.length; p++) { v[p] = ties[Math.floor(5 * rng.uniform())]; w[p] = ties[Math.floor(5 * rng.uniform())]; }
      const config = { dissipation, H: null, alpha, centred: new Float64Array(L.ndim) };
      for (const [a, b] of [[0, 1], [0.3, 0.7], [0.5, 0.5]]) for (const nu of [0, 0.4]) {
        // Stale NaN in both outputs: the halo must stay untouched, every grid point overwritten.
        out.fill(NaN);
        outJs.fill(NaN);
        slopes.fill(-1);
        const check = wasmStage(stages, L, scheme, dissipation === 'local', alpha, v, w, out, a, b, 1e-3, nu, slopes);
        const checkJs = scheme === 'godunov' ? godunovKernel(L, v, w, outJs, a, b, 1e-3, nu, slopesJs)
          : laxFriedrichsKernel(L, v, w, outJs, a, b, 1e-3, nu, config, slopesJs);
        const where = `${data} data, ${name}, a = ${a}, b = ${b}, ν = ${nu}`;
        expect(check, where).toBe(0);
        expect(checkJs).toBe(0);
        expect(mismatches(out, outJs), where).toBe(0);
        expect(mismatches(slopes, slopesJs), where).toBe(0);
      }
    }
  });

  it.each([[[2]], [[7]], [[3, 2]], [[5, 33]], [[3, 4, 7]]])('writes the row-end ghosts as fillHalo does when given the boundary, shape %j', (shape) => {
    const grid = Grid.uniform(shape.map(() => [-1, 1] as [number, number]), shape);
    const L = paddedLayout(grid, 'test'), rng = new Rng(41), stages = hjWasmStages(L, 2), [v, out] = stages.buffers;
    const samples = new Float64Array(grid.size);
    rng.fillNormal(samples);
    for (const [, bc] of boundaries) for (const [name, scheme, dissipation] of schemes) {
      // Stale NaN everywhere first (corners included, which nobody writes): in v the row-end ghosts
      // must then come from the kernel, the other ghosts from fillHalo.
      const want = new Float64Array(L.paddedSize).fill(NaN), outJs = new Float64Array(L.paddedSize).fill(NaN);
      const slopesJs = new Float64Array(3), slopes = new Float64Array(3);
      toPadded(L, samples, want);
      fillHalo(L, want, bc);
      const config = { dissipation, H: null, alpha: new Float64Array([3, 3, 3]), centred: new Float64Array(L.ndim) };
      const checkJs = scheme === 'godunov' ? godunovKernel(L, want, want, outJs, 0, 1, 1e-3, 0.2, slopesJs)
        : laxFriedrichsKernel(L, want, want, outJs, 0, 1, 1e-3, 0.2, config, slopesJs);
      v.fill(NaN);
      toPadded(L, samples, v);
      fillHalo(L, v, bc, true);
      out.fill(NaN);
      const check = wasmStage(stages, L, scheme, dissipation === 'local', config.alpha, v, v, out, 0, 1, 1e-3, 0.2, slopes, bc);
      const where = `${bc.kind}, ${name}`;
      expect(check, where).toBe(checkJs);
      expect(mismatches(v, want), where).toBe(0);
      expect(mismatches(out, outJs), where).toBe(0);
      expect(mismatches(slopes, slopesJs), where).toBe(0);
    }
  });

  it.each([[[9]], [[6, 7]], [[3, 4, 5]]])('reports a non-finite output as NaN, shape %j', (shape) => {
    const grid = Grid.uniform(shape.map(() => [0, 1] as [number, number]), shape);
    const L = paddedLayout(grid, 'test'), stages = hjWasmStages(L, 2), [v, out] = stages.buffers;
    const samples = new Float64Array(grid.size).map((_, i) => Math.sin(i));
    for (const bad of [Infinity, NaN]) for (const p of [0, grid.size >> 1, grid.size - 1]) {
      samples[p] = bad;
      toPadded(L, samples, v);
      for (const [, scheme, dissipation] of schemes) {
        const check = wasmStage(stages, L, scheme, dissipation === 'local', new Float64Array([1, 1, 1]), v, v, out, 0, 1, 1e-3, 0, new Float64Array(3));
        expect(check).toBeNaN();
      }
      samples[p] = 0.5;
    }
  });
});

const problems: [string, Grid, (...x: number[]) => number][] = [
  ['1-D, n = 33', Grid.uniform([[-2, 2]], [33]), (x) => x * x + 1.5 * Math.sin(2 * Math.PI * x)],
  ['2-D, 7 × 33', Grid.uniform([[-1, 1], [-2, 2]], [7, 33]), (x, y) => (x * x + y * y) / 2 + 0.3 * (Math.cos(3 * Math.PI * x) + Math.cos(3 * Math.PI * y))],
  ['3-D, 5 × 6 × 7', Grid.uniform([[-1, 1], [-1, 1], [-1, 1]], [5, 6, 7]), (x, y, z) => Math.abs(x) + y * y - Math.cos(2 * z)],
];

describe.each(problems)('solveHJ: the default WebAssembly kernels give the JS kernels\' results, %s', (_name, grid, fn) => {
  const f = grid.sample(fn);
  const same = (options: Omit<SolveHJOptions, 'kernel'>) => {
    const wasm = solveHJ(f, { ...options, kernel: 'wasm' }), js = solveHJ(f, { ...options, kernel: 'js' });
    const def = solveHJ(f, options);
    expect(mismatches(def.u.data, wasm.u.data)).toBe(0); // the default ('auto') gives the same bits
    expect(mismatches(wasm.u.data, js.u.data)).toBe(0);
    expect([wasm.steps, wasm.dtMin, wasm.dtMax]).toEqual([js.steps, js.dtMin, js.dtMax]);
    expect(wasm.snapshots.map((s) => s.t)).toEqual(js.snapshots.map((s) => s.t));
    wasm.snapshots.forEach((s, i) => expect(mismatches(s.u.data, js.snapshots[i].u.data)).toBe(0));
  };
  it.each(boundaries)('every scheme, β = ∞ and β = 4, Euler and SSP-RK2, %s', (_b, boundary) => {
    for (const [, scheme, dissipation] of schemes) for (const beta of [Infinity, 4]) for (const timeIntegrator of ['euler', 'ssp-rk2'] as const) {
      same({ t: 0.05, scheme, dissipation, beta, boundary, timeIntegrator, snapshots: 2 });
    }
  });
  it('a general Hamiltonian (always the JS kernel) and a fixed dt', () => {
    const H = (p: Float64Array) => { let s = 0; for (let k = 0; k < p.length; k++) s += Math.sqrt(1 + p[k] * p[k]); return s; };
    same({ t: 0.05, hamiltonian: { H, dHBound: 1 } });
    same({ t: 0.02, dt: 1e-3 });
  });
});

describe('solveHJ kernel option', () => {
  it('rejects an unknown kernel with the allowed names', () => {
    const f = Grid.uniform([[0, 1]], [5]).zeros();
    expect(() => solveHJ(f, { t: 1, kernel: 'simd' as never })).toThrow(/solveHJ: kernel must be 'auto' \| 'wasm' \| 'js'; got "?simd"?/);
  });
  it(`'auto' runs the WebAssembly kernels from ${WASM_MIN_POINTS} grid points on (same bits as 'js' either side)`, () => {
    for (const n of [WASM_MIN_POINTS - 1, WASM_MIN_POINTS]) {
      const f = Grid.uniform([[-2, 2]], [n]).sample((x) => x * x / 2 + Math.sin(3 * x));
      const auto = solveHJ(f, { t: 0.01 }), js = solveHJ(f, { t: 0.01, kernel: 'js' });
      expect(mismatches(auto.u.data, js.u.data)).toBe(0);
    }
  });
  it("'auto' keeps to JS where the working buffers would not fit the 2 GiB kernel memory", () => {
    // 8 bytes per padded point per buffer: 2 buffers of a 16384² grid need 4 GiB, of 1024² 16 MiB.
    const big = paddedLayout(Grid.uniform([[0, 1], [0, 1]], [16384, 16384]), 'test');
    const small = paddedLayout(Grid.uniform([[0, 1], [0, 1]], [1024, 1024]), 'test');
    expect(hjWasmBytes(big, 2)).toBeGreaterThan(WASM_MAX_BYTES);
    expect(hjWasmBytes(small, 3)).toBeLessThan(WASM_MAX_BYTES);
    expect(hjWasmBytes(small, 2)).toBeGreaterThanOrEqual(2 * 8 * small.paddedSize);
  });
});
