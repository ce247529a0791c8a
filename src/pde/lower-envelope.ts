/**
 * The 1-D discrete inf-convolution with a parabola, u_p = min_q { f_q + w·(p − q)² }, w = h²/(2t),
 * by the lower envelope of parabolas (Felzenszwalb & Huttenlocher, "Distance transforms of sampled
 * functions", Theory of Computing 8, 2012): O(n) per line instead of O(n²).
 *
 * Exactness contract (shared with the brute-force twin test/reference/hopf-lax-brute.ts): the
 * value of candidate q at p is evaluated as `f[q] + w * (d * d)` with d = p − q and
 * w = (h * h) / (2 * t), and the returned q is the smallest index attaining the minimum of that
 * floating-point expression. The envelope's breakpoints are computed in floating point, so after
 * locating the envelope parabola at p we compare it with its two envelope neighbours using the
 * canonical expression; near a breakpoint this restores the brute-force choice.
 */

/** Where a line lives inside a larger array: entries offset + j·stride, j = 0…n−1. */
export interface LineSpec {
  /** Flat index of the line's first entry. */
  offset: number;
  /** Distance between consecutive entries. */
  stride: number;
  /** Number of entries. */
  n: number;
}

/** Scratch buffers for {@link lowerEnvelope1d}: allocate once per sweep with {@link envelopeScratch}. */
export interface EnvelopeScratch {
  /** Indices of the parabolas on the envelope (length ≥ n). */
  v: Int32Array;
  /** Breakpoints between consecutive envelope parabolas (length ≥ n + 1). */
  z: Float64Array;
  /** f at the envelope parabolas, fv[k] = f at v[k] (length ≥ n): one contiguous read instead of a gather. */
  fv: Float64Array;
}

/** Scratch sized for lines of up to n points. */
export function envelopeScratch(n: number): EnvelopeScratch {
  return { v: new Int32Array(n), z: new Float64Array(n + 1), fv: new Float64Array(n) };
}

/**
 * Discrete 1-D Hopf–Lax / Moreau envelope along one line: u_p = min_q f_q + (h(p − q))²/(2t),
 * arg_p = the smallest minimising q (line-local index), in O(n).
 *
 * Kernel form: reads f at `line` positions and writes `outU` and `outArg` at the same positions.
 * Inputs are trusted (finite f, h > 0, t > 0): validate at the public entry ({@link hopfLax}).
 * @param f - samples (read at line.offset + j·line.stride)
 * @param h - grid spacing along the line, > 0
 * @param t - relaxation time, > 0
 * @param outU - receives u at the line positions (may not alias f)
 * @param outArg - receives the minimising line-local index q ∈ [0, n) at the line positions
 * @param line - the line's layout; defaults to the whole of f, contiguous
 * @param scratch - reusable buffers sized ≥ n (allocated when omitted)
 * @example
 * const u = new Float64Array(5), arg = new Int32Array(5);
 * lowerEnvelope1d(Float64Array.of(4, 1, 4, 9, 0), 1, 0.5, u, arg); // u = [2, 1, 2, 1, 0]
 */
export function lowerEnvelope1d(
  f: Float64Array, h: number, t: number, outU: Float64Array, outArg: Int32Array,
  line: LineSpec = { offset: 0, stride: 1, n: f.length }, scratch: EnvelopeScratch = envelopeScratch(line.n),
): void {
  const { offset, stride, n } = line;
  const { v, z, fv } = scratch;
  const w = (h * h) / (2 * t);
  // Envelope construction. The parabola of q meets that of r < q at
  // s = (f_q − f_r)/(2w(q − r)) + (q + r)/2 (solve f_q + w(s−q)² = f_r + w(s−r)²).
  let k = 0;
  v[0] = 0; fv[0] = f[offset]; z[0] = -Infinity; z[1] = Infinity;
  for (let q = 1; q < n; q++) {
    const fq = f[offset + q * stride];
    // z[0] = −∞ ends the loop: s is finite for finite f.
    let r = v[k];
    let s = (fq - fv[k]) / (2 * w * (q - r)) + (q + r) / 2;
    while (s <= z[k]) {
      k--; r = v[k];
      s = (fq - fv[k]) / (2 * w * (q - r)) + (q + r) / 2;
    }
    k++; v[k] = q; fv[k] = fq; z[k] = s; z[k + 1] = Infinity;
  }
  const last = k;
  // Query, then settle the choice among the envelope neighbours with the canonical expression.
  k = 0;
  for (let p = 0, out = offset; p < n; p++, out += stride) {
    while (k < last && z[k + 1] < p) k++;
    let best = v[k];
    let d = p - best;
    let bestVal = fv[k] + w * (d * d);
    if (k > 0) {
      const q = v[k - 1]; d = p - q;
      const val = fv[k - 1] + w * (d * d);
      if (val < bestVal || (val === bestVal && q < best)) { best = q; bestVal = val; }
    }
    if (k < last) {
      const q = v[k + 1]; d = p - q;
      const val = fv[k + 1] + w * (d * d);
      if (val < bestVal || (val === bestVal && q < best)) { best = q; bestVal = val; }
    }
    outU[out] = bestVal;
    outArg[out] = best;
  }
}
