// Gathers for skipping a linear layer's inputs that are 0 across the batch (src/nn/linear.ts):
// find the nonzero columns of x, pack them and the matching rows of W, scatter ∂W rows back.
// Copies only, so the skipped product equals the full one bit for bit (see linear.ts).

/**
 * Indices (increasing) of the columns of x (rows × cols) with an entry ≠ 0 (NaN counts as ≠ 0),
 * written to idx; returns their count. flags: cols int32 of scratch.
 */
export function activeColumns(rows: i32, cols: i32, x: usize, flags: usize, idx: usize): i32 {
  memory.fill(flags, 0, <usize>cols << 2);
  const z = f32x4.splat(0);
  for (let s = 0; s < rows; s++) {
    const row = x + (<usize>s * cols << 2);
    let p = 0;
    for (; p + 4 <= cols; p += 4) {
      const o = <usize>p << 2, nz = v128.not(f32x4.eq(v128.load(row + o), z)); // NaN ≠ 0: all ones
      v128.store(flags + o, v128.or(v128.load(flags + o), nz));
    }
    for (; p < cols; p++) { const o = <usize>p << 2; if (load<f32>(row + o) != 0) store<i32>(flags + o, -1); }
  }
  let count = 0;
  for (let p = 0; p < cols; p++) {
    if (load<i32>(flags + (<usize>p << 2)) != 0) { store<i32>(idx + (<usize>count << 2), p); count++; }
  }
  return count;
}

/** out (rows × count) = the columns idx of x (rows × cols). */
export function gatherColumns(rows: i32, cols: i32, x: usize, count: i32, idx: usize, out: usize): void {
  for (let s = 0; s < rows; s++) {
    const row = x + (<usize>s * cols << 2), dst = out + (<usize>s * count << 2);
    for (let i = 0; i < count; i++) store<f32>(dst + (<usize>i << 2), load<f32>(row + (<usize>load<i32>(idx + (<usize>i << 2)) << 2)));
  }
}

/** out (count × n) = the rows idx of w (· × n). */
export function gatherRows(count: i32, n: i32, w: usize, idx: usize, out: usize): void {
  const bytes = <usize>n << 2;
  for (let i = 0; i < count; i++) memory.copy(out + <usize>i * bytes, w + <usize>load<i32>(idx + (<usize>i << 2)) * bytes, bytes);
}

/** dst (k × n) = 0 except rows idx (increasing), which receive the rows of src (count × n); one pass over dst. */
export function scatterRows(count: i32, n: i32, src: usize, idx: usize, k: i32, dst: usize): void {
  const bytes = <usize>n << 2;
  let i = 0, next = count > 0 ? load<i32>(idx) : k;
  for (let p = 0; p < k; p++) {
    const row = dst + <usize>p * bytes;
    if (p == next) {
      memory.copy(row, src + <usize>i * bytes, bytes);
      i++;
      next = i < count ? load<i32>(idx + (<usize>i << 2)) : k;
    } else memory.fill(row, 0, bytes);
  }
}

/** 1 if every row p of w (k × n) with flags[p] = 0 (an input skipped by activeColumns) is finite, else 0. */
export function skippedRowsFinite(k: i32, n: i32, w: usize, flags: usize): i32 {
  const bytes = <usize>n << 2;
  for (let p = 0; p < k; p++) {
    if (load<i32>(flags + (<usize>p << 2)) == 0 && allFinite(n, w + <usize>p * bytes) == 0) return 0;
  }
  return 1;
}

/** 1 if all n values are finite, else 0. */
export function allFinite(n: i32, x: usize): i32 {
  const inf = f32x4.splat(Infinity);
  let bad = i32x4.splat(0), p = 0;
  for (; p + 4 <= n; p += 4) bad = v128.or(bad, v128.not(f32x4.lt(f32x4.abs(v128.load(x + (<usize>p << 2))), inf)));
  if (v128.any_true(bad)) return 0;
  for (; p < n; p++) { const v = load<f32>(x + (<usize>p << 2)); if (!(Math.abs(v) < Infinity)) return 0; }
  return 1;
}
