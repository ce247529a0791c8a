// Float32 GEMM C = op(A)·op(B) (+ C) with 128-bit SIMD: packed panels and a 5×8 register-blocked
// micro-kernel (10 f32x4 accumulators), blocked for the caches as in BLIS (Van Zee & van de Geijn
// 2015): for each KC-slice of k, B is packed into NR-column panels and A into MR-row panels, and the
// micro-kernel streams one A panel against one B panel (kept in L1). op(X) is X or Xᵀ: a transposed
// operand only changes how it is packed (4×4 lane transposes), never the inner loop.
//
// Arithmetic: every C entry is the sequential fold s = C₀; s = s ⊕ a_p·b_p for p = 0…k−1 (C₀ = 0
// unless accumulating), whatever the blocking: the accumulators start from C at each KC-slice after
// the first. ⊕ is fl(s + fl(a·b)) in this module and the fused fl(s + a·b) in gemm-fma (relaxed
// SIMD; the same source, see `madd`). So any split of C's rows or columns over threads gives
// identical bits, and this module matches a scalar float32 loop in that order bit for bit.
//
// Matrices are row-major float32 at byte offsets, leading dimensions in elements. The caller hands
// a workspace of `workspaceBytes()` bytes (one per thread); nothing is allocated.

const MR = 5;
const NR = 8;
const KC = 256;
const MC = 130; // a multiple of MR: the packed A block holds whole panels
const NC = 1024;
const TILE_BYTES = MR * NR * 4;

/** Bytes of workspace one `gemm` call needs: an MR×NR edge tile, an MC×KC A block, a KC×NC B block. */
export function workspaceBytes(): i32 {
  return TILE_BYTES + MC * KC * 4 + KC * NC * 4;
}

/** Rows of op(A) rounded up to whole MR-row panels. */
// @ts-ignore: decorator
@inline function paddedRows(m: i32): i32 { return (m + MR - 1) / MR * MR; }

/** Bytes of a whole op(A) (m×k) packed by `packA`. */
export function packedABytes(m: i32, k: i32): i32 {
  return paddedRows(m) * k * 4;
}

/**
 * Packs all of op(A) (m×k) into dst in the layout `gemm` uses (for each KC-slice of k, every MR-row
 * panel in order), so that several `gemm` calls on column blocks of one product share one packing.
 */
export function packA(transA: i32, m: i32, k: i32, a: usize, lda: i32, dst: usize): void {
  const mPad = paddedRows(m);
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc), slice = dst + (<usize>pc * mPad << 2);
    for (let ir = 0; ir < m; ir += MR) {
      const rows = min(MR, m - ir), out = slice + (<usize>ir * kc << 2);
      if (transA) packContiguous(a + ((<usize>pc * lda + ir) << 2), lda, rows, kc, MR, out);
      else packStrided(a + ((<usize>ir * lda + pc) << 2), lda, rows, kc, MR, out);
    }
  }
}

/**
 * C (m×n) = op(A) (m×k) · op(B) (k×n), plus C when `accumulate` ≠ 0. op(A) = A (m×k, lda) or, if
 * transA ≠ 0, Aᵀ with A stored k×m (lda); likewise B. With `packedA` ≠ 0, op(A) is read from
 * there as `packA` left it (a and lda unused).
 */
export function gemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, accumulate: i32, ws: usize, packedA: usize): void {
  gemmWith<i32>(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, accumulate, ws, packedA);
}

