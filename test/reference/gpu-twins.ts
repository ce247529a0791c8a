/**
 * Float64 twins of the gpu.js kernels, written as plain loops over multi-indices: the obviously
 * correct versions the float32 kernels are compared with. Same formulas, same boundary ghosts,
 * same windows; nothing shared with src/gpu but the math.
 */

/** Ghost-aware neighbour index along one axis: −1 when the neighbour contributes nothing (Neumann replicate → same point). */
function neighbour(i: number, n: number, side: -1 | 1, periodic: boolean): number {
  const j = i + side;
  if (j >= 0 && j < n) return j;
  if (periodic) return side < 0 ? n - 2 : 1;
  return i;
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let k = shape.length - 2; k >= 0; k--) s[k] = s[k + 1] * shape[k + 1];
  return s;
}

function multiIndex(p: number, shape: readonly number[], st: number[]): number[] {
  return shape.map((n, k) => Math.floor(p / st[k]) % n);
}

/** One forward-Euler step of u_t = −½|∇u|² + νΔu (Godunov or Lax–Friedrichs with dissipation alpha). */
export function hjStepRef(u: Float64Array, shape: readonly number[], spacing: readonly number[], o: { dt: number; nu: number; godunov: boolean; alpha: number; periodic: boolean }): Float64Array {
  const st = strides(shape), out = new Float64Array(u.length);
  for (let p = 0; p < u.length; p++) {
    const idx = multiIndex(p, shape, st);
    let ham = 0, lap = 0;
    for (let k = 0; k < shape.length; k++) {
      const l = u[p + (neighbour(idx[k], shape[k], -1, o.periodic) - idx[k]) * st[k]];
      const r = u[p + (neighbour(idx[k], shape[k], 1, o.periodic) - idx[k]) * st[k]];
      const dm = (u[p] - l) / spacing[k], dp = (r - u[p]) / spacing[k];
      if (o.godunov) ham += 0.5 * Math.max(Math.max(dm, 0) ** 2, Math.min(dp, 0) ** 2);
      else ham += 0.5 * ((dm + dp) / 2) ** 2 - 0.5 * o.alpha * (dp - dm);
      lap += (l + r - 2 * u[p]) / spacing[k] ** 2;
    }
    out[p] = u[p] - o.dt * ham + o.dt * o.nu * lap;
  }
  return out;
}

/** One conservative upwind step of ρ_s = ∇·(ρ∇u) + νΔρ (zero flux at Neumann ends). */
export function fokkerPlanckStepRef(rho: Float64Array, u: Float64Array, shape: readonly number[], spacing: readonly number[], o: { dt: number; nu: number; periodic: boolean }): Float64Array {
  const st = strides(shape), out = new Float64Array(rho.length);
  const flux = (pa: number, pb: number, h: number): number => {
    const v = -(u[pb] - u[pa]) / h;
    return Math.max(v, 0) * rho[pa] + Math.min(v, 0) * rho[pb] - o.nu * (rho[pb] - rho[pa]) / h;
  };
  for (let p = 0; p < rho.length; p++) {
    const idx = multiIndex(p, shape, st);
    let div = 0;
    for (let k = 0; k < shape.length; k++) {
      if (shape[k] === 1) continue;
      const h = spacing[k], i = idx[k], n = shape[k];
      const hasL = i > 0 || o.periodic, hasR = i < n - 1 || o.periodic;
      const pl = p + (neighbour(i, n, -1, o.periodic) - i) * st[k];
      const pr = p + (neighbour(i, n, 1, o.periodic) - i) * st[k];
      const fl = hasL ? flux(pl, p, h) : 0;
      const fr = hasR ? flux(p, pr, h) : 0;
      div += (fl - fr) / h;
    }
    out[p] = rho[p] + o.dt * div;
  }
  return out;
}

/**
 * Brute-force separable Hopf–Lax over the grid with windows: for each axis in turn,
 * v'(x) = min_{|q−i| ≤ W} v(q) + (q − i)²h²/(2t), carrying the first argmin index per axis.
 */
export function hopfLaxRef(f: Float64Array, shape: readonly number[], spacing: readonly number[], t: number, windows: readonly number[]): { u: Float64Array; index: Float64Array[] } {
  const st = strides(shape);
  let v: Float64Array = Float64Array.from(f);
  const index: Float64Array[] = [];
  for (let k = 0; k < shape.length; k++) {
    const next = new Float64Array(v.length), arg = new Float64Array(v.length);
    for (let p = 0; p < v.length; p++) {
      const i = multiIndex(p, shape, st)[k];
      let best = Infinity, at = i;
      for (let q = Math.max(0, i - windows[k]); q <= Math.min(shape[k] - 1, i + windows[k]); q++) {
        const val = v[p + (q - i) * st[k]] + ((q - i) * spacing[k]) ** 2 / (2 * t);
        if (val < best) { best = val; at = q; }
      }
      next[p] = best; arg[p] = at;
    }
    for (let m = 0; m < k; m++) {
      const gathered = new Float64Array(v.length);
      for (let p = 0; p < v.length; p++) gathered[p] = index[m][p + (arg[p] - multiIndex(p, shape, st)[k]) * st[k]];
      index[m] = gathered;
    }
    index[k] = arg;
    v = next;
  }
  return { u: v, index };
}

/**
 * Brute-force Cole–Hopf quadrature over the whole window box, NOT separable: for each x,
 * u = −β⁻¹ log Σ_y Π_k [h_k (2πt/β)^(−½)] exp(−βf(y) − β|x−y|²/(2t)) over |y_k − x_k| ≤ W_k h_k,
 * and ⟨y⟩ the normalised mean, with a max shift. O(size · Π(2W_k+1)): small grids only.
 */
export function coleHopfRef(f: Float64Array, shape: readonly number[], spacing: readonly number[], lower: readonly number[], t: number, beta: number, windows: readonly number[]): { u: Float64Array; mean: Float64Array[] } {
  const st = strides(shape), d = shape.length;
  const u = new Float64Array(f.length), mean = shape.map(() => new Float64Array(f.length));
  let logNorm = 0;
  for (let k = 0; k < d; k++) logNorm += Math.log(spacing[k]) - 0.5 * Math.log((2 * Math.PI * t) / beta);
  for (let p = 0; p < f.length; p++) {
    const idx = multiIndex(p, shape, st);
    const terms: { a: number; y: number[] }[] = [];
    for (let q = 0; q < f.length; q++) {
      const jdx = multiIndex(q, shape, st);
      if (jdx.some((j, k) => Math.abs(j - idx[k]) > windows[k])) continue;
      let dist2 = 0;
      for (let k = 0; k < d; k++) dist2 += ((jdx[k] - idx[k]) * spacing[k]) ** 2;
      terms.push({ a: -beta * f[q] - (beta * dist2) / (2 * t), y: jdx.map((j, k) => lower[k] + j * spacing[k]) });
    }
    const m = Math.max(...terms.map((x) => x.a));
    let s = 0;
    const acc = new Array<number>(d).fill(0);
    for (const term of terms) {
      const w = Math.exp(term.a - m);
      s += w;
      for (let k = 0; k < d; k++) acc[k] += w * term.y[k];
    }
    u[p] = -(m + Math.log(s) + logNorm) / beta;
    for (let k = 0; k < d; k++) mean[k][p] = acc[k] / s;
  }
  return { u, mean };
}
