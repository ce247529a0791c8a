/**
 * The generic (pre-specialisation) fused Godunov and Lax–Friedrichs stages on padded buffers, kept verbatim as twins of
 * the specialised kernels in src/pde/numerical-hamiltonian.ts and as the baseline of
 * bench/pde-fd.bench.ts: one loop over the 3-D view, with the dummy axes skipped by branches inside
 * the cell loop and max/min slope tracking on every axis.
 */
import { firstInterior, type PaddedLayout } from '../../src/pde/padded-grid.js';
import type { LaxFriedrichsKernelConfig } from '../../src/pde/lax-friedrichs-kernel.js';

/**
 * Fused Godunov stage on padded buffers, for H = ½|p|²:
 * out = a·w + b·(v + dt·(ν Σ_k D²_k v − ½ Σ_k max(max(D⁻_k v, 0)², min(D⁺_k v, 0)²))) at every grid
 * point (v's halo must be filled). Writes into `slopes[k]` (3-D view axes) max |D⁻_k v| over the
 * grid, which with the halo face covers every face slope. Returns 0, or NaN if an output is not finite.
 */
export function godunovKernelGeneric(
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

/**
 * Fused Lax–Friedrichs stage on padded buffers: out = a·w + b·(v + dt·(ν Σ_k D²_k v − Ĥ)) with
 * Ĥ = H(p̄) − Σ_k α_k (p⁺_k − p⁻_k)/2, p̄ = (p⁻ + p⁺)/2. Measures `slopes` like godunovKernelGeneric.
 * Returns 0, or NaN if an output is not finite.
 */
export function laxFriedrichsKernelGeneric(
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
