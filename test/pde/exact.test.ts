import { describe, it, expect } from 'vitest';
import { Grid } from '../../src/grids/grid.js';
import { Rng } from '../../src/util/random.js';
import { quadraticRelaxation, l1Relaxation, boxIndicatorRelaxation, linearRelaxation, type ExactRelaxation } from '../../src/pde/exact.js';
import { erfc, erfcx, logNormalCdf, normalCdf, logNormalInterval } from '../../src/pde/normal-cdf.js';
import { hopfLax } from '../../src/pde/hopf-lax.js';
import { coleHopf } from '../../src/pde/cole-hopf.js';

/** Richardson-extrapolated composite Simpson of 2/√π·e^{−s²} on [x, x + 12] (tail < e^{−144}): an independent erfc, error O(h⁶). */
function erfcSimpson(x: number): number {
  const simpson = (n: number) => {
    const h = 12 / n;
    let s = 0;
    for (let i = 0; i <= n; i++) { const v = Math.exp(-((x + i * h) ** 2)); s += (i === 0 || i === n ? 1 : i % 2 ? 4 : 2) * v; }
    return ((s * h) / 3) * (2 / Math.sqrt(Math.PI));
  };
  const coarse = simpson(20000), fine = simpson(40000);
  return fine + (fine - coarse) / 15;
}

describe('special functions', () => {
  it.each([-2, -0.3, 0, 0.2, 0.46875, 0.9, 2.5, 4, 6])('erfc(%s) matches Simpson quadrature of its integral to 1e-13 relative', (x) => {
    const ref = erfcSimpson(x);
    expect(Math.abs(erfc(x) - ref)).toBeLessThanOrEqual(1e-13 * ref); // the reference sums 4e4 rounded terms: ≲ 1e-13 relative
  });
  it('erfcx and log Φ follow their asymptotic series far in the tail (no underflow)', () => {
    for (const x of [30, 100, 1e4]) {
      const series = (1 / (x * Math.sqrt(Math.PI))) * (1 - 1 / (2 * x * x) + 3 / (4 * x ** 4) - 15 / (8 * x ** 6) + 105 / (16 * x ** 8) - 945 / (32 * x ** 10));
      expect(Math.abs(erfcx(x) - series)).toBeLessThanOrEqual(2e-15 * series); // next term 10395/(64x¹²) ≈ 3e-16 at x = 30
    }
    for (const z of [-40, -1e3, -1e6]) {
      const series = -z * z / 2 - Math.log(-z * Math.sqrt(2 * Math.PI)) + Math.log1p(-1 / (z * z) + 3 / z ** 4 - 15 / z ** 6 + 105 / z ** 8 - 945 / z ** 10);
      expect(Math.abs(logNormalCdf(z) - series)).toBeLessThanOrEqual(1e-13 * Math.abs(series) + 1e-12);
    }
    expect(logNormalCdf(0)).toBeCloseTo(Math.log(0.5), 15);
    expect(normalCdf(1.5) + normalCdf(-1.5)).toBeCloseTo(1, 15);
    expect(Math.exp(logNormalInterval(-1, 1))).toBeCloseTo(1 - erfc(1 / Math.SQRT2), 14);
    expect(logNormalInterval(40, 41)).toBeCloseTo(logNormalCdf(-40) + Math.log1p(-Math.exp(logNormalCdf(-41) - logNormalCdf(-40))), 10);
  });
});

/** Checks ∇u against central differences of u, ∇²u against those of ∇u, and prox = x − t∇u. */
function checkConsistency(r: ExactRelaxation, x: number[], t: number, hfd = 1e-5): void {
  const d = x.length, g = r.gradient(x), H = r.hessian(x), y = r.prox(x);
  for (let k = 0; k < d; k++) {
    const xp = [...x], xm = [...x]; xp[k] += hfd; xm[k] -= hfd;
    // Central difference error ≈ h²|u'''|/6 + eps·|u|/h ≈ 1e-10 + 1e-11.
    expect(Math.abs((r.value(xp) - r.value(xm)) / (2 * hfd) - g[k])).toBeLessThan(1e-7);
    const gp = r.gradient(xp), gm = r.gradient(xm);
    for (let l = 0; l < d; l++) expect(Math.abs((gp[l] - gm[l]) / (2 * hfd) - H[l][k])).toBeLessThan(1e-5);
    expect(Math.abs(y[k] - (x[k] - t * g[k]))).toBeLessThan(1e-12);
  }
}

