/**
 * gpu.js kernels for one forward-Euler step of u_t = −½|∇u|² + ν Δu (ν = 1/(2β); ν = 0 is the
 * non-viscous equation), in 1-D, 2-D and 3-D:
 *   u ← u − dt · Σ_k Ĥ_k(D⁻_k u, D⁺_k u) + dt · ν · Σ_k (u[i−1] + u[i+1] − 2u[i]) / h_k²
 * with, per axis, Godunov  Ĥ = ½ max(max(D⁻, 0)², min(D⁺, 0)²)
 *          or Lax–Friedrichs Ĥ = ½ ((D⁻ + D⁺)/2)² − (α/2)(D⁺ − D⁻),  α ≥ max |D u|.
 * Boundaries through ghost values (src/grids/boundary.ts): Neumann u[−1] = u[0], u[n] = u[n−1];
 * periodic (point 0 ≡ point n−1) u[−1] = u[n−2], u[n] = u[1].
 *
 * The bodies are gpu.js kernel sources: only `this.thread`, `this.constants`, arithmetic, `Math.*`
 * and array reads. Every constant is a compile-time fact (see kernel-cache.ts); `periodic` and
 * `godunov` are 0/1 numbers so that the shader compiler folds the untaken branch away.
 * Arrays are indexed [i0][i1][i2] with the last axis fastest: thread.x runs along the last axis.
 */
import type { KernelThis } from './kernel-this.js';

export function hjStep1d(this: KernelThis, u: number[]): number {
  const i0 = this.thread.x;
  const n0 = this.constants.n0;
  const c = u[i0];
  let l0 = c;
  let r0 = c;
  if (i0 > 0) { l0 = u[i0 - 1]; } else if (this.constants.periodic > 0) { l0 = u[n0 - 2]; }
  if (i0 < n0 - 1) { r0 = u[i0 + 1]; } else if (this.constants.periodic > 0) { r0 = u[1]; }
  const dm0 = (c - l0) * this.constants.invH0;
  const dp0 = (r0 - c) * this.constants.invH0;
  let ham = 0;
  if (this.constants.godunov > 0) {
    const a0 = Math.max(dm0, 0);
    const b0 = Math.min(dp0, 0);
    ham = 0.5 * Math.max(a0 * a0, b0 * b0);
  } else {
    const m0 = 0.5 * (dm0 + dp0);
    ham = 0.5 * m0 * m0 - 0.5 * this.constants.alpha * (dp0 - dm0);
  }
  const lap = (l0 + r0 - 2 * c) * this.constants.invH0sq;
  return c - this.constants.dt * ham + this.constants.dtNu * lap;
}

export function hjStep2d(this: KernelThis, u: number[][]): number {
  const i0 = this.thread.y;
  const i1 = this.thread.x;
  const n0 = this.constants.n0;
  const n1 = this.constants.n1;
  const c = u[i0][i1];
  let l0 = c;
  let r0 = c;
  let l1 = c;
  let r1 = c;
  if (i0 > 0) { l0 = u[i0 - 1][i1]; } else if (this.constants.periodic > 0) { l0 = u[n0 - 2][i1]; }
  if (i0 < n0 - 1) { r0 = u[i0 + 1][i1]; } else if (this.constants.periodic > 0) { r0 = u[1][i1]; }
  if (i1 > 0) { l1 = u[i0][i1 - 1]; } else if (this.constants.periodic > 0) { l1 = u[i0][n1 - 2]; }
  if (i1 < n1 - 1) { r1 = u[i0][i1 + 1]; } else if (this.constants.periodic > 0) { r1 = u[i0][1]; }
  const dm0 = (c - l0) * this.constants.invH0;
  const dp0 = (r0 - c) * this.constants.invH0;
  const dm1 = (c - l1) * this.constants.invH1;
  const dp1 = (r1 - c) * this.constants.invH1;
  let ham = 0;
  if (this.constants.godunov > 0) {
    const a0 = Math.max(dm0, 0);
    const b0 = Math.min(dp0, 0);
    const a1 = Math.max(dm1, 0);
    const b1 = Math.min(dp1, 0);
    ham = 0.5 * Math.max(a0 * a0, b0 * b0) + 0.5 * Math.max(a1 * a1, b1 * b1);
  } else {
    const m0 = 0.5 * (dm0 + dp0);
    const m1 = 0.5 * (dm1 + dp1);
    ham = 0.5 * (m0 * m0 + m1 * m1) - 0.5 * this.constants.alpha * (dp0 - dm0 + dp1 - dm1);
  }
  const lap = (l0 + r0 - 2 * c) * this.constants.invH0sq + (l1 + r1 - 2 * c) * this.constants.invH1sq;
  return c - this.constants.dt * ham + this.constants.dtNu * lap;
}

