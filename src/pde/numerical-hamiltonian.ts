/**
 * Monotone numerical Hamiltonians Ĥ(p⁻, p⁺) for u_t + H(∇u) = (1/(2β))Δu and the fused Godunov
 * stencil kernels on a padded grid (src/pde/padded-grid.ts; the Lax–Friedrichs kernels are in
 * src/pde/lax-friedrichs-kernel.ts, the WebAssembly SIMD twins of both in wasm/assembly/hj-step.ts). p⁻_k = D⁻_k u and p⁺_k = D⁺_k u
 * are the one-sided differences on axis k. A numerical Hamiltonian is monotone when it is
 * non-decreasing in every p⁻_k and non-increasing in every p⁺_k; with the time-step condition of
 * src/pde/time-step.ts this makes the explicit scheme monotone (the discrete comparison principle),
 * hence convergent to the viscosity solution (Barles–Souganidis 1991).
 * @see docs/schemes.md for the derivations.
 */
import type { PaddedLayout } from './padded-grid.js';
import { firstInterior } from './padded-grid.js';

/** Finite-difference schemes of {@link solveHJ}. */
export type HJScheme = 'godunov' | 'lax-friedrichs';
/** Lax–Friedrichs dissipation: one α_k for the whole grid, or α_k chosen per cell. */
export type Dissipation = 'global' | 'local';

/**
 * A user Hamiltonian for the Lax–Friedrichs hook: the PDE becomes u_t = −H(∇u) + (1/(2β))Δu.
 * `dHBound` bounds |∂H/∂p_k| over every gradient the solution visits (one number for all axes, or
 * one per axis); it is the Lax–Friedrichs dissipation α_k, and the scheme is monotone only if the
 * bound is true (it cannot be checked here).
 */
export interface Hamiltonian {
  /** H(p) for a gradient p of length ndim (a reused scratch array: read it, do not keep it). */
  H: (p: Float64Array) => number;
  /** Bound on |∂H/∂p_k|, a finite number > 0 or one per axis. */
  dHBound: number | readonly number[];
}

/**
 * Godunov's numerical Hamiltonian for H(p) = ½p² on one axis:
 * Ĥ(p⁻, p⁺) = ½ max(max(p⁻, 0)², min(p⁺, 0)²) (exact Riemann solution for this convex H; the
 * authors' upwind term, paper-notes §8). Summing over axes gives the N-D Godunov Hamiltonian of ½|p|².
 * @example godunovQuadratic(1, 2) // 0.5: upwind from the left
 */
export function godunovQuadratic(pMinus: number, pPlus: number): number {
  const left = pMinus > 0 ? pMinus : 0, right = pPlus < 0 ? -pPlus : 0;
  const g = left > right ? left : right;
  return 0.5 * g * g;
}

/**
 * Lax–Friedrichs numerical Hamiltonian Ĥ = H((p⁻ + p⁺)/2) − Σ_k α_k (p⁺_k − p⁻_k)/2, monotone when
 * α_k ≥ max |∂H/∂p_k| over the range of p. `scratch` (length ndim) receives the centred gradient.
 * @example laxFriedrichs((p) => 0.5 * p[0] * p[0], [1], [3], [3], new Float64Array(1)) // 2 − 3 = −1
 */
export function laxFriedrichs(
  H: (p: Float64Array) => number, pMinus: ArrayLike<number>, pPlus: ArrayLike<number>,
  alpha: ArrayLike<number>, scratch: Float64Array,
): number {
  let dissipation = 0;
  for (let k = 0; k < scratch.length; k++) {
    scratch[k] = 0.5 * (pMinus[k] + pPlus[k]);
    dissipation += 0.5 * alpha[k] * (pPlus[k] - pMinus[k]);
  }
  return H(scratch) - dissipation;
}

/**
 * Fused Godunov stage on padded buffers, for H = ½|p|²:
 * out = a·w + b·(v + dt·(ν Σ_k D²_k v − ½ Σ_k max(max(D⁻_k v, 0)², min(D⁺_k v, 0)²))) at every grid
 * point (v's halo must be filled; `out` must not alias `v` or `w`). Writes into `slopes[k]` (3-D view
 * axes) max |D⁻_k v| over the grid, which with the halo face covers every face slope. Returns 0, or
 * NaN if an output is not finite. Dispatches to a kernel specialised to the dimension (strides
 * hoisted, no per-cell calls or dimension branches, slope tracking and finite check fused).
 */
export function godunovKernel(
  L: PaddedLayout, v: Float64Array, w: Float64Array, out: Float64Array,
  a: number, b: number, dt: number, nu: number, slopes: Float64Array,
): number {
  slopes.fill(0);
  const check = L.ndim === 1 ? godunov1d(L, v, out, b, dt, nu, slopes)
    : L.ndim === 2 ? godunov2d(L, v, out, b, dt, nu, slopes) : godunov3d(L, v, out, b, dt, nu, slopes);
  return a === 0 ? check : check + addScaledInterior(L, a, w, out);
}

