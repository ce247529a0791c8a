// The GEMM of gemm.ts with fused multiply-adds (f32x4.relaxed_madd): load it only when
// enableRelaxedSimd() reports relaxed SIMD; it validates nowhere else. Same blocking, same fold
// order per entry, one rounding per step instead of two.
import { gemmWith } from './gemm';
export { packA, packedABytes, workspaceBytes } from './gemm';

/** C (m×n) = op(A)·op(B) (+ C if accumulate ≠ 0); arguments as gemm.ts's `gemm`. */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, accumulate: i32, ws: usize, packedA: usize): void {
  gemmWith<f32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, ws, packedA);
}
