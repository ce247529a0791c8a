// The GEMM of gemm.ts with fused multiply-adds (f32x4.relaxed_madd): load it only when
// enableRelaxedSimd() reports relaxed SIMD; it validates nowhere else. Same blocking, same fold
// order per entry, one rounding per step instead of two.
import { gemmWith, spmmWith } from './gemm';
export { packA, packedABytes, sparseRows, sparseWorkspaceBytes, workspaceBytes } from './gemm';

/** C (m×n) = op(A)·op(B) (+ C if accumulate ≠ 0); arguments as gemm.ts's `gemm`. */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, accumulate: i32, ws: usize, packedA: usize): void {
  gemmWith<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, ws, packedA);
}

/** C = op(A)·op(B) over op(A)'s nonzero entries; arguments as gemm.ts's `spmm`. */
export function spmm(m: i32, k: i32, j0: i32, j1: i32, start: usize, off: usize, val: usize, b: usize, ldb: i32, transB: i32,
  c: usize, ldc: i32, transC: i32, ws: usize, bad: usize): void {
  spmmWith<f32>(m, k, j0, j1, start, off, val, b, ldb, transB, c, ldc, transC, ws, bad);
}