describe('closed forms are internally consistent (value → gradient → Hessian, prox = x − t∇u)', () => {
  const rng = new Rng(11);
  const points = Array.from({ length: 6 }, () => [3 * rng.normal(), 2 * rng.normal()]);
  it.each([Infinity, 0.7, 5, 50])('quadratic, l1, box, linear at beta = %s', (beta) => {
    const t = 0.6;
    const forms = [
      quadraticRelaxation({ A: [[2, 0.5], [0.5, 1]], b: [0.3, -1], c: 2 }, { t, beta }),
      l1Relaxation({ t, beta }),
      boxIndicatorRelaxation({ lower: [-1, 0], upper: [1, 2] }, { t, beta }),
      linearRelaxation({ a: [1, -2], c: 1 }, { t, beta }),
    ];
    for (const r of forms) for (const x of points) {
      // Hopf–Lax forms are C¹ with kinks in the Hessian; skip points within 1e-3 of those kinks.
      if (beta === Infinity && x.some((v) => [t, -t, -1 - 0, 1, 0, 2].some((kink) => Math.abs(Math.abs(v) - Math.abs(kink)) < 1e-3))) continue;
      checkConsistency(r, x, t);
      if (beta !== Infinity) {
        const C = r.covariance(x), H = r.hessian(x);
        for (let k = 0; k < 2; k++) expect(C[k][k]).toBeGreaterThanOrEqual(-1e-15);
        for (let k = 0; k < 2; k++) expect(H[k][k]).toBeLessThanOrEqual(1 / t + 1e-12); // semiconcavity
      }
    }
  });

  it('quadratic: u_viscous − u_HL = (1/2β) log det(I + tA); HL u ≤ f; Hessian = A(I+tA)⁻¹ (eigenvalues λ/(1+tλ))', () => {
    const A = [[3, 0], [0, 0.5]], t = 0.5, beta = 4;
    const hl = quadraticRelaxation({ A }, { t }), vi = quadraticRelaxation({ A }, { t, beta });
    const x = [0.7, -1.3];
    expect(vi.value(x) - hl.value(x)).toBeCloseTo(Math.log((1 + 1.5) * (1 + 0.25)) / (2 * beta), 14);
    expect(hl.value(x)).toBeLessThanOrEqual(0.5 * (3 * 0.49 + 0.5 * 1.69));
    expect(hl.hessian(x).flat()).toBeAllclose([3 / 2.5, 0, 0, 0.5 / 1.25], { atol: 1e-15 });
    expect(vi.covariance(x)[0][0]).toBeCloseTo(t / beta / 2.5, 15);
  });

  it('l1 and box viscous forms tend to their Hopf–Lax forms as β → ∞ like log(β)/(2β) (Gaussian tail of Φ)', () => {
    const t = 0.5;
    for (const make of [(b: number) => l1Relaxation({ t, beta: b }), (b: number) => boxIndicatorRelaxation({ lower: [-1], upper: [1] }, { t, beta: b })]) {
      const hl = make(Infinity);
      const betas = [1e2, 1e3, 1e4, 1e5];
      const errs = betas.map((b) => Math.max(...[-2, -0.8, -0.2, 0.3, 1.7].map((x) => Math.abs(make(b).value([x]) - hl.value([x])))));
      // log Φ(−z) = −z²/2 − log(z√(2π)) + O(z⁻²) with z ∝ √β: the gap is (log β)/(2β) + O(1/β). Normalised, it must settle.
      const scaled = errs.map((e, i) => (e * betas[i]) / Math.log(betas[i]));
      expect(Math.max(...scaled) / Math.min(...scaled)).toBeLessThan(1.6);
      expect(errs[3]).toBeLessThan(errs[0] / 300); // (log 1e5/1e5)/(log 1e2/1e2) = 1/400
    }
  });
});