export function hjStep3d(this: KernelThis, u: number[][][]): number {
  const i0 = this.thread.z;
  const i1 = this.thread.y;
  const i2 = this.thread.x;
  const n0 = this.constants.n0;
  const n1 = this.constants.n1;
  const n2 = this.constants.n2;
  const c = u[i0][i1][i2];
  let l0 = c;
  let r0 = c;
  let l1 = c;
  let r1 = c;
  let l2 = c;
  let r2 = c;
  if (i0 > 0) { l0 = u[i0 - 1][i1][i2]; } else if (this.constants.periodic > 0) { l0 = u[n0 - 2][i1][i2]; }
  if (i0 < n0 - 1) { r0 = u[i0 + 1][i1][i2]; } else if (this.constants.periodic > 0) { r0 = u[1][i1][i2]; }
  if (i1 > 0) { l1 = u[i0][i1 - 1][i2]; } else if (this.constants.periodic > 0) { l1 = u[i0][n1 - 2][i2]; }
  if (i1 < n1 - 1) { r1 = u[i0][i1 + 1][i2]; } else if (this.constants.periodic > 0) { r1 = u[i0][1][i2]; }
  if (i2 > 0) { l2 = u[i0][i1][i2 - 1]; } else if (this.constants.periodic > 0) { l2 = u[i0][i1][n2 - 2]; }
  if (i2 < n2 - 1) { r2 = u[i0][i1][i2 + 1]; } else if (this.constants.periodic > 0) { r2 = u[i0][i1][1]; }
  const dm0 = (c - l0) * this.constants.invH0;
  const dp0 = (r0 - c) * this.constants.invH0;
  const dm1 = (c - l1) * this.constants.invH1;
  const dp1 = (r1 - c) * this.constants.invH1;
  const dm2 = (c - l2) * this.constants.invH2;
  const dp2 = (r2 - c) * this.constants.invH2;
  let ham = 0;
  if (this.constants.godunov > 0) {
    const a0 = Math.max(dm0, 0);
    const b0 = Math.min(dp0, 0);
    const a1 = Math.max(dm1, 0);
    const b1 = Math.min(dp1, 0);
    const a2 = Math.max(dm2, 0);
    const b2 = Math.min(dp2, 0);
    ham = 0.5 * Math.max(a0 * a0, b0 * b0) + 0.5 * Math.max(a1 * a1, b1 * b1) + 0.5 * Math.max(a2 * a2, b2 * b2);
  } else {
    const m0 = 0.5 * (dm0 + dp0);
    const m1 = 0.5 * (dm1 + dp1);
    const m2 = 0.5 * (dm2 + dp2);
    ham = 0.5 * (m0 * m0 + m1 * m1 + m2 * m2) - 0.5 * this.constants.alpha * (dp0 - dm0 + dp1 - dm1 + dp2 - dm2);
  }
  const lap = (l0 + r0 - 2 * c) * this.constants.invH0sq + (l1 + r1 - 2 * c) * this.constants.invH1sq
    + (l2 + r2 - 2 * c) * this.constants.invH2sq;
  return c - this.constants.dt * ham + this.constants.dtNu * lap;
}
