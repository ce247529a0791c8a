/**
 * Float64 reference twins of the network layers: direct loops straight from the definitions
 * (convolution as a 6-deep sum, no im2col), forward and backward, for finite-difference gradient
 * checks and for agreement tests against the float32 engines. Layouts match src/nn: samples
 * slowest, (C, H, W) row-major, linear W (in × out), conv W (C·k·k × F) with rows (c, ky, kx).
 */
export type F64 = Float64Array;

export function linearForward(x: F64, w: F64, b: F64, batch: number, nin: number, nout: number): F64 {
  const y = new Float64Array(batch * nout);
  for (let s = 0; s < batch; s++) for (let j = 0; j < nout; j++) {
    let sum = b[j];
    for (let i = 0; i < nin; i++) sum += x[s * nin + i] * w[i * nout + j];
    y[s * nout + j] = sum;
  }
  return y;
}

export function linearBackward(x: F64, w: F64, dy: F64, batch: number, nin: number, nout: number): { dx: F64; dw: F64; db: F64 } {
  const dx = new Float64Array(batch * nin), dw = new Float64Array(nin * nout), db = new Float64Array(nout);
  for (let s = 0; s < batch; s++) for (let j = 0; j < nout; j++) {
    const g = dy[s * nout + j];
    db[j] += g;
    for (let i = 0; i < nin; i++) { dw[i * nout + j] += x[s * nin + i] * g; dx[s * nin + i] += w[i * nout + j] * g; }
  }
  return { dx, dw, db };
}

export interface ConvShape { batch: number; c: number; h: number; w: number; f: number; k: number; stride: number; padding: number }
export const convOut = (s: ConvShape) => ({ ho: Math.floor((s.h + 2 * s.padding - s.k) / s.stride) + 1, wo: Math.floor((s.w + 2 * s.padding - s.k) / s.stride) + 1 });

export function convForward(x: F64, wt: F64, b: F64, s: ConvShape): F64 {
  const { ho, wo } = convOut(s), y = new Float64Array(s.batch * s.f * ho * wo);
  for (let n = 0; n < s.batch; n++) for (let f = 0; f < s.f; f++) for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) {
    let sum = b[f];
    for (let c = 0; c < s.c; c++) for (let ky = 0; ky < s.k; ky++) for (let kx = 0; kx < s.k; kx++) {
      const iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
      if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
      sum += x[((n * s.c + c) * s.h + iy) * s.w + ix] * wt[((c * s.k + ky) * s.k + kx) * s.f + f];
    }
    y[((n * s.f + f) * ho + oy) * wo + ox] = sum;
  }
  return y;
}

export function convBackward(x: F64, wt: F64, dy: F64, s: ConvShape): { dx: F64; dw: F64; db: F64 } {
  const { ho, wo } = convOut(s);
  const dx = new Float64Array(x.length), dw = new Float64Array(wt.length), db = new Float64Array(s.f);
  for (let n = 0; n < s.batch; n++) for (let f = 0; f < s.f; f++) for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) {
    const g = dy[((n * s.f + f) * ho + oy) * wo + ox];
    db[f] += g;
    for (let c = 0; c < s.c; c++) for (let ky = 0; ky < s.k; ky++) for (let kx = 0; kx < s.k; kx++) {
      const iy = oy * s.stride - s.padding + ky, ix = ox * s.stride - s.padding + kx;
      if (iy < 0 || iy >= s.h || ix < 0 || ix >= s.w) continue;
      const xi = ((n * s.c + c) * s.h + iy) * s.w + ix, wi = ((c * s.k + ky) * s.k + kx) * s.f + f;
      dw[wi] += x[xi] * g; dx[xi] += wt[wi] * g;
    }
  }
  return { dx, dw, db };
}