/** {@link gemm} with the multiply-add chosen by T (see `madd`); gemm-fma instantiates it with f32. */
export function gemmWith<T>(transA: i32, transB: i32, m: i32, n: i32, k: i32, a: usize, lda: i32, b: usize, ldb: i32,
  c: usize, ldc: i32, accumulate: i32, ws: usize, packedA: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (accumulate == 0) for (let i = 0; i < m; i++) memory.fill(c + (<usize>i * ldc << 2), 0, <usize>n << 2);
    return;
  }
  const tile = ws, pB = ws + TILE_BYTES + MC * KC * 4, mPad = paddedRows(m);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      // B block rows pc…pc+kc, columns jc…jc+nc, as NR-column panels [panel][p][j].
      for (let jr = 0; jr < nc; jr += NR) {
        const cols = min(NR, nc - jr), dst = pB + (<usize>jr * kc << 2);
        if (transB) packStrided(b + ((<usize>(jc + jr) * ldb + pc) << 2), ldb, cols, kc, NR, dst);
        else packContiguous(b + ((<usize>pc * ldb + jc + jr) << 2), ldb, cols, kc, NR, dst);
      }
      const acc = accumulate != 0 || pc > 0;
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        let pA = ws + TILE_BYTES;
        if (packedA != 0) {
          pA = packedA + ((<usize>pc * mPad + <usize>ic * kc) << 2); // this block's panels in packA's layout
        } else {
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir), dst = pA + (<usize>ir * kc << 2);
            if (transA) packContiguous(a + ((<usize>pc * lda + ic + ir) << 2), lda, rows, kc, MR, dst);
            else packStrided(a + ((<usize>(ic + ir) * lda + pc) << 2), lda, rows, kc, MR, dst);
          }
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr), panelB = pB + (<usize>jr * kc << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir), panelA = pA + (<usize>ir * kc << 2);
            const cij = c + ((<usize>(ic + ir) * ldc + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              micro<T>(kc, panelA, panelB, cij, ldc, acc);
            } else {
              // Edge tile: run the full kernel on a copy, write back the valid part.
              for (let i = 0; i < MR; i++) for (let j = 0; j < NR; j++) {
                const v: f32 = acc && i < rows && j < cols ? load<f32>(cij + ((<usize>i * ldc + j) << 2)) : 0;
                store<f32>(tile + ((i * NR + j) << 2), v);
              }
              micro<T>(kc, panelA, panelB, tile, NR, acc);
              for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
                store<f32>(cij + ((<usize>i * ldc + j) << 2), load<f32>(tile + ((i * NR + j) << 2)));
              }
            }
          }
        }
      }
    }
  }
}

/**
 * c + a·b lanewise: T = i32 multiplies then adds (two roundings, plain SIMD); T = f32 uses the fused
 * f32x4.relaxed_madd (one rounding where the engine fuses; the branch not taken is not compiled).
 */
// @ts-ignore: decorator
@inline function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (isFloat<T>()) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** The 5×8 micro-kernel: C tile (ldc) = (C tile if acc) + Σ_p A panel[p][i]·B panel[p][j]. */
function micro<T>(kc: i32, pa: usize, pb: usize, c: usize, ldc: i32, acc: bool): void {
  const r1 = <usize>ldc << 2, r2 = r1 << 1, r3 = r1 + r2, r4 = r2 << 1;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00;
  if (acc) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + r1); c11 = v128.load(c + r1, 16);
    c20 = v128.load(c + r2); c21 = v128.load(c + r2, 16);
    c30 = v128.load(c + r3); c31 = v128.load(c + r3, 16);
    c40 = v128.load(c + r4); c41 = v128.load(c + r4, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    const a0 = v128.load32_splat(pa, 0); c00 = madd<T>(a0, b0, c00); c01 = madd<T>(a0, b1, c01);
    const a1 = v128.load32_splat(pa, 4); c10 = madd<T>(a1, b0, c10); c11 = madd<T>(a1, b1, c11);
    const a2 = v128.load32_splat(pa, 8); c20 = madd<T>(a2, b0, c20); c21 = madd<T>(a2, b1, c21);
    const a3 = v128.load32_splat(pa, 12); c30 = madd<T>(a3, b0, c30); c31 = madd<T>(a3, b1, c31);
    const a4 = v128.load32_splat(pa, 16); c40 = madd<T>(a4, b0, c40); c41 = madd<T>(a4, b1, c41);
    pa += MR << 2; pb += NR << 2;
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + r1, c10); v128.store(c + r1, c11, 16);
  v128.store(c + r2, c20); v128.store(c + r2, c21, 16);
  v128.store(c + r3, c30); v128.store(c + r3, c31, 16);
  v128.store(c + r4, c40); v128.store(c + r4, c41, 16);
}

/**
 * dst[p·W + j] = src[p·ld + j] for p < kc, j < count (zero for count ≤ j < W): W consecutive
 * entries of each of kc rows (a B panel of an untransposed B, an A panel of a transposed A).
 */
