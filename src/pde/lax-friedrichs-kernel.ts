/**
 * The fused Lax–Friedrichs stage kernels on padded buffers (src/pde/padded-grid.ts): one pass per
 * axis for H = ½|p|² (Ĥ is then a sum of one-axis terms), and a per-cell loop that calls a general H.
 * The flux itself and its monotonicity condition: src/pde/numerical-hamiltonian.ts, docs/schemes.md.
 */
import type { PaddedLayout } from './padded-grid.js';
import { firstInterior } from './padded-grid.js';
import { addScaledInterior, type Dissipation } from './numerical-hamiltonian.js';

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
 * Ĥ = H(p̄) − Σ_k α_k (p⁺_k − p⁻_k)/2, p̄ = (p⁻ + p⁺)/2 (`out` must not alias `v` or `w`). Measures
 * `slopes` like godunovKernel (src/pde/numerical-hamiltonian.ts). Returns 0, or NaN if an output is not finite. For H = ½|p|²
 * the stage runs as one pass per axis (Ĥ is then a sum of one-axis terms); a general H takes a
 * separate loop that calls it once per cell.
 */
export function laxFriedrichsKernel(
  L: PaddedLayout, v: Float64Array, w: Float64Array, out: Float64Array,
  a: number, b: number, dt: number, nu: number, config: LaxFriedrichsKernelConfig, slopes: Float64Array,
): number {
  if (config.H !== null) return laxFriedrichsGeneral(L, v, w, out, a, b, dt, nu, config, config.H, slopes);
  slopes.fill(0);
  let check = 0;
  for (let k = 3 - L.ndim; k < 3; k++) check = laxFriedrichsAxis(L, k, v, out, b, dt, nu, config, slopes);
  return a === 0 ? check : check + addScaledInterior(L, a, w, out);
}

/**
 * One axis of the quadratic Lax–Friedrichs stage: out (=, on the first real axis, else +=)
 * b·v·[first] + b·dt·(ν D²_k v − ½ p̄_k² + α_k (p⁺_k − p⁻_k)/2), with α_k global or per cell.
 * Writes slopes[k] and returns the finite check of out after this axis.
 */
function laxFriedrichsAxis(
  L: PaddedLayout, k: number, v: Float64Array, out: Float64Array,
  b: number, dt: number, nu: number, config: LaxFriedrichsKernelConfig, slopes: Float64Array,
): number {
  const n0 = L.n[0], n1 = L.n[1], n2 = L.n[2], s0 = L.stride[0], s1 = L.stride[1], origin = firstInterior(L);
  const s = L.stride[k], ih = L.invSpacing[k], bdt = b * dt, hbdt = 0.5 * bdt, e = bdt * nu * ih;
  const isFirst = k === 3 - L.ndim, isLocal = config.dissipation === 'local', alphaK = config.alpha[k], visc = nu !== 0;
  let m = 0, check = 0;
  for (let i0 = 0; i0 < n0; i0++) {
    for (let i1 = 0; i1 < n1; i1++) {
      let p = origin + i0 * s0 + i1 * s1;
      for (const end = p + n2; p < end; p++) {
        const c = v[p], pm = (c - v[p - s]) * ih, pp = (v[p + s] - c) * ih, mean = pm + pp;
        const am = Math.abs(pm); if (am > m) m = am;
        let alpha = alphaK;
        if (isLocal) { const ap = Math.abs(pp); alpha = am > ap ? am : ap; }
        // ½ p̄² = (p⁻ + p⁺)²/8
        let value = isFirst ? b * c : out[p];
        if (visc) value += e * (pp - pm);
        value -= hbdt * (0.25 * mean * mean - alpha * (pp - pm));
        out[p] = value;
        check += value - value;
      }
    }
  }
  slopes[k] = m;
  return check;
}

/** The general-H path of {@link laxFriedrichsKernel}: one loop over the 3-D view, H called per cell. */
function laxFriedrichsGeneral(
  L: PaddedLayout, v: Float64Array, w: Float64Array, out: Float64Array,
  a: number, b: number, dt: number, nu: number, config: LaxFriedrichsKernelConfig, H: (p: Float64Array) => number,
  slopes: Float64Array,
): number {
  const n0 = L.n[0], n1 = L.n[1], n2 = L.n[2], s0 = L.stride[0], s1 = L.stride[1];
  const first = 3 - L.ndim, stride = L.stride, invSpacing = L.invSpacing;
  const alpha = config.alpha, centred = config.centred, isLocal = config.dissipation === 'local';
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
          centred[k - first] = mean;
          ham -= 0.5 * alphaK * (pp - pm);
          diff += nu * ih * ih * (l + r - 2 * c);
        }
        ham += H(centred);
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
