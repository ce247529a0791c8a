/**
 * Independent 1-D references for the HJ solvers, accurate to ~1e-10 for smooth f:
 * Hopf–Lax by a dense scan for every local minimum of y ↦ f(y) + (x − y)²/(2t) followed by golden
 * section in each basin, and Cole–Hopf by trapezoid quadrature of the Gaussian convolution in the
 * log domain (spectrally accurate for smooth integrands that vanish at the ends).
 */

/** min_y f(y) + (x − y)²/(2t) over y ∈ [x − reach, x + reach] (reach = 4 + 4t·(1 + |x|) by default). */
export function hopfLax1d(f: (y: number) => number, x: number, t: number, reach = 4 + 4 * t * (1 + Math.abs(x))): number {
  const obj = (y: number) => f(y) + ((x - y) * (x - y)) / (2 * t);
  const n = 4000, dy = (2 * reach) / n;
  let best = Infinity;
  let prev2 = obj(x - reach), prev1 = obj(x - reach + dy);
  for (let i = 2; i <= n; i++) {
    const cur = obj(x - reach + i * dy);
    if (prev1 <= prev2 && prev1 <= cur) {
      // Golden section on the bracket around the local minimum at x − reach + (i − 1)·dy.
      let lo = x - reach + (i - 2) * dy, hi = x - reach + i * dy;
      const g = (Math.sqrt(5) - 1) / 2;
      let a = hi - g * (hi - lo), b = lo + g * (hi - lo), fa = obj(a), fb = obj(b);
      for (let it = 0; it < 60; it++) {
        if (fa < fb) { hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = obj(a); } else { lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = obj(b); }
      }
      best = Math.min(best, fa, fb, prev1);
    }
    prev2 = prev1; prev1 = cur;
  }
  return Math.min(best, obj(x - reach), obj(x + reach));
}

/** −(1/β) log ∫ (2πt/β)^{−1/2} exp(−β f(y) − β(x − y)²/(2t)) dy, trapezoid over x ± 12σ, σ = √(t/β). */
export function coleHopf1d(f: (y: number) => number, x: number, t: number, beta: number): number {
  const sigma = Math.sqrt(t / beta), reach = 12 * sigma, n = 6000, dy = (2 * reach) / n;
  const logs = new Float64Array(n + 1);
  let m = -Infinity;
  for (let i = 0; i <= n; i++) {
    const y = x - reach + i * dy;
    logs[i] = -beta * f(y) - (beta * (x - y) * (x - y)) / (2 * t);
    if (logs[i] > m) m = logs[i];
  }
  let s = 0;
  for (let i = 0; i <= n; i++) s += (i === 0 || i === n ? 0.5 : 1) * Math.exp(logs[i] - m);
  return -(m + Math.log(s * dy) - 0.5 * Math.log(2 * Math.PI * sigma * sigma)) / beta;
}
