import { describe, it, expect } from 'vitest';
import { evaluate } from 'mathjs/number';
import { compileExpression, compileGradient, variableNames } from '../../src/grids/expression.js';
import { Rng } from '../../src/util/random.js';

type Fn = (...x: number[]) => number;

/** n seeded points with coordinates uniform in [lo, hi). */
function points(ndim: number, n: number, seed: number, lo = -2, hi = 2): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () => Array.from({ length: ndim }, () => lo + (hi - lo) * rng.uniform()));
}

describe('compileExpression agrees with hand-written JavaScript', () => {
  const cases: [string, number, Fn, number, number][] = [
    // [expression, ndim, twin, lo, hi] — domains keep every log / sqrt real.
    ['sin(x) + cos(2*x) - tan(x/3)', 1, (x) => Math.sin(x) + Math.cos(2 * x) - Math.tan(x / 3), -2, 2],
    ['exp(-x^2) * log(1 + x^2)', 1, (x) => Math.exp(-(x ** 2)) * Math.log(1 + x * x), -2, 2],
    ['log(x, 2) + log10(x) + sqrt(x)', 1, (x) => Math.log(x) / Math.log(2) + Math.log10(x) + Math.sqrt(x), 0.1, 3],
    ['-x^2', 1, (x) => -(x * x), -2, 2],
    ['2^x^2', 1, (x) => 2 ** (x * x), -2, 2], // ^ is right-associative: 2^(x^2)
    ['x > 0 ? x^3 : -x', 1, (x) => (x > 0 ? x ** 3 : -x), -2, 2],
    ['(x >= y) + 2*(x < y) + 4*(x == x) + 8*(x != y)', 2, (x, y) => Number(x >= y) + 2 * Number(x < y) + 4 + 8 * Number(x !== y), -2, 2],
    ['max(x, y, 0.5) - min(x, y)', 2, (x, y) => Math.max(x, y, 0.5) - Math.min(x, y), -2, 2],
    ['x*y*z + abs(x - z) + pi*e', 3, (x, y, z) => x * y * z + Math.abs(x - z) + Math.PI * Math.E, -2, 2],
    ['x mod 1.5 + sign(y) * cbrt(z)', 3, (x, y, z) => x - 1.5 * Math.floor(x / 1.5) + Math.sign(y) * Math.cbrt(z), -2, 2],
    ['x0^2 + x1*x2 - x3 / (1 + x0^2)', 4, (a, b, c, d) => a * a + b * c - d / (1 + a * a), -2, 2],
    ['tanh(x0) * square(x3) + cube(x1) - x2', 4, (a, b, c, d) => Math.tanh(a) * d * d + b ** 3 - c, -2, 2],
    ['pow(x, 2) + nthRoot(x, 3) + hypot(x, y) + fix(x) + sec(y) - cot(x) + csc(y)', 2,
      (x, y) => x * x + Math.cbrt(x) + Math.hypot(x, y) + Math.trunc(x) + 1 / Math.cos(y) - 1 / Math.tan(x) + 1 / Math.sin(y), 0.2, 1.4],
    ['x % 0.7 + tau * (+y) + expm1(x) + log1p(y) + log2(y) + acosh(1 + y) + round(3*x)', 2,
      (x, y) => x - 0.7 * Math.floor(x / 0.7) + 2 * Math.PI * y + Math.expm1(x) + Math.log1p(y) + Math.log2(y) + Math.acosh(1 + y) + Math.sign(3 * x) * Math.round(Math.abs(3 * x)), 0.1, 2],
  ];
  it.each(cases)('%s (%i-D) at 300 seeded points', (source, ndim, twin, lo, hi) => {
    const f = compileExpression(source, ndim);
    const xs = points(ndim, 300, 5, lo, hi);
    // Both sides evaluate the same Math.* calls, possibly in a different association: 8 ulps of the value.
    expect(xs.map((x) => f(...x))).toBeAllclose(xs.map((x) => twin(...x)), { atol: 1e-14, rtol: 8 * Number.EPSILON });
  });

  it.each(cases)('%s (%i-D) matches mathjs evaluate() (an independent interpreter)', (source, ndim, _twin, lo, hi) => {
    const f = compileExpression(source, ndim);
    for (const x of points(ndim, 40, 6, lo, hi)) {
      const scope = Object.fromEntries(variableNames(ndim).map((name, k) => [name, x[k]]));
      expect(f(...x)).toBeAllclose(Number(evaluate(source, scope)), { atol: 1e-13, rtol: 1e-13 });
    }
  });

  it('names x (1-D), x, y (2-D), x, y, z (3-D), x0…x3 (4-D); x0-style aliases work in every dimension', () => {
    expect(variableNames(1)).toEqual(['x']);
    expect(variableNames(3)).toEqual(['x', 'y', 'z']);
    expect(variableNames(4)).toEqual(['x0', 'x1', 'x2', 'x3']);
    expect(compileExpression('x0 + 10*x1 + 100*y', 2)(1, 2)).toBe(1 + 20 + 200);
  });

  it('rounds halves away from zero as mathjs does (round(−2.5) = −3), and offers heaviside (H(0) = 1)', () => {
    const round = compileExpression('round(x)', 1);
    expect([-2.5, -0.5, 0.5, 2.5, 1.4999].map((x) => round(x))).toEqual([-3, -1, 1, 3, 1]);
    for (const x of [-2.5, -0.5, 0.5, 2.5]) expect(round(x)).toBe(evaluate('round(x)', { x }));
    expect([-1, 0, 2].map((x) => compileExpression('heaviside(x)', 1)(x))).toEqual([0, 1, 1]);
    expect(compileExpression('x .* 2 + x ./ 4 + x .^ 2', 1)(3)).toBe(6 + 0.75 + 9); // element-wise operators on scalars
  });

  it('compares exactly (documented difference: mathjs calls 0.1 + 0.2 == 0.3 true within its relTol 1e-12)', () => {
    expect(compileExpression('x + 0.2 == 0.3', 1)(0.1)).toBe(0);
    expect(compileExpression('x + 0.2 > 0.3', 1)(0.1)).toBe(1);
    expect(evaluate('0.1 + 0.2 == 0.3')).toBe(true);
  });

  it('runs the documented example: x^2 + 1.5*sin(2*pi*x) at 0.25 is 1.5625', () => {
    expect(compileExpression('x^2 + 1.5*sin(2*pi*x)', 1)(0.25)).toBeCloseTo(1.5625, 15);
  });
});