describe('closed forms against the grid solvers', () => {
  it('Hopf–Lax of |x|₁ in 2-D (Huber, soft threshold) within the mesh bound h²/(8t)', () => {
    const t = 0.45, grid = Grid.uniform([[-2, 2], [-2, 2]], [101, 101]);
    const { u, prox } = hopfLax(grid.sample((x, y) => Math.abs(x) + Math.abs(y)), t);
    const exact = l1Relaxation({ t });
    const x = [0, 0];
    let eu = 0, ey = 0;
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      eu = Math.max(eu, u.data[p] - exact.value(x));
      const y = exact.prox(x);
      ey = Math.max(ey, Math.abs(prox[0].data[p] - y[0]), Math.abs(prox[1].data[p] - y[1]));
    }
    const h = grid.spacing[0];
    // Per axis: the prox objective is |y| + (x−y)²/(2t), curvature 1/t away from the kink; discrete minimiser within h/2.
    expect(eu).toBeLessThanOrEqual((2 * h * h) / (8 * t) + 1e-13);
    expect(ey).toBeLessThanOrEqual(h / 2 + 1e-12);
  });

  it('Hopf–Lax of the indicator of [−1, 1] (1e6 outside, endpoints on the grid) is dist²/(2t) exactly', () => {
    const t = 0.3, grid = Grid.uniform([[-3, 3]], [121]);
    const { u, prox } = hopfLax(grid.sample((y) => (Math.abs(y) <= 1 + 1e-9 ? 0 : 1e6)), t);
    const exact = boxIndicatorRelaxation({ lower: [-1], upper: [1] }, { t });
    grid.axis(0).forEach((x, i) => {
      expect(Math.abs(u.data[i] - exact.value([x]))).toBeLessThan(1e-12);
      expect(Math.abs(prox[0].data[i] - exact.prox([x])[0])).toBeLessThan(1e-12);
    });
  });

  it('Cole–Hopf of an affine function in 2-D: u = aᵀx − t|a|²/2, ⟨y⟩ = x − ta, Hessian 0', () => {
    const t = 0.3, beta = 20, grid = Grid.uniform([[-3, 3], [-3, 3]], [121, 121]);
    const out = coleHopf(grid.sample((x, y) => x - 2 * y), t, beta, { hessian: true, interior: 0.3 });
    const exact = linearRelaxation({ a: [1, -2] }, { t, beta });
    const x = [0, 0];
    let e = 0;
    for (let p = 0; p < grid.size; p++) {
      grid.point(p, x);
      if (Math.abs(x[0]) > 1.5 || Math.abs(x[1]) > 1.5) continue;
      const m = exact.prox(x);
      e = Math.max(e, Math.abs(out.u.data[p] - exact.value(x)), Math.abs(out.mean[0].data[p] - m[0]), Math.abs(out.mean[1].data[p] - m[1]), Math.abs(out.hessian![0][1].data[p]));
    }
    // Gaussian integrand: lattice error e^{−2π²(t/β)/h²} ≈ e^{−118}; rounding of βf ≈ 200 in the exponent: 1e-13·…
    expect(e).toBeLessThan(1e-10);
  });
});

describe('closed-form validation', () => {
  it.each([
    [() => quadraticRelaxation({ A: [[1, 2], [0, 1]] }, { t: 1 }), /quadraticRelaxation: A must be symmetric/],
    [() => quadraticRelaxation({ A: [[-3]] }, { t: 1 }), /quadraticRelaxation: I \+ tA must be positive definite/],
    [() => quadraticRelaxation({ A: [[1]], b: [1, 2] }, { t: 1 }), /quadraticRelaxation: b must be a finite vector of length 1/],
    [() => quadraticRelaxation({ A: [[1]] }, { t: 0 }), /quadraticRelaxation: t must be finite and > 0; got 0\./],
    [() => quadraticRelaxation({ A: [[1]] }, { t: 1 }).value([1, 2]), /quadraticRelaxation: x must be an array of length 1/],
    [() => l1Relaxation({ t: 1, beta: -1 }), /l1Relaxation: beta must be > 0/],
    [() => boxIndicatorRelaxation({ lower: [1], upper: [0] }, { t: 1 }), /boxIndicatorRelaxation: box must be lower < upper componentwise/],
    [() => linearRelaxation({ a: [] }, { t: 1 }), /linearRelaxation: a must be a non-empty finite vector/],
  ])('%#', (call, message) => {
    expect(call).toThrow(message);
  });
});
