/**
 * Sample statistics for the Monte-Carlo experiments: mean, standard error and a z-sigma interval.
 */

/** Mean of a sample with its standard error and a ±z·stdErr interval. */
export interface MeanEstimate {
  mean: number;
  /** Sample standard deviation / √n (n − 1 in the variance). */
  stdErr: number;
  /** mean − z·stdErr. */
  lower: number;
  /** mean + z·stdErr. */
  upper: number;
  /** Sample size. */
  n: number;
}

/** Default number of standard errors in reported intervals (4σ: a false alarm about once in 16,000 runs). */
export const CONFIDENCE_Z = 4;

/**
 * Mean, standard error and ±z·stdErr interval of `values` (Welford's update, one pass).
 * @param values - at least two samples
 * @param z - interval half-width in standard errors, default {@link CONFIDENCE_Z}
 * @example meanEstimate(Float64Array.of(1, 2, 3)).mean // 2
 */
export function meanEstimate(values: ArrayLike<number>, z = CONFIDENCE_Z): MeanEstimate {
  let mean = 0, m2 = 0;
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const delta = values[i] - mean;
    mean += delta / (i + 1);
    m2 += delta * (values[i] - mean);
  }
  const stdErr = n > 1 ? Math.sqrt(m2 / (n - 1) / n) : NaN;
  return { mean, stdErr, lower: mean - z * stdErr, upper: mean + z * stdErr, n };
}

/**
 * Least-squares slope of log y against log x: the exponent p of y ≈ C·x^p.
 * @param x - positive abscissae
 * @param y - positive values
 * @example powerLawSlope([1, 2, 4], [1, 0.5, 0.25]) // −1
 */
export function powerLawSlope(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    const lx = Math.log(x[i]), ly = Math.log(y[i]);
    sx += lx; sy += ly; sxx += lx * lx; sxy += lx * ly;
  }
  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}
