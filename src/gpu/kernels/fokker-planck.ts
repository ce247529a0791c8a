/**
 * gpu.js kernel for one step of the Fokker–Planck equation ρ_s = ∇·(ρ ∇u) + ν Δρ in conservative,
 * upwind form, on a grid viewed as 3-D [n0][n1][n2] (1-D and 2-D grids pad leading axes with 1):
 *   ρ_i ← ρ_i + (dt/h_k) Σ_k (F_{i−½} − F_{i+½}),
 *   F_{i+½} = max(v, 0) ρ_i + min(v, 0) ρ_{i+1} − ν (ρ_{i+1} − ρ_i)/h,  v = −(u_{i+1} − u_i)/h.
 * Neumann: zero flux through the outer faces (mass is conserved to round-off). Periodic (point 0 ≡
 * point n−1): the ghosts u[−1] = u[n−2], u[n] = u[1] as in src/grids/boundary.ts. An axis of
 * length 1 contributes nothing. Positivity holds for dt Σ_k (max|v|/h_k + 2ν/h_k²) ≤ 1.
 */
import type { KernelThis } from './kernel-this.js';

export function fokkerPlanckStep(this: KernelThis, rho: number[][][], u: number[][][]): number {
  const i0 = this.thread.z;
  const i1 = this.thread.y;
  const i2 = this.thread.x;
  const n0 = this.constants.n0;
  const n1 = this.constants.n1;
  const n2 = this.constants.n2;
  const nu = this.constants.nu;
  const pc = rho[i0][i1][i2];
  const uc = u[i0][i1][i2];
  let div = 0;
  if (n0 > 1) {
    let pl = pc; let ul = uc; let pr = pc; let ur = uc;
    let hasL = 0; let hasR = 0;
    if (i0 > 0) { pl = rho[i0 - 1][i1][i2]; ul = u[i0 - 1][i1][i2]; hasL = 1; } else if (this.constants.periodic > 0) { pl = rho[n0 - 2][i1][i2]; ul = u[n0 - 2][i1][i2]; hasL = 1; }
    if (i0 < n0 - 1) { pr = rho[i0 + 1][i1][i2]; ur = u[i0 + 1][i1][i2]; hasR = 1; } else if (this.constants.periodic > 0) { pr = rho[1][i1][i2]; ur = u[1][i1][i2]; hasR = 1; }
    const vl = -(uc - ul) * this.constants.invH0;
    const vr = -(ur - uc) * this.constants.invH0;
    const fl = hasL * (Math.max(vl, 0) * pl + Math.min(vl, 0) * pc - nu * (pc - pl) * this.constants.invH0);
    const fr = hasR * (Math.max(vr, 0) * pc + Math.min(vr, 0) * pr - nu * (pr - pc) * this.constants.invH0);
    div += (fl - fr) * this.constants.invH0;
  }
  if (n1 > 1) {
    let pl = pc; let ul = uc; let pr = pc; let ur = uc;
    let hasL = 0; let hasR = 0;
    if (i1 > 0) { pl = rho[i0][i1 - 1][i2]; ul = u[i0][i1 - 1][i2]; hasL = 1; } else if (this.constants.periodic > 0) { pl = rho[i0][n1 - 2][i2]; ul = u[i0][n1 - 2][i2]; hasL = 1; }
    if (i1 < n1 - 1) { pr = rho[i0][i1 + 1][i2]; ur = u[i0][i1 + 1][i2]; hasR = 1; } else if (this.constants.periodic > 0) { pr = rho[i0][1][i2]; ur = u[i0][1][i2]; hasR = 1; }
    const vl = -(uc - ul) * this.constants.invH1;
    const vr = -(ur - uc) * this.constants.invH1;
    const fl = hasL * (Math.max(vl, 0) * pl + Math.min(vl, 0) * pc - nu * (pc - pl) * this.constants.invH1);
    const fr = hasR * (Math.max(vr, 0) * pc + Math.min(vr, 0) * pr - nu * (pr - pc) * this.constants.invH1);
    div += (fl - fr) * this.constants.invH1;
  }
  if (n2 > 1) {
    let pl = pc; let ul = uc; let pr = pc; let ur = uc;
    let hasL = 0; let hasR = 0;
    if (i2 > 0) { pl = rho[i0][i1][i2 - 1]; ul = u[i0][i1][i2 - 1]; hasL = 1; } else if (this.constants.periodic > 0) { pl = rho[i0][i1][n2 - 2]; ul = u[i0][i1][n2 - 2]; hasL = 1; }
    if (i2 < n2 - 1) { pr = rho[i0][i1][i2 + 1]; ur = u[i0][i1][i2 + 1]; hasR = 1; } else if (this.constants.periodic > 0) { pr = rho[i0][i1][1]; ur = u[i0][i1][1]; hasR = 1; }
    const vl = -(uc - ul) * this.constants.invH2;
    const vr = -(ur - uc) * this.constants.invH2;
    const fl = hasL * (Math.max(vl, 0) * pl + Math.min(vl, 0) * pc - nu * (pc - pl) * this.constants.invH2);
    const fr = hasR * (Math.max(vr, 0) * pc + Math.min(vr, 0) * pr - nu * (pr - pc) * this.constants.invH2);
    div += (fl - fr) * this.constants.invH2;
  }
  return pc + this.constants.dt * div;
}

