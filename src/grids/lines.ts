/**
 * Axis lines of row-major N-D arrays. A line along axis k is the set of flat indices
 * base + j·stride, j = 0…n−1, with stride = Π_{a>k} shape[a] and n = shape[k]. Separable solvers
 * (Hopf–Lax lower envelope, Cole–Hopf Gaussian) run a 1-D transform on every such line.
 */

/** Stride, length and number of lines along axis k of an array with this shape. */
export function lineLayout(shape: readonly number[], k: number): { stride: number; n: number; count: number } {
  if (!Number.isInteger(k) || k < 0 || k >= shape.length) {
    throw new RangeError(`lineLayout: k must be an axis in [0, ${shape.length - 1}]; got ${k}.`);
  }
  let stride = 1;
  for (let a = k + 1; a < shape.length; a++) stride *= shape[a];
  let size = 1;
  for (const n of shape) size *= n;
  return { stride, n: shape[k], count: size / shape[k] };
}

/**
 * Calls `visit(base, stride, n)` once per line along axis k (count = size / n lines), with `base` the
 * flat index of the line's first point. The callback is per line, never per element.
 */
export function forEachLine(shape: readonly number[], k: number, visit: (base: number, stride: number, n: number) => void): void {
  const { stride, n } = lineLayout(shape, k);
  let size = 1;
  for (const m of shape) size *= m;
  const outer = size / (n * stride);
  for (let o = 0; o < outer; o++) {
    const start = o * n * stride;
    for (let i = 0; i < stride; i++) visit(start + i, stride, n);
  }
}

/**
 * Applies a 1-D transform to every line along axis k: each line of `src` is gathered into a
 * contiguous scratch buffer, `transform(lineIn, lineOut)` fills the output scratch, which is
 * scattered into `out`. Scratch is allocated once per call (length shape[k]); `out` may be `src`.
 * @param transform - reads `lineIn` (length n), writes `lineOut` (length n); `lineIndex` counts lines
 */
export function applyAlongAxis(
  src: Float64Array,
  shape: readonly number[],
  k: number,
  transform: (lineIn: Float64Array, lineOut: Float64Array, lineIndex: number) => void,
  out: Float64Array,
): void {
  const { n } = lineLayout(shape, k);
  const lineIn = new Float64Array(n), lineOut = new Float64Array(n);
  let lineIndex = 0;
  forEachLine(shape, k, (base, stride) => {
    for (let j = 0, p = base; j < n; j++, p += stride) lineIn[j] = src[p];
    transform(lineIn, lineOut, lineIndex++);
    for (let j = 0, p = base; j < n; j++, p += stride) out[p] = lineOut[j];
  });
}