/** out += a·w on the grid points (the a·w part of an SSP stage, one pass), returning the finite check of out. */
export function addScaledInterior(L: PaddedLayout, a: number, w: Float64Array, out: Float64Array): number {
  const n0 = L.n[0], n1 = L.n[1], n2 = L.n[2], s0 = L.stride[0], s1 = L.stride[1], origin = firstInterior(L);
  let check = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      let p = origin + i0 * s0 + i1 * s1;
      for (const end = p + n2; p < end; p++) {
        const value = out[p] + a * w[p];
        out[p] = value;
        check += value - value;
      }
    }
  }
  return check;
}

// Kernel notes (measured in bench/pde-fd.bench.ts against the generic twin test/reference/godunov-kernel-generic.ts):
// - The kernels compute out = b·(v + dt·L(v)); the a·w part of an SSP stage is a second pass, done only
//   when a ≠ 0 (forward Euler and the first SSP-RK2 stage skip it and never read w).
// - D²_k v = (D⁺_k v − D⁻_k v)/h_k, so the diffusion term reuses the upwind differences: ν·D²_k v·dt·b =
//   e_k·(p⁺ − p⁻) with e_k = b·dt·ν/h_k, left out when ν = 0 (β = ∞). The WebAssembly twins
//   (wasm/assembly/hj-step.ts) follow the same operation order, so both give the same bits.
// - Along the contiguous axis D⁻ at cell i+1 is D⁺ at cell i: carried in a register, not recomputed.
// - 2-D/3-D process two rows of axis 1 per pass: the face difference between them is D⁺ of the first
//   and D⁻ of the second. An odd row count redoes row n₁ − 2 in the last pass (same outputs, since
//   `out` aliases neither input; the slope maxima are unchanged).
// - max(max(p⁻, 0), max(−p⁺, 0)) = max(p⁻, −p⁺, 0) by two ternaries; |p⁻| by Math.abs (a V8
//   intrinsic, branch-free), compared against the running max.

function godunov1d(
  L: PaddedLayout, v: Float64Array, out: Float64Array, b: number, dt: number, nu: number, slopes: Float64Array,
): number {
  const ih = L.invSpacing[2], bdt = b * dt, e = bdt * nu * ih, visc = nu !== 0, origin = firstInterior(L);
  let m = 0, check = 0, p = origin, c = v[p], pm = (c - v[p - 1]) * ih;
  for (const end = p + L.n[2]; p < end; p++) {
    const r = v[p + 1], pp = (r - c) * ih;
    const am = Math.abs(pm); if (am > m) m = am;
    let g = pm > -pp ? pm : -pp; if (g < 0) g = 0;
    let value = b * c;
    if (visc) value += e * (pp - pm);
    value -= 0.5 * bdt * (g * g);
    out[p] = value;
    check += value - value; // 0 for finite values, NaN for ±∞ or NaN (sticky)
    c = r; pm = pp;
  }
  slopes[2] = m;
  return check;
}

function godunov2d(
  L: PaddedLayout, v: Float64Array, out: Float64Array, b: number, dt: number, nu: number, slopes: Float64Array,
): number {
  const n1 = L.n[1], n2 = L.n[2], s = L.stride[1], s2 = 2 * s, ih1 = L.invSpacing[1], ih2 = L.invSpacing[2];
  const bdt = b * dt, hbdt = 0.5 * bdt, e1 = bdt * nu * ih1, e2 = bdt * nu * ih2, visc = nu !== 0, origin = firstInterior(L);
  let m1 = 0, m2 = 0, check = 0;
  for (let i1 = 0; i1 < n1; i1 += 2) {
    let p = origin + (i1 + 1 < n1 ? i1 : n1 - 2) * s; // rows A = i1 and B = i1 + 1 (see the kernel notes)
    let cA = v[p], pmA = (cA - v[p - 1]) * ih2, cB = v[p + s], pmB = (cB - v[p + s - 1]) * ih2;
    for (const end = p + n2; p < end; p++) {
      const rA = v[p + 1], rB = v[p + s + 1];
      const ppA = (rA - cA) * ih2, ppB = (rB - cB) * ih2;
      const qA = (cA - v[p - s]) * ih1, qAB = (cB - cA) * ih1, qB = (v[p + s2] - cB) * ih1;
      let t = Math.abs(pmA); if (t > m2) m2 = t;
      t = Math.abs(pmB); if (t > m2) m2 = t;
      t = Math.abs(qA); if (t > m1) m1 = t;
      t = Math.abs(qAB); if (t > m1) m1 = t;
      let g2A = pmA > -ppA ? pmA : -ppA; if (g2A < 0) g2A = 0;
      let g2B = pmB > -ppB ? pmB : -ppB; if (g2B < 0) g2B = 0;
      let g1A = qA > -qAB ? qA : -qAB; if (g1A < 0) g1A = 0;
      let g1B = qAB > -qB ? qAB : -qB; if (g1B < 0) g1B = 0;
      let valueA = b * cA, valueB = b * cB;
      if (visc) {
        valueA = valueA + e2 * (ppA - pmA) + e1 * (qAB - qA);
        valueB = valueB + e2 * (ppB - pmB) + e1 * (qB - qAB);
      }
      valueA -= hbdt * (g2A * g2A + g1A * g1A);
      valueB -= hbdt * (g2B * g2B + g1B * g1B);
      out[p] = valueA;
      out[p + s] = valueB;
      check += valueA - valueA;
      check += valueB - valueB;
      cA = rA; pmA = ppA; cB = rB; pmB = ppB;
    }
  }
  slopes[1] = m1;
  slopes[2] = m2;
  return check;
}

