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
/**
 * x ← x − lr·D(dir), D = (Nesterov) momentum on buf. A Float32Array is computed in float32 (Math.fround
 * after every operation, scalars rounded first) when `float32` is set — as the fused last pass of the
 * SGLD chain does (Entropy-SGD/HEAT); else with the JS loops' float64 operations, stored into x's type.
 */
export function momentumStep(x: Vector, dir: Vector, buf: Vector, lr: number, momentum: number, nesterov: boolean, float32 = false): void {
  const n = x.length, R = float32 ? Math.fround : (v: number): number => v, l = R(lr), m = R(momentum);
  if (momentum === 0) {
    for (let p = 0; p < n; p++) x[p] = R(x[p] - R(l * dir[p]));
  } else if (nesterov) {
    for (let p = 0; p < n; p++) { const d = dir[p], b = R(R(m * buf[p]) + d); buf[p] = b; x[p] = R(x[p] - R(l * R(d + R(m * b)))); }
  } else {
    for (let p = 0; p < n; p++) { const b = R(R(m * buf[p]) + dir[p]); buf[p] = b; x[p] = R(x[p] - R(l * b)); }
  }
}