/** Max pooling k×k stride k over `planes` planes of h×w; backward to the first maximum. */
export function maxPoolForward(x: F64, planes: number, h: number, w: number, k: number): { y: F64; arg: Int32Array } {
  const ho = Math.floor(h / k), wo = Math.floor(w / k), y = new Float64Array(planes * ho * wo), arg = new Int32Array(y.length);
  for (let p = 0; p < planes; p++) for (let oy = 0; oy < ho; oy++) for (let ox = 0; ox < wo; ox++) {
    let best = -Infinity, at = -1;
    for (let ky = 0; ky < k; ky++) for (let kx = 0; kx < k; kx++) {
      const i = (p * h + oy * k + ky) * w + ox * k + kx;
      if (x[i] > best) { best = x[i]; at = i; }
    }
    y[(p * ho + oy) * wo + ox] = best; arg[(p * ho + oy) * wo + ox] = at;
  }
  return { y, arg };
}
export function maxPoolBackward(dy: F64, arg: Int32Array, inSize: number): F64 {
  const dx = new Float64Array(inSize);
  for (let q = 0; q < dy.length; q++) dx[arg[q]] += dy[q];
  return dx;
}

export const reluForward = (x: F64): F64 => x.map((v) => (v > 0 ? v : 0));
export const reluBackward = (x: F64, dy: F64): F64 => dy.map((g, i) => (x[i] > 0 ? g : 0));

/** Batch norm with batch statistics over (batch, spatial) per channel; eps as PyTorch. */
export function batchNormForward(x: F64, gamma: F64, beta: F64, batch: number, c: number, spatial: number, eps = 1e-5): { y: F64; xhat: F64; invStd: F64 } {
  const m = batch * spatial, y = new Float64Array(x.length), xhat = new Float64Array(x.length), invStd = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    let mu = 0;
    for (let n = 0; n < batch; n++) for (let q = 0; q < spatial; q++) mu += x[(n * c + ch) * spatial + q];
    mu /= m;
    let v = 0;
    for (let n = 0; n < batch; n++) for (let q = 0; q < spatial; q++) v += (x[(n * c + ch) * spatial + q] - mu) ** 2;
    v /= m;
    invStd[ch] = 1 / Math.sqrt(v + eps);
    for (let n = 0; n < batch; n++) for (let q = 0; q < spatial; q++) {
      const i = (n * c + ch) * spatial + q;
      xhat[i] = (x[i] - mu) * invStd[ch]; y[i] = gamma[ch] * xhat[i] + beta[ch];
    }
  }
  return { y, xhat, invStd };
}
export function batchNormBackward(dy: F64, xhat: F64, invStd: F64, gamma: F64, batch: number, c: number, spatial: number): { dx: F64; dgamma: F64; dbeta: F64 } {
  const m = batch * spatial, dx = new Float64Array(dy.length), dgamma = new Float64Array(c), dbeta = new Float64Array(c);
  for (let ch = 0; ch < c; ch++) {
    let sdy = 0, sdyx = 0;
    for (let n = 0; n < batch; n++) for (let q = 0; q < spatial; q++) { const i = (n * c + ch) * spatial + q; sdy += dy[i]; sdyx += dy[i] * xhat[i]; }
    dgamma[ch] = sdyx; dbeta[ch] = sdy;
    for (let n = 0; n < batch; n++) for (let q = 0; q < spatial; q++) {
      const i = (n * c + ch) * spatial + q;
      dx[i] = (gamma[ch] * invStd[ch] / m) * (m * dy[i] - sdy - xhat[i] * sdyx);
    }
  }
  return { dx, dgamma, dbeta };
}

/** Mean softmax cross-entropy by the unshifted definition (fine for the small logits of tests). */
export function softmaxXent(z: F64, labels: Int32Array, batch: number, k: number): { loss: number; dz: F64 } {
  const dz = new Float64Array(z.length);
  let loss = 0;
  for (let s = 0; s < batch; s++) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += Math.exp(z[s * k + j]);
    loss += Math.log(sum) - z[s * k + labels[s]];
    for (let j = 0; j < k; j++) dz[s * k + j] = (Math.exp(z[s * k + j]) / sum - (j === labels[s] ? 1 : 0)) / batch;
  }
  return { loss: loss / batch, dz };
}