describe('compileGradient agrees with the analytic gradient', () => {
  it("∇(x^2*sin(y) + exp(z)) = (2x sin y, x² cos y, e^z) at 200 seeded points", () => {
    const grad = compileGradient('x^2*sin(y)+exp(z)', 3);
    const out = new Float64Array(3);
    for (const [x, y, z] of points(3, 200, 7)) {
      expect(grad([x, y, z], out)).toBe(out);
      expect(out).toBeAllclose([2 * x * Math.sin(y), x * x * Math.cos(y), Math.exp(z)], { atol: 1e-14, rtol: 1e-14 });
    }
  });

  it('differentiates 4-D expressions in x0…x3 and quotients (1-D log)', () => {
    const grad = compileGradient('x0*x1 - x2^3 + sin(x3)', 4);
    const out = [0, 0, 0, 0];
    for (const [a, b, c, d] of points(4, 50, 8)) {
      grad([a, b, c, d], out);
      expect(out).toBeAllclose([b, a, -3 * c * c, Math.cos(d)], { atol: 1e-14, rtol: 1e-14 });
    }
    const g1 = compileGradient('log(1 + x^2) / x', 1);
    for (const [x] of points(1, 50, 9, 0.5, 3)) {
      // d/dx [log(1+x²)/x] = 2/(1+x²) − log(1+x²)/x²
      expect(g1([x], [0])[0]).toBeCloseTo(2 / (1 + x * x) - Math.log(1 + x * x) / (x * x), 13);
    }
  });
});

describe('errors', () => {
  it.each([
    ['x^^2', /compileExpression: could not parse "x\^\^2": .*\(char 3\)/],
    ['sin(x', /compileExpression: could not parse "sin\(x": Parenthesis \) expected/],
    ['x + q', /compileExpression: unknown variable "q" in "x \+ q"; allowed: x, x0 and constants pi, e, tau/],
    ['foo(x)', /compileExpression: unknown function "foo" with 1 argument\(s\) in "foo\(x\)"; allowed: sin, cos/],
    ['sin(x, x)', /unknown function "sin" with 2 argument\(s\)/],
    ['x!', /compileExpression: unsupported operator "!" in "x!"/],
    ['x and 1', /compileExpression: unsupported operator "and"/],
    ['"abc"', /compileExpression: unsupported constant abc/],
    ['1e400 * x', /compileExpression: unsupported constant Infinity/],
    ['x = 2', /compileExpression: unsupported syntax \(AssignmentNode\) in "x = 2"/],
    ['[x, 1]', /compileExpression: unsupported syntax \(ArrayNode\)/],
    ['   ', /compileExpression: expression must be a non-empty mathjs expression string; got "   "/],
  ])('compileExpression(%j) → %s', (source, message) => {
    expect(() => compileExpression(source, 1)).toThrow(RangeError);
    expect(() => compileExpression(source, 1)).toThrow(message);
  });

  it('rejects a dimension that is not an integer ≥ 1', () => {
    expect(() => compileExpression('x', 0)).toThrow(/compileExpression: ndim must be an integer ≥ 1; got 0/);
    expect(() => compileGradient('x', 1.5)).toThrow(/compileGradient: ndim must be an integer ≥ 1; got 1.5/);
  });

  it('rejects a non-string with TypeError', () => {
    expect(() => compileExpression(42 as unknown as string, 1)).toThrow(TypeError);
    expect(() => compileGradient(null as unknown as string, 1)).toThrow(/compileGradient: expression must be a mathjs expression string; got null/);
  });

  it('compileGradient validates before differentiating and reports what mathjs cannot differentiate', () => {
    expect(() => compileGradient('x + w', 2)).toThrow(/unknown variable "w"/);
    expect(() => compileGradient('x^^2', 1)).toThrow(/compileGradient: could not parse/);
    expect(() => compileGradient('max(x, y)', 2)).toThrow(/compileGradient: mathjs cannot differentiate "max\(x, y\)" in x: Cannot process function "max"/);
    expect(() => compileGradient('x > 0 ? x : 0', 1)).toThrow(/compileGradient: mathjs cannot differentiate/);
  });
});