function packContiguous(src: usize, ld: i32, count: i32, kc: i32, w: i32, dst: usize): void {
  const stride = <usize>ld << 2, wb = <usize>w << 2, full = count & ~3;
  for (let p = 0; p < kc; p++, src += stride, dst += wb) {
    let j = 0;
    for (; j < full; j += 4) v128.store(dst + (j << 2), v128.load(src + (j << 2)));
    for (; j < w; j++) store<f32>(dst + (j << 2), j < count ? load<f32>(src + (j << 2)) : 0);
  }
}


/** Stores the 4×4 transpose of the rows x0…x3 (4 floats each) as 4 rows `stride` bytes apart at d. */
@inline function storeTransposed(x0: v128, x1: v128, x2: v128, x3: v128, d: usize, stride: usize): void {
  const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5), t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
  const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7), t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(d + stride, i32x4.shuffle(t0, t1, 2, 3, 6, 7));
  v128.store(d + 2 * stride, i32x4.shuffle(t2, t3, 0, 1, 4, 5));
  v128.store(d + 3 * stride, i32x4.shuffle(t2, t3, 2, 3, 6, 7));
}

/**
 * dst[p·W + j] = src[j·ld + p] for p < kc, j < count (zero for count ≤ j < W): the first kc entries
 * of W rows, interleaved (an A panel of an untransposed A, a B panel of a transposed B). Full groups
 * of 4 rows go through 4×4 lane transposes.
 */
function packStrided(src: usize, ld: i32, count: i32, kc: i32, w: i32, dst: usize): void {
  const stride = <usize>ld << 2, wb = <usize>w << 2, kc4 = kc & ~3;
  for (let g = 0; g < w; g += 4) {
    const row = src + <usize>g * stride, out = dst + (<usize>g << 2);
    if (g + 4 <= count) {
      let p = 0;
      for (; p < kc4; p += 4) {
        const o = <usize>p << 2;
        const x0 = v128.load(row + o), x1 = v128.load(row + stride + o);
        const x2 = v128.load(row + 2 * stride + o), x3 = v128.load(row + 3 * stride + o);
        storeTransposed(x0, x1, x2, x3, out + <usize>p * wb, wb);
      }
      for (; p < kc; p++) {
        for (let j = 0; j < 4; j++) store<f32>(out + <usize>p * wb + (j << 2), load<f32>(row + <usize>j * stride + (<usize>p << 2)));
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < min(4, w - g); j++) {
          const v: f32 = g + j < count ? load<f32>(row + <usize>j * stride + (<usize>p << 2)) : 0;
          store<f32>(out + <usize>p * wb + (j << 2), v);
        }
      }
    }
  }
}

// ---- Products with a mostly-zero left operand --------------------------------------------------
// C = op(A)·B skipping the terms with a_ip = 0: each entry is the same fold s ← s ⊕ a_ip·b_pj over
// the p with a_ip ≠ 0, in increasing p, from +0. A skipped term ±0·b (b finite) never changes a
// partial sum that is never −0, so C has the bits of `gemm` whenever B is finite. op(A) is first
// listed row by row (`sparseRows`); `spmm` then runs over column blocks of C.

/**
 * Lists the nonzero entries (NaN counts as nonzero) of op(A) (m×k) row by row, in increasing
 * column order: row i's entries are t = start[i] … start[i+1]−1 with val[t] = op(A)_ip and
 * off[t] = p·rowBytes (the byte offset of row p of the right operand). op(A) = A (m×k, lda) or,
 * if transA ≠ 0, Aᵀ with A stored k×m (lda). Returns the number of entries, or −1 (lists unusable)
 * as soon as it would exceed maxNnz, or (A, not Aᵀ) once the rows listed so far hold more than
 * twice their share of maxNnz plus one row. count: m int32 of scratch (transA only).
 */
