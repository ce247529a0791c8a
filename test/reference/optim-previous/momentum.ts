// Reference twin: src/optim/momentum.ts as of commit 455b85f (plain JavaScript loops), kept so that tests can
// check the WebAssembly update kernels that replaced those loops bit for bit.
/**
 * The heavy-ball / Nesterov update shared by every optimizer's outer step (PyTorch's convention,
 * which the reference code uses): with direction d and buffer b,
 *   b ← m·b + d;   x ← x − lr·(nesterov ? d + m·b : b).
 * With m = 0 this is x ← x − lr·d and the buffer is untouched.
 */
import type { Vector } from '../../../src/optim/types.js';

/**
 * x ← x − lr·D(dir) in place, D the (Nesterov) momentum transform above; `buf` updated in place.
 * @param x - parameters, updated in place
 * @param dir - the step direction d (not modified)
 * @param buf - momentum buffer (ignored when momentum = 0)
 * @param lr - step size
 * @param momentum - m in [0, 1)
 * @param nesterov - use d + m·b instead of b
 */
export function momentumStep(x: Vector, dir: Vector, buf: Vector, lr: number, momentum: number, nesterov: boolean): void {
  const n = x.length;
  if (momentum === 0) {
    for (let p = 0; p < n; p++) x[p] -= lr * dir[p];
  } else if (nesterov) {
    for (let p = 0; p < n; p++) { const d = dir[p], b = momentum * buf[p] + d; buf[p] = b; x[p] -= lr * (d + momentum * b); }
  } else {
    for (let p = 0; p < n; p++) { const b = momentum * buf[p] + dir[p]; buf[p] = b; x[p] -= lr * b; }
  }
}

/** The same step on Float32Array vectors in float32 arithmetic (Math.fround after every operation, scalars rounded first). */
export function momentumStepF32(x: Vector, dir: Vector, buf: Vector, lr: number, momentum: number, nesterov: boolean): void {
  const F = Math.fround, n = x.length, l = F(lr), m = F(momentum);
  if (momentum === 0) {
    for (let p = 0; p < n; p++) x[p] = F(x[p] - F(l * dir[p]));
  } else if (nesterov) {
    for (let p = 0; p < n; p++) { const d = dir[p], b = F(F(m * buf[p]) + d); buf[p] = b; x[p] = F(x[p] - F(l * F(d + F(m * b)))); }
  } else {
    for (let p = 0; p < n; p++) { const b = F(F(m * buf[p]) + dir[p]); buf[p] = b; x[p] = F(x[p] - F(l * b)); }
  }
}