/**
 * The same step for a potential interpolated in time, u = (1 − θ)·uA + θ·uB, with θ = params[0] and
 * dt = params[1] passed at run time (so the float64 solver's variable step sequence needs one
 * kernel); zero flux through the outer faces only (the float64 solver's boundary).
 */
export function fokkerPlanckMixStep(this: KernelThis, rho: number[][][], uA: number[][][], uB: number[][][], params: number[]): number {
  const i0 = this.thread.z;
  const i1 = this.thread.y;
  const i2 = this.thread.x;
  const n0 = this.constants.n0;
  const n1 = this.constants.n1;
  const n2 = this.constants.n2;
  const nu = this.constants.nu;
  const th = params[0];
  const a = 1 - th;
  const pc = rho[i0][i1][i2];
  const uc = a * uA[i0][i1][i2] + th * uB[i0][i1][i2];
  let div = 0;
  if (n0 > 1) {
    let fl = 0; let fr = 0;
    if (i0 > 0) {
      const pl = rho[i0 - 1][i1][i2];
      const vl = -(uc - (a * uA[i0 - 1][i1][i2] + th * uB[i0 - 1][i1][i2])) * this.constants.invH0;
      fl = Math.max(vl, 0) * pl + Math.min(vl, 0) * pc - nu * (pc - pl) * this.constants.invH0;
    }
    if (i0 < n0 - 1) {
      const pr = rho[i0 + 1][i1][i2];
      const vr = -((a * uA[i0 + 1][i1][i2] + th * uB[i0 + 1][i1][i2]) - uc) * this.constants.invH0;
      fr = Math.max(vr, 0) * pc + Math.min(vr, 0) * pr - nu * (pr - pc) * this.constants.invH0;
    }
    div += (fl - fr) * this.constants.invH0;
  }
  if (n1 > 1) {
    let fl = 0; let fr = 0;
    if (i1 > 0) {
      const pl = rho[i0][i1 - 1][i2];
      const vl = -(uc - (a * uA[i0][i1 - 1][i2] + th * uB[i0][i1 - 1][i2])) * this.constants.invH1;
      fl = Math.max(vl, 0) * pl + Math.min(vl, 0) * pc - nu * (pc - pl) * this.constants.invH1;
    }
    if (i1 < n1 - 1) {
      const pr = rho[i0][i1 + 1][i2];
      const vr = -((a * uA[i0][i1 + 1][i2] + th * uB[i0][i1 + 1][i2]) - uc) * this.constants.invH1;
      fr = Math.max(vr, 0) * pc + Math.min(vr, 0) * pr - nu * (pr - pc) * this.constants.invH1;
    }
    div += (fl - fr) * this.constants.invH1;
  }
  if (n2 > 1) {
    let fl = 0; let fr = 0;
    if (i2 > 0) {
      const pl = rho[i0][i1][i2 - 1];
      const vl = -(uc - (a * uA[i0][i1][i2 - 1] + th * uB[i0][i1][i2 - 1])) * this.constants.invH2;
      fl = Math.max(vl, 0) * pl + Math.min(vl, 0) * pc - nu * (pc - pl) * this.constants.invH2;
    }
    if (i2 < n2 - 1) {
      const pr = rho[i0][i1][i2 + 1];
      const vr = -((a * uA[i0][i1][i2 + 1] + th * uB[i0][i1][i2 + 1]) - uc) * this.constants.invH2;
      fr = Math.max(vr, 0) * pc + Math.min(vr, 0) * pr - nu * (pr - pc) * this.constants.invH2;
    }
    div += (fl - fr) * this.constants.invH2;
  }
  return pc + params[1] * div;
}