export function sparseRows(transA: i32, m: i32, k: i32, a: usize, lda: i32, rowBytes: i32, maxNnz: i32,
  start: usize, off: usize, val: usize, count: usize): i32 {
  const z = f32x4.splat(0);
  if (transA == 0) {
    let t = 0;
    for (let i = 0; i < m; i++) {
      store<i32>(start + (<usize>i << 2), t);
      const row = a + (<usize>i * lda << 2);
      for (let p = 0; p < k; p += 4) {
        if (p + 4 <= k && !v128.any_true(v128.not(f32x4.eq(v128.load(row + (<usize>p << 2)), z)))) continue;
        for (let q = p; q < min(p + 4, k); q++) {
          const v = load<f32>(row + (<usize>q << 2));
          if (v != 0) {
            if (t >= maxNnz) return -1;
            store<i32>(off + (<usize>t << 2), q * rowBytes); store<f32>(val + (<usize>t << 2), v); t++;
          }
        }
      }
      // A dense operand gives up early: after twice the allowed share of the rows (+ one row).
      if (<i64>t * m > <i64>maxNnz * 2 * (i + 1) + <i64>k * m) return -1;
    }
    store<i32>(start + (<usize>m << 2), t);
    return t;
  }
  // Row i of Aᵀ is column i of A: count per column (four columns per step), then fill the lists
  // row p of A after row p, so each list comes out in increasing p.
  memory.fill(count, 0, <usize>m << 2);
  for (let p = 0; p < k; p++) {
    const row = a + (<usize>p * lda << 2);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const o = <usize>i << 2;
      v128.store(count + o, i32x4.sub(v128.load(count + o), v128.not(f32x4.eq(v128.load(row + o), z))));
    }
    for (; i < m; i++) if (load<f32>(row + (<usize>i << 2)) != 0) store<i32>(count + (<usize>i << 2), load<i32>(count + (<usize>i << 2)) + 1);
  }
  let t = 0;
  for (let i = 0; i < m; i++) {
    const q = count + (<usize>i << 2), c = load<i32>(q);
    store<i32>(start + (<usize>i << 2), t); store<i32>(q, t);
    t += c;
    if (t > maxNnz) return -1;
  }
  store<i32>(start + (<usize>m << 2), t);
  for (let p = 0; p < k; p++) {
    const row = a + (<usize>p * lda << 2), ob = p * rowBytes;
    for (let i = 0; i < m; i += 4) {
      if (i + 4 <= m && !v128.any_true(v128.not(f32x4.eq(v128.load(row + (<usize>i << 2)), z)))) continue;
      for (let j = i; j < min(i + 4, m); j++) {
        const v = load<f32>(row + (<usize>j << 2));
        if (v != 0) {
          const q = count + (<usize>j << 2), u = load<i32>(q);
          store<i32>(q, u + 1); store<i32>(off + (<usize>u << 2), ob); store<f32>(val + (<usize>u << 2), v);
        }
      }
    }
  }
  return t;
}

/**
 * Columns of B per slab of a sparse product (three whole cache lines of each row when B's rows are
 * 64-byte aligned), stored in rows of SLAB bytes; the products run on 24 columns at a time.
 */
const SB = 48;
const SLAB = SB * 4;

/** Bytes of workspace `spmm` needs for a right operand of k rows (one slab). */
export function sparseWorkspaceBytes(k: i32): i32 {
  return k * SLAB;
}

/**
 * C = op(A)·op(B) over op(A)'s lists from `sparseRows` built with rowBytes = `SLAB` (192: off[t]
 * = 192·p_t): C[i][j] = Σ_t val[t]·op(B)[p_t][j] for rows i < m and columns j0 ≤ j < j1. op(B)
 * is k×n: B (k×n, ldb) or, if transB ≠ 0, Bᵀ with B stored n×k (ldb). C (m×n, ldc) is stored
 * as is or, if transC ≠ 0, transposed (entry (i, j) at j·ldc + i). Blocks of 48 columns of op(B)
 * are first copied into ws (`sparseWorkspaceBytes(k)` bytes), so the products read a compact slab
 * instead of rows 4·ldb bytes apart (which share cache sets), each line of B once. The copy also
 * checks B: if any op(B)[p][j] (j0 ≤ j < j1, every p < k) is not finite, the int32 at `bad` is set
 * to 1 (C then need not equal `gemm`'s product).
 */
export function spmm(m: i32, k: i32, j0: i32, j1: i32, start: usize, off: usize, val: usize, b: usize, ldb: i32, transB: i32,
  c: usize, ldc: i32, transC: i32, ws: usize, bad: usize): void {
  spmmWith<i32>(m, k, j0, j1, start, off, val, b, ldb, transB, c, ldc, transC, ws, bad);
}

