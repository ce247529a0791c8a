/**
 * Monotone numerical Hamiltonians Ĥ(p⁻, p⁺) for u_t + H(∇u) = (1/(2β))Δu and the fused stencil
 * kernels that apply them on a padded grid (src/pde/padded-grid.ts). p⁻_k = D⁻_k u and p⁺_k = D⁺_k u
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
 * point (v's halo must be filled). Writes into `slopes[k]` (3-D view axes) max |D⁻_k v| over the
 * grid, which with the halo face covers every face slope. Returns 0, or NaN if an output is not finite.
 */
export function godunovKernel(
  L: PaddedLayout, v: Float64Array, w: Float64Array, out: Float64Array,
  a: number, b: number, dt: number, nu: number, slopes: Float64Array,
): number {
  const n0 = L.n[0], n1 = L.n[1], n2 = L.n[2], s0 = L.stride[0], s1 = L.stride[1];
  const has0 = L.pad[0] === 1, has1 = L.pad[1] === 1;
  const ih0 = L.invSpacing[0], ih1 = L.invSpacing[1], ih2 = L.invSpacing[2];
  const d0 = nu * ih0 * ih0, d1 = nu * ih1 * ih1, d2 = nu * ih2 * ih2;
  const bdt = b * dt, origin = firstInterior(L);
  let hi0 = 0, lo0 = 0, hi1 = 0, lo1 = 0, hi2 = 0, lo2 = 0, check = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      let p = origin + i0 * s0 + i1 * s1;
      const end = p + n2;
      for (; p < end; p++) {
        const c = v[p];
        const l2 = v[p - 1], r2 = v[p + 1];
        const pm2 = (c - l2) * ih2, pp2 = (r2 - c) * ih2;
        if (pm2 > hi2) hi2 = pm2;
        if (pm2 < lo2) lo2 = pm2;
        const gm2 = pm2 > 0 ? pm2 : 0, gp2 = pp2 < 0 ? -pp2 : 0, g2 = gm2 > gp2 ? gm2 : gp2;
        let ham = g2 * g2;
        let diff = d2 * (l2 + r2 - 2 * c);
        if (has1) {
          const l1 = v[p - s1], r1 = v[p + s1];
          const pm1 = (c - l1) * ih1, pp1 = (r1 - c) * ih1;
          if (pm1 > hi1) hi1 = pm1;
          if (pm1 < lo1) lo1 = pm1;
          const gm1 = pm1 > 0 ? pm1 : 0, gp1 = pp1 < 0 ? -pp1 : 0, g1 = gm1 > gp1 ? gm1 : gp1;
          ham += g1 * g1;
          diff += d1 * (l1 + r1 - 2 * c);
        }
        if (has0) {
          const l0 = v[p - s0], r0 = v[p + s0];
          const pm0 = (c - l0) * ih0, pp0 = (r0 - c) * ih0;
          if (pm0 > hi0) hi0 = pm0;
          if (pm0 < lo0) lo0 = pm0;
          const gm0 = pm0 > 0 ? pm0 : 0, gp0 = pp0 < 0 ? -pp0 : 0, g0 = gm0 > gp0 ? gm0 : gp0;
          ham += g0 * g0;
          diff += d0 * (l0 + r0 - 2 * c);
        }
        const value = a * w[p] + b * c + bdt * (diff - 0.5 * ham);
        out[p] = value;
        check += value - value; // 0 for finite values, NaN for ±∞ or NaN (sticky)
      }
    }
  }
  slopes[0] = hi0 > -lo0 ? hi0 : -lo0;
  slopes[1] = hi1 > -lo1 ? hi1 : -lo1;
  slopes[2] = hi2 > -lo2 ? hi2 : -lo2;
  return check;
}

/** How the Lax–Friedrichs kernel chooses α and H. */
export interface LaxFriedrichsKernelConfig {
  /** 'global' uses `alpha` (3-D view axes); 'local' uses α_k = max(|p⁻_k|, |p⁺_k|) per cell (H = ½|p|² only). */
  dissipation: Dissipation;
  /** A general H (then `alpha` must hold its dHBound), or null for H = ½|p|². */
  H: ((p: Float64Array) => number) | null;
  /** Global α_k per 3-D view axis. */
  alpha: Float64Array;
  /** Scratch of length ndim for the centred gradient passed to H. */
  centred: Float64Array;
}

/**
 * Fused Lax–Friedrichs stage on padded buffers: out = a·w + b·(v + dt·(ν Σ_k D²_k v − Ĥ)) with
 * Ĥ = H(p̄) − Σ_k α_k (p⁺_k − p⁻_k)/2, p̄ = (p⁻ + p⁺)/2. Measures `slopes` like {@link godunovKernel}.
 * Returns 0, or NaN if an output is not finite.
 */
export function laxFriedrichsKernel(
  L: PaddedLayout, v: Float64Array, w: Float64Array, out: Float64Array,
  a: number, b: number, dt: number, nu: number, config: LaxFriedrichsKernelConfig, slopes: Float64Array,
): number {
  const n0 = L.n[0], n1 = L.n[1], n2 = L.n[2], s0 = L.stride[0], s1 = L.stride[1];
  const first = 3 - L.ndim, stride = L.stride, invSpacing = L.invSpacing;
  const alpha = config.alpha, H = config.H, centred = config.centred, isLocal = config.dissipation === 'local';
  const bdt = b * dt, origin = firstInterior(L);
  let hi0 = 0, lo0 = 0, hi1 = 0, lo1 = 0, hi2 = 0, lo2 = 0, check = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      let p = origin + i0 * s0 + i1 * s1;
      const end = p + n2;
      for (; p < end; p++) {
        const c = v[p];
        let ham = 0, diff = 0;
        for (let k = first; k < 3; k++) {
          const s = stride[k], ih = invSpacing[k];
          const l = v[p - s], r = v[p + s];
          const pm = (c - l) * ih, pp = (r - c) * ih, mean = 0.5 * (pm + pp);
          if (k === 2) { if (pm > hi2) hi2 = pm; if (pm < lo2) lo2 = pm; }
          else if (k === 1) { if (pm > hi1) hi1 = pm; if (pm < lo1) lo1 = pm; }
          else { if (pm > hi0) hi0 = pm; if (pm < lo0) lo0 = pm; }
          let alphaK = alpha[k];
          if (isLocal) { const am = pm < 0 ? -pm : pm, ap = pp < 0 ? -pp : pp; alphaK = am > ap ? am : ap; }
          if (H === null) ham += 0.5 * mean * mean;
          else centred[k - first] = mean;
          ham -= 0.5 * alphaK * (pp - pm);
          diff += nu * ih * ih * (l + r - 2 * c);
        }
        if (H !== null) ham += H(centred);
        const value = a * w[p] + b * c + bdt * (diff - ham);
        out[p] = value;
        check += value - value;
      }
    }
  }
  slopes[0] = hi0 > -lo0 ? hi0 : -lo0;
  slopes[1] = hi1 > -lo1 ? hi1 : -lo1;
  slopes[2] = hi2 > -lo2 ? hi2 : -lo2;
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