function godunov3d(
  L: PaddedLayout, v: Float64Array, out: Float64Array, b: number, dt: number, nu: number, slopes: Float64Array,
): number {
  const n0 = L.n[0], n1 = L.n[1], n2 = L.n[2], s0 = L.stride[0], s = L.stride[1], s2 = 2 * s;
  const ih0 = L.invSpacing[0], ih1 = L.invSpacing[1], ih2 = L.invSpacing[2];
  const bdt = b * dt, hbdt = 0.5 * bdt, e0 = bdt * nu * ih0, e1 = bdt * nu * ih1, e2 = bdt * nu * ih2, visc = nu !== 0;
  const origin = firstInterior(L);
  let m0 = 0, m1 = 0, m2 = 0, check = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1 += 2) {
      let p = origin + i0 * s0 + (i1 + 1 < n1 ? i1 : n1 - 2) * s;
      let cA = v[p], pmA = (cA - v[p - 1]) * ih2, cB = v[p + s], pmB = (cB - v[p + s - 1]) * ih2;
      for (const end = p + n2; p < end; p++) {
        const rA = v[p + 1], rB = v[p + s + 1];
        const ppA = (rA - cA) * ih2, ppB = (rB - cB) * ih2;
        const qA = (cA - v[p - s]) * ih1, qAB = (cB - cA) * ih1, qB = (v[p + s2] - cB) * ih1;
        const oA = (cA - v[p - s0]) * ih0, opA = (v[p + s0] - cA) * ih0;
        const oB = (cB - v[p + s - s0]) * ih0, opB = (v[p + s + s0] - cB) * ih0;
        let t = Math.abs(pmA); if (t > m2) m2 = t;
        t = Math.abs(pmB); if (t > m2) m2 = t;
        t = Math.abs(qA); if (t > m1) m1 = t;
        t = Math.abs(qAB); if (t > m1) m1 = t;
        t = Math.abs(oA); if (t > m0) m0 = t;
        t = Math.abs(oB); if (t > m0) m0 = t;
        let g2A = pmA > -ppA ? pmA : -ppA; if (g2A < 0) g2A = 0;
        let g2B = pmB > -ppB ? pmB : -ppB; if (g2B < 0) g2B = 0;
        let g1A = qA > -qAB ? qA : -qAB; if (g1A < 0) g1A = 0;
        let g1B = qAB > -qB ? qAB : -qB; if (g1B < 0) g1B = 0;
        let g0A = oA > -opA ? oA : -opA; if (g0A < 0) g0A = 0;
        let g0B = oB > -opB ? oB : -opB; if (g0B < 0) g0B = 0;
        let valueA = b * cA, valueB = b * cB;
        if (visc) {
          valueA = valueA + e2 * (ppA - pmA) + e1 * (qAB - qA) + e0 * (opA - oA);
          valueB = valueB + e2 * (ppB - pmB) + e1 * (qB - qAB) + e0 * (opB - oB);
        }
        valueA -= hbdt * (g2A * g2A + g1A * g1A + g0A * g0A);
        valueB -= hbdt * (g2B * g2B + g1B * g1B + g0B * g0B);
        out[p] = valueA;
        out[p + s] = valueB;
        check += valueA - valueA;
        check += valueB - valueB;
        cA = rA; pmA = ppA; cB = rB; pmB = ppB;
      }
    }
  }
  slopes[0] = m0;
  slopes[1] = m1;
  slopes[2] = m2;
  return check;
}

/** max_k-face |D⁻_k v| per 3-D view axis over the grid (v's halo must be filled), into `slopes`. */
export function measureSlopes(L: PaddedLayout, v: Float64Array, slopes: Float64Array): void {
  slopes.fill(0);
  const origin = firstInterior(L);
  for (let k = 3 - L.ndim; k < 3; k++) {
    const s = L.stride[k], ih = L.invSpacing[k];
    let m = 0;
    for (let i0 = 0; i0 < L.n[0]; i0++) {
      for (let i1 = 0; i1 < L.n[1]; i1++) {
        let p = origin + i0 * L.stride[0] + i1 * L.stride[1];
        const end = p + L.n[2];
        for (; p < end; p++) { const d = Math.abs(v[p] - v[p - s]) * ih; if (d > m) m = d; }
      }
    }
    slopes[k] = m;
  }
}