/** {@link spmm} with the multiply-add chosen by T (see `madd`). */
export function spmmWith<T>(m: i32, k: i32, j0: i32, j1: i32, start: usize, off: usize, val: usize, b: usize, ldb: i32, transB: i32,
  c: usize, ldc: i32, transC: i32, ws: usize, bad: usize): void {
  let finite = true;
  for (let j = j0; j < j1; j += SB) {
    const w = min(SB, j1 - j);
    if (transB) { if (!slabTransposed(b + (<usize>j * ldb << 2), ldb, k, w, ws)) finite = false; }
    else if (!slab(b + (<usize>j << 2), ldb, k, w, ws)) finite = false;
    // Six f32x4 accumulators per block (eight would leave V8 too few registers: one spills, on
    // the accumulation chain); the last columns 8 at a time, then one by one. (i, j) of C is at
    // i·rs + j·cs bytes.
    const rs = transC ? 4 : <usize>ldc << 2, cs = transC ? <usize>ldc << 2 : 4, cj = c + <usize>j * cs;
    let q = 0;
    for (; q + 24 <= w; q += 24) sparseBlock24<T>(m, start, off, val, ws + (<usize>q << 2), cj + <usize>q * cs, rs, cs);
    for (; q + 8 <= w; q += 8) sparseBlock8<T>(m, start, off, val, ws + (<usize>q << 2), cj + <usize>q * cs, rs, cs);
    for (; q < w; q++) sparseColumn<T>(m, start, off, val, ws + (<usize>q << 2), cj + <usize>q * cs, rs);
  }
  if (!finite) store<i32>(bad, 1);
}

/** dst[p·SLAB + 4q] = src[p·ld + q] for p < k, q < w; false if one of them is not finite. */
function slab(src: usize, ld: i32, k: i32, w: i32, dst: usize): bool {
  const stride = <usize>ld << 2, w4 = w & ~3, inf = f32x4.splat(Infinity);
  let big = i32x4.splat(0), finite = true;
  for (let p = 0; p < k; p++, src += stride, dst += SLAB) {
    let q = 0;
    for (; q < w4; q += 4) {
      const v = v128.load(src + (<usize>q << 2));
      big = v128.or(big, v128.not(f32x4.lt(f32x4.abs(v), inf))); // ±∞ and NaN
      v128.store(dst + (<usize>q << 2), v);
    }
    for (; q < w; q++) {
      const v = load<f32>(src + (<usize>q << 2));
      if (!(Math.abs(v) < Infinity)) finite = false;
      store<f32>(dst + (<usize>q << 2), v);
    }
  }
  return finite && !v128.any_true(big);
}

/** dst[p·SLAB + 4q] = src[q·ld + p] for p < k, q < w (4×4 lane transposes); false if one of them is not finite. */
function slabTransposed(src: usize, ld: i32, k: i32, w: i32, dst: usize): bool {
  const stride = <usize>ld << 2, k4 = k & ~3, inf = f32x4.splat(Infinity);
  let big = i32x4.splat(0), finite = true, q = 0;
  for (; q + 4 <= w; q += 4) {
    const row = src + <usize>q * stride, out = dst + (<usize>q << 2);
    let p = 0;
    for (; p < k4; p += 4) {
      const o = <usize>p << 2;
      const x0 = v128.load(row + o), x1 = v128.load(row + stride + o), x2 = v128.load(row + 2 * stride + o), x3 = v128.load(row + 3 * stride + o);
      big = v128.or(big, v128.or(v128.or(v128.not(f32x4.lt(f32x4.abs(x0), inf)), v128.not(f32x4.lt(f32x4.abs(x1), inf))),
        v128.or(v128.not(f32x4.lt(f32x4.abs(x2), inf)), v128.not(f32x4.lt(f32x4.abs(x3), inf)))));
      storeTransposed(x0, x1, x2, x3, out + <usize>p * SLAB, SLAB);
    }
    for (; p < k; p++) for (let r = 0; r < 4; r++) {
      const v = load<f32>(row + <usize>r * stride + (<usize>p << 2));
      if (!(Math.abs(v) < Infinity)) finite = false;
      store<f32>(out + <usize>p * SLAB + (<usize>r << 2), v);
    }
  }
  for (; q < w; q++) {
    const row = src + <usize>q * stride;
    for (let p = 0; p < k; p++) {
      const v = load<f32>(row + (<usize>p << 2));
      if (!(Math.abs(v) < Infinity)) finite = false;
      store<f32>(dst + <usize>p * SLAB + (<usize>q << 2), v);
    }
  }
  return finite && !v128.any_true(big);
}

