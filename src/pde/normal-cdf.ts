/**
 * Special functions for the closed-form relaxations: the scaled complementary error function
 * erfcx(x) = e^{x²} erfc(x), the log of the standard normal CDF, log Φ(z), stable far into the
 * lower tail, and the inverse Mills ratio φ(z)/Φ(z).
 *
 * erfcx uses W. J. Cody's rational Chebyshev approximations ("Rational Chebyshev approximations
 * for the error function", Math. Comp. 23 (1969) 631–637), relative error below 1e-15 on the three
 * intervals [0, 0.46875], [0.46875, 4], [4, ∞). The coefficients are Cody's, as tabulated in
 * mathjs (Apache-2.0) src/function/special/erf.js.
 */

const P0 = [3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03, 1.85777706184603153e-1];
const Q0 = [2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03];
const P1 = [5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02, 8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03, 2.15311535474403846e-8];
const Q1 = [1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03, 3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03];
const P2 = [3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2, 6.58749161529837803e-4, 1.63153871373020978e-2];
const Q2 = [2.56852019228982242e00, 1.87295284992346047e00, 5.27905102951428412e-1, 6.05183413124413191e-2, 2.33520497626869185e-3];
/** 1/√π. */
const INV_SQRT_PI = 5.6418958354775628695e-1;
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/** erf(y) for 0 ≤ y ≤ 0.46875 (Cody interval 1). */
function erfSmall(y: number): number {
  const ysq = y * y;
  let xnum = P0[4] * ysq, xden = ysq;
  for (let i = 0; i < 3; i++) { xnum = (xnum + P0[i]) * ysq; xden = (xden + Q0[i]) * ysq; }
  return (y * (xnum + P0[3])) / (xden + Q0[3]);
}

/**
 * Scaled complementary error function erfcx(x) = e^{x²}·erfc(x), finite for all x ≥ −26 and
 * ~ 1/(x√π) as x → ∞ (no underflow). Relative error < 1e-15 for x ≥ 0 (Cody); for x < 0 it uses
 * erfcx(x) = 2e^{x²} − erfcx(−x).
 * @example erfcx(0) // 1
 */
export function erfcx(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 * Math.exp(x * x) - erfcx(-x);
  if (x <= 0.46875) return Math.exp(x * x) * (1 - erfSmall(x));
  if (x <= 4) {
    let xnum = P1[8] * x, xden = x;
    for (let i = 0; i < 7; i++) { xnum = (xnum + P1[i]) * x; xden = (xden + Q1[i]) * x; }
    return (xnum + P1[7]) / (xden + Q1[7]);
  }
  if (x === Infinity) return 0;
  const ysq = 1 / (x * x);
  let xnum = P2[5] * ysq, xden = ysq;
  for (let i = 0; i < 4; i++) { xnum = (xnum + P2[i]) * ysq; xden = (xden + Q2[i]) * ysq; }
  const r = (ysq * (xnum + P2[4])) / (xden + Q2[4]);
  return (INV_SQRT_PI - r) / x;
}

/** Complementary error function erfc(x) = 1 − erf(x), accurate in the upper tail. */
export function erfc(x: number): number {
  if (x >= 0) return erfcx(x) * Math.exp(-x * x);
  if (x >= -0.46875) return 1 + erfSmall(-x);
  return 2 - erfcx(-x) * Math.exp(-x * x);
}

/** Standard normal CDF Φ(z) = ½ erfc(−z/√2). */
export function normalCdf(z: number): number {
  return 0.5 * erfc(-z / Math.SQRT2);
}

/**
 * log Φ(z), accurate for every z: log(½ erfcx(−z/√2)) − z²/2 in the lower tail (no underflow even
 * at z = −1e6), log1p(−½ erfc(z/√2)) in the upper half.
 * @example logNormalCdf(-40) // ≈ −804.61 (Φ(−40) underflows)
 */
export function logNormalCdf(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < 0) { const y = -z / Math.SQRT2; return Math.log(0.5 * erfcx(y)) - y * y; }
  return Math.log1p(-0.5 * erfc(z / Math.SQRT2));
}

/** Inverse Mills ratio φ(z)/Φ(z) = √(2/π)/erfcx(−z/√2), stable for every z (≈ −z as z → −∞). */
export function inverseMillsRatio(z: number): number {
  return Math.sqrt(2 / Math.PI) / erfcx(-z / Math.SQRT2);
}

/** log φ(z) = −z²/2 − log √(2π). */
export function logNormalPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/**
 * log(Φ(b) − Φ(a)) for a < b, stable in both tails (uses the reflected form when a > 0).
 * @example logNormalInterval(-1, 1) // log 0.6827
 */
export function logNormalInterval(a: number, b: number): number {
  if (a > 0) return logNormalInterval(-b, -a);
  const lb = logNormalCdf(b), la = logNormalCdf(a);
  return lb + Math.log1p(-Math.exp(la - lb));
}
