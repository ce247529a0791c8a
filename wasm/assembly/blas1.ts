// Level-1 vector kernels on float64 and float32 arrays in linear memory (byte offsets).
// Also the memory-bandwidth baselines of the benchmarks: a copy and an axpy compiled the same way
// as the kernels they are compared with.

/** y[i] = x[i] for n float64 values. */
export function copyF64(n: i32, px: usize, py: usize): void {
  memory.copy(py, px, <usize>n << 3);
}

/** y[i] += a·x[i] for n float64 values. */
export function axpyF64(n: i32, a: f64, px: usize, py: usize): void {
  const va = f64x2.splat(a);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = <usize>i << 3;
    v128.store(py + o, f64x2.add(v128.load(py + o), f64x2.mul(va, v128.load(px + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 3;
    store<f64>(py + o, load<f64>(py + o) + a * load<f64>(px + o));
  }
}

/** y[i] += a·x[i] for n float32 values. */
export function axpyF32(n: i32, a: f32, px: usize, py: usize): void {
  const va = f32x4.splat(a);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(py + o, f32x4.add(v128.load(py + o), f32x4.mul(va, v128.load(px + o))));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(py + o, load<f32>(py + o) + a * load<f32>(px + o));
  }
}