/** Stores the four lanes of v at c, c + cs, c + 2cs, c + 3cs (C stored transposed). */
// @ts-ignore: decorator
@inline function storeLanes(c: usize, cs: usize, v: v128): void {
  store<f32>(c, f32x4.extract_lane(v, 0)); store<f32>(c + cs, f32x4.extract_lane(v, 1));
  store<f32>(c + 2 * cs, f32x4.extract_lane(v, 2)); store<f32>(c + 3 * cs, f32x4.extract_lane(v, 3));
}

function sparseBlock24<T>(m: i32, start: usize, off: usize, val: usize, slab: usize, c: usize, rs: usize, cs: usize): void {
  for (let i = 0; i < m; i++) {
    let vp = val + (<usize>load<i32>(start + (<usize>i << 2)) << 2), op = off + (vp - val);
    const ve = val + (<usize>load<i32>(start + (<usize>i << 2), 4) << 2);
    let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
    for (; vp < ve; vp += 4, op += 4) {
      const x = v128.load32_splat(vp), p = slab + <usize>load<i32>(op);
      c0 = madd<T>(x, v128.load(p), c0); c1 = madd<T>(x, v128.load(p, 16), c1);
      c2 = madd<T>(x, v128.load(p, 32), c2); c3 = madd<T>(x, v128.load(p, 48), c3);
      c4 = madd<T>(x, v128.load(p, 64), c4); c5 = madd<T>(x, v128.load(p, 80), c5);
    }
    const o = c + <usize>i * rs;
    if (cs == 4) {
      v128.store(o, c0); v128.store(o, c1, 16); v128.store(o, c2, 32); v128.store(o, c3, 48); v128.store(o, c4, 64); v128.store(o, c5, 80);
    } else {
      const c4s = cs << 2;
      storeLanes(o, cs, c0); storeLanes(o + c4s, cs, c1); storeLanes(o + 2 * c4s, cs, c2);
      storeLanes(o + 3 * c4s, cs, c3); storeLanes(o + 4 * c4s, cs, c4); storeLanes(o + 5 * c4s, cs, c5);
    }
  }
}

function sparseBlock8<T>(m: i32, start: usize, off: usize, val: usize, slab: usize, c: usize, rs: usize, cs: usize): void {
  for (let i = 0; i < m; i++) {
    let vp = val + (<usize>load<i32>(start + (<usize>i << 2)) << 2), op = off + (vp - val);
    const ve = val + (<usize>load<i32>(start + (<usize>i << 2), 4) << 2);
    let c0 = f32x4.splat(0), c1 = c0;
    for (; vp < ve; vp += 4, op += 4) {
      const x = v128.load32_splat(vp), p = slab + <usize>load<i32>(op);
      c0 = madd<T>(x, v128.load(p), c0); c1 = madd<T>(x, v128.load(p, 16), c1);
    }
    const o = c + <usize>i * rs;
    if (cs == 4) { v128.store(o, c0); v128.store(o, c1, 16); }
    else { storeLanes(o, cs, c0); storeLanes(o + (cs << 2), cs, c1); }
  }
}

function sparseColumn<T>(m: i32, start: usize, off: usize, val: usize, slab: usize, c: usize, rs: usize): void {
  for (let i = 0; i < m; i++) {
    const e = load<i32>(start + (<usize>i << 2), 4);
    let s = f32x4.splat(0);
    for (let t = load<i32>(start + (<usize>i << 2)); t < e; t++) {
      s = madd<T>(v128.load32_splat(val + (<usize>t << 2)), v128.load32_splat(slab + <usize>load<i32>(off + (<usize>t << 2))), s);
    }
    store<f32>(c + <usize>i * rs, f32x4.extract_lane(s, 0));
  }
}
